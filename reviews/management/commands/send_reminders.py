"""Daily from cron: lock cycles past their deadline, e-mail deadline reminders, and (on the digest
weekday) the Working Group's digest. Running it twice on one day sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reviews.reminders import run_reminders


class Command(BaseCommand):
    help = "Lock overdue cycles, send deadline reminders and the weekly Working Group digest."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today must be a date written YYYY-MM-DD, not “{today}”.") from exc
        summary = run_reminders(today=day)
        self.stdout.write(
            f"{day:%Y-%m-%d}: {summary.locked} cycle(s) locked, {summary.reminders} reminder(s) "
            f"and {summary.digests} digest(s) sent, {summary.notification_digests} notification digest(s) e-mailed."
        )
