"""Short help beside the flags and each step's form, and what happens next after each submission and
decision, said on the page the person lands on."""

from django.urls import reverse

from tests.factories import StatusFactory


def progress(world, **overrides):
    return {
        "text": "Three workshops delivered.",
        "status": StatusFactory(partnership=world.partnership).pk,
        "flag": "",
        **overrides,
    }


def test_the_progress_form_explains_drafts_and_the_flags(world, client_as):
    world.submitted_updates["own"].delete()
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": world.own_action.pk})
    html = client_as(world.users["partner"]).get(url).content.decode()
    assert "only your organisation and the Working Group can see it" in html
    assert "<summary>What do the flags mean?</summary>" in html
    assert "<dt>Area of concern</dt>" in html and "<dt>Significant change</dt>" in html
    assert "Area of concern: it is at risk" in html  # the field's own help


def test_after_submitting_the_partner_is_told_what_happens_next(world, client_as):
    world.submitted_updates["own"].delete()
    client = client_as(world.users["partner"])
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": world.own_action.pk})
    response = client.post(url, {**progress(world), "submit": "1"}, follow=True)
    html = response.content.decode()
    assert "Submitted to the Working Group. What happens next: they review it before their meeting" in html
    assert '<h2 class="h5" id="what-next-heading">What happens next</h2>' in html
    assert "You get an e-mail when they publish it or return it with a comment." in html


def test_after_saving_a_draft_the_partner_is_told_who_sees_it(world, client_as):
    world.submitted_updates["own"].delete()
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": world.own_action.pk})
    html = client_as(world.users["partner"]).post(url, {**progress(world), "save": "1"}, follow=True).content.decode()
    assert "Draft saved. Only your organisation and the Working Group can see it" in html


def test_after_each_decision_the_working_group_is_told_what_happens_next(world, client_as):
    client = client_as(world.users["working_group"])
    returned = world.submitted_updates["own"]
    url = reverse("review_update", kwargs={"partnership": world.partnership.slug, "pk": returned.pk})
    page = client.get(url).content.decode()
    assert "Returning sends it back to the author with your comment" in page
    data = {"decision": "return", "comment": "Add dates.", "version": returned.version}
    html = client.post(url, data, follow=True).content.decode()
    assert "Returned to the submitter with your comment. They have been e-mailed" in html
    published = world.submitted_updates["other_org"]
    url = reverse("review_update", kwargs={"partnership": world.partnership.slug, "pk": published.pk})
    html = client.post(url, {"decision": "publish", "version": published.version}, follow=True).content.decode()
    assert "Published: it now shows on the plan and will be in the next report" in html
