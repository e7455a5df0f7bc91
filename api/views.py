"""API v1 endpoints: thin wrappers over the selectors and services.

Every write goes through a service (workflow.services for everything on a case); serializers
parse the input, and the services' ServiceErrors become HTTP answers in api.errors.
"""

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import params, throttle, tokens
from mentoring.models import (
    EvidenceItem,
    FollowUp,
    Indicator,
    Innovation,
    Membership,
    MentorAssignment,
    MentoringSession,
    Unit,
)
from mentoring.people import Actor, actor_for
from mentoring.profile import ProfileChanges
from mentoring.selectors import current_mentors
from workflow import deadlines, lifecycle, policy, selectors, services
from workflow.models import CaseEvent

from . import serializers as s
from .pagination import InnovationPagination

# The errors particular to some operations; api.schema adds those every operation can give.
ERRORS = {
    code: OpenApiResponse(s.ErrorSerializer, description=text)
    for code, text in {
        409: "Not possible in the case's current stage, or a concurrent move won.",
        429: "Too many failed logins: wait `Retry-After` seconds.",
    }.items()
}


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def innovation_queryset():
    """What one innovation's representation reads, in a fixed number of queries."""
    qs = Innovation.objects.select_related("unit", "main_urusan", "created_by")
    return deadlines.with_deadline(qs).prefetch_related("related_urusan", "priorities")


def visible_innovation(request, pk: int, queryset=None) -> Innovation:
    """The case, or 404 when it does not exist and 403 when the caller may not see it."""
    innovation = (queryset if queryset is not None else innovation_queryset()).get(pk=pk)
    if not policy.can_view(actor_for(request.user), innovation):
        raise PermissionDenied(_("Anda tidak memiliki akses ke inovasi ini."))
    return innovation


class ActorContextMixin(generics.GenericAPIView):
    """Serializers see the caller as `actor` (the actions they may take on a case)."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": actor_for(self.request.user)}


# --- auth and the caller ----------------------------------------------------------------------


class TokenView(generics.GenericAPIView):
    """Exchange a username and password for an API token (`Authorization: Bearer <token>`)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = s.TokenRequestSerializer

    @extend_schema(responses={200: s.TokenSerializer, **errors(409, 429)}, auth=[])
    def post(self, request):
        """A new token, valid for the configured days; after repeated wrong passwords the
        account and the address wait (429 with Retry-After)."""
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # A locked-out login fails validation too; the lockout is the answer that matters.
            throttle.refuse_if_locked_out(request)
            raise
        user = serializer.validated_data["user"]
        token, raw = tokens.issue_token(user=user)
        # A login like the web's: last_login is kept, and the account's failures are reset.
        user_logged_in.send(sender=type(user), request=request, user=user)
        return Response({"token": raw, "token_key": token.token_key, "expiry": token.expiry})


class TokenListView(APIView):
    """The caller's working API tokens; DELETE revokes them all (every integration logs out)."""

    @extend_schema(responses={200: s.TokenInfoSerializer(many=True)})
    def get(self, request):
        rows = tokens.active_tokens(user=request.user)
        return Response(s.TokenInfoSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(operation_id="v1_auth_tokens_revoke_all", responses={204: None})
    def delete(self, request):
        tokens.revoke_tokens(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetailView(APIView):
    """Revoke one of the caller's tokens by its token_key (the current one logs this client out);
    sockets opened with it close."""

    @extend_schema(operation_id="v1_auth_tokens_revoke", responses={204: None})
    def delete(self, request, token_key: str):
        if not tokens.revoke_tokens(user=request.user, token_key=token_key):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The caller: roles, the units they head or operate, their mentor assignments."""

    @extend_schema(responses={200: s.MeSerializer})
    def get(self, request):
        user = request.user
        actor = actor_for(user)
        memberships = Membership.objects.filter(user=user).select_related("unit")
        assignments = (
            MentorAssignment.objects.filter(mentor=user)
            .select_related("unit")
            .order_by("-year", "unit__name")
        )
        data = {
            "username": user.get_username(),
            "full_name": s.full_name(user),
            "roles": sorted(actor.roles),
            "head_of": sorted(
                m.unit.code for m in memberships if m.position == Membership.Position.HEAD
            ),
            "operator_of": sorted(
                m.unit.code for m in memberships if m.position == Membership.Position.OPERATOR
            ),
            "mentor_assignments": assignments,
        }
        return Response(s.MeSerializer(data).data)


# --- units ------------------------------------------------------------------------------------


class UnitListView(generics.ListAPIView):
    """Organisation units (OPD, kecamatan, puskesmas, ...)."""

    serializer_class = s.UnitSerializer
    queryset = Unit.objects.order_by("name", "code")


def _year_param(request) -> int:
    raw = request.query_params.get("year")
    if raw is None or raw == "":
        return timezone.localdate().year
    year = params.year(raw)
    if year is None:
        raise ValidationError({"year": [str(params.YEAR_ERROR)]})
    return year


@dataclass(frozen=True)
class UnitDetail:
    unit: Unit
    year: int
    head: User | None
    operators: list[User]
    mentors: list[MentorAssignment]


class UnitDetailView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="Programme year of the mentors (default: this year)."
            )
        ],
        responses={200: s.UnitDetailSerializer},
    )
    def get(self, request, code: str):
        """A unit with its head, operators and the mentors of the programme year."""
        unit = get_object_or_404(Unit, code=code)
        year = _year_param(request)
        members = list(unit.memberships.select_related("user").order_by("user__username"))
        detail = UnitDetail(
            unit=unit,
            year=year,
            head=next((m.user for m in members if m.position == Membership.Position.HEAD), None),
            operators=[m.user for m in members if m.position == Membership.Position.OPERATOR],
            mentors=current_mentors(unit=unit, year=year),
        )
        return Response(s.UnitDetailSerializer(detail).data)


# --- innovations ------------------------------------------------------------------------------

LIST_PARAMETERS = [
    OpenApiParameter("stage", str, description="Stage code; several separated by commas."),
    OpenApiParameter("unit", str, description="Unit code."),
    OpenApiParameter("year", int, description="Programme year."),
    OpenApiParameter("mentor", str, description="Mentor username (cases of their units)."),
    OpenApiParameter(
        "q",
        str,
        description="Words to search for in the name, unit, tujuan, manfaat, hasil and rancang "
        "bangun (PostgreSQL full-text search; a substring match on SQLite).",
    ),
    OpenApiParameter("awaiting", str, description="Who the case waits for (opd, head, ...)."),
    OpenApiParameter(
        "overdue",
        bool,
        description="true: only overdue cases (a working day after their due date has come); "
        "false: only cases not overdue (those due today included).",
    ),
    OpenApiParameter(
        "due_before",
        str,
        description="YYYY-MM-DD: cases whose current stage's due date (its last working day to "
        "act) is before this date, the date itself excluded.",
    ),
]


def default_unit(actor: Actor) -> Unit:
    """The caller's unit when they work in exactly one; otherwise they must name it."""
    units = sorted(actor.own_units)
    if len(units) != 1:
        raise ValidationError(
            {"unit": [_("Sebutkan kode unit: Anda tidak bekerja tepat di satu unit.")]}
        )
    return Unit.objects.get(pk=units[0])


class InnovationListView(ActorContextMixin, generics.ListCreateAPIView):
    serializer_class = s.InnovationSerializer
    pagination_class = InnovationPagination

    def get_queryset(self):
        return selectors.innovation_list(
            user=self.request.user, params=self.request.query_params
        ).select_related("created_by")

    def paginate_queryset(self, queryset):
        # Prefetched once for the page's rows, however many queries the page took to read.
        rows = super().paginate_queryset(queryset) or []
        prefetch_related_objects(rows, "related_urusan", "priorities")
        return rows

    @extend_schema(parameters=LIST_PARAMETERS, responses={200: s.InnovationSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        """Innovations the caller may see, newest year first, filtered and paginated: by
        `page` number (with the exact `count`; slow deep in a large list) or, at any depth,
        by position (`after`, the `next` link's; `count` is then null)."""
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: s.InnovationSerializer})
    def post(self, request, *args, **kwargs):
        """Propose a new innovation: opens its case in the proposal stage."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = dict(serializer.validated_data)
        unit = profile.pop("unit", None) or default_unit(actor_for(request.user))
        year = profile.pop("year", None) or timezone.localdate().year
        result = services.create_innovation(
            user=request.user, unit=unit, year=year, profile=cast(ProfileChanges, profile)
        )
        innovation = innovation_queryset().get(pk=result.innovation.pk)
        return Response(
            self.get_serializer(innovation).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"{innovation.pk}/")},
        )


class InnovationDetailView(ActorContextMixin, generics.GenericAPIView):
    serializer_class = s.InnovationSerializer

    @extend_schema(responses={200: s.InnovationSerializer})
    def get(self, request, pk: int):
        """One innovation case."""
        return Response(self.get_serializer(visible_innovation(request, pk)).data)

    @extend_schema(
        request=s.InnovationUpdateSerializer,
        responses={200: s.InnovationSerializer},
    )
    def patch(self, request, pk: int):
        """Change profile or report fields the caller may edit in the current stage."""
        innovation = visible_innovation(request, pk)
        if not policy.editable_fields(actor_for(request.user), innovation):
            raise PermissionDenied(_("Anda tidak dapat mengubah inovasi ini pada tahap sekarang."))
        serializer = s.InnovationUpdateSerializer(
            innovation, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.update_innovation(
            user=request.user,
            innovation_id=pk,
            changes=cast(ProfileChanges, dict(serializer.validated_data)),
        )
        return Response(self.get_serializer(innovation_queryset().get(pk=pk)).data)


class ContinueView(ActorContextMixin, generics.GenericAPIView):
    serializer_class = s.ContinueRequestSerializer

    @extend_schema(request=s.ContinueRequestSerializer, responses={201: s.InnovationSerializer})
    def post(self, request, pk: int):
        """Continue a closed case's innovation into a later year (default: the next): opens
        that year's case with the profile carried over. 400 naming the field when the case is
        not closed (`stage`), the perkembangan is blank (`perkembangan`), or the year is not
        later, has no rules or SLA, is beyond the yearly report limit or the case was already
        continued (`year`); nothing is written then."""
        previous = visible_innovation(request, pk, Innovation.objects.all())
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.continue_innovation(
            user=request.user,
            innovation_id=previous.pk,
            year=serializer.validated_data.get("year") or previous.year + 1,
            perkembangan=serializer.validated_data["perkembangan"],
        )
        innovation = innovation_queryset().get(pk=result.innovation.pk)
        return Response(
            s.InnovationSerializer(innovation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": request.build_absolute_uri(
                    reverse("api:innovation-detail", args=[innovation.pk])
                )
            },
        )


def _action_item(move: lifecycle.Transition) -> dict:
    return {
        "name": move.action.value,
        "label": str(move.action.label),
        "comment_required": move.comment_required,
    }


class ActionListView(APIView):
    @extend_schema(responses={200: s.ActionSerializer(many=True)})
    def get(self, request, pk: int):
        """The actions the caller may take on the case now."""
        innovation = visible_innovation(request, pk, Innovation.objects.all())
        moves = policy.allowed_transitions(actor_for(request.user), innovation)
        return Response(s.ActionSerializer([_action_item(m) for m in moves], many=True).data)


class ActionView(generics.GenericAPIView):
    serializer_class = s.ActionRequestSerializer

    @extend_schema(
        request=s.ActionRequestSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                location=OpenApiParameter.HEADER,
                description="Any unique string (a UUID) per intended action: a retry with the "
                "same key after a lost answer returns the original event (header "
                "`Idempotent-Replayed: true`) instead of acting again.",
            )
        ],
        responses={200: s.ActionResultSerializer, **errors(409)},
    )
    def post(self, request, pk: int, name: str):
        """Take an action (submit, approve, return, complete, accept, close, reject, withdraw)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.perform_action(
            user=request.user,
            innovation_id=pk,
            action=name,
            comment=serializer.validated_data["comment"],
            precondition=services.Precondition(
                expected_stage=serializer.validated_data.get("expected_stage", ""),
                key=request.headers.get("Idempotency-Key", ""),
            ),
        )
        context = {**self.get_serializer_context(), "actor": actor_for(request.user)}
        body = {"innovation": innovation_queryset().get(pk=pk), "event": result.event}
        headers = {"Idempotent-Replayed": "true"} if result.replayed else None
        return Response(s.ActionResultSerializer(body, context=context).data, headers=headers)


class HistoryView(generics.ListAPIView):
    """The case's history, oldest first."""

    serializer_class = s.CaseEventSerializer
    pagination_class = None

    def get_queryset(self):
        innovation = visible_innovation(self.request, self.kwargs["pk"], Innovation.objects.all())
        return CaseEvent.objects.filter(innovation=innovation).select_related(
            "actor", "on_behalf_of"
        )


class SessionListView(generics.ListCreateAPIView):
    serializer_class = s.MentoringSessionSerializer
    pagination_class = None

    def get_queryset(self):
        innovation = visible_innovation(self.request, self.kwargs["pk"], Innovation.objects.all())
        return (
            MentoringSession.objects.filter(innovation=innovation)
            .select_related("mentor")
            .prefetch_related(
                Prefetch("follow_ups", FollowUp.objects.order_by("due_date", "id")),
                "attendees",
                "files",
            )
        )

    @extend_schema(responses={200: s.MentoringSessionSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        """The case's mentoring sessions with their follow-up items, newest first."""
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: s.MentoringSessionSerializer, **errors(409)})
    def post(self, request, pk: int):
        """Log a mentoring session (the unit's mentor, in mentoring or packaging)."""
        visible_innovation(request, pk, Innovation.objects.all())
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        session = services.log_session(
            user=request.user,
            innovation_id=pk,
            date=data["date"],
            mode=data["mode"],
            topic=data["topic"],
            notes=data.get("notes", ""),
            follow_ups=[
                services.FollowUpInput(description=item["description"], due_date=item["due_date"])
                for item in data.get("follow_ups", [])
            ],
            attendees=[
                services.AttendeeInput(name=item["name"], role=item.get("role", ""))
                for item in data.get("attendees", [])
            ],
        )
        session = self.get_queryset().get(pk=session.pk)
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)


class FollowUpDetailView(generics.GenericAPIView):
    serializer_class = s.FollowUpDoneSerializer

    @extend_schema(request=s.FollowUpDoneSerializer, responses={200: s.FollowUpSerializer})
    def patch(self, request, pk: int):
        """Mark a session's follow-up item done (`{"done": true}`) or open again
        (`{"done": false}`): the case's mentor or the unit's own people."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        follow_up = services.set_follow_up_done(
            user=request.user, follow_up_id=pk, done=serializer.validated_data["done"]
        )
        return Response(s.FollowUpSerializer(follow_up).data)


class EvidenceListView(generics.ListCreateAPIView):
    serializer_class = s.EvidenceItemSerializer
    pagination_class = None
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        innovation = visible_innovation(self.request, self.kwargs["pk"], Innovation.objects.all())
        return EvidenceItem.objects.filter(innovation=innovation).select_related(
            "indicator", "uploaded_by", "reviewed_by"
        )

    @extend_schema(responses={200: s.EvidenceItemSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        """The case's evidence items (data dukung) with their review state."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        responses={201: s.EvidenceItemSerializer},
    )
    def post(self, request, pk: int):
        """Upload one evidence file for an indicator (the unit, in packaging)."""
        innovation = visible_innovation(request, pk, Innovation.objects.all())
        serializer = s.EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        indicator_id = (
            Indicator.objects.filter(year=innovation.year, number=data["indicator"])
            .values_list("pk", flat=True)
            .first()
        )
        if indicator_id is None:
            raise ValidationError(
                {
                    "indicator": [
                        _("Indikator nomor %(n)d tidak ada untuk tahun %(year)d.")
                        % {"n": data["indicator"], "year": innovation.year}
                    ]
                }
            )
        item = services.add_evidence(
            user=request.user,
            innovation_id=pk,
            indicator_id=indicator_id,
            parameter=data["parameter"],
            upload=data.get("file"),
            link=data["link"],
            description=data["description"],
        )
        item = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)


class EvidenceReviewView(generics.GenericAPIView):
    serializer_class = s.EvidenceReviewSerializer

    @extend_schema(
        request=s.EvidenceReviewSerializer,
        responses={200: s.EvidenceItemSerializer},
    )
    def post(self, request, pk: int):
        """Mark an evidence item valid or invalid (a verifier who did not mentor the case)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.review_evidence(
            user=request.user,
            evidence_id=pk,
            valid=serializer.validated_data["valid"],
            note=serializer.validated_data["note"],
            verified_parameter=serializer.validated_data["verified_parameter"],
        )
        item = EvidenceItem.objects.select_related("indicator", "uploaded_by", "reviewed_by").get(
            pk=pk
        )
        return Response(s.EvidenceItemSerializer(item, context={"request": request}).data)
