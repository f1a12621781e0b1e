"""What the review page shows of a submitted progress update: its text compared with the published
version, or with the version the Working Group returned (`actions.kinds` names it)."""

from __future__ import annotations

from csa_tracker.diff import block_diff

COMPARE_WITH = {"published": "the published version", "returned": "the version you returned"}


def update_review_context(item, published, compare: str | None) -> dict:
    """The text compared by paragraph, sentence and word with the published version or the returned
    one (`compare`, from `?compare=`), defaulting to the returned one after a resubmission. A choice
    that is not offered falls back to the published version, with a "warning" to say so."""
    offered = ["published"] + (["returned"] if item.returned_text else [])
    compare_with = compare or ("returned" if item.returned_text else "published")
    warning = ""
    if compare_with not in offered:
        warning = f"“{compare_with}” is not a version to compare with; showing the published one."
        compare_with = "published"
    base = item.returned_text if compare_with == "returned" else (published.text if published else "")
    return {
        "compare_with": compare_with,
        "compare_label": COMPARE_WITH[compare_with],
        "compare_offered": [(key, COMPARE_WITH[key]) for key in offered],
        "blocks": block_diff(base, item.text),
        "warning": warning,
    }
