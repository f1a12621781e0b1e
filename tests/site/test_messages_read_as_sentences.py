"""Messages made from a field's label read as sentences (issue 25, a new user's trial): "a"/"an" chosen by
one rule, a label asked as a question or ending in a preposition given its own words, and number limits
said with the label first so they read with any label."""

import pytest
from django.urls import reverse

from csa_tracker.messages import a_or_an
from tests.configuration.test_settings_indicators import areas, indicator_data  # noqa: F401 (fixture)
from tests.factories import GeographyFactory


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("area", "an area"),
        ("district", "a district"),
        ("entry", "an entry"),
        ("unitary authority", "a unitary authority"),
        ("ONS code", "an ONS code"),
        ("PDF", "a PDF"),
        ("Excel workbook", "an Excel workbook"),
        ("hour", "an hour"),
    ],
)
def test_a_or_an_follows_how_the_word_is_said(words, said):
    assert a_or_an(words) == said


def test_an_import_sent_blank_says_choose_what_you_are_importing(world, client_as):
    client = client_as(world.users["working_group"])
    page = client.post(
        reverse("import_start", kwargs={"partnership": "kent-test"}), {"crime_type": ""}
    ).content.decode()
    assert "Choose what you are importing." in page
    assert "Choose a what" not in page and "?." not in page


def test_a_duplicate_area_name_says_an_area(world, client_as):
    GeographyFactory(partnership=world.partnership, name="Ashford", kind="district")
    client = client_as(world.users["working_group"])
    typed = {"name": "ashford", "code": "", "kind": "district", "parent": ""}
    page = client.post(url("settings_vocabulary_new", kind="areas"), typed).content.decode()
    assert "There is already an area called “ashford” in this partnership." in page


def test_the_area_forms_within_says_what_to_choose(world, client_as):
    client = client_as(world.users["working_group"])
    page = client.get(url("settings_vocabulary_new", kind="areas")).content.decode()
    assert '<option value="" selected>Choose the area it is within (or none)</option>' in page
    assert "Choose a within" not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("suppress_below", "-1", "Hide district counts below must be 0 or more."),
        ("rate_per", "many", "Rate per how many people must be a whole number, such as 3."),
    ],
)
def test_number_messages_start_with_the_label(world, areas, client_as, field, value, message):  # noqa: F811
    client = client_as(world.users["working_group"])
    page = client.post(url("settings_indicator_new"), indicator_data(world, areas, **{field: value}))
    assert message in page.content.decode()
    assert f'value="{value}"' in page.content.decode()
