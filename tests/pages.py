"""Reading rendered pages in tests."""

import json


def json_script(page: str, element_id: str):
    """The data a page passed to its charts with `json_script`."""
    marker = f'<script id="{element_id}" type="application/json">'
    start = page.index(marker) + len(marker)
    return json.loads(page[start : page.index("</script>", start)])


def chart_values(chart: dict) -> list:
    """The values of a time chart's points in order (None for a gap or a break)."""
    return [point["y"] for point in chart["datasets"][0]["data"]]
