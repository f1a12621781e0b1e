import json
from pathlib import Path

from django.core.management.base import BaseCommand

# Issue 18's targets: a page's median as a multiple of the trivial page's in the same run.
PAGE_TARGETS = {
    "governing dashboard": 3,
    "working group dashboard": 3,
    "partner dashboard": 3,
    "indicator page": 3,
    "indicator list": 3,
    "review queue": 3,
    "my actions": 3,
    "indicator CSV": 5,
}
LOAD_TARGETS = "0 errors, p95 ≤ 500 ms, ≥ 150 requests/s"


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


class Command(BaseCommand):
    help = "Print bench-results.json as the README's Performance tables, every figure against its target."

    def add_arguments(self, parser):
        parser.add_argument("--input", default="bench-results.json")

    def handle(self, *args, input, **options):
        results = json.loads(Path(input).read_text(encoding="utf-8"))
        out = []
        for database, sizes in results.items():
            for size in ("large", "many"):
                found = sizes.get(size)
                if not found:
                    continue
                out.append(
                    f"\n**{database}, {size}** ({found['volumes']}; load average {found['load_average_before']} "
                    f"before the pages, {found['load_average_after_pages']} after)\n"
                )
                out.append("| page | median / p95 ms | × trivial | target | queries (generated / seed) |")
                out.append("|---|---|---|---|---|")
                for row in found["pages"]:
                    target = PAGE_TARGETS.get(row["name"])
                    ratio = row["ratio_to_trivial"]
                    verdict = f"≤ {target}×: {_met(ratio <= target)}" if target else "—"
                    generated, seed = row["generated"], row["seed"]
                    out.append(
                        f"| {row['name']} | {generated['median_ms']:.2f} / {generated['p95_ms']:.2f} | {ratio:.2f} | "
                        f"{verdict} | {generated['queries']} / {seed['queries']} |"
                    )
        out.append(
            "\n| database | size | requests/s | p50 ms | p95 ms | errors | load average before → after | "
            f"target ({LOAD_TARGETS}) |"
        )
        out.append("|---|---|---|---|---|---|---|---|")
        for database, sizes in results.items():
            for size in ("large", "many"):
                load = sizes.get(size, {}).get("load")
                if not load:
                    continue
                ok = load["errors"] == 0 and load["p95_ms"] <= 500 and load["throughput_per_s"] >= 150
                out.append(
                    f"| {database} | {size} | {load['throughput_per_s']:.1f} | {load['p50_ms']:.0f} | "
                    f"{load['p95_ms']:.0f} | {load['errors']} | {load['load_average_before'][:1]} → "
                    f"{load['load_average_after'][:1]} | {_met(ok)} |"
                )
        for database, sizes in results.items():
            found = sizes.get("import")
            if found:
                ok = found["preview_seconds"] <= 2 and found["commit_seconds"] <= 5 and found["peak_mb"] < 300
                out.append(
                    f"\nImport ({database}): {found['rows']:,} readings, preview {found['preview_seconds']} s, commit "
                    f"{found['commit_seconds']} s, peak {found['peak_mb']} MB (targets 2 s, 5 s, 300 MB: {_met(ok)}; "
                    f"load average {found['load_average_before'][:1]})"
                )
            for size in ("large",):
                reports = sizes.get(size, {}).get("reports")
                if reports:
                    out.append(f"\nReports ({database}): {reports}")
        self.stdout.write("\n".join(out))
