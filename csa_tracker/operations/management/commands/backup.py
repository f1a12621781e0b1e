from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from csa_tracker.operations.backup import EXCLUDED, private_file


class Command(BaseCommand):
    help = "Write every record (plans, actions, updates, indicators, users, audit history) to an XML file."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write, ending .xml (default: backups/<UTC time>.xml).")

    def handle(self, *args, output=None, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(output or Path(settings.BASE_DIR) / "backups" / f"{stamp}.xml")
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
        # The file holds password hashes and two-factor secrets: readable by its owner only, from the
        # moment it exists (made before dumpdata writes into it, whatever the umask).
        private_file(path)
        # Primary keys are kept so a restore is row-for-row; content types and permissions are
        # referred to by name, because a fresh `migrate` numbers them afresh.
        # XML, because Django's JSON encoder cuts times to milliseconds and the audit history needs them whole.
        call_command("dumpdata", format="xml", natural_foreign=True, exclude=EXCLUDED, output=str(path), verbosity=0)
        self.stdout.write(str(path))
