import hashlib

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from actions.themes import chosen_theme
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.fragments import cached_body
from csa_tracker.accounts.policies import Can
from cycles.choice import choose_cycle
from cycles.notice import no_cycle_notice
from indicators.figure_cache import cached_figures
from reviews.selectors import queue_summary, recent_escalations, requests_of, returned_to

from . import selectors


def _page(request, page: str, build, *, per_person=False, own_work=False, extra=()):
    """The dashboard `page` with its body from the fragment cache (built by `build` on a miss)."""
    body = cached_body(
        request,
        page=page,
        template=f"dashboards/includes/{page}_body.html",
        build=build,
        per_person=per_person,
        own_work=own_work,
        extra=extra,
    )
    if isinstance(body, HttpResponse):
        return body
    return render(request, f"dashboards/{page}.html", {"body": body})


def _no_plan(request):
    return render(request, "priorities/no_plan.html")


def headline_html(access, plan, cards) -> None:
    """Set each card's `figures_html`, its headline indicators' table and trend chart: rendered once
    per figures generation and audience and read from the figures' cache after that (`cached_figures`;
    issue 26: they were most of a built dashboard's rendering, and change only on a publication)."""

    def build() -> dict[int, str]:
        selectors.with_headline_figures(access, plan, cards)
        return {
            card.plan_priority.priority_id: str(
                render_to_string(
                    "dashboards/includes/card_figures.html", {"card": card, "partnership": access.partnership}
                )
            )
            for card in cards
        }

    # The cards' priorities are in the key: a priority added to the plan, or renamed, is rendered at once.
    priorities = ",".join(f"{card.plan_priority.priority_id}.{card.chart_id}" for card in cards)
    digest = hashlib.sha256(priorities.encode()).hexdigest()[:16]  # a short key, however many priorities
    rendered = cached_figures(access, f"headline-html:{plan.pk}:{digest}", build)
    for card in cards:
        # Our own rendering, stored as text (as csa_tracker.accounts.fragments stores bodies).
        card.figures_html = mark_safe(rendered.get(card.plan_priority.priority_id, ""))  # noqa: S308


@partnership_view(Can.OVERSEE)
def governing_dashboard(request):
    access = request.access
    # The districts' figures come from their own partnerships: their generations are part of the key.
    # A partnership with no district partnerships has no district figures to read (issue 26).
    districts = selectors.district_generations(access)

    def build():
        choice = choose_cycle(request, access.partnership)
        if choice.plan is None:
            return _no_plan(request)
        theme, theme_form = chosen_theme(request)
        cards = selectors.priority_cards(access, choice.plan, theme)
        headline_html(access, choice.plan, cards)
        return {
            "plan": choice.plan,
            "choice": choice,
            "cards": cards,
            "theme": theme,
            "theme_form": theme_form,
            "escalations": recent_escalations(access),
            "districts": selectors.district_figures(access) if districts else [],
        }

    return _page(request, "governing", build, extra=districts)


@partnership_view(Can.COORDINATE)
def working_group_dashboard(request):
    access, today = request.access, timezone.localdate()

    def build():
        choice = choose_cycle(request, access.partnership)
        plan, cycle = choice.plan, choice.cycle
        if plan is None:
            return _no_plan(request)
        theme, theme_form = chosen_theme(request)
        # The cycle's counts and both lists from one reading of the plan's actions.
        lists = selectors.plan_lists(access, plan, cycle, today, theme)
        overdue, unreported = selectors.Shortlist.of_values(
            [(lists.overdue, lists.overdue_total, None), (lists.unreported, lists.missing, cycle)],
            partnership=access.partnership,
            today=today,
            leads=lists.leads,
        )
        return {
            "plan": plan,
            "cycle": cycle,
            "choice": choice,
            "today": today,
            "theme": theme,
            "theme_form": theme_form,
            "counts": lists.counts,
            "overdue": overdue,
            "unreported": unreported,
            "stale": selectors.published_stale_indicators(access, today),
            "queue": queue_summary(access),
            "escalations": recent_escalations(access),
        }

    return _page(request, "working_group", build)


@partnership_view(Can.FOLLOW_OWN_WORK)
def my_dashboard(request):
    """Everything due in every open cycle, whichever plan it belongs to; then the chosen cycle in full."""
    access, today = request.access, timezone.localdate()

    def build():
        choice = choose_cycle(request, access.partnership)
        plan, cycle = choice.plan, choice.cycle
        if plan is None:
            return _no_plan(request)
        theme, theme_form = chosen_theme(request)
        due, others = selectors.my_lists(access, choice.open, plan, cycle, today, theme)
        return {
            "plan": plan,
            "cycle": cycle,
            "choice": choice,
            "theme": theme,
            "theme_form": theme_form,
            "due": due,
            "due_count": sum(actions.total for _, actions in due),
            "others": others,
            "returned": returned_to(access),
            "governing_requests": requests_of(access),
            "notice": None if due else no_cycle_notice(access.partnership, plan),
        }

    return _page(request, "mine", build, per_person=True, own_work=True)
