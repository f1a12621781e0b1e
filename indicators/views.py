import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from csa_tracker.accounts.access import ALL_ROLES, partnership_view
from csa_tracker.cells import safe_cell
from csa_tracker.sorting import sorting_from

from .figure_cache import cached_figures
from .models import Indicator, Unit
from .selectors import indicator_detail, indicator_figures, indicator_summaries, plain_number
from .targets import target_rating


def get_indicator(access, slug: str) -> Indicator:
    return get_object_or_404(Indicator.objects.visible_to(access).with_details(), slug=slug)


@partnership_view(*ALL_ROLES)
def indicator_list(request):
    access = request.access
    summaries = cached_figures(access, "list", lambda: indicator_summaries(Indicator.objects.visible_to(access)))
    sorting = sorting_from(request, INDICATOR_SORTS)
    summaries = sorting.sort_list(summaries, INDICATOR_SORTS)
    return render(request, "indicators/indicator_list.html", {"summaries": summaries, "sorting": sorting})


def _latest_end(summary) -> tuple:
    return (summary.latest is not None, summary.latest.period.end if summary.latest else None)


def _direction(summary) -> str:
    return summary.comparison.direction_label if summary.comparison else ""


# The indicator list, sortable by name, area, latest period and direction of travel.
INDICATOR_SORTS = {
    "indicator": lambda summary: summary.indicator.name.casefold(),
    "area": lambda summary: summary.indicator.geography.name.casefold(),
    "latest": _latest_end,
    "direction": _direction,
}


@partnership_view(*ALL_ROLES)
def indicator_page(request, slug: str):
    found = get_indicator(request.access, slug)
    detail = cached_figures(request.access, f"page:{found.pk}", lambda: indicator_detail(found))
    indicator = detail.summary.indicator
    context = {"detail": detail, "indicator": indicator, "target": target_rating(indicator, detail.summary.latest)}
    return render(request, "indicators/indicator_page.html", context)


CSV_HEADER = [
    "Indicator", "Area", "Area code", "Period", "Period start", "Period end",
    "Value", "Unit", "Rate per 1,000", "Approximate", "Source",
]  # fmt: skip


@partnership_view(*ALL_ROLES)
def indicator_csv(request, slug: str):
    indicator = get_indicator(request.access, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for figure in cached_figures(request.access, f"csv:{indicator.pk}", lambda: indicator_figures(indicator)):
        hidden = figure.display if figure.suppressed else None
        writer.writerow(
            safe_cell(cell)
            for cell in (
                indicator.name,
                figure.geography.name,
                figure.geography.code,
                figure.period.label,
                figure.period.start.isoformat(),
                figure.period.end.isoformat(),
                hidden or (plain_number(figure.value) if figure.value is not None else ""),
                Unit(indicator.unit).label,
                hidden or (plain_number(figure.rate) if figure.rate is not None else ""),
                "yes" if figure.approximate else "",
                indicator.source,
            )
        )
    return response
