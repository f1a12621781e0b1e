from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError

from benchmarks import pages as bench
from csa_tracker.accounts.models import Partnership
from cycles.models import ReportingCycle
from indicators.models import Indicator
from priorities.models import Plan


class Command(BaseCommand):
    help = (
        "For the load test (scripts/load_test.sh): sign in each bench user and write one line per role page, "
        "'<session cookie> <path>', against the database `make bench` generated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)

    def handle(self, *args, output, **options):
        partnership = Partnership.objects.filter(slug=bench.BENCH_SLUG).first()
        if partnership is None:
            raise CommandError("No bench partnership here: run `make bench` first (it generates the large plan).")
        target = bench.Target(
            partnership=partnership,
            plan=Plan.objects.for_partnership(partnership).first().slug,
            indicator=Indicator.objects.filter(partnership=partnership).order_by("pk").first().slug,
            cycle=ReportingCycle.objects.current_in(partnership).pk,
        )
        # Not the report downloads: `make bench` stored their files in a folder of its own, since removed.
        pages = [page for page in bench.PAGES if "{report}" not in page.path]
        lines = []
        for role in sorted({page.role for page in pages}):
            cookie = f"{settings.SESSION_COOKIE_NAME}={self.signed_in(role)}"
            lines += [f"{cookie} {target.url(page)}" for page in pages if page.role == role]
        Path(output).write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(f"{len(lines)} role pages for the load test in {output}.")

    @staticmethod
    def signed_in(role: str) -> str:
        """A session as Django's login would leave it, for the bench user of that role."""
        user = get_user_model().objects.get(username=f"bench-{role}")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "csa_tracker.accounts.identities.CaseInsensitiveBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key
