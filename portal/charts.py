"""viewflow's BPMN chart of one case, with the tasks done so far and the current one coloured."""

from django.utils.safestring import SafeString, mark_safe
from viewflow.workflow import chart

from workflow.flows import InnovationFlow
from workflow.models import InnovationProcess


def process_chart_svg(process: InnovationProcess) -> SafeString:
    grid = chart.calc_layout_data(InnovationFlow)
    chart.calc_cell_status(InnovationFlow, grid, process.pk)
    # viewflow renders the SVG from its own template with autoescaping on.
    return mark_safe(chart.grid_to_svg(grid))  # noqa: S308
