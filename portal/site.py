"""viewflow's Material shell: our pages as an Application, plus viewflow's own flow app."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site, route
from viewflow.utils import viewprop
from viewflow.workflow import STATUS, chart
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as flow_views

from mentoring.people import actor_for
from workflow import policy, selectors
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


class ScopedDashboardView(flow_views.DashboardView):
    """viewflow's kanban board, limited to the cases the person may see."""

    def get_context_data(self, **kwargs):
        user = self.request.user
        visible = InnovationFlow.process_class.objects.filter(
            innovation__in=selectors.visible_innovations(user=user).values("pk")
        ).values("pk")
        tasks = InnovationFlow.task_class.objects.filter_available([InnovationFlow], user).filter(
            process__in=visible
        )
        nodes, _ = chart.topsort(InnovationFlow)
        end_nodes = [node for node in nodes if node.task_type == "END"]
        columns = [
            {
                "node": node,
                "node_ref": get_task_ref(node),
                "tasks": tasks.filter(
                    Q(finished__isnull=True) | Q(status=STATUS.ERROR), flow_task=node
                )[: self.MAX_ROWS],
            }
            for node in nodes
            if node.task_type == "HUMAN"
        ]
        # Skip DashboardView's own, unscoped queries; keep the rest of the view's context.
        return super(flow_views.DashboardView, self).get_context_data(
            columns=columns,
            start_nodes=[],
            end_nodes=end_nodes,
            finished=tasks.filter(finished__isnull=False, flow_task__in=end_nodes)[: self.MAX_ROWS],
            **kwargs,
        )


def process_cancel_to_case_page(request, process_pk: int):
    """viewflow's "cancel process" button leads to the case page, where reject/withdraw live."""
    _check_case(request, process_pk)
    innovation_id = InnovationFlow.process_class.objects.get(pk=process_pk).innovation_id
    return redirect("portal:innovation-detail", pk=innovation_id)


class ScopedTaskListView(flow_views.DashboardTaskListView):
    """viewflow's list of all tasks, limited to the cases the person may see."""

    @viewprop
    def queryset(self):
        visible = InnovationFlow.process_class.objects.filter(
            innovation__in=selectors.visible_innovations(user=self.request.user).values("pk")
        ).values("pk")
        return super().queryset.filter(process__in=visible)


class InnovationFlowApp(FlowAppViewset):
    dashboard_view_class = ScopedDashboardView
    process_detail_view_class = ScopedProcessDetailView
    chart_view_class = ScopedChartView
    process_list_view_class = ScopedProcessListView
    task_list_view_class = ScopedTaskListView

    @property
    def process_cancel_view(self):
        return login_required(process_cancel_to_case_page)


class PanduSite(Site):
    title = _("Pandu Inovasi")
    primary_color = "#0d47a1"
    secondary_color = "#f9a825"
    portal_path = route("", PortalApp())


site = PanduSite(
    viewsets=[InnovationFlowApp(InnovationFlow, icon="account_tree")],
)
