from django import template

from reports.charts import bar_chart

register = template.Library()


@register.simple_tag
def indicator_chart(indicator: dict, priority_slug: str):
    """`{% indicator_chart indicator priority.slug %}`: the indicator's series as an inline SVG."""
    return bar_chart(
        indicator["series"],
        title=f"Chart of {indicator['name']}",
        element_id=f"chart-{priority_slug}-{indicator['slug']}",
    )
