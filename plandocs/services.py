"""Writing an imported plan: all or nothing, through the services every page uses, so each record has
the audit entry it would have had if it were typed in.

`plan_import` adds, in one transaction: the organisations the person agreed to add (the settings'
`configuration.services.entry_save`), the plan (`priorities.services.plan_create`), each priority with
its context and notes (`plan_priority_create`), each action with its lead agencies
(`actions.services.action_create`; for a partnership with no statuses yet, the one the person names is
added first), and, when progress is imported, a reporting cycle for it
(`cycles.services.cycle_save`) and one progress update per action through the review workflow:
imported (`workflow.services.items_import`: submitted, an "Imported" entry each) and then published by
the person (`item_publish`, a "Published" entry each) where the partnership lets whoever brings an
item in publish it (`workflow.publishers`); where it keeps four eyes, the updates wait in the review
queue for another member of the Working Group, who is told once. A last entry on the plan says what was
imported from which file. Any refusal undoes everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse

from actions.models import FundingSource, ProgressUpdate, Status, Theme
from actions.policies import UPDATES
from actions.services import action_create
from configuration.forms import OrganisationForm, StatusForm
from configuration.services import entry_save
from csa_tracker.accounts.models import Organisation
from csa_tracker.audit.services import audit_record
from csa_tracker.notifications.services import notify
from csa_tracker.refusals import Invalid
from cycles.services import cycle_save
from priorities.models import Plan
from priorities.policies import PLANS
from priorities.services import plan_create, plan_priority_create
from workflow.notifications import working_group
from workflow.services import item_publish, items_import

CYCLE_FIELDS = {"name": "cycle_name"}  # a reporting cycle's field -> the import's own name for it


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation the document names that the partnership does not have, to be added."""

    name: str
    kind: str


@dataclass(frozen=True)
class NewStatus:
    """The status of the actions, for a partnership that has none yet: added with the plan."""

    name: str


@dataclass
class ImportedAction:
    wording: str
    leads: list[Organisation | NewOrganisation]
    status: Status | NewStatus
    supporters: list[Organisation | NewOrganisation] = field(default_factory=list)
    funding: FundingSource | None = None
    themes: list[Theme] = field(default_factory=list)
    start_date: date | None = None
    due_date: date | None = None
    progress: str = ""


@dataclass
class ImportedPriority:
    title: str
    slug: str
    context: str
    notes: list[dict]  # Note's fields
    actions: list[ImportedAction]


@dataclass
class ProgressCycle:
    """The reporting cycle imported progress is published in (added to the new plan)."""

    name: str
    period_start: date
    period_end: date
    update_deadline: date


@dataclass
class PlanImport:
    filename: str
    title: str
    slug: str
    starts: date
    ends: date
    introduction: str
    priorities: list[ImportedPriority]
    organisations: list[NewOrganisation] = field(default_factory=list)
    status: NewStatus | None = None
    cycle: ProgressCycle | None = None  # None: the progress column is not imported


@dataclass
class Imported:
    plan: Plan
    actions: int
    organisations: int
    published: int  # progress updates published by the person
    submitted: int  # progress updates waiting for another member of the Working Group


@transaction.atomic
def plan_import(*, access, plan: PlanImport) -> Imported:
    """Add the plan, all or nothing (see the module's docstring). Raises NotAllowed (not the Working
    Group) or Invalid, by field of the import: title, slug, starts, ends (the plan), cycle_name,
    period_start, period_end, update_deadline (the progress's cycle), None (a priority, an action or an
    organisation, named in the sentence)."""
    PLANS.check(access, "create")
    added = {new: _organisation_add(access, new) for new in plan.organisations}
    new_status = _status_add(access, plan.status) if plan.status else None

    def organisations(listed):
        return [added[org] if isinstance(org, NewOrganisation) else org for org in listed]

    try:
        new_plan = plan_create(
            access=access,
            title=plan.title,
            slug=plan.slug,
            starts=plan.starts,
            ends=plan.ends,
            introduction=plan.introduction,
        )
    except ValidationError as exc:
        raise Invalid({name: " ".join(messages) for name, messages in exc.message_dict.items()}) from exc
    cycle = _cycle_add(access, new_plan, plan.cycle) if plan.cycle else None
    reason = f"Imported from the Word document “{plan.filename}”"
    progress, actions = [], 0
    for priority in plan.priorities:
        try:
            plan_priority = plan_priority_create(
                access=access,
                plan=new_plan,
                title=priority.title,
                slug=priority.slug,
                context=priority.context,
                notes=priority.notes,
            )
        except ValidationError as exc:
            raise Invalid({None: f"The priority “{priority.title}”: {_sentences(exc)}"}) from exc
        for order, action in enumerate(priority.actions, start=1):
            fields = {
                "wording": action.wording,
                "leads": organisations(action.leads),
                "supporters": organisations(action.supporters),
                "status": new_status if isinstance(action.status, NewStatus) else action.status,
                "funding": action.funding,
                "themes": action.themes,
                "start_date": action.start_date,
                "due_date": action.due_date,
                "order": order,
            }
            created = action_create(access=access, plan_priority=plan_priority, fields=fields, reason=reason)
            actions += 1
            if cycle is not None and action.progress:
                progress.append(
                    (None, {"action": created, "cycle": cycle, "text": action.progress, "status": created.status})
                )
    published, submitted = _progress_add(access, cycle, progress) if progress else (0, 0)
    summary = (
        f"Plan imported from the Word document “{plan.filename}”: {len(plan.priorities)} "
        f"priorit{pluralize(len(plan.priorities), 'y,ies')}, {actions} action{pluralize(actions)}, "
        f"{len(added)} organisation{pluralize(len(added))} added, {published} progress update{pluralize(published)} "
        f"published, {submitted} submitted for review"
    )
    audit_record(new_plan, actor=access.user, verb="import", summary=summary)
    return Imported(new_plan, actions, len(added), published, submitted)


def _sentences(exc: ValidationError) -> str:
    return " ".join(message for messages in exc.message_dict.values() for message in messages)


def _organisation_add(access, new: NewOrganisation) -> Organisation:
    """Through the settings' own form and service, so the name is checked and the addition audited."""
    form = OrganisationForm(data={"name": new.name, "short_name": "", "kind": new.kind}, partnership=access.partnership)
    if not form.is_valid():
        raise Invalid({None: f"The organisation “{new.name}”: {_sentences(ValidationError(form.errors))}"})
    return entry_save(access=access, form=form, noun="organisation")


def _status_add(access, new: NewStatus) -> Status:
    form = StatusForm(
        data={"name": new.name, "order": 1, "severity": 0, "is_complete": False}, partnership=access.partnership
    )
    if not form.is_valid():
        raise Invalid({"status": _sentences(ValidationError(form.errors))})
    return entry_save(access=access, form=form, noun="status")


def _cycle_add(access, plan: Plan, values: ProgressCycle):
    fields = {
        "plan": plan,
        "name": values.name,
        "period_start": values.period_start,
        "period_end": values.period_end,
        "update_deadline": values.update_deadline,
    }
    try:
        return cycle_save(access=access, cycle=None, fields=fields)
    except ValidationError as exc:
        errors = {CYCLE_FIELDS.get(name, name): " ".join(messages) for name, messages in exc.message_dict.items()}
        raise Invalid(errors) from exc


def _progress_add(access, cycle, rows: list[tuple[None, dict]]) -> tuple[int, int]:
    """Import the progress (submitted, "Imported"), then publish each update the person may publish;
    returns (published, left submitted)."""
    items_import(access=access, model=ProgressUpdate, rows=rows)
    published = submitted = 0
    for item in ProgressUpdate.objects.filter(cycle=cycle).select_related("action").order_by("pk"):
        if UPDATES.permits(access, "publish", item):
            item_publish(access=access, item=item, version=item.version, notify=False)
            published += 1
        else:
            submitted += 1
    if submitted:
        transaction.on_commit(lambda: _tell_the_working_group(access, submitted))
    return published, submitted


def _tell_the_working_group(access, count: int) -> None:
    """One e-mail for the whole import, as for a spreadsheet, not one per update."""
    partnership = access.partnership
    context = {
        "count": count,
        "user": access.user,
        "partnership": partnership,
        "url": settings.SITE_URL + reverse("review_queue", kwargs={"partnership": partnership.slug}),
    }
    notify(
        kind_key="submitted",
        recipients=working_group(partnership),
        partnership=partnership,
        template="plandocs/email/progress_imported.txt",
        context=context,
        url=context["url"],
    )
