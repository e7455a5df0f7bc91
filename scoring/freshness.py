"""The estimate's inputs: a save or delete of any of them bumps the scoring generation, so the
cached IID panel (selectors.cached_estimate_and_steps) is recomputed on its next read. The one
bulk update of an input, "mark the rest valid", cannot change the estimate: a case under
verification counts its evidence as chosen, reviewed or not, until its stage moves (a save)."""

from django.db.models.signals import m2m_changed

from core import generations
from mentoring.models import EvidenceItem, Indicator, Innovation, Unit, Urusan
from recognition.models import Replication

from .models import PredicateThreshold, Ruleset

SCORING = "scoring"
INPUTS = (
    Innovation,
    EvidenceItem,
    Indicator,
    Urusan,
    Unit,
    Ruleset,
    PredicateThreshold,
    Replication,
)


def related_urusan_changed(**_kwargs: object) -> None:
    generations.bump(SCORING)


def connect() -> None:
    generations.follow(SCORING, INPUTS)
    m2m_changed.connect(
        related_urusan_changed,
        sender=Innovation.related_urusan.through,
        dispatch_uid="scoring-related",
    )
