"""Who may do what: the one table from roles to what they let a person do, and the base of every
model's policy.

Roles are read here and nowhere else (besides the page gates, `access.partnership_view`, which name a
capability too). A model's policy (`<app>/policies.py`) answers "may this person do this act to this
object" from the person's capabilities and the object's own facts (its partnership, its lead
organisations, its author); views, services, exports, reports and e-mails ask it, and a refusal is a
`NotAllowed` with the policy's sentence. `tests/site/test_policies_in_one_place.py` scans the code for
role checks anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from csa_tracker.refusals import NotAllowed

from .models import Membership, Role


class Can(StrEnum):
    """What a role lets a person do in a partnership (the table `ROLE_CAPABILITIES`)."""

    READ = "read"  # the plan, published progress and figures, reports, open data pages, search
    WRITE_PROGRESS = "write_progress"  # progress and readings: partners on their organisations' subjects
    FOLLOW_OWN_WORK = "follow_own_work"  # the partner's dashboard of their organisations' work
    REVIEW = "review"  # all work in progress: the queue, publish, return, correct, escalate, histories
    MANAGE_PLAN = "manage_plan"  # plans, priorities, actions, cycles, reminders, reports, the Word template
    MANAGE_SETTINGS = "manage_settings"  # lists, indicators, areas, populations, the year, open data
    MANAGE_PEOPLE = "manage_people"  # invitations, roles and removals
    GRANT_ADMIN = "grant_admin"  # the administrator role; accounts with site-wide rights
    COORDINATE = "coordinate"  # the Working Group's dashboard
    OVERSEE = "oversee"  # the governing group's dashboard, escalations, the report's escalation section
    RESPOND = "respond"  # the governing group's response to an escalation
    READ_AUDIT = "read_audit"  # the partnership's whole audit trail


_EVERY_MEMBER = {Can.READ}
# The source of every permission: issue 3 (roles), issue 14 (administrators and settings), issue 17 (escalations).
ROLE_CAPABILITIES: dict[str, frozenset[Can]] = {
    Role.PARTNER: frozenset(_EVERY_MEMBER | {Can.WRITE_PROGRESS, Can.FOLLOW_OWN_WORK}),
    Role.WORKING_GROUP: frozenset(
        _EVERY_MEMBER
        | {
            Can.WRITE_PROGRESS,
            Can.REVIEW,
            Can.MANAGE_PLAN,
            Can.MANAGE_SETTINGS,
            Can.MANAGE_PEOPLE,
            Can.COORDINATE,
            Can.OVERSEE,
            Can.READ_AUDIT,
        }
    ),
    Role.GOVERNING: frozenset(_EVERY_MEMBER | {Can.OVERSEE, Can.RESPOND}),
    Role.ADMIN: frozenset(
        _EVERY_MEMBER
        | {Can.MANAGE_SETTINGS, Can.MANAGE_PEOPLE, Can.GRANT_ADMIN, Can.COORDINATE, Can.OVERSEE, Can.READ_AUDIT}
    ),
}
# What each role does, in the words the people pages offer them with.
ROLE_DESCRIPTIONS = {
    Role.PARTNER: "writes progress on their organisation's actions and readings",
    Role.WORKING_GROUP: "reviews and publishes; needs two-factor sign-in",
    Role.GOVERNING: "reads the published plan and dashboards",
    Role.ADMIN: "manages people and settings; needs two-factor sign-in",
}
# People who publish or decide who takes part sign in with a second factor (issue 10).
SECOND_FACTOR_FOR = frozenset({Can.REVIEW, Can.MANAGE_PEOPLE})


def capabilities_of(roles) -> frozenset[Can]:
    """Everything the roles (Role values) let a person do together."""
    granted: set[Can] = set()
    for role in roles:
        granted |= ROLE_CAPABILITIES[role]
    return frozenset(granted)


def roles_with(capability: Can) -> frozenset[str]:
    """The roles that give `capability`."""
    return frozenset(role for role, granted in ROLE_CAPABILITIES.items() if capability in granted)


def members_who_can(partnership, capability: Can):
    """Active accounts whose roles in `partnership` give `capability`: who the e-mails of that work go to."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__partnership=partnership,
            memberships__role__in=roles_with(capability),
        )
        .distinct()
    )


def members_of_organisations_who_can(partnership, organisation_ids, capability: Can):
    """Active accounts who hold `capability` in `partnership` for one of the organisations."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__partnership=partnership,
            memberships__organisation__in=organisation_ids,
            memberships__role__in=roles_with(capability),
        )
        .distinct()
    )


def needs_second_factor(user) -> bool:
    """Accounts with site-wide rights, and anyone whose roles anywhere publish or manage people."""
    if user.is_staff or user.is_superuser:
        return True
    roles = set().union(*(roles_with(capability) for capability in SECOND_FACTOR_FOR))
    return Membership.objects.filter(user=user, role__in=roles).exists()


def has_site_rights(user) -> bool:
    """The account opens the Django admin or has any other site-wide right."""
    return bool(user.is_staff or user.is_superuser)


def members_to_email(partnership, capability: Can) -> QuerySet:
    """The memberships of `partnership` of active people holding `capability` with an e-mail address:
    whom a reminder to their organisation reaches (a queryset, to narrow or use as a subquery)."""
    return Membership.objects.filter(
        partnership=partnership, role__in=roles_with(capability), user__is_active=True
    ).exclude(user__email="")


def organisations_with_members_to_email(partnership, organisation_ids, capability: Can) -> set[int]:
    """Of `organisation_ids`, those with an active member holding `capability` in `partnership` and an
    e-mail address: the organisations a reminder can reach (one query)."""
    return set(
        members_to_email(partnership, capability)
        .filter(organisation__in=organisation_ids)
        .values_list("organisation_id", flat=True)
    )


def may_open_admin_site(user) -> bool:
    """The Django admin is the service owner's tool: active superusers only."""
    return bool(user.is_active and user.is_superuser)


def audience_key(access, *, organisations: bool = False) -> str:
    """What the person may do here, as text: people with the same key may be shown the same computed
    figures (the caches of `indicators.figure_cache` are keyed by it); with `organisations`, also the
    organisations they act for (what a partner's work-in-progress pages show depends on them)."""
    key = "+".join(sorted(access.capabilities)) or "none"
    if organisations:
        key += ":orgs" + ",".join(str(pk) for pk in sorted(access.organisation_ids))
    return key


def sees_own_organisations_work_only(access) -> bool:
    """Whether the work in progress the person's own pages show (their dashboard, My actions) is only
    their organisations' (a partner: the actions' and reviewed items' policies narrow to them), not every
    organisation's (the Working Group's review, the governing group's oversight): their pages may then be
    keyed by their organisations' work generations (`fragments.work_generation`, issue 26)."""
    return not (access.can(Can.REVIEW) or access.can(Can.OVERSEE))


def start_page(access) -> str:
    """Where each person starts: the Working Group at its dashboard, partners at theirs, everyone else
    at the governing dashboard."""
    if access.can(Can.COORDINATE) and access.can(Can.REVIEW):
        return "working_group_dashboard"
    if access.can(Can.FOLLOW_OWN_WORK):
        return "my_dashboard"
    return "dashboard"


def show_my_actions_apart(access) -> bool:
    """The menu shows My actions on its own for people who write progress but do not review (the
    Working Group finds it in its Review group)."""
    return access.can(Can.WRITE_PROGRESS) and not access.can(Can.REVIEW)


def shows_escalations_in_menu(access) -> bool:
    """The menu offers the escalations page to those who read every escalation; a partner reaches their
    own (issue 25) from their dashboard and My actions."""
    return access.can(Can.OVERSEE)


@dataclass(frozen=True)
class Act:
    """An act a policy answers for: the capability it needs and the sentence of its refusal.
    `needs` None: anyone the page let into the partnership (a member, or any reader of a public
    partnership's published material: `published.published_view`)."""

    needs: Can | None
    refusal: str = ""


READ_ANY = Act(None)  # reading what a partnership shows everyone it lets in


OTHER_PARTNERSHIP = "That belongs to another partnership."


def partnership_id_along(obj, path: str) -> int | None:
    """The pk of the partnership at the end of `path` ("plan__partnership") from `obj`, or None when a
    step on the way is not set."""
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)


class Policy:
    """May a person do an act to an object of one model?

    `acts` maps each act to the capability it needs and the refusal's sentence; an object must be of
    the person's partnership; `object_refusal` adds what a model's own facts decide (a subclass's
    hook). `scope` narrows a QuerySet to the objects the act is permitted on (the QuerySets'
    `visible_to`, `editable_by` and `manageable_by` call it). An act a policy does not list is a
    programming error (KeyError), never a silent yes.
    """

    acts: dict[str, Act] = {}
    partnership_path: str = "partnership"  # the lookup from the model to its partnership

    def why_not(self, access, act: str, obj=None) -> str:
        """The refusal's sentence, or "" when `access` may do `act` (to `obj`, when given)."""
        rule = self.acts[act]
        if access is None or (rule.needs is not None and not access.can(rule.needs)):
            return rule.refusal
        if obj is not None:
            if partnership_id_along(obj, self.partnership_path) != access.partnership.pk:
                return OTHER_PARTNERSHIP
            return self.object_refusal(access, act, obj)
        return ""

    def object_refusal(self, access, act: str, obj) -> str:
        """What the object's own facts say against the act ("" when nothing); a subclass's hook."""
        return ""

    def permits(self, access, act: str, obj=None) -> bool:
        return not self.why_not(access, act, obj)

    def check(self, access, act: str, obj=None) -> None:
        """Raise NotAllowed with the policy's sentence unless `access` may do `act` (to `obj`)."""
        reason = self.why_not(access, act, obj)
        if reason:
            raise NotAllowed(reason)

    def scope(self, queryset: QuerySet, access, act: str) -> QuerySet:
        """The objects of `queryset` the act is permitted on: those of the person's partnership when
        they hold the act's capability, else none; `narrow` adds a model's own rule."""
        queryset = queryset.filter(**{self.partnership_path: access.partnership})
        needs = self.acts[act].needs
        if needs is not None and not access.can(needs):
            return queryset.none()
        return self.narrow(queryset, access, act)

    def narrow(self, queryset: QuerySet, access, act: str) -> QuerySet:
        """A subclass's hook for `scope`: the objects the model's own facts permit."""
        return queryset


class PartnershipPolicy(Policy):
    """The partnership's own settings: its year, open data, four eyes on publication."""

    partnership_path = "pk"
    acts = {
        "read": READ_ANY,
        "change_settings": Act(
            Can.MANAGE_SETTINGS, "Only the Working Group and administrators change the partnership's settings."
        ),
    }


class OrganisationPolicy(Policy):
    """The partnership's organisations, one of its settings lists."""

    acts = {
        "read": READ_ANY,
        "change": Act(Can.MANAGE_SETTINGS, "Only the Working Group and administrators change the organisations."),
    }


PARTNERSHIPS = PartnershipPolicy()
ORGANISATIONS = OrganisationPolicy()
