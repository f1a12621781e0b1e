"""Every kind of write the app offers leaves exactly the audit entries it should, with who, when, what
and why (issue 22, "each rule lives in one place").

Every route of `tests/url_matrix.py` that accepts POST is either a case in `WRITES` (opened as a role
allowed to use it, its form posted back as the browser shows it with the fewest changes that make it a
real change), a step that only prepares a write (`PREVIEWS`, asserted to write nothing), or named in
`NOT_AUDITED` with the reason, or asserted entry by entry in its own tests (`AUDITED_ELSEWHERE`, named
there); `test_every_post_route_is_covered` fails otherwise. Each case asserts
the redirect that answers a write, exactly which tables' rows changed (besides the
audit trail), and each new `AuditEntry`: its verb (registered), summary, actor, time, partnership,
reason and the record it is about. One write is one entry; a case with several says why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import docx
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Invitation, Organisation, Role
from csa_tracker.audit.admin_audit import AuditedAdmin, ReadOnlyAdmin
from csa_tracker.audit.models import AuditEntry
from csa_tracker.audit.verbs import Verb
from cycles.models import CycleState, ReportingCycle
from indicators.models import Geography, Indicator, IndicatorReading
from priorities.models import Plan
from reports.models import Report, ReportSettings
from reports.outputs import word_template_save
from tests.evidence.helpers import attach
from tests.factories import (
    ActionFactory,
    PlanPriorityFactory,
    PopulationFactory,
    ProgressUpdateFactory,
    ReadingFactory,
    ReportingCycleFactory,
    ThemeFactory,
)
from tests.form_pages import database_rows
from tests.html_forms import page_forms
from tests.spreadsheet_files import READING_HEADER, UPDATE_HEADER, csv_bytes
from tests.url_matrix import (
    EXEMPT_NAMES,
    MATRIX,
    escalation_kwargs,
    invitation_kwargs,
    member_kwargs,
    request_kwargs,
    withdraw_kwargs,
)
from workflow.models import Escalation, GoverningRequest, ReviewState

P, WG, GOV, ADM = Role.PARTNER, Role.WORKING_GROUP, Role.GOVERNING, Role.ADMIN


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"partnership": "kent-test", **kwargs})


@dataclass
class Post:
    """What the browser sends: to `url`, the form's fields `data` (files among them)."""

    url: str
    data: dict


def shown_form(client, page: str, *, action: str | None = None, button: str | None = None, **overrides) -> Post:
    """The one POST form of `page` that posts to `action` (the page itself by default) and has `button`,
    as the browser sends it with `overrides` typed in."""
    response = client.get(page)
    assert response.status_code == 200, page
    target = action or page
    forms = [
        form
        for form in page_forms(response.content.decode())
        if form.method == "post" and (form.action or page) == target
        if button is None or any(b.get("name") == button for b in form.buttons)
    ]
    assert len(forms) == 1, f"{page} has {len(forms)} forms posting to {target}"
    return Post(target, forms[0].data(button=button, **overrides))


# Cache keys, not records: every write that changes what published figures show moves the partnership's
# generation of figures on (`csa_tracker.accounts.figures`), every audited write its work generation and
# either its shared one or its organisations' (`csa_tracker.audit.services.audit_record`, issue 26), and a
# reading published its indicator's stored `stale_from` (derived from the readings), and every change to
# a person's notifications the generation of their unread count (`Membership.notifications_generation`),
# so they are left out of the tables compared.
CACHE_KEYS = {
    "accounts.partnership": ("figures_generation", "work_generation", "shared_work_generation"),
    "accounts.organisation": ("work_generation",),
    "accounts.membership": ("notifications_generation",),
    "indicators.indicator": ("stale_from",),
}


def rows_now() -> dict[str, list[dict]]:
    """`database_rows()` without the cache keys."""
    rows = database_rows()
    for label, names in CACHE_KEYS.items():
        for row in rows[label]:
            for name in names:
                del row[name]
    return rows


def csv_file(rows, name="file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows), content_type="text/csv")


@dataclass(frozen=True)
class Entry:
    """One expected audit entry: its verb, summary and reason, and the record it is about."""

    verb: str
    summary: str
    about: Callable  # (world, kept) -> the record, looked up after the write
    reason: str = ""
    changes: dict | None = None  # {label: [before, after]}, where the entry lists the fields changed


@dataclass(frozen=True)
class Write:
    route: str
    role: str | None  # None: signed out
    arrange: Callable  # (world, client, kept) -> Post; `kept` holds what it made, for `about`
    entries: tuple[Entry, ...]
    tables: frozenset[str]  # the models whose rows change, besides the audit trail
    actor: Callable | None = None  # (world, kept) -> whom the entries name; default the signed-in person


WRITES: dict[str, Write] = {}


def write(label: str, route: str, role: str, arrange, entries, tables, **kwargs) -> None:
    WRITES[label] = Write(route, role, arrange, tuple(entries), frozenset(tables), **kwargs)


def kept_as(key: str) -> Callable:
    return lambda w, kept: kept[key]


# Progress updates and readings: written, submitted, withdrawn, reviewed, corrected and escalated.
UPDATES, READINGS = "actions.progressupdate", "indicators.indicatorreading"


def new_action(w, kept):
    kept["action"] = ActionFactory(plan_priority=w.plan_priority, leads=[w.own_org], wording="Run the speed watch")
    return kept["action"]


def new_update(w, kept):
    return kept["action"].updates.get()


def draft_update(w, kept, cycle=None):
    kept["update"] = ProgressUpdateFactory(
        action=new_action(w, kept),
        cycle=cycle or w.cycle,
        state=ReviewState.DRAFT,
        author=w.users[P],
        organisation=w.own_org,
        text="Started the work.",
    )
    return kept["update"]


def draft_reading(w, kept):
    kept["reading"] = ReadingFactory(
        indicator=w.indicator,
        state=ReviewState.DRAFT,
        author=w.users[P],
        organisation=w.own_org,
        value=140,
        period_start=date(2019, 1, 1),
        period_end=date(2019, 12, 31),
        published_at=None,
    )
    return kept["reading"]


def submitted(kind):
    return lambda w, kept: getattr(w, f"submitted_{kind}s")["own"]


def published(kind):
    return lambda w, kept: getattr(w, f"published_{kind}s")["own"]


def correction_of(kind):
    model = {"update": ProgressUpdate, "reading": IndicatorReading}[kind]
    return lambda w, kept: model.objects.get(corrects=published(kind)(w, kept))


def _update_start(w, client, kept):
    return shown_form(client, url("update_start", pk=new_action(w, kept).pk), button="save", text="Started the work.")


def _update_start_submit(w, client, kept):
    return shown_form(client, url("update_start", pk=new_action(w, kept).pk), button="submit", text="Done.")


write(
    "update_start: a draft",
    "update_start",
    P,
    _update_start,
    [Entry("create", "Draft started", new_update)],
    [UPDATES],
)
write(
    "update_start: written and submitted at once (two acts: started, then submitted)",
    "update_start",
    P,
    _update_start_submit,
    [Entry("create", "Draft started", new_update), Entry("submit", "Submitted", new_update)],
    [UPDATES],
)


def _reading_start(w, client, kept):
    page = url("reading_start", indicator=w.indicator.slug)
    return shown_form(client, page, button="save", value="140", period_end="2019-12-31")


write(
    "reading_start: a draft",
    "reading_start",
    P,
    _reading_start,
    [Entry("create", "Draft started", lambda w, kept: w.indicator.readings.get(period_end=date(2019, 12, 31)))],
    [READINGS],
)


def _update_edit_save(w, client, kept):
    page = url("update_edit", pk=draft_update(w, kept).pk)
    return shown_form(client, page, button="save", text="Started the work; two schools signed up.")


def _update_edit_submit(w, client, kept):
    return shown_form(client, url("update_edit", pk=draft_update(w, kept).pk), button="submit")


def _reading_edit_save(w, client, kept):
    return shown_form(client, url("reading_edit", pk=draft_reading(w, kept).pk), button="save", value="141")


write(
    "update_edit: a draft changed",
    "update_edit",
    P,
    _update_edit_save,
    [Entry("edit", "Edited", kept_as("update"))],
    [UPDATES],
)
write(
    "update_edit: a draft submitted unchanged",
    "update_edit",
    P,
    _update_edit_submit,
    [Entry("submit", "Submitted", kept_as("update"))],
    [UPDATES],
)
write(
    "reading_edit: a draft changed",
    "reading_edit",
    P,
    _reading_edit_save,
    [Entry("edit", "Edited", kept_as("reading"))],
    [READINGS],
)


def _withdraw(kind):
    def arrange(w, client, kept):
        item = submitted(kind)(w, kept)
        return shown_form(client, url(f"{kind}_edit", pk=item.pk), action=url(f"{kind}_withdraw", pk=item.pk))

    return arrange


def _decide(kind, **choices):
    def arrange(w, client, kept):
        return shown_form(client, url(f"review_{kind}", pk=submitted(kind)(w, kept).pk), **choices)

    return arrange


def _correct(kind, **fields):
    def arrange(w, client, kept):
        page = url(f"{kind}_correct", pk=published(kind)(w, kept).pk)
        return shown_form(client, page, **fields, **{"correction-reason": "The figure was mistyped."})

    return arrange


def _escalate(kind):
    def arrange(w, client, kept):
        return shown_form(client, url(f"{kind}_escalate", pk=published(kind)(w, kept).pk), note="For the board.")

    return arrange


TABLE = {"update": UPDATES, "reading": READINGS}
for kind in ("update", "reading"):
    write(
        f"{kind}_withdraw: back to draft",
        f"{kind}_withdraw",
        P,
        _withdraw(kind),
        [Entry("withdraw", "Withdrawn", submitted(kind))],
        [TABLE[kind]],
    )
    write(
        f"review_{kind}: published",
        f"review_{kind}",
        WG,
        _decide(kind, decision="publish"),
        [Entry("publish", "Published", submitted(kind))],
        [TABLE[kind]],
    )
    write(
        f"review_{kind}: returned with a comment",
        f"review_{kind}",
        WG,
        _decide(kind, decision="return", comment="Add the dates."),
        [Entry("return", "Returned", submitted(kind), reason="Add the dates.")],
        [TABLE[kind], "workflow.comment"],  # the comment joins the item's conversation
    )
    write(
        f"review_{kind}: published and escalated (two acts on the item, and the escalation made)",
        f"review_{kind}",
        WG,
        _decide(kind, decision="publish", escalate="on", escalation_note="For the board."),
        [
            Entry("publish", "Published", submitted(kind)),
            Entry("escalate", "Escalated", submitted(kind), reason="For the board."),
        ],
        [TABLE[kind], "workflow.escalation"],
    )
    write(
        f"{kind}_correct: a correction written (another member publishes it)",
        f"{kind}_correct",
        WG,
        _correct(kind, **({"text": "Corrected progress."} if kind == "update" else {"value": "6123"})),
        [Entry("correct", "Correction written", correction_of(kind), reason="The figure was mistyped.")],
        [TABLE[kind]],
    )
    write(
        f"{kind}_escalate: escalated to the governing group",
        f"{kind}_escalate",
        WG,
        _escalate(kind),
        [Entry("escalate", "Escalated", published(kind), reason="For the board.")],
        [TABLE[kind], "workflow.escalation"],
    )


def _publish_many(w, client, kept):
    chosen = [submitted(kind)(w, kept) for kind in ("update", "reading")]
    items = [f"{item.kind.name}:{item.pk}:{item.version}" for item in chosen]
    return shown_form(client, url("review_queue"), action=url("review_publish_many"), item=items)


write(
    "review_publish_many: two checked items (one entry per item)",
    "review_publish_many",
    WG,
    _publish_many,
    [Entry("publish", "Published", submitted("update")), Entry("publish", "Published", submitted("reading"))],
    [UPDATES, READINGS],
)


def closed_cycle_draft(w, kept):
    """A draft left in a locked cycle, and the plan's next cycle open."""
    locked = ReportingCycleFactory(
        plan=w.plan, name="Q3 2017/18", period_start=date(2017, 10, 1), period_end=date(2017, 12, 31),
        update_deadline=date(2017, 11, 16), state=CycleState.LOCKED,
    )  # fmt: skip
    return draft_update(w, kept, cycle=locked)


def _carry(w, client, kept):
    update = closed_cycle_draft(w, kept)
    return shown_form(client, url("update_edit", pk=update.pk), action=url("update_carry", pk=update.pk))


def _delete(w, client, kept):
    return shown_form(client, url("update_delete", pk=draft_update(w, kept).pk))


write(
    "update_carry: a draft carried from a locked cycle into the open one",
    "update_carry",
    P,
    _carry,
    [
        Entry(
            "edit",
            "Edited",
            kept_as("update"),
            reason="Carried from Q3 2017/18 (locked) into Q4 2017/18.",
        )
    ],
    [UPDATES],
)
write(
    "update_delete: a draft deleted",
    "update_delete",
    P,
    _delete,
    [Entry("delete", "Draft deleted", lambda w, kept: kept["update"])],
    [UPDATES],
)


# The plan: plans, priorities and actions, rolled forward.


def _plan_create(w, client, kept):
    return shown_form(
        client,
        url("plan_create"),
        title="Test Agreement 2018/19",
        slug="2018-19",
        starts="2018-04-01",
        ends="2019-03-31",
    )


def new_plan(w, kept):
    return Plan.objects.get(partnership=w.partnership, slug="2018-19")


def _priority_create(w, client, kept):
    return shown_form(client, url("priority_create", plan="2017-18"), title="Knife Crime")


def _priority_edit(w, client, kept):
    page = url("priority_edit", plan="2017-18", priority="road-safety")
    return shown_form(client, page, title="Road Safety and Speeding", reason="Renamed by the board.")


def _plan_edit(w, client, kept):
    page = url("plan_edit", plan="2017-18")
    return shown_form(client, page, title="Test Agreement 2017/18, revised", reason="Renamed by the board.")


def _priority_move(w, client, kept):
    kept["second"] = PlanPriorityFactory(plan=w.plan, title="Knife Crime", order=w.plan_priority.order + 1)
    move = url("priority_move", plan="2017-18", priority=kept["second"].priority.slug)
    return shown_form(client, url("plan_detail", plan="2017-18"), action=move, button="direction", direction="up")


def _action_new(w, client, kept):
    page = url("action_new", plan="2017-18", priority="road-safety")
    return shown_form(
        client, page, wording="Run the speed watch", leads=str(w.own_org.pk), status=str(w.own_action.status_id)
    )


def _action_edit(w, client, kept):
    page = url("action_edit", pk=w.own_action.pk)
    return shown_form(client, page, wording="Own council's action, reworded", reason="Typo.")


def _roll_forward(w, client, kept):
    page = url("plan_roll_forward", plan="2017-18")
    return shown_form(
        client,
        page,
        title="Test Agreement 2018/19",
        slug="2018-19",
        starts="2018-04-01",
        ends="2019-03-31",
        confirm="on",
    )


write(
    "plan_create: a new plan",
    "plan_create",
    WG,
    _plan_create,
    [Entry("create", "Plan added", new_plan)],
    ["priorities.plan"],
)
write(
    "priority_create: a priority added to the plan",
    "priority_create",
    WG,
    _priority_create,
    [Entry("create", "Priority added", lambda w, kept: w.plan.plan_priorities.get(title="Knife Crime"))],
    ["priorities.planpriority", "priorities.priority"],
)
write(
    "priority_edit: renamed, with a reason",
    "priority_edit",
    WG,
    _priority_edit,
    [Entry("edit", "Priority changed", lambda w, kept: w.plan_priority, reason="Renamed by the board.")],
    ["priorities.planpriority"],
)
write(
    "plan_edit: retitled, with a reason",
    "plan_edit",
    WG,
    _plan_edit,
    [
        Entry(
            "edit",
            "Plan changed",
            lambda w, kept: w.plan,
            reason="Renamed by the board.",
            changes={"Title": ["Test Agreement 2017/18", "Test Agreement 2017/18, revised"]},
        )
    ],
    ["priorities.plan"],
)
write(
    "priority_move: a priority moved up, the one above moved down",
    "priority_move",
    WG,
    _priority_move,
    [
        Entry(
            "edit",
            "Priority moved up",
            lambda w, kept: kept["second"],
            changes={"Position": ["2", "1"]},
        )
    ],
    ["priorities.planpriority"],
)
write(
    "action_new: an action added",
    "action_new",
    WG,
    _action_new,
    [
        Entry(
            "create",
            "Action added",
            lambda w, kept: Action.objects.get(wording="Run the speed watch"),
            reason="Added to the plan",
        )
    ],
    ["actions.action", "actions.action_leads"],
)
write(
    "action_edit: reworded, with a reason",
    "action_edit",
    WG,
    _action_edit,
    [
        Entry(
            "edit",
            "Action changed",
            lambda w, kept: w.own_action,
            reason="Typo.",
            changes={"Wording": ["Own council's action", "Own council's action, reworded"]},
        )
    ],
    ["actions.action"],
)
write(
    "plan_roll_forward: next year's plan (one act: the new plan, its priorities and carried actions)",
    "plan_roll_forward",
    WG,
    _roll_forward,
    [Entry("roll_forward", "Started from Test Agreement 2017/18", new_plan)],
    ["priorities.plan", "priorities.planpriority", "actions.action", "actions.action_leads"],
)


# Reporting cycles and reports.


def _cycle_create(w, client, kept):
    return shown_form(
        client,
        url("cycle_create"),
        plan=str(w.plan.pk),
        name="Q3 2017/18",
        period_start="2017-10-01",
        period_end="2017-12-31",
        update_deadline="2017-11-16",
    )


def _cycle_next(w, client, kept):
    return shown_form(client, url("cycle_next", pk=w.cycle.pk), plan=str(w.plan.pk), name="Q3 2017/18",
                      period_start="2017-10-01", period_end="2017-12-31", update_deadline="2017-11-16")  # fmt: skip


def _cycle_edit(w, client, kept):
    return shown_form(client, url("cycle_edit", pk=w.cycle.pk), name="Q4 2017/18 (January to March)")


def _cycle_lock(w, client, kept):
    return shown_form(client, url("cycle_lock", pk=w.cycle.pk))


def _cycle_reopen(w, client, kept):
    w.cycle.state = CycleState.LOCKED
    w.cycle.save(update_fields=["state"])
    deadline = (timezone.localdate() + timedelta(days=7)).isoformat()
    kept["deadline"] = deadline
    return shown_form(
        client, url("cycle_reopen", pk=w.cycle.pk), reason="Police figures arrived late.", update_deadline=deadline
    )


def new_cycle(w, kept):
    return ReportingCycle.objects.get(plan=w.plan, name="Q3 2017/18")


def the_cycle(w, kept):
    return w.cycle


for route, arrange in (("cycle_create", _cycle_create), ("cycle_next", _cycle_next)):
    write(
        f"{route}: a new cycle",
        route,
        WG,
        arrange,
        [Entry("create", "Reporting cycle added", new_cycle)],
        ["cycles.reportingcycle"],
    )
write(
    "cycle_edit: renamed",
    "cycle_edit",
    WG,
    _cycle_edit,
    [Entry("edit", "Reporting cycle changed", the_cycle)],
    ["cycles.reportingcycle"],
)
write(
    "cycle_lock: locked", "cycle_lock", WG, _cycle_lock, [Entry("lock", "Locked", the_cycle)], ["cycles.reportingcycle"]
)
write(
    "cycle_reopen: reopened with a reason and a new deadline",
    "cycle_reopen",
    WG,
    _cycle_reopen,
    [Entry("reopen", "Reopened", the_cycle, reason="Police figures arrived late.")],
    ["cycles.reportingcycle"],
)


def _request_update(w, client, kept):
    action = new_action(w, kept)  # no update yet: the board offers to ask for one
    page = url("cycle_board", pk=w.cycle.pk)
    return shown_form(client, page, action=url("cycle_request_update", pk=w.cycle.pk, action=action.pk))


write(
    "cycle_request_update: the lead partners e-mailed",
    "cycle_request_update",
    WG,
    _request_update,
    [Entry("remind", "Update for Q4 2017/18 requested from 1 partner", kept_as("action"))],
    ["cycles.reminderlog", "notifications.notification"],  # the partner's notification, beside the e-mail
)


def _remind_overdue(w, client, kept):
    new_action(w, kept)  # no update after the deadline: overdue, its lead (the partner's organisation) reachable
    return shown_form(client, url("cycle_remind_overdue", pk=w.cycle.pk))


write(
    "cycle_remind_overdue: every overdue action's lead partners e-mailed, one entry per action",
    "cycle_remind_overdue",
    WG,
    _remind_overdue,
    [Entry("remind", "Update for Q4 2017/18 requested from 1 partner", kept_as("action"))],
    ["cycles.reminderlog", "notifications.notification"],
)


def _ask_for_updates(w, client, kept):
    new_action(w, kept)  # no update for the cycle: the publish page offers to ask its lead partners
    kwargs = MATRIX["report_ask_updates"].kwargs(w, "own")
    return shown_form(
        client, reverse("report_publish", kwargs=kwargs), action=reverse("report_ask_updates", kwargs=kwargs)
    )


write(
    "report_ask_updates: every action with no update has its lead partners e-mailed, one entry per action",
    "report_ask_updates",
    WG,
    _ask_for_updates,
    [Entry("remind", "Update for Q4 2017/18 requested from 1 partner", kept_as("action"))],
    ["cycles.reminderlog", "notifications.notification"],
)


def _report_publish(w, client, kept):
    return shown_form(client, reverse("report_publish", kwargs=MATRIX["report_publish"].kwargs(w, "own")))


def the_report(w, kept):
    return Report.objects.get(cycle=w.cycle)


write(
    "report_publish: the report published (two records: the report's first version, and its cycle closed)",
    "report_publish",
    WG,
    _report_publish,
    [Entry("publish", "Report published", the_report), Entry("publish", "Published", the_cycle)],
    ["reports.report", "cycles.reportingcycle"],
)


def word_template() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return SimpleUploadedFile("house-style.docx", buffer.getvalue())


def _word_upload(w, client, kept):
    return shown_form(client, url("report_settings"), template=word_template())


def _word_remove(w, client, kept):
    word_template_save(access=access_for(w.users[WG], w.partnership), upload=word_template())
    return shown_form(client, url("report_settings"), button="remove", confirm="on")


def report_settings(w, kept):
    return ReportSettings.objects.get(partnership=w.partnership)


write(
    "report_settings: a Word template uploaded",
    "report_settings",
    WG,
    _word_upload,
    [Entry("edit", "Word template uploaded", report_settings)],
    ["reports.reportsettings"],
)
write(
    "report_settings: the Word template removed",
    "report_settings",
    WG,
    _word_remove,
    [Entry("edit", "Word template removed: the plain layout again", report_settings)],
    ["reports.reportsettings"],
)


# People, open data and the governing group's response.


def _invite(w, client, kept):
    return shown_form(
        client,
        url("people_invite"),
        name="New Comer",
        email="newcomer@example.org",
        organisation=str(w.own_org.pk),
        roles=[P],
    )


def named(user, first: str, last: str):
    """The person's name as the audit trail's summaries show it (factories number their names)."""
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _member_edit(w, client, kept):
    named(w.users[GOV], "Grace", "Governor")
    page = reverse("member_edit", kwargs=member_kwargs(w, "own"))
    return shown_form(client, page, roles=[GOV, P])


def _member_deactivate(w, client, kept):
    named(w.users[GOV], "Grace", "Governor")
    return shown_form(client, reverse("member_deactivate", kwargs=member_kwargs(w, "own")))


def _invitation_withdraw(w, client, kept):
    kwargs = withdraw_kwargs(w, "own")
    kept["invitation"] = Invitation.objects.get(pk=kwargs["pk"])
    return shown_form(client, reverse("invitation_withdraw", kwargs=kwargs))


def _invitation_accept(w, client, kept):
    kwargs = invitation_kwargs(w, "own")
    kept["invitation"] = Invitation.objects.get(email="newcomer@example.org")
    page = reverse("invitation_accept", kwargs=kwargs)
    password = "a-new-long-password-9"
    return shown_form(client, page, new_password1=password, new_password2=password)


def the_governing_member(w, kept):
    return w.users[GOV]


write(
    "people_invite: an invitation sent",
    "people_invite",
    WG,
    _invite,
    [
        Entry(
            "invited",
            "Invited: newcomer@example.org as Partner for Own District Council.",
            lambda w, kept: Invitation.objects.get(email="newcomer@example.org"),
        )
    ],
    ["accounts.invitation"],
)
write(
    "member_edit: roles changed",
    "member_edit",
    ADM,
    _member_edit,
    [
        Entry(
            "roles_changed",
            "Roles changed: Grace Governor now has Partner, Governing group for Own District Council.",
            the_governing_member,
        )
    ],  # fmt: skip
    ["accounts.membership"],
)
write(
    "member_deactivate: removed from the partnership",
    "member_deactivate",
    WG,
    _member_deactivate,
    [Entry("deactivated", "Deactivated: Grace Governor removed and their account deactivated.", the_governing_member)],
    ["accounts.membership", "auth.user"],
)
write(
    "invitation_withdraw: a waiting invitation withdrawn",
    "invitation_withdraw",
    WG,
    _invitation_withdraw,
    [Entry("withdrawn", "Withdrawn: newcomer@example.org", kept_as("invitation"))],
    ["accounts.invitation"],
)
write(
    "invitation_accept: a new account takes its roles (the newcomer is the actor)",
    "invitation_accept",
    None,
    _invitation_accept,
    [
        Entry(
            "accepted",
            "Accepted: newcomer@example.org now has Partner for Own District Council.",
            kept_as("invitation"),
        )
    ],  # fmt: skip
    ["accounts.invitation", "accounts.membership", "auth.user", "axes.accesslog"],  # and signed in
    actor=lambda w, kept: get_user_model().objects.get(email="newcomer@example.org"),
)


def _open_data(w, client, kept):
    return shown_form(client, url("opendata_settings"), public="on")


write(
    "opendata_settings: published material made public",
    "opendata_settings",
    ADM,
    _open_data,
    [Entry("edit", "Published material made public", lambda w, kept: w.partnership)],
    ["accounts.partnership"],
)


def _respond(w, client, kept):
    kwargs = escalation_kwargs(w, "own")
    kept["escalation"] = Escalation.objects.get(pk=kwargs["pk"])
    return shown_form(client, reverse("escalation_respond", kwargs=kwargs), kind="noted", note="Seen at the meeting.")


write(
    "escalation_respond: the governing group's response",
    "escalation_respond",
    GOV,
    _respond,
    [Entry("respond", "Governing group's response: Noted", kept_as("escalation"), reason="Seen at the meeting.")],
    ["workflow.escalationresponse"],
)

REQUEST_DUE = timezone.localdate() + timedelta(days=30)


def _request_action(w, client, kept):
    kwargs = escalation_kwargs(w, "own")
    kept["escalation"] = Escalation.objects.get(pk=kwargs["pk"])
    page = reverse("escalation_respond", kwargs=kwargs)
    return shown_form(client, page, kind="action_requested", note="A plan by June.", due=REQUEST_DUE.isoformat())


write(
    "escalation_respond: action requested (the response, and the request made of the lead organisation)",
    "escalation_respond",
    GOV,
    _request_action,
    [
        Entry(
            "respond", "Governing group's response: Action requested", kept_as("escalation"), reason="A plan by June."
        ),
        Entry(
            "request",
            f"Action requested of Own District Council, due {REQUEST_DUE:%-d %B %Y}",
            lambda w, kept: GoverningRequest.objects.get(),
            reason="A plan by June.",
        ),
    ],
    ["workflow.escalationresponse", "workflow.governingrequest"],
)


def _request_step(route: str, field: str, text: str):
    def arrange(w, client, kept):
        kwargs = request_kwargs(w, "own")
        kept["request"] = GoverningRequest.objects.get(pk=kwargs["pk"])
        return shown_form(client, reverse(route, kwargs=kwargs), **{field: text})

    return arrange


write(
    "request_answer: the organisation asked answers the governing group's request",
    "request_answer",
    P,
    _request_step("request_answer", "answer", "Drafted; at the June meeting."),
    [
        Entry(
            "answer",
            "Request of the governing group answered for Own District Council",
            kept_as("request"),
            reason="Drafted; at the June meeting.",
        )
    ],
    ["workflow.governingrequest"],
)
write(
    "request_close: the governing group closes its request with a note",
    "request_close",
    GOV,
    _request_step("request_close", "note", "Received; done."),
    [
        Entry(
            "close",
            "Request of the governing group to Own District Council closed",
            kept_as("request"),
            reason="Received; done.",
        )
    ],
    ["workflow.governingrequest"],
)


# The partnership's settings (issue 14).


def _theme_new(w, client, kept):
    return shown_form(client, url("settings_vocabulary_new", kind="themes"), name="Vulnerability", order="1")


def _status_edit(w, client, kept):
    page = reverse("settings_vocabulary_edit", kwargs=MATRIX["settings_vocabulary_edit"].kwargs(w, "own"))
    return shown_form(client, page, name="Under way")


def _theme_delete(w, client, kept):
    kept["theme"] = ThemeFactory(partnership=w.partnership, name="Unused theme")
    return shown_form(client, url("settings_vocabulary_delete", kind="themes", pk=kept["theme"].pk))


def _year(w, client, kept):
    return shown_form(client, url("settings_year"), year_start_month="10")


def _indicator_new(w, client, kept):
    page = url("settings_indicator_new")
    area = str(w.indicator.geography_id)
    return shown_form(client, page, name="Burglaries", period_type="calendar_year", geography=area)


def _indicator_edit(w, client, kept):
    return shown_form(client, url("settings_indicator", slug=w.indicator.slug), name="Road casualties (all)")


def _indicator_target(w, client, kept):
    page = url("settings_indicator", slug=w.indicator.slug)
    action = url("settings_indicator_target", slug=w.indicator.slug)
    return shown_form(client, page, action=action, **{"target-period_end": "2018-12-31", "target-value": "140"})


def _indicator_note(w, client, kept):
    page = url("settings_indicator", slug=w.indicator.slug)
    action = url("settings_indicator_note", slug=w.indicator.slug)
    return shown_form(client, page, action=action, **{"note-effective_from": "2018-04-01", "note-text": "New method."})


def _indicator_retire(w, client, kept):
    return shown_form(client, url("settings_indicator_retire", slug=w.indicator.slug))


def _plan_settings(w, client, kept):
    return shown_form(client, url("settings_plan", plan="2017-18"), version_label="Version 2")


def _population(w, client, kept):
    area = w.indicator.geography
    return shown_form(client, url("settings_populations", pk=area.pk), year="2017", value="1554600")


def the_indicator(w, kept):
    return w.indicator


def the_area(w, kept):
    return w.indicator.geography


write(
    "settings_vocabulary_new: a theme added",
    "settings_vocabulary_new",
    WG,
    _theme_new,
    [Entry("create", "Theme “Vulnerability” added", lambda w, kept: w.partnership.themes.get(name="Vulnerability"))],
    ["actions.theme"],
)
write(
    "settings_vocabulary_edit: a status renamed",
    "settings_vocabulary_edit",
    ADM,
    _status_edit,
    [Entry("edit", "Status “Under way” changed", lambda w, kept: w.own_action.status)],
    ["actions.status"],
)
write(
    "settings_vocabulary_delete: an unused theme deleted",
    "settings_vocabulary_delete",
    WG,
    _theme_delete,
    [Entry("delete", "Theme “Unused theme” deleted", kept_as("theme"))],
    ["actions.theme"],
)
write(
    "settings_year: the year starts in October",
    "settings_year",
    WG,
    _year,
    [Entry("edit", "Year start changed", lambda w, kept: w.partnership)],
    ["accounts.partnership"],
)
write(
    "settings_indicator_new: an indicator added",
    "settings_indicator_new",
    WG,
    _indicator_new,
    [Entry("create", "Indicator added", lambda w, kept: Indicator.objects.get(name="Burglaries"))],
    ["indicators.indicator"],
)
write(
    "settings_indicator: an indicator renamed",
    "settings_indicator",
    WG,
    _indicator_edit,
    [Entry("edit", "Indicator changed", the_indicator)],
    ["indicators.indicator"],
)
write(
    "settings_indicator_target: a target set",
    "settings_indicator_target",
    WG,
    _indicator_target,
    [Entry("edit", "Target for the period ending 31 December 2018 set: 140", the_indicator)],
    ["indicators.target"],
)
write(
    "settings_indicator_note: a comparability note added",
    "settings_indicator_note",
    WG,
    _indicator_note,
    [Entry("edit", "Comparability note from 1 April 2018 added", the_indicator)],
    ["indicators.comparabilitynote"],
)
write(
    "settings_indicator_retire: an indicator retired",
    "settings_indicator_retire",
    WG,
    _indicator_retire,
    [Entry("edit", "Indicator retired", the_indicator)],
    ["indicators.indicator"],
)
write(
    "settings_plan: the plan's version label",
    "settings_plan",
    WG,
    _plan_settings,
    [Entry("edit", "Plan settings changed", lambda w, kept: w.plan)],
    ["priorities.plan"],
)
write(
    "settings_populations: a population typed",
    "settings_populations",
    WG,
    _population,
    [Entry("edit", "2017 population of Kent added: 1,554,600", the_area)],
    ["indicators.population"],
)


# Spreadsheets: uploaded, previewed (nothing written), then confirmed.


def previewed(client, page: str, button: str | None = None, **upload) -> Post:
    """Upload a file on `page` and return the preview's Confirm form (with `button`, when the page
    shows the upload form again beside it); the upload itself writes nothing."""
    sent = shown_form(client, page, **upload)
    before = rows_now()
    response = client.post(sent.url, sent.data, follow=True)
    assert response.status_code == 200
    assert rows_now() == before, f"the preview on {page} wrote something"
    html, shown_at = response.content.decode(), response.redirect_chain[-1][0] if response.redirect_chain else page
    [form] = [
        form
        for form in page_forms(html)
        if form.method == "post" and form.action in ("", shown_at)
        if button is None or any(b.get("name") == button for b in form.buttons)
    ]
    return Post(shown_at, form.data(button=button))


POPULATIONS = ["Area code", "Area name", "Year", "Population"]


def _population_import(w, client, kept):
    area = w.indicator.geography
    PopulationFactory(geography=area, year=2016, value=1_540_000)
    rows = [POPULATIONS, ["", area.name, "2016", "1545000"], ["", area.name, "2017", "1554600"]]
    return previewed(client, url("settings_population_import"), button="confirm", file=csv_file(rows))


write(
    "settings_import_preview: two populations from the Areas page (one entry per population written)",
    "settings_import_preview",
    WG,
    _population_import,
    [
        Entry("edit", "2016 population of Kent changed: 1,545,000", the_area),
        Entry("edit", "2017 population of Kent added: 1,554,600", the_area),
    ],
    ["indicators.population"],
)


def exported(client, kind: str) -> list[list[str]]:
    response = client.get(url("settings_spreadsheet_export", kind=kind, fmt="csv"))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _configuration(kind: str, change: Callable):
    """Export the list, change it as `change(world, rows)` says, upload it and preview it."""

    def arrange(w, client, kept):
        rows = change(w, exported(client, kind))
        return previewed(client, url("settings_spreadsheets"), button="confirm", kind=kind, file=csv_file(rows))

    return arrange


def _organisations(w, rows):
    return [rows[0], ["Parish Council", "PC", "District council"]]


def _areas(w, rows):
    return [rows[0], ["Testborough", "E07000999", "District", w.indicator.geography.name]]


def _populations(w, rows):
    return [rows[0], ["", w.indicator.geography.name, "2017", "1554600"]]


def _indicators(w, rows):
    header, *indicators = rows
    road = next(row for row in indicators if row[0] == "Road casualties")
    road[header.index("Source")] = "Kent Police and Kent County Council"
    return [header, road]


def _people(w, rows):
    partner = named(w.users[P], "Pat", "Partner")
    return [
        rows[0],
        ["Priya Shah", "priya@example.org", "Other Council", "Partner"],
        [partner.get_full_name(), partner.email, "Own District Council", "Partner; Working Group"],
    ]


def organisation(name):
    return lambda w, kept: Organisation.objects.get(partnership=w.partnership, name=name)


write(
    "settings_import_preview: organisations",
    "settings_import_preview",
    WG,
    _configuration("organisations", _organisations),
    [Entry("create", "Organisation “Parish Council” added", organisation("Parish Council"))],
    ["accounts.organisation"],
)
write(
    "settings_import_preview: areas",
    "settings_import_preview",
    WG,
    _configuration("areas", _areas),
    [
        Entry(
            "create",
            "Area “Testborough” added",
            lambda w, kept: Geography.objects.get(partnership=w.partnership, name="Testborough"),
        )
    ],  # fmt: skip
    ["indicators.geography"],
)
write(
    "settings_import_preview: populations",
    "settings_import_preview",
    WG,
    _configuration("populations", _populations),
    [Entry("edit", "2017 population of Kent added: 1,554,600", the_area)],
    ["indicators.population"],
)
write(
    "settings_import_preview: indicators",
    "settings_import_preview",
    WG,
    _configuration("indicators", _indicators),
    [
        Entry(
            "edit",
            "Indicator changed",
            the_indicator,
            changes={"Source": ["Kent Police", "Kent Police and Kent County Council"]},
        )
    ],
    ["indicators.indicator"],
)
write(
    "settings_import_preview: people (one entry per person invited or changed)",
    "settings_import_preview",
    WG,
    _configuration("people", _people),
    [
        Entry(
            "invited",
            "Invited: priya@example.org as Partner for Other Council.",
            lambda w, kept: Invitation.objects.get(email="priya@example.org"),
        ),
        Entry(
            "roles_changed",
            "Roles changed: Pat Partner now has Partner, Working Group for Own District Council.",
            lambda w, kept: w.users[P],
        ),
    ],  # fmt: skip
    ["accounts.invitation", "accounts.membership"],
)


def _import(kind: str, rows: Callable):
    """Upload a file of `kind` on the import page and return its preview's Confirm form."""

    def arrange(w, client, kept):
        return previewed(client, url("import_start"), kind=kind, file=csv_file(rows(w, kept)))

    return arrange


ACTION_HEADER = ["Action ID", "Plan", "Priority", "Action", "Leads", "Supporters", "Status", "Funding", "Start", "Due"]


def _reading_rows(w, kept):
    return [READING_HEADER, ["Road casualties", "Kent", "31/12/2019", "140", "", ""],
            ["Road casualties", "Kent", "31/12/2020", "138", "", ""]]  # fmt: skip


def _update_rows(w, kept):
    kept["first"] = ActionFactory(plan_priority=w.plan_priority, leads=[w.own_org], wording="First new action")
    kept["second"] = ActionFactory(plan_priority=w.plan_priority, leads=[w.own_org], wording="Second new action")
    status = w.own_action.status.name
    return [UPDATE_HEADER, [kept["first"].pk, status, "Begun."], [kept["second"].pk, status, "Planned."]]


def _action_rows(w, kept):
    status = w.own_action.status.name
    new = [
        "",
        "Test Agreement 2017/18",
        "Road Safety",
        "New speed checks",
        "Own District Council",
        "",
        status,
        "",
        "",
        "",
    ]
    changed = [w.own_action.pk, "", "", "", "Own District Council; Other Council", "", "", "", "", ""]
    return [ACTION_HEADER, new, changed]


def reading_for(year):
    return lambda w, kept: w.indicator.readings.get(period_end=date(year, 12, 31))


def update_for(key):
    return lambda w, kept: kept[key].updates.get()


write(
    "import_preview: readings (one entry per reading)",
    "import_preview",
    P,
    _import("readings", _reading_rows),
    [Entry("import", "Imported", reading_for(2019)), Entry("import", "Imported", reading_for(2020))],
    [READINGS],
)
write(
    "import_preview: progress updates (one entry per update)",
    "import_preview",
    P,
    _import("updates", _update_rows),
    [Entry("import", "Imported", update_for("first")), Entry("import", "Imported", update_for("second"))],
    [UPDATES],
)
write(
    "import_preview: actions (one entry per action added or changed)",
    "import_preview",
    WG,
    _import("actions", _action_rows),
    [
        Entry(
            "create",
            "Action added",
            lambda w, kept: Action.objects.get(wording="New speed checks"),
            reason="Imported from a spreadsheet",
        ),
        Entry("edit", "Action changed", lambda w, kept: w.own_action, reason="Imported from a spreadsheet"),
    ],  # fmt: skip
    ["actions.action", "actions.action_leads"],
)


# Conversations, evidence and calendar links (issue 28).
LABEL = {"update": "progress update", "reading": "indicator reading"}
for kind in ("update", "reading"):
    write(
        f"{kind}_conversation: a comment from the Working Group",
        f"{kind}_conversation",
        WG,
        lambda w, client, kept, kind=kind: shown_form(
            client, url(f"{kind}_conversation", pk=submitted(kind)(w, kept).pk), **{"comment-text": "Which wards?"}
        ),
        [Entry("comment", f"Comment on the {LABEL[kind]}", submitted(kind), reason="Which wards?")],
        ["workflow.comment"],  # the author is told once the comment is committed (tests/notifications)
    )


def _evidence_remove(w, client, kept):
    update = draft_update(w, kept)
    kept["attachment"] = attach(w.users[P], update, "report.pdf")
    return Post(url("evidence_remove", pk=kept["attachment"].pk), {})


write(
    "evidence_remove: a file taken off a draft",
    "evidence_remove",
    P,
    _evidence_remove,
    [Entry("detach", "Evidence removed: report.pdf", kept_as("update"))],
    ["evidence.attachment"],
    # Attached through the service before the request: that entry is the arrangement's, not the case's.
)
write(
    "calendar_reset: a person's calendar links made anew",
    "calendar_reset",
    P,
    lambda w, client, kept: Post(url("calendar_reset"), {}),
    [Entry("link_reset", "Calendar links made anew: the old ones no longer work", lambda w, kept: w.users[P])],
    ["calendars.calendarkey"],
)

# Routes that take POST but change no partnership record, or change it without an audit entry on purpose.
NOT_AUDITED = {
    "login": "signing in: account security, no partnership record (django-axes logs failures)",
    "logout": "signing out: the session only",
    "session_keep_alive": "stay signed in: saves the person's own session again, no partnership record",
    "two_factor_verify": "account security: a one-time code checked, no partnership record",
    "two_factor_setup": "account security: a person's own authenticator device, no partnership record",
    "recovery_verify": "account security: a one-time recovery code used, no partnership record",
    "recovery_codes": "account security: a person's own recovery codes, no partnership record",
    "recovery_codes_new": "account security: shows codes made a moment before, writes nothing",
    "password_change": "account security: a person's own password, no partnership record",
    "password_reset": "account security: sends a reset e-mail, writes nothing",
    "password_reset_confirm": "account security: a person's own password, no partnership record",
    "digest_unsubscribe": "a person's own e-mail preference, from the link in their digest",
    "notification_read": "marks one of a person's own notifications read: their inbox, no partnership record",
    "notification_read_all": "marks a person's own notifications read: their inbox, no partnership record",
    "notification_settings": "a person's own choice of how they are told (at once, daily, weekly, not at all)",
}

# Writes whose entries are asserted case by case in their own tests (too many records for one case here).
AUDITED_ELSEWHERE = {
    "plan_import_preview": "tests/plandocs/test_plan_import_kent.py: the plan, each priority, action, organisation "
    "and progress update imported, each with its entry",
}

# Routes whose POST only prepares a write: asserted to write nothing.
PREVIEWS = {
    "import_start": "uploads a file and shows what it would change; the preview's Confirm writes",
    "settings_spreadsheets": "uploads a configuration file; its preview's Confirm writes (settings_import_preview)",
    "settings_population_import": "uploads a population file; its preview's Confirm writes (settings_import_preview)",
    "plan_import": "uploads a Word document and shows the plan read from it; the preview's Import writes",
}


def post_routes() -> set[str]:
    return {name for name, row in MATRIX.items() if "post" in row.methods} | EXEMPT_NAMES


def shown_errors(response) -> str:
    """What a refused form says, for the failure message."""
    form = response.context.get("form") if response.context else None
    return f"{response.status_code}: {form.errors if form is not None else ''}"


def test_every_post_route_is_covered():
    covered = {case.route for case in WRITES.values()}
    assert sorted(post_routes() - covered - set(PREVIEWS) - set(NOT_AUDITED) - set(AUDITED_ELSEWHERE)) == []
    assert sorted(covered & (set(NOT_AUDITED) | set(AUDITED_ELSEWHERE))) == []
    assert sorted((set(NOT_AUDITED) | set(PREVIEWS) | set(AUDITED_ELSEWHERE)) - post_routes()) == []


@pytest.mark.parametrize("label", sorted(WRITES))
def test_each_write_leaves_its_audit_entries(world, client, label):
    case = WRITES[label]
    if case.role is not None:
        client.force_login(world.users[case.role])
    kept = {}
    post = case.arrange(world, client, kept)
    before = rows_now()
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started = timezone.now()
    response = client.post(post.url, post.data)
    finished = timezone.now()

    # Every write answers with a redirect (post/redirect/get); a form shown again is a refusal.
    assert response.status_code == 302, shown_errors(response)
    after = rows_now()
    assert {name for name in after if after[name] != before[name]} == case.tables | {"audit.auditentry"}
    entries = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk"))
    assert [(e.verb, e.summary, e.reason) for e in entries] == [(x.verb, x.summary, x.reason) for x in case.entries]
    actor = case.actor(world, kept) if case.actor else world.users[case.role]
    for entry, expected in zip(entries, case.entries, strict=True):
        subject = expected.about(world, kept)
        assert entry.verb in Verb.values
        assert (entry.actor, entry.partnership) == (actor, world.partnership)
        assert started <= entry.at <= finished
        assert (entry.content_type.model_class(), entry.object_id) == (type(subject), subject.pk)
        if expected.changes is not None:
            assert entry.changes == expected.changes


def test_an_upload_to_the_import_page_writes_nothing(world, client):
    client.force_login(world.users[P])
    sent = shown_form(client, url("import_start"), kind="readings", file=csv_file(_reading_rows(world, {})))
    before = rows_now()
    response = client.post(sent.url, sent.data)
    assert response.status_code == 302
    assert resolve(response["Location"]).url_name == "import_preview"
    assert rows_now() == before


def test_asking_again_the_same_day_emails_nobody_and_writes_nothing(world, client):
    """A request that reaches nobody (the lead partners were asked today already) is no write."""
    client.force_login(world.users[WG])
    sent = _request_update(world, client, {})
    assert client.post(sent.url, sent.data).status_code == 302
    before, entries = rows_now(), AuditEntry.objects.count()
    assert client.post(sent.url, sent.data).status_code == 302
    assert (rows_now(), AuditEntry.objects.count()) == (before, entries)


# The Django admin: a domain record is read-only there, or changed with an audit entry.
def our_apps() -> set[str]:
    return {app.label for app in apps.get_app_configs() if "site-packages" not in app.path}


def test_every_model_of_ours_in_the_admin_is_read_only_or_audited(rf):
    request = rf.get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    kinds = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in our_apps():
            continue
        inlines = model_admin.get_inline_instances(request)
        refused = not any(
            [model_admin.has_add_permission(request), model_admin.has_change_permission(request)]
            + [model_admin.has_delete_permission(request)]
            + [inline.has_add_permission(request, None) or inline.has_change_permission(request) for inline in inlines]
            + [inline.has_delete_permission(request) for inline in inlines]
        )
        if isinstance(model_admin, AuditedAdmin):
            kinds[model._meta.label] = "audited"
        elif isinstance(model_admin, ReadOnlyAdmin) and refused:
            kinds[model._meta.label] = "read-only"
        else:
            kinds[model._meta.label] = "changeable without an entry"
    assert kinds == {
        "accounts.Partnership": "audited",
        "accounts.Organisation": "audited",
        "accounts.Membership": "audited",
        "audit.AuditEntry": "read-only",
        "actions.Action": "read-only",
        "actions.FundingSource": "read-only",
        "actions.Status": "read-only",
        "priorities.Plan": "read-only",
        "priorities.PlanPriority": "read-only",
        "priorities.Priority": "read-only",
        "workflow.Escalation": "read-only",
        "workflow.GoverningRequest": "read-only",
    }


@pytest.fixture
def superuser_client(world, client):
    user = world.users[ADM]
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(user)
    return client


def test_an_organisation_changed_in_the_admin_leaves_one_entry(world, superuser_client):
    page = reverse("admin:accounts_organisation_change", args=[world.own_org.pk])
    sent = shown_form(superuser_client, page, name="Own Borough Council")
    before = AuditEntry.objects.count()
    assert superuser_client.post(sent.url, sent.data).status_code == 302
    [entry] = AuditEntry.objects.order_by("pk")[before:]
    assert (entry.verb, entry.summary, entry.reason, entry.actor, entry.partnership) == (
        "edit",
        "Organisation changed in the Django admin",
        "Django admin",
        world.users[ADM],
        world.partnership,
    )
    assert entry.changes == {"Name": ["Own District Council", "Own Borough Council"]}


def test_a_read_only_record_cannot_be_changed_in_the_admin(world, superuser_client):
    page = reverse("admin:actions_action_change", args=[world.own_action.pk])
    before = rows_now()
    assert superuser_client.post(page, {"wording": "Changed behind the trail"}).status_code == 403
    assert rows_now() == before
