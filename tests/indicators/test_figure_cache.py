"""The cache of published figures (issue 18): keyed by partnership, audience and publication generation,
so it never leaks across partnerships or roles, a publication shows at once, and a second request reads
fewer queries."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Partnership, Role
from indicators.figure_cache import figure_key
from indicators.selectors import IndicatorSummary
from tests.factories import IndicatorFactory, MembershipFactory, ReadingFactory
from tests.reviewing import corrected_and_published
from workflow.services import item_publish


def url(name, partnership="kent-test", **kwargs):
    return reverse(name, kwargs={"partnership": partnership, **kwargs})


def access_of(world, role, partnership=None):
    return access_for(world.users[role], partnership or world.partnership)


def queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_a_second_partnership_and_another_role_never_see_the_first_ones_figures(world, client_as):
    governing = world.users[Role.GOVERNING]
    MembershipFactory(user=governing, partnership=world.other_partnership, role=Role.GOVERNING)
    # Another partnership's indicator with the same name, and a figure of its own.
    IndicatorFactory(partnership=world.other_partnership, name="Road casualties", slug="elsewhere-casualties")
    client = client_as(governing)
    assert "6,122" in client.get(url("indicator_list")).content.decode()  # Kent's cache is now warm
    elsewhere = client.get(url("indicator_list", partnership="elsewhere")).content.decode()
    assert "6,122" not in elsewhere

    # A marker planted under Kent's governing key shows that the cache is read, and read only there.
    cache.clear()
    marker = IndicatorFactory.build(partnership=world.partnership, name="Planted marker", slug="planted")
    cache.set(figure_key(access_of(world, Role.GOVERNING), "list"), [IndicatorSummary(indicator=marker)])
    assert "Planted marker" in client.get(url("indicator_list")).content.decode()
    assert "Planted marker" not in client.get(url("indicator_list", partnership="elsewhere")).content.decode()
    partner = client_as(world.users[Role.PARTNER])
    assert "Planted marker" not in partner.get(url("indicator_list")).content.decode()
    keys = {
        figure_key(access_of(world, Role.GOVERNING), "list"),
        figure_key(access_of(world, Role.PARTNER), "list"),
        figure_key(access_of(world, Role.GOVERNING, world.other_partnership), "list"),
    }
    assert len(keys) == 3


# A figure as the pages show it, at the start of its cell: a factory's slug ("indicator-1509") or a CSRF token
# may hold the digits.
SHOWN_150 = ">150"


def test_publishing_a_reading_changes_the_pages_at_once(world, client_as):
    reader = client_as(world.users[Role.GOVERNING])
    page = url("indicator_page", slug=world.indicator.slug)
    assert SHOWN_150 not in reader.get(page).content.decode()
    assert "6,122" in reader.get(url("indicator_list")).content.decode()
    reading = world.submitted_readings["own"]  # 150 for 2018, submitted by the partner
    generation = Partnership.objects.get(pk=world.partnership.pk).figures_generation
    published = item_publish(access=access_of(world, Role.WORKING_GROUP), item=reading, version=reading.version)
    assert Partnership.objects.get(pk=world.partnership.pk).figures_generation == generation + 1
    shown = reader.get(page).content.decode()
    assert SHOWN_150 in shown
    assert SHOWN_150 in reader.get(url("indicator_list")).content.decode()
    corrected_and_published(
        access=access_of(world, Role.WORKING_GROUP), item=published, fields={"value": 175}, reason="Typo"
    )
    assert ">175" in reader.get(page).content.decode()


def test_a_reading_added_without_a_publication_is_not_shown_until_the_generation_moves(world, client_as):
    """The cache is invalidated by publications, never by time: a row written behind the services' back
    (as a bulk load does) shows once the generation moves."""
    reader = client_as(world.users[Role.GOVERNING])
    page = url("indicator_page", slug=world.indicator.slug)
    reader.get(page)
    ReadingFactory(indicator=world.indicator, value=4321, period_start="2017-01-01", period_end="2017-12-31")
    assert "4,321" not in reader.get(page).content.decode()
    from csa_tracker.accounts.figures import figures_changed

    figures_changed(world.partnership)
    assert "4,321" in reader.get(page).content.decode()


def test_the_second_request_reads_fewer_queries(world, client_as):
    governing = client_as(world.users[Role.GOVERNING])
    for address in (
        url("indicator_list"),
        url("indicator_page", slug=world.indicator.slug),
        url("dashboard"),
    ):
        cache.clear()
        first = queries(governing, address)
        second = queries(governing, address)
        assert second < first, address
