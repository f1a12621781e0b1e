from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .accounts.access import ALL_ROLES, partnership_view, partnerships_for
from .search import search_partnership


def home(request):
    """Send people to their partnership; show a choice when they have several."""
    partnerships = list(partnerships_for(request.user))
    if len(partnerships) == 1:
        return redirect("partnership_home", partnership=partnerships[0].slug)
    return render(request, "home.html", {"partnerships": partnerships})


@partnership_view(*ALL_ROLES)
def partnership_home(request):
    """Each role starts where its work is: the Working Group at its dashboard, partners at their
    actions, the governing group (and administrators) at the governing dashboard."""
    access = request.access
    if access.is_working_group:
        target = "working_group_dashboard"
    elif access.is_partner:
        target = "my_dashboard"
    else:
        target = "dashboard"
    return redirect(target, partnership=access.partnership.slug)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's own page instead of Django's "CSRF verification failed", with a
    link back to the form's page when the browser said where it was (same site only)."""
    referer = request.META.get("HTTP_REFERER", "")
    host = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts=host, require_https=request.is_secure())
    return render(request, "403_csrf.html", {"back_url": referer if safe else ""}, status=403)


@partnership_view(*ALL_ROLES)
def search(request):
    """`?q=` across the partnership's actions, progress, indicators and people (see `search.py`)."""
    query = request.GET.get("q", "")
    results = search_partnership(access=request.access, query=query)
    return render(request, "search.html", {"results": results, "query": results.query})
