import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from csa_tracker.accounts.access import access_for
from cycles.models import CycleState
from demo.loader import load_plan
from demo.scenario import load_scenario
from demo.users import DEMO_USERS, ensure_demo_users
from reports.services import report_publish


class Command(BaseCommand):
    help = "Load the Kent Community Safety Agreement 2017/18 and one demo user per role. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for the demo users (generated and printed if omitted).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (e.g. a staging site).")

    def handle(self, *args, password=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo adds demo accounts; it runs only with DJANGO_DEBUG=1 unless --force.")
        plan = load_plan()
        User = get_user_model()
        names = [demo.username for demo in DEMO_USERS]
        missing = set(names) - set(User.objects.filter(username__in=names).values_list("username", flat=True))
        if password is None and missing:
            password = secrets.token_urlsafe(12)
        changed = ensure_demo_users(plan.partnership, password)
        users = {user.username: user for user in User.objects.filter(username__in=["partner", "reviewer"])}
        # Seeding demo work must not e-mail anyone about it.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            opened = load_scenario(plan, partner=users["partner"], reviewer=users["reviewer"])
        if opened:
            self.stdout.write("Opened the Q4 2017/18 cycle with work in progress for partner and reviewer.")
        # The seed is the published Q3 2017/18 report; publish it once, as the Working Group.
        for cycle in plan.cycles.filter(state=CycleState.PUBLISHED, reports__isnull=True):
            report, _ = report_publish(access=access_for(users["reviewer"], plan.partnership), cycle=cycle)
            self.stdout.write(f"Published the {cycle.name} report: {report.get_absolute_url()}")
        self.stdout.write(self.style.SUCCESS(f"Loaded “{plan.title}”: {plan.plan_priorities.count()} priorities."))
        if changed:
            self.stdout.write(f"Demo users {', '.join(changed)} have the password: {password}")
        else:
            self.stdout.write("Demo users already exist; passwords unchanged (pass --password to set one).")
        self.stdout.write(f"Sign in as one of: {', '.join(names)}")
