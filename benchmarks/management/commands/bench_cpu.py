from django.core.management.base import BaseCommand

from benchmarks.cpu import postgres_seconds, tree_seconds


class Command(BaseCommand):
    help = "Print the CPU seconds of a server's process tree (and of PostgreSQL on this machine), for the load test."

    def add_arguments(self, parser):
        parser.add_argument("--pid", type=int, required=True, help="The server's process (scripts/serve.sh).")

    def handle(self, *args, pid, **options):
        self.stdout.write(f"{tree_seconds(pid) + postgres_seconds():.3f}")
