from django.core.management.base import BaseCommand
from django.db import connection

from benchmarks.pages import load_average
from benchmarks.results import database_label, record

NUMBERS = ("requests", "seconds", "throughput_per_s", "p50_ms", "p95_ms", "p99_ms")
ERRORS = ("errors_status", "errors_connect", "errors_read", "errors_write", "errors_timeout")


class Command(BaseCommand):
    help = "Keep the load test's summary (scripts/load.lua's 'key value' lines) in bench-results.json."

    def add_arguments(self, parser):
        parser.add_argument("summary", help="wrk's output with load.lua's summary lines")
        parser.add_argument("--size", required=True)
        parser.add_argument("--users", type=int, required=True)
        parser.add_argument("--load-average-before", default="", help="/proc/loadavg before the run")
        parser.add_argument("--cpu-seconds", type=float, default=0.0, help="server CPU spent during the run")
        parser.add_argument("--cores", type=int, default=1, help="the machine's cores, for the ceiling")
        parser.add_argument("--output", default="bench-results.json")

    def handle(self, *args, summary, size, users, load_average_before, cpu_seconds, cores, output, **options):
        found = {}
        with open(summary, encoding="utf-8") as lines:
            for line in lines:
                key, _, value = line.strip().partition(" ")
                if key in NUMBERS or key in ERRORS:
                    found[key] = float(value) if key in NUMBERS else int(value)
        load = {key: found.get(key) for key in NUMBERS}
        load["errors"] = sum(found.get(key, 0) for key in ERRORS)
        load.update({key: found.get(key, 0) for key in ERRORS})
        load["users"] = users
        requests = load.get("requests") or 0
        if cpu_seconds and requests:
            # CPU per request (the app and the database) and the requests per second it allows at full use.
            load["cpu_ms_per_request"] = round(cpu_seconds / requests * 1000, 2)
            load["ceiling_per_s"] = round(cores / (cpu_seconds / requests), 1)
        load["load_average_before"] = [float(part) for part in load_average_before.split()[:3]]
        load["load_average_after"] = load_average()
        database = database_label(connection.vendor)
        record(output, database=database, size=size, part="load", values=load)
        self.stdout.write(f"Load test ({database}, {size}): {load}")
