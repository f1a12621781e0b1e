"""Request parameters never become ORM keyword arguments (`filter(**request.GET)` lets a visitor choose
the lookups, e.g. `organisation__memberships__user__password__startswith`)."""

import re

from tests.paths import ROOT

SKIP = {".venv", "tests", "node_modules", "staticfiles", ".git"}
# `**` straight onto anything read from the request (GET, POST, .dict(), headers...), or via dict(...).
UNPACKED_REQUEST = re.compile(r"\*\*\s*(dict\(\s*)?(self\.)?request\.")


def project_sources():
    for path in ROOT.rglob("*.py"):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


def offending_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if UNPACKED_REQUEST.search(line)]


def test_patterns_catch_the_usual_forms():
    bad = [
        "Action.objects.filter(**request.GET)",
        "qs.filter(**request.GET.dict())",
        "qs.exclude(** self.request.POST)",
        "Model.objects.get(**dict(request.GET.items()))",
    ]
    assert offending_lines("\n".join(bad)) == bad
    assert offending_lines("qs.filter(pk=request.GET.get('pk'))\nrender(request, 'x.html', {**context})") == []


def test_no_project_code_unpacks_request_data_into_keyword_arguments():
    found = [
        f"{path.relative_to(ROOT)}: {line}"
        for path in project_sources()
        for line in offending_lines(path.read_text(encoding="utf-8"))
    ]
    assert found == []
