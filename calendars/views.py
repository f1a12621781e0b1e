"""The calendar page (the person's secret feed links, and a button to make them anew) and the feeds,
which calendar programs fetch without signing in: the token in the address is the permission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from csa_tracker.accounts.access import access_for, partnership_view
from csa_tracker.accounts.models import Partnership
from csa_tracker.accounts.policies import Can
from cycles.models import ReportingCycle

from . import services
from .feeds import feed_token, partnership_feed, person_feed, user_for_token
from .policies import dates_that_concern


@partnership_view(Can.READ)
def calendar_links(request):
    token = feed_token(request.user)
    slug = request.access.partnership.slug
    cycles = ReportingCycle.objects.visible_to(request.access)
    context = {
        "mine": request.build_absolute_uri(reverse("calendar_person", kwargs={"token": token})),
        "everyone": request.build_absolute_uri(
            reverse("calendar_partnership", kwargs={"token": token, "partnership": slug})
        ),
        "dates": dates_that_concern(request.access),
        "cycles": cycles.select_related("plan").order_by("-period_start")[:8],
    }
    return render(request, "calendars/links.html", context)


@partnership_view(Can.READ)
@require_POST
def calendar_reset(request):
    services.calendar_link_reset(access=request.access)
    messages.success(request, "New links made: the old ones no longer work. Subscribe again with the links below.")
    return redirect("calendar_links", partnership=request.access.partnership.slug)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_not_required
def calendar_person(request, token: str):
    user = user_for_token(token)
    if user is None:
        raise Http404("This calendar link is not valid: it was made anew, or mistyped.")
    return _ics(person_feed(user), "my-dates.ics")


@login_not_required
def calendar_partnership(request, token: str, partnership: str):
    user = user_for_token(token)
    found = Partnership.objects.filter(slug=partnership).first()
    access = access_for(user, found) if user is not None and found is not None else None
    if access is None:
        raise Http404("This calendar link is not valid: it was made anew, or mistyped.")
    return _ics(partnership_feed(access), f"{found.slug}-dates.ics")
