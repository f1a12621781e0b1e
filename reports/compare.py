"""What changed between two published reports: each action's progress, word by word, and each figure."""

from csa_tracker.diff import has_changes, word_diff


def _actions(snapshot: dict) -> dict:
    return {a["id"]: (p["title"], a) for p in snapshot["priorities"] for a in p["actions"]}


def _indicators(snapshot: dict) -> dict:
    return {i["slug"]: (p["title"], i) for p in snapshot["priorities"] for i in p["indicators"]}


def _figure(indicator: dict | None) -> str:
    if not indicator or not indicator["latest"]:
        return "No published figure"
    latest = indicator["latest"]
    return f"{latest['value']} ({latest['period']})"


def _direction(indicator: dict | None) -> str:
    comparison = indicator and indicator["comparison"]
    return comparison["direction_label"] if comparison else "—"


def _pairs(before: dict, after: dict):
    """(priority, old, new) for everything in either report: the earlier report's order, then what is new."""
    for key in [*before, *(key for key in after if key not in before)]:
        priority, old = before.get(key, (None, None))
        priority, new = after.get(key, (priority, None))
        yield priority, old, new


def compare_snapshots(older: dict, newer: dict) -> dict:
    actions = []
    for priority, old, new in _pairs(_actions(older), _actions(newer)):
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
    figures = []
    for priority, old, new in _pairs(_indicators(older), _indicators(newer)):
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
