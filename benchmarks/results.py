"""`bench-results.json`: every `make bench` measurement, by database and benchmark size.

    {"<database>": {"<size>": {"pages": [...], "reports": {...}, "load": {...}, ...}}, ...}

`database` is "sqlite" or "postgresql" (from the connection's vendor); `size` one of
`benchmarks.pages.SIZES`. Each run replaces only its own database and size, so one file holds the
SQLite and PostgreSQL runs of both sizes side by side.
"""

from __future__ import annotations

import json
from pathlib import Path


def database_label(vendor: str) -> str:
    return "postgresql" if vendor == "postgresql" else vendor


def record(path: str | Path, *, database: str, size: str, part: str | None, values: dict) -> dict:
    """Store `values` as the size's results (`part` None) or as one part of them (e.g. "load");
    returns the whole file as written."""
    path = Path(path)
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
    if not isinstance(results, dict) or "pages" in results:  # the earlier one-run format: start again
        results = {}
    entry = results.setdefault(database, {}).setdefault(size, {})
    if part is None:
        kept = {key: entry[key] for key in ("load",) if key in entry}
        entry.clear()
        entry.update(values, **kept)
    else:
        entry[part] = values
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results
