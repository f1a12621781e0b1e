"""Who gets an evidence file: whoever may read its item (the item's policy), and anyone where the
partnership's published material is public and the item is published; 404 for everyone else, signed
in or not. Corrections carry evidence, sharing the stored file."""

import pytest

from csa_tracker.accounts.models import Partnership
from evidence.models import Attachment
from tests.factories import MembershipFactory, ProgressUpdateFactory, UserFactory
from tests.reviewing import corrected_and_published
from workflow.models import ReviewState

from .helpers import FILES, attach

PDF = (FILES / "report.pdf").read_bytes()


@pytest.fixture
def people(world):
    """Each role of the world, a partner of the other organisation and someone of another partnership."""
    other_partner = UserFactory(username="other-partner")
    MembershipFactory(user=other_partner, partnership=world.partnership, organisation=world.other_org, role="partner")
    elsewhere = UserFactory(username="elsewhere")
    MembershipFactory(user=elsewhere, partnership=world.other_partnership, role="working_group")
    return {**world.users, "other_org_partner": other_partner, "other_partnership": elsewhere}


def item_with_evidence(world, state: str, name: str = "report.pdf"):
    """A progress update of the partner's organisation in `state`, with `name` attached while a draft."""
    world.submitted_updates["own"].delete()
    update = ProgressUpdateFactory(
        action=world.own_action, cycle=world.cycle, author=world.users["partner"], organisation=world.own_org
    )
    attachment = attach(world.users["partner"], update, name)
    update.state = state
    update.save()
    return attachment


def as_draft(update):
    update.state = ReviewState.DRAFT
    update.save()
    return update


def url(world, attachment) -> str:
    return f"/{world.partnership.slug}/evidence/{attachment.pk}/"


def status_as(client, person, address) -> int:
    client.logout()
    if person is not None:
        client.force_login(person)
    return client.get(address).status_code


DRAFT_READERS = {
    "partner": 200,
    "working_group": 200,
    "governing": 404,
    "admin": 404,
    "other_org_partner": 404,
    "other_partnership": 404,
}


@pytest.mark.parametrize("state", [ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED])
def test_work_in_progress_evidence_is_for_its_organisation_and_the_working_group(world, people, client, state):
    attachment = item_with_evidence(world, state)
    got = {
        name: status_as(client, person, url(world, attachment)) for name, person in people.items() if name != "outsider"
    }
    assert got == DRAFT_READERS
    assert status_as(client, None, url(world, attachment)) == 404  # signed out: 404, not a sign-in page


def test_published_evidence_is_for_every_member_and_nobody_else(world, people, client):
    attachment = item_with_evidence(world, ReviewState.PUBLISHED)
    got = {name: status_as(client, person, url(world, attachment)) for name, person in people.items()}
    assert got == {
        "partner": 200,
        "working_group": 200,
        "governing": 200,
        "admin": 200,
        "other_org_partner": 200,
        "other_partnership": 404,
    }
    assert status_as(client, None, url(world, attachment)) == 404


def test_a_public_partnerships_published_evidence_is_for_anyone_and_its_drafts_for_nobody_outside(world, client):
    Partnership.objects.filter(pk=world.partnership.pk).update(open_data_public=True)
    published = item_with_evidence(world, ReviewState.PUBLISHED)
    assert status_as(client, None, url(world, published)) == 200
    draft = as_draft(world.submitted_updates["other_org"])
    attachment = attach(world.users["working_group"], draft)
    assert status_as(client, None, url(world, attachment)) == 404


def test_the_download_is_the_file_as_attached_with_its_name(world, client):
    attachment = item_with_evidence(world, ReviewState.PUBLISHED)
    client.force_login(world.users["governing"])
    response = client.get(url(world, attachment))
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="report.pdf"'
    assert response["Cache-Control"] == "private, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_office_file_is_downloaded_not_shown(world, client):
    attachment = item_with_evidence(world, ReviewState.PUBLISHED, "report.docx")
    client.force_login(world.users["partner"])
    response = client.get(url(world, attachment))
    assert response["Content-Disposition"] == 'attachment; filename="report.docx"'


def test_a_stored_file_that_is_gone_is_404_not_500(world, client, evidence_files):
    attachment = item_with_evidence(world, ReviewState.PUBLISHED)
    (evidence_files / attachment.stored_name).unlink()
    client.force_login(world.users["partner"])
    assert client.get(url(world, attachment)).status_code == 404


def test_another_partnerships_evidence_under_our_address_is_404(world, client):
    draft = as_draft(world.submitted_updates["other_partnership"])
    outsider = UserFactory()
    MembershipFactory(user=outsider, partnership=world.other_partnership, role="working_group")
    attachment = attach(outsider, draft)
    client.force_login(world.users["working_group"])
    assert client.get(url(world, attachment)).status_code == 404


def test_a_correction_carries_the_evidence_sharing_its_file(world, client, evidence_files):
    from csa_tracker.accounts.access import access_for

    attachment = item_with_evidence(world, ReviewState.PUBLISHED)
    update = attachment.update
    corrected = corrected_and_published(
        access=access_for(world.users["working_group"], world.partnership),
        item=update,
        fields={"text": "Corrected wording."},
        reason="Typo",
    )
    copy = Attachment.objects.get(update=corrected)
    assert (copy.name, copy.stored_name, copy.sha256, copy.added_at) == (
        attachment.name,
        attachment.stored_name,
        attachment.sha256,
        attachment.added_at,
    )
    assert sorted(path.name for path in evidence_files.rglob("*") if path.is_file()) == [
        attachment.stored_name.split("/")[-1]
    ]
    client.force_login(world.users["governing"])
    assert b"".join(client.get(url(world, copy)).streaming_content) == PDF
