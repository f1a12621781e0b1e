"""Every named URL, how to build it for each case, and what each role gets.

A URL added to the project without a row here fails `test_every_url_has_a_row`. Cases:
- own: objects of the signed-in person's organisation, in their partnership;
- other_org: objects another organisation leads, same partnership;
- other_partnership: objects of a partnership the person has no role in.
"""

from dataclasses import dataclass, field

from csa_tracker.accounts.models import Role

P, WG, GOV, ADM = Role.PARTNER, Role.WORKING_GROUP, Role.GOVERNING, Role.ADMIN
ROLES = (P, WG, GOV, ADM)


def every_role(status):
    return dict.fromkeys(ROLES, status)


def in_partnership(world, case):
    return world.other_partnership if case == "other_partnership" else world.partnership


def action_for(world, case):
    return {
        "own": world.own_action,
        "other_org": world.other_action,
        "other_partnership": world.other_partnership_action,
    }[case]


@dataclass
class Row:
    kwargs: object  # (world, case) -> dict of URL kwargs
    expect: dict  # case -> {role: status}
    anonymous_allowed: bool = False
    scoped: bool = True  # the address names a partnership
    methods: tuple = ("get",)
    cases: tuple = field(default=("own", "other_org", "other_partnership"))


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


READ_EVERYWHERE = {"own": every_role(200), "other_org": every_role(200), "other_partnership": every_role(404)}

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
        kwargs=lambda w, c: {"partnership": w.partnership.slug, "pk": action_for(w, c).pk},
        expect=READ_EVERYWHERE,
    ),
    "indicator_list": scoped_row(partnership_only, every_role(200)),
    "indicator_page": scoped_row(indicator_kwargs, every_role(200)),
    "indicator_csv": scoped_row(indicator_kwargs, every_role(200)),
    "dashboard": scoped_row(partnership_only, {P: 403, WG: 200, GOV: 200, ADM: 200}),
    "working_group_dashboard": scoped_row(partnership_only, {P: 403, WG: 200, GOV: 403, ADM: 200}),
    "my_dashboard": scoped_row(partnership_only, {P: 200, WG: 403, GOV: 403, ADM: 403}),
}

# Routes outside the matrix on purpose: Django's own sign-in pages and admin (which checks staff itself).
EXEMPT_NAMES = {"login", "logout"}
EXEMPT_NAMESPACES = {"admin"}
