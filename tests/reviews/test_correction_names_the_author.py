"""A correction of a published progress update names the organisation the update was written for
beside the person who wrote it, and the member of the Working Group who corrected it apart: never the
corrector as if they belonged to the author's organisation, whatever order the action's leads come in
(issue 25)."""

import re

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory, PublishedUpdateFactory, UserFactory


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page_words(client, route: str, item) -> str:
    return words(client.get(reverse(route, kwargs={"partnership": "kent-test", "pk": item.pk})).content.decode())


@pytest.fixture
def corrected(world, client_as):
    """An action led by two organisations (Aardvark Police first by name); its update written by a partner
    of the second, Other Council, and corrected by the Working Group (whose member is of Own District
    Council)."""
    aardvark = OrganisationFactory(partnership=world.partnership, name="Aardvark Police")
    action = ActionFactory(plan_priority=world.plan_priority, leads=[aardvark, world.other_org])
    author = UserFactory(username="other-partner", first_name="Olive", last_name="Author")
    MembershipFactory(user=author, partnership=world.partnership, organisation=world.other_org, role="partner")
    published = PublishedUpdateFactory(action=action, cycle=world.cycle, author=author, organisation=world.other_org)
    reviewer = client_as(world.users["working_group"])
    url = reverse("update_correct", kwargs={"partnership": "kent-test", "pk": published.pk})
    data = {"text": "Corrected text.", "status": published.status_id, "correction-reason": "A typo."}
    assert reviewer.post(url, data).status_code == 302
    return ProgressUpdate.objects.get(corrects=published)


def test_the_correction_page_names_the_author_and_their_organisation_then_the_corrector(world, client_as, corrected):
    reviewer = client_as(world.users["working_group"])
    corrector = world.users["working_group"].get_full_name()
    page = page_words(reviewer, "update_edit", corrected)
    assert f"written by Olive Author (Other Council), corrected by {corrector}" in page
    assert f"written by {corrector} (Other Council)" not in page
    assert "Aardvark Police" not in page


def test_the_review_page_of_the_correction_says_whose_update_it_corrects(world, client_as, corrected):
    reviewer = client_as(world.users["working_group"])
    corrector = world.users["working_group"].get_full_name()
    page = page_words(reviewer, "review_update", corrected)
    assert f"Submitted by {corrector}, correcting the progress update written by Olive Author (Other Council) " in page
