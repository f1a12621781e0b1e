from django.shortcuts import render
from django.utils import timezone

from actions.models import Action
from actions.themes import chosen_theme
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from cycles.choice import choose_cycle
from reviews.selectors import queue_summary, recent_escalations, returned_to

from . import selectors


@partnership_view(Can.OVERSEE)
def governing_dashboard(request):
    choice = choose_cycle(request, request.access.partnership)
    plan = choice.plan
    if plan is None:
        return render(request, "priorities/no_plan.html")
    theme, theme_form = chosen_theme(request)
    cards = selectors.priority_cards(request.access, plan, theme)
    context = {
        "plan": plan,
        "choice": choice,
        "cards": cards,
        "theme": theme,
        "theme_form": theme_form,
        "escalations": recent_escalations(request.access),
        "districts": selectors.district_figures(request.access),
    }
    return render(request, "dashboards/governing.html", context)


@partnership_view(Can.COORDINATE)
def working_group_dashboard(request):
    access, today = request.access, timezone.localdate()
    choice = choose_cycle(request, access.partnership)
    plan, cycle = choice.plan, choice.cycle
    if plan is None:
        return render(request, "priorities/no_plan.html")
    theme, theme_form = chosen_theme(request)
    overdue = selectors.overdue_actions(access, plan, today)
    actions = Action.objects.visible_to(access)
    if theme is not None:
        overdue, actions = overdue.filter(themes=theme), actions.filter(themes=theme)
    unreported = selectors.unreported_actions(actions, plan, cycle)
    shortlist = selectors.Shortlist.of(unreported)
    context = {
        "plan": plan,
        "cycle": cycle,
        "choice": choice,
        "today": today,
        "theme": theme,
        "theme_form": theme_form,
        "counts": selectors.cycle_counts(access, cycle, today) if cycle else None,
        "overdue": selectors.Shortlist.of(overdue),
        "unreported": selectors.Shortlist(
            items=selectors.attach_status(shortlist.items, cycle, today), total=shortlist.total
        ),
        "stale": selectors.stale_indicators(access, today),
        "queue": queue_summary(access),
        "escalations": recent_escalations(access),
    }
    return render(request, "dashboards/working_group.html", context)


@partnership_view(Can.FOLLOW_OWN_WORK)
def my_dashboard(request):
    """Everything due in every open cycle, whichever plan it belongs to; then the chosen cycle in full."""
    access, today = request.access, timezone.localdate()
    choice = choose_cycle(request, access.partnership)
    plan, cycle = choice.plan, choice.cycle
    if plan is None:
        return render(request, "priorities/no_plan.html")
    theme, theme_form = chosen_theme(request)
    actions = selectors.my_actions(access, plan, cycle, today, theme)
    due = selectors.my_due(access, choice.open, today, theme)
    context = {
        "plan": plan,
        "cycle": cycle,
        "choice": choice,
        "theme": theme,
        "theme_form": theme_form,
        "due": due,
        "due_count": sum(len(actions) for _, actions in due),
        "others": [action for action in actions if not cycle or action.reported],
        "chosen": actions,
        "returned": returned_to(access),
    }
    return render(request, "dashboards/mine.html", context)
