from django import template

from reports.charts import indicator_chart_svg

register = template.Library()


@register.simple_tag
def indicator_chart(indicator: dict, priority_slug: str):
    """`{% indicator_chart indicator priority.slug %}`: the indicator's trend as a labelled inline SVG
    (or its single figure in words)."""
    return indicator_chart_svg(indicator, element_id=f"chart-{priority_slug}-{indicator['slug']}")
