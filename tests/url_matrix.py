"""Every named URL, how to build it for each case, and what each role gets.

A URL added to the project without a row here fails `test_every_url_has_a_row`. Cases:
- own: objects of the signed-in person's organisation, in their partnership;
- other_org: objects another organisation leads, same partnership;
- other_partnership: objects of a partnership the person has no role in;
- foreign_object: the person's own partnership in the address, another partnership's object in it.
"""

from dataclasses import dataclass, field

from csa_tracker.accounts.models import Role

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

    def status(self, case, role):
        """A foreign object is 404 for every role the route admits; roles it refuses get their 403 first."""
        if case == "foreign_object" and case not in self.expect:
            return 403 if self.expect["own"][role] == 403 else 404
        return self.expect[case][role]


OBJECT_CASES = ("own", "other_org", "other_partnership", "foreign_object")
READ_EVERYWHERE = {
    "own": every_role(200),
    "other_org": every_role(200),
    "other_partnership": every_role(404),
}

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
}

WRITERS = {"own": {P: 200, WG: 200, GOV: 403, ADM: 403}, "other_org": {P: 404, WG: 200, GOV: 403, ADM: 403}}
WORKING_GROUP_ONLY = {"own": {P: 403, WG: 200, GOV: 403, ADM: 403}, "other_org": {P: 403, WG: 200, GOV: 403, ADM: 403}}
NOBODY_ELSEWHERE = {"other_partnership": every_role(404)}


def partnership_kwargs(w, c):
    return {"partnership": in_partnership(w, c).slug}


def item_kwargs(attribute):
    """URL kwargs for the world's item of that collection (e.g. "submitted_updates") in each case."""

    def build(w, c):
        return {"partnership": in_partnership(w, c).slug, "pk": getattr(w, attribute)[object_case(c)].pk}

    return build


MATRIX |= {
    "my_work": Row(
        kwargs=partnership_kwargs,
        expect={"own": {P: 200, WG: 200, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "review_queue": Row(
        kwargs=partnership_kwargs,
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "escalations": Row(
        kwargs=partnership_kwargs,
        expect={"own": {P: 403, WG: 200, GOV: 200, ADM: 200}, **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    # Each action already has an open update, so starting one redirects to it.
    "update_start": Row(
        kwargs=lambda w, c: {"partnership": in_partnership(w, c).slug, "pk": action_for(w, c).pk},
        expect={
            "own": {P: 302, WG: 302, GOV: 403, ADM: 403},
            "other_org": {P: 404, WG: 302, GOV: 403, ADM: 403},
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

# Spreadsheets: importing is for those who write (partners and the Working Group); an upload token
# unknown to the session is 404; exports follow each list's page (the audit trail: Working Group only).
IMPORTERS = {"own": {P: 200, WG: 200, GOV: 403, ADM: 403}}
MATRIX |= {
    "import_start": Row(
        kwargs=partnership_kwargs,
        expect={**IMPORTERS, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "import_template": Row(
        kwargs=lambda w, c: {**partnership_kwargs(w, c), "kind": "readings", "fmt": "xlsx"},
        expect={**IMPORTERS, **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "import_preview": Row(
        kwargs=lambda w, c: {**partnership_kwargs(w, c), "token": "not-an-upload"},
        expect={"own": {P: 404, WG: 404, GOV: 403, ADM: 403}, **NOBODY_ELSEWHERE},
        methods=("get", "post"),
        cases=("own", "other_partnership"),
    ),
    "export_index": Row(
        kwargs=partnership_kwargs,
        expect={"own": every_role(200), **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
    "export_list": Row(
        kwargs=lambda w, c: {**partnership_kwargs(w, c), "name": "audit", "fmt": "csv"},
        expect={"own": WORKING_GROUP_ONLY["own"], **NOBODY_ELSEWHERE},
        cases=("own", "other_partnership"),
    ),
}
