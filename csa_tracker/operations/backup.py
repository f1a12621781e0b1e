"""What a backup holds: every row that is the partnership's record, and none that is only machinery."""

# Rebuilt by `migrate` (content types, permissions), or short-lived (sessions, sign-in attempts, admin log).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
]
