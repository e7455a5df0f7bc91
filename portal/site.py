"""viewflow's Material shell: our pages as an Application, plus viewflow's own flow app."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site, route
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views

from mentoring import selectors
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
    if process is None or not policy.can_view(policy.actor_for(request.user), process.innovation):
        raise PermissionDenied


class ScopedProcessDetailView(flow_views.DetailProcessView):
    """viewflow's process page, only for people who may see the case (policy.can_view)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _check_case(request, kwargs["process_pk"])
        return super().dispatch(request, *args, **kwargs)


class ScopedChartView(flow_views.FlowChartView):
    def dispatch(self, request, *args, **kwargs):
        if "process_pk" in kwargs and request.user.is_authenticated:
            _check_case(request, kwargs["process_pk"])
        return super().dispatch(request, *args, **kwargs)


class ScopedProcessListView(flow_views.DashboardProcessListView):
    """viewflow's process list, limited to the cases the person may see."""

    def get_queryset(self):
        visible = selectors.visible_innovations(user=self.request.user).values("pk")
        return super().get_queryset().filter(innovation__in=visible)


class InnovationFlowApp(FlowAppViewset):
    process_detail_view_class = ScopedProcessDetailView
    chart_view_class = ScopedChartView
    process_list_view_class = ScopedProcessListView


class PanduSite(Site):
    title = _("Pandu Inovasi")
    primary_color = "#0d47a1"
    secondary_color = "#f9a825"
    portal_path = route("", PortalApp())


site = PanduSite(
    viewsets=[InnovationFlowApp(InnovationFlow, icon="account_tree")],
)
