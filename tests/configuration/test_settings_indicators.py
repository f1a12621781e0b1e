"""The Working Group and administrators create, change and retire indicators, set the month the
partnership's year starts, add targets and comparability notes (issue 14); readings are refused for
an area the indicator is not reported for, or a rate without the population of its year."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from configuration.services import indicator_save
from csa_tracker.accounts.access import access_for
from csa_tracker.refusals import Invalid
from indicators.models import ComparabilityNote, Indicator, IndicatorReading, Target
from tests.audit_entries import entries
from tests.configuration.indicator_form import indicator_data as base_indicator_data
from tests.factories import GeographyFactory, IndicatorFactory, OrganisationFactory, PopulationFactory, ReadingFactory


def signed_in(user) -> Client:
    """A client of its own (the `client_as` fixture signs one shared client in as someone else)."""
    client = Client()
    client.force_login(user)
    return client


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


@pytest.fixture
def areas(world):
    county = GeographyFactory(partnership=world.partnership, name="Testshire", kind="county", code="E10000099")
    district = GeographyFactory(partnership=world.partnership, name="Testborough", kind="district", parent=county)
    PopulationFactory(geography=county, year=2017, value=1_500_000)
    return county, district


def indicator_data(world, areas, **overrides):
    """The form for a quarterly rate per 100,000, "Anti-social behaviour rate", a headline over `areas`'
    county and reported for its district."""
    county, district = areas
    rate = {
        "name": "Anti-social behaviour rate",
        "unit": "rate_per_1000",
        "rate_per": "100000",
        "geography": county.pk,
        "areas": [district.pk],
        "source": "Police recorded incidents",
        "headline": "on",
    }
    return base_indicator_data(world, **{**rate, **overrides})


def test_working_group_creates_a_rate_indicator_with_areas_and_leads(world, areas, reviewer):
    response = reviewer.post(url("settings_indicator_new"), indicator_data(world, areas))
    indicator = Indicator.objects.get(partnership=world.partnership, name="Anti-social behaviour rate")
    assert response.status_code == 302
    assert response["Location"] == url("settings_indicator", slug="anti-social-behaviour-rate")
    assert (indicator.unit, indicator.rate_per, indicator.period_type) == ("rate_per_1000", 100_000, "quarter")
    assert indicator.geography == areas[0]
    assert list(indicator.areas.all()) == [areas[1]]
    assert list(indicator.leads.all()) == [world.own_org]
    assert indicator.retired_on is None


def test_a_duplicate_indicator_name_is_refused_and_what_was_typed_kept(world, areas, reviewer):
    response = reviewer.post(url("settings_indicator_new"), indicator_data(world, areas, name="road  CASUALTIES"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is already an indicator called “road CASUALTIES” in this partnership." in page
    assert "Police recorded incidents" in page
    assert Indicator.objects.filter(partnership=world.partnership).count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rate_per", "0", "A rate is per at least 1 person"),
        ("leads", "other-partnership", "Choose from this partnership&#x27;s own list."),
        ("geography", "other-partnership", "Choose from this partnership&#x27;s own list."),
        ("period_type", "fortnight", "what was sent is not one of the options"),
    ],
)
def test_bad_indicator_input_is_an_error_on_its_field(world, areas, reviewer, field, value, message):
    if value == "other-partnership":
        other = {
            "leads": lambda: [OrganisationFactory(partnership=world.other_partnership).pk],
            "geography": lambda: GeographyFactory(partnership=world.other_partnership, name="Elsewhere").pk,
        }[field]()
        value = other
    response = reviewer.post(url("settings_indicator_new"), indicator_data(world, areas, **{field: value}))
    assert message in response.content.decode()
    assert not Indicator.objects.filter(name="Anti-social behaviour rate").exists()


def test_changing_an_indicator_keeps_its_address(world, areas, reviewer):
    slug = world.indicator.slug
    edit = url("settings_indicator", slug=slug)
    # In its own unit and period: changing them is saved only once confirmed (tests/indicators/test_published_facts.py).
    data = indicator_data(world, areas, name="Road casualties (all severities)", unit="count")
    reviewer.post(edit, data | {"period_type": "calendar_year"})
    world.indicator.refresh_from_db()
    assert world.indicator.name == "Road casualties (all severities)"
    assert world.indicator.slug == slug


def test_an_indicator_form_saved_unchanged_changes_nothing(world, areas, reviewer):
    reviewer.post(url("settings_indicator_new"), indicator_data(world, areas))
    indicator = Indicator.objects.get(name="Anti-social behaviour rate")
    before = entries(indicator).count()
    response = reviewer.post(url("settings_indicator", slug=indicator.slug), indicator_data(world, areas), follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert entries(indicator).count() == before


@pytest.mark.parametrize("value", ["13", "0", "April", ""])
def test_a_year_start_month_out_of_range_is_refused(world, reviewer, value):
    response = reviewer.post(url("settings_year"), {"year_start_month": value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the month the partnership&#x27;s year starts in, from January to December." in page
    world.partnership.refresh_from_db()
    assert world.partnership.year_start_month == 4


def test_an_october_year_labels_its_quarters_from_october(world, reviewer, client_as):
    response = reviewer.post(url("settings_year"), {"year_start_month": "10"}, follow=True)
    assert "The partnership&#x27;s year now starts in October" in response.content.decode()
    indicator = IndicatorFactory(partnership=world.partnership, slug="quarterly", period_type="quarter")
    ReadingFactory(indicator=indicator, period_start=date(2017, 10, 1), period_end=date(2017, 12, 31), value=40)
    ReadingFactory(indicator=indicator, period_start=date(2016, 10, 1), period_end=date(2016, 12, 31), value=50)
    page = client_as(world.users["governing"]).get(url("indicator_page", slug="quarterly")).content.decode()
    assert "Q1 2017/18" in page
    assert "Q1 2016/17" in page
    assert "Q3 2017/18" not in page


def test_an_april_year_keeps_financial_quarters(world, client_as):
    indicator = IndicatorFactory(partnership=world.partnership, slug="quarterly", period_type="quarter")
    ReadingFactory(indicator=indicator, period_start=date(2017, 10, 1), period_end=date(2017, 12, 31), value=40)
    page = client_as(world.users["governing"]).get(url("indicator_page", slug="quarterly")).content.decode()
    assert "Q3 2017/18" in page


def test_a_target_is_added_and_the_latest_figure_rated_against_it(world, reviewer):
    target_url = url("settings_indicator_target", slug=world.indicator.slug)
    reviewer.post(target_url, {"target-period_end": "2016-12-31", "target-value": "6,000"})
    assert Target.objects.get(indicator=world.indicator).value == Decimal("6000")
    page = signed_in(world.users["governing"]).get(url("indicator_page", slug=world.indicator.slug)).content.decode()
    assert "Target 6,000: missed." in page  # 6,122 casualties; lower is better
    reviewer.post(target_url, {"target-period_end": "2016-12-31", "target-value": "6500"})
    assert Target.objects.get(indicator=world.indicator).value == Decimal("6500")
    page = signed_in(world.users["governing"]).get(url("indicator_page", slug=world.indicator.slug)).content.decode()
    assert "Target 6,500: met." in page


def test_a_target_for_a_period_the_indicator_does_not_have_is_refused(world, reviewer):
    response = reviewer.post(
        url("settings_indicator_target", slug=world.indicator.slug),
        {"target-period_end": "2016-06-30", "target-value": "12"},
    )
    page = response.content.decode()
    assert "cannot end in June" in page
    assert 'value="12"' in page
    assert not Target.objects.exists()


def test_a_comparability_note_is_added_inline(world, reviewer):
    note_url = url("settings_indicator_note", slug=world.indicator.slug)
    response = reviewer.post(note_url, {"note-effective_from": "", "note-text": "  "})
    assert response.status_code == 200
    assert not ComparabilityNote.objects.exists()
    reviewer.post(note_url, {"note-effective_from": "2017-04-01", "note-text": "New crime recording standard."})
    note = ComparabilityNote.objects.get(indicator=world.indicator)
    assert (note.effective_from, note.text) == (date(2017, 4, 1), "New crime recording standard.")


def test_a_note_added_shows_at_once_on_the_indicator_page_whose_body_is_cached(world, reviewer):
    governing = signed_in(world.users["governing"])
    page = url("indicator_page", slug=world.indicator.slug)
    assert "every period in the series is comparable" in governing.get(page).content.decode()  # now cached
    note_url = url("settings_indicator_note", slug=world.indicator.slug)
    reviewer.post(note_url, {"note-effective_from": "2017-04-01", "note-text": "New crime recording standard."})
    shown = governing.get(page).content.decode()
    assert "New crime recording standard." in shown
    assert "every period in the series is comparable" not in shown


def test_a_retired_indicator_leaves_dashboards_and_entry_forms_but_keeps_its_history(world, reviewer):
    retire = url("settings_indicator_retire", slug=world.indicator.slug)
    assert "Retire “Road casualties”" in reviewer.get(retire).content.decode()
    reviewer.post(retire)
    world.indicator.refresh_from_db()
    assert world.indicator.is_retired
    governing = signed_in(world.users["governing"])
    assert "Road casualties" not in governing.get(url("dashboard")).content.decode()
    assert governing.get(url("indicator_page", slug=world.indicator.slug)).status_code == 200
    partner = signed_in(world.users["partner"])
    assert partner.get(url("reading_start", indicator=world.indicator.slug)).status_code == 404
    assert IndicatorReading.objects.filter(indicator=world.indicator).count() == 3  # 2015, 2016, 2018
    reviewer.post(retire)
    world.indicator.refresh_from_db()
    assert not world.indicator.is_retired


def test_a_reading_for_an_area_the_indicator_is_not_reported_for_is_refused(world, areas, client_as):
    elsewhere = GeographyFactory(partnership=world.partnership, name="Unreported District", kind="district")
    partner = client_as(world.users["partner"])
    response = partner.post(
        url("reading_start", indicator=world.indicator.slug),
        {"geography": elsewhere.pk, "period_end": "2019-12-31", "value": "12", "save": "1"},
    )
    assert f"Choose an area “{world.indicator}” is reported for" in response.content.decode()
    assert not IndicatorReading.objects.filter(geography=elsewhere).exists()


def test_a_rate_reading_without_the_population_of_its_year_says_which_area_and_year(world, areas, client_as):
    county, district = areas
    indicator = IndicatorFactory(
        partnership=world.partnership,
        slug="asb-rate",
        unit="rate_per_1000",
        geography=county,
        period_type="calendar_year",
    )
    indicator.areas.set([district])
    indicator.leads.set([world.own_org])
    partner = client_as(world.users["partner"])
    start = url("reading_start", indicator="asb-rate")
    response = partner.post(start, {"geography": district.pk, "period_end": "2017-12-31", "value": "40", "save": "1"})
    page = response.content.decode()
    assert "There is no population for Testborough in 2017" in page
    assert not IndicatorReading.objects.filter(indicator=indicator).exists()
    response = partner.post(start, {"geography": county.pk, "period_end": "2017-12-31", "value": "40", "save": "1"})
    assert response.status_code == 302
    assert IndicatorReading.objects.filter(indicator=indicator, geography=county).exists()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"stable_band_pct": "-5"}, "stable_band_pct", "Stable band (%) must be 0 or more."),
        ({"change_threshold_pct": "-1"}, "change_threshold_pct", "Flag a change of more than (%) must be 0 or more."),
        (
            {"stable_band_pct": "5", "change_threshold_pct": "1"},
            "change_threshold_pct",
            "Flag a change of more than (%) must be at least the stable band, 5%: a change read as stable is never "
            "flagged.",
        ),
    ],
)
def test_thresholds_that_cannot_work_are_refused_on_their_field_keeping_what_was_typed(
    world, areas, reviewer, typed, field, message
):
    """Issue 25: a stable band of −5 and a flag threshold of 1 were saved ("changes within ±-5.0% are stable")."""
    indicator = IndicatorFactory(partnership=world.partnership, name="Burglary", stable_band_pct=2)
    data = indicator_data(world, areas, name="Burglary") | typed
    response = reviewer.post(url("settings_indicator", slug=indicator.slug), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    for name, value in typed.items():
        assert f'name="{name}" value="{value}"' in response.content.decode()
    indicator.refresh_from_db()
    assert (indicator.stable_band_pct, indicator.change_threshold_pct) == (Decimal(2), Decimal(10))


def test_the_save_service_refuses_a_threshold_below_the_stable_band(world):
    indicator = IndicatorFactory(partnership=world.partnership, stable_band_pct=2, change_threshold_pct=10)
    access = access_for(world.users["working_group"], world.partnership)
    with pytest.raises(Invalid) as refused:
        indicator_save(access=access, indicator=indicator, fields={"change_threshold_pct": 1})
    assert refused.value.message_dict == {
        "change_threshold_pct": [
            "Flag a change of more than (%) must be at least the stable band, 2%: a change read as stable is never "
            "flagged."
        ]
    }
