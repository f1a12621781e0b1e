"""Which release of the code is running, for the shared cache's keys.

What the app keeps in the cache is built by its code: rendered pages, figures, report snapshots. Redis
outlives a deploy, and what is kept is keyed by generations that only changes in the data move, so
without this a new release would serve what the one before built (a page's old HTML, a figure worked out
the old way, a snapshot frozen by the old code, even published) until the next change. With Redis, every
key carries the release (`settings.CSA_RELEASE`), so each release reads only what it built; instances of
the same release share everything.
"""

from __future__ import annotations

import os
from hashlib import sha256
from pathlib import Path

# What the server's output is made from; static files are addressed by their own hashes.
SOURCE_SUFFIXES = (".py", ".html", ".txt")
# Not code the server runs: the environment, tests, history, collected or uploaded files.
SKIPPED_FOLDERS = frozenset({".venv", ".git", "tests", "node_modules", "staticfiles", "media", "__pycache__"})


def code_release(root: Path) -> str:
    """A digest (12 hex digits) of the code under `root`: each source file's path and content, in path
    order. The same code gives the same digest on every machine, whenever it was copied there; a change to
    any file gives another."""
    digest = sha256()
    for path in sorted(_sources(root)):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _sources(root: Path):
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name not in SKIPPED_FOLDERS and not name.startswith(".")]
        for name in files:
            if name.endswith(SOURCE_SUFFIXES):
                yield Path(folder) / name
