"""`manage.py tasks_worker`: run the background jobs (report outputs, e-mail delivery) as they are queued;
`make run` and `make serve` start it. Jobs a stopped worker left half-done are queued again first."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from csa_tracker.operations.jobs import requeue_interrupted, worker_id


class Command(BaseCommand):
    help = "Run the background jobs as they are queued (--batch: run what is queued now, then stop)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at the queue.")

    def handle(self, *args, batch, interval, **options):
        requeued = requeue_interrupted()
        if requeued:
            self.stdout.write(f"Queued again {requeued} job(s) a stopped worker had left half-done.")
        call_command(
            "db_worker",
            worker_id=worker_id(),
            batch=batch,
            interval=interval,
            startup_delay=False,
            reload=False,
            verbosity=options.get("verbosity", 1),
        )
