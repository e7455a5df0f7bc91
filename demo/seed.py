"""The demo driver behind `manage.py seed_demo`: a Kukar-like organisation and its cases.

It drives every case through the real services (workflow.services: create_innovation,
perform_action, update_innovation, log_session, evidence), never by writing stage fields, so
processes, tasks and history agree; only timestamps are moved afterwards, to spread the timelines
over the programme years. The content (units, names, ideas, texts, stage weights, evidence) comes
from demo.content. Random but deterministic: one random.Random(seed) feeds every choice.

Beside the offices' new innovations it drives the cases of Kukar's Pekan Inovasi proposers
(schools, BUMDes, community groups: plan.toml pins them), innovations continued from 2025 into
2026 (workflow.services.continue_innovation, plan.toml `continued`), and then records what the
verified ones won (recognition.services: replications, awards, HKI, the inovasi unggulan).

The history is back-dated, so nothing it notifies is sent: every e-mail, webhook and digest it
schedules (and the deadline alerts and weekly digest its overdue cases set off at once) is
recorded as already delivered, and the people's addresses are in a reserved domain.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from mentoring.models import (
    CANCELLED_STAGES,
    COMMUNITY_KINDS,
    OPEN_STAGES,
    RANCANG_BANGUN_SECTIONS,
    Attachment,
    EvidenceItem,
    FollowUp,
    Indicator,
    Inisiator,
    Innovation,
    Maturity,
    Membership,
    MentorAssignment,
    MentoringSession,
    NationalPriority,
    Region,
    Role,
    Stage,
    Unit,
    Urusan,
)
from mentoring.profile import ProfileChanges
from notifications import delivery as notification_delivery
from notifications.weekly import schedule_weekly_digests
from recognition import services as recognition_services
from recognition.models import Award, FeaturedInnovation, HkiFiling, Replication
from scoring import services as scoring_services
from submission import services as submission_services
from submission.models import NationalEntry
from workflow import deadlines, scans
from workflow import services as workflow_services
from workflow.lifecycle import DEFAULT_SLA_DAYS, Action, EventKind
from workflow.models import CaseEvent, InnovationProcess, StageVisit
from workflow.roles import ensure_roles

from . import content
from .content import Idea

DEFAULT_INNOVATIONS = 150
DEFAULT_PASSWORD = "demo12345"
DEFAULT_SEED = 2026
# Demo people's addresses: a reserved domain (RFC 2606), never the regency's real one.
EMAIL_DOMAIN = "kukar.example.org"
# The programme years (the master data has IID indicators for both; plan.toml weighs both).
YEARS = (2025, 2026)
KECAMATAN = content.units().kecamatan
# The happy path, in order: a case aiming at stage S walks these until it stands in S.
PATH = [*OPEN_STAGES, Stage.DONE]
WORK_START_HOUR, WORK_END_HOUR = 8, 16


@dataclass
class Summary:
    units: int = 0
    users: int = 0
    assignments: int = 0
    innovations: int = 0
    continued: int = 0  # of the innovations: continued from the year before
    community: int = 0  # of the innovations: of the Pekan Inovasi proposers beyond the offices
    by_stage: dict[str, int] = field(default_factory=dict)
    recognition: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        stages = ", ".join(f"{Stage(s).label}: {n}" for s, n in self.by_stage.items())
        found = self.recognition
        return [
            f"Data demo dibuat dalam {self.seconds:.1f} detik: {self.units} unit, "
            f"{self.users} pengguna, {self.assignments} penugasan pendamping, "
            f"{self.innovations} inovasi ({self.continued} lanjutan dari tahun sebelumnya, "
            f"{self.community} dari pengusul Pekan Inovasi di luar perangkat daerah).",
            f"Per tahap: {stages}.",
            f"Rekognisi: {found.get('replications', 0)} replikasi, "
            f"{found.get('awards', 0)} penghargaan, {found.get('hki', 0)} HKI, "
            f"{found.get('featured', 0)} inovasi unggulan.",
        ]


def community_codes() -> frozenset[str]:
    """The Pekan Inovasi proposers beyond the offices: they get their pinned cases only."""
    return frozenset(row.code for row in content.units().rows if row.kind in COMMUNITY_KINDS)


def capacity() -> int:
    """The most cases a run can have: each new case of an office takes an idea of its own
    (ideas.toml); the proposers beyond the offices have their pinned cases, and a continued
    case carries the idea of the case it continues."""
    community = community_codes()
    office_ideas = sum(
        len(ideas) for code, ideas in content.ideas().by_unit.items() if code not in community
    )
    pins = sum(1 for pin in content.plan().pinned if pin.unit in community)
    return office_ideas + pins + len(content.plan().continued)


def stage_weights() -> dict[tuple[int, Stage], int]:
    """(year, final stage) -> weight, from plan.toml in its order (an unknown stage fails)."""
    return {(year, Stage(stage)): n for (year, stage), n in content.plan().stage_weights.items()}


def plan_stages(total: int) -> list[tuple[int, Stage]]:
    """(year, final stage) for `total` cases in the weights' proportions, every stage present."""
    weights = stage_weights()
    weight_sum = sum(weights.values())
    exact = {key: total * w / weight_sum for key, w in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)
    for key in by_remainder[: total - sum(counts.values())]:
        counts[key] += 1
    # Small runs still show every stage: borrow from the biggest bucket.
    for stage in Stage:
        if total >= len(Stage.values) and not any(n for (y, s), n in counts.items() if s == stage):
            biggest = max(counts, key=lambda key: counts[key])
            counts[biggest] -= 1
            counts[(YEARS[-1], stage)] = counts.get((YEARS[-1], stage), 0) + 1
    return [key for key, n in counts.items() for _ in range(n)]


def minimal_pdf(title: str) -> bytes:
    """A small valid one-page PDF showing `title` (enough for content sniffing and viewers)."""
    text = title.encode("latin-1", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 60 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_upload(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(title), content_type="application/pdf")


@dataclass
class _Planned:
    """One case to drive: its year, final stage, unit and idea; a continued case also names the
    planned case it continues (driven first: the first programme year comes first)."""

    year: int
    stage: Stage
    code: str
    idea: Idea
    continues: "_Planned | None" = None
    pinned: bool = False  # by plan.toml: a pinned case, or one of a continued innovation's
    innovation_id: int | None = None  # once driven


@dataclass
class _UnitPeople:
    unit: Unit
    head: User
    operator: User
    lead: dict[int, User] = field(default_factory=dict)
    co: dict[int, list[User]] = field(default_factory=dict)


class _Names:
    """Unique Indonesian full names, deterministic for a given random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = content.people()
        self.used: set[str] = set()

    def person(self, *, titled: bool = False) -> str:
        names = self.pool
        while True:
            female = self.rng.random() < 0.45
            first = self.rng.choice(names.first_names_female if female else names.first_names_male)
            name = f"{first} {self.rng.choice(names.last_names)}"
            if name not in self.used:
                self.used.add(name)
                break
        if not titled:
            return name
        prefix = self.rng.choice(names.head_prefixes)
        if prefix == "H. " and female:
            prefix = "Hj. "  # hajjah: the title of a woman who has made the hajj
        return f"{prefix}{name}{self.rng.choice(names.head_suffixes)}"


@dataclass
class _Moment:
    """One point of a case's history: it is back-dated after the case has been driven."""

    offset_hours: float
    events: list[int] = field(default_factory=list)
    sessions: list[int] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)
    reviews: list[int] = field(default_factory=list)
    attachments: list[int] = field(default_factory=list)
    tasks_created: list[int] = field(default_factory=list)
    tasks_finished: list[int] = field(default_factory=list)


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)


def rancang_bangun(values: dict[str, str], rng: random.Random) -> ProfileChanges:
    """The six sections of a rancang bangun (dasar hukum ... tahapan penggunaan), over the
    yearly minimums (30 words each, 300 in all)."""
    texts = content.texts()
    laws = rng.sample(texts.dasar_hukum, 3)
    values = {**values, "hukum1": laws[0], "hukum2": laws[1], "hukum3": laws[2]}
    sections = {
        name: " ".join(_fill(sentence, values) for sentence in section.sentences)
        for name, section in zip(RANCANG_BANGUN_SECTIONS, texts.rancang_bangun, strict=True)
    }
    # The templates give ~400 words; this only protects future edits (with sentences of the
    # fourth section, "Metode pembaharuan").
    while sum(len(text.split()) for text in sections.values()) < 320:
        extra = _fill(rng.choice(texts.rancang_bangun[3].sentences), values)
        sections["metode_pembaharuan"] += " " + extra
    return cast(ProfileChanges, sections)


def last_office_moment(now: datetime) -> datetime:
    """The latest weekday office-hours moment (WITA) before `now`: the demo's history never
    shows work on a Sunday morning just because it was seeded then."""
    local = timezone.localtime(now) - timedelta(minutes=1)
    while local.weekday() >= 5 or not WORK_START_HOUR <= local.hour < WORK_END_HOUR:
        if local.weekday() < 5 and local.hour >= WORK_END_HOUR:
            local = local.replace(hour=WORK_END_HOUR - 1, minute=59, second=0)
        else:
            previous = local - timedelta(days=1)
            local = previous.replace(hour=WORK_END_HOUR - 1, minute=59, second=0)
    return local


class _Seeder:
    def __init__(self, *, innovations: int, password: str, seed: int, now: datetime) -> None:
        self.total = innovations
        self.password = password
        self.rng = random.Random(seed)
        self.now = now
        self.latest = last_office_moment(now)
        self.names = _Names(self.rng)
        self.people: dict[str, _UnitPeople] = {}
        self.summary = Summary()

    # --- organisation -----------------------------------------------------------------------

    def _user(self, username: str, full_name: str, *roles: str, email: bool = True) -> User:
        user = User(
            username=username,
            first_name=full_name,
            email=f"{username}@{EMAIL_DOMAIN}" if email else "",
        )
        user.set_password(self.password)
        user.save()
        user.groups.set([self.groups[role] for role in roles])
        self.summary.users += 1
        return user

    def organisation(self) -> None:
        ensure_roles()
        self.groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
        rows = content.units().rows
        region = Region.sole()
        units = Unit.objects.bulk_create(
            Unit(code=row.code, name=row.name, kind=row.kind, category=row.category, region=region)
            for row in rows
        )
        self.summary.units = len(units)
        names = content.people()

        # Hashing one password per user would dominate the run: hash once, copy the hash.
        self.admin = self._user("admin", names.admin, Role.ADMIN)
        hashed = self.admin.password
        User.objects.filter(pk=self.admin.pk).update(is_superuser=True, is_staff=True)
        self.admin.is_superuser = self.admin.is_staff = True

        def quick_user(username: str, full_name: str, *roles: str) -> User:
            user = User.objects.create(
                username=username,
                first_name=full_name,
                email=f"{username}@{EMAIL_DOMAIN}",
                password=hashed,
            )
            user.groups.set([self.groups[role] for role in roles])
            self.summary.users += 1
            return user

        self.mentors = [
            quick_user(f"mentor{i}", self.names.person(titled=True), Role.MENTOR)
            for i in range(1, 7)
        ]
        self.verifiers = [
            quick_user(f"verifikator{i}", self.names.person(titled=True), Role.VERIFIER)
            for i in range(1, 3)
        ]
        quick_user("bupati", names.observer, Role.OBSERVER)

        memberships = []
        for unit, row in zip(units, rows, strict=True):
            head_roles = [Role.OPD_HEAD]
            if row.code in names.observing_heads:
                head_roles.append(Role.OBSERVER)
            head = quick_user(f"kepala.{row.code}", self.names.person(titled=True), *head_roles)
            operator = quick_user(f"operator.{row.code}", self.names.person(), Role.OPD_OPERATOR)
            memberships += [
                Membership(unit=unit, user=head, position=Membership.Position.HEAD),
                Membership(unit=unit, user=operator, position=Membership.Position.OPERATOR),
            ]
            self.people[row.code] = _UnitPeople(unit=unit, head=head, operator=operator)
        Membership.objects.bulk_create(memberships)

        assignments = []
        for year in YEARS:
            codes = list(self.people)
            self.rng.shuffle(codes)
            for index, code in enumerate(codes):
                lead = self.mentors[index % len(self.mentors)]
                self.people[code].lead[year] = lead
                assignments.append(
                    MentorAssignment(unit=self.people[code].unit, mentor=lead, year=year)
                )
                # A few units get a co-mentor (pendamping pendamping) as well.
                if index % 7 == 3:
                    co = self.mentors[(index + 2) % len(self.mentors)]
                    self.people[code].co[year] = [co]
                    assignments.append(
                        MentorAssignment(
                            unit=self.people[code].unit, mentor=co, year=year, is_lead=False
                        )
                    )
        MentorAssignment.objects.bulk_create(assignments)
        self.summary.assignments = len(assignments)
        # Policy snapshots are cached on user objects: load fresh ones now that roles are set.
        fresh = User.objects.in_bulk(
            [u.pk for p in self.people.values() for u in (p.head, p.operator)]
        )
        for people in self.people.values():
            people.head, people.operator = fresh[people.head.pk], fresh[people.operator.pk]
        self.urusan = {u.code: u for u in Urusan.objects.all()}
        self.indicators = {
            year: list(Indicator.objects.filter(year=year).order_by("number")) for year in YEARS
        }
        self.priorities = {
            year: list(
                NationalPriority.objects.filter(year=year, kind=NationalPriority.Kind.ASTA_CITA)
            )
            for year in YEARS
        }

    # --- which innovation where -------------------------------------------------------------

    def assign_units(self, plan: list[tuple[int, Stage]]) -> list[_Planned]:
        """Give each planned case a unit and the next of that unit's own ideas, each idea used
        once: a year's pinned cases first (plan.toml), then the continued innovations (a closed
        case of the first year, continued in the last), then every office once, then the
        offices with the most ideas to spare. The proposers beyond the offices get their pinned
        cases only."""
        left = {code: list(content.ideas().by_unit.get(code, ())) for code in self.people}
        community = community_codes()
        offices = [code for code in self.people if code not in community]
        cases: list[_Planned] = []
        first: dict[str, _Planned] = {}  # unit -> the first year's case to continue
        for year in YEARS:
            targets = [stage for y, stage in plan if y == year]
            self.rng.shuffle(targets)
            for pin in content.plan().pinned:
                stage = Stage(pin.stage)
                led = [c for c, p in self.people.items() if p.lead[year].username == pin.mentor]
                code = pin.unit or next((c for c in led if left[c] and c not in community), "")
                if pin.year == year and stage in targets and code and left[code]:
                    targets.remove(stage)
                    cases.append(_Planned(year, stage, code, left[code].pop(0), pinned=True))
            for continued in content.plan().continued:
                code = continued.unit
                if year == YEARS[0] and Stage.DONE in targets and left[code]:
                    targets.remove(Stage.DONE)
                    first[code] = _Planned(year, Stage.DONE, code, left[code].pop(0), pinned=True)
                    cases.append(first[code])
                elif year == YEARS[-1] and code in first and Stage(continued.stage) in targets:
                    stage = Stage(continued.stage)
                    targets.remove(stage)
                    cases.append(
                        _Planned(year, stage, code, first[code].idea, first[code], pinned=True)
                    )
            order = self.rng.sample(offices, len(offices))
            for stage in targets:
                served = {p.code for p in cases if p.year == year and p.continues is None}
                fresh = [c for c in order if c not in served and left[c]]
                code = fresh[0] if fresh else max(order, key=lambda c: len(left[c]))
                cases.append(_Planned(year, stage, code, left[code].pop(0)))
        return cases

    # --- what the verified innovations went on to achieve ------------------------------------

    def _recorded_at(self, day: date, case_opened: datetime) -> datetime:
        """An office-hours moment of `day`, or the next working day after the case was opened
        if that is later (a case's records are never older than the case), and never after
        the demo's latest moment."""
        tz = timezone.get_current_timezone()
        at = datetime(day.year, day.month, day.day, self.rng.randint(9, 14), tzinfo=tz)
        at += timedelta(minutes=self.rng.randint(0, 59))
        if at <= case_opened:
            at = timezone.localtime(case_opened) + timedelta(days=1)
            while at.weekday() >= 5:
                at += timedelta(days=1)
        return min(at, self.latest)

    def recognition(self, planned: list[_Planned]) -> None:
        """Record recognition.toml's replications, awards, HKI filings and inovasi unggulan
        through recognition.services, by the unit's operator (the pick by the admin), each on
        the unit's pinned case of its year (plan.toml); then date each record on its day (or
        just after its case was opened, when that came later).

        Left out: a record whose case this run does not have (a small run), or dated after it."""
        cases: dict[tuple[str, int], int] = {}
        for case in planned:
            if case.pinned and case.stage not in CANCELLED_STAGES and case.innovation_id:
                cases.setdefault((case.code, case.year), case.innovation_id)
        found = content.recognition()
        today = self.latest.date()
        counts = dict.fromkeys(("replications", "awards", "hki", "featured"), 0)
        dated: list[tuple[type[Replication | Award | HkiFiling], int, int, date]] = []
        for replication in found.replications:
            case_id = cases.get((replication.unit, replication.year))
            if case_id is None or replication.date > today:
                continue
            by_unit = self.people[replication.by_unit].unit if replication.by_unit else None
            who = by_unit.name if by_unit else f"{replication.replicator}, {replication.region}"
            replicated = recognition_services.record_replication(
                user=self.people[replication.unit].operator,
                innovation_id=case_id,
                date=replication.date,
                unit_id=by_unit.pk if by_unit else None,
                region_name=replication.region,
                replicator_name=replication.replicator,
                upload=_pdf_upload("surat-keterangan-replikasi.pdf", f"Replikasi oleh {who}"),
                note=replication.note,
            )
            dated.append((Replication, replicated.pk, case_id, replication.date))
            counts["replications"] += 1
        for award in found.awards:
            case_id = cases.get((award.unit, award.year))
            if case_id is None or award.recorded_on > today:
                continue
            won = recognition_services.record_award(
                user=self.people[award.unit].operator,
                innovation_id=case_id,
                level=award.level,
                year=award.award_year,
                name=award.name,
                giver=award.giver,
                rank=award.rank,
                upload=_pdf_upload("piagam-penghargaan.pdf", f"{award.name}: {award.rank}"),
            )
            dated.append((Award, won.pk, case_id, award.recorded_on))
            counts["awards"] += 1
        for hki in found.hki:
            case_id = cases.get((hki.unit, hki.year))
            if case_id is None or hki.date > today:
                continue
            certificate = None
            if hki.status == "granted":
                certificate = _pdf_upload("sertifikat-hki.pdf", f"Surat pencatatan {hki.number}")
            filed = recognition_services.record_hki(
                user=self.people[hki.unit].operator,
                innovation_id=case_id,
                kind=hki.kind,
                number=hki.number,
                status=hki.status,
                date=hki.date,
                upload=certificate,
            )
            dated.append((HkiFiling, filed.pk, case_id, hki.date))
            counts["hki"] += 1
        opened = dict(
            Innovation.objects.filter(pk__in=cases.values()).values_list("pk", "created_at")
        )
        for model, pk, case_id, day in dated:
            model.objects.filter(pk=pk).update(uploaded_at=self._recorded_at(day, opened[case_id]))
        for pick in found.featured:
            case_id = cases.get((pick.unit, pick.year))
            if case_id is None or pick.picked_on > today:
                continue
            featured = recognition_services.pick_featured(
                user=self.admin,
                year=pick.year,
                innovation_id=case_id,
                presentation_date=pick.presentation_date,
                note=pick.note,
            )
            FeaturedInnovation.objects.filter(pk=featured.pk).update(
                picked_at=self._recorded_at(pick.picked_on, opened[case_id])
            )
            counts["featured"] += 1
        self.summary.recognition = counts

    # --- driving one case -------------------------------------------------------------------

    def run(self) -> Summary:
        started = time.monotonic()
        self.organisation()
        plan = plan_stages(self.total)
        with notification_delivery.recorded_as_delivered():
            planned = self.assign_units(plan)
            for case in planned:
                driver = _CaseDriver(
                    self,
                    year=case.year,
                    target=case.stage,
                    people=self.people[case.code],
                    idea=case.idea,
                    continues=case.continues.innovation_id if case.continues else None,
                )
                driver.drive()
                case.innovation_id = driver.innovation.pk
            self.recognition(planned)
            # What the back-dated history sets off at once belongs to it: the alerts of the
            # cases it left overdue, and today's and this week's digests.
            scans.scan_deadlines()
            notification_delivery.schedule_digests(day=timezone.localdate())
            schedule_weekly_digests()
        for year, spd in content.plan().spd_scores.items():
            # The region's SPD comes from national statistics; the demo enters believable ones.
            scoring_services.set_spd_score(year=year, spd_score=spd)
        self.summary.innovations = Innovation.objects.count()
        self.summary.continued = Innovation.objects.filter(continues__isnull=False).count()
        self.summary.community = Innovation.objects.filter(unit__kind__in=COMMUNITY_KINDS).count()
        counts = dict(Innovation.objects.values_list("stage").annotate(n=Count("id")).order_by())
        self.summary.by_stage = {s: counts[s] for s in Stage.values if s in counts}
        self.summary.seconds = time.monotonic() - started
        return self.summary


class _CaseDriver:
    """Walks one case to its target stage through the real services, recording its moments."""

    def __init__(
        self,
        seeder: _Seeder,
        *,
        year: int,
        target: Stage,
        people: _UnitPeople,
        idea: Idea,
        continues: int | None = None,
    ) -> None:
        self.s = seeder
        # The closed case of an earlier year this one continues (None: a new innovation).
        self.continues = continues
        # A Pekan Inovasi proposer beyond the offices: its cases are not reported nationally.
        self.community = not people.unit.is_office
        self.rng = seeder.rng
        self.year = year
        self.target = target
        self.p = people
        self.idea = idea
        self.texts = content.texts()
        self.innovation: Innovation  # set by open()
        self.mentor = people.lead[year]
        self.co = people.co.get(year, [])
        self.verifier = self.rng.choice(seeder.verifiers)
        self.moments: list[_Moment] = []
        self.hours = 0.0
        self.task_status: dict[int, str] = {}
        self.evidence = content.plan().evidence
        self.values = {
            "name": idea.name,
            "unit": people.unit.name,
            "urusan": seeder.urusan[idea.urusan].name.lower(),
            "masalah": idea.masalah,
            "solusi": idea.solusi,
            "sasaran": idea.sasaran,
            "prev": str(year - 1),
        }
        self.values["sasaran_cap"] = self.values["sasaran"][:1].upper() + self.values["sasaran"][1:]

    # moments and the clock

    def _moment(self, min_h: float, max_h: float) -> _Moment:
        self.hours += self.rng.uniform(min_h, max_h)
        moment = _Moment(offset_hours=self.hours)
        self.moments.append(moment)
        return moment

    def _snapshot_tasks(self, moment: _Moment) -> None:
        statuses = dict(
            Task.objects.filter(
                process__innovationprocess__innovation_id=self.innovation.pk
            ).values_list("id", "status")
        )
        for task_id, status in statuses.items():
            before = self.task_status.get(task_id)
            if before is None:
                moment.tasks_created.append(task_id)
            if status in (STATUS.DONE, STATUS.CANCELED) and before not in (
                STATUS.DONE,
                STATUS.CANCELED,
            ):
                moment.tasks_finished.append(task_id)
        self.task_status = statuses

    def act(
        self, user: User, action: Action, comment: str = "", gap: tuple[float, float] = (8, 96)
    ) -> None:
        moment = self._moment(*gap)
        result = workflow_services.perform_action(
            user=user, innovation_id=self.innovation.pk, action=action, comment=comment
        )
        self.innovation = result.innovation
        moment.events.append(result.event.pk)
        self._snapshot_tasks(moment)

    def edit(self, user: User, changes: ProfileChanges, gap: tuple[float, float] = (2, 48)) -> None:
        self._moment(*gap)
        workflow_services.update_innovation(
            user=user, innovation_id=self.innovation.pk, changes=changes
        )

    def opd_user(self) -> User:
        return self.p.operator if self.rng.random() < 0.8 else self.p.head

    # the stages

    def open_continued(self, previous_id: int) -> None:
        """Continue the closed case `previous_id` into this year: its profile is carried over,
        with the "perkembangan inovasi"; the new year's budget is set."""
        moment = self._moment(0, 0)
        result = workflow_services.continue_innovation(
            user=self.p.operator,
            innovation_id=previous_id,
            year=self.year,
            perkembangan=" ".join(_fill(t, self.values) for t in self.texts.perkembangan),
        )
        self.innovation = result.innovation
        # Both histories name each other: the closed case's entry moves with this one.
        moment.events += [
            result.event.pk,
            CaseEvent.objects.filter(innovation_id=previous_id, action=EventKind.CONTINUED)
            .latest("pk")
            .pk,
        ]
        self._snapshot_tasks(moment)
        self.edit(
            self.p.operator,
            {"budget": Decimal(self.rng.randrange(25, 900) * 1_000_000)},
            gap=(0.5, 4),
        )

    def open(self) -> None:
        if self.continues is not None:
            self.open_continued(self.continues)
            return
        moment = self._moment(0, 0)
        idea = self.idea
        inisiators = [Inisiator.PERANGKAT_DAERAH] * 3 + [Inisiator.ASN, Inisiator.KEPALA_DAERAH]
        result = workflow_services.create_innovation(
            user=self.p.operator,
            unit=self.p.unit,
            year=self.year,
            profile={
                "name": self.values["name"],
                "bentuk": idea.bentuk,
                "jenis": idea.jenis,
                # The proposers beyond the offices are the community's own.
                "inisiator": Inisiator.MASYARAKAT
                if self.community
                else self.rng.choice(inisiators),
                "main_urusan": self.s.urusan[idea.urusan],
            },
        )
        self.innovation = result.innovation
        moment.events.append(result.event.pk)
        self._snapshot_tasks(moment)
        trial = date(self.year - 1, self.rng.randint(3, 11), self.rng.randint(1, 28))
        self.edit(
            self.p.operator,
            {
                "inisiator_name": self.p.head.first_name,
                "tujuan": " ".join(_fill(t, self.values) for t in self.texts.tujuan),
                "manfaat": " ".join(_fill(t, self.values) for t in self.texts.manfaat),
                "trial_date": trial,
                "maturity": Maturity.UJI_COBA,
                "budget": Decimal(self.rng.randrange(25, 900) * 1_000_000),
                # A draft: the full rancang bangun is written during packaging.
                "permasalahan": _fill(self.texts.rancang_bangun[1].sentences[0], self.values),
                "metode_pembaharuan": _fill(self.texts.rancang_bangun[3].sentences[1], self.values),
                "related_urusan": [self.s.urusan[code] for code in idea.related],
            },
            gap=(0.5, 4),
        )

    def proposal(self) -> None:
        self.act(self.opd_user(), Action.SUBMIT, gap=(24, 240))

    def proposal_gate(self, passing: bool) -> None:
        if passing and self.rng.random() < 0.25:
            reason = self.rng.choice(self.texts.proposal_returns)
            self.act(self.p.head, Action.RETURN, reason, gap=(8, 72))
            extra = _fill(self.texts.manfaat[2], self.values)
            self.edit(self.p.operator, {"manfaat": f"{self.innovation.manfaat} {extra}"})
            self.act(self.opd_user(), Action.SUBMIT, gap=(24, 120))
        self.act(self.p.head, Action.APPROVE, gap=(4, 72))

    def _session(self, mentor: User, topic: int | None = None) -> None:
        moment = self._moment(72, 240)
        topics = self.texts.session_topics
        chosen = topics[topic if topic is not None else self.rng.randrange(len(topics))]
        follow = self.rng.sample(self.texts.follow_ups, self.rng.randint(1, 2))
        session = workflow_services.log_session(
            user=mentor,
            innovation_id=self.innovation.pk,
            date=self.s.now.date(),
            mode=chosen.mode,
            topic=chosen.topic,
            notes=_fill(self.texts.session_notes, self.values),
            follow_ups=[
                workflow_services.FollowUpInput(description=d, due_date=self.s.now.date())
                for d in follow
            ],
        )
        moment.sessions.append(session.pk)

    def mentoring(self, passing: bool) -> None:
        sessions = self.rng.randint(1, 3) if passing else self.rng.randint(0, 2)
        for index in range(sessions):
            self._session(self.mentor, topic=index if index < 2 else None)
        if self.co and self.rng.random() < 0.7:
            self._session(self.co[0])
        if passing:
            if not sessions:
                self._session(self.mentor, topic=0)
            self.act(self.mentor, Action.COMPLETE, gap=(24, 120))

    def _upload(self, indicators: list[Indicator], gap: tuple[float, float] = (24, 120)) -> None:
        moment = self._moment(*gap)
        for indicator in indicators:
            item = workflow_services.add_evidence(
                user=self.p.operator,
                innovation_id=self.innovation.pk,
                indicator_id=indicator.pk,
                parameter=self.rng.choices((1, 2, 3), self.evidence.parameter_weights)[0],
                upload=_pdf_upload(
                    f"data-dukung-{indicator.number}.pdf",
                    f"{self.values['name']} - indikator {indicator.number}: {indicator.name}",
                ),
                description=indicator.evidence_hint or indicator.name,
            )
            moment.evidence.append(item.pk)

    def packaging(self, passing: bool, first: bool = True) -> None:
        if first:
            changes: ProfileChanges = {}
            if self.continues is None:
                # A continued case keeps the rancang bangun, place and dates it carried over.
                implementation = date(self.year - 1, 12, 1) + timedelta(
                    days=self.rng.randint(0, 150)
                )
                changes = {
                    **rancang_bangun(self.values, self.rng),
                    # Around Tenggarong, inside the regency's bounds.
                    "latitude": Decimal(self.rng.randint(-700_000, -150_000)) / 1_000_000,
                    "longitude": Decimal(self.rng.randint(116_700_000, 117_200_000)) / 1_000_000,
                    "implementation_date": min(implementation, self.s.now.date()),
                    "maturity": Maturity.PENERAPAN,
                }
            self.edit(
                self.opd_user(),
                {
                    **changes,
                    "priorities": self.rng.sample(self.s.priorities[self.year], 2),
                    "hasil": " ".join(
                        _fill(
                            t,
                            {
                                **self.values,
                                "before": str(self.rng.randint(4, 14)),
                                "after": str(self.rng.randint(1, 3)),
                                "n": f"{self.rng.randint(150, 4000):,}".replace(",", "."),
                                "skm": str(self.rng.randint(78, 96)),
                            },
                        )
                        for t in self.texts.hasil
                    ),
                },
                gap=(48, 240),
            )
            indicators = self.s.indicators[self.year]
            mandatory = [i for i in indicators if i.mandatory]
            optional = self.rng.sample(
                [i for i in indicators if not i.mandatory],
                self.rng.randint(*self.evidence.optional),
            )
            if passing:
                self._upload(mandatory + optional)
            else:
                # Still packaging: some of the mandatory evidence is not there yet.
                self._upload(mandatory[: self.rng.randint(0, len(mandatory) - 1)] + optional[:1])
            if self.rng.random() < 0.3:
                moment = self._moment(2, 24)
                attachment = workflow_services.add_attachment(
                    user=self.p.operator,
                    innovation_id=self.innovation.pk,
                    kind=Attachment.Kind.ANGGARAN,
                    upload=_pdf_upload("dpa-inovasi.pdf", f"DPA {self.p.unit.name} {self.year}"),
                )
                moment.attachments.append(attachment.pk)
            if self.mentor and self.rng.random() < 0.3:
                self._session(self.mentor, topic=3)
        if passing:
            self.act(self.opd_user(), Action.SUBMIT, gap=(24, 96))

    def packaging_gate(self, passing: bool) -> None:
        if passing and self.rng.random() < 0.2:
            reason = self.rng.choice(self.texts.packaging_returns)
            self.act(self.p.head, Action.RETURN, reason, gap=(8, 72))
            self.act(self.opd_user(), Action.SUBMIT, gap=(24, 120))
        self.act(self.p.head, Action.APPROVE, gap=(4, 72))

    def _review(self, items: list[EvidenceItem], invalid: set[int]) -> None:
        moment = self._moment(24, 120)
        for item in items:
            bad = item.pk in invalid
            # The verifier confirms some parameters one lower than the unit claimed.
            lowered = item.parameter > 1 and self.rng.randrange(100) < self.evidence.lowered_percent
            workflow_services.review_evidence(
                user=self.verifier,
                evidence_id=item.pk,
                valid=not bad,
                note=self.rng.choice(self.texts.invalid_evidence) if bad else "",
                verified_parameter=item.parameter - 1 if lowered and not bad else None,
            )
            moment.reviews.append(item.pk)

    def verification(self, passing: bool) -> None:
        pending = list(
            EvidenceItem.objects.filter(
                innovation=self.innovation, review=EvidenceItem.Review.PENDING
            ).select_related("indicator")
        )
        if not passing:
            # Part-way through the desk check.
            self._review(pending[: len(pending) // 2], set())
            return
        if self.rng.random() < 0.3:
            mandatory = [i for i in pending if i.indicator.mandatory]
            bad = self.rng.sample(mandatory, self.rng.randint(1, 2))
            self._review(pending, {i.pk for i in bad})
            self.act(self.verifier, Action.RETURN, self.texts.verification_return, gap=(2, 24))
            self._upload([i.indicator for i in bad], gap=(48, 168))
            self.packaging(passing=True, first=False)
            self.packaging_gate(passing=True)
            pending = list(
                EvidenceItem.objects.filter(
                    innovation=self.innovation, review=EvidenceItem.Review.PENDING
                )
            )
        self._review(pending, set())
        self.act(self.verifier, Action.ACCEPT, gap=(2, 48))

    def reporting(self, passing: bool) -> None:
        # BRIDA enters the verified case in the national portal; the report then cites it. A
        # Pekan Inovasi proposer's case is not reported nationally: nothing to cite.
        reference = "" if self.community else f"IID-{self.year}-6403-{self.innovation.pk:04d}"
        if not self.community and (passing or self.rng.random() < 0.5):
            moment = self._moment(4, 48)
            submission_services.record_entry(
                user=self.s.admin, innovation_id=self.innovation.pk, reference=reference
            )
            moment.events.append(
                CaseEvent.objects.filter(innovation_id=self.innovation.pk).latest("pk").pk
            )
        if passing or self.rng.random() < 0.5:
            beneficiaries = self.rng.randint(120, 6000)
            self.edit(
                self.opd_user(),
                {
                    "report_results": _fill(
                        self.texts.report_results,
                        {**self.values, "beneficiaries": str(beneficiaries)},
                    )
                    + _fill(
                        self.texts.hasil[0],
                        {**self.values, "before": str(self.rng.randint(4, 14)), "after": "1"},
                    ),
                    "report_beneficiaries": beneficiaries,
                    "report_national_ref": reference,
                },
                gap=(48, 240),
            )
        if passing:
            self.act(self.opd_user(), Action.SUBMIT, gap=(24, 96))

    def report_gate(self, passing: bool) -> None:
        if passing and self.rng.random() < 0.2:
            reason = self.rng.choice(self.texts.report_returns)
            self.act(self.p.head, Action.RETURN, reason, gap=(8, 72))
            self.act(self.opd_user(), Action.SUBMIT, gap=(24, 96))
        self.act(self.p.head, Action.APPROVE, gap=(4, 72))

    def close(self) -> None:
        self.act(self.s.admin, Action.CLOSE, gap=(24, 240))

    def drive(self) -> None:
        self.open()
        cancel = self.target in (Stage.REJECTED, Stage.WITHDRAWN)
        stop = (
            self.rng.choice([Stage.PROPOSAL_GATE, Stage.MENTORING, Stage.PACKAGING])
            if cancel
            else self.target
        )
        steps: dict[Stage, Callable[[bool], None]] = {
            Stage.PROPOSAL: lambda passing: self.proposal() if passing else None,
            Stage.PROPOSAL_GATE: self.proposal_gate,
            Stage.MENTORING: self.mentoring,
            Stage.PACKAGING: self.packaging,
            Stage.PACKAGING_GATE: self.packaging_gate,
            Stage.VERIFICATION: self.verification,
            Stage.REPORTING: self.reporting,
            Stage.REPORT_GATE: self.report_gate,
            Stage.CLOSE: lambda passing: self.close() if passing else None,
        }
        for stage in PATH[: PATH.index(stop) + 1]:
            if stage == Stage.DONE:
                break
            passing = stage != stop
            if not passing and stage in (
                Stage.PROPOSAL_GATE,
                Stage.PACKAGING_GATE,
                Stage.REPORT_GATE,
            ):
                # A case waiting at a gate may have been returned once already.
                if self.rng.random() < 0.3:
                    reasons = {
                        Stage.PROPOSAL_GATE: self.texts.proposal_returns,
                        Stage.PACKAGING_GATE: self.texts.packaging_returns,
                        Stage.REPORT_GATE: self.texts.report_returns,
                    }[stage]
                    self.act(self.p.head, Action.RETURN, self.rng.choice(reasons), gap=(8, 72))
                    self.act(self.opd_user(), Action.SUBMIT, gap=(24, 120))
                break
            steps[stage](passing)
            if not passing:
                break
        if self.target == Stage.REJECTED:
            reason = self.rng.choice(self.texts.reject_reasons)
            self.act(self.s.admin, Action.REJECT, reason, gap=(24, 240))
        elif self.target == Stage.WITHDRAWN:
            reason = self.rng.choice(self.texts.withdraw_reasons)
            self.act(self.p.head, Action.WITHDRAW, reason, gap=(24, 240))
        assert self.innovation.stage == self.target, (self.innovation.stage, self.target)
        self.backdate()

    # --- timestamps -------------------------------------------------------------------------

    def _window(self) -> tuple[datetime, datetime]:
        """Earliest start and latest end of this case's timeline."""
        tz = timezone.get_current_timezone()
        start = datetime(self.year, 1, 6, 8, tzinfo=tz)
        end = min(datetime(self.year, 12, 19, 16, tzinfo=tz), self.s.latest - timedelta(hours=2))
        return start, end

    def _times(self) -> list[datetime]:
        start, end = self._window()
        span = self.moments[-1].offset_hours
        room = (end - start).total_seconds() / 3600
        scale = min(1.0, room / span) if span else 1.0
        if self.innovation.is_open and self.year == max(YEARS):
            # Open cases of the running year moved recently: end within the last weeks.
            last = end - timedelta(days=self.rng.uniform(0, 40))
            first = max(start, last - timedelta(hours=span * scale))
        else:
            slack = max(0.0, room - span * scale)
            first = start + timedelta(hours=self.rng.uniform(0, slack))
        times = []
        previous = None
        for moment in self.moments:
            at = first + timedelta(hours=moment.offset_hours * scale)
            at = self._office_hours(at)
            if previous and at <= previous:
                at = previous + timedelta(minutes=self.rng.randint(5, 50))
            times.append(min(at, self.s.latest))
            previous = at
        return times

    def _office_hours(self, at: datetime) -> datetime:
        local = timezone.localtime(at)
        while local.weekday() >= 5:
            local += timedelta(days=1)
        if not WORK_START_HOUR <= local.hour < WORK_END_HOUR:
            local = local.replace(hour=self.rng.randint(WORK_START_HOUR, WORK_END_HOUR - 1))
        return local.replace(minute=self.rng.randint(0, 59), second=self.rng.randint(0, 59))

    def _backdate_visits(self, events: list[CaseEvent]) -> None:
        """Put each stage visit on its event's time and recompute its clock, so the demo has
        believable cycle times and some cases due soon or overdue."""
        visits = list(StageVisit.objects.filter(innovation_id=self.innovation.pk).order_by("pk"))
        clocked = [event for event in events if event.to_stage in DEFAULT_SLA_DAYS]
        # Every event that opened a visit is followed by the event that closed it (if any).
        closing = {
            event.pk: following.at for event, following in zip(events, events[1:], strict=False)
        }
        for visit, event in zip(visits, clocked, strict=True):
            fresh = deadlines.new_visit(
                innovation_id=self.innovation.pk, year=self.year, stage=visit.stage, at=event.at
            )
            for name in (
                "entered_at",
                "sla_days",
                "due_date",
                "remind_on",
                "escalate_on",
                "national",
            ):
                setattr(visit, name, getattr(fresh, name))
            visit.next_alert_on, visit.alerts_sent = fresh.next_alert_on, 0
            if visit.left_at is not None:
                visit.left_at = closing[event.pk]
            visit.set_days()
        StageVisit.objects.bulk_update(
            visits,
            [
                "entered_at",
                "left_at",
                "entered_on",
                "left_on",
                "sla_days",
                "due_date",
                "remind_on",
                "escalate_on",
                "national",
                "next_alert_on",
                "alerts_sent",
            ],
        )

    def backdate(self) -> None:
        """Move this case's timestamps onto a believable timeline (timestamps only)."""
        times = self._times()
        events: dict[int, datetime] = {}
        tasks: dict[int, dict[str, datetime]] = {}
        for moment, at in zip(self.moments, times, strict=True):
            for pk in moment.events:
                events[pk] = at
            for pk in moment.tasks_created:
                tasks.setdefault(pk, {})["created"] = at
            for pk in moment.tasks_finished:
                tasks.setdefault(pk, {})["finished"] = at
            for pk in moment.sessions:
                session_day = timezone.localtime(at).date()
                MentoringSession.objects.filter(pk=pk).update(date=session_day, created_at=at)
                FollowUp.objects.filter(session_id=pk).update(
                    due_date=session_day + timedelta(days=self.rng.randint(7, 21))
                )
            if moment.evidence:
                EvidenceItem.objects.filter(pk__in=moment.evidence).update(uploaded_at=at)
            if moment.reviews:
                EvidenceItem.objects.filter(pk__in=moment.reviews).update(reviewed_at=at)
            if moment.attachments:
                Attachment.objects.filter(pk__in=moment.attachments).update(uploaded_at=at)
        rows = list(CaseEvent.objects.filter(pk__in=events))
        for row in rows:
            row.at = events[row.pk]
        CaseEvent.objects.bulk_update(rows, ["at"])
        # Only this case's moves open its stage visits (a continuation also dates the closed
        # case's entry naming it); a national entry is dated like its history entry.
        moves = [
            row
            for row in rows
            if row.action != EventKind.ENTERED_NATIONALLY
            and row.innovation_id == self.innovation.pk
        ]
        self._backdate_visits(sorted(moves, key=lambda row: row.pk))
        for row in rows:
            if row.action == EventKind.ENTERED_NATIONALLY:
                NationalEntry.objects.filter(innovation_id=row.innovation_id).update(
                    entered_at=row.at
                )
        task_rows = list(Task.objects.filter(pk__in=tasks))
        for task in task_rows:
            stamps = tasks[task.pk]
            task.created = stamps.get("created", task.created)
            if task.assigned:
                task.assigned = task.created
            if "finished" in stamps:
                task.finished = stamps["finished"]
                if task.started:
                    task.started = task.finished
        Task.objects.bulk_update(task_rows, ["created", "assigned", "started", "finished"])
        process = InnovationProcess.objects.get(innovation_id=self.innovation.pk)
        process.created = times[0]
        if process.finished:
            process.finished = times[-1]
        InnovationProcess.objects.filter(pk=process.pk).update(
            created=process.created, finished=process.finished
        )
        Innovation.objects.filter(pk=self.innovation.pk).update(
            created_at=times[0], updated_at=times[-1]
        )


def seed(
    *,
    innovations: int = DEFAULT_INNOVATIONS,
    password: str = DEFAULT_PASSWORD,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
) -> Summary:
    """Create the demo organisation and drive `innovations` cases through the real services.

    All or nothing (one transaction); the caller checks that the database has no units yet.
    """
    with transaction.atomic():
        return _Seeder(
            innovations=innovations, password=password, seed=seed, now=now or timezone.now()
        ).run()
