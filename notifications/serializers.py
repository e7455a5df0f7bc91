"""REST shapes of notifications and preferences (validation only; writes are in services)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.params import MAX_ID

from .models import EmailMode, Kind, Notification

MAX_READ_IDS = 500


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "innovation",
            "created_at",
            "read_at",
            "read",
        ]

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class ListParamsSerializer(serializers.Serializer):
    since = serializers.IntegerField(
        required=False,
        min_value=0,
        error_messages={"invalid": _("Harus berupa bilangan bulat (id notifikasi terakhir).")},
    )
    unread = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        error_messages={"invalid": _("Isi dengan true atau false.")},
    )


class ReadRequestSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_empty=False,
        max_length=MAX_READ_IDS,
    )
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if attrs.get("all") and "ids" in attrs:
            raise serializers.ValidationError(
                {"ids": [_("Kirim `ids` atau `all`, tidak keduanya.")]}
            )
        if not attrs.get("all") and "ids" not in attrs:
            raise serializers.ValidationError(
                {"ids": [_("Sebutkan id notifikasi, atau kirim `all: true`.")]}
            )
        return attrs


class ReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    # A field named like DRF's Field.label attribute, which the stubs type as a string.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    email = serializers.ChoiceField(choices=EmailMode.choices)


class PreferencesSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True, allow_empty=False)
