"""The action plan: actions under each priority, and the progress partners report on them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Subquery

from csa_tracker.accounts.models import Organisation, Partnership
from csa_tracker.accounts.scoping import foreign_records, refusal
from csa_tracker.text import shortened
from cycles.models import CycleState, ReportingCycle
from priorities.models import PlanPriority
from workflow.models import OPEN_NOT_CORRECTION, ReviewedItem, ReviewedItemQuerySet, queue_index

from .policies import ACTIONS, UPDATES
from .rules import update_rule_flags


class VocabularyQuerySet(models.QuerySet):
    """Vocabularies belong to one partnership; forms offer only its own entries."""

    def in_partnership(self, partnership):
        return self.filter(partnership=partnership)


class Rating(models.TextChoices):
    """The red/amber/green rating a status's severity stands for."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


# Severity at or above which a status rates amber, and red. Kent's vocabulary (fixture) reads:
# Completed 0 and In progress 1 are green, Not started 2 is amber, Delayed 3 is red.
AMBER_FROM_SEVERITY = 2
RED_FROM_SEVERITY = 3


class Status(models.Model):
    """An action's status, from the partnership's own vocabulary."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="statuses")
    name = models.CharField(max_length=50)
    order = models.PositiveSmallIntegerField(default=0)
    # Higher is worse; a published update that raises it fires the "status worsened" rule.
    severity = models.PositiveSmallIntegerField(
        default=0,
        help_text="Higher means worse: 0–1 rate green, 2 amber, 3 or more red (e.g. Delayed).",
    )
    is_complete = models.BooleanField(default=False, verbose_name="means the action is complete")

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "order", "name"]
        verbose_name_plural = "statuses"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="status_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def rating(self) -> str:
        """ "red", "amber" or "green" (`Rating`), from severity: red from 3, amber from 2, else green."""
        if self.severity >= RED_FROM_SEVERITY:
            return Rating.RED
        if self.severity >= AMBER_FROM_SEVERITY:
            return Rating.AMBER
        return Rating.GREEN

    def get_rating_display(self) -> str:
        return Rating(self.rating).label


class FundingSource(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="funding_sources")
    name = models.CharField(max_length=200)

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="funding_source_unique_name")]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A cross-cutting theme (e.g. "Vulnerability") that tags actions across priorities."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="theme_unique_name")]

    def __str__(self) -> str:
        return self.name


class ActionQuerySet(models.QuerySet):
    def in_partnership(self, partnership):
        return self.filter(plan_priority__plan__partnership=partnership)

    def visible_to(self, access):
        """Everyone in the partnership reads its plan; progress drafts are filtered separately."""
        return ACTIONS.scope(self, access, "read")

    def editable_by(self, access):
        """Actions on which this person may write progress (`policies.ActionPolicy`)."""
        return ACTIONS.scope(self, access, "write_progress")

    def manageable_by(self, access):
        """Actions whose wording, leads and dates this person may change: the Working Group's."""
        return ACTIONS.scope(self, access, "change")

    def with_progress_to_start_from(self):
        """`Action.progress_to_start_from` (with each update's cycle, and the earlier plan's title) for
        every row in a fixed number of queries."""
        published = ProgressUpdate.objects.published().order_by("-published_at").select_related("cycle")
        return self.select_related("carried_from__plan_priority__plan").prefetch_related(
            Prefetch("updates", queryset=published, to_attr="published_updates"),
            Prefetch("carried_from__updates", queryset=published, to_attr="published_updates"),
        )

    def without_update_in(self, cycle: ReportingCycle):
        """The actions of `cycle`'s plan with no progress update written for `cycle` at all (no draft
        either: the board's "No update yet"), in plan order with their leads, each with
        `last_published_cycle`: the name of the cycle whose published progress a report of `cycle`
        prints for it (its latest published update in that plan up to `cycle`, as
        `reports.snapshot._progress_for` picks it), or None when nothing is published yet. Two queries
        whatever the number of actions (issue 25: publishing warns about them)."""
        written = ProgressUpdate.objects.filter(cycle=cycle, action=OuterRef("pk"))
        published = (
            ProgressUpdate.objects.published()
            .filter(action=OuterRef("pk"), cycle__plan=cycle.plan_id, cycle__period_start__lte=cycle.period_start)
            .order_by("-cycle__period_start", "-published_at", "-pk")
        )
        return (
            self.filter(plan_priority__plan=cycle.plan_id)
            .exclude(Exists(written))
            .annotate(last_published_cycle=Subquery(published.values("cycle__name")[:1]))
            .select_related("plan_priority")
            .prefetch_related("leads")
            .order_by("plan_priority__order", "order", "pk")
        )

    def with_plan_details(self):
        """Everything the plan pages show about an action, in a fixed number of queries."""
        return self.select_related("status", "funding").prefetch_related(
            "leads",
            "supporters",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.published().order_by("-published_at"),
                to_attr="published_updates",
            ),
        )


class Action(models.Model):
    plan_priority = models.ForeignKey(PlanPriority, on_delete=models.CASCADE, related_name="actions")
    wording = models.TextField()
    leads = models.ManyToManyField(Organisation, related_name="led_actions")
    supporters = models.ManyToManyField(Organisation, blank=True, related_name="supported_actions")
    funding = models.ForeignKey(FundingSource, null=True, blank=True, on_delete=models.PROTECT)
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    status = models.ForeignKey(Status, on_delete=models.PROTECT)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
        help_text="The same action in the previous year's plan, when it was carried forward.",
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan_priority", "order"]

    def __str__(self) -> str:
        return shortened(self.wording, 80)

    def clean(self):
        """Its status and funding source are its plan's partnership's own (or shared); leads and
        supporters are checked by the forms that set them (many-to-many values are not on the instance)."""
        if not self.plan_priority_id:
            return
        partnership = self.plan_priority.plan.partnership
        found = foreign_records(self, ["status", "funding"], partnership.pk)
        if found:
            kinds = {"status": "statuses", "funding": "funding sources"}
            raise ValidationError({name: refusal(record, partnership, kinds[name]) for name, record in found.items()})

    @property
    def partnership(self):
        return self.plan_priority.plan.partnership

    @property
    def latest_published(self):
        """The current published progress (needs `with_plan_details`)."""
        published = getattr(self, "published_updates", None)
        if published is None:
            published = list(self.updates.published().order_by("-published_at")[:1])
        return published[0] if published else None

    @property
    def progress_to_start_from(self):
        """The published progress a new update starts from: this action's latest, else (for an action
        carried forward with none yet) the latest of the action it was carried from, whose `action_id`
        is then `carried_from_id`; None when neither has any (issue 25). Reads no more when the rows come
        from `ActionQuerySet.with_progress_to_start_from`."""
        own = self.latest_published
        if own is not None or self.carried_from_id is None:
            return own
        return self.carried_from.latest_published


class ProgressUpdateQuerySet(ReviewedItemQuerySet):
    policy = UPDATES


class ProgressUpdate(ReviewedItem):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField(help_text="Markdown: paragraphs, bullet lists (- item) and links ([text](https://…)).")
    status = models.ForeignKey(Status, on_delete=models.PROTECT)
    # The text as it was when the Working Group last returned it, so the reviewer sees what changed since.
    returned_text = models.TextField(blank=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "-created_at"]
        # The queue, boards and dashboards look for updates by state among many published ones.
        indexes = [
            models.Index(fields=["state", "action"], name="update_state_action"),
            # Where an action stands in a cycle (actions.status) is read per action and cycle.
            models.Index(fields=["action", "cycle"], name="update_action_cycle"),
            queue_index("update_queue_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action"], condition=OPEN_NOT_CORRECTION, name="progress_one_open_per_action"
            )
        ]

    def __str__(self) -> str:
        return f"Progress on “{self.action}” ({self.get_state_display()})"

    # What the review workflow needs to know about any reviewed item (its kind: actions.kinds).
    @property
    def subject_key(self) -> tuple:
        """What editing rights and the organisation depend on: the action."""
        return ("action", self.action_id)

    @property
    def partnership(self):
        return self.action.plan_priority.plan.partnership

    @property
    def subject_title(self) -> str:
        return self.action.wording

    def work_organisation_ids(self) -> set[int]:
        """The organisations whose partners' own pages (their dashboard, My actions) show this update:
        its own organisation, and those leading or supporting its action or an action carried forward
        from it (whose row starts from its published progress). `audit_record` moves their work
        generations instead of every partner's (issue 26). Two queries."""
        actions = Action.objects.filter(models.Q(pk=self.action_id) | models.Q(carried_from_id=self.action_id))
        found = {self.organisation_id} if self.organisation_id else set()
        for through in (Action.leads.through, Action.supporters.through):
            found |= set(through.objects.filter(action__in=actions).values_list("organisation_id", flat=True))
        return found

    @property
    def reporting_cycle(self):
        return self.cycle

    @property
    def accepts_submissions(self) -> bool:
        return self.cycle.state == CycleState.OPEN

    def compute_rule_flags(self) -> list[dict]:
        return update_rule_flags(self)

    def on_published(self) -> None:
        """The action's status is the one its latest published progress reports."""
        Action.objects.filter(pk=self.action_id).update(status=self.status_id)
