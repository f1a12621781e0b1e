"""What changed between two published reports: each action's progress, word by word, and each figure."""

from reviews.diff import has_changes, word_diff


def _actions(snapshot: dict) -> dict:
    return {a["id"]: (p["title"], a) for p in snapshot["priorities"] for a in p["actions"]}


def _indicators(snapshot: dict) -> dict:
    return {i["slug"]: (p["title"], i) for p in snapshot["priorities"] for i in p["indicators"]}


def _figure(indicator: dict | None) -> str:
    if not indicator or not indicator["latest"]:
        return "No published figure"
    latest = indicator["latest"]
    return f"{'approx. ' if latest['approximate'] else ''}{latest['value']} ({latest['period']})"


def _direction(indicator: dict | None) -> str:
    comparison = indicator and indicator["comparison"]
    return comparison["direction_label"] if comparison else "—"


def compare_snapshots(older: dict, newer: dict) -> dict:
    before, after = _actions(older), _actions(newer)
    actions = []
    for key in [*before, *(key for key in after if key not in before)]:
        priority, old = before.get(key, (None, None))
        priority, new = after.get(key, (priority, None))
        segments = word_diff(old["progress"] if old else "", new["progress"] if new else "")
        actions.append(
            {
                "priority": priority,
                "wording": (new or old)["wording"],
                "segments": segments,
                "changed": has_changes(segments),
                "status_before": old["status"] if old else "—",
                "status_after": new["status"] if new else "—",
            }
        )
    before_figures, after_figures = _indicators(older), _indicators(newer)
    figures = []
    for key in [*before_figures, *(key for key in after_figures if key not in before_figures)]:
        priority, old = before_figures.get(key, (None, None))
        priority, new = after_figures.get(key, (priority, None))
        row = {
            "priority": priority,
            "name": (new or old)["name"],
            "before": _figure(old),
            "after": _figure(new),
            "direction_before": _direction(old),
            "direction_after": _direction(new),
        }
        row["changed"] = (row["before"], row["direction_before"]) != (row["after"], row["direction_after"])
        figures.append(row)
    return {"actions": actions, "figures": figures}
