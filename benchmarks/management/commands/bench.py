from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from benchmarks import pages as bench
from benchmarks.results import database_label, record


class Command(BaseCommand):
    help = (
        "Generate a large plan (or many partnerships) in an EMPTY database and time each page against a trivial "
        "one (run through `make bench`, which points DATABASE_URL at a throwaway database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument(
            "--size",
            choices=sorted(bench.SIZES),
            default="large",
            help=(
                "large: one partnership, 10 plan years; many: 30 partnerships of 3 plan years; crowd: 300 "
                "partnerships of 3 plan years (benchmarks.pages)."
            ),
        )
        parser.add_argument("--output", default="bench-results.json", help="Where to write the results.")

    def handle(self, *args, repeat, size, output, **options):
        try:
            results = bench.run(repeat=repeat, today=timezone.localdate(), size=size, report=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.table(results))
        database = database_label(connection.vendor)
        record(output, database=database, size=size, part=None, values=results)
        self.stdout.write(f"Wrote the {database} {size} results to {output}.")

    @staticmethod
    def table(results) -> str:
        lines = [
            f"size {results['size']}, load average {results['load_average_before']} before, "
            f"{results['load_average_after_pages']} after the pages",
            f"{'page':<26} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8} {'CPU x':>7} {'built x':>8} "
            f"{'queries':>8} {'at seed':>8}",
        ]
        for row in results["pages"]:
            generated, seed = row["generated"], row["seed"]
            built = f"{row['built_cpu_ratio_to_trivial']:>8.2f}" if "built" in row else f"{'-':>8}"
            lines.append(
                f"{row['name']:<26} {generated['median_ms']:>10.2f} {generated['p95_ms']:>8.2f} "
                f"{generated['cpu_ms'] + generated['database_cpu_ms']:>8.2f} {row['cpu_ratio_to_trivial']:>7.2f} "
                f"{built} {generated['queries']:>8} {seed['queries']:>8}"
            )
        for row in results.get("publish", []):
            generated, seed = row["generated"], row.get("seed")
            lines.append(
                f"{row['name']:<26} {generated['median_ms']:>10.2f} {generated['p95_ms']:>8.2f} "
                f"{generated['cpu_ms'] + generated['database_cpu_ms']:>8.2f} {row['cpu_ratio_to_trivial']:>7.2f} "
                f"{'-':>8} {generated['queries']:>8} {seed['queries'] if seed else '-':>8}"
            )
        return "\n".join(lines)
