"""Notifications about cycles: deadline reminders to partners, "please update" requests from the Working
Group, and the weekly summary to the Working Group, each through the notification service (listed on
the person's Notifications page, e-mailed as they chose). Each is logged per person, action, kind and
day; the log's unique constraint is what stops a second run on the same day sending anything again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions import status
from actions.history import carried_progress
from actions.models import Action
from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Partnership
from csa_tracker.accounts.policies import (
    Can,
    members_of_organisations_who_can,
    members_who_can,
    organisations_with_members_to_email,
)
from csa_tracker.audit.services import audit_record
from csa_tracker.notifications.services import notify
from csa_tracker.notifications.services import send_digests as send_notification_digests
from csa_tracker.refusals import Refusal
from csa_tracker.text import shortened
from cycles.choice import default_cycle, open_cycles
from cycles.models import CycleState, ReminderKind, ReminderLog, ReportingCycle
from cycles.policies import CYCLES_POLICY
from cycles.services import lock_overdue_cycles
from cycles.unsubscribe import unsubscribe_token
from workflow.kinds import KINDS
from workflow.models import ReviewState

from .board import NO_UPDATE, BoardRow, build_board

# Each reminder's kind of notification (`csa_tracker.notifications.kinds`): how people choose to get it.
NOTIFICATION_KINDS = {
    ReminderKind.BEFORE_DEADLINE: "reminder",
    ReminderKind.ON_DEADLINE: "reminder",
    ReminderKind.UPDATE_REQUESTED: "reminder",
    ReminderKind.DIGEST: "queue_digest",
}


def _claim(user, *, kind: str, today: date, actions=(None,), partnership=None) -> list:
    """Log the e-mail for each action (None for a digest); return those not already logged today."""
    claimed = []
    for action in actions:
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, action=action, partnership=partnership, kind=kind, sent_on=today)
        except IntegrityError:
            continue
        claimed.append(action)
    return claimed


def _send_claimed(user, *, kind, today, actions, template, partnership, message) -> list:
    """Claim `actions` for `user` and notify them in one transaction (the person's Notifications page
    lists it; it is e-mailed in plain text and HTML, from `<template>.txt` and `.html`, as they chose):
    if that fails, nothing is logged and the next run retries. `message(claimed)` gives (subject,
    context, url) for the actions claimed, those not already sent today. Returns them ([] when none)."""
    if not user.email:
        return []
    with transaction.atomic():
        claimed = _claim(user, kind=kind, today=today, actions=actions, partnership=partnership)
        if not claimed:
            return []
        subject, context, url = message(claimed)
        notify(
            kind_key=NOTIFICATION_KINDS[kind],
            recipients=[user],
            partnership=partnership,
            template=f"{template}.txt",
            html_template=f"{template}.html",
            subject=subject,
            context=context,
            url=url,
        )
    return claimed


def _fixed(subject: str, context: dict, url: str):
    """A `message` for `_send_claimed` that is the same whatever it claims, given the claimed `actions`."""
    return lambda claimed: (subject, {**context, "actions": claimed}, url)


def partner_members(partnership, organisations):
    """Active people who follow these organisations' work in this partnership (their partners), asked
    when the e-mail goes, so someone who lost the role since is not written to."""
    return members_of_organisations_who_can(partnership, organisations, Can.FOLLOW_OWN_WORK).order_by("pk")


def progress_path(action) -> str:
    return reverse("update_start", kwargs={"partnership": action.plan_priority.plan.partnership.slug, "pk": action.pk})


def progress_url(action) -> str:
    return settings.SITE_URL + progress_path(action)


def _ask(user, *, access, cycle: ReportingCycle, actions: list, today: date) -> list:
    """Ask `user` for progress updates on `actions` in one notification (one e-mail, as they chose)
    listing each with the link to its progress form; returns the actions asked about, those not
    already asked of them today."""

    def message(claimed: list) -> tuple[str, dict, str]:
        requested = [{"action": action, "url": progress_url(action)} for action in claimed]
        context = {"cycle": cycle, "requester": access.user, "requested": requested}
        if len(claimed) == 1:
            return f"Please update: {shortened(claimed[0].wording, 60)}", context, progress_path(claimed[0])
        my_work = reverse("my_work", kwargs={"partnership": access.partnership.slug})
        return f"Please update {len(claimed)} actions for {cycle.name}", context, my_work

    return _send_claimed(
        user,
        kind=ReminderKind.UPDATE_REQUESTED,
        today=today,
        actions=actions,
        template="cycles/email/update_request",
        partnership=access.partnership,
        message=message,
    )


def _record_request(*, access, cycle: ReportingCycle, action: Action, people: int) -> None:
    summary = f"Update for {cycle.name} requested from {people} partner{'s' if people != 1 else ''}"
    audit_record(action, actor=access.user, verb="remind", summary=summary)


@transaction.atomic
def request_update(*, access, cycle: ReportingCycle, action: Action, today: date) -> int:
    """E-mail the lead organisations' partners a link to the action's progress form; returns how many
    people were e-mailed (0 when they were all asked already today: nothing is written then). A request
    that reached anyone is in the audit trail, in the transaction that logs its e-mails (if one cannot be
    sent, none is logged). Raises NotAllowed unless the person manages the cycle."""
    CYCLES_POLICY.check(access, "manage", cycle)
    sent = sum(
        bool(_ask(user, access=access, cycle=cycle, actions=[action], today=today))
        for user in partner_members(access.partnership, action.leads.all())
    )
    if sent:
        _record_request(access=access, cycle=cycle, action=action, people=sent)
    return sent


def mark_unreachable(partnership, rows) -> None:
    """Set each board row's `unreachable`: its lead organisations with no partner a reminder can reach
    (no active member who follows their work with an e-mail address). One query for every row."""
    leads = {org.pk for row in rows for org in row.leads}
    reachable = organisations_with_members_to_email(partnership, leads, Can.FOLLOW_OWN_WORK)
    for row in rows:
        row.unreachable = [org for org in row.leads if org.pk not in reachable]


@dataclass
class UpdateRequests:
    """What `request_updates_all` did: `which` actions it asked about ("overdue" or "no_update"), those
    whose lead partners were e-mailed, how many people in all, and those nobody could be e-mailed
    about (no one at the lead organisations with an e-mail address, or all already asked today)."""

    which: str
    asked: list = field(default_factory=list)
    people: int = 0
    unreached: list = field(default_factory=list)


def overdue_rows(cycle: ReportingCycle, access, today: date) -> list:
    """The completeness board's rows (reviews.board.BoardRow) of the cycle's overdue actions."""
    return [row for row in build_board(cycle, access, today=today).rows if row.overdue]


def no_update_rows(cycle: ReportingCycle, access, today: date) -> list:
    """Board rows (reviews.board.BoardRow, state "none") of the actions with no progress update written
    for `cycle`, each action with `last_published_cycle` (`ActionQuerySet.without_update_in`; for a carried
    action with none in its plan, the cycle and plan of the action it was carried from whose progress the
    report prints, `actions.history.carried_progress`): a report published now prints their last
    published progress (issue 25). Two queries whatever the number, and three per plan gone back for
    carried actions."""
    actions = list(Action.objects.visible_to(access).without_update_in(cycle))
    carried = carried_progress(
        [action for action in actions if action.carried_from_id and action.last_published_cycle is None],
        up_to=cycle.period_start,
    )
    for action in actions:
        if action.pk in carried:
            earlier = carried[action.pk].cycle
            action.last_published_cycle = f"{earlier.name} of {earlier.plan.title}"
    overdue = status.is_overdue(cycle, NO_UPDATE, today)
    return [BoardRow(action=action, state=NO_UPDATE, overdue=overdue) for action in actions]


# "Ask them all": which actions each button asks about. "overdue": the completeness board's "Remind all
# overdue"; "no_update": the publish page's "Ask them all for an update" (issue 25).
ASK_ALL = {"overdue": overdue_rows, "no_update": no_update_rows}


@transaction.atomic
def request_updates_all(*, access, cycle: ReportingCycle, today: date, which: str) -> UpdateRequests:
    """Ask the lead partners of every action of `cycle` that `ASK_ALL[which]` lists ("overdue" or
    "no_update") for an update, in one transaction: each person once, one notification (one e-mail)
    listing all their actions with the link to each, the same people `request_update` asks, never about
    an action their organisations do not lead; each action asked about has its own "remind" audit entry
    as a single request has. `people` in the result counts the people e-mailed. Raises NotAllowed unless
    the person manages the cycle; Refusal when it takes no updates (not open: "reopen it before asking
    for updates"); KeyError for another `which`."""
    rows_of = ASK_ALL[which]
    CYCLES_POLICY.check(access, "manage", cycle)
    if cycle.state != CycleState.OPEN:
        raise Refusal(f"{cycle.name} is {cycle.get_state_display().lower()}: reopen it before asking for updates.")
    actions = [row.action for row in rows_of(cycle, access, today)]
    asked_of: dict = {}  # each lead partner -> the listed actions their organisations lead, in plan order
    for action in actions:
        for user in partner_members(access.partnership, action.leads.all()):
            asked_of.setdefault(user, []).append(action)
    people_per_action: dict[int, int] = {}
    done = UpdateRequests(which=which)
    for user, theirs in asked_of.items():
        claimed = _ask(user, access=access, cycle=cycle, actions=theirs, today=today)
        done.people += bool(claimed)
        for action in claimed:
            people_per_action[action.pk] = people_per_action.get(action.pk, 0) + 1
    for action in actions:
        people = people_per_action.get(action.pk, 0)
        if people:
            _record_request(access=access, cycle=cycle, action=action, people=people)
        (done.asked if people else done.unreached).append(action)
    return done


@dataclass
class RunSummary:
    locked: int = 0
    reminders: int = 0
    digests: int = 0
    notification_digests: int = 0


def reminder_kind(cycle: ReportingCycle, today: date) -> str | None:
    days_left = (cycle.update_deadline - today).days
    if days_left == 0:
        return ReminderKind.ON_DEADLINE
    if days_left in settings.CSA_REMINDER_DAYS_BEFORE:
        return ReminderKind.BEFORE_DEADLINE
    return None


def due_actions_by_user(cycle: ReportingCycle) -> dict:
    """Each partner with something still owed in the cycle -> those actions."""
    owed: dict = {}
    actions = (
        Action.objects.in_partnership(cycle.plan.partnership)
        .filter(plan_priority__plan=cycle.plan)
        .prefetch_related("leads")
        .select_related("plan_priority__plan__partnership")
        .order_by("plan_priority__order", "order", "pk")
    )
    for action in status.with_cycle_state(actions, cycle):
        if action.cycle_state not in status.OWED_STATES:
            continue
        for user in partner_members(cycle.plan.partnership, action.leads.all()):
            owed.setdefault(user, []).append(action)
    return owed


def send_deadline_reminders(*, today: date) -> int:
    sent = 0
    for cycle in ReportingCycle.objects.filter(state=CycleState.OPEN).select_related("plan__partnership"):
        kind = reminder_kind(cycle, today)
        if kind is None:
            continue
        days_left = (cycle.update_deadline - today).days
        for user, actions in due_actions_by_user(cycle).items():
            subject = (
                f"Progress updates due today: {cycle.name}"
                if kind == ReminderKind.ON_DEADLINE
                else f"Progress updates due in {days_left} day{'s' if days_left != 1 else ''}: {cycle.name}"
            )
            context = {"cycle": cycle, "days_left": days_left, "urls": {a.pk: progress_url(a) for a in actions}}
            my_work = reverse("my_work", kwargs={"partnership": cycle.plan.partnership.slug})
            sent += bool(
                _send_claimed(
                    user,
                    kind=kind,
                    today=today,
                    actions=actions,
                    template="cycles/email/reminder",
                    partnership=cycle.plan.partnership,
                    message=_fixed(subject, context, my_work),
                )
            )
    return sent


def digest_recipients(partnership):
    """The Working Group; whether each is e-mailed is their choice for "queue_digest" (notifications)."""
    return members_who_can(partnership, Can.REVIEW).order_by("pk")


def digest_context(access, *, today: date) -> dict:
    """The queue and the gaps, as the Working Group sees them."""
    submitted = [kind.visible(access).filter(state=ReviewState.SUBMITTED) for kind in KINDS.values()]
    cycle = default_cycle(access.partnership)
    board = build_board(cycle, access, today=today) if cycle else None
    base = settings.SITE_URL
    slug = access.partnership.slug
    return {
        "partnership": access.partnership,
        "queue_size": sum(items.count() for items in submitted),
        "flagged": sum(item.is_flagged for items in submitted for item in items),
        "cycle": cycle,
        "no_update": [row for row in board.rows if row.state == NO_UPDATE] if board else [],
        "overdue": [row for row in board.rows if row.overdue] if board else [],
        "queue_url": base + reverse("review_queue", kwargs={"partnership": slug}),
        "board_url": base + reverse("cycle_board", kwargs={"partnership": slug, "pk": cycle.pk}) if cycle else "",
        "also_open": [_cycle_gaps(other, access, today) for other in open_cycles(access.partnership) if other != cycle],
    }


def _cycle_gaps(cycle: ReportingCycle, access, today: date) -> dict:
    """Another open cycle (at the year's end both plans have one): its gaps, counted as on its board."""
    board = build_board(cycle, access, today=today)
    url = reverse("cycle_board", kwargs={"partnership": access.partnership.slug, "pk": cycle.pk})
    return {
        "cycle": cycle,
        "no_update": board.counts.get(NO_UPDATE, 0),
        "overdue": board.overdue_total,
        "board_url": settings.SITE_URL + url,
    }


def send_digests(*, today: date) -> int:
    if today.weekday() != settings.CSA_DIGEST_WEEKDAY:
        return 0
    sent = 0
    for partnership in Partnership.objects.all():
        for user in digest_recipients(partnership):
            context = digest_context(access_for(user, partnership), today=today)
            unsubscribe = reverse("digest_unsubscribe", kwargs={"token": unsubscribe_token(user)})
            context["unsubscribe_url"] = settings.SITE_URL + unsubscribe
            subject = f"Weekly digest: {partnership.short_name} review queue and gaps"
            url = reverse("review_queue", kwargs={"partnership": partnership.slug})
            sent += bool(
                _send_claimed(
                    user,
                    kind=ReminderKind.DIGEST,
                    today=today,
                    actions=[None],
                    partnership=partnership,
                    template="cycles/email/digest",
                    message=_fixed(subject, context, url),
                )
            )
    return sent


def run_reminders(*, today: date) -> RunSummary:
    """The daily job: lock cycles past their deadline, remind partners, make the Working Group's weekly
    summary, then e-mail each person's daily (and, on the digest day, weekly) digest of notifications."""
    return RunSummary(
        locked=len(lock_overdue_cycles(today=today)),
        reminders=send_deadline_reminders(today=today),
        digests=send_digests(today=today),
        notification_digests=send_notification_digests(today=today),
    )
