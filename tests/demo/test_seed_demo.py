import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from demo import seed as demo
from mentoring.models import (
    OPEN_STAGES,
    EvidenceItem,
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Stage,
    Unit,
)
from mentoring.uploads import sniff_content_type
from workflow import deadlines
from workflow.lifecycle import EventKind
from workflow.models import CaseEvent, InnovationProcess, StageVisit


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def small_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small seeded database shared by the read-only checks below."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media):
                output = seed("--innovations", "24", "--password", "rahasia-demo")
            yield {"output": output, "media": media}
        finally:
            # Leave the shared test database as it was for the other test files.
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(small_demo, db):
    return small_demo


class TestSmallDemo:
    """Read-only checks on one small seeded database (torn down after this class)."""

    def test_units_include_every_kecamatan_and_the_named_opds(self, seeded):
        assert Unit.objects.count() >= 45
        kecamatan = set(Unit.objects.filter(kind="kecamatan").values_list("name", flat=True))
        assert kecamatan == {f"Kecamatan {name}" for name in demo.KECAMATAN}
        assert len(demo.KECAMATAN) == 20
        assert Unit.objects.get(code="dinkes").name == "Dinas Kesehatan"
        assert Unit.objects.filter(name="RSUD Aji Muhammad Parikesit", kind="rsud").exists()
        kinds = set(Unit.objects.values_list("kind", flat=True))
        assert {"dinas", "badan", "sekretariat", "puskesmas", "rsud", "bumd", "desa"} <= kinds
        assert 20 <= Unit.objects.filter(kind__in=["dinas", "badan", "sekretariat"]).count() <= 35

    def test_every_unit_has_a_head_an_operator_and_one_lead_mentor_per_year(self, seeded):
        for unit in Unit.objects.all():
            positions = Counter(unit.memberships.values_list("position", flat=True))
            assert positions == {"head": 1, "operator": 1}, unit.code
            for year in demo.YEARS:
                assert unit.mentor_assignments.filter(year=year, is_lead=True).count() == 1
        assert MentorAssignment.objects.filter(is_lead=False).exists()
        assert Membership.objects.get(unit__code="dinkes", position="head").user.username == (
            "kepala.dinkes"
        )

    def test_stage_visits_follow_the_backdated_history(self, seeded):
        event_times = set(CaseEvent.objects.values_list("innovation_id", "at"))
        visits = list(StageVisit.objects.all())
        assert visits
        for visit in visits:
            assert (visit.innovation_id, visit.entered_at) in event_times
            if visit.left_at is not None:
                assert (visit.innovation_id, visit.left_at) in event_times
                assert visit.left_at >= visit.entered_at
        # The clocks were recomputed from the moved entry dates: last year's visits are due then.
        assert StageVisit.objects.filter(due_date__year=min(demo.YEARS)).exists()

    def test_stage_visit_clocks_are_those_of_their_moved_entry_national_deadline_too(self, seeded):
        # Each clocked visit is what deadlines.new_visit gives for its back-dated entry,
        # "tenggat nasional" included: a visit entered before the year's national close whose
        # due date is the internal deadline before it is flagged as such on its page.
        visits = list(StageVisit.objects.exclude(sla_days=None).select_related("innovation"))
        for visit in visits:
            fresh = deadlines.new_visit(
                innovation_id=visit.innovation_id,
                year=visit.innovation.year,
                stage=visit.stage,
                at=visit.entered_at,
            )
            assert (visit.due_date, visit.national) == (fresh.due_date, fresh.national), visit.pk
        assert any(visit.national for visit in visits)
        assert not all(visit.national for visit in visits)

    def test_stage_visits_keep_the_local_days_of_their_moved_times(self, seeded):
        # The cycle-time figures read these days (issue 14), not the timestamps.
        visits = list(StageVisit.objects.select_related("innovation"))
        assert any(visit.left_at for visit in visits)
        for visit in visits:
            left = timezone.localdate(visit.left_at) if visit.left_at else None
            assert (visit.year, visit.entered_on, visit.left_on) == (
                visit.innovation.year,
                timezone.localdate(visit.entered_at),
                left,
            ), visit.pk

    def test_demo_logins_exist_with_the_given_password(self, seeded):
        names = [
            "admin",
            "bupati",
            "kepala.dinkes",
            "operator.dinkes",
            "verifikator1",
            "verifikator2",
        ]
        names += [f"mentor{i}" for i in range(1, 7)]
        for username in names:
            assert authenticate(username=username, password="rahasia-demo"), username
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.groups.filter(name="admin").exists()
        assert User.objects.get(username="bupati").groups.get().name == "observer"
        assert User.objects.get(username="mentor3").first_name  # an Indonesian full name, not blank
        assert "demo12345" not in seeded["output"] and "rahasia-demo" in seeded["output"]

    def test_every_stage_is_represented(self, seeded):
        assert Innovation.objects.count() == 24
        assert set(Innovation.objects.values_list("stage", flat=True)) == set(Stage.values)
        assert set(Innovation.objects.values_list("year", flat=True)) == {2025, 2026}

    def test_histories_come_from_the_services_and_match_the_processes(self, seeded):
        for innovation in Innovation.objects.all():
            events = list(innovation.history.order_by("id"))
            # A continued innovation's case opens with the entry naming the case it continues.
            opening = EventKind.CONTINUED_FROM if innovation.continues_id else "create"
            assert events[0].action == opening
            assert events[-1].to_stage == innovation.stage
            for before, after in zip(events, events[1:], strict=False):
                assert after.from_stage == before.to_stage
                assert after.at >= before.at
            process = InnovationProcess.objects.get(innovation=innovation)
            open_tasks = Task.objects.filter(
                process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED]
            )
            if innovation.stage in OPEN_STAGES:
                assert [t.flow_task.name for t in open_tasks] == [innovation.stage]
            else:
                assert not open_tasks.exists()
                expected = PROCESS.DONE if innovation.stage == Stage.DONE else PROCESS.CANCELED
                assert process.status == expected

    def test_timelines_are_spread_over_the_year_and_never_in_the_future(self, seeded):
        now = timezone.now()
        assert not CaseEvent.objects.filter(at__gt=now).exists()
        for year in demo.YEARS:
            months = {
                timezone.localtime(at).month
                for at in CaseEvent.objects.filter(innovation__year=year).values_list(
                    "at", flat=True
                )
            }
            assert len(months) >= 3, (year, months)
        for event in CaseEvent.objects.all()[:200]:
            local = timezone.localtime(event.at)
            assert local.weekday() < 5 and 8 <= local.hour < 17

    def test_content_is_believable(self, seeded):
        done = Innovation.objects.filter(stage=Stage.DONE)
        assert done.exists()
        for innovation in done:
            assert innovation.rancang_bangun_words >= 300
            assert innovation.tujuan and innovation.manfaat and innovation.hasil
            assert innovation.report_beneficiaries
            assert innovation.sessions.exists()
        assert CaseEvent.objects.filter(action="return").exclude(comment="").exists()
        assert (
            CaseEvent.objects.filter(action__in=["reject", "withdraw"]).exclude(comment="").count()
        )
        item = EvidenceItem.objects.first()
        data = (seeded["media"] / item.file.name).read_bytes()
        assert data.startswith(b"%PDF-")
        assert sniff_content_type(SimpleUploadedFile("x.pdf", data)) == "application/pdf"
        assert MentoringSession.objects.filter(follow_ups__isnull=False).exists()


def test_plan_covers_every_stage_and_keeps_the_default_size():
    assert len(demo.plan_stages(150)) == 150
    assert len(demo.plan_stages(20)) == 20
    assert {stage for _, stage in demo.plan_stages(12)} == set(Stage.values)


def test_minimal_pdf_is_recognised_as_pdf():
    data = demo.minimal_pdf("SIPANDU KIA (data dukung)")
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert b"startxref" in data


@pytest.mark.django_db
def test_if_empty_does_nothing_when_units_exist():
    Unit.objects.create(code="ada", name="Unit Ada", kind="dinas")
    assert "tidak dibuat" in seed("--if-empty")
    assert Unit.objects.count() == 1
    with pytest.raises(CommandError, match="sudah berisi unit"):
        seed()
    assert not Innovation.objects.exists()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data():
    def snapshot() -> list[tuple]:
        return list(
            Innovation.objects.order_by("id").values_list("name", "stage", "unit__code", "year")
        )

    seed("--innovations", "12")
    first = snapshot()
    first_names = sorted(User.objects.values_list("username", "first_name"))
    Innovation.objects.all().delete()
    Unit.objects.all().delete()
    User.objects.all().delete()
    seed("--innovations", "12")
    assert snapshot() == first
    assert sorted(User.objects.values_list("username", "first_name")) == first_names
