#!/usr/bin/env python
"""Django's command-line utility, with a readable message when the database is unreachable."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csa_tracker.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except OperationalError as exc:
        from csa_tracker.settings import database_unreachable_message

        sys.stderr.write(database_unreachable_message(exc) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
