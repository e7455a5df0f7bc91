"""API v1 for replications, awards and HKI filings of an innovation, and the yearly award
points per unit head: thin over recognition.selectors and recognition.services.

Bodies are JSON, so evidence given here is a link; files are uploaded in the portal (checked
by content there) and listed here with their permission-checked address. `level`, `kind` and
`status` are plain strings checked by the service, so an unknown one is a 400 naming the field
in the service's own words."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core import params
from mentoring.models import Innovation, Unit
from mentoring.people import actor_for
from recognition import selectors, services
from recognition.models import Award, AwardLevel, HkiFiling, HkiKind, HkiStatus, Replication

from .views import visible_innovation

KINDS = {Replication: "replication", Award: "award", HkiFiling: "hki"}


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class _RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    link = serializers.CharField(read_only=True)
    file_name = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    def get_file_name(self, record) -> str | None:
        return record.download_name if record.file else None

    def get_file_url(self, record) -> str | None:
        """The evidence file's address (served to the case's viewers, each download logged)."""
        if not record.file:
            return None
        return reverse("portal:recognition-file", args=[KINDS[type(record)], record.pk])


class ReplicationSerializer(_RecordSerializer):
    unit = serializers.SerializerMethodField()
    region_name = serializers.CharField(read_only=True)
    replicator_name = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_unit(self, record: Replication):
        return {"code": record.unit.code, "name": record.unit.name} if record.unit else None


class AwardSerializer(_RecordSerializer):
    level = serializers.ChoiceField(choices=AwardLevel.choices, read_only=True)
    rank = serializers.CharField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    giver = serializers.CharField(read_only=True)


class HkiSerializer(_RecordSerializer):
    kind = serializers.ChoiceField(choices=HkiKind.choices, read_only=True)
    number = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=HkiStatus.choices, read_only=True)
    date = serializers.DateField(read_only=True)


class FeaturedSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    presentation_date = serializers.DateField()
    note = serializers.CharField()


class RecognitionSerializer(serializers.Serializer):
    """Everything recorded for the innovation, with the replication indicator's suggestion."""

    replication_count = serializers.IntegerField()
    replication_indicator = serializers.IntegerField(
        allow_null=True, help_text="The number of the year's replication indicator (31)."
    )
    suggested_parameter = serializers.IntegerField(
        allow_null=True, help_text="1-3 from the replications recorded; null for none."
    )
    replications = ReplicationSerializer(many=True)
    awards = AwardSerializer(many=True)
    hki = HkiSerializer(many=True)
    featured = FeaturedSerializer(many=True)
    can_record = serializers.BooleanField()


# --- input -------------------------------------------------------------------------------------


def _text(help_text: str = "", max_length: int = 300) -> serializers.CharField:
    """An optional text field (empty by default)."""
    return serializers.CharField(
        max_length=max_length, required=False, default="", allow_blank=True, help_text=help_text
    )


class ReplicationInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    unit = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Code of the regency's unit that replicated it; or give region_name.",
    )
    region_name = _text("Another region (by name).")
    replicator_name = _text()
    link = serializers.CharField(max_length=600, help_text="Evidence as a web address.")
    note = _text()


class AwardInputSerializer(serializers.Serializer):
    level = serializers.CharField(max_length=20, help_text="national, provincial or regency")
    year = serializers.IntegerField(min_value=0, max_value=9999)
    name = serializers.CharField(max_length=300)
    giver = serializers.CharField(max_length=300)
    rank = _text()
    link = serializers.CharField(max_length=600, help_text="Evidence as a web address.")


class HkiInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=30, help_text=", ".join(HkiKind.values))
    number = serializers.CharField(max_length=300)
    status = serializers.CharField(max_length=20, help_text=", ".join(HkiStatus.values))
    date = serializers.DateField()
    link = _text(max_length=600)


class AwardLineSerializer(serializers.Serializer):
    innovation_id = serializers.IntegerField(source="award.innovation_id")
    innovation_name = serializers.CharField(source="award.innovation.name")
    name = serializers.CharField(source="award.name")
    level = serializers.ChoiceField(choices=AwardLevel.choices, source="award.level")
    rank = serializers.CharField(source="award.rank")
    points = serializers.IntegerField(allow_null=True)


class UnitPointsSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_name = serializers.CharField()
    heads = serializers.ListField(child=serializers.CharField())
    awards = AwardLineSerializer(many=True, source="lines")
    total = serializers.IntegerField()


class PointsReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    points_set = serializers.BooleanField(help_text="False when the year's points are not set.")
    total = serializers.IntegerField()
    units = UnitPointsSerializer(many=True)


# --- views -------------------------------------------------------------------------------------


def _recognition(innovation: Innovation, user) -> dict:
    found = selectors.case_recognition(innovation=innovation, actor=actor_for(user))
    return {
        "replication_count": found.suggestion.count,
        "replication_indicator": found.suggestion.indicator.number
        if found.suggestion.indicator
        else None,
        "suggested_parameter": found.suggestion.parameter,
        "replications": found.replications,
        "awards": found.awards,
        "hki": found.hki,
        "featured": found.featured,
        "can_record": found.can_record,
    }


class RecognitionView(APIView):
    @extend_schema(responses={200: RecognitionSerializer})
    def get(self, request, pk: int):
        """The innovation's replications (with the suggested parameter of indicator 31),
        awards, HKI filings and inovasi unggulan picks: whoever may see the case."""
        innovation = visible_innovation(request, pk, Innovation.objects.all())
        return Response(RecognitionSerializer(_recognition(innovation, request.user)).data)


class ReplicationCreateView(APIView):
    @extend_schema(request=ReplicationInputSerializer, responses={201: ReplicationSerializer})
    def post(self, request, pk: int):
        """Record a replication (the unit's operator or head, or an admin)."""
        visible_innovation(request, pk, Innovation.objects.all())
        serializer = ReplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit_id = None
        if data["unit"]:
            unit_id = Unit.objects.filter(code=data["unit"]).values_list("pk", flat=True).first()
            if unit_id is None:
                raise ValidationError({"unit": [_("Unit yang mereplikasi tidak ditemukan.")]})
        record = services.record_replication(
            user=request.user,
            innovation_id=pk,
            date=data["date"],
            unit_id=unit_id,
            region_name=data["region_name"],
            replicator_name=data["replicator_name"],
            link=data["link"],
            note=data["note"],
        )
        return Response(ReplicationSerializer(record).data, status=status.HTTP_201_CREATED)


def _created(request, pk: int, given: type[serializers.Serializer], record, shown) -> Response:
    """Record on a visible innovation what `given` parses; 201 with the record as `shown`."""
    visible_innovation(request, pk, Innovation.objects.all())
    serializer = given(data=request.data)
    serializer.is_valid(raise_exception=True)
    made = record(user=request.user, innovation_id=pk, **serializer.validated_data)
    return Response(shown(made).data, status=status.HTTP_201_CREATED)


class AwardCreateView(APIView):
    @extend_schema(request=AwardInputSerializer, responses={201: AwardSerializer})
    def post(self, request, pk: int):
        """Record an award (the unit's operator or head, or an admin)."""
        return _created(request, pk, AwardInputSerializer, services.record_award, AwardSerializer)


class HkiCreateView(APIView):
    @extend_schema(request=HkiInputSerializer, responses={201: HkiSerializer})
    def post(self, request, pk: int):
        """Record an HKI filing (the unit's operator or head, or an admin)."""
        return _created(request, pk, HkiInputSerializer, services.record_hki, HkiSerializer)


class AwardPointsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="The award year (default: this year).")
        ],
        responses={200: PointsReportSerializer},
    )
    def get(self, request):
        """Award points per unit and its heads for a year (performance agreements): every
        unit for admins, verifiers and observers; a head's or operator's own units."""
        raw = request.query_params.get("year")
        year = params.year(raw) if raw is not None else None
        if raw is not None and year is None:
            raise ValidationError({"year": [str(params.YEAR_ERROR)]})
        if year is None:
            year = timezone.localdate().year
        actor = actor_for(request.user)
        report = selectors.award_points(year=year, unit_ids=selectors.units_for(actor, year=year))
        body = {
            "year": report.year,
            "points_set": report.rules is not None,
            "total": report.total,
            "units": report.units,
        }
        return Response(PointsReportSerializer(body).data)
