"""The default demo (`make run`'s first run): quiet, believable and as the README promises; with
issue 13's parts to see (Pekan Inovasi proposers, continued innovations, recognition).

Seeded once for the class, the way `make run` would with an SMTP server and a chat webhook
configured (Django's locmem e-mail backend and the immediate task backend stand in for them):
every e-mail sent, webhook posted and task enqueued during the seed is counted.
"""

import re
from collections import Counter
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks.signals import task_enqueued

from dashboards import selectors as dashboards
from demo import content
from mentoring.models import (
    CANCELLED_STAGES,
    COMMUNITY_KINDS,
    VERIFIED_STAGES,
    Inisiator,
    Innovation,
    MentorAssignment,
    PekanCategory,
    Stage,
    Unit,
)
from mentoring.people import actor_for
from notifications import delivery
from notifications.models import Channel, Delivery, DeliveryStatus
from notifications.weekly import schedule_weekly_digests
from recognition import selectors as recognition
from recognition.models import Award, AwardLevel, FeaturedInnovation, HkiFiling, Replication
from scoring import selectors as scoring
from submission import selectors as submission
from submission.models import NationalEntry
from tests.demo.test_seed_demo import seed
from workflow import policy, scans
from workflow import services as workflow_services
from workflow.lifecycle import Action, EventKind
from workflow.models import CaseEvent

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WEBHOOK = {
    "NOTIFICATIONS_WEBHOOK_URL": "https://chat.example.org/hook",
    "NOTIFICATIONS_WEBHOOK_SECRET": "rahasia-gateway",
}
# RFC 2606 / 6761: names that can never reach a real mailbox.
RESERVED_TLDS = {"test", "example", "invalid", "localhost"}
RESERVED_DOMAINS = {"example.org", "example.com", "example.net"}
# Mandatory national services and everyday office tidying: not innovations.
NOT_INNOVATIONS = re.compile(
    r"\b(PATEN|SP4N|LAPOR!|SRIKANDI|OSS|Mal Pelayanan Publik|SOP Digital|Arsip Digital|"
    r"Dasbor Kinerja|Layanan Pengaduan Terpadu)\b",
    re.IGNORECASE,
)
CURRENT_YEAR = 2026  # the programme year the README's accounts work in
OFFICES = 61  # 33 perangkat daerah, 20 kecamatan, the RSUD, puskesmas, kelurahan, desa, Perumda


def reserved(address: str) -> bool:
    domain = address.rsplit("@", 1)[-1].lower()
    return domain.rsplit(".", 1)[-1] in RESERVED_TLDS or any(
        domain == name or domain.endswith("." + name) for name in RESERVED_DOMAINS
    )


class _Counted:
    def __init__(self) -> None:
        self.tasks = 0
        self.webhooks = 0

    def enqueued(self, **kwargs) -> None:
        self.tasks += 1

    def post(self, request, timeout):
        self.webhooks += 1
        response = mock.MagicMock()
        response.__enter__.return_value.status = 200
        return response


@pytest.fixture(scope="class")
def default_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The default seed with e-mail and webhook configured; rolled back after the class."""
    counted = _Counted()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        task_enqueued.connect(counted.enqueued)
        try:
            emails_before = len(mail.outbox)
            media = tmp_path_factory.mktemp("media")
            with (
                override_settings(MEDIA_ROOT=media, TASKS=IMMEDIATE, **WEBHOOK),
                mock.patch.object(delivery._opener, "open", counted.post),
                # Runs what would run once the seed commits: pushes, and any delivery task.
                TestCase.captureOnCommitCallbacks(execute=True),
            ):
                output = seed()
            task_enqueued.disconnect(counted.enqueued)
            yield {
                "output": output,
                "emails": len(mail.outbox) - emails_before,
                "tasks": counted.tasks,
                "webhooks": counted.webhooks,
                "media": media,
            }
        finally:
            task_enqueued.disconnect(counted.enqueued)
            # Leave the shared test database as it was for the other test files.
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(default_demo, db):
    return default_demo


class TestDefaultDemo:
    def test_has_150_cases_in_every_stage(self, demo):
        # Every case counts, new, continued and of the Pekan Inovasi proposers alike: the
        # plan's stage weights still sum to the default 150.
        assert Innovation.objects.count() == 150
        assert "150 inovasi (6 lanjutan dari tahun sebelumnya, 10 dari pengusul" in demo["output"]
        assert "5 replikasi, 7 penghargaan, 2 HKI, 1 inovasi unggulan" in demo["output"]
        assert set(Innovation.objects.values_list("stage", flat=True)) == set(Stage.values)
        assert CaseEvent.objects.filter(action="return").count() >= 10

    def test_seeding_sends_nothing_and_records_its_history_as_delivered(self, demo):
        assert (demo["emails"], demo["webhooks"], demo["tasks"]) == (0, 0, 0)
        assert not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()
        sent = Counter(
            Delivery.objects.filter(status=DeliveryStatus.SENT).values_list("channel", flat=True)
        )
        assert sent[Channel.EMAIL] > 500 and sent[Channel.WEBHOOK] > 1000, sent
        assert sent[Channel.DIGEST] and sent[Channel.WEEKLY], sent

    def test_the_first_timer_run_after_seeding_sends_nothing(self, demo):
        # What `make run`'s timer does at start-up: scan, digests, stale deliveries.
        with override_settings(**WEBHOOK):
            assert sum(scans.scan_deadlines().counts.values()) == 0
            assert delivery.schedule_digests(day=timezone.localdate())["digests"] == 0
            assert schedule_weekly_digests()["digests"] == 0
            assert delivery.requeue_stale() == 0

    def test_live_actions_after_seeding_still_deliver(
        self, demo, settings, mailoutbox, django_capture_on_commit_callbacks
    ):
        settings.TASKS = IMMEDIATE
        for name, value in WEBHOOK.items():
            setattr(settings, name, value)
        counted = _Counted()
        case = Innovation.objects.filter(stage=Stage.PROPOSAL_GATE).select_related("unit").first()
        head = User.objects.get(username=f"kepala.{case.unit.code}")
        with (
            mock.patch.object(delivery._opener, "open", counted.post),
            django_capture_on_commit_callbacks(execute=True),
        ):
            workflow_services.perform_action(
                user=head, innovation_id=case.pk, action=Action.APPROVE
            )
        assert len(mailoutbox) >= 1 and counted.webhooks >= 1
        assert all(reserved(address) for message in mailoutbox for address in message.to)

    def test_every_address_is_in_a_reserved_domain(self, demo):
        addresses = list(User.objects.exclude(email="").values_list("email", flat=True))
        assert len(addresses) == User.objects.count()
        assert all(reserved(address) for address in addresses), addresses[:5]
        assert not any("kukarkab.go.id" in address for address in addresses)

    def test_titles_are_unique_and_name_real_innovations(self, demo):
        # A continued case carries its closed case's title: the innovation is the same one.
        for case in Innovation.objects.filter(continues__isnull=False).select_related("continues"):
            assert case.name == case.continues.name
        names = list(
            Innovation.objects.filter(continues__isnull=True).values_list("name", flat=True)
        )
        assert len(set(names)) == len(names)
        # No pattern repeated per kecamatan ("<idea> <place>"): titles differ without places.
        places = sorted(content.units().kecamatan, key=len, reverse=True)
        stripped = [re.sub("|".join(map(re.escape, places)), "", name).strip() for name in names]
        assert len(set(stripped)) == len(stripped)
        assert not [name for name in names if NOT_INNOVATIONS.search(name)]

    def test_related_urusan_are_the_innovations_own(self, demo):
        ideas = {idea.name: idea for idea in content.ideas().all()}
        related = Counter()
        for innovation in Innovation.objects.prefetch_related("related_urusan").select_related(
            "main_urusan"
        ):
            codes = {u.code for u in innovation.related_urusan.all()}
            assert codes == set(ideas[innovation.name].related), innovation.name
            assert innovation.main_urusan.code not in codes
            related.update(codes)
        assert related["kesehatan"] and related["pemberdayaan-masyarakat-dan-desa"]

    def test_inspektorat_and_satpol_pp_take_part(self, demo):
        for code in ("inspektorat", "satpol-pp"):
            unit = Unit.objects.get(code=code)
            assert unit.memberships.count() == 2
            assert Innovation.objects.filter(unit=unit).exists()
        roles = set(
            User.objects.get(username="kepala.inspektorat").groups.values_list("name", flat=True)
        )
        assert roles == {"opd_head", "observer"}
        inspector = actor_for(User.objects.get(username="kepala.inspektorat"))
        assert all(policy.can_view(inspector, case) for case in Innovation.objects.all())

    def test_every_readme_account_has_what_the_readme_promises(self, demo):
        cases = list(Innovation.objects.filter(year=CURRENT_YEAR).select_related("unit"))

        def can(username: str, action: Action, **where) -> list[Innovation]:
            actor = actor_for(User.objects.get(username=username))
            return [
                case
                for case in cases
                if all(getattr(case, key) == value for key, value in where.items())
                and action in policy.allowed_actions(actor, case)
            ]

        assert can("admin", Action.CLOSE) and can("admin", Action.REJECT)
        mentor = actor_for(User.objects.get(username="mentor1"))
        mentoring = can("mentor1", Action.COMPLETE, stage=Stage.MENTORING)
        assert mentoring and policy.can_log_session(mentor, mentoring[0])
        assert MentorAssignment.objects.filter(
            mentor__username="mentor1", unit=mentoring[0].unit, year=CURRENT_YEAR
        ).exists()
        verifier = actor_for(User.objects.get(username="verifikator1"))
        assert [case for case in cases if policy.can_review_evidence(verifier, case)]
        for stage in (Stage.PROPOSAL_GATE, Stage.PACKAGING_GATE, Stage.REPORT_GATE):
            assert can("kepala.dinkes", Action.APPROVE, stage=stage), stage
            assert can("kepala.dinkes", Action.RETURN, stage=stage), stage
        operator = actor_for(User.objects.get(username="operator.dinkes"))
        packaging = can("operator.dinkes", Action.SUBMIT, stage=Stage.PACKAGING)
        assert packaging and packaging[0].unit.code == "dinkes"
        assert policy.can_upload_evidence(operator, packaging[0])
        assert {"hasil", "permasalahan"} <= policy.editable_fields(operator, packaging[0])
        observer = actor_for(User.objects.get(username="bupati"))
        assert all(policy.can_view(observer, case) for case in cases)
        assert not any(policy.allowed_actions(observer, case) for case in cases)
        # operator.dinkes also has a closed 2025 case to continue into 2026.
        closed = Innovation.objects.filter(unit__code="dinkes", year=CURRENT_YEAR - 1)
        assert any(policy.may_continue(operator, case) for case in closed)
        # A school's operator packages its Pekan Inovasi case; a BUMDes head decides a proposal.
        school = can("operator.sman1-tenggarong", Action.SUBMIT, stage=Stage.PACKAGING)
        assert school and school[0].unit.kind == "sekolah" and not school[0].unit.is_office
        assert policy.can_upload_evidence(
            actor_for(User.objects.get(username="operator.sman1-tenggarong")), school[0]
        )
        assert can("kepala.bumdes-sumber-sari", Action.APPROVE, stage=Stage.PROPOSAL_GATE)
        # operator.pkm-tenggarong packages a continued innovation whose replications suggest
        # the replication indicator's parameter.
        continued = can("operator.pkm-tenggarong", Action.SUBMIT, stage=Stage.PACKAGING)
        assert [case for case in continued if case.continues_id]

    def test_the_estimate_lands_near_kukars_real_2025_score(self, demo):
        # Kukar's real IID 2025 was 62.7 (the domain brief); computed here, never stored.
        estimate = scoring.estimate(year=2025)
        assert 55 <= estimate.iid <= 70, estimate.iid
        assert estimate.coverage_met and estimate.innovation_count >= 40
        # The running year is still in progress: lower, with steps that would raise it.
        assert 40 <= scoring.estimate(year=CURRENT_YEAR).iid <= 70

    def test_pekan_inovasi_proposers_are_mentored_apart_from_the_offices(self, demo):
        community = list(Unit.objects.filter(kind__in=COMMUNITY_KINDS))
        assert {unit.category for unit in community} == set(PekanCategory.values)
        assert {unit.kind for unit in community} == set(COMMUNITY_KINDS)
        assert sum(unit.kind == "sekolah" for unit in community) == 2
        assert Unit.objects.count() == OFFICES + len(community) == 69  # as the README says
        for unit in community:
            people = dict(unit.memberships.values_list("position", "user__username"))
            assert people == {"head": f"kepala.{unit.code}", "operator": f"operator.{unit.code}"}
            for year in (CURRENT_YEAR - 1, CURRENT_YEAR):
                assert unit.mentor_assignments.filter(year=year, is_lead=True).count() == 1
        cases = Innovation.objects.filter(unit__kind__in=COMMUNITY_KINDS)
        pinned = [pin for pin in content.plan().pinned if pin.unit in {u.code for u in community}]
        assert cases.count() == len(pinned) == 10
        assert set(cases.values_list("year", flat=True)) == {CURRENT_YEAR - 1, CURRENT_YEAR}
        assert len(set(cases.values_list("stage", flat=True))) >= 8  # driven through the flow
        assert set(cases.values_list("inisiator", flat=True)) == {Inisiator.MASYARAKAT}
        assert all(case.history.filter(action="create").exists() for case in cases)
        # Never entered nationally, outside the national count and the offices' target.
        assert not NationalEntry.objects.filter(innovation__in=cases).exists()
        admin = User.objects.get(username="admin")
        for year in (CURRENT_YEAR - 1, CURRENT_YEAR):
            of_year = cases.filter(year=year).exclude(stage__in=CANCELLED_STAGES)
            estimate = scoring.estimate(year=year)
            scored = {item.innovation_id for item in estimate.innovations}
            assert scored and not scored & set(of_year.values_list("pk", flat=True))
            summary = dashboards.summary(year=year)
            assert summary.units_total == OFFICES
            assert summary.community_innovations == of_year.count()
            packaged = submission.package_cases(user=admin, year=year)
            assert packaged and not [case for case in packaged if not case.unit.is_office]

    def test_continued_innovations_carry_on_from_their_closed_2025_cases(self, demo):
        continued = list(
            Innovation.objects.filter(continues__isnull=False).select_related("continues")
        )
        assert len(continued) == len(content.plan().continued) == 6
        for case in continued:
            previous = case.continues
            assert (previous.year, previous.stage, case.year) == (2025, Stage.DONE, 2026)
            assert previous.unit_id == case.unit_id
            assert case.reported_before == previous.reported_before + 1 == 1
            assert case.perkembangan and "2025" in case.perkembangan
            opening = case.history.order_by("id").first()
            assert opening.action == EventKind.CONTINUED_FROM
            assert opening.comment == case.perkembangan
            # The closed case's history names the continuation, dated when it happened.
            entry = previous.history.get(action=EventKind.CONTINUED)
            assert entry.at == opening.at and entry.at.year == 2026
            assert entry.pk == previous.history.latest("pk").pk
            assert not previous.history.exclude(pk=entry.pk).filter(at__gt=entry.at).exists()
            # The new year's own evidence: nothing of 2025's is carried over.
            assert not case.evidence.exclude(indicator__year=2026).exists()
        # Driven forward in 2026 like any other case, from just continued to closed again.
        stages = {case.stage for case in continued}
        assert {Stage.PROPOSAL, Stage.DONE} <= stages and len(stages) == 6
        # The estimate's n counts the verified continued cases; the target counts new ones.
        verified = [case for case in continued if case.stage in VERIFIED_STAGES]
        assert len(verified) >= 2
        assert scoring.estimate(year=2026).continued_count == len(verified)
        summary = dashboards.summary(year=2026)
        assert summary.continued_innovations == len(continued)
        assert (
            summary.new_innovations
            + summary.continued_innovations
            + (summary.community_innovations)
            == Innovation.objects.filter(year=2026).exclude(stage__in=CANCELLED_STAGES).count()
        )

    def test_recognition_is_recorded_through_the_services_on_verified_innovations(self, demo):
        found = content.recognition()
        assert Replication.objects.count() == len(found.replications) == 5
        assert Award.objects.count() == len(found.awards) == 7
        assert HkiFiling.objects.count() == len(found.hki) == 2
        records = [*Replication.objects.all(), *Award.objects.all(), *HkiFiling.objects.all()]
        now = timezone.now()
        for record in records:
            case = record.innovation
            # Each on a verified case, or on the continuation of one closed in 2025.
            assert case.stage in VERIFIED_STAGES or case.continues.stage == Stage.DONE
            assert record.uploaded_by.username == f"operator.{case.unit.code}"
            local = timezone.localtime(record.uploaded_at)
            assert record.uploaded_at <= now and local.weekday() < 5 and 8 <= local.hour < 17
            assert record.uploaded_at > case.created_at  # recorded on a case that existed
            if record.file:
                assert (demo["media"] / record.file.name).read_bytes().startswith(b"%PDF-")
        assert Replication.objects.filter(unit__isnull=False).exists()
        assert Replication.objects.exclude(region_name="").exists()
        assert set(Award.objects.values_list("level", flat=True)) == set(AwardLevel.values)
        assert all(award.rank for award in Award.objects.all())
        assert Award.objects.filter(innovation__unit__kind__in=COMMUNITY_KINDS).exists()
        # Award points of the unit heads' performance agreements: 200 + 160 + 4 x 130.
        assert recognition.award_points(year=2025).total == 880
        assert recognition.award_points(year=2026).total == 160
        # The continued case in packaging: two replications suggest parameter 2 (of 1x/2x/3x).
        packaging = Innovation.objects.get(
            unit__code="pkm-tenggarong", year=2026, continues__isnull=False
        )
        assert packaging.stage == Stage.PACKAGING
        suggestion = recognition.replication_suggestion(innovation=packaging)
        assert (suggestion.count, suggestion.parameter) == (2, 2)
        # The inovasi unggulan of 2026, picked by the admin for the regent's presentation.
        featured = FeaturedInnovation.objects.get()
        assert (featured.year, featured.presentation_date.year) == (2026, 2026)
        assert featured.innovation.year == 2026 and featured.innovation.continues_id
        assert featured.innovation.stage in VERIFIED_STAGES
        assert featured.picked_by.username == "admin" and featured.picked_at <= now
        assert featured.picked_at > featured.innovation.created_at
        assert recognition.featured_of_year(year=2026) == [featured]
