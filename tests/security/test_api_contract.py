"""Finding 11: the API breaks its own OpenAPI document. A contract test: schemathesis fuzzes every
operation of /api/openapi.json in-process, as real users with cases in several stages, and checks
each answer against the document (no 5xx; status code, content type, headers and body as
documented), then chains operations statefully through the links it infers from the responses.

Deterministic (derandomized Hypothesis, fixed seed) and bounded for CI; every request runs in a
savepoint rolled back afterwards, so each one sees the same data. The figures (cases per phase,
failures) are printed at the end: `pytest tests/security/test_api_contract.py -p no:xdist -s`.
"""

import collections
import zlib
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from api.serializers import InnovationSerializer
from mentoring.models import (
    EvidenceItem,
    FollowUp,
    Indicator,
    Membership,
    NationalPriority,
    Urusan,
)
from notifications.models import Notification
from tests.factories import PDF_BYTES, Org, advance, new_innovation

API = "/api/v1"
MAX_EXAMPLES = 25  # per operation, in the fuzzing phase
STATEFUL_SCENARIOS = 40
STATEFUL_STEPS = 6

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# A resource a scenario created stays readable; one it deleted stays gone.
STATEFUL_CHECKS = [*CHECKS, ensure_resource_availability, use_after_free]


@dataclass
class Stats:
    cases: collections.Counter = field(default_factory=collections.Counter)
    operations: set = field(default_factory=set)
    answered: collections.Counter = field(default_factory=collections.Counter)
    links: int = 0
    failures: int = 0


STATS = Stats()


class InProcessApp:
    """Django's WSGI handler without its per-request connection clean-up (Django's own test
    client drops it too): that would close the connection holding the test's transaction."""

    def __init__(self) -> None:
        self.handler = get_wsgi_application()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 11,
        "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {"stateful": {"max-steps": STATEFUL_STEPS}},
    }
)
# The document as served, loaded once at import (it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", InProcessApp(), config=CONFIG)
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # Some operations have few distinct inputs, and a request is slower than Hypothesis expects.
    suppress_health_check=list(HealthCheck),
)


# --- the data the fuzzer meets --------------------------------------------------------------------


@dataclass
class World:
    """Who calls, and the real values path parameters and references in bodies may take."""

    tokens: dict[str, str] = field(default_factory=dict)
    paths: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    references: dict[str, list] = field(default_factory=dict)


def build_world() -> World:
    org = Org()
    world = World()
    for role in ("admin", "operator", "head", "mentor", "verifier"):
        row, raw = AuthToken.objects.create(user=getattr(org, role))
        world.tokens[role] = raw
        if role == "admin":
            world.paths[(f"{API}/auth/tokens/{{token_key}}/", "token_key")] = [row.token_key]
    cases = [
        new_innovation(org),
        advance(org, new_innovation(org), "proposal_gate"),
        advance(org, new_innovation(org), "mentoring"),
        advance(org, new_innovation(org), "packaging"),
        advance(org, new_innovation(org), "verification"),
    ]
    ids = [str(case.pk) for case in cases]
    for path in (
        *("", "actions/", "actions/{name}/", "history/", "sessions/", "evidence/"),
        *("recognition/", "replications/", "awards/", "hki/"),
    ):
        world.paths[(f"{API}/innovations/{{id}}/{path}", "id")] = ids
    # Continue: a closed case of the year before (continued into this year, which has its
    # rules) and an open one (refused).
    earlier = Org(year=org.year - 1)
    Membership.objects.create(unit=earlier.unit, user=org.operator, position="operator")
    closed = advance(earlier, new_innovation(earlier), "done")
    world.paths[(f"{API}/innovations/{{id}}/continue/", "id")] = [str(closed.pk), ids[0]]
    world.paths[(f"{API}/evidence/{{id}}/review", "id")] = [
        str(pk) for pk in EvidenceItem.objects.order_by("pk").values_list("pk", flat=True)[:4]
    ]
    world.paths[(f"{API}/units/{{code}}/", "code")] = [org.unit.code]
    world.paths[(f"{API}/follow-ups/{{id}}/", "id")] = [
        str(pk) for pk in FollowUp.objects.order_by("pk").values_list("pk", flat=True)[:2]
    ]
    urusan = list(Urusan.objects.order_by("code").values_list("code", flat=True)[:3])
    priorities = list(
        NationalPriority.objects.filter(year=org.year).order_by("pk").values_list("pk", flat=True)
    )
    notifications = list(
        Notification.objects.filter(recipient=org.admin).order_by("pk").values_list("pk", flat=True)
    )
    world.references = {
        "unit": [org.unit.code],
        "main_urusan": urusan,
        "related_urusan": [[], urusan[:1], urusan[1:3]],
        "priorities": [[], priorities[:1]],
        "indicator": list(
            Indicator.objects.filter(year=org.year)
            .order_by("number")
            .values_list("number", flat=True)
        )[:3],
        "ids": [notifications[:1], notifications[:3]] if notifications else [],
        # An upload that passes the content check, and a login that succeeds.
        "file": [PDF_BYTES],
        "username": [org.operator.username],
        "password": ["rahasia123"],
        "perkembangan": ["Layanan kini menjangkau 12 desa baru dan terhubung ke kecamatan."],
    }
    return world


# Who makes each call: the role that can succeed, so that success answers are checked too.
ROLE_FOR = {
    ("POST", f"{API}/innovations/"): "operator",
    ("PATCH", f"{API}/innovations/{{id}}/"): "operator",
    ("POST", f"{API}/innovations/{{id}}/sessions/"): "mentor",
    ("POST", f"{API}/innovations/{{id}}/evidence/"): "operator",
    ("POST", f"{API}/evidence/{{id}}/review"): "verifier",
    ("PATCH", f"{API}/follow-ups/{{id}}/"): "mentor",
    ("POST", f"{API}/innovations/{{id}}/continue/"): "operator",
    ("POST", f"{API}/innovations/{{id}}/replications/"): "operator",
    ("POST", f"{API}/innovations/{{id}}/awards/"): "operator",
    ("POST", f"{API}/innovations/{{id}}/hki/"): "operator",
}
ROLE_FOR_ACTION = {
    "submit": "operator",
    "withdraw": "operator",
    "approve": "head",
    "return": "head",
    "complete": "mentor",
    "accept": "verifier",
    "reject": "verifier",
    "close": "admin",
}


def pick(options: list, generated, name: str, seed: str) -> object:
    """One of the real options or the generated value itself, chosen by the whole generated
    case: deterministic, and spread over the options as the generator varies its cases."""
    index = zlib.crc32(f"{name}:{seed}".encode()) % (len(options) + 1)
    return options[index] if index < len(options) else generated


def generated_valid(case, location: ParameterLocation) -> bool:
    info = case.meta.components.get(location) if case.meta is not None else None
    return info is None or not info.mode.is_negative


def prepare(case, world: World) -> dict:
    """Point the schema-valid parts of a case at real objects (a negated body then reaches the
    body's validation, not a 404); the headers to call with."""
    seed = repr((case.path_parameters, case.query, case.body))
    if generated_valid(case, ParameterLocation.PATH):
        case.path_parameters = {
            name: pick(options, value, name, seed)
            if (options := world.paths.get((case.path, name)))
            else value
            for name, value in case.path_parameters.items()
        }
    if generated_valid(case, ParameterLocation.BODY) and isinstance(case.body, dict):
        case.body = {
            name: pick(options, value, name, seed)
            if (options := world.references.get(name))
            else value
            for name, value in case.body.items()
        }
    role = ROLE_FOR.get((case.method.upper(), case.path), "admin")
    if case.path.endswith("/actions/{name}/"):
        role = ROLE_FOR_ACTION.get(str(case.path_parameters.get("name")), role)
    return {"Authorization": f"Bearer {world.tokens[role]}"}


def record(case) -> None:
    phase = case.meta.phase.name.value if case.meta is not None else "explicit"
    STATS.cases[phase] += 1
    STATS.operations.add(f"{case.method.upper()} {case.path}")


def validate(case, response, checks, **kwargs) -> None:
    STATS.answered[(f"{case.method.upper()} {case.path}", response.status_code)] += 1
    try:
        case.validate_response(response, checks=checks, **kwargs)
    except BaseException:  # schemathesis reports failures as an exception group
        STATS.failures += 1
        raise


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="module", autouse=True)
def report_figures(request):
    yield
    documented = {f"{op.method.upper()} {op.path}" for op in _operations()}
    lines = [
        f"API contract: {len(documented)} operations, "
        f"{len(STATS.operations & documented)} exercised; cases per phase: "
        + ", ".join(f"{phase} {n}" for phase, n in sorted(STATS.cases.items()))
        + f"; {sum(STATS.cases.values())} in all; links followed in the stateful phase: "
        f"{STATS.links} inferred; failures: {STATS.failures}"
    ]
    succeeded = {operation for operation, status in STATS.answered if status < 300}
    if never := sorted((STATS.operations & documented) - succeeded):
        lines.append("API contract: no success answer checked for " + ", ".join(never))
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if reporter is None or capture is None:  # an xdist worker: no terminal of its own
        print(*lines, sep="\n")
        return
    with capture.global_and_fixture_disabled():
        for line in lines:
            reporter.write_line(line)


def _operations():
    return [result.ok() for result in schema.get_all_operations()]


# --- examples, coverage and fuzzing phases, one test per operation --------------------------------


@schema.parametrize()
@SETTINGS
@pytest.mark.django_db
def test_every_operation_answers_as_documented(case, world):
    headers = prepare(case, world)
    record(case)
    with transaction.atomic():
        try:
            response = case.call(headers=headers)
            validate(case, response, CHECKS, headers=headers)
        finally:
            transaction.set_rollback(True)


# --- stateful phase: operations chained through the links inferred from responses ----------------


@pytest.mark.django_db
def test_chained_operations_answer_as_documented(world):
    class Scenario(schema.as_state_machine()):
        def setup(self):
            # Each scenario starts from the same data: its writes are rolled back at the end.
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            record(case)
            return {"headers": prepare(case, world)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            validate(case, response, STATEFUL_CHECKS, transport_kwargs=kwargs or None)

    STATS.links = schema.statistic.transitions.total
    assert STATS.links, "no links between operations: the stateful phase would test nothing"
    Scenario.run(
        settings=settings(
            SETTINGS, max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS
        )
    )


# --- the check itself ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_that_breaks_the_document_fails_the_check(world, monkeypatch):
    """The checks above are live: an innovation without its documented `unit` (finding 11's
    `unit_detail`, the other way round) is caught."""
    shown = InnovationSerializer.to_representation
    monkeypatch.setattr(
        InnovationSerializer,
        "to_representation",
        lambda self, instance: {k: v for k, v in shown(self, instance).items() if k != "unit"},
    )
    path = f"{API}/innovations/{{id}}/"
    case = schema[path]["GET"].Case(path_parameters={"id": world.paths[(path, "id")][0]})
    response = case.call(headers=prepare(case, world))
    assert response.status_code == 200
    with pytest.raises(FailureGroup) as caught:
        case.validate_response(response, checks=CHECKS)
    messages = [failure.message for failure in caught.value.exceptions]
    assert any('"unit" is a required property' in message for message in messages), messages
