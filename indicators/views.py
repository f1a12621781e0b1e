from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.cells import csv_text as cells_csv_text
from csa_tracker.sorting import sorting_from

from .figure_cache import cached_figures
from .models import Indicator, Unit
from .selectors import indicator_detail, indicator_figures, indicator_summaries, plain_number


def get_indicator(access, slug: str) -> Indicator:
    return get_object_or_404(Indicator.objects.visible_to(access).with_details(), slug=slug)


@partnership_view(Can.READ)
def indicator_list(request):
    """The figures come from the cache of published figures, and so does the table rendered from them
    (one entry per sort order): a request of an unchanged generation renders no figure."""
    access = request.access
    sorting = sorting_from(request, INDICATOR_SORTS)

    def summaries() -> list:
        found = cached_figures(access, "list", lambda: indicator_summaries(Indicator.objects.visible_to(access)))
        return sorting.sort_list(found, INDICATOR_SORTS)

    def table() -> str:
        shown = summaries()
        context = {"summaries": shown, "partnership": access.partnership, "caption": LIST_CAPTION, "sorting": sorting}
        return render_to_string("includes/indicator_summary_table.html", context) if shown else ""

    context = {
        "table": cached_figures(access, f"list-table:{sorting.param}", table),
        "summaries": SimpleLazyObject(summaries),  # for tests and templates that want the rows themselves
        "sorting": sorting,
    }
    return render(request, "indicators/indicator_list.html", context)


LIST_CAPTION = "Every indicator: latest published figure, its target and rating, and its comparison"


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


@partnership_view(Can.READ)
def indicator_page(request, slug: str):
    """The body (figures, tables, charts, comparability notes) is rendered once per figures generation and
    audience and then served from the cache of published figures: everything it shows moves that
    generation when it changes (`figures_changed`: readings published, the indicator, its notes, areas,
    populations, the partnership's year)."""
    access = request.access
    found = get_indicator(access, slug)
    detail = cached_figures(access, f"page:{found.pk}", lambda: indicator_detail(found))
    indicator = detail.summary.indicator
    context = {"detail": detail, "indicator": indicator, "target": detail.summary.target_rating}

    def body() -> str:
        return render_to_string("indicators/indicator_page_body.html", {**context, "slug": access.partnership.slug})

    return render(
        request,
        "indicators/indicator_page.html",
        {**context, "body": cached_figures(access, f"page-html:{found.pk}", body)},
    )


CSV_HEADER = [
    "Indicator", "Area", "Area code", "Period", "Period start", "Period end",
    "Value", "Unit", "Rate per 1,000", "Approximate", "Source",
]  # fmt: skip


@partnership_view(Can.READ)
def indicator_csv(request, slug: str):
    """Every published figure of the indicator in every area; the file is written once per publication
    generation and then served from the cache of published figures."""
    indicator = get_indicator(request.access, slug)
    body = cached_figures(request.access, f"csv:{indicator.pk}", lambda: csv_text(indicator))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.slug}.csv"'
    return response


def csv_text(indicator: Indicator) -> str:
    """The indicator's CSV file as text (with a UTF-8 byte-order mark, so Excel opens it right)."""

    def rows():
        for figure in indicator_figures(indicator):
            hidden = figure.display if figure.suppressed else None
            yield (
                indicator.name,
                figure.area_name,
                figure.geography.code,
                figure.period.label,
                figure.period.start.isoformat(),
                figure.period.end.isoformat(),
                hidden or (plain_number(figure.shown_value) if figure.value is not None else ""),
                Unit(figure.unit).label,
                hidden or (plain_number(figure.shown_rate) if figure.rate is not None else ""),
                "yes" if figure.approximate else "",
                indicator.source,
            )

    return cells_csv_text(CSV_HEADER, rows())
