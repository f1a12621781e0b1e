"""Sortable columns: `?sort=column` / `?sort=-column` from a whitelist, aria-sort on the sorted header,
whose link reverses the direction; anything else keeps the page's own order."""

import re
from datetime import date

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from csa_tracker.accounts.models import Role
from indicators.models import IndicatorReading
from tests.factories import ActionFactory, IndicatorFactory, ReadingFactory


def header(html: str, label: str) -> str:
    """The <th> whose link reads `label`."""
    return re.search(
        rf'<th scope="col"[^>]*><a class="sort-link" href="[^"]*">{re.escape(label)}(?: <span|</a>).*?</th>', html
    ).group(0)


@pytest.fixture
def actions(world):
    for wording in ("Zebra crossings", "Alley gating", "Mobile speed cameras"):
        ActionFactory(plan_priority=world.plan_priority, wording=wording, leads=[world.own_org])


def wording_order(rows):
    return [row.wording for row in rows]


def test_my_actions_sort_by_action_both_ways(world, client_as, actions):
    client = client_as(world.users[Role.PARTNER])
    url = reverse("my_work", kwargs={"partnership": world.partnership.slug})
    ascending = client.get(url, {"sort": "action"})
    assert wording_order(ascending.context["page"].object_list) == [
        "Alley gating",
        "Mobile speed cameras",
        "Own council's action",
        "Zebra crossings",
    ]
    html = ascending.content.decode()
    assert 'aria-sort="ascending"' in header(html, "Action")
    assert 'href="?sort=-action"' in header(html, "Action")  # the link reverses it
    assert "aria-sort" not in header(html, "Last published")
    descending = client.get(url, {"sort": "-action"})
    assert wording_order(descending.context["page"].object_list)[0] == "Zebra crossings"
    assert 'aria-sort="descending"' in header(descending.content.decode(), "Action")


def test_sorting_keeps_the_filter_and_unknown_columns_are_ignored(world, client_as, actions):
    client = client_as(world.users[Role.PARTNER])
    url = reverse("my_work", kwargs={"partnership": world.partnership.slug})
    html = client.get(url, {"state": "none", "sort": "state"}).content.decode()
    assert 'href="?state=none&amp;sort=action"' in header(html, "Action")
    plain = client.get(url, {"sort": "wording__password"})
    assert plain.status_code == 200
    assert "aria-sort" not in plain.content.decode()


def test_the_queue_sorts_by_item_and_submission(world, client_as):
    client = client_as(world.users[Role.WORKING_GROUP])
    url = reverse("review_queue", kwargs={"partnership": world.partnership.slug})

    def titles(sort: str) -> list[str]:
        """What the "item" sort compares: the subject's name (an action's wording, an indicator's), lower case."""
        items = client.get(url, {"sort": sort}).context["page"].object_list
        return [item.kind.subject_name(item.kind.subject(item)).lower() for item in items]

    ascending = titles("item")
    assert ascending == sorted(ascending) and len(ascending) == 4
    assert titles("-item") == sorted(ascending, reverse=True)
    html = client.get(url, {"sort": "-submitted"}).content.decode()
    assert 'aria-sort="descending"' in header(html, "Submitted")


def test_the_board_sorts_by_action(world, client_as, actions):
    client = client_as(world.users[Role.WORKING_GROUP])
    url = reverse("cycle_board", kwargs={"partnership": world.partnership.slug, "pk": world.cycle.pk})
    rows = client.get(url, {"sort": "-action"}).context["board"].rows
    wordings = [row.action.wording for row in rows]
    assert wordings == sorted(wordings, key=str.casefold, reverse=True)
    assert wordings[0] == "Zebra crossings"


def test_the_indicator_list_sorts_by_name_and_latest_figure(world, client_as):
    newer = IndicatorFactory(partnership=world.partnership, name="Anti-social behaviour incidents")
    ReadingFactory(indicator=newer, value=10, period_start=date(2019, 1, 1), period_end=date(2019, 12, 31))
    client = client_as(world.users[Role.GOVERNING])
    url = reverse("indicator_list", kwargs={"partnership": world.partnership.slug})
    names = [summary.indicator.name for summary in client.get(url, {"sort": "indicator"}).context["summaries"]]
    assert names == ["Anti-social behaviour incidents", "Other council's figure", "Road casualties"]
    latest = client.get(url, {"sort": "-latest"}).context["summaries"]
    assert latest[0].indicator == newer
    assert 'aria-sort="descending"' in header(client.get(url, {"sort": "-latest"}).content.decode(), "Latest")


@pytest.mark.parametrize("sort", ["by", "-by"])
def test_the_queue_sorts_by_submitter_with_items_whose_author_is_gone(world, client_as, sort):
    """An item with no author (an account since removed) sorts as no name, in both kinds: the page
    answered 500 when both kinds had such items, since the merge compared no name with a name."""
    ProgressUpdate.objects.filter(pk=world.submitted_updates["own"].pk).update(author=None)
    IndicatorReading.objects.filter(pk=world.submitted_readings["own"].pk).update(author=None)
    client = client_as(world.users[Role.WORKING_GROUP])
    response = client.get(reverse("review_queue", kwargs={"partnership": world.partnership.slug}), {"sort": sort})
    assert response.status_code == 200
    names = [(item.author.last_name.lower() if item.author else "") for item in response.context["page"].object_list]
    assert names.count("") == 2 and len(names) == 4
    assert names == sorted(names, reverse=sort.startswith("-"))
