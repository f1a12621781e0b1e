"""A completeness-board cell says an action is overdue once: its state, then "Overdue: was due by <date>",
never "Overdue · Overdue: was due by …" (issue 25)."""

import re
from datetime import date

from django.urls import reverse

from tests.factories import ActionFactory, ProgressUpdateFactory, ReportingCycleFactory


def cell_words(page: str, wording: str) -> str:
    """The words of the state cell in the row of the action `wording`."""
    row = re.search(rf"<tr[ >](?:(?!</tr>).)*?>{re.escape(wording)}</a>(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    state = next(cell for cell in cells if "state-" in cell)
    return " ".join(re.sub(r"<[^>]+>", " ", state).split())


def test_an_overdue_cell_says_overdue_once_with_its_date(world, client_as):
    cycle = ReportingCycleFactory(
        plan=world.plan,
        name="Q1 2018/19",
        period_start=date(2018, 4, 1),
        period_end=date(2018, 6, 30),
        update_deadline=date(2018, 7, 20),  # passed
    )
    ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="Late action")
    drafted = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="Drafted action")
    ProgressUpdateFactory(action=drafted, cycle=cycle, state="draft")
    published = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], wording="Reported action")
    ProgressUpdateFactory(action=published, cycle=cycle, state="published")
    url = reverse("cycle_board", kwargs={"partnership": "kent-test", "pk": cycle.pk})
    page = client_as(world.users["working_group"]).get(url).content.decode()
    assert cell_words(page, "Late action") == "No update yet Overdue: was due by 20 Jul 2018"
    assert cell_words(page, "Drafted action") == "Draft Overdue: was due by 20 Jul 2018"
    assert cell_words(page, "Reported action") == "Published Reported (published)"
