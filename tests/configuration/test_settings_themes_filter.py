"""Cross-cutting themes filter the plan, the Working Group dashboard and the completeness board, and
appear in the actions export (issue 14)."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from configuration.forms import ThemeForm
from configuration.services import entry_save
from csa_tracker.accounts.access import access_for
from tests.factories import ActionFactory, ThemeFactory
from workflow.services import item_publish


@pytest.fixture
def themed(world):
    """The world's own action tagged "Vulnerability"; the other organisation's action untagged."""
    theme = ThemeFactory(partnership=world.partnership, name="Vulnerability")
    ThemeFactory(partnership=world.partnership, name="Prevention")
    world.own_action.themes.set([theme])
    return theme


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


def test_plan_page_lists_the_actions_of_a_theme(world, themed, client_as):
    client = client_as(world.users["governing"])
    page = client.get(url("plan_detail", plan="2017-18"), {"theme": themed.pk}).content.decode()
    assert "Actions on the theme “Vulnerability”" in page
    assert "Own council&#x27;s action" in page
    assert "Other council" not in page
    assert "(1 action)" in page


def test_priority_page_filters_its_actions_by_theme(world, themed, client_as):
    client = client_as(world.users["partner"])
    page = client.get(url("priority_detail", plan="2017-18", priority="road-safety"), {"theme": themed.pk})
    text = page.content.decode()
    assert "Own published progress." in text
    assert "Other published progress." not in text


def test_an_unknown_theme_shows_everything_with_a_message(world, themed, client_as):
    client = client_as(world.users["partner"])
    response = client.get(url("priority_detail", plan="2017-18", priority="road-safety"), {"theme": "999999"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "That theme is not one of this partnership&#x27;s themes" in text
    assert "Other published progress." in text


def test_another_partnerships_theme_is_not_a_filter_here(world, themed, client_as):
    theirs = ThemeFactory(partnership=world.other_partnership, name="Theirs")
    client = client_as(world.users["partner"])
    text = client.get(url("plan_detail", plan="2017-18"), {"theme": theirs.pk}).content.decode()
    assert "That theme is not one of this partnership&#x27;s themes" in text
    assert "Theirs" not in text


def test_working_group_dashboard_filters_its_action_lists_by_theme(world, themed, client_as):
    client = client_as(world.users["working_group"])
    ActionFactory(plan_priority=world.plan_priority, wording="Untagged action", leads=[world.other_org])
    text = client.get(url("working_group_dashboard"), {"theme": themed.pk}).content.decode()
    assert "only actions on the theme “Vulnerability”" in text
    assert "Untagged action" not in text


def test_working_group_dashboard_counts_every_action_and_lists_the_theme_s_unreported(world, themed, client_as):
    """The cycle's counts are the completeness board's, whatever the theme; the unreported list and its
    total follow the theme (both read from one query of the plan's actions, issue 26)."""
    client = client_as(world.users["working_group"])
    for n in range(2):
        ActionFactory(plan_priority=world.plan_priority, wording=f"Untagged {n}", leads=[world.other_org])
    tagged = ActionFactory(plan_priority=world.plan_priority, wording="Tagged, nothing reported")
    tagged.themes.set([themed])
    everything = client.get(url("working_group_dashboard")).content.decode()
    text = client.get(url("working_group_dashboard"), {"theme": themed.pk}).content.decode()

    def counts(page):
        return page[page.index('class="cycle-counts">') :].split("</p>")[0]

    assert counts(text) == counts(everything) and "3 no update yet; 0 draft; 2 submitted" in counts(text)
    unreported = text[text.index('id="unreported-heading"') : text.index('id="overdue-heading"')]
    assert "(1)</h2>" in unreported and "Tagged, nothing reported" in unreported
    assert "Untagged" not in unreported


def test_partner_dashboard_filters_its_action_lists_by_theme(world, themed, client_as):
    client = client_as(world.users["partner"])
    ActionFactory(plan_priority=world.plan_priority, wording="Untagged own action", leads=[world.own_org])
    everything = client.get(url("my_dashboard")).content.decode()
    assert "Untagged own action" in everything and "Cross-cutting theme" in everything
    text = client.get(url("my_dashboard"), {"theme": themed.pk}).content.decode()
    assert "only actions on the theme “Vulnerability”" in text
    assert "Untagged own action" not in text


def theme_labels(text: str) -> list[str]:
    select = text[text.index('<select class="form-select" id="id_theme"') :].split("</select>")[0]
    return re.findall(r"<option value=\"\d*\">([^<]*)</option>", select)


def test_the_theme_filter_lists_the_themes_from_one_query(world, themed, client_as, pages_built_every_time):
    """Whether there are themes and which, from one reading (issue 26: asking first, and counting them,
    were two queries more), once per shared work generation: a page built again after a publication
    of progress reads none, and a theme added in the settings (audited) shows at once."""
    client = client_as(world.users["working_group"])
    with CaptureQueriesContext(connection) as captured:
        text = client.get(url("working_group_dashboard")).content.decode()
    assert sum('FROM "actions_theme"' in query["sql"] for query in captured) == 1
    assert theme_labels(text) == ["All themes", "Vulnerability", "Prevention"]  # in the themes' configured order

    access = access_for(world.users["working_group"], world.partnership)
    item_publish(access=access, item=world.submitted_updates["own"], version=world.submitted_updates["own"].version)
    with CaptureQueriesContext(connection) as captured:
        text = client.get(url("working_group_dashboard")).content.decode()
    assert not any('FROM "actions_theme"' in query["sql"] for query in captured)
    assert theme_labels(text) == ["All themes", "Vulnerability", "Prevention"]

    form = ThemeForm({"name": "Youth", "order": 99}, partnership=world.partnership)
    assert form.is_valid()
    entry_save(access=access_for(world.users["admin"], world.partnership), form=form, noun="theme")
    text = client.get(url("working_group_dashboard")).content.decode()
    assert theme_labels(text) == ["All themes", "Vulnerability", "Prevention", "Youth"]


def test_completeness_board_filters_by_theme(world, themed, client_as):
    client = client_as(world.users["working_group"])
    text = client.get(url("cycle_board", pk=world.cycle.pk), {"theme": themed.pk}).content.decode()
    assert "Own council" in text
    assert "Other council&#x27;s action" not in text and "Other council's action" not in text


def test_actions_export_has_a_themes_column(world, themed, client_as):
    client = client_as(world.users["working_group"])
    response = client.get(url("export_list", name="actions", fmt="csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_wording = {row["Action"]: row["Themes"] for row in rows}
    assert by_wording["Own council's action"] == "Vulnerability"
    assert by_wording["Other council's action"] == ""


def test_governing_dashboard_counts_only_the_themes_actions(world, themed, client_as):
    client = client_as(world.users["governing"])
    ActionFactory(plan_priority=world.plan_priority, wording="Untagged action", leads=[world.other_org])
    response = client.get(url("dashboard"), {"theme": themed.pk})
    assert "Actions are counted only on the theme “Vulnerability”" in response.content.decode()
    counts = {card.plan_priority.title: card.status_counts for card in response.context["cards"]}
    assert counts["Road Safety"] == [("In progress", 1)]


def test_the_action_form_says_where_themes_come_from_when_there_are_none(world, client_as):
    client = client_as(world.users["working_group"])
    new_action = url("action_new", plan="2017-18", priority="road-safety")
    assert "no cross-cutting themes yet" in client.get(new_action).content.decode()
    ThemeFactory(partnership=world.partnership, name="Vulnerability")
    page = client.get(new_action).content.decode()
    assert "no cross-cutting themes yet" not in page and "Vulnerability" in page


def test_the_theme_filter_reads_its_options_once_per_shared_generation_and_follows_a_new_theme(
    world, reviewer, pages_built_every_time
):
    """The filter's options are kept per shared work generation (issue 26, `ThemeFilterForm.options`): a
    page built again does not read the themes, and a theme added on the settings page shows at once."""
    dashboard = url("working_group_dashboard")
    assert 'aria-label="Filter by theme"' not in reviewer.get(dashboard).content.decode()  # no theme yet
    with CaptureQueriesContext(connection) as captured:
        reviewer.get(dashboard)
    assert not any('FROM "actions_theme"' in query["sql"] for query in captured)

    reviewer.post(url("settings_vocabulary_new", kind="themes"), {"name": "Night-time economy", "order": 1})
    page = reviewer.get(dashboard).content.decode()
    assert 'aria-label="Filter by theme"' in page and ">Night-time economy</option>" in page
