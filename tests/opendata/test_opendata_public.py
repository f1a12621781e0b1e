"""A partnership's `open_data_public` setting: off, its published reports and open data are for signed-in
members only; on, anyone reads them without signing in (residents), and still nothing unpublished.
The Working Group or an administrator changes it on the open data settings page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from csa_tracker.accounts.access import access_for
from csa_tracker.accounts.models import Partnership
from reports.models import Report
from reports.services import report_publish

SLUG = "kent-test"
OPEN_DATA = [
    "opendata_page",
    "opendata_index",
    "opendata_plan_json",
    "opendata_actions_json",
    "opendata_actions_csv",
    "opendata_figures_json",
    "opendata_figures_csv",
]


@pytest.fixture
def report(world):
    report, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    return report


def make_public(partnership, public=True):
    Partnership.objects.filter(pk=partnership.pk).update(open_data_public=public)


def published_pages(report) -> list[str]:
    return [
        *(reverse(name, kwargs={"partnership": SLUG}) for name in [*OPEN_DATA, "report_list"]),
        report.get_absolute_url(),
        reverse("report_pdf", kwargs=report.address_kwargs),
        reverse("report_latest", kwargs={k: v for k, v in report.address_kwargs.items() if k != "version"}),
    ]


def test_signed_out_visitors_are_sent_to_sign_in_while_the_setting_is_off(world, report, client):
    for address in published_pages(report):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("login"))


def test_anyone_reads_published_reports_and_open_data_once_it_is_on(world, report, client):
    make_public(world.partnership)
    *readable, latest = published_pages(report)
    assert {address: client.get(address).status_code for address in readable} == dict.fromkeys(readable, 200)
    assert client.get(latest)["Location"] == report.get_absolute_url()  # the latest version redirects to it
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Own published progress." in page and "Submitted progress (own)." not in page
    assert "Sign out" not in page  # a resident, not a member
    actions = client.get(reverse("opendata_actions_json", kwargs={"partnership": SLUG}))
    assert actions["Access-Control-Allow-Origin"] == "*"
    assert "Submitted progress (own)." not in actions.content.decode()


def test_public_data_stays_closed_to_work_in_progress_pages(world, report, client):
    make_public(world.partnership)
    for name in ("plan_list", "indicator_list", "dashboard", "report_compare", "export_index"):
        response = client.get(reverse(name, kwargs={"partnership": SLUG}))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
    preview = reverse("report_preview", kwargs={k: v for k, v in report.address_kwargs.items() if k != "version"})
    assert client.get(preview).status_code == 302


def test_a_signed_in_person_of_another_partnership_gets_404_until_it_is_public(world, report, client):
    client.force_login(world.outsider)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("opendata_figures_json", kwargs={"partnership": SLUG})).status_code == 404
    make_public(world.partnership)
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(reverse("opendata_figures_json", kwargs={"partnership": SLUG})).status_code == 200


def test_one_partnership_going_public_opens_nothing_of_another(world, client):
    make_public(world.partnership)
    response = client.get(reverse("opendata_figures_json", kwargs={"partnership": world.other_partnership.slug}))
    assert response.status_code == 302
    client.force_login(world.users["partner"])
    response = client.get(reverse("opendata_figures_json", kwargs={"partnership": world.other_partnership.slug}))
    assert response.status_code == 404


def test_an_address_of_no_partnership_discloses_nothing_to_a_signed_out_visitor(world, client):
    response = client.get(reverse("opendata_index", kwargs={"partnership": "no-such-place"}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_private_data_has_no_cross_site_header(world, client_as):
    response = client_as(world.users["partner"]).get(reverse("opendata_figures_json", kwargs={"partnership": SLUG}))
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response


SETTINGS = reverse("opendata_settings", kwargs={"partnership": SLUG})


@pytest.mark.parametrize("role", ["working_group", "admin"])
def test_the_working_group_or_an_administrator_turns_it_on_and_off(world, client_as, role):
    client = client_as(world.users[role])
    page = client.get(SETTINGS).content.decode()
    assert "signed-in members only" in page and 'name="public"' in page
    response = client.post(SETTINGS, {"public": "on"})
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.open_data_public is True
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Anyone can now read your published reports and open data without signing in."
    ]
    response = client.post(SETTINGS, {})
    world.partnership.refresh_from_db()
    assert world.partnership.open_data_public is False
    assert "signed-in members only" in client.get(SETTINGS).content.decode()


def test_saving_the_setting_unchanged_changes_nothing(world, client_as):
    client = client_as(world.users["working_group"])
    response = client.post(SETTINGS, {}, follow=True)
    world.partnership.refresh_from_db()
    assert world.partnership.open_data_public is False
    assert "Nothing changed: the setting was already as you saved it." in response.content.decode()


@pytest.mark.parametrize("role", ["partner", "governing"])
def test_other_roles_may_not_change_it(world, client_as, role):
    client = client_as(world.users[role])
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, {"public": "on"}).status_code == 403
    world.partnership.refresh_from_db()
    assert world.partnership.open_data_public is False


def test_the_open_data_page_lists_the_files_and_says_who_can_read_them(world, client_as):
    page = client_as(world.users["working_group"]).get(reverse("opendata_page", kwargs={"partnership": SLUG}))
    html = page.content.decode()
    assert html.count("<h1>") == 1
    assert f'href="http://testserver/{SLUG}/open-data/v1/figures.csv"' in html
    assert 'href="http://testserver/open-data/schema/v1/actions.json"' in html
    assert "Only signed-in members of the partnership can read these files" in html
    assert f'href="{SETTINGS}"' in html


def test_a_resident_is_not_offered_the_members_comparison_of_versions(world, report, client):
    make_public(world.partnership)
    report = Report.objects.get(pk=report.pk)  # whole: the published instance reads its snapshot on demand
    report.pk = None
    report.version, report.supersedes = 2, None
    report.save()
    listing = reverse("report_list", kwargs={"partnership": SLUG})
    assert "Compare two reports" not in client.get(listing).content.decode()
    client.force_login(world.users["governing"])
    assert "Compare two reports" in client.get(listing).content.decode()
