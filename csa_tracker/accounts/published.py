"""Who may read a partnership's published material: its members, and anyone when it is public.

`published_view` guards the published report pages and the open data. Source of the rule: the
partnership's `open_data_public` setting (issue 17), changed on the open data settings page.
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from csa_tracker.accounts.access import Access, access_at
from csa_tracker.accounts.models import Partnership


def public_access(user, partnership: Partnership) -> Access:
    """A reader with no role: what `visible_to` gives them is what every member may read, and the
    views behind `published_view` show only published material to anyone."""
    return Access(user=user, partnership=partnership, roles=frozenset(), organisation_ids=frozenset())


def published_view(view=None, *, sign_in: bool = True):
    """Resolve `request.access` for a page of published material.

    A member gets their own access. Anyone else gets a role-less access when the partnership's
    published reports and open data are public; otherwise someone signed out is sent to sign in (even
    for a partnership that does not exist, so addresses disclose nothing) and someone signed in gets 404.
    `sign_in=False` (an evidence file: issue 28) answers 404 to someone signed out too.
    """
    if view is None:
        return lambda found_view: published_view(found_view, sign_in=sign_in)

    @login_not_required
    @wraps(view)
    def wrapper(request, partnership: str, *args, **kwargs):
        found, access = access_at(request.user, partnership)
        signed_in = request.user.is_authenticated
        if access is None:
            if found is None or not found.open_data_public:
                if not signed_in and sign_in:
                    return redirect_to_login(request.get_full_path())
                raise Http404("No such partnership.")
            access = public_access(request.user, found)
        request.access = access
        return view(request, *args, **kwargs)

    return wrapper
