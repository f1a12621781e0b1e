from django.core.management.base import BaseCommand
from django.db import connection

from benchmarks.imports import run
from benchmarks.pages import load_average
from benchmarks.results import database_label, record


class Command(BaseCommand):
    help = (
        "Time the preview and commit of a generated readings import, with peak memory; nothing is kept. "
        'The timing goes into bench-results.json under the database (size "import").'
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--output", default="bench-results.json")

    def handle(self, *args, rows, output, **options):
        before = load_average()
        timing = run(rows)
        self.stdout.write(
            f"spreadsheets: import of {timing.rows:,} readings ({timing.file_bytes / 1024:,.0f} KB XLSX): "
            f"preview {timing.preview_seconds:.1f} s, commit {timing.commit_seconds:.1f} s, "
            f"total {timing.preview_seconds + timing.commit_seconds:.1f} s, "
            f"peak memory of the process {timing.peak_mb:.0f} MB "
            "(targets: preview 2 s, commit 5 s, under 300 MB)"
        )
        values = {
            "rows": timing.rows,
            "file_bytes": timing.file_bytes,
            "preview_seconds": round(timing.preview_seconds, 2),
            "commit_seconds": round(timing.commit_seconds, 2),
            "peak_mb": round(timing.peak_mb),
            "load_average_before": before,
            "load_average_after": load_average(),
        }
        record(output, database=database_label(connection.vendor), size="import", part=None, values=values)
