#!/usr/bin/env python3
"""The layering check of `make lint`: every Python file of the project belongs to a layer, and imports
only from its own layer or the ones below.

Unlike `tools/app_layers.py` (the shared tool, which leaves out management commands and files outside
the apps), this reads every file: management commands and migrations belong to their app; the modules
at the root of `csa_tracker/` (text, cells, forms, mail, refusals...) are the bottom layer
"csa_tracker"; the project's wiring (`csa_tracker/settings.py`, `urls.py`, `wsgi.py`, `pytest_env.py`,
`manage.py`) and `tools/`, `scripts/` sit on top. Tests are left out.

Usage: python3 tools/layers.py --order csa_tracker.accounts,...,csa_tracker.operations
(the apps from the bottom layer up, as the Makefile's LAYERS). Exit status 1 when any import points up,
any two layers import each other, or a file belongs to no layer.
"""

from __future__ import annotations

import argparse
import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
BASE = "csa_tracker"  # the modules at the root of csa_tracker/
TOP = "project"  # settings, URLs, WSGI, tooling
TOP_MODULES = {"csa_tracker.settings", "csa_tracker.urls", "csa_tracker.wsgi", "csa_tracker.asgi", "manage"}
TOP_MODULES |= {"csa_tracker.pytest_env", "csa_tracker.admin_site"}
SKIPPED = {"tests", ".venv", "venv", "node_modules", "staticfiles", "media", "test-artifacts"}


def apps() -> list[str]:
    found = [p.parent.name for p in ROOT.glob("*/apps.py")]
    found += [f"{p.parent.parent.name}.{p.parent.name}" for p in ROOT.glob("*/*/apps.py")]
    return sorted(found)


def layer_of(module: str, known: list[str]) -> str | None:
    """The app (or BASE, or TOP) a dotted module name belongs to; None for anything else (libraries)."""
    if module in TOP_MODULES or module.split(".")[0] in ("tools", "scripts"):
        return TOP
    best = max((app for app in known if module == app or module.startswith(app + ".")), key=len, default=None)
    if best:
        return best
    if module == BASE or module.startswith(BASE + "."):
        return BASE
    return None


def imports(path: pathlib.Path, module: str):
    """(imported module, line) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                yield name.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno
            for name in node.names:  # `from . import views` imports a module
                yield f"{target}.{name.name}", node.lineno


def check(order: list[str]) -> list[str]:
    known = apps()
    rank = {BASE: -1, **{app: index for index, app in enumerate(order)}, TOP: len(order)}
    problems, edges, reported = [], {}, set()
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIPPED:
            continue
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        source = layer_of(module, known)
        if source is None or source not in rank:
            problems.append(f"{relative}: belongs to no layer (add its app to the order)")
            continue
        for target, line in imports(path, module):
            destination = layer_of(target, known)
            if destination is None or destination == source:
                continue
            edges.setdefault((source, destination), f"{relative}:{line}")
            if rank.get(destination, len(order) + 1) > rank[source] and f"{relative}:{line}" not in reported:
                reported.add(f"{relative}:{line}")
                problems.append(f"{relative}:{line}: {source} imports {target} from the layer above ({destination})")
    for (a, b), where in sorted(edges.items()):
        if (b, a) in edges and a < b:
            problems.append(f"{a} and {b} import each other: {where} / {edges[(b, a)]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--order", required=True)
    order = parser.parse_args().order.split(",")
    problems = check(order)
    print(f"layers: {len(order) + 2}; files that break them: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
