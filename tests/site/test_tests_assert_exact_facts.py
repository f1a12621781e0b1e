"""Tests assert the exact fact (issue 22): no `assert <a> or <b>` (either the test knows which, or the
either/or is two tests), and no status "one of these" (`response.status_code in (200, 302)`): a POST
states the one status it expects. Read from every test file's syntax tree, so neither comes back."""

import ast

import pytest

from tests.paths import ROOT

TESTS = ROOT / "tests"


def files_of_tests() -> list:
    return sorted(TESTS.rglob("*.py"))


def findings(source: str) -> list[tuple[int, str]]:
    """(line, text) of each `assert <a> or <b>` and each `<x>.status_code in <several>` in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.BoolOp) and isinstance(node.test.op, ast.Or):
            found.append((node.lineno, ast.unparse(node.test)))
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Attribute)
            and node.left.attr == "status_code"
            and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
        ):
            found.append((node.lineno, ast.unparse(node)))
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("assert a or b", [(1, "a or b")]),
        ("assert response.status_code in (200, 302)", [(1, "response.status_code in (200, 302)")]),
        ("if second.status_code not in {200, 404}:\n    pass", [(1, "second.status_code not in {200, 404}")]),
        ("assert a and b\nassert x == (a or b)\nassert response.status_code == 302", []),
    ],
)
def test_the_check_finds_either_or_assertions_and_only_those(source, expected):
    assert findings(source) == expected


def test_no_test_asserts_one_of_several_facts():
    assert "test_forms_unchanged_save.py" in {path.name for path in files_of_tests()}  # the walk reads the tests
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in files_of_tests()
        for line, text in findings(path.read_text(encoding="utf-8"))
    ]
    assert found == []
