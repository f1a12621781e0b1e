"""What changed between two published reports: each action's progress, word by word, and each figure."""

from csa_tracker.diff import has_changes, word_diff


def _actions(snapshot: dict, earlier: dict | None = None) -> dict:
    """{key: (priority title, action)}, keyed by the action's id; given `earlier` (the older report's
    actions, so keyed), an action carried forward from one of them (its `carried_from`, snapshot format
    4) takes that one's key, so a comparison across plans pairs it with itself a year ago (issue 25)."""
    found = {}
    for priority in snapshot["priorities"]:
        for action in priority["actions"]:
            key = action["id"]
            if earlier is not None and key not in earlier and action.get("carried_from") in earlier:
                key = action["carried_from"]
            found[key] = (priority["title"], action)
    return found


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
    """What changed from the `older` report's snapshot to the `newer`'s: {"actions": [row], "figures":
    [row]}, in the older report's order then what is new. An action row ({"priority", "wording",
    "segments", "changed", "status_before", "status_after"}) pairs an action with itself, or with the
    action it was carried forward from when the reports are of two plans (issue 25; snapshots older
    than format 4 have no `carried_from` and pair by id alone); a figure row pairs indicators by slug."""
    actions = []
    before = _actions(older)
    for priority, old, new in _pairs(before, _actions(newer, before)):
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
