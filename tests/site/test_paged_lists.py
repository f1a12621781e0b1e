"""Every list read a page at a time answers an address asking for a page that is not there the same way
(csa_tracker.paging): the nearest page, and a notice saying which page is shown. A tester met page 999 of
the board shown without a word; My actions and the queue then showed the last page for page 0, the other
lists said nothing at all."""

from html import escape

import pytest
from django.urls import reverse

from csa_tracker.accounts.models import Role

# (list, the role that reads it, the address's arguments beyond the partnership, where the notice says)
PAGED_LISTS = [
    ("my_work", Role.PARTNER, {}, "in this list"),
    ("review_queue", Role.WORKING_GROUP, {}, "in the queue"),
    ("escalations", Role.GOVERNING, {}, "among the escalations"),
    ("cycle_board", Role.WORKING_GROUP, {"pk": "cycle"}, "on this board"),
    ("settings_vocabulary", Role.WORKING_GROUP, {"kind": "organisations"}, "in this list"),
    ("people_list", Role.WORKING_GROUP, {}, "in this list"),
    ("notification_list", Role.PARTNER, {}, "among your notifications"),
]


def list_url(world, name: str, arguments: dict) -> str:
    kwargs = {"partnership": world.partnership.slug}
    kwargs.update({key: world.cycle.pk if value == "cycle" else value for key, value in arguments.items()})
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "role", "arguments", "where"), PAGED_LISTS, ids=[row[0] for row in PAGED_LISTS])
@pytest.mark.parametrize(
    ("asked", "notice"),
    [
        ("999", "There is no page 999 {where}; showing page 1 of 1."),
        ("0", "There is no page 0 {where}; showing page 1 of 1."),
        ("-3", "There is no page -3 {where}; showing page 1 of 1."),
        ("two", "“two” is not a page number; showing page 1 of 1."),
        ("9" * 20, "There is no page {far} {where}; showing page 1 of 1."),
        ("1", None),
        ("", None),
    ],
)
def test_a_page_that_is_not_there_shows_the_nearest_and_says_so(
    world, client_as, name, role, arguments, where, asked, notice
):
    response = client_as(world.users[role]).get(list_url(world, name, arguments), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    body = response.content.decode()
    if notice is None:
        assert "page-notice" not in body
    else:
        said = notice.format(where=where, far="9" * 20)
        assert f'<p class="alert alert-warning page-notice" role="status">{escape(said)}</p>' in body
