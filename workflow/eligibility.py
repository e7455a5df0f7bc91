"""The desk check: is a case a complete, eligible national IID entry?

Run live on the case page as a checklist ("Siap dikirim: 14 dari 17"), by the packaging submit
(its blocking findings stop the move, each naming its field or indicator) and for the national
board. Every number comes from the year's `SubmissionRules` and indicator catalogue.

Blocking checks: maturity reached implementation; implementation date inside the year's
eligible window; times reported within the year's limit; the development described when the
innovation was reported before; each rancang bangun section and the whole at their minimum
word counts; tujuan, manfaat and hasil filled; the location given; a national priority named;
the main urusan not repeated among the related ones; evidence (a file, or a link where the
indicator takes one) for every mandatory indicator. Hints (not blocking): the parameters chosen
for indicators whose parameters count something the profile also states (months from trial to
implementation, beneficiaries).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import (
    RANCANG_BANGUN_SECTIONS,
    EvidenceItem,
    Indicator,
    Innovation,
    Maturity,
    Measure,
    SubmissionRules,
)

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class Check:
    """One line of the checklist: what is checked, whether it holds, and what to do."""

    field: str  # the profile field, or "evidence" / "rancang_bangun"
    label: str
    ok: bool
    detail: str = ""  # the state ("312 kata") or, when not ok, what is missing
    blocking: bool = True


@dataclass(frozen=True)
class DeskCheck:
    checks: tuple[Check, ...]
    sources: tuple[str, ...] = ()  # where the year's rules and indicators come from

    @property
    def required(self) -> list[Check]:
        return [check for check in self.checks if check.blocking]

    @property
    def passed(self) -> int:
        return sum(check.ok for check in self.required)

    @property
    def total(self) -> int:
        return len(self.required)

    @property
    def ready(self) -> bool:
        return self.passed == self.total

    @property
    def missing(self) -> list[Check]:
        return [check for check in self.required if not check.ok]

    @property
    def hints(self) -> list[Check]:
        return [check for check in self.checks if not check.blocking and not check.ok]

    def errors(self) -> Errors:
        """The blocking findings as field errors (what the packaging submit answers)."""
        errors: Errors = {}
        for check in self.missing:
            errors.setdefault(check.field, []).append(f"{check.label}: {check.detail}")
        return errors


@dataclass(frozen=True)
class YearBasis:
    """What the checks of one year read: its rules and its indicator catalogue."""

    rules: SubmissionRules
    indicators: tuple[Indicator, ...]

    @property
    def mandatory(self) -> list[Indicator]:
        return [indicator for indicator in self.indicators if indicator.mandatory]

    @property
    def sources(self) -> tuple[str, ...]:
        found = [self.rules.source] + [indicator.source for indicator in self.indicators]
        return tuple(dict.fromkeys(source.citation for source in found if source))


def year_basis(year: int) -> YearBasis:
    """The year's rules (the model's defaults when the admins set none) and indicators."""
    rules = SubmissionRules.objects.filter(year=year).select_related(
        "source"
    ).first() or SubmissionRules(year=year)
    indicators = tuple(Indicator.objects.filter(year=year).select_related("source"))
    return YearBasis(rules=rules, indicators=indicators)


def _date(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _implementation(innovation: Innovation, rules: SubmissionRules) -> Check:
    label = _("Waktu penerapan dalam jendela kelayakan")
    day = innovation.implementation_date
    if day is None:
        return Check("implementation_date", label, False, _("Waktu penerapan belum diisi."))
    start, end = rules.implemented_from, rules.implemented_until
    if start and day < start:
        return Check(
            "implementation_date",
            label,
            False,
            _("Diterapkan %(day)s, sebelum %(start)s: tidak diterima tahun %(year)d.")
            % {"day": _date(day), "start": _date(start), "year": rules.year},
        )
    if end and day > end:
        return Check(
            "implementation_date",
            label,
            False,
            _("Diterapkan %(day)s, setelah %(end)s.") % {"day": _date(day), "end": _date(end)},
        )
    return Check("implementation_date", label, True, _date(day))


def _reports(innovation: Innovation, rules: SubmissionRules) -> list[Check]:
    checks = []
    limit = rules.max_reports
    times = innovation.reported_before + 1
    if limit is not None:
        checks.append(
            Check(
                "reported_before",
                _("Batas berapa kali dilaporkan"),
                times <= limit,
                _("Pelaporan ke-%(n)d dari paling banyak %(limit)d.")
                % {"n": times, "limit": limit},
            )
        )
    if innovation.reported_before:
        described = bool(innovation.perkembangan.strip())
        checks.append(
            Check(
                "perkembangan",
                _("Perkembangan inovasi sejak laporan sebelumnya"),
                described,
                "" if described else _("Wajib diisi untuk inovasi yang pernah dilaporkan."),
            )
        )
    return checks


def _rancang_bangun(innovation: Innovation, rules: SubmissionRules) -> list[Check]:
    words = innovation.section_words()
    checks = [
        Check(
            name,
            Innovation.field_label(name).capitalize(),
            words[name] >= rules.min_section_words,
            _("%(n)d dari minimal %(min)d kata.")
            % {"n": words[name], "min": rules.min_section_words},
        )
        for name in RANCANG_BANGUN_SECTIONS
    ]
    total = sum(words.values())
    checks.append(
        Check(
            "rancang_bangun",
            _("Rancang bangun seluruhnya"),
            total >= rules.min_words,
            _("%(n)d dari minimal %(min)d kata.") % {"n": total, "min": rules.min_words},
        )
    )
    return checks


def _filled(innovation: Innovation) -> list[Check]:
    checks = []
    for name in ("tujuan", "manfaat", "hasil"):
        ok = bool(getattr(innovation, name).strip())
        label = Innovation.field_label(name).capitalize()
        checks.append(Check(name, label, ok, "" if ok else _("Belum diisi.")))
    located = innovation.latitude is not None and innovation.longitude is not None
    checks.append(
        Check(
            "latitude",
            _("Koordinat lokasi"),
            located,
            f"{innovation.latitude}, {innovation.longitude}" if located else _("Belum diisi."),
        )
    )
    priorities = list(innovation.priorities.all())
    checks.append(
        Check(
            "priorities",
            _("Keterkaitan dengan prioritas nasional"),
            bool(priorities),
            ", ".join(str(p) for p in priorities) if priorities else _("Pilih minimal satu."),
        )
    )
    repeated = [u for u in innovation.related_urusan.all() if u.pk == innovation.main_urusan_id]
    checks.append(
        Check(
            "related_urusan",
            _("Urusan utama tidak diulang di urusan terkait"),
            not repeated,
            _("Hapus %(name)s dari urusan terkait.") % {"name": repeated[0]} if repeated else "",
        )
    )
    return checks


def _evidence(innovation: Innovation, basis: YearBasis) -> list[Check]:
    by_indicator: dict[int, list[EvidenceItem]] = {}
    for item in innovation.evidence.all():
        by_indicator.setdefault(item.indicator_id, []).append(item)
    checks = []
    for indicator in basis.mandatory:
        items = by_indicator.get(indicator.pk, [])
        usable = [item for item in items if item.file or item.link]
        if usable:
            chosen = max(item.parameter for item in usable)
            detail = _("Parameter %(p)d: %(meaning)s") % {
                "p": chosen,
                "meaning": indicator.parameter_meaning(chosen),
            }
        elif indicator.accepts_link:
            detail = _("Unggah berkas atau isi tautan (video).")
        else:
            detail = _("Belum ada data dukung.")
        checks.append(
            Check(
                "evidence",
                _("Data dukung indikator %(indicator)s") % {"indicator": indicator},
                bool(usable),
                detail,
            )
        )
    checks += _consistency(innovation, basis, by_indicator)
    return checks


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + (end.day >= start.day) - 1


def _consistency(
    innovation: Innovation, basis: YearBasis, by_indicator: dict[int, list[EvidenceItem]]
) -> list[Check]:
    """Hints where a chosen parameter counts something the profile states too."""
    checks = []
    for indicator in basis.indicators:
        items = by_indicator.get(indicator.pk)
        if indicator.measure == Measure.REPLICATIONS and indicator.parameter_bounds:
            checks += _replications(innovation, indicator, items or [])
            continue
        if not items or not indicator.measure or not indicator.parameter_bounds:
            continue
        value: int | None = None
        if indicator.measure == Measure.BENEFICIARIES:
            value = innovation.report_beneficiaries
            stated = _("%(n)s penerima manfaat dilaporkan") % {"n": value}
        elif innovation.trial_date and innovation.implementation_date:
            value = max(_months(innovation.trial_date, innovation.implementation_date), 1)
            stated = _("%(n)d bulan dari uji coba sampai penerapan") % {"n": value}
        if value is None:
            continue
        expected = indicator.parameter_for(value)
        chosen = max(item.parameter for item in items)
        checks.append(
            Check(
                "evidence",
                _("Kesesuaian indikator %(indicator)s") % {"indicator": indicator},
                expected is None or expected == chosen,
                _("Dipilih parameter %(chosen)d; %(stated)s sesuai parameter %(expected)s.")
                % {"chosen": chosen, "stated": stated, "expected": expected or "-"},
                blocking=False,
            )
        )
    return checks


def _replications(
    innovation: Innovation, indicator: Indicator, items: list[EvidenceItem]
) -> list[Check]:
    """A hint for the replication indicator (31): the parameter the replications recorded
    for the innovation suggest (the recognition app's records, read or prefetched here)."""
    count = len(innovation.replications.all())
    expected = indicator.parameter_for(count) if count else None
    chosen = max((item.parameter for item in items), default=None)
    if expected is None and chosen is None:
        return []
    stated = _("%(n)d replikasi tercatat") % {"n": count}
    if chosen is None:
        detail = _("Belum ada data dukung; %(stated)s sesuai parameter %(expected)s.") % {
            "stated": stated,
            "expected": expected,
        }
    else:
        detail = _("Dipilih parameter %(chosen)d; %(stated)s sesuai parameter %(expected)s.") % {
            "chosen": chosen,
            "stated": stated,
            "expected": expected or "-",
        }
    return [
        Check(
            "evidence",
            _("Kesesuaian indikator %(indicator)s") % {"indicator": indicator},
            chosen == expected,
            detail,
            blocking=False,
        )
    ]


def desk_check(innovation: Innovation, basis: YearBasis | None = None) -> DeskCheck:
    """The checklist of one case (its evidence, related urusan and priorities are read, or
    taken from a prefetch)."""
    basis = basis or year_basis(innovation.year)
    rules = basis.rules
    checks = [
        Check(
            "maturity",
            _("Tahapan sudah penerapan"),
            innovation.maturity == Maturity.PENERAPAN,
            innovation.get_maturity_display(),
        ),
        _implementation(innovation, rules),
        *_reports(innovation, rules),
        *_rancang_bangun(innovation, rules),
        *_filled(innovation),
        *_evidence(innovation, basis),
    ]
    return DeskCheck(checks=tuple(checks), sources=basis.sources)


def with_checked_relations(innovations: Iterable[Innovation]) -> None:
    """Prefetch what desk_check reads for many cases (four queries for any number)."""
    prefetch_related_objects(
        list(innovations),
        Prefetch("evidence", queryset=EvidenceItem.objects.select_related("indicator")),
        "related_urusan",
        "priorities",
        "replications",
    )
