"""Every page of the app with a form that posts back to itself, the objects to open it on, and the
roles that may use it: shared by the tests that walk every form (unchanged saves, over-long text).

A route in `tests/url_matrix.py` answering GET and POST is either an edit form here (`EDIT_PAGES`),
a form that makes something new or confirms an action (`OTHER_FORM_PAGES`), or named in `NOT_FORMS`
with the reason; `test_every_form_page_is_walked` fails otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from csa_tracker.accounts.models import Role
from workflow.models import ReviewState

from .factories import ActionFactory, FundingSourceFactory, ProgressUpdateFactory, ReadingFactory
from .url_matrix import MATRIX


@dataclass
class FormObjects:
    """Objects in every state an edit form is opened in, beside the shared `world`."""

    draft_update: object
    returned_update: object
    draft_reading: object
    returned_reading: object


def form_objects(world) -> FormObjects:
    """Give the world's own action every field a form can wipe (dates, funding, supporters), and add
    draft and returned items for the partner's organisation."""
    action = world.own_action
    action.start_date, action.due_date = date(2017, 4, 1), date(2018, 3, 31)
    action.funding = FundingSourceFactory(partnership=world.partnership, name="Home Office grant")
    action.save()
    action.supporters.set([world.other_org])
    partner = world.users[Role.PARTNER]

    def update(state):
        fresh = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], due_date=date(2018, 3, 31))
        return ProgressUpdateFactory(
            action=fresh,
            cycle=world.cycle,
            state=state,
            author=partner,
            organisation=world.own_org,
            text="Line one of the progress.\n\n- a bullet\n- another [link](https://example.org/a?b=1)\n\nLast line.",
            flag="area_of_concern",
            flag_reason="Funding ends\nin March.",
        )

    def reading(state, year):
        return ReadingFactory(
            indicator=world.indicator,
            state=state,
            author=partner,
            organisation=world.own_org,
            value="1234.5",
            approximate=True,
            source_note="Kent Police, provisional",
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            published_at=None,
            submitted_at=timezone.now() if state == ReviewState.RETURNED else None,
        )

    return FormObjects(
        draft_update=update(ReviewState.DRAFT),
        returned_update=update(ReviewState.RETURNED),
        draft_reading=reading(ReviewState.DRAFT, 2019),
        returned_reading=reading(ReviewState.RETURNED, 2020),
    )


def _plan_priority(w, o):
    return {"partnership": w.partnership.slug, "plan": "2017-18", "priority": "road-safety"}


def _pk(getter):
    return lambda w, o: {"partnership": w.partnership.slug, "pk": getter(w, o).pk}


# name -> {object label: URL kwargs builder (world, objects)}
EDIT_PAGES = {
    "action_edit": {"action with dates and funding": _pk(lambda w, o: w.own_action)},
    "priority_edit": {"priority with a note": _plan_priority},
    "plan_edit": {"plan": lambda w, o: {"partnership": w.partnership.slug, "plan": "2017-18"}},
    "cycle_edit": {"cycle": _pk(lambda w, o: w.cycle)},
    "update_edit": {
        "draft": _pk(lambda w, o: o.draft_update),
        "returned": _pk(lambda w, o: o.returned_update),
    },
    "reading_edit": {
        "draft": _pk(lambda w, o: o.draft_reading),
        "returned": _pk(lambda w, o: o.returned_reading),
    },
    "update_correct": {"published": _pk(lambda w, o: w.published_updates["own"])},
    "reading_correct": {"published": _pk(lambda w, o: w.published_readings["own"])},
    "review_update": {"submitted": _pk(lambda w, o: w.submitted_updates["own"])},
    "review_reading": {"submitted": _pk(lambda w, o: w.submitted_readings["own"])},
    "update_escalate": {"published": _pk(lambda w, o: w.published_updates["own"])},
    "reading_escalate": {"published": _pk(lambda w, o: w.published_readings["own"])},
}

# Forms that make something new, or confirm an action: posting them as shown is meant to change
# something, so they are walked only with over-long text.
OTHER_FORM_PAGES = {
    "update_start": {"action": _pk(lambda w, o: ActionFactory(plan_priority=w.plan_priority, leads=[w.own_org]))},
    "reading_start": {"indicator": lambda w, o: {"partnership": w.partnership.slug, "indicator": w.indicator.slug}},
    "action_new": {"priority": _plan_priority},
    "cycle_create": {"plan": lambda w, o: {"partnership": w.partnership.slug}},
    "cycle_next": {"cycle": _pk(lambda w, o: w.cycle)},
    "cycle_lock": {"cycle": _pk(lambda w, o: w.cycle)},
    "cycle_reopen": {"cycle": _pk(lambda w, o: w.cycle)},
    "plan_roll_forward": {"plan": lambda w, o: {"partnership": w.partnership.slug, "plan": "2017-18"}},
    "plan_create": {"partnership": lambda w, o: {"partnership": w.partnership.slug}},
    "plan_import": {"partnership": lambda w, o: {"partnership": w.partnership.slug}},
    "priority_create": {"plan": lambda w, o: {"partnership": w.partnership.slug, "plan": "2017-18"}},
    "report_publish": {
        "cycle": lambda w, o: MATRIX["report_publish"].kwargs(w, "own"),
    },
    "import_start": {"partnership": lambda w, o: {"partnership": w.partnership.slug}},
    "update_conversation": {"submitted": _pk(lambda w, o: w.submitted_updates["own"])},
    "reading_conversation": {"submitted": _pk(lambda w, o: w.submitted_readings["own"])},
    "two_factor_verify": {"": lambda w, o: {}},
    "two_factor_setup": {"": lambda w, o: {}},
}


def _matrix_kwargs(name: str):
    """The page's address as the URL matrix opens it for the partnership's own objects."""
    return lambda w, o: MATRIX[name].kwargs(w, "own")


# Pages of the people, settings and escalation work, opened where the URL matrix opens them.
EDIT_PAGES |= {
    name: {"own": _matrix_kwargs(name)} for name in ("member_edit", "opendata_settings", "notification_settings")
}
OTHER_FORM_PAGES |= {
    name: {"own": _matrix_kwargs(name)}
    for name in (
        "people_invite",
        "member_deactivate",
        "invitation_withdraw",
        "escalation_respond",
        "request_answer",
        "request_close",
        "report_settings",
        "update_delete",
    )
}

# The partnership's settings pages (issue 14), opened where the URL matrix opens them.
EDIT_PAGES |= {
    name: {"own": _matrix_kwargs(name)}
    for name in ("settings_vocabulary_edit", "settings_year", "settings_indicator", "settings_plan")
}
OTHER_FORM_PAGES |= {
    name: {"own": _matrix_kwargs(name)}
    for name in (
        "settings_vocabulary_new",
        "settings_vocabulary_delete",
        "settings_indicator_new",
        "settings_indicator_target",
        "settings_indicator_note",
        "settings_indicator_retire",
        "settings_populations",
    )
}

NOT_FORMS = {
    "settings_population_import": "needs an uploaded file: tests/configuration/test_settings_areas.py covers it",
    "settings_spreadsheets": "needs an uploaded file: tests/configuration/test_settings_spreadsheets.py covers it",
    "import_preview": "needs an uploaded file: tests/spreadsheets/ covers it",
    "settings_import_preview": "needs an uploaded file: tests/configuration/test_settings_spreadsheets.py covers it",
    "plan_import_preview": "posted as shown it updates the preview, writing and judging nothing; its import's "
    "refusals, over-long text included, are tested in tests/plandocs/test_plan_import_pages.py",
    "digest_unsubscribe": "one button, no field: tests/plans/test_cycles_reminders.py",
    "cycle_remind_overdue": "one button, no field: tests/plans/test_cycles_board.py",
    "priority_move": "POST only, two buttons and no field: tests/plans/test_plan_edit_and_order.py",
    "password_change": "Django's own form, passwords never shown again: tests/accounts/test_people_passwords.py",
    "password_reset": "Django's own form, one e-mail address (254 characters): tests/accounts/test_people_passwords.py",
    "invitation_accept": "its token is the permission and is used once: tests/accounts/test_people_invitations.py",
    "password_reset_confirm": "needs a reset token from an e-mail: tests/accounts/test_people_passwords.py",
    "recovery_verify": "a one-time recovery code, used once: tests/accounts/test_two_factor_recovery.py",
    "recovery_codes": "needs a verified second factor first: tests/accounts/test_two_factor_recovery.py",
    "recovery_codes_new": "shows codes made a moment before, once: tests/accounts/test_two_factor_recovery.py",
}


def roles_allowed(name: str) -> list[str]:
    row = MATRIX[name]
    if name.startswith("two_factor"):
        return [Role.WORKING_GROUP]
    return [role for role, status in row.expect["own"].items() if status == 200]


def cases(pages: dict) -> list[tuple[str, str, str]]:
    return [(name, label, role) for name, objects in pages.items() for label in objects for role in roles_allowed(name)]


def page_url(pages, name, label, world, objects) -> str:
    return reverse(name, kwargs=pages[name][label](world, objects))


# Rows that may legitimately change on any request: the session (messages, sign-in) only.
UNWATCHED = {"sessions.session"}


def database_rows() -> dict[str, list[dict]]:
    """Every row of every model (many-to-many links too), by model label: compared before and after a
    request."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in UNWATCHED or model._meta.proxy:
            continue
        rows[label] = list(model.objects.order_by("pk").values())
    return rows
