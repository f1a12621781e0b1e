import secrets
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from csa_tracker.accounts.access import access_for
from cycles.models import CycleState
from demo.loader import DEMO_PLANS, KENT_PLAN, load_plan
from demo.scenario import load_scenario
from demo.users import DEMO_USERS, demo_device, ensure_demo_users
from reports.services import report_publish


class Command(BaseCommand):
    help = (
        "Load the Kent Community Safety Agreement 2017/18, a short Maidstone plan, and one demo user per role. "
        "Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for the demo users (generated and printed if omitted).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (e.g. a staging site).")

    def handle(self, *args, password=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo adds demo accounts; it runs only with DJANGO_DEBUG=1 unless --force.")
        plans = {}
        for path in DEMO_PLANS:
            plans[path] = plan = load_plan(path)
            self.stdout.write(self.style.SUCCESS(f"Loaded “{plan.title}”: {plan.plan_priorities.count()} priorities."))
        User = get_user_model()
        names = [demo.username for demo in DEMO_USERS]
        missing = set(names) - set(User.objects.filter(username__in=names).values_list("username", flat=True))
        if password is None and missing:
            password = secrets.token_urlsafe(12)
        changed = ensure_demo_users(password)
        users = {user.username: user for user in User.objects.filter(username__in=["partner", "reviewer"])}
        if load_scenario(plans[KENT_PLAN], partner=users["partner"], reviewer=users["reviewer"]):
            self.stdout.write("Opened the Kent Q4 2017/18 cycle with work in progress for partner and reviewer.")
        # Each demo plan's published cycle is the report as it was issued; publish it once, as the Working Group.
        for plan in plans.values():
            reviewer = access_for(users["reviewer"], plan.partnership)
            for cycle in plan.cycles.filter(state=CycleState.PUBLISHED, reports__isnull=True):
                report, _ = report_publish(access=reviewer, cycle=cycle, notify=False)
                self.stdout.write(f"Published the {cycle.name} report: {report.get_absolute_url()}")
        if changed:
            self.stdout.write(f"Demo users {', '.join(changed)} have the password: {password}")
        else:
            self.stdout.write("Demo users already exist; passwords unchanged (pass --password to set one).")
        self.stdout.write(f"Sign in as one of: {', '.join(names)}")
        if settings.CSA_REQUIRE_2FA:
            self._explain_two_factor()

    def _explain_two_factor(self):
        for demo in DEMO_USERS:
            if demo.needs_two_factor:
                key = b32encode(demo_device(demo.username).bin_key).decode()
                self.stdout.write(
                    f"{demo.username} also needs a sign-in code: add the key {key} to an authenticator app, "
                    f"or run `manage.py demo_totp {demo.username}` for the current code."
                )
