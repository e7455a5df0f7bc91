"""The home pages' figures (the admin's and observer's summary, each mentor's dashboard) and
the reports page's per-office compliance are kept in the shared cache under the "dashboards"
generation: a save or delete of anything they read moves it on, so the next read recomputes
them. At 50,000 cases a year they read every case of the year (the summary ~150 ms, a mentor
of 92 units ~110 ms, the compliance ~70 ms); between two changes every page reads them from
the cache."""

from django.contrib.auth.models import User

from core import generations
from mentoring.models import (
    FollowUp,
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Substitution,
    Unit,
)
from workflow.models import Holiday, StageVisit

DASHBOARDS = "dashboards"
# A net under the generation: a change that bypassed the model signals shows after this long
# at the latest.
CACHE_SECONDS = 600
# Cases and their clocks, the units, who heads and mentors them (names included), sessions and
# follow-ups, substitutes in force, and the holidays behind "overdue" (the visits keep their
# own due dates: a changed SLA or national cutoff applies to visits opened after it).
INPUTS = (
    Innovation,
    StageVisit,
    Unit,
    Membership,
    MentorAssignment,
    User,
    MentoringSession,
    FollowUp,
    Substitution,
    Holiday,
)


def connect() -> None:
    generations.follow(DASHBOARDS, INPUTS)
