"""`make bench`: generate a large plan in a throwaway database, then time pages against a trivial one.

Two sizes (`SIZES`): "large" is one partnership ("bench") with 10 plan years of 8 priorities with 40
actions each, a progress update per action per quarter, and 100 indicators with 10 years of monthly
readings in each of 15 geographies; "many" is 30 partnerships on the one database, each with 3 plan
years of 6 priorities with 15 actions and 20 indicators with 3 years of readings, and the pages are
timed in the first of them ("bench") while the other 29 share its tables. The Kent 2017/18 plan is
loaded beside them so every page's query count can be compared at seed size and at generated size in
the same run.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.models import Membership, Organisation, Partnership, Role
from cycles.models import CycleState, ReportingCycle
from demo.loader import load_geographies, load_plan, load_statuses
from indicators.models import ComparabilityNote, Geography, Indicator, IndicatorReading, Population, Unit
from indicators.periods import Period, PeriodType, add_months, month_end
from priorities.models import Plan, PlanPriority, Priority
from reports.models import Report, cycle_slug
from reports.snapshot import build_snapshot, kept_snapshot_key, snapshot_digest
from workflow.models import ReviewState

BENCH_SLUG = "bench"


@dataclass(frozen=True)
class Size:
    """How much `make bench` generates: `partnerships` alike, each with these volumes."""

    partnerships: int
    plan_years: int
    priorities: int
    actions_per_priority: int
    indicators: int
    reading_years: int
    time_reports: bool = True  # render the latest report (seconds each; the large size only)

    def volumes(self) -> dict:
        return {
            "plan_years": self.plan_years,
            "priorities": self.priorities,
            "actions_per_priority": self.actions_per_priority,
            "indicators": self.indicators,
            "reading_years": self.reading_years,
        }


SIZES = {
    "large": Size(
        partnerships=1, plan_years=10, priorities=8, actions_per_priority=40, indicators=100, reading_years=10
    ),
    "many": Size(
        partnerships=30,
        plan_years=3,
        priorities=6,
        actions_per_priority=15,
        indicators=20,
        reading_years=3,
        time_reports=False,
    ),
    # Issue 26: the ratios must hold with 300 partnerships sharing the tables (fewer indicators each, so
    # the database stays under a few GB).
    "crowd": Size(
        partnerships=300,
        plan_years=3,
        priorities=6,
        actions_per_priority=15,
        indicators=6,
        reading_years=3,
        time_reports=False,
    ),
}
BENCH_GEOGRAPHIES = 15  # Kent and Medway, Kent, Medway and the twelve districts


@dataclass(frozen=True)
class Page:
    """A page to time: `path` is formatted with the partnership's slug, plan and an indicator slug."""

    name: str
    path: str
    role: str
    trivial: bool = False
    # Served through the fragment cache (csa_tracker.accounts.fragments): timed on a hit and built.
    work_in_progress: bool = False


# Add pages here (e.g. the review queue, reports); the first `trivial` page is the yardstick.
PAGES = [
    Page("trivial: plan list", "/{partnership}/plans/", Role.GOVERNING, trivial=True),
    Page("governing dashboard", "/{partnership}/dashboard/", Role.GOVERNING, work_in_progress=True),
    Page(
        "working group dashboard", "/{partnership}/dashboard/working-group/", Role.WORKING_GROUP, work_in_progress=True
    ),
    Page("partner dashboard", "/{partnership}/dashboard/mine/", Role.PARTNER, work_in_progress=True),
    Page("indicator page", "/{partnership}/indicators/{indicator}/", Role.GOVERNING),
    Page("indicator list", "/{partnership}/indicators/", Role.GOVERNING),
    Page("indicator CSV", "/{partnership}/indicators/{indicator}/csv", Role.GOVERNING),
    Page("review queue", "/{partnership}/review/", Role.WORKING_GROUP, work_in_progress=True),
    Page("my actions", "/{partnership}/my-work/", Role.PARTNER, work_in_progress=True),
    Page("completeness board", "/{partnership}/cycles/{cycle}/board/", Role.WORKING_GROUP, work_in_progress=True),
    # Served from storage: the warm-up request makes and stores the file, the timed ones read it.
    Page("report PDF download", "{report}.pdf", Role.GOVERNING),
    Page("report .docx download", "{report}.docx", Role.GOVERNING),
]


@dataclass(frozen=True)
class Target:
    """One partnership to time pages in, with the objects the paths name."""

    partnership: Partnership
    plan: str
    indicator: str
    report: str = ""  # a published report version's address without its extension: /p/reports/plan/cycle/v1
    cycle: int = 0  # the key of the cycle with open work (ReportingCycle.objects.current_in), for its board

    def url(self, page: Page) -> str:
        return page.path.format(
            partnership=self.partnership.slug,
            plan=self.plan,
            indicator=self.indicator,
            report=self.report,
            cycle=self.cycle,
        )


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _quarters(starts: date) -> list[tuple[date, date]]:
    return [
        (
            date(*add_months(starts.year, starts.month, 3 * q), 1),
            month_end(*add_months(starts.year, starts.month, 3 * q + 2)),
        )
        for q in range(4)
    ]


def generate_size(size: Size, *, today: date) -> Target:
    """Generate every partnership of `size`; returns the first ("bench"), whose pages are timed."""
    targets = [
        generate(today=today, number=number, seed=number, **size.volumes())
        for number in range(1, size.partnerships + 1)
    ]
    return targets[0]


@transaction.atomic
def generate(
    *,
    today: date,
    plan_years=10,
    priorities=8,
    actions_per_priority=40,
    indicators=100,
    reading_years=10,
    seed=1,
    number: int = 1,
) -> Target:
    """Create one bench partnership with bulk inserts (the first is "bench", the others "bench-<number>");
    returns what the page paths need."""
    rng = random.Random(seed)  # noqa: S311 - repeatable made-up figures, not security
    slug, name = (
        (BENCH_SLUG, "Bench Partnership") if number == 1 else (f"bench-{number}", f"Bench Partnership {number}")
    )
    partnership = Partnership.objects.create(name=name, short_name=f"Bench {number}", slug=slug)
    statuses = list(load_statuses(partnership).values())
    organisations = Organisation.objects.bulk_create(
        Organisation(partnership=partnership, name=f"Bench organisation {n}", kind=Organisation.Kind.DISTRICT_COUNCIL)
        for n in range(14)
    )
    identities = Priority.objects.bulk_create(
        Priority(partnership=partnership, slug=f"priority-{n}") for n in range(1, priorities + 1)
    )

    # Plans run April to March; the last one is the plan in force today.
    first_year = today.year - (1 if today.month < 4 else 0) - plan_years + 1
    plans = Plan.objects.bulk_create(
        Plan(
            partnership=partnership,
            title=f"Bench Plan {year}/{str(year + 1)[-2:]}",
            slug=f"{year}-{str(year + 1)[-2:]}",
            starts=date(year, 4, 1),
            ends=date(year + 1, 3, 31),
        )
        for year in range(first_year, first_year + plan_years)
    )
    plan_priorities = PlanPriority.objects.bulk_create(
        PlanPriority(plan=plan, priority=identity, title=f"Priority {n + 1}", order=n + 1, context="Context.")
        for plan in plans
        for n, identity in enumerate(identities)
    )
    cycles = {}
    for plan in plans:
        cycles[plan.pk] = ReportingCycle.objects.bulk_create(
            ReportingCycle(
                plan=plan,
                name=f"Q{n + 1} {plan.slug}",
                period_start=start,
                period_end=end,
                update_deadline=end - timedelta(days=14),
                state=CycleState.PUBLISHED if end < today else CycleState.OPEN,
            )
            for n, (start, end) in enumerate(_quarters(plan.starts))
        )
    actions = Action.objects.bulk_create(
        Action(
            plan_priority=plan_priority,
            wording=f"Action {n + 1} of {plan_priority.title}: deliver an initiative with partners.",
            status=rng.choice(statuses),
            due_date=plan_priority.plan.starts + timedelta(days=rng.randint(30, 500)),
            order=n + 1,
        )
        for plan_priority in plan_priorities
        for n in range(actions_per_priority)
    )
    plan_of = {pp.pk: pp.plan_id for pp in plan_priorities}
    Action.leads.through.objects.bulk_create(
        Action.leads.through(action_id=action.pk, organisation_id=organisations[n % len(organisations)].pk)
        for n, action in enumerate(actions)
    )
    Action.supporters.through.objects.bulk_create(
        Action.supporters.through(action_id=action.pk, organisation_id=organisations[(n + 3) % len(organisations)].pk)
        for n, action in enumerate(actions)
    )
    updates = []
    for action in actions:
        for cycle in cycles[plan_of[action.plan_priority_id]]:
            if cycle.period_start > today:
                continue
            state = ReviewState.PUBLISHED
            if cycle.state == CycleState.OPEN:
                state = rng.choice([ReviewState.DRAFT, ReviewState.SUBMITTED, None])
                if state is None:
                    continue
            # One submitted update in ten is flagged (bulk inserts store `flagged` as the review engine would).
            flagged = state == ReviewState.SUBMITTED and rng.random() < 0.1
            updates.append(
                ProgressUpdate(
                    action=action,
                    cycle=cycle,
                    text="Work continues with partners; see the minutes.",
                    status=action.status,
                    state=state,
                    organisation_id=organisations[0].pk,
                    flag="area_of_concern" if flagged else "",
                    flag_reason="Funding ends in March." if flagged else "",
                    flagged=flagged,
                    submitted_at=_aware(cycle.period_start + timedelta(days=rng.randint(0, 80)))
                    if state != ReviewState.DRAFT
                    else None,
                    published_at=_aware(cycle.period_end) if state == ReviewState.PUBLISHED else None,
                )
            )
    ProgressUpdate.objects.bulk_create(updates, batch_size=2000)

    geographies = [g for g in load_geographies(partnership).values() if g.kind != Geography.Kind.NATIONAL][
        :BENCH_GEOGRAPHIES
    ]
    Population.objects.bulk_create(
        [
            Population(geography=geography, year=year, value=100_000 + 7919 * n + 500 * (year - 2015))
            for n, geography in enumerate(geographies)
            for year in range(today.year - reading_years - 1, today.year + 1)
        ],
        ignore_conflicts=True,
    )
    types = [PeriodType.MONTH] * 8 + [PeriodType.ROLLING_12_MONTHS, PeriodType.YEAR_TO_DATE]
    units = [Unit.COUNT] * 8 + [Unit.RATE_PER_1000, Unit.PERCENTAGE]
    polarities = ["lower_is_better", "lower_is_better", "higher_is_better", "neither"]
    created = Indicator.objects.bulk_create(
        Indicator(
            partnership=partnership,
            priority=identities[n % priorities],
            slug=f"indicator-{n + 1:03d}",
            name=f"Bench indicator {n + 1}",
            unit=units[n % len(units)],
            polarity=polarities[n % len(polarities)],
            period_type=types[n % len(types)],
            geography=geographies[n % 3],
            source="Bench source",
            headline=n % 2 == 0,
            order=n,
        )
        for n in range(indicators)
    )
    ComparabilityNote.objects.bulk_create(
        ComparabilityNote(indicator=indicator, effective_from=date(today.year - 3, 4, 1), text="Recording changed.")
        for indicator in created[::7]
    )
    last = month_end(*add_months(today.year, today.month, -1))
    months = [month_end(*add_months(last.year, last.month, -m)) for m in range(12 * reading_years)]
    published_at = _aware(last)
    for indicator in created:
        scale = 5000 if indicator.unit != Unit.PERCENTAGE else 100
        readings = []
        for geography in geographies:
            size = scale if geography.kind != Geography.Kind.DISTRICT else scale // 400
            for end in months:
                value = Decimal(str(max(0, round(rng.gauss(size, size / 5), 1))))
                readings.append(
                    IndicatorReading(
                        indicator=indicator,
                        geography=geography,
                        period_start=Period.ending(indicator.period_type, end).start,
                        period_end=end,
                        value=value if indicator.unit == Unit.PERCENTAGE else value.to_integral_value(),
                        state=ReviewState.PUBLISHED,
                        published_at=published_at,
                    )
                )
        IndicatorReading.objects.bulk_create(readings, batch_size=5000)
    return Target(
        partnership=partnership,
        plan=plans[-1].slug,
        indicator=created[0].slug,
        cycle=ReportingCycle.objects.current_in(partnership).pk,
    )


def bench_users(targets: dict[str, Target]) -> dict[str, object]:
    """A user per role, with that role in every target partnership."""
    User = get_user_model()
    users = {}
    for role in Role.values:
        users[role] = User.objects.create(username=f"bench-{role}")
        for target in targets.values():
            organisation = Action.objects.in_partnership(target.partnership).values_list("leads", flat=True).first()
            Membership.objects.create(
                user=users[role], partnership=target.partnership, organisation_id=organisation, role=role
            )
    return users


def published_report(cycle: ReportingCycle, user) -> str:
    """Publish `cycle`'s report (as `report_publish` would freeze it) and return its address without
    the trailing slash, to which the download pages add ".pdf" or ".docx"."""
    report = Report.objects.filter(cycle=cycle).first()
    if report is None:
        snapshot = build_snapshot(cycle)
        report = Report.objects.create(
            plan=cycle.plan,
            cycle=cycle,
            version=1,
            published_at=timezone.now(),
            published_by=user,
            snapshot=snapshot,
            snapshot_digest=snapshot_digest(snapshot),
        )
    return report.get_absolute_url().rstrip("/")


def _get(client: Client, url: str):
    """A request as a browser makes it: the whole body read, file downloads included."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
        response.close()
    return response


class DatabaseCpu:
    """CPU seconds the database server spent for this connection: PostgreSQL's backend process, read from
    /proc on the same machine (SQLite runs inside this process, so its work is in the process's own CPU).

    Use it as a context manager around the timed rounds: inside, the connection is kept for the whole run
    (`CONN_MAX_AGE` would otherwise close it after 60 s at the end of a request, and the next request's new
    backend would be read against the old one's figure: a negative or lost time, as a run of 7 December
    printed for one page)."""

    def __init__(self):
        self.tick = os.sysconf("SC_CLK_TCK")
        self.kept_for = connection.settings_dict["CONN_MAX_AGE"]

    def __enter__(self):
        connection.settings_dict["CONN_MAX_AGE"] = None  # a connection opened from here on is kept
        connection.ensure_connection()
        connection.close_at = None  # and so is the one already open
        return self

    def __exit__(self, *exc):
        connection.settings_dict["CONN_MAX_AGE"] = self.kept_for
        connection.close_at = None if self.kept_for is None else time.monotonic() + self.kept_for

    def seconds(self) -> float:
        """The connection's backend CPU so far (s); 0 on SQLite."""
        if connection.vendor != "postgresql":
            return 0.0
        connection.ensure_connection()
        with open(f"/proc/{connection.connection.info.backend_pid}/stat", encoding="ascii") as found:
            fields = found.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime and stime (fields 14 and 15)


@dataclass
class Job:
    """One page in one partnership, as one role, with the fragment cache on or off."""

    key: tuple
    client: Client
    url: str
    cached: bool = True
    wall: list = field(default_factory=list)
    cpu: float = 0.0
    database_cpu: float = 0.0
    queries: int = 0

    answers: int = 200  # the status code of a request that did what it should

    def request(self):
        with override_settings(CSA_FRAGMENT_CACHE=self.cached):
            return self.fetch()

    def fetch(self):
        return _get(self.client, self.url)


# Issue 26: the publish request at most 3 times the trivial page's CPU (it builds the report's snapshot to
# decide whether anything changed since the last version; the PDF and .docx are made by the worker).
PUBLISH_CPU_TARGET = 3


# A cache that keeps nothing: a publish request timed with it builds the report's figures, as the first
# report built after a publication does (`indicators.figure_cache.cached_report_figures`).
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@dataclass
class PublishJob(Job):
    """The Working Group's POST of a cycle's publish form, in a transaction rolled back after it: every
    timed request does the same work (nothing it writes stays, and its on_commit jobs, the outputs' and
    the e-mail's, never run). The rollback leaves the generations as they were, so the report's snapshot
    and figures are read from the cache after the warm-up, as after a preview (`reports.snapshot.kept_snapshot`);
    `dropped` names a cache key dropped before each request (the kept snapshot's, not the figures', to time
    publishing with no preview since the last change); with `figures_kept` False there is no cache and both
    are built every time."""

    answers: int = 302  # to the published version
    figures_kept: bool = True
    dropped: str = ""

    def fetch(self):
        if self.dropped:
            caches["default"].delete(self.dropped)
        with override_settings(**({} if self.figures_kept else {"CACHES": NO_CACHE})), transaction.atomic():
            response = self.client.post(self.url, {"reason": ""})
            transaction.set_rollback(True)
        # The "Published version 1" message would pile up in the cookie, one more each round.
        self.client.cookies.pop(CookieStorage.cookie_name, None)
        return response


def publish_url(cycle: ReportingCycle) -> str:
    """Where the Working Group publishes `cycle`'s report."""
    return reverse(
        "report_publish",
        kwargs={"partnership": cycle.plan.partnership.slug, "plan": cycle.plan.slug, "cycle": cycle_slug(cycle)},
    )


def publish_jobs(client: Client, *, current: ReportingCycle, published: dict[str, ReportingCycle]) -> list[PublishJob]:
    """The publish requests to time: the first version of the generated plan's `current` (open) cycle's
    report (after a preview: its snapshot and figures read from the cache; its snapshot built; both built),
    and publishing again with nothing changed the cycles of `published` (by target) whose version 1 the
    bench made (the seed plan has no open cycle)."""
    current = ReportingCycle.objects.select_related("plan__partnership").get(pk=current.pk)  # its generations now
    jobs = [
        PublishJob(("publish: first version", "generated", "cached"), client, publish_url(current)),
        PublishJob(
            ("publish: first version, snapshot built", "generated", "cached"),
            client,
            publish_url(current),
            dropped=kept_snapshot_key(current),
        ),
        PublishJob(
            ("publish: first version, figures built", "generated", "cached"),
            client,
            publish_url(current),
            figures_kept=False,
        ),
    ]
    for which, cycle in published.items():
        jobs.append(PublishJob(("publish: nothing changed", which, "cached"), client, publish_url(cycle)))
    return jobs


def measure_interleaved(jobs: list[Job], repeat: int, seed: int = 1) -> None:
    """Time every job `repeat` times in shuffled rounds (each round runs every job once, in a new order),
    so a machine that slows down for a while slows every page alike. Records wall time, this process's
    CPU time and the database server's CPU time (PostgreSQL) per job, and its query count."""
    with DatabaseCpu() as database:
        _measure(jobs, repeat, seed, database)


def _measure(jobs: list[Job], repeat: int, seed: int, database: DatabaseCpu) -> None:
    for job in jobs:  # warm up (the first request stores what a cache keeps), then count the queries
        if job.request().status_code != job.answers:
            raise RuntimeError(f"{job.url} answered an error")
        with override_settings(CSA_FRAGMENT_CACHE=job.cached), CaptureQueriesContext(connection) as captured:
            job.fetch()
        job.queries = len(captured)
    order = list(jobs)
    rng = random.Random(seed)  # noqa: S311 - a repeatable order, not security
    for _ in range(repeat):
        rng.shuffle(order)
        for job in order:
            with override_settings(CSA_FRAGMENT_CACHE=job.cached):
                database_before, cpu_before, started = database.seconds(), time.process_time(), time.perf_counter()
                job.fetch()
                job.wall.append((time.perf_counter() - started) * 1000)
                job.cpu += time.process_time() - cpu_before
                job.database_cpu += database.seconds() - database_before


def summary(job: Job) -> dict:
    """A job's figures: wall-clock median and 95th percentile, and mean CPU per request (ms)."""
    count = len(job.wall)
    return {
        "median_ms": round(statistics.median(job.wall), 2),
        "p95_ms": round(statistics.quantiles(job.wall, n=20, method="inclusive")[18], 2),
        "cpu_ms": round(job.cpu / count * 1000, 2),
        "database_cpu_ms": round(job.database_cpu / count * 1000, 2),
        "queries": job.queries,
    }


def time_report(cycle: ReportingCycle) -> dict:
    """Seconds to freeze a cycle's report (snapshot) and render it as HTML, PDF and .docx, and its PDF pages."""
    import pypdf  # only the benchmark counts pages

    from reports.rendering import render_html, render_pdf
    from reports.word import render_docx

    started = time.perf_counter()
    snapshot = build_snapshot(cycle)
    built = time.perf_counter()
    render_html(None, snapshot=snapshot)
    html_done = time.perf_counter()
    pdf = render_pdf(None, snapshot=snapshot)
    pdf_done = time.perf_counter()
    render_docx(None, snapshot=snapshot)
    docx_done = time.perf_counter()
    return {
        "snapshot_s": round(built - started, 2),
        "html_s": round(html_done - built, 2),
        "pdf_s": round(pdf_done - html_done, 2),
        "docx_s": round(docx_done - pdf_done, 2),
        "pdf_pages": len(pypdf.PdfReader(io.BytesIO(pdf)).pages),
    }


def run(*, repeat: int, today: date, size: str = "large", report=print) -> dict:
    if Partnership.objects.exists():
        raise RuntimeError("The benchmark needs an empty database (it must never touch a real one).")
    # Stored report files go to a folder of the run's own, never the site's media.
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        return _run(repeat=repeat, today=today, size=size, report=report)


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages (from /proc/loadavg; [] where there is none)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as found:
            return [float(part) for part in found.read().split()[:3]]
    except OSError:
        return []


def _run(*, repeat: int, today: date, size: str, report) -> dict:
    chosen = SIZES[size]
    started = time.perf_counter()
    targets = {"generated": generate_size(chosen, today=today)}
    generation_s = round(time.perf_counter() - started, 1)
    report(f"Generated the {size} bench ({chosen.partnerships} partnership(s)) in {generation_s} s.")
    kent = load_plan()
    targets["seed"] = Target(
        partnership=kent.partnership,
        plan=kent.slug,
        indicator="asb-incidents",
        cycle=ReportingCycle.objects.current_in(kent.partnership).pk,
    )
    users = bench_users(targets)
    seed_cycle = ReportingCycle.objects.get(plan=kent, name="Q3 2017/18")
    generated_cycle = (
        ReportingCycle.objects.filter(plan__partnership=targets["generated"].partnership)
        .order_by("-period_end")
        .first()
    )
    for which, cycle in (("seed", seed_cycle), ("generated", generated_cycle)):
        targets[which] = replace(targets[which], report=published_report(cycle, users[Role.WORKING_GROUP]))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a database in use would have
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)

    results = {
        "size": size,
        "volumes": {"partnerships": chosen.partnerships, **chosen.volumes()},
        "generation_seconds": generation_s,
        "repeat": repeat,
        "load_average_before": load_average(),
        "pages": [],
    }
    jobs = []
    for page in PAGES:
        for which, target in targets.items():
            jobs.append(Job((page.name, which, "cached"), clients[page.role], target.url(page)))
            if page.work_in_progress:
                jobs.append(Job((page.name, which, "built"), clients[page.role], target.url(page), cached=False))
    # A client of its own: the publish page's messages must not show on the Working Group's other pages.
    publisher = Client()
    publisher.force_login(users[Role.WORKING_GROUP])
    current = (
        ReportingCycle.objects.filter(
            plan__partnership=targets["generated"].partnership, state=CycleState.OPEN, period_start__lte=today
        )
        .order_by("-period_start")
        .first()
    )
    publishing = publish_jobs(publisher, current=current, published={"generated": generated_cycle, "seed": seed_cycle})
    measure_interleaved(jobs + publishing, repeat)
    figures = {job.key: summary(job) for job in jobs + publishing}
    trivial = next(page for page in PAGES if page.trivial)

    def cpu(key) -> float:
        return figures[key]["cpu_ms"] + figures[key]["database_cpu_ms"]

    for page in PAGES:
        row = {"name": page.name, "path": page.path, "role": page.role}
        row.update({which: figures[(page.name, which, "cached")] for which in targets})
        generated = (page.name, "generated", "cached")
        row["ratio_to_trivial"] = round(
            figures[generated]["median_ms"] / figures[(trivial.name, "generated", "cached")]["median_ms"], 2
        )
        row["cpu_ratio_to_trivial"] = round(cpu(generated) / cpu((trivial.name, "generated", "cached")), 2)
        if page.work_in_progress:
            built = (page.name, "generated", "built")
            row["built"] = figures[built]
            row["built_cpu_ratio_to_trivial"] = round(cpu(built) / cpu((trivial.name, "generated", "cached")), 2)
        results["pages"].append(row)
    results["publish"] = []
    for name in dict.fromkeys(job.key[0] for job in publishing):
        row = {"name": name, "target": PUBLISH_CPU_TARGET}
        row.update({which: figures[(name, which, "cached")] for which in targets if (name, which, "cached") in figures})
        row["cpu_ratio_to_trivial"] = round(
            cpu((name, "generated", "cached")) / cpu((trivial.name, "generated", "cached")), 2
        )
        results["publish"].append(row)
    results["load_average_after_pages"] = load_average()
    if chosen.time_reports:
        results["reports"] = {"seed": time_report(seed_cycle), "generated": time_report(generated_cycle)}
        for plan, times in results["reports"].items():
            report(f"Report of the {plan} plan: {times}")
    return results
