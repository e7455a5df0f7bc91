"""The demo's content, read from the TOML files in demo/data/ (each once) into frozen dataclasses.

units.toml (the organisation), people.toml (names), ideas.toml (each unit's innovations),
texts.toml (profile, session and comment templates), plan.toml (where the cases end up, the
cases the README promises, the innovations continued into the next year, the evidence) and
recognition.toml (replications, awards, HKI filings and the inovasi unggulan). Only the standard
library: the files are checked here for shape, and by tests/demo for their codes.
"""

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

DATA_DIR = Path(__file__).resolve().parent / "data"
RecordT = TypeVar("RecordT")


class ContentError(ValueError):
    """A data file does not have the expected shape."""


@dataclass(frozen=True)
class UnitRow:
    """One organisation unit; `category` (Pekan Inovasi) for the proposers beyond the offices."""

    code: str
    name: str
    kind: str
    category: str = ""


@dataclass(frozen=True)
class Units:
    opds: tuple[UnitRow, ...]
    kecamatan: tuple[str, ...]
    others: tuple[UnitRow, ...]
    # Schools, BUMDes and community groups: Kukar's Pekan Inovasi proposers.
    community: tuple[UnitRow, ...] = ()

    @property
    def rows(self) -> tuple[UnitRow, ...]:
        """Every unit, in creation order: the OPDs, the kecamatan, the others, then the
        proposers beyond the offices."""
        kecamatan = tuple(
            UnitRow(code=kecamatan_code(k), name=f"Kecamatan {k}", kind="kecamatan")
            for k in self.kecamatan
        )
        return self.opds + kecamatan + self.others + self.community


def kecamatan_code(name: str) -> str:
    return "kec-" + name.lower().replace(" ", "-")


@dataclass(frozen=True)
class People:
    admin: str
    observer: str
    first_names_male: tuple[str, ...]
    first_names_female: tuple[str, ...]
    last_names: tuple[str, ...]
    head_prefixes: tuple[str, ...]
    head_suffixes: tuple[str, ...]
    # Codes of the units whose head also observes every unit (the inspectorate).
    observing_heads: tuple[str, ...]


@dataclass(frozen=True)
class Idea:
    """One unit's innovation: name, main and related urusan, digital or not, the problem, the
    fix, who benefits."""

    name: str
    urusan: str
    jenis: str
    masalah: str
    solusi: str
    sasaran: str
    related: tuple[str, ...] = ()
    bentuk: str = "pelayanan_publik"


@dataclass(frozen=True)
class Ideas:
    by_unit: Mapping[str, tuple[Idea, ...]]

    def all(self) -> list[Idea]:
        return [idea for ideas in self.by_unit.values() for idea in ideas]


@dataclass(frozen=True)
class Section:
    """One section of the rancang bangun: a title and its sentence templates."""

    title: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class SessionTopic:
    topic: str
    mode: str


@dataclass(frozen=True)
class Texts:
    dasar_hukum: tuple[str, ...]
    tujuan: tuple[str, ...]
    manfaat: tuple[str, ...]
    hasil: tuple[str, ...]
    report_results: str
    rancang_bangun: tuple[Section, ...]
    session_notes: str
    session_topics: tuple[SessionTopic, ...]
    follow_ups: tuple[str, ...]
    proposal_returns: tuple[str, ...]
    packaging_returns: tuple[str, ...]
    invalid_evidence: tuple[str, ...]
    verification_return: str
    report_returns: tuple[str, ...]
    reject_reasons: tuple[str, ...]
    withdraw_reasons: tuple[str, ...]
    perkembangan: tuple[str, ...]  # a continued innovation's "perkembangan inovasi"


@dataclass(frozen=True)
class PinnedCase:
    """A case the README promises a demo account: in `unit`, or in a unit `mentor` leads."""

    year: int
    stage: str
    unit: str = ""
    mentor: str = ""


@dataclass(frozen=True)
class ContinuedCase:
    """An innovation continued from the first programme year into the next: the unit's case of
    the first year is closed (done), then continued and driven to `stage` in the next."""

    unit: str
    stage: str


@dataclass(frozen=True)
class Evidence:
    """What a packaged case uploads and what verification confirms."""

    optional: tuple[int, int]  # how many optional indicators get evidence (a range)
    parameter_weights: tuple[int, int, int]  # weights of parameters 1, 2 and 3
    lowered_percent: int  # valid items whose parameter the verifier confirms one lower


@dataclass(frozen=True)
class Plan:
    # (year, final stage) -> weight, in file order: the order feeds the seeded shuffles.
    stage_weights: Mapping[tuple[int, str], int]
    spd_scores: Mapping[int, str]
    pinned: tuple[PinnedCase, ...]
    continued: tuple[ContinuedCase, ...]
    evidence: Evidence


# --- recognition.toml: each record names the unit and programme year of its case --------------


@dataclass(frozen=True)
class ReplicationRow:
    """A replication: by a unit of the regency (`by_unit`, a code) or an agency of another
    region (`region` and `replicator`)."""

    unit: str
    year: int
    date: dt.date
    by_unit: str = ""
    region: str = ""
    replicator: str = ""
    note: str = ""


@dataclass(frozen=True)
class AwardRow:
    """An award; `recorded_on` is when the unit recorded it (or, when its case was opened
    later, the next working day after)."""

    unit: str
    year: int
    level: str
    award_year: int
    name: str
    giver: str
    rank: str
    recorded_on: dt.date


@dataclass(frozen=True)
class HkiRow:
    unit: str
    year: int
    kind: str
    number: str
    status: str
    date: dt.date


@dataclass(frozen=True)
class FeaturedRow:
    """The inovasi unggulan of `year`: the unit's case of that year, presented on the date."""

    unit: str
    year: int
    presentation_date: dt.date
    picked_on: dt.date
    note: str = ""


@dataclass(frozen=True)
class Recognition:
    replications: tuple[ReplicationRow, ...]
    awards: tuple[AwardRow, ...]
    hki: tuple[HkiRow, ...]
    featured: tuple[FeaturedRow, ...]


# --- reading and checking --------------------------------------------------------------------


def _read(name: str) -> dict[str, Any]:
    path = DATA_DIR / name
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: {exc}") from exc


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected a table")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ContentError(f"{where}: expected a string")
    return value


def _items(value: object, where: str) -> list[object]:
    if not isinstance(value, list) or not value:
        raise ContentError(f"{where}: expected a non-empty list")
    return value


def _texts(value: object, where: str) -> tuple[str, ...]:
    return tuple(_text(item, where) for item in _items(value, where))


def _year(key: str, where: str) -> int:
    if not key.isdigit():
        raise ContentError(f"{where}: expected a year, not {key!r}")
    return int(key)


def _tables(value: object, where: str) -> list[dict[str, str]]:
    """A non-empty list of tables whose values are all strings."""
    tables = [_table(item, where) for item in _items(value, where)]
    for table in tables:
        for key, item in table.items():
            _text(item, f"{where}.{key}")
    return tables


def _unit_rows(value: object, where: str) -> tuple[UnitRow, ...]:
    try:
        return tuple(UnitRow(**table) for table in _tables(value, where))
    except TypeError as exc:  # a missing or unknown key
        raise ContentError(f"{where}: {exc}") from exc


def _ideas(value: object, where: str) -> tuple[Idea, ...]:
    ideas = []
    for table in (_table(item, where) for item in _items(value, where)):
        related = table.pop("related", [])
        if not isinstance(related, list):
            raise ContentError(f"{where}.related: expected a list")
        for key, item in [*table.items(), *(("related", r) for r in related)]:
            _text(item, f"{where}.{key}")
        try:
            ideas.append(Idea(**table, related=tuple(related)))
        except TypeError as exc:  # a missing or unknown key
            raise ContentError(f"{where}: {exc}") from exc
    return tuple(ideas)


def _records(value: object, where: str, cls: type[RecordT]) -> tuple[RecordT, ...]:
    """A non-empty list of tables, each one `cls` whose fields are str, int or dates."""
    types = {field.name: field.type for field in fields(cls)}  # type: ignore[arg-type]
    records = []
    for index, raw in enumerate(_items(value, where)):
        table = _table(raw, f"{where}[{index}]")
        for key, item in table.items():
            expected = types.get(key)
            # bool is an int, and a datetime a date: neither is what the file means.
            if expected is not None and (
                not isinstance(item, expected)  # type: ignore[arg-type]
                or isinstance(item, bool)
                or (expected is dt.date and isinstance(item, dt.datetime))
            ):
                name = getattr(expected, "__name__", str(expected))
                raise ContentError(f"{where}[{index}].{key}: expected {name}")
        try:
            records.append(cls(**table))
        except TypeError as exc:  # a missing or unknown key
            raise ContentError(f"{where}[{index}]: {exc}") from exc
    return tuple(records)


def _counts(value: object, where: str, size: int) -> tuple[int, ...]:
    items = _items(value, where)
    counts = tuple(n for n in items if isinstance(n, int) and not isinstance(n, bool) and n >= 0)
    if len(items) != size or len(counts) != size:
        raise ContentError(f"{where}: expected {size} counts")
    return counts


def _idea_groups(value: object, where: str) -> Mapping[str, tuple[Idea, ...]]:
    groups = _table(value, where)
    return MappingProxyType({key: _ideas(ideas, f"{where}.{key}") for key, ideas in groups.items()})


# --- the content, loaded once ----------------------------------------------------------------


@cache
def units() -> Units:
    data = _read("units.toml")
    return Units(
        opds=_unit_rows(data.get("opds"), "units.opds"),
        kecamatan=_texts(data.get("kecamatan"), "units.kecamatan"),
        others=_unit_rows(data.get("other_units"), "units.other_units"),
        community=_unit_rows(data.get("community_units"), "units.community_units"),
    )


@cache
def people() -> People:
    data = _read("people.toml")
    return People(
        admin=_text(data.get("admin"), "people.admin"),
        observer=_text(data.get("observer"), "people.observer"),
        first_names_male=_texts(data.get("first_names_male"), "people.first_names_male"),
        first_names_female=_texts(data.get("first_names_female"), "people.first_names_female"),
        last_names=_texts(data.get("last_names"), "people.last_names"),
        head_prefixes=_texts(data.get("head_prefixes"), "people.head_prefixes"),
        head_suffixes=_texts(data.get("head_suffixes"), "people.head_suffixes"),
        observing_heads=_texts(data.get("observing_heads"), "people.observing_heads"),
    )


@cache
def ideas() -> Ideas:
    data = _read("ideas.toml")
    return Ideas(by_unit=_idea_groups(data.get("unit", {}), "ideas.unit"))


@cache
def texts() -> Texts:
    data = _read("texts.toml")
    profile = _table(data.get("profile"), "texts.profile")
    mentoring = _table(data.get("mentoring"), "texts.mentoring")
    comments = _table(data.get("comments"), "texts.comments")
    continuation = _table(data.get("continuation"), "texts.continuation")

    def listed(table: dict[str, Any], section: str, key: str) -> tuple[str, ...]:
        return _texts(table.get(key), f"texts.{section}.{key}")

    def single(table: dict[str, Any], section: str, key: str) -> str:
        return _text(table.get(key), f"texts.{section}.{key}")

    sections = []
    raw_sections = _items(profile.get("rancang_bangun"), "texts.profile.rancang_bangun")
    for index, raw in enumerate(raw_sections):
        where = f"texts.profile.rancang_bangun[{index}]"
        section = _table(raw, where)
        sections.append(
            Section(
                title=_text(section.get("title"), f"{where}.title"),
                sentences=_texts(section.get("sentences"), f"{where}.sentences"),
            )
        )
    try:
        topics = tuple(
            SessionTopic(**table)
            for table in _tables(mentoring.get("topics"), "texts.mentoring.topics")
        )
    except TypeError as exc:
        raise ContentError(f"texts.mentoring.topics: {exc}") from exc
    return Texts(
        dasar_hukum=listed(profile, "profile", "dasar_hukum"),
        tujuan=listed(profile, "profile", "tujuan"),
        manfaat=listed(profile, "profile", "manfaat"),
        hasil=listed(profile, "profile", "hasil"),
        report_results=single(profile, "profile", "report_results"),
        rancang_bangun=tuple(sections),
        session_notes=single(mentoring, "mentoring", "session_notes"),
        session_topics=topics,
        follow_ups=listed(mentoring, "mentoring", "follow_ups"),
        proposal_returns=listed(comments, "comments", "proposal_returns"),
        packaging_returns=listed(comments, "comments", "packaging_returns"),
        invalid_evidence=listed(comments, "comments", "invalid_evidence"),
        verification_return=single(comments, "comments", "verification_return"),
        report_returns=listed(comments, "comments", "report_returns"),
        reject_reasons=listed(comments, "comments", "reject_reasons"),
        withdraw_reasons=listed(comments, "comments", "withdraw_reasons"),
        perkembangan=listed(continuation, "continuation", "perkembangan"),
    )


@cache
def plan() -> Plan:
    data = _read("plan.toml")
    weights: dict[tuple[int, str], int] = {}
    for year, stages in _table(data.get("stage_weights"), "plan.stage_weights").items():
        for stage, weight in _table(stages, f"plan.stage_weights.{year}").items():
            if type(weight) is not int or weight < 0:  # bool is an int too
                raise ContentError(f"plan.stage_weights.{year}.{stage}: expected a count")
            weights[(_year(year, "plan.stage_weights"), stage)] = weight
    scores = _table(data.get("spd_scores"), "plan.spd_scores")
    pinned = []
    for index, raw in enumerate(_items(data.get("pinned"), "plan.pinned")):
        where = f"plan.pinned[{index}]"
        table = dict(_table(raw, where))
        year = table.pop("year", None)
        if type(year) is not int:
            raise ContentError(f"{where}.year: expected a year")
        for key, item in table.items():
            _text(item, f"{where}.{key}")
        try:
            pinned.append(PinnedCase(year=year, **table))
        except TypeError as exc:
            raise ContentError(f"{where}: {exc}") from exc
    continued = _records(data.get("continued"), "plan.continued", ContinuedCase)
    evidence = _table(data.get("evidence"), "plan.evidence")
    low, high = _counts(evidence.get("optional"), "plan.evidence.optional", 2)
    chances = _counts(evidence.get("parameter_weights"), "plan.evidence.parameter_weights", 3)
    (lowered,) = _counts([evidence.get("lowered_percent")], "plan.evidence.lowered_percent", 1)
    return Plan(
        stage_weights=MappingProxyType(weights),
        spd_scores=MappingProxyType(
            {
                _year(year, "plan.spd_scores"): _text(score, f"plan.spd_scores.{year}")
                for year, score in scores.items()
            }
        ),
        pinned=tuple(pinned),
        continued=continued,
        evidence=Evidence(
            optional=(low, high),
            parameter_weights=(chances[0], chances[1], chances[2]),
            lowered_percent=lowered,
        ),
    )


@cache
def recognition() -> Recognition:
    data = _read("recognition.toml")
    return Recognition(
        replications=_records(data.get("replications"), "recognition.replications", ReplicationRow),
        awards=_records(data.get("awards"), "recognition.awards", AwardRow),
        hki=_records(data.get("hki"), "recognition.hki", HkiRow),
        featured=_records(data.get("featured"), "recognition.featured", FeaturedRow),
    )
