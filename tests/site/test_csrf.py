"""Every route refuses a POST without a CSRF token, signed in or not; with the token, POST routes work."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PlanPriorityFactory
from tests.html_forms import page_forms
from tests.paths import ROOT
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


# `{% include "x.html" with ... %}`: the template and what it is given.
INCLUDE = re.compile(r'{%\s*include\s+"([^"]+)"(.*?)%}', re.S)


def test_every_form_included_with_only_is_given_the_token():
    """An `include ... only` sees nothing it is not given, not even the CSRF token a context processor adds:
    a form in it renders without one and every POST from it is refused as an expired form (the plan page's
    "Move up" / "Move down" were). So each such include of a template with `{% csrf_token %}` passes it."""
    templates = ROOT / "templates"
    sources = {
        path.relative_to(templates).as_posix(): path.read_text(encoding="utf-8") for path in templates.rglob("*.html")
    }
    with_token = {name for name, source in sources.items() if "{% csrf_token %}" in source}
    missing = [
        (including, name)
        for including, source in sources.items()
        for name, given in INCLUDE.findall(source)
        if name in with_token and given.split()[-1:] == ["only"] and "csrf_token=csrf_token" not in given
    ]
    assert with_token and missing == []


def test_the_working_group_moves_a_priority_with_the_form_the_plan_page_shows(world):
    """Through the CSRF check, as a browser posts it."""
    PlanPriorityFactory(plan=world.plan, title="Knife Crime", priority__slug="knife-crime")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["working_group"])
    page = client.get(reverse("plan_detail", kwargs={"partnership": "kent-test", "plan": "2017-18"}))
    (move,) = [form for form in page_forms(page.content.decode()) if form.action.endswith("/knife-crime/move/")]
    assert client.post(move.action, move.data(button="direction")).status_code == 302
    assert list(world.plan.plan_priorities.values_list("title", flat=True)) == ["Knife Crime", "Road Safety"]
