"""`{% load notifications_tags %}{% notification_bell %}`: the bell, its badge and the toasts."""

from django import template
from django.utils.translation import gettext as _

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "user_id": user.pk,
        "unread": selectors.unread_count(user_id=user.pk),
        # Where a browser without a stored position resumes: nothing before this page is new.
        "last_id": selectors.latest_id(user_id=user.pk),
        "csrf_token": context.get("csrf_token"),
        "labels": {
            "open": _("Buka"),
            "close": _("Tutup"),
            "empty": _("Belum ada notifikasi."),
            "markAll": _("Tandai semua dibaca"),
            "offline": _("Notifikasi terputus; mencoba menyambung kembali..."),
            "loginAgain": _("Sesi berakhir; masuk kembali untuk menerima notifikasi."),
            "newCount": _("%(count)s notifikasi belum dibaca"),
        },
    }
