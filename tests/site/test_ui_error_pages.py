"""Error pages in the site's frame with DEBUG off (as in production): a plain sentence and a way back,
never Django's bare "Not Found", "403 Forbidden", "Server Error (500)" or "CSRF verification failed"."""

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from csa_tracker.accounts.models import Role


def frame(html: str):
    """The site's frame: the skip link, the main landmark and the footer, and a way back home."""
    assert 'class="skip-link"' in html
    assert '<main id="main"' in html
    assert "Community Safety Agreement tracker" in html
    assert 'href="/">Go to your start page</a>' in html


def test_a_missing_page_says_so_in_the_site_frame(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.users[Role.PARTNER])
    response = client.get(f"/{world.partnership.slug}/actions/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    frame(html)
    assert '<h1 class="h2 mb-3">Page not found</h1>' in html
    assert "There is no page at this address" in html
    assert "Not Found" not in html


def test_another_partnerships_page_is_the_same_not_found_page(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.outsider)
    response = client.get(reverse("plan_list", kwargs={"partnership": world.partnership.slug}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_page_the_role_may_not_open_says_why_and_keeps_the_navigation(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.users[Role.PARTNER])
    response = client.get(reverse("review_queue", kwargs={"partnership": world.partnership.slug}))
    assert response.status_code == 403
    html = response.content.decode()
    frame(html)
    assert "You cannot open this page" in html
    assert "Your role in this partnership does not include this page." in html
    assert "403 Forbidden" not in html
    assert "Signed in as" in html  # the person keeps the menu to go elsewhere
    assert reverse("my_dashboard", kwargs={"partnership": world.partnership.slug}) in html


def test_a_refused_form_says_nothing_was_saved_and_links_back(world, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.WORKING_GROUP])
    form_page = reverse("cycle_create", kwargs={"partnership": world.partnership.slug})
    response = client.post(form_page, {"name": "Q1"}, HTTP_REFERER=f"http://testserver{form_page}")
    assert response.status_code == 403
    html = response.content.decode()
    frame(html)
    assert "Your form had expired" in html
    assert "nothing was saved" in html
    assert f'href="http://testserver{form_page}">Back to the page you came from</a>' in html
    assert "CSRF verification failed" not in html


def test_a_refused_form_never_links_back_to_another_site(world, settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.WORKING_GROUP])
    url = reverse("cycle_create", kwargs={"partnership": world.partnership.slug})
    response = client.post(url, {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_the_server_error_page_renders_without_a_request_context_or_database(settings):
    """No `db` fixture: any query while rendering fails this test. Django renders 500.html with an
    empty context, so the page cannot rely on the request, the user or the partnership."""
    settings.DEBUG = False
    request = RequestFactory().get("/kent/plans/")
    request.user = AnonymousUser()
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    frame(html)
    assert "Something went wrong on our side" in html
    assert "Server Error (500)" not in html
    assert "Signed in as" not in html
    assert render_to_string("500.html") == html
