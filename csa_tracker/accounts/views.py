"""Where people land: their partnership, or a choice of partnerships, then the page their work starts on."""

from django.shortcuts import redirect, render

from .access import partnership_view, partnerships_for
from .policies import Can, start_page


def home(request):
    """Send people to their partnership; show a choice when they have several."""
    partnerships = list(partnerships_for(request.user))
    if len(partnerships) == 1:
        return redirect("partnership_home", partnership=partnerships[0].slug)
    return render(request, "home.html", {"partnerships": partnerships})


@partnership_view(Can.READ)
def partnership_home(request):
    """Each person starts where their work is (`policies.start_page`): the Working Group at its
    dashboard, partners at theirs, the governing group (and administrators) at the governing dashboard."""
    return redirect(start_page(request.access), partnership=request.access.partnership.slug)
