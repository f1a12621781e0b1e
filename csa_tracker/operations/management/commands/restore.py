from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from csa_tracker.accounts.models import Partnership


class Command(BaseCommand):
    help = "Load a backup written by `manage.py backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if get_user_model().objects.exists() or Partnership.objects.exists():
            raise CommandError(
                "This database already has data; restore only into an empty one "
                "(create a new database, run `manage.py migrate`, then restore)."
            )
        # The backup holds the audit history itself; recording the restore's own writes would double it.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", file, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {file}."))
