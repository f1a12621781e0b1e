"""Every route refuses a POST without a CSRF token, signed in or not; with the token, POST routes work."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.url_matrix import MATRIX, ROLES


def allowed_role(row, case):
    """A role the route serves in this case (or at least does not refuse with 403, e.g. an upload token
    it does not know: 404), so a 403 can only come from the missing token."""
    served = [role for role in ROLES if row.expect[case][role] < 400]
    return next(iter(served or [role for role in ROLES if row.expect[case][role] != 403]), ROLES[0])


def url_and_user(world, name):
    row = MATRIX[name]
    case = row.cases[0]
    return reverse(name, kwargs=row.kwargs(world, case)), world.users[allowed_role(row, case)]


def post_status(name):
    """What the route answers the role of `url_and_user` posting no fields (tests/url_matrix.py)."""
    row = MATRIX[name]
    case = row.cases[0]
    return row.post_status(case, allowed_role(row, case))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_post_without_csrf_token_is_refused_when_signed_in(world, name):
    url, user = url_and_user(world, name)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize("name", ["login", "logout"])
def test_sign_in_and_out_refuse_post_without_csrf_token(world, name):
    assert Client(enforce_csrf_checks=True).post(reverse(name), {}).status_code == 403


@pytest.mark.parametrize("name", sorted(name for name, row in MATRIX.items() if "post" in row.methods))
def test_post_with_the_csrf_token_gets_through(world, name):
    url, user = url_and_user(world, name)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("login"))  # sets the CSRF cookie
    token = next(cookie.value for cookie in client.cookies.values() if cookie.key.endswith("csrftoken"))
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == post_status(name)
