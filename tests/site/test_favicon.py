"""The site has an icon (a tester found `/favicon.ico` answering 404): every page links `static/favicon.svg`,
which is served, and `/favicon.ico` redirects to it, signed in or not (`csa_tracker.views.favicon`)."""

import re

import pytest


def test_a_page_links_the_icon_and_it_is_served(world, client):
    page = client.get("/accounts/login/").content.decode()
    (href,) = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert href == "/static/favicon.svg"
    icon = client.get(href)
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content).startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')


@pytest.mark.parametrize("role", [None, "partner"])
def test_favicon_ico_redirects_to_the_icon(world, client, role):
    if role:
        client.force_login(world.users[role])
    answer = client.get("/favicon.ico")
    assert (answer.status_code, answer["Location"]) == (301, "/static/favicon.svg")
    assert client.get(answer["Location"]).status_code == 200
