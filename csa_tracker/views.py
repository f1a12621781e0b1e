from django.shortcuts import redirect, render

from priorities.models import Agreement

from .accounts.access import ALL_ROLES, partnership_view, partnerships_for


def home(request):
    """Send people to their partnership; show a choice when they have several."""
    partnerships = list(partnerships_for(request.user))
    if len(partnerships) == 1:
        return redirect("partnership_home", partnership=partnerships[0].slug)
    return render(request, "home.html", {"partnerships": partnerships})


@partnership_view(*ALL_ROLES)
def partnership_home(request):
    """Each role starts where its work is: the current plan for now."""
    plan = Agreement.objects.for_partnership(request.access.partnership).first()
    if plan is None:
        return render(request, "priorities/no_plan.html")
    return redirect("plan_detail", partnership=request.access.partnership.slug, plan=plan.slug)
