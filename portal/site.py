"""viewflow's Material shell: our pages as an Application, plus viewflow's own flow app."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site, route
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views

from mentoring.people import actor_for
from workflow import policy
from workflow.flows import InnovationFlow

from . import urls as portal_urls
from . import views


class PortalApp(Application):
    """Our pages: Tugas saya, the innovation list and the case pages."""

    app_name = "portal"
    title = _("Inovasi daerah")
    icon = "lightbulb"
    menu_template_name = "portal/menu.html"
    urlpatterns = portal_urls.urlpatterns

    @property
    def index_path(self):
        # Tugas saya is the index (viewflow's menus reverse "index"); no redirect view.
        return path("", views.home, name="index")


def _check_case(request, process_pk: int) -> None:
    process = (
        InnovationFlow.process_class.objects.select_related("innovation")
        .filter(pk=process_pk)
        .first()
    )
    if process is None or not policy.can_view(actor_for(request.user), process.innovation):
        raise PermissionDenied


class ScopedChartView(flow_views.FlowChartView):
    def dispatch(self, request, *args, **kwargs):
        if "process_pk" in kwargs and request.user.is_authenticated:
            _check_case(request, kwargs["process_pk"])
        return super().dispatch(request, *args, **kwargs)


def process_cancel_to_case_page(request, process_pk: int):
    """viewflow's "cancel process" button leads to the case page, where reject/withdraw live."""
    _check_case(request, process_pk)
    innovation_id = InnovationFlow.process_class.objects.get(pk=process_pk).innovation_id
    return redirect("portal:innovation-detail", pk=innovation_id)


def process_detail_to_case_page(request, process_pk: int, **kwargs):
    """viewflow's process page (internal ids, task rows) is the case page for people."""
    return process_cancel_to_case_page(request, process_pk)


def to_portal(name: str):
    """viewflow's own inbox, queue, archive, board and lists: people have one inbox ("Tugas
    saya") and one list of cases (the innovation list), so these lead there."""

    @login_required
    def view(request, *args, **kwargs):
        return redirect(name)

    return view


class InnovationFlowApp(FlowAppViewset):
    """The engine's screens, kept only as addresses: each leads to the portal's own page
    (the app is left out of the menu, portal/site_menu.html)."""

    chart_view_class = ScopedChartView

    @property
    def dashboard_view(self):
        return to_portal("portal:innovation-list")

    @property
    def process_list_view(self):
        return to_portal("portal:innovation-list")

    @property
    def task_list_view(self):
        return to_portal("portal:home")

    @property
    def inbox_view(self):
        return to_portal("portal:home")

    @property
    def queue_view(self):
        return to_portal("portal:home")

    @property
    def archive_view(self):
        return to_portal("portal:innovation-list")

    @property
    def process_detail_view(self):
        return login_required(process_detail_to_case_page)

    @property
    def process_cancel_view(self):
        return login_required(process_cancel_to_case_page)


class PanduSite(Site):
    title = _("Pandu Inovasi")
    # One application for people (the portal); the engine's app is not listed.
    menu_template_name = "portal/site_menu.html"
    primary_color = "#0d47a1"
    secondary_color = "#f9a825"
    portal_path = route("", PortalApp())


site = PanduSite(
    viewsets=[InnovationFlowApp(InnovationFlow, icon="account_tree")],
)
