"""Request validation and response shapes of API v1; no business rules live here."""

from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentoring.models import (
    RANCANG_BANGUN_SECTIONS,
    EvidenceItem,
    FollowUp,
    Innovation,
    MentoringSession,
    NationalPriority,
    SessionAttendee,
    SessionFile,
    Stage,
    Unit,
    Urusan,
)
from workflow import deadlines, policy
from workflow.models import CaseEvent

User = get_user_model()


def full_name(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.SerializerMethodField()

    def get_full_name(self, user) -> str:
        return full_name(user)


# --- auth -------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                {"password": [_("Nama pengguna atau kata sandi salah.")]}
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: only its digest is stored.")
    token_key = serializers.CharField(help_text="Its first characters: names it to revoke it.")
    expiry = serializers.DateTimeField()


class TokenInfoSerializer(serializers.Serializer):
    token_key = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        """True for the token this request was made with."""
        request = self.context["request"]
        return token.pk == getattr(request.auth, "pk", None)


class MentorAssignmentSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    year = serializers.IntegerField()
    is_lead = serializers.BooleanField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    head_of = serializers.ListField(child=serializers.CharField(), help_text="Unit codes.")
    operator_of = serializers.ListField(child=serializers.CharField(), help_text="Unit codes.")
    mentor_assignments = MentorAssignmentSerializer(many=True)


# --- units ------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    category = serializers.CharField(
        read_only=True,
        help_text="Pekan Inovasi category of a proposer beyond the offices (school, BUMDes, "
        "community group); empty for an office.",
    )
    is_office = serializers.BooleanField(
        read_only=True,
        help_text="A government office: counts for the regent's target and the national IID.",
    )

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "kind_label", "category", "is_office"]


class UnitMentorSerializer(PersonSerializer):
    username = serializers.CharField(source="mentor.username")
    is_lead = serializers.BooleanField()

    def get_full_name(self, assignment) -> str:
        return full_name(assignment.mentor)


class UnitDetailSerializer(serializers.Serializer):
    """A unit with its people (api.views.UnitDetail)."""

    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    kind = serializers.CharField(source="unit.kind")
    kind_label = serializers.CharField(source="unit.get_kind_display")
    year = serializers.IntegerField(help_text="The programme year the mentors are listed for.")
    head = PersonSerializer(allow_null=True)
    operators = PersonSerializer(many=True)
    mentors = UnitMentorSerializer(many=True)


# --- innovations ------------------------------------------------------------------------------


class UnitField(serializers.SlugRelatedField):
    """The unit by its code on the way in, as {code, name} on the way out (documented so by
    api.schema.UnitFieldExtension)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Unit.objects.all(), **kwargs)

    def to_representation(self, unit):
        return {"code": unit.code, "name": unit.name}


class InnovationSerializer(serializers.ModelSerializer):
    """An innovation case: its IID profile, report, position in the lifecycle and what the
    caller may do with it now. Also validates a new case (POST)."""

    unit = UnitField(
        required=False,
        help_text="Unit code; defaults to the caller's unit when they work in exactly one.",
    )
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Programme year; defaults to the current year.",
    )
    main_urusan = serializers.SlugRelatedField(
        slug_field="code", queryset=Urusan.objects.all(), help_text="Urusan code."
    )
    related_urusan = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Urusan.objects.all(),
        many=True,
        required=False,
        help_text="Urusan codes.",
    )
    budget = serializers.DecimalField(
        max_digits=16,
        decimal_places=0,
        min_value=0,
        required=False,
        allow_null=True,
        coerce_to_string=False,
    )
    bentuk_label = serializers.CharField(source="get_bentuk_display", read_only=True)
    jenis_label = serializers.CharField(source="get_jenis_display", read_only=True)
    inisiator_label = serializers.CharField(source="get_inisiator_display", read_only=True)
    maturity_label = serializers.CharField(source="get_maturity_display", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    awaiting_label = serializers.CharField(source="get_awaiting_display", read_only=True)
    rancang_bangun = serializers.CharField(
        read_only=True, help_text="The six sections as one text, each under its title."
    )
    rancang_bangun_words = serializers.IntegerField(read_only=True)
    priorities = serializers.PrimaryKeyRelatedField(
        queryset=NationalPriority.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the national priorities the innovation serves (GET /api/v1/priorities).",
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, coerce_to_string=False
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, coerce_to_string=False
    )
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="Actions the caller may take on the case now."
    )
    due_date = serializers.SerializerMethodField(
        help_text="Due date of the current stage visit: its last working day to act. The case "
        "counts as overdue from the next working day."
    )
    days_overdue = serializers.SerializerMethodField(
        help_text="Working days after the due date up to today (0 on or before the due date)."
    )
    holder = serializers.SerializerMethodField(
        help_text="Who holds the current stage visit (opd, head, mentor, verifier, admin)."
    )
    continues: serializers.PrimaryKeyRelatedField[Innovation] = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Id of the earlier year's closed case this one continues (null: a new "
        "innovation). Set by POST /innovations/{id}/continue/.",
    )

    class Meta:
        model = Innovation
        fields = [
            "id",
            "unit",
            "year",
            "name",
            "bentuk",
            "bentuk_label",
            "jenis",
            "jenis_label",
            "inisiator",
            "inisiator_label",
            "inisiator_name",
            "main_urusan",
            "related_urusan",
            "trial_date",
            "implementation_date",
            "maturity",
            "maturity_label",
            *RANCANG_BANGUN_SECTIONS,
            "rancang_bangun",
            "rancang_bangun_words",
            "tujuan",
            "manfaat",
            "hasil",
            "perkembangan",
            "latitude",
            "longitude",
            "priorities",
            "budget",
            "reported_before",
            "continues",
            "report_results",
            "report_beneficiaries",
            "report_national_ref",
            "stage",
            "stage_label",
            "awaiting",
            "awaiting_label",
            "created_by",
            "created_at",
            "updated_at",
            "actions",
            "due_date",
            "days_overdue",
            "holder",
        ]
        read_only_fields = ["stage", "awaiting", "created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, innovation) -> list[str]:
        actor = self.context.get("actor")
        return [a.value for a in policy.allowed_actions(actor, innovation)] if actor else []

    # The list and detail querysets annotate the open visit (deadlines.with_deadline);
    # an instance without it (a fresh save) shows no deadline rather than paying a query.
    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_due_date(self, innovation):
        due = getattr(innovation, "due_date", None)
        return due.isoformat() if due else None

    def get_days_overdue(self, innovation) -> int:
        return deadlines.days_overdue(getattr(innovation, "due_date", None))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_holder(self, innovation):
        return getattr(innovation, "holder", None)

    def to_internal_value(self, data):
        # A key the client may not write is named, not silently dropped.
        if hasattr(data, "keys"):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [_("Kolom ini tidak dikenal atau tidak dapat diubah.")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class InnovationUpdateSerializer(InnovationSerializer):
    """PATCH: profile and report fields; unit and year are fixed once the case is open."""

    class Meta(InnovationSerializer.Meta):
        read_only_fields = [*InnovationSerializer.Meta.read_only_fields, "unit", "year"]

    def get_fields(self):
        fields = super().get_fields()
        for name in ("unit", "year"):
            fields[name].read_only = True
        return fields


class ContinueRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="The year to continue into; defaults to the closed case's year + 1.",
    )
    perkembangan = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20000,
        help_text="Perkembangan inovasi: what changed since the last report (required; a blank "
        "one is a 400 naming this field).",
    )


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # see CaseEventSerializer
    comment_required = serializers.BooleanField()


class ActionRequestSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    expected_stage = serializers.ChoiceField(
        choices=Stage.choices,
        required=False,
        help_text="The stage the client saw: when the case is elsewhere now, 409 and nothing "
        "moves (a stale page, or someone else acted first).",
    )


class CaseEventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer()
    on_behalf_of = PersonSerializer(
        allow_null=True,
        help_text="The absent head or mentor the actor stood in for (Plt./Plh., a mentor's "
        "substitute); null when they acted in their own right.",
    )
    actor_label = serializers.CharField(
        read_only=True, help_text='Who acted, as the history shows it: "Name a.n. Absent head".'
    )
    from_stage = serializers.CharField(read_only=True)
    from_label = serializers.CharField(source="get_from_stage_display", read_only=True)
    to_stage = serializers.CharField(read_only=True)
    to_label = serializers.CharField(source="get_to_stage_display", read_only=True)
    # Fields named like DRF's own attributes (Serializer.data / .errors, Field.label), which
    # the stubs type differently: the API's names stay as documented.
    data = serializers.JSONField()  # type: ignore[assignment]

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "at",
            "action",
            "actor",
            "on_behalf_of",
            "actor_label",
            "from_stage",
            "from_label",
            "to_stage",
            "to_label",
            "comment",
            "data",
        ]


class ActionResultSerializer(serializers.Serializer):
    innovation = InnovationSerializer()
    event = CaseEventSerializer()


# --- sessions ---------------------------------------------------------------------------------


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "description", "due_date", "done"]
        read_only_fields = ["id", "done"]


class FollowUpDoneSerializer(serializers.Serializer):
    done = serializers.BooleanField(help_text="true: the follow-up is done; false: open again.")


class SessionAttendeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionAttendee
        fields = ["name", "role"]


class SessionFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="download_name", read_only=True)
    is_photo = serializers.BooleanField(read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = SessionFile
        fields = ["id", "name", "content_type", "size", "is_photo", "file_url", "uploaded_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_file_url(self, item) -> str:
        """Served only to people who may see the case (portal.files)."""
        return reverse("portal:session-file", args=[item.pk])


class MentoringSessionSerializer(serializers.ModelSerializer):
    mentor = PersonSerializer(read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    follow_ups = FollowUpSerializer(many=True, required=False)
    attendees = SessionAttendeeSerializer(many=True, required=False)
    files = SessionFileSerializer(many=True, read_only=True)

    class Meta:
        model = MentoringSession
        fields = [
            "id",
            "date",
            "mode",
            "mode_label",
            "topic",
            "notes",
            "follow_ups",
            "attendees",
            "files",
            "mentor",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


# --- evidence ---------------------------------------------------------------------------------


class EvidenceItemSerializer(serializers.ModelSerializer):
    indicator = serializers.IntegerField(source="indicator.number", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    review_label = serializers.CharField(source="get_review_display", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", read_only=True, allow_null=True, default=None
    )
    link = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "indicator",
            "indicator_name",
            "parameter",
            "description",
            "link",
            "original_name",
            "content_type",
            "size",
            "file_url",
            "uploaded_by",
            "uploaded_at",
            "review",
            "review_label",
            "verified_parameter",
            "review_note",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_link(self, item) -> str | None:
        """The evidence's URL; none for a file (its database column holds an empty string)."""
        return item.link or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, item) -> str | None:
        """Served only to people who may see the case (portal.files); none for a link."""
        return reverse("portal:evidence-file", args=[item.pk]) if item.file else None


class EvidenceUploadSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(
        min_value=1, help_text="The indicator's number in the innovation's year (e.g. 16)."
    )
    parameter = serializers.IntegerField(
        min_value=1, max_value=3, help_text="The chosen parameter: 1, 2 or 3."
    )
    # Size and content type are checked by the service (mentoring.uploads), by content.
    file = serializers.FileField(allow_empty_file=False, required=False)
    link = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Instead of a file, where the indicator takes a link (the video of 35).",
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )

    def to_internal_value(self, data):
        # A missing file is named with the other field errors (a link may stand in for it).
        errors: dict = {}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            errors = dict(detail) if isinstance(detail, dict) else {"non_field_errors": detail}
            values = {}
        if not data.get("file") and not str(data.get("link") or "").strip():
            errors.setdefault("file", [_("Berkas wajib diunggah.")])
        if errors:
            raise serializers.ValidationError(errors)
        return values


class EvidenceReviewSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    verified_parameter = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=3,
        help_text="Lower the OPD's chosen parameter (defaults to the chosen one when valid).",
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # see CaseEventSerializer
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field (empty when the error concerns no field).",
    )
