"""What a backup holds: every row that is the partnership's record, and none that is only machinery."""

import os

# Rebuilt by `migrate` (content types, permissions), or short-lived (sessions, sign-in attempts, admin log).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
]


def private_file(path) -> None:
    """Create `path` empty (or empty it), readable and writable by its owner only (mode 0600)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through os.open
    finally:
        os.close(descriptor)
