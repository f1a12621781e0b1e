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


@register.filter
def chart_caption(indicator: dict) -> str:
    """`{{ indicator|chart_caption }}`: what its chart shows, in words (reports.charts.chart_caption)."""
    return charts.chart_caption(indicator)


@register.filter
def is_drawn(indicator: dict) -> bool:
    return charts.is_drawn(indicator)


@register.filter
def figure_rows(indicator: dict) -> list[dict]:
    """The rows of the "Figures shown in the charts" table: each period's figure and, where the
    partnership set one, its target ("" where none)."""
    targets = {target["period"]: target["display"] for target in indicator.get("targets", [])}
    return [{**point, "target": targets.get(point["period"], "")} for point in indicator["series"]]


@register.filter
def has_targets(rows: list[dict]) -> bool:
    """`{{ rows|has_targets }}`: whether any of `figure_rows` has a target (the table then has a column)."""
    return any(row["target"] for row in rows)


@register.filter
def with_months(cycle: dict) -> str:
    """`{{ s.cycle|with_months }}`: "Q1 2019/20, October to December 2019"."""
    return dates.cycle_with_months(cycle)


@register.filter
def progress_cycle(action: dict) -> str:
    """`{{ action|progress_cycle }}`: the cycle its progress was published for, with its months."""
    return dates.progress_cycle_with_months(action)


@register.filter
def plan_dates(plan: dict) -> str:
    """`{{ s.plan|plan_dates }}`: "1 April 2017 to 31 March 2018" ("" in a snapshot without them)."""
    return dates.day_span(plan["starts"], plan["ends"]) if "starts" in plan else ""


@register.filter
def keeps_with_heading(actions: list[dict]) -> bool:
    """`{% if priority.actions|keeps_with_heading %}`: whether the PDF keeps the actions table's heading,
    caption and header with its first action (reports.rendering.fits_on_a_page)."""
    return bool(actions) and fits_on_a_page(actions[0])
