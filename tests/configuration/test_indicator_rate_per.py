""" "Rate per how many people" is asked only for a rate indicator: required for a rate, ignored for a count
(the indicator keeps its stored figure), hidden in the browser by static/js/shown-for.js (issue 25)."""

import pytest
from django.urls import reverse

from indicators.models import Indicator
from tests.audit_entries import entries
from tests.configuration.indicator_form import indicator_data
from tests.factories import IndicatorFactory


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


def test_a_count_is_saved_without_a_rate_base(world, reviewer):
    response = reviewer.post(url("settings_indicator_new"), indicator_data(world))
    assert response.status_code == 302
    assert Indicator.objects.get(name="Burglaries").rate_per == 1000  # the stored default, never asked


@pytest.mark.parametrize("sent", ["100000", "0", "lots"])
def test_a_rate_base_sent_for_a_count_is_ignored(world, reviewer, sent):
    response = reviewer.post(url("settings_indicator_new"), indicator_data(world, rate_per=sent))
    assert response.status_code == 302
    assert Indicator.objects.get(name="Burglaries").rate_per == 1000


def test_a_count_saved_unchanged_keeps_its_stored_base_and_changes_nothing(world, reviewer):
    indicator = IndicatorFactory(partnership=world.partnership, name="Thefts", unit="count", rate_per=100_000)
    page = reviewer.get(url("settings_indicator", slug=indicator.slug))
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data["headline"] = "on" if data["headline"] else ""
    data["rate_per"] = "5"  # whatever the hidden field holds, a count ignores it
    before = entries(indicator).count()
    assert reviewer.post(url("settings_indicator", slug=indicator.slug), data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.rate_per == 100_000
    assert entries(indicator).count() == before


def test_a_rate_needs_its_base(world, reviewer):
    response = reviewer.post(url("settings_indicator_new"), indicator_data(world, unit="rate_per_1000"))
    assert response.status_code == 200
    assert response.context["form"].errors["rate_per"] == ["Enter the rate per how many people, e.g. 1,000 or 100,000."]
    assert not Indicator.objects.filter(name="Burglaries").exists()


def test_a_rate_keeps_its_base(world, reviewer):
    data = indicator_data(world, unit="rate_per_1000", rate_per="100000")
    assert reviewer.post(url("settings_indicator_new"), data).status_code == 302
    assert Indicator.objects.get(name="Burglaries").rate_per == 100_000


def test_the_field_says_which_unit_it_is_for_and_the_page_loads_the_script(world, reviewer):
    page = reviewer.get(url("settings_indicator_new")).content.decode()
    assert 'data-shown-for-field="unit"' in page and 'data-shown-for="rate_per_1000"' in page
    assert "js/shown-for.js" in page
