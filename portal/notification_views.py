"""The notifications page and the e-mail preferences page: reads through notifications.selectors,
writes through notifications.services (the same code the REST API and the socket use)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import params
from core.errors import ServiceError
from notifications import selectors, services
from notifications.models import EmailMode, Kind

PAGE_SIZE = 20


@login_required
def notification_list(request):
    """The person's own notifications, newest first; unread ones highlighted."""
    qs = selectors.notifications_for(user=request.user).select_related("innovation")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "portal/notifications.html",
        {"page": page, "unread": selectors.unread_count(user_id=request.user.pk)},
    )


@login_required
@require_POST
def notification_read(request):
    """Mark one (`id`) or all (`all`) of the person's own notifications read."""
    if request.POST.get("all"):
        changed = services.mark_read(user=request.user, all=True)
        messages.success(request, _("%(count)d notifikasi ditandai dibaca.") % {"count": changed})
    else:
        chosen = params.whole_number(request.POST.get("id"))
        if chosen is None:
            messages.error(request, _("Notifikasi tidak dikenal."))
        ids = [chosen] if chosen is not None else []
        # Someone else's id marks nothing (the service filters by recipient).
        services.mark_read(user=request.user, ids=ids)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("portal:notifications")
    return redirect(back)


class PreferencesForm(forms.Form):
    """One choice per kind of notification: immediately, in the daily digest, or never."""

    def __init__(self, *args, initial_modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=EmailMode.choices,
                initial=initial_modes[kind.value],
                widget=forms.RadioSelect,
            )


@login_required
def notification_preferences(request):
    modes = selectors.email_preferences(user=request.user)
    form = PreferencesForm(request.POST or None, initial_modes=modes)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(user=request.user, changes=form.cleaned_data)
        except ServiceError as exc:
            error = exc.message
            for field, problems in (exc.fields or {}).items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Preferensi e-mail disimpan."))
            return redirect("portal:notification-preferences")
    return TemplateResponse(
        request,
        "portal/notification_preferences.html",
        {
            "form": form,
            "error": error,
            "has_email": bool(request.user.email),
        },
    )
