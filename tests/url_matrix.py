"""Every named URL, how to build it for each case, and what each role gets.

A URL added to the project without a row here fails `test_every_url_has_a_row`. Cases:
- own: objects of the signed-in person's organisation, in their partnership;
- other_org: objects another organisation leads, same partnership;
- other_partnership: objects of a partnership the person has no role in;
- foreign_object: the person's own partnership in the address, another partnership's object in it.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

from django.utils import timezone
from docx import Document

from csa_tracker.accounts.models import Invitation, Membership, Role
from csa_tracker.people.services import token_hash
from cycles.models import ReportingCycle
from cycles.unsubscribe import unsubscribe_token
from plandocs import uploads
from plandocs.reading import read_document
from reports.models import Report, cycle_slug
from reports.snapshot import build_snapshot

from .factories import MembershipFactory

P, WG, GOV, ADM = Role.PARTNER, Role.WORKING_GROUP, Role.GOVERNING, Role.ADMIN
ROLES = (P, WG, GOV, ADM)


def every_role(status):
    return dict.fromkeys(ROLES, status)


def in_partnership(world, case):
    return world.other_partnership if case == "other_partnership" else world.partnership


def object_case(case):
    """Which world object a case uses: a foreign object is the other partnership's."""
    return "other_partnership" if case == "foreign_object" else case


def action_for(world, case):
    return {
        "own": world.own_action,
        "other_org": world.other_action,
        "other_partnership": world.other_partnership_action,
    }[object_case(case)]


@dataclass
class Row:
    kwargs: object  # (world, case) -> dict of URL kwargs
    expect: dict  # case -> {role: status}
    anonymous_allowed: bool = False
    scoped: bool = True  # the address names a partnership
    methods: tuple = ("get",)
    cases: tuple = field(default=("own", "other_org", "other_partnership"))
    # Where GET comes first, what a POST with no fields gets from a role the route serves: the form
    # again with its messages (200), or a redirect where the POST needs no field or the page sends on.
    empty_post: int = 200

    signed_out: int = 0  # what a signed-out visitor gets instead of the sign-in page (0: the sign-in page)

    def status(self, case, role):
        """A foreign object is 404 for every role the route admits; roles it refuses get their 403 first."""
        if case == "foreign_object" and case not in self.expect:
            return 403 if self.expect["own"][role] == 403 else 404
        return self.expect[case][role]

    def post_status(self, case, role):
        """What a POST with no fields gets: refused as the GET is, else the route's own answer (its
        `expect` for a POST-only route, `empty_post` for one whose GET comes first)."""
        status = self.status(case, role)
        if self.methods[0] == "post" or status in (403, 404):
            return status
        return self.empty_post


OBJECT_CASES = ("own", "other_org", "other_partnership", "foreign_object")
READ_EVERYWHERE = {
    "own": every_role(200),
    "other_org": every_role(200),
    "other_partnership": every_role(404),
}


def partnership_only(world, case):
    return {"partnership": in_partnership(world, case).slug}


def indicator_kwargs(world, case):
    return {"partnership": in_partnership(world, case).slug, "slug": world.indicator.slug}


def scoped_row(kwargs, expect_own):
    """A page of the partnership itself: `expect_own` in one's own, 404 in another."""
    return Row(
        kwargs=kwargs,
        expect={"own": expect_own, "other_partnership": every_role(404)},
        cases=("own", "other_partnership"),
    )


MATRIX = {
    "home": Row(kwargs=lambda w, c: {}, expect={"own": every_role(302)}, cases=("own",), scoped=False),
    "partnership_home": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug},
        expect={"own": every_role(302), "other_partnership": every_role(404)},
        cases=("own", "other_partnership"),
    ),
    "plan_list": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug},
        expect={"own": every_role(200), "other_partnership": every_role(404)},
        cases=("own", "other_partnership"),
    ),
    "plan_detail": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18"},
        expect={"own": every_role(200), "other_partnership": every_role(404)},
        cases=("own", "other_partnership"),
    ),
    "priority_detail": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18", "priority": "road-safety"},
        expect={"own": every_role(200), "other_partnership": every_role(404)},
        cases=("own", "other_partnership"),
    ),
    "action_detail": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "pk": action_for(w, c).pk},
        expect=READ_EVERYWHERE,
        cases=OBJECT_CASES,
    ),
    "healthz": Row(
        kwargs=lambda w, c: {}, expect={"own": every_role(200)}, cases=("own",), scoped=False, anonymous_allowed=True
    ),
    # The site's icon for anyone, signed in or not: a redirect to static/favicon.svg.
    "favicon": Row(
        kwargs=lambda w, c: {}, expect={"own": every_role(301)}, cases=("own",), scoped=False, signed_out=301
    ),
    "two_factor_verify": Row(
        kwargs=lambda w, c: {}, expect={"own": every_role(200)}, cases=("own",), scoped=False, methods=("get", "post")
    ),
    "two_factor_setup": Row(
        kwargs=lambda w, c: {}, expect={"own": every_role(200)}, cases=("own",), scoped=False, methods=("get", "post")
    ),
    "indicator_list": scoped_row(partnership_only, every_role(200)),
    "search": scoped_row(partnership_only, every_role(200)),
    "indicator_page": scoped_row(indicator_kwargs, every_role(200)),
    "indicator_csv": scoped_row(indicator_kwargs, every_role(200)),
    "dashboard": scoped_row(partnership_only, {P: 403, WG: 200, GOV: 200, ADM: 200}),
    "working_group_dashboard": scoped_row(partnership_only, {P: 403, WG: 200, GOV: 403, ADM: 200}),
    "my_dashboard": scoped_row(partnership_only, {P: 200, WG: 403, GOV: 403, ADM: 403}),
}

WRITERS = {"own": {P: 200, WG: 200, GOV: 403, ADM: 403}, "other_org": {P: 404, WG: 200, GOV: 403, ADM: 403}}
WORKING_GROUP_ONLY = {"own": {P: 403, WG: 200, GOV: 403, ADM: 403}, "other_org": {P: 403, WG: 200, GOV: 403, ADM: 403}}
NOBODY_ELSEWHERE = {"other_partnership": every_role(404)}


def item_kwargs(attribute):
    """URL kwargs for the world's item of that collection (e.g. "submitted_updates") in each case."""

    def build(w, c):
        return {"partnership": in_partnership(w, c).slug, "pk": getattr(w, attribute)[object_case(c)].pk}

    return build


MATRIX |= {
    "my_work": Row(
        kwargs=partnership_only,
        expect={"own": {P: 200, WG: 200, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "review_queue": Row(
        kwargs=partnership_only,
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    # A partner opens it for their own organisation's escalations and requests (issue 25).
    "escalations": Row(
        kwargs=partnership_only,
        expect={"own": every_role(200), **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    # Each action already has an open update, so starting one redirects to it.
    "update_start": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "pk": action_for(w, c).pk},
        expect={
            "own": {P: 302, WG: 302, GOV: 403, ADM: 403},
            "other_org": {P: 403, WG: 302, GOV: 403, ADM: 403},
            **NOBODY_ELSEWHERE,
        },
        methods=("get", "post"),
        cases=OBJECT_CASES,
    ),
    "reading_start": Row(
        kwargs=lambda w, c: {
            "partnership": in_partnership(w, c).slug,
            "indicator": {"own": w.indicator, "other_org": w.other_indicator}.get(c, w.indicator).slug,
        },
        expect={**WRITERS, "other_partnership": every_role(404)},
        methods=("get", "post"),
    ),
}


def plan_upload_kwargs(world, case):
    """A Word document uploaded by the Working Group member in the case's partnership, waiting for its preview."""
    document = Document()
    document.add_heading("Priority: Road Safety", 1)
    out = BytesIO()
    document.save(out)
    partnership = in_partnership(world, case)
    uploader = SimpleNamespace(partnership=partnership, user=world.users[WG])
    token = uploads.keep(access=uploader, filename="plan.docx", document=read_document(out.getvalue()))
    return {"partnership": partnership.slug, "token": token}


MATRIX |= {
    "plan_create": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    # A plan from a Word document (plandocs): the upload, its preview (another person's upload is 404: see
    # tests/plandocs/test_plan_import_pages.py), and the plan as an editable Word document.
    "plan_import": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "plan_import_preview": Row(
        kwargs=plan_upload_kwargs,
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "plan_docx": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18"},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "priority_create": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18"},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "priority_edit": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18", "priority": "road-safety"},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "plan_edit": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18"},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    # POST only: a priority moved one place up or down; an empty POST is refused with a message, back to the plan.
    "priority_move": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18", "priority": "road-safety"},
        expect={"own": {P: 403, WG: 302, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
        methods=("post",),
        cases=("own", "other_partnership"),
    ),
    "action_new": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18", "priority": "road-safety"},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "action_edit": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "pk": action_for(w, c).pk},
        expect={**WORKING_GROUP_ONLY, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=OBJECT_CASES,
    ),
    "action_changes": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "pk": action_for(w, c).pk},
        expect={**WORKING_GROUP_ONLY, **NOBODY_ELSEWHERE},
        cases=OBJECT_CASES,
    ),
}

for kind in ("update", "reading"):
    submitted, published = f"submitted_{kind}s", f"published_{kind}s"
    ITEM_ROUTES = {
        f"{kind}_edit": Row(
            kwargs=item_kwargs(submitted),
            expect={
                "own": {P: 200, WG: 200, GOV: 404, ADM: 404},
                "other_org": {P: 404, WG: 200, GOV: 404, ADM: 404},
                **NOBODY_ELSEWHERE,
            },
            methods=("get", "post"),
        ),
        f"{kind}_withdraw": Row(
            kwargs=item_kwargs(submitted),
            expect={
                "own": {P: 302, WG: 302, GOV: 403, ADM: 403},
                "other_org": {P: 404, WG: 302, GOV: 403, ADM: 403},
                **NOBODY_ELSEWHERE,
            },
            methods=("post",),
        ),
        f"review_{kind}": Row(
            kwargs=item_kwargs(submitted), expect={**WORKING_GROUP_ONLY, **NOBODY_ELSEWHERE}, methods=("get", "post")
        ),
        f"{kind}_history": Row(kwargs=item_kwargs(submitted), expect={**WORKING_GROUP_ONLY, **NOBODY_ELSEWHERE}),
        f"{kind}_history_csv": Row(kwargs=item_kwargs(submitted), expect={**WORKING_GROUP_ONLY, **NOBODY_ELSEWHERE}),
        f"{kind}_correct": Row(
            kwargs=item_kwargs(published), expect={**WORKING_GROUP_ONLY, **NOBODY_ELSEWHERE}, methods=("get", "post")
        ),
        f"{kind}_escalate": Row(
            kwargs=item_kwargs(published), expect={**WORKING_GROUP_ONLY, **NOBODY_ELSEWHERE}, methods=("get", "post")
        ),
    }
    for row in ITEM_ROUTES.values():
        row.cases = OBJECT_CASES
    MATRIX |= ITEM_ROUTES

# Routes outside the matrix on purpose: Django's own sign-in pages and admin (which checks staff itself).
EXEMPT_NAMES = {"login", "logout"}
EXEMPT_NAMESPACES = {"admin"}


def report_cycle(world, case):
    """The world's cycle, or the other partnership's for its cases."""
    if object_case(case) == "other_partnership":
        return ReportingCycle.objects.filter(plan=world.other_plan).get()
    return world.cycle


def report_kwargs(w, c):
    return {"partnership": in_partnership(w, c).slug, "plan": "2017-18", "cycle": cycle_slug(report_cycle(w, c))}


def published_report_kwargs(w, c):
    """A published version of the case's cycle report (published here, as the Working Group would)."""
    cycle = report_cycle(w, c)
    if not Report.objects.filter(cycle=cycle).exists():
        Report.objects.create(
            plan=cycle.plan,
            cycle=cycle,
            version=1,
            published_at=timezone.now(),
            published_by=w.users[WG],
            snapshot=build_snapshot(cycle),
        )
    return report_kwargs(w, c) | {"version": 1}


REPORT_CASES = ("own", "other_partnership", "foreign_object")
MATRIX |= {
    "report_list": Row(
        kwargs=partnership_only,
        expect={"own": every_role(200), **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "report_compare": Row(
        kwargs=partnership_only,
        expect={"own": every_role(200), **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "report_detail": Row(
        kwargs=published_report_kwargs, expect={"own": every_role(200), **NOBODY_ELSEWHERE}, cases=REPORT_CASES
    ),
    "report_pdf": Row(
        kwargs=published_report_kwargs, expect={"own": every_role(200), **NOBODY_ELSEWHERE}, cases=REPORT_CASES
    ),
    # Served from storage (made on the first request), with the same access as the page.
    "report_docx": Row(
        kwargs=published_report_kwargs, expect={"own": every_role(200), **NOBODY_ELSEWHERE}, cases=REPORT_CASES
    ),
    # Whether the worker has made the version's files yet, with the same access as the page.
    "report_outputs_status": Row(
        kwargs=published_report_kwargs, expect={"own": every_role(200), **NOBODY_ELSEWHERE}, cases=REPORT_CASES
    ),
    # The Word template: GET shows it, POST uploads or removes one.
    "report_settings": Row(
        kwargs=partnership_only,
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "report_latest": Row(
        kwargs=lambda w, c: published_report_kwargs(w, c) and report_kwargs(w, c),
        expect={"own": every_role(302), **NOBODY_ELSEWHERE},
        cases=REPORT_CASES,
    ),
    "report_preview": Row(
        kwargs=report_kwargs, expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE}, cases=REPORT_CASES
    ),
    # The publish page's "Ask them all for an update": POST only, back to the publish page.
    "report_ask_updates": Row(
        kwargs=report_kwargs,
        expect={"own": {P: 403, WG: 302, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
        methods=("post",),
        cases=REPORT_CASES,
    ),
    # GET is the confirmation page; POST publishes and redirects to the new version.
    "report_publish": Row(
        kwargs=report_kwargs,
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=REPORT_CASES,
    ),
}


def cycle_kwargs(w, c):
    cycle = w.submitted_updates[object_case(c)].cycle
    return {"partnership": in_partnership(w, c).slug, "pk": cycle.pk}


WORKING_GROUP_PAGE = {"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE}
CYCLE_CASES = ("own", "other_partnership", "foreign_object")

MATRIX |= {
    "cycle_list": Row(kwargs=partnership_only, expect=WORKING_GROUP_PAGE, cases=("own", "other_partnership")),
    "cycle_create": Row(
        kwargs=partnership_only,
        expect=WORKING_GROUP_PAGE,
        cases=("own", "other_partnership"),
        methods=("get", "post"),
    ),
    "plan_roll_forward": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "plan": "2017-18"},
        expect=WORKING_GROUP_PAGE,
        cases=("own", "other_partnership"),
        methods=("get", "post"),
    ),
    "cycle_request_update": Row(
        kwargs=lambda w, c: {**cycle_kwargs(w, c), "action": action_for(w, c).pk},
        expect={"own": {P: 403, WG: 302, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
        cases=CYCLE_CASES,
        methods=("post",),
    ),
    # The link in a digest e-mail: the signed token is the permission, so anyone holding it may use it.
    "digest_unsubscribe": Row(
        kwargs=lambda w, c: {"token": unsubscribe_token(w.users[WG])},
        expect={"own": every_role(200)},
        cases=("own",),
        scoped=False,
        anonymous_allowed=True,
        methods=("get", "post"),
    ),
}
for name, methods in (
    ("cycle_edit", ("get", "post")),
    ("cycle_next", ("get", "post")),
    ("cycle_lock", ("get", "post")),
    ("cycle_reopen", ("get", "post")),
    ("cycle_board", ("get",)),
    ("cycle_board_csv", ("get",)),
    ("cycle_board_xlsx", ("get",)),
):
    MATRIX[name] = Row(kwargs=cycle_kwargs, expect=WORKING_GROUP_PAGE, cases=CYCLE_CASES, methods=methods)
# GET is the confirmation page; POST reminds every overdue action's lead partners and returns to the board.
MATRIX["cycle_remind_overdue"] = Row(
    kwargs=cycle_kwargs, expect=WORKING_GROUP_PAGE, cases=CYCLE_CASES, methods=("get", "post"), empty_post=302
)
# Spreadsheets: importing is for those who write (partners and the Working Group); an upload token
# that is not the person's own (or unknown) is 404; exports follow each list's page (the audit trail:
# Working Group only).
IMPORTERS = {"own": {P: 200, WG: 200, GOV: 403, ADM: 403}}
MATRIX |= {
    "import_start": Row(
        kwargs=partnership_only,
        expect={**IMPORTERS, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "import_template": Row(
        kwargs=lambda w, c: {**partnership_only(w, c), "kind": "readings", "fmt": "xlsx"},
        expect={**IMPORTERS, **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "import_preview": Row(
        kwargs=lambda w, c: {**partnership_only(w, c), "token": "not-an-upload"},
        expect={"own": {P: 404, WG: 404, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "export_index": Row(
        kwargs=partnership_only,
        expect={"own": every_role(200), **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "export_list": Row(
        kwargs=lambda w, c: {**partnership_only(w, c), "name": "audit", "fmt": "csv"},
        expect={"own": {P: 403, WG: 200, GOV: 403, ADM: 200}, **NOBODY_ELSEWHERE},  # the audit policy's readers
        cases=("own", "other_partnership"),
    ),
}
# People: the Working Group and administrators manage who takes part; the person in a member's address
# must have a role in the partnership of the address (another partnership's member is 404).
PEOPLE_MANAGERS = {"own": {P: 403, WG: 200, GOV: 403, ADM: 200}, **NOBODY_ELSEWHERE}
PEOPLE_CASES = ("own", "other_partnership", "foreign_object")


def member_kwargs(w, c):
    """The governing member here, or (for the other partnership's cases) a member of that partnership."""
    if object_case(c) == "other_partnership":
        member = Membership.objects.filter(partnership=w.other_partnership).first()
        if member is None:
            member = MembershipFactory(partnership=w.other_partnership, organisation=w.other_org)
        return {"partnership": in_partnership(w, c).slug, "pk": member.user_id}
    return {"partnership": in_partnership(w, c).slug, "pk": w.users[GOV].pk}


def pending_invitation(w, partnership, token="matrix-invitation-token"):
    """A pending invitation to a new address; `token` is the one its e-mail would carry."""
    invitation, _ = Invitation.objects.get_or_create(
        token_hash=token_hash(token),
        defaults={
            "partnership": partnership,
            "email": "newcomer@example.org",
            "name": "New Comer",
            "organisation": w.own_org,
            "roles": [P],
            "invited_by": w.users[ADM],
            "expires": timezone.now() + timedelta(days=7),
        },
    )
    return invitation


def invitation_kwargs(w, c):
    pending_invitation(w, w.partnership)
    return {"token": "matrix-invitation-token"}


def withdraw_kwargs(w, c):
    elsewhere = object_case(c) == "other_partnership"
    invitation = pending_invitation(w, w.other_partnership if elsewhere else w.partnership, token=f"matrix-{c}")
    return {"partnership": in_partnership(w, c).slug, "pk": invitation.pk}


def unscoped(expect=200, *, anonymous=False, methods=("get",), kwargs=lambda w, c: {}):
    return Row(
        kwargs=kwargs,
        expect={"own": every_role(expect)},
        cases=("own",),
        scoped=False,
        anonymous_allowed=anonymous,
        methods=methods,
    )


MATRIX |= {
    "people_list": Row(kwargs=partnership_only, expect=PEOPLE_MANAGERS, cases=("own", "other_partnership")),
    "people_invite": Row(
        kwargs=partnership_only, expect=PEOPLE_MANAGERS, cases=("own", "other_partnership"), methods=("get", "post")
    ),
    "member_edit": Row(kwargs=member_kwargs, expect=PEOPLE_MANAGERS, cases=PEOPLE_CASES, methods=("get", "post")),
    # GET is the confirmation page; POST removes the member and redirects to the list.
    "member_deactivate": Row(kwargs=member_kwargs, expect=PEOPLE_MANAGERS, cases=PEOPLE_CASES, methods=("get", "post")),
    "invitation_withdraw": Row(
        kwargs=withdraw_kwargs, expect=PEOPLE_MANAGERS, cases=PEOPLE_CASES, methods=("get", "post")
    ),
    # The invitation link: its token is the permission. Signed in as someone else, the page says so.
    "invitation_accept": unscoped(anonymous=True, methods=("get", "post"), kwargs=invitation_kwargs),
    # Password reset is for people who cannot sign in; change is for anyone signed in.
    "password_reset": unscoped(anonymous=True, methods=("get", "post")),
    "password_reset_done": unscoped(anonymous=True),
    "password_reset_confirm": unscoped(
        anonymous=True, kwargs=lambda w, c: {"uidb64": "MQ", "token": "not-a-token"}, methods=("get", "post")
    ),
    "password_reset_complete": unscoped(anonymous=True),
    "password_change": unscoped(methods=("get", "post")),
    "password_change_done": unscoped(),
    # "Stay signed in" in the warning before an idle session ends: starts the session's idle clock again.
    "session_keep_alive": unscoped(methods=("post",)),
    "recovery_verify": unscoped(methods=("get", "post")),
    # Without a verified second factor, managing codes sends people to enrol first; with no new codes
    # in the session, the page of new codes sends them to the page that makes them.
    "recovery_codes": unscoped(302, methods=("get", "post")),
    "recovery_codes_new": unscoped(302, methods=("get", "post")),
}

# Open data: published material only, for every member; for anyone, signed in or not, once the partnership
# makes it public (off in the world, so signed-out visitors are sent to sign in; on is tested in
# test_opendata_public.py). The schemas hold no data and are public.
MATRIX |= {
    name: scoped_row(partnership_only, every_role(200))
    for name in (
        "opendata_page",
        "opendata_index",
        "opendata_plan_json",
        "opendata_actions_json",
        "opendata_actions_csv",
        "opendata_figures_json",
        "opendata_figures_csv",
    )
}
MATRIX |= {
    "opendata_settings": Row(
        kwargs=partnership_only,
        expect={"own": {P: 403, WG: 200, GOV: 403, ADM: 200}, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "opendata_schema": Row(
        kwargs=lambda w, c: {"name": "figures"},
        expect={"own": every_role(200)},
        cases=("own",),
        scoped=False,
        anonymous_allowed=True,
    ),
}


def escalation_kwargs(w, c):
    """An escalation of the case's published progress update (made here, as the Working Group would)."""
    from workflow.models import Escalation

    update = w.published_updates[object_case(c)]
    escalation = Escalation.objects.filter(update=update).first() or Escalation.objects.create(
        update=update, cycle=update.cycle, note="For the board.", escalated_by=w.users[WG]
    )
    return {"partnership": in_partnership(w, c).slug, "pk": escalation.pk}


# The read-only escalation page: the partnership's readers of escalations, and the lead partner of the action.
MATRIX |= {
    "escalation_detail": Row(
        kwargs=escalation_kwargs,
        expect={
            "own": every_role(200),
            "other_org": {P: 404, WG: 200, GOV: 200, ADM: 200},
            **NOBODY_ELSEWHERE,
        },
        cases=OBJECT_CASES,
    ),
    "escalation_respond": Row(
        kwargs=escalation_kwargs,
        expect={
            "own": {P: 403, WG: 403, GOV: 200, ADM: 403},
            "other_org": {P: 403, WG: 403, GOV: 200, ADM: 403},
            **NOBODY_ELSEWHERE,
        },
        methods=("get", "post"),
        cases=OBJECT_CASES,
    ),
}


def request_kwargs(w, c):
    """A request of the governing group made of the case's organisation, on an escalation of the case's
    published progress update (made here, as the governing group would)."""
    from workflow.models import EscalationResponse, GoverningRequest

    kwargs = escalation_kwargs(w, c)
    found = GoverningRequest.objects.filter(escalation=kwargs["pk"]).first()
    if found is None:
        response = EscalationResponse.objects.create(
            escalation_id=kwargs["pk"], kind="action_requested", note="A plan by June.", responded_by=w.users[GOV]
        )
        owner = w.own_org if object_case(c) == "own" else w.other_org
        found = GoverningRequest.objects.create(
            response=response,
            escalation_id=kwargs["pk"],
            owner=owner,
            due=timezone.localdate() + timedelta(days=30),
        )
    return {**kwargs, "pk": found.pk}


# A request of the governing group: answered by the partners of the organisation asked (the Working
# Group's members for their own organisation), closed by the Working Group or the governing group.
MATRIX |= {
    "request_answer": Row(
        kwargs=request_kwargs,
        expect={
            "own": {P: 200, WG: 200, GOV: 403, ADM: 403},
            "other_org": {P: 404, WG: 403, GOV: 403, ADM: 403},
            **NOBODY_ELSEWHERE,
        },
        methods=("get", "post"),
        cases=OBJECT_CASES,
    ),
    "request_close": Row(
        kwargs=request_kwargs,
        expect={
            "own": {P: 403, WG: 200, GOV: 200, ADM: 403},
            "other_org": {P: 403, WG: 200, GOV: 200, ADM: 403},
            "foreign_object": {P: 403, WG: 404, GOV: 404, ADM: 404},
            **NOBODY_ELSEWHERE,
        },
        methods=("get", "post"),
        cases=OBJECT_CASES,
    ),
}

# Unfinished progress in a closed cycle: carried into the open one (POST), or deleted after a confirmation page.
MATRIX |= {
    "update_carry": Row(
        kwargs=item_kwargs("submitted_updates"),
        expect={
            **WRITERS,
            "own": {P: 302, WG: 302, GOV: 403, ADM: 403},
            "other_org": {P: 404, WG: 302, GOV: 403, ADM: 403},
            **NOBODY_ELSEWHERE,
        },
        methods=("post",),
        cases=OBJECT_CASES,
    ),
    "update_delete": Row(
        kwargs=item_kwargs("submitted_updates"),
        expect={**WRITERS, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=OBJECT_CASES,
    ),
}

# Publishing the queue's checked items: an empty POST is answered with a message and a redirect.
MATRIX["review_publish_many"] = Row(
    kwargs=partnership_only,
    expect={"own": {P: 403, WG: 302, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
    methods=("post",),
    cases=("own", "other_partnership"),
)
# Partnership settings (issue 14): the Working Group's and administrators' pages; another partnership's
# entry under one's own address is 404. The world's status is in use, so a POST to delete it is refused (200).
SETTINGS_PAGE = {P: 403, WG: 200, GOV: 403, ADM: 200}
SETTINGS_CASES = ("own", "other_partnership")


def status_kwargs(w, c):
    action = action_for(w, c)
    return {"partnership": in_partnership(w, c).slug, "kind": "statuses", "pk": action.status_id}


MATRIX |= {
    "settings_home": Row(
        kwargs=partnership_only, expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE}, cases=SETTINGS_CASES
    ),
    "settings_vocabulary": Row(
        kwargs=lambda w, c: {**partnership_only(w, c), "kind": "statuses"},
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        cases=SETTINGS_CASES,
    ),
    "settings_vocabulary_new": Row(
        kwargs=lambda w, c: {**partnership_only(w, c), "kind": "themes"},
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=SETTINGS_CASES,
    ),
    "settings_vocabulary_edit": Row(
        kwargs=status_kwargs,
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership", "foreign_object"),
    ),
    "settings_vocabulary_delete": Row(
        kwargs=status_kwargs,
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership", "foreign_object"),
    ),
}


MATRIX |= {
    "settings_year": Row(
        kwargs=partnership_only,
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=SETTINGS_CASES,
    ),
    "settings_indicators": Row(
        kwargs=partnership_only, expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE}, cases=SETTINGS_CASES
    ),
    "settings_indicator_new": Row(
        kwargs=partnership_only,
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=SETTINGS_CASES,
    ),
}
for name in ("settings_indicator", "settings_indicator_target", "settings_indicator_note"):
    MATRIX[name] = Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "slug": w.indicator.slug},
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=SETTINGS_CASES,
    )
MATRIX["settings_indicator_retire"] = Row(
    kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "slug": w.indicator.slug},
    expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
    methods=("get", "post"),
    cases=SETTINGS_CASES,
)
MATRIX["settings_plan"] = Row(
    kwargs=lambda w, c: {**partnership_only(w, c), "plan": "2017-18"},
    expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
    methods=("get", "post"),
    cases=SETTINGS_CASES,
)


def area_kwargs(w, c):
    indicator = w.submitted_readings[object_case(c)].indicator
    return {"partnership": in_partnership(w, c).slug, "pk": indicator.geography_id}


MATRIX |= {
    "settings_populations": Row(
        kwargs=area_kwargs,
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership", "foreign_object"),
    ),
    "settings_population_import": Row(
        kwargs=partnership_only,
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=SETTINGS_CASES,
    ),
}
MATRIX |= {
    "settings_spreadsheets": Row(
        kwargs=partnership_only,
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=SETTINGS_CASES,
    ),
    "settings_import_preview": Row(
        kwargs=lambda w, c: {**partnership_only(w, c), "token": "not-an-upload"},
        expect={"own": {P: 403, WG: 404, GOV: 403, ADM: 404}, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "settings_spreadsheet_export": Row(
        kwargs=lambda w, c: {**partnership_only(w, c), "kind": "organisations", "fmt": "xlsx"},
        expect={"own": SETTINGS_PAGE, **NOBODY_ELSEWHERE},
        cases=SETTINGS_CASES,
    ),
}

# An empty POST that is answered with a redirect: confirmations that need no field (lock, withdraw,
# remove, retire, publish), a box left unticked (open data: members only) and the recovery pages that send
# people on. (Starting an update on an action that has one open already is a form posted all the same:
# refused with its message, never dropped by a redirect to the open one, issue 23.)
for name in (
    "cycle_lock",
    "invitation_withdraw",
    "member_deactivate",
    "opendata_settings",
    "recovery_codes",
    "recovery_codes_new",
    "report_publish",
    "settings_indicator_retire",
):
    MATRIX[name].empty_post = 302

# Notifications (issue 28): each person's own, in the partnership of the address. The world's
# notification is the partner's, so anyone else gets 404 for it.


def notification_kwargs(w, c):
    from csa_tracker.notifications.models import Notification

    partnership = w.other_partnership if object_case(c) == "other_partnership" else w.partnership
    notification = Notification.objects.filter(partnership=partnership).first() or Notification.objects.create(
        user=w.users[P],
        partnership=partnership,
        kind="decided",
        subject="Published: your progress update",
        body="The Working Group published it.",
        url=f"/{partnership.slug}/plans/",
        created_at=timezone.now(),
        delivery="immediate",
    )
    return {"partnership": in_partnership(w, c).slug, "pk": notification.pk}


PARTNERS_OWN = {"own": {P: 302, WG: 404, GOV: 404, ADM: 404}, **NOBODY_ELSEWHERE}
MATRIX |= {
    "notification_list": scoped_row(partnership_only, every_role(200)),
    "notification_settings": Row(
        kwargs=partnership_only,
        expect={"own": every_role(200), **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "notification_read_all": Row(
        kwargs=partnership_only,
        expect={"own": every_role(302), **NOBODY_ELSEWHERE},
        methods=("post",),
        cases=("own", "other_partnership"),
    ),
    "notification_open": Row(kwargs=notification_kwargs, expect=PARTNERS_OWN, cases=REPORT_CASES),
    "notification_read": Row(kwargs=notification_kwargs, expect=PARTNERS_OWN, cases=REPORT_CASES, methods=("post",)),
}


# Evidence (issue 28): a file of the case's submitted progress update, read as its item is (work in
# progress: its organisation and the Working Group; 404 for anyone else, signed in or not); removing it
# from a submitted item is refused with a message (a redirect to the item).


def evidence_kwargs(w, c):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from evidence.models import Attachment

    update = w.submitted_updates[object_case(c)]
    attachment = Attachment.objects.filter(update=update).first()
    if attachment is None:
        stored = storages["evidence"].save("evidence/matrix.pdf", ContentFile(b"%PDF-1.4 matrix"))
        attachment = Attachment.objects.create(
            update=update,
            name="matrix.pdf",
            stored_name=stored,
            content_type="application/pdf",
            label="PDF",
            size=15,
            sha256="0" * 64,
            added_by=w.users[P],
        )
    return {"partnership": in_partnership(w, c).slug, "pk": attachment.pk}


MATRIX |= {
    "evidence_download": Row(
        kwargs=evidence_kwargs,
        expect={
            "own": {P: 200, WG: 200, GOV: 404, ADM: 404},
            "other_org": {P: 404, WG: 200, GOV: 404, ADM: 404},
            **NOBODY_ELSEWHERE,
        },
        cases=OBJECT_CASES,
        signed_out=404,
    ),
    "evidence_remove": Row(
        kwargs=evidence_kwargs,
        expect={
            "own": {P: 302, WG: 302, GOV: 403, ADM: 403},
            "other_org": {P: 404, WG: 302, GOV: 403, ADM: 403},
            **NOBODY_ELSEWHERE,
        },
        methods=("post",),
        cases=OBJECT_CASES,
    ),
}
# An item's conversation: the partners of its organisation and the Working Group.
for kind in ("update", "reading"):
    MATRIX[f"{kind}_conversation"] = Row(
        kwargs=item_kwargs(f"submitted_{kind}s"),
        expect={
            "own": {P: 200, WG: 200, GOV: 403, ADM: 403},
            "other_org": {P: 404, WG: 200, GOV: 403, ADM: 403},
            **NOBODY_ELSEWHERE,
        },
        methods=("get", "post"),
        cases=OBJECT_CASES,
    )


# Calendars: the page with one's links is everyone's; the feeds are fetched without signing in, the
# token being the permission (a reset token is 404: tests/calendars/).
def calendar_token(w, c):
    from calendars.feeds import feed_token

    return feed_token(w.users[WG])


MATRIX |= {
    "calendar_links": scoped_row(partnership_only, every_role(200)),
    "calendar_reset": Row(
        kwargs=partnership_only,
        expect={"own": every_role(302), **NOBODY_ELSEWHERE},
        methods=("post",),
        cases=("own", "other_partnership"),
    ),
    "calendar_person": unscoped(anonymous=True, kwargs=lambda w, c: {"token": calendar_token(w, c)}),
    "calendar_partnership": unscoped(
        anonymous=True, kwargs=lambda w, c: {"token": calendar_token(w, c), "partnership": w.partnership.slug}
    ),
}
