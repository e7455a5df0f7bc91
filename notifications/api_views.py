"""REST endpoints under /api/v1/notifications/: thin wrappers over selectors and services."""

from typing import cast

from django.contrib.auth.models import User
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from . import serializers as s
from .models import Kind


class NotificationListView(generics.ListAPIView):
    """The caller's own notifications: newest first, or oldest first after `since`."""

    serializer_class = s.NotificationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("since", int, description="Only ids greater than this, oldest first."),
            OpenApiParameter("unread", bool, description="true: unread only; false: read only."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = s.ListParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return selectors.notifications_for(
            user=cast(User, self.request.user),  # the view requires a signed-in user
            since=params.validated_data.get("since"),
            unread=params.validated_data.get("unread"),
        )


class ReadView(APIView):
    """Mark the caller's notifications read: `{"ids": [...]}` or `{"all": true}`.

    Ids of other people's notifications are ignored (never marked, never revealed).
    """

    @extend_schema(request=s.ReadRequestSerializer, responses={200: s.ReadResultSerializer})
    def post(self, request):
        body = s.ReadRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.mark_read(
            user=request.user,
            ids=body.validated_data.get("ids"),
            all=body.validated_data["all"],
        )
        unread = selectors.unread_count(user_id=request.user.pk)
        return Response({"marked": marked, "unread": unread})


def _preferences(user) -> dict:
    modes = selectors.email_preferences(user=user)
    return {
        "preferences": [
            {"kind": kind, "label": str(Kind(kind).label), "email": mode}
            for kind, mode in modes.items()
        ]
    }


class PreferencesView(APIView):
    """E-mail delivery per kind of notification: immediate, a daily digest, or off."""

    @extend_schema(responses={200: s.PreferencesSerializer})
    def get(self, request):
        return Response(_preferences(request.user))

    @extend_schema(request=s.PreferencesSerializer, responses={200: s.PreferencesSerializer})
    def put(self, request):
        """Change the listed kinds (others keep their mode); invalid input changes nothing."""
        body = s.PreferencesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = {item["kind"]: item["email"] for item in body.validated_data["preferences"]}
        services.set_preferences(user=request.user, changes=changes)
        return Response(_preferences(request.user))
