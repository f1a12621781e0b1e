from django.core.management.base import BaseCommand

from benchmarks.imports import run


class Command(BaseCommand):
    help = "Time the preview and commit of a generated readings import, with peak memory; nothing is kept."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args, rows, **options):
        timing = run(rows)
        self.stdout.write(
            f"spreadsheets: import of {timing.rows:,} readings ({timing.file_bytes / 1024:,.0f} KB XLSX): "
            f"preview {timing.preview_seconds:.1f} s, commit {timing.commit_seconds:.1f} s, "
            f"total {timing.preview_seconds + timing.commit_seconds:.1f} s, "
            f"peak memory of the process {timing.peak_mb:.0f} MB "
            "(targets: under 30 s and 500 MB)"
        )
