"""Each role, against objects of its own organisation, another organisation and another partnership,
on every URL the project serves."""

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from tests.url_matrix import EXEMPT_NAMES, EXEMPT_NAMESPACES, MATRIX, ROLES


def named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in EXEMPT_NAMESPACES:
                continue
            yield from named_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_url_has_a_row():
    unlisted = sorted(set(named_routes()) - set(MATRIX) - EXEMPT_NAMES)
    assert unlisted == [], "Add these routes to tests/url_matrix.py"


CASES = [
    (name, case, role, method)
    for name, row in MATRIX.items()
    for case in row.cases
    for role in ROLES
    for method in row.methods
]


@pytest.mark.parametrize(("name", "case", "role", "method"), CASES)
def test_role_gets_expected_status(world, client, name, case, role, method):
    """`expect` is for a route's first method. A POST to a page that also answers GET must be
    refused exactly as the GET is; where the GET is allowed, the POST gets the route's `empty_post`."""
    row = MATRIX[name]
    client.force_login(world.users[role])
    response = getattr(client, method)(reverse(name, kwargs=row.kwargs(world, case)))
    expected = row.status(case, role) if method == "get" else row.post_status(case, role)
    assert response.status_code == expected


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_signed_out_visitor_is_sent_to_sign_in(world, client, name):
    """Unless the route says otherwise (`Row.signed_out`: an evidence file is 404, as for anyone who may not
    read it)."""
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world, row.cases[0]))
    response = getattr(client, row.methods[0])(url)
    if row.anonymous_allowed:
        assert response.status_code == 200
    elif row.signed_out:
        assert response.status_code == row.signed_out
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(name for name, row in MATRIX.items() if row.scoped))
def test_person_with_no_role_in_the_partnership_sees_nothing(world, client, name):
    client.force_login(world.outsider)
    row = MATRIX[name]
    assert getattr(client, row.methods[0])(reverse(name, kwargs=row.kwargs(world, "own"))).status_code == 404
