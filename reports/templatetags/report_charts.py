from django import template

from reports import charts, dates
from reports.rendering import fits_on_a_page

register = template.Library()


@register.simple_tag
def indicator_chart(indicator: dict, priority_slug: str):
    """`{% indicator_chart indicator priority.slug %}`: the indicator's trend as a labelled inline SVG
    (or its single figure in words)."""
    return charts.indicator_chart_svg(indicator, element_id=chart_id(indicator, priority_slug))


def chart_id(indicator: dict, priority_slug: str) -> str:
    return f"chart-{priority_slug}-{indicator['slug']}"


# `{{ indicator|chart_caption }}`, `{{ indicator|is_drawn }}` (reports.charts); `{{ s.cycle|with_months }}`,
# `{{ action|progress_source:cycle.name }}`, `{{ s.plan|plan_dates }}` (reports.dates).
register.filter("chart_caption", charts.chart_caption)
register.filter("is_drawn", charts.is_drawn)
register.filter("with_months", dates.cycle_with_months)
register.filter("progress_source", dates.progress_source)
register.filter("plan_dates", dates.plan_dates)


@register.filter
def figure_rows(indicator: dict) -> list[dict]:
    """The rows of an indicator's figures table: each period's figure and, where the partnership set one,
    its target ("" where none)."""
    targets = {target["period"]: target["display"] for target in indicator.get("targets", [])}
    return [{**point, "target": targets.get(point["period"], "")} for point in indicator["series"]]


@register.filter
def has_targets(rows: list[dict]) -> bool:
    """`{{ rows|has_targets }}`: whether any of `figure_rows` has a target (the table then has a column)."""
    return any(row["target"] for row in rows)


@register.filter
def has_ratings(indicators: list[dict]) -> bool:
    """`{{ priority.indicators|has_ratings }}`: whether the report holds ratings against targets (format 3
    on, `reports.snapshot`); an older report keeps the columns it was published with."""
    return any("rating" in indicator for indicator in indicators)


@register.filter
def keeps_with_heading(actions: list[dict]) -> bool:
    """`{% if priority.actions|keeps_with_heading %}`: whether the PDF keeps the actions table's heading,
    caption and header with its first action (reports.rendering.fits_on_a_page)."""
    return bool(actions) and fits_on_a_page(actions[0])
