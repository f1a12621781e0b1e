"""Who may act is decided in one place per model (issue 22): the code is scanned for anything that reads
a person's roles, capabilities or memberships outside the policies (`<app>/policies.py`) and the page
gates (`csa_tracker/accounts/access.py`)."""

from __future__ import annotations

import ast
import re

from tests.paths import ROOT as PROJECT_ROOT

ALLOWED_FILES = {
    "csa_tracker/accounts/access.py": "the page gates and the Access they read",
    "csa_tracker/accounts/models.py": "defines Role and the memberships",
}
ALLOWED_FOLDERS = {
    "demo/": "makes the demo's people with their roles (data, not a decision)",
    "benchmarks/": "makes the bench's people with their roles (data, not a decision)",
}
# What reading roles looks like: on a person's Access, on an account, or on the Role names themselves.
ACCESS_ATTRIBUTES = {"roles", "organisation_ids", "capabilities", "can", "is_working_group", "is_partner"}
ACCESS_ATTRIBUTES |= {"is_governing", "is_admin", "has_any"}
ACCOUNT_ATTRIBUTES = {"is_superuser", "is_staff"}
ROLE_DATA = {"values", "choices", "labels", "names"}  # the list of roles, not a decision about anyone
MEMBERSHIP_LOOKUPS = re.compile(r"(^|__)role(__in)?$")
QUERIES = {"filter", "exclude", "get", "first", "exists", "count", "values", "values_list", "annotate"}


def _python_files():
    for path in sorted(PROJECT_ROOT.rglob("*.py")):
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        if relative.split("/")[0] in {"tests", ".venv", "tools", "scripts"} or "/migrations/" in relative:
            continue
        yield relative, path


def _allowed(relative: str) -> bool:
    return (
        relative.endswith("/policies.py")
        or relative in ALLOWED_FILES
        or any(relative.startswith(folder) for folder in ALLOWED_FOLDERS)
    )


def _is_access(node) -> bool:
    """`access`, `self.access`, `request.access`."""
    return (isinstance(node, ast.Name) and node.id == "access") or (
        isinstance(node, ast.Attribute) and node.attr == "access"
    )


def role_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for every read of roles, capabilities or memberships in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            if node.attr in ACCESS_ATTRIBUTES and _is_access(node.value):
                found.append((node.lineno, node.col_offset, f"access.{node.attr}"))
            elif node.attr in ACCOUNT_ATTRIBUTES and isinstance(node.ctx, ast.Load):  # taking them away is no check
                found.append((node.lineno, node.col_offset, node.attr))
            elif isinstance(node.value, ast.Name) and node.value.id == "Role" and node.attr not in ROLE_DATA:
                found.append((node.lineno, node.col_offset, f"Role.{node.attr}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERIES:
            for keyword in node.keywords:  # a query by role; creating the memberships a service was given is not
                if keyword.arg and MEMBERSHIP_LOOKUPS.search(keyword.arg):
                    found.append((keyword.value.lineno, keyword.value.col_offset, f"{keyword.arg}="))
    return [(line, what) for line, _, what in sorted(found)]


def test_the_scan_finds_each_way_of_reading_roles():
    sample = (
        "if access.is_working_group or request.access.can(X): pass\n"
        "user.is_superuser\n"
        "user.is_staff = False\n"
        "Role.ADMIN in held\n"
        "User.objects.filter(memberships__role__in=roles)\n"
        "Role.values\n"
    )
    assert [what for _, what in role_reads(sample)] == [
        "access.is_working_group",
        "access.can",
        "is_superuser",
        "Role.ADMIN",
        "memberships__role__in=",
    ]


def test_no_role_or_membership_check_outside_the_policies_and_page_gates():
    outside = [
        f"{relative}:{line}: {what}"
        for relative, path in _python_files()
        if not _allowed(relative)
        for line, what in role_reads(path.read_text(encoding="utf-8"))
    ]
    assert outside == []


def test_templates_ask_page_gates_not_roles():
    pattern = re.compile(r"access\.(roles|is_working_group|is_partner|is_governing|is_admin|organisation_ids)\b")
    found = [
        f"{path.relative_to(PROJECT_ROOT)}: {match.group(0)}"
        for path in sorted((PROJECT_ROOT / "templates").rglob("*.html"))
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
