"""What a signed-in person may do inside one partnership.

Every view resolves an `Access` for the partnership in its address; each model's policy
(`<app>/policies.py`, asked by the QuerySets' `visible_to`, `editable_by` and `manageable_by`) takes
it, so permissions are decided in one place per model. `partnership_view` is the page gate: it names
the capability a page needs (`policies.Can`).
"""

from dataclasses import dataclass
from functools import cache, cached_property, wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLResolver, get_resolver

from .models import Membership, Partnership
from .policies import Can, capabilities_of


@dataclass(frozen=True)
class Access:
    """A person in one partnership: their roles (Role values), the organisations they act for, and
    what the roles let them do (`can`). Policies read it; nothing else looks at the roles."""

    user: object
    partnership: Partnership
    roles: frozenset[str]
    organisation_ids: frozenset[int]
    # Every partnership the person has a role in, for the switcher (same query as the roles).
    partnerships: tuple[Partnership, ...] = ()
    # (organisation pk, its `Organisation.work_generation`) for each organisation they act for here, read
    # with the roles: the key of a partner's own pages (`fragments.fragment_key`, issue 26).
    organisation_generations: tuple[tuple[int, int], ...] = ()
    # (membership pk, its `Membership.notifications_generation`) for each of their memberships here: the
    # key of the menu's unread count (`notifications.context_processors.menu_counts`, issue 26).
    notification_generations: tuple[tuple[int, int], ...] = ()

    @cached_property
    def capabilities(self) -> frozenset[Can]:
        return capabilities_of(self.roles)

    def can(self, capability: Can) -> bool:
        return capability in self.capabilities

    def roles_alone(self) -> "Access":
        """The same roles with no person, partnership or organisations (hashable): what depends on the
        roles alone, the main menu, is worked out once per set of roles and kept (issue 26)."""
        return Access(user=None, partnership=None, roles=self.roles, organisation_ids=frozenset())

    @property
    def is_member(self) -> bool:
        """Has a role here (a reader of a public partnership's published material has none)."""
        return bool(self.roles)


def access_for(user, partnership: Partnership) -> Access | None:
    """The person's roles and organisations in this partnership, or None when they have none."""
    return _access_among(_memberships(user), user, partnership)


def access_at(user, slug: str) -> tuple[Partnership | None, Access | None]:
    """(the partnership with this slug or None, the person's `Access` there or None): one query when
    they are a member (the partnership comes with their memberships), two otherwise (issue 26)."""
    memberships = _memberships(user) if user.is_authenticated else []
    found = next((m.partnership for m in memberships if m.partnership.slug == slug), None)
    if found is None:
        return Partnership.objects.filter(slug=slug).first(), None
    return found, _access_among(memberships, user, found)


def _memberships(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("partnership", "organisation"))


def _access_among(memberships: list[Membership], user, partnership: Partnership) -> Access | None:
    here = [membership for membership in memberships if membership.partnership_id == partnership.pk]
    if not here:
        return None
    return Access(
        user=user,
        partnership=partnership,
        roles=frozenset(membership.role for membership in here),
        organisation_ids=frozenset(membership.organisation_id for membership in here),
        organisation_generations=tuple(
            sorted({(membership.organisation_id, membership.organisation.work_generation) for membership in here})
        ),
        notification_generations=tuple(sorted((m.pk, m.notifications_generation) for m in here)),
        partnerships=tuple(sorted({m.partnership for m in memberships}, key=lambda found: found.name)),
    )


def partnerships_for(user):
    return Partnership.objects.filter(memberships__user=user).distinct()


def partnership_view(capability: Can):
    """The page gate: resolve `request.access` from the `partnership` URL segment.

    Someone with no role in the partnership gets 404 (its existence is not disclosed); someone whose
    roles do not give `capability` gets 403. The wrapped view keeps `capability`, so the menu and the
    links to a page ask the same gate (`gate_of`).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, partnership: str, *args, **kwargs):
            found, access = access_at(request.user, partnership)
            if access is None:
                raise Http404("No such partnership.")
            request.access = access  # set first, so the 403 page keeps the partnership's menu
            if not access.can(capability):
                raise PermissionDenied("Your role does not include this page.")
            return view(request, *args, **kwargs)

        wrapper.capability = capability
        return wrapper

    return decorator


def _patterns(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        else:
            yield pattern


@cache
def page_gates() -> dict[str, Can | None]:
    """{route name: the capability its page gate asks (None: no gate of ours)} for every named route."""
    return {
        pattern.name: getattr(pattern.callback, "capability", None)
        for pattern in _patterns(get_resolver())
        if pattern.name
    }


def may_open(access, route: str) -> bool:
    """Whether the page gate of the named route lets `access` in (the menu and links ask this)."""
    capability = page_gates()[route]
    return capability is None or access.can(capability)
