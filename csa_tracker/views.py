from django.shortcuts import redirect, render

from .accounts.access import ALL_ROLES, partnership_view, partnerships_for


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
