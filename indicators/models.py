"""Indicators the partnership watches for direction of travel, and their readings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery

from csa_tracker.accounts.models import Partnership
from cycles.models import ReportingCycle
from priorities.models import Priority
from workflow.models import OPEN_NOT_CORRECTION, ReviewedItem, ReviewedItemQuerySet, ReviewState, queue_index

from .comparisons import format_value
from .periods import FOLLOW_THE_YEAR, Baseline, Period, PeriodType, period_type_phrase
from .policies import INDICATORS, READINGS
from .rules import compared_with, reading_rule_flags


class GeographyQuerySet(models.QuerySet):
    def in_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def code_example(self):
        """An area of these with an ONS code, for help text to show the partnership's own ("E07000110 for
        Maidstone", issue 25: help text named Kent in every partnership): a county or combined area first,
        then a unitary authority, then any; None when none has a code."""
        rank = models.Case(
            models.When(kind__in=[Geography.Kind.COUNTY, Geography.Kind.COMBINED], then=0),
            models.When(kind=Geography.Kind.UNITARY, then=1),
            default=2,
        )
        return self.exclude(code="").annotate(example_rank=rank).order_by("example_rank", "name").first()


class Geography(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", "National"
        POLICE_FORCE_AREA = "force_area", "Police force area"
        COUNTY = "county", "County"
        # Two or more districts or boroughs reported as one (a joint community safety partnership's area;
        # issue 25): the whole of a partnership's area, as a county is (`AREAS_OF_DISTRICTS`).
        COMBINED = "combined", "Combined area (two or more districts)"
        UNITARY = "unitary", "Unitary authority"
        DISTRICT = "district", "District"

    # Each partnership keeps its own areas, national comparators included: the same real area in two
    # partnerships is two rows, so one partnership's populations and renames never change another's.
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="geographies")
    name = models.CharField(max_length=100)
    code = models.CharField(
        max_length=12, blank=True, help_text="ONS code: a letter and 8 digits; used to match rows of a population file."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Which districts a combined area combines (two or more of the partnership's districts; the area form's
    # rule): a district keeps the county it is within, so "within" cannot say it (issue 25).
    districts = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="combined_in")

    objects = GeographyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "area"
        verbose_name_plural = "geographies"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="geography_unique_name")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def may_be_within(cls, kind: str, parent_kind: str) -> bool:
        """Whether an area of `kind` may be within one of `parent_kind` (both `Kind` values): only within an
        area of a larger kind (`KIND_SIZE`: national > police force area > county, combined > unitary,
        district). Issue 25: a "National" area was saved within Ashford, a district."""
        return KIND_SIZE.get(parent_kind, 0) > KIND_SIZE.get(kind, 0)

    def district_names(self) -> str:
        """The districts a combined area combines, by name, "Canterbury, Swale" ("" for none); read from a
        `prefetch_related("districts")` when the list is read with one."""
        return ", ".join(sorted(district.name for district in self.districts.all()))

    @property
    def is_area_of_districts(self) -> bool:
        """A county or a combined area: made of the districts held within it, whose counts add up to its own
        (the police import gives it their total)."""
        return self.kind in AREAS_OF_DISTRICTS


# How large each kind of area is: an area is within one of a larger kind only (`Geography.may_be_within`).
# A police force area is above a county: Kent (county) is within Kent and Medway (police force area), as in
# the demo's fixtures/geographies.toml.
KIND_SIZE = {
    Geography.Kind.NATIONAL: 4,
    Geography.Kind.POLICE_FORCE_AREA: 3,
    Geography.Kind.COUNTY: 2,
    Geography.Kind.COMBINED: 2,
    Geography.Kind.UNITARY: 1,
    Geography.Kind.DISTRICT: 1,
}

# Kinds of area that are the sum of the districts within them (issue 25: a joint two-borough area is one).
AREAS_OF_DISTRICTS = frozenset({Geography.Kind.COUNTY, Geography.Kind.COMBINED})


class Population(models.Model):
    geography = models.ForeignKey(Geography, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()

    class Meta:
        ordering = ["geography", "year"]
        constraints = [
            models.UniqueConstraint(fields=["geography", "year"], name="population_once_per_year"),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="population_positive",
                violation_error_message="A population must be more than 0.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.geography} {self.year}: {self.value:,}"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    # Stored as "rate_per_1000" since before the base became the indicator's `rate_per`.
    RATE_PER_1000 = "rate_per_1000", "Rate per N population"


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    NEITHER = "neither", "Neither (direction only)"


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, access):
        return INDICATORS.scope(self, access, "read")

    def current(self):
        """Indicators not retired: what dashboards and entry forms show."""
        return self.filter(retired_on__isnull=True)

    def editable_by(self, access):
        """Indicators this person may submit readings for: their organisations' (all for the Working Group);
        never a retired one."""
        return INDICATORS.scope(self, access, "write_progress")

    def with_latest_end(self):
        """Annotate `latest_end`, `latest_start`, `latest_year_start` and `latest_period_type`: the latest
        published period at the indicator's own geography as stored (`Indicator.latest_period` reads them)."""
        latest = (
            IndicatorReading.objects.published()
            .filter(indicator=OuterRef("pk"), geography=OuterRef("geography"))
            .order_by("-period_end", "-pk")
        )
        return self.annotate(
            latest_end=Subquery(latest.values("period_end")[:1]),
            latest_start=Subquery(latest.values("period_start")[:1]),
            latest_year_start=Subquery(latest.values("published_year_start")[:1]),
            latest_period_type=Subquery(latest.values("published_period_type")[:1]),
        )

    def with_latest_target(self):
        """Annotate `latest_target`: the target for the period of `latest_end` (None when none is set), in
        the same query (call after `with_latest_end`)."""
        target = Target.objects.filter(indicator=OuterRef("pk"), period_end=OuterRef("latest_end")).values("value")
        return self.annotate(latest_target=Subquery(target[:1]))

    def stale_on(self, today):
        """Indicators whose source is overdue a newer figure on `today` (or has published none)."""
        return self.filter(Q(stale_from__isnull=True) | Q(stale_from__lte=today))

    def refresh_stale_from(self) -> None:
        """Store `stale_from` again for these indicators, from their latest published periods."""
        for indicator in self.select_related("partnership").with_latest_end():
            latest = indicator.latest_period
            stale_from = latest.stale_from() if latest else None
            if indicator.stale_from != stale_from:
                Indicator.objects.filter(pk=indicator.pk).update(stale_from=stale_from)

    def with_details(self):
        """What comparing and labelling figures reads: geography and comparability notes."""
        return self.select_related("geography").prefetch_related("comparability_notes")


class IndicatorManager(models.Manager.from_queryset(IndicatorQuerySet)):
    def get_queryset(self):
        """With the partnership, whose year start labels every period (one join, never a query each)."""
        return super().get_queryset().select_related("partnership")


class Indicator(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="indicators")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    polarity = models.CharField(max_length=20, choices=Polarity.choices, default=Polarity.NEITHER)
    period_type = models.CharField(max_length=30, choices=PeriodType.choices)
    geography = models.ForeignKey(
        Geography, on_delete=models.PROTECT, related_name="indicators", verbose_name="main area"
    )
    areas = models.ManyToManyField(
        Geography,
        blank=True,
        related_name="reported_indicators",
        verbose_name="other areas reported",
        help_text="Districts or comparators readings may also be entered for, besides the main area.",
    )
    rate_per = models.PositiveIntegerField(
        default=1000, help_text="For a rate: the population the rate is per, e.g. 1,000 or 100,000."
    )
    source = models.CharField(max_length=200, blank=True)
    leads = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="led_indicators", help_text="Who supplies the readings."
    )
    headline = models.BooleanField(default=True, help_text="Shown on the governing group's dashboard.")
    change_threshold_pct = models.DecimalField(
        max_digits=5, decimal_places=1, default=10, help_text="A reading moving more than this is flagged for review."
    )
    stable_band_pct = models.DecimalField(
        max_digits=5, decimal_places=1, default=2, help_text="Changes within ± this are reported as stable."
    )
    compare_with = models.CharField(
        max_length=30,
        choices=Baseline.choices,
        default=Baseline.SAME_PERIOD_LAST_YEAR,
        help_text="What the latest figure is compared with.",
    )
    # The rating's rule is indicators.targets.rate_against_target.
    target_tolerance_pct = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=0,
        help_text="A figure that misses its target by no more than this percentage of the target is rated "
        "“within tolerance” rather than “missed”. For example, 5 with a target of 6,000 where lower is "
        "better: up to 6,300 is within tolerance. 0 rates every miss as missed.",
    )
    suppress_below = models.PositiveSmallIntegerField(
        default=5, help_text="District counts below this are shown as “fewer than …” everywhere."
    )
    order = models.PositiveSmallIntegerField(default=0)
    retired_on = models.DateField(
        null=True, blank=True, help_text="A retired indicator leaves dashboards and entry forms; its history stays."
    )
    # The day its source is overdue a newer figure (`Period.stale_from` of its latest published period at
    # its own geography); None: nothing published yet. Kept by `refresh_stale_from` when a reading is
    # published or corrected, or the indicator's period type or geography changes, so the Working Group's
    # dashboard asks the database instead of working it out for every indicator.
    stale_from = models.DateField(null=True, blank=True, editable=False)

    objects = IndicatorManager()

    class Meta:
        ordering = ["partnership", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="indicator_unique_slug")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """Its priority is one of its own partnership's."""
        if self.priority_id and self.partnership_id and self.priority.partnership_id != self.partnership_id:
            owner = self.priority.partnership
            raise ValidationError(
                {"priority": f"“{self.priority}” is a priority of {owner}, not of {self.partnership}."}
            )

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    @property
    def measured_as(self) -> str:
        """What the indicator page says after "Measured as", a phrase for each unit and period type: "a count,
        by calendar year (Jan–Dec)", "a percentage, by financial year (Apr–Mar)", "a rate per 1,000
        population, by quarter of the partnership's year" (`periods.period_type_phrase`)."""
        if self.unit == Unit.PERCENTAGE:
            what = "a percentage"
        elif self.unit == Unit.RATE_PER_1000:
            what = f"a rate per {self.rate_per:,} population"
        else:
            what = "a count"
        return f"{what}, by {period_type_phrase(self.period_type)}"

    @property
    def year_start(self) -> int:
        """The month (1–12) the partnership's year starts: its quarters and years follow it."""
        return self.partnership.year_start_month

    def period_ending(self, end) -> Period:
        """The indicator's period whose last day is `end`; ValueError when none ends then."""
        return Period.ending(self.period_type, end, self.year_start)

    @property
    def latest_period(self) -> Period | None:
        """The latest published period at its own area as it was published, for an indicator read
        `with_latest_end()`; None when nothing is published."""
        return latest_period_of(vars(self), period_type=self.period_type, ending=self.period_ending)

    def reported_area_ids(self) -> set[int]:
        """The pks of the areas readings may be entered for: the indicator's own area and every area
        within it (issue 16), and the other areas chosen for it in Settings (issue 14)."""
        from .areas import Coverage  # indicators.areas reads this module

        return Coverage().within(self.geography) | set(self.areas.values_list("pk", flat=True))


class ComparabilityNote(models.Model):
    """A change (e.g. in recording method) that makes periods either side of `effective_from` not comparable."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comparability_notes")
    text = models.TextField()
    effective_from = models.DateField()

    class Meta:
        ordering = ["indicator", "effective_from"]

    def __str__(self) -> str:
        return f"{self.indicator}: from {self.effective_from}"

    def separates(self, earlier: Period, later: Period) -> bool:
        return earlier.start < self.effective_from <= later.end


class Target(models.Model):
    """What the partnership aims for in one period of an indicator, in the indicator's unit."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_end = models.DateField(help_text="The last day of the period the target is for.")
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "period_end"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_end"], name="target_once_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} by {self.period_end}"


class IndicatorReadingQuerySet(ReviewedItemQuerySet):
    policy = READINGS

    def following_the_year(self, partnership):
        """Readings of `partnership` whose periods follow the month its year starts (quarters, years to
        date, the partnership's year): what a change of that month concerns."""
        return self.filter(indicator__partnership=partnership, indicator__period_type__in=FOLLOW_THE_YEAR)


class IndicatorReading(ReviewedItem):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="readings")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    approximate = models.BooleanField(default=False, help_text="The source gives an estimate (“approx.”).")
    source_note = models.CharField(max_length=300, blank=True)
    # What the figure was published with, stored by `stamp_published` so that changing a setting later (the
    # partnership's year, the area's name, the indicator's unit) never rewrites a published figure (issue 23):
    # pages and open data read these. Empty until published; a correction carries its original's.
    published_year_start = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    published_period_type = models.CharField(max_length=30, choices=PeriodType.choices, blank=True, editable=False)
    published_area_name = models.CharField(max_length=100, blank=True, editable=False)
    published_unit = models.CharField(max_length=20, choices=Unit.choices, blank=True, editable=False)
    published_rate_per = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = IndicatorReadingQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "geography", "period_end"]
        indexes = [
            models.Index(fields=["indicator", "geography", "period_end"], name="reading_series"),
            # The queue and the dashboards count submitted and open readings among many published ones.
            models.Index(fields=["state", "indicator"], name="reading_state_indicator"),
            queue_index("reading_queue_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geography", "period_end"],
                condition=OPEN_NOT_CORRECTION,
                name="reading_one_open_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}, {self.geography}, {self.period.label}: {self.value}"

    def work_organisation_ids(self) -> set[int]:
        """The organisations whose partners' own pages (My actions' readings) show this reading: its own
        organisation and those supplying its indicator. `audit_record` moves their work generations
        instead of every partner's (issue 26). One query."""
        found = {self.organisation_id} if self.organisation_id else set()
        leads = Indicator.leads.through.objects.filter(indicator_id=self.indicator_id)
        return found | set(leads.values_list("organisation_id", flat=True))

    def clean(self):
        """The area is one the indicator is reported for: its own area or one inside it (a district of
        its county), as every figure is read (`indicators.selectors`)."""
        if not (self.indicator_id and self.geography_id):
            return
        home = self.indicator.geography
        if self.indicator.areas.filter(pk=self.geography_id).exists():
            return  # one of the other areas chosen for the indicator in Settings
        area, seen = self.geography, set()
        while area is not None and area.pk not in seen:
            if area.pk == home.pk:
                return
            seen.add(area.pk)
            area = area.parent
        raise ValidationError(
            {"geography": f"“{self.indicator}” is reported for {home} and the areas in it, not {self.geography}."}
        )

    accepts_submissions = True

    @property
    def subject_key(self) -> tuple:
        return ("indicator", self.indicator_id)

    @property
    def partnership(self):
        return self.indicator.partnership

    @property
    def subject_title(self) -> str:
        return f"{self.indicator.name}, {self.geography}, {self.period.label}"

    @property
    def reporting_cycle(self):
        """Readings are escalated into the partnership's current reporting cycle."""
        return ReportingCycle.objects.current_in(self.indicator.partnership)

    def compute_rule_flags(self) -> list[dict]:
        return reading_rule_flags(self)

    @classmethod
    def flags_read_from(cls, readings) -> list:
        """The readings waiting for review whose threshold flag compares them with one of `readings` (the
        same period a year later, same indicator and area): one query (`rules.compared_with`, issue 25)."""
        indicators = {reading.indicator_id for reading in readings}
        waiting = cls.objects.filter(indicator__in=indicators, state=ReviewState.SUBMITTED).select_related(
            "indicator__partnership"
        )
        return compared_with(readings, waiting)

    def on_published(self) -> None:
        """The figure keeps what it is published with (`stamp_published`); the indicator's source may be
        fresh again (`Indicator.stale_from`)."""
        self.stamp_published()
        Indicator.objects.filter(pk=self.indicator_id).refresh_stale_from()

    def stamp_published(self) -> None:
        """Store the period (first day by today's year), the year's start month, the area's name and the
        indicator's unit this reading is published with. A correction keeps its original's: it corrects the
        value of the figure as published, not the period it was published for."""
        if self.published_year_start is not None:
            return
        # As the database holds them now: the objects in hand may have been read before a settings change.
        now = (
            IndicatorReading.objects.filter(pk=self.pk)
            .values(
                "period_end",
                "geography__name",
                "indicator__period_type",
                "indicator__unit",
                "indicator__rate_per",
                "indicator__partnership__year_start_month",
            )
            .get()
        )
        year_start = now["indicator__partnership__year_start_month"]
        stamped = {
            "period_start": Period.ending(now["indicator__period_type"], now["period_end"], year_start).start,
            "published_year_start": year_start,
            "published_period_type": now["indicator__period_type"],
            "published_area_name": now["geography__name"],
            "published_unit": now["indicator__unit"],
            "published_rate_per": now["indicator__rate_per"],
        }
        IndicatorReading.objects.filter(pk=self.pk).update(**stamped)
        for name, value in stamped.items():
            setattr(self, name, value)

    @property
    def area_name(self) -> str:
        """The area's name as published (`published_area_name`), or today's for a figure not yet published."""
        return self.published_area_name or self.geography.name

    @property
    def display_value(self) -> str:
        """The figure as entered, for its author and reviewers; every other output uses `shown_value`."""
        return format_value(self.value, self.indicator.unit, self.indicator.rate_per)

    @property
    def shown_value(self) -> str:
        """The figure as any published output shows it: "fewer than 5" for a suppressed district count."""
        from .suppression import is_suppressed, suppressed_text  # suppression reads this module's models

        if is_suppressed(self.indicator, self.geography, self.value):
            return suppressed_text(self.indicator)
        return self.display_value

    @property
    def period(self) -> Period:
        """The period as published (`stored_period`), or, for a figure not yet published, as today's
        settings make it."""
        return stored_period(self, self.indicator)


def latest_period_of(row: dict, *, period_type: str, ending) -> Period | None:
    """The latest published period of an indicator read `with_latest_end()`, from its annotations in
    `row` (a `values()` row, or an instance's attributes), as `stored_period` makes a reading's:
    `period_type` is the indicator's and `ending(end)` its period ending on `end` by today's year
    (`Indicator.period_ending`). None when nothing is published."""
    if row["latest_end"] is None:
        return None
    return published_period(
        row["latest_start"],
        row["latest_end"],
        row["latest_year_start"],
        row["latest_period_type"],
        period_type=period_type,
        ending=ending,
    )


def stored_period(reading, indicator: Indicator) -> Period:
    """The period of `reading` (a reading, or a row with period_start, period_end, published_period_type and
    published_year_start): as stored when it was published, else the indicator's period ending on its last
    day by today's year."""
    return published_period(
        reading.period_start,
        reading.period_end,
        reading.published_year_start,
        reading.published_period_type,
        period_type=indicator.period_type,
        ending=indicator.period_ending,
    )


def published_period(start, end, published_year_start, published_period_type, *, period_type, ending) -> Period:
    """The period from `start` to `end` as it was published (its stored year start and period type, else
    the indicator's `period_type`); one published before those were stored is `ending(end)`, the
    indicator's period ending then by today's year."""
    if published_year_start is None:
        return ending(end)
    return Period.stored(published_period_type or period_type, start, end, published_year_start)
