"""Help text is the partnership's own (issue 25, "Also seen": every partnership's forms said "E10000016 for
Kent", "e.g. KCC" and "Community Safety Agreement 2018/19"). Every form page of a partnership that is not
Kent, opened by a role that may use it, names neither Kent nor KCC; where an example helps, it is made
from the partnership's own areas, organisations and plan."""

import pytest
from django.urls import reverse

from configuration.vocabularies import VOCABULARIES
from csa_tracker.accounts.models import Role
from indicators.models import Geography, Indicator, IndicatorReading
from tests.factories import GeographyFactory, OrganisationFactory
from tests.form_pages import EDIT_PAGES, OTHER_FORM_PAGES, form_objects, page_url, roles_allowed
from tests.html_forms import same_every_time

KENT_WORDS = ("Kent", "KCC", "E10000016")


@pytest.fixture
def northshire(world):
    """The world's partnership as one that is not Kent: its name, address, areas and sources its own."""
    partnership = world.partnership
    partnership.name, partnership.short_name, partnership.slug = "Northshire Community Safety Partnership", "NCSP", "ns"
    partnership.save()
    Geography.objects.filter(partnership=partnership, name="Kent").update(name="Northshire", code="E10000099")
    Indicator.objects.filter(partnership=partnership).update(source="Northshire Police")
    objects = form_objects(world)
    IndicatorReading.objects.filter(indicator__partnership=partnership).update(source_note="Northshire Police")
    world.indicator.refresh_from_db()
    world.indicator.geography.refresh_from_db()
    GeographyFactory(partnership=partnership, name="Northtown", kind="district", code="E07000991")
    OrganisationFactory(partnership=partnership, name="Northshire County Council", short_name="NCC")
    return objects


def pages(world, objects) -> list[tuple[str, str]]:
    """(what, address) of every form page, each with a role that may open it."""
    found = []
    for listed in (EDIT_PAGES, OTHER_FORM_PAGES):
        for name, labels in listed.items():
            for label in labels:
                found.append((f"{name} ({label})", page_url(listed, name, label, world, objects)))
    slug = world.partnership.slug
    for kind in VOCABULARIES:
        found.append((f"new {kind}", reverse("settings_vocabulary_new", kwargs={"partnership": slug, "kind": kind})))
    area = Geography.objects.get(partnership=world.partnership, name="Northtown")
    found.append(
        ("an area", reverse("settings_vocabulary_edit", kwargs={"partnership": slug, "kind": "areas", "pk": area.pk}))
    )
    found.append(("open data", reverse("opendata_page", kwargs={"partnership": slug})))
    found.append(("configuration spreadsheets", reverse("settings_spreadsheets", kwargs={"partnership": slug})))
    return found


def role_for(name: str) -> str:
    allowed = roles_allowed(name) if name in EDIT_PAGES or name in OTHER_FORM_PAGES else []
    return Role.WORKING_GROUP if not allowed or Role.WORKING_GROUP in allowed else allowed[0]


def test_no_form_page_of_another_partnership_names_kent(world, client, northshire):
    shown = []
    for what, address in pages(world, northshire):
        client.force_login(world.users[role_for(what.split(" (")[0])])
        answer = client.get(address, follow=True)
        assert answer.status_code == 200, what
        page = same_every_time(answer.content.decode())  # a CSRF token is random letters: "KCC" may be in one
        shown += [(what, word) for word in KENT_WORDS if word in page]
    assert shown == []


def test_the_examples_are_the_partnerships_own(world, client, northshire):
    client.force_login(world.users[Role.WORKING_GROUP])
    slug = world.partnership.slug
    area_form = client.get(reverse("settings_vocabulary_new", kwargs={"partnership": slug, "kind": "areas"}))
    assert area_form.context["form"]["code"].help_text == (
        "A letter and 8 digits, e.g. E10000099 for Northshire; used to match rows of a population file."
    )
    organisation_form = client.get(
        reverse("settings_vocabulary_new", kwargs={"partnership": slug, "kind": "organisations"})
    )
    assert organisation_form.context["form"]["short_name"].help_text == (
        "Shown in tables where space is short, e.g. NCC for Northshire County Council."
    )
    roll_forward = client.get(reverse("plan_roll_forward", kwargs={"partnership": slug, "plan": "2017-18"}))
    form = roll_forward.context["form"]
    assert (form["title"].help_text, form["slug"].help_text) == (
        "e.g. Test Agreement 2018/19",
        "Used in addresses, e.g. 2018-19.",
    )
