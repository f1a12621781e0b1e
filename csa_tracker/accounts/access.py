"""What a signed-in person may do inside one partnership.

Every view resolves an `Access` for the partnership in its address; each model's access rule
(`visible_to`, `editable_by`) takes it, so permissions are decided in one place per model.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Partnership, Role


@dataclass(frozen=True)
class Access:
    user: object
    partnership: Partnership
    roles: frozenset[str]
    organisation_ids: frozenset[int]
    # Every partnership the person has a role in, for the switcher (same query as the roles).
    partnerships: tuple[Partnership, ...] = ()

    @property
    def is_working_group(self) -> bool:
        return Role.WORKING_GROUP in self.roles

    @property
    def is_partner(self) -> bool:
        return Role.PARTNER in self.roles

    @property
    def is_governing(self) -> bool:
        return Role.GOVERNING in self.roles

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def has_any(self, roles) -> bool:
        return bool(self.roles & set(roles))


def access_for(user, partnership: Partnership) -> Access | None:
    """The person's roles and organisations in this partnership, or None when they have none."""
    memberships = list(Membership.objects.filter(user=user).select_related("partnership"))
    here = [membership for membership in memberships if membership.partnership_id == partnership.pk]
    if not here:
        return None
    return Access(
        user=user,
        partnership=partnership,
        roles=frozenset(membership.role for membership in here),
        organisation_ids=frozenset(membership.organisation_id for membership in here),
        partnerships=tuple(sorted({m.partnership for m in memberships}, key=lambda found: found.name)),
    )


def partnerships_for(user):
    return Partnership.objects.filter(memberships__user=user).distinct()


def partnership_view(*roles: str):
    """Resolve `request.access` from the `partnership` URL segment.

    Someone with no role in the partnership gets 404 (its existence is not disclosed); someone
    whose roles do not include one of `roles` gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, partnership: str, *args, **kwargs):
            found = get_object_or_404(Partnership, slug=partnership)
            access = access_for(request.user, found)
            if access is None:
                raise Http404("No such partnership.")
            request.access = access  # set first, so the 403 page keeps the partnership's menu
            if roles and not access.has_any(roles):
                raise PermissionDenied("Your role does not include this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


ALL_ROLES = tuple(Role.values)
