"""Every file path and dotted name the README gives (in `code`) exists, so the README never sends the
next engineer to something that was renamed or removed (issue 22)."""

from __future__ import annotations

import importlib
import re

from tests.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE = re.compile(r"`([^`\n]+)`")
PACKAGES = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}
DOTTED = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$")
FILE_EXTENSIONS = {"py", "html", "json", "csv", "xlsx", "pdf", "docx", "txt", "toml", "ods"}
FILE_LIKE = re.compile(r"^[\w.\-]+(/[\w.\-]*)+$")  # no spaces, no URL parameters, no placeholders


def readme_paths() -> list[str]:
    """Spans that name a file or folder of the repository (`tests/url_matrix.py`, `scripts/`)."""
    found = set()
    for span in CODE.findall(README):
        candidate = span.split(" ")[0].split("::")[0].rstrip(",.;:")
        if FILE_LIKE.match(candidate) and candidate.split("/")[0] in {p.name for p in ROOT.iterdir()}:
            found.add(candidate)
    return sorted(found)


def readme_dotted_names() -> list[str]:
    """Spans that name a module or an attribute of one of our packages (`workflow.services.item_save`)."""
    found = set()
    for span in CODE.findall(README):
        candidate = span.split("(")[0].rstrip(",.;:")
        file_name = candidate.rsplit(".", 1)[-1] in FILE_EXTENSIONS  # "actions.json" is an open data file
        if DOTTED.match(candidate) and candidate.split(".")[0] in PACKAGES and not file_name:
            found.add(candidate)
    return sorted(found)


def resolves(dotted: str) -> bool:
    """Import the longest module prefix of `dotted`, then follow the rest as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_the_readme_names_files_and_names_to_check():
    # The README names plenty of both: a parser that found none would make the checks below vacuous.
    assert "tests/url_matrix.py" in readme_paths()
    assert "csa_tracker.accounts.policies.ROLE_CAPABILITIES" in readme_dotted_names()


def test_every_path_the_readme_gives_exists():
    assert [path for path in readme_paths() if not (ROOT / path).exists()] == []


def test_every_dotted_name_the_readme_gives_exists():
    assert [name for name in readme_dotted_names() if not resolves(name)] == []
