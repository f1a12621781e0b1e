"""A partner who opens the progress form of an action their organisation neither leads nor supports is told
why, with ways on (a tester met a bare 404); another partnership's action stays a 404, never revealed."""

import re

from django.urls import reverse

from actions.models import ProgressUpdate


def progress_url(partnership, action) -> str:
    return reverse("update_start", kwargs={"partnership": partnership.slug, "pk": action.pk})


def test_a_partner_of_another_organisation_is_told_who_writes_the_progress(world, client_as):
    action = world.other_action
    before = ProgressUpdate.objects.count()
    client = client_as(world.users["partner"])
    for response in (
        client.get(progress_url(world.partnership, action)),
        client.post(progress_url(world.partnership, action), {"text": "Mine now."}),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert "Only partners of the action's lead or supporting organisations write its progress." in page
        slug = world.partnership.slug
        assert re.search(rf"<a href=\"/{slug}/actions/{action.pk}/\">Open the action's page</a>", page)
        assert f'<a href="/{slug}/my-work/">Back to My actions</a>' in page
        assert 'name="text"' not in page  # no progress form
    assert ProgressUpdate.objects.count() == before


def test_another_partnerships_action_is_still_not_found(world, client_as):
    action = world.other_partnership_action
    response = client_as(world.users["partner"]).get(progress_url(world.partnership, action))
    assert response.status_code == 404
    assert "lead or supporting organisations" not in response.content.decode()


def test_a_partner_writes_on_the_actions_their_organisations_lead_or_support_and_no_others(world):
    """`Action.objects.editable_by`: led or supported by one of the person's organisations, each once;
    read through EXISTS on the two link tables (issue 26: PostgreSQL then reads the actions the rest of
    the query asks for, not every action of every plan, and no row is repeated)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actions.models import Action
    from csa_tracker.accounts.access import access_for
    from tests.factories import ActionFactory, MembershipFactory, OrganisationFactory

    third = OrganisationFactory(partnership=world.partnership, name="Third Council")
    MembershipFactory(user=world.users["partner"], partnership=world.partnership, organisation=third, role="partner")
    both = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org], supporters=[third])
    supported = ActionFactory(plan_priority=world.plan_priority, leads=[world.other_org], supporters=[world.own_org])
    ActionFactory(plan_priority=world.plan_priority, leads=[world.other_org], supporters=[world.other_org])
    access = access_for(world.users["partner"], world.partnership)
    with CaptureQueriesContext(connection) as captured:
        found = list(Action.objects.editable_by(access).order_by("pk").values_list("pk", flat=True))
    assert found == sorted([world.own_action.pk, both.pk, supported.pk])
    assert captured[0]["sql"].upper().count("EXISTS") == 2
    reviewer = access_for(world.users["working_group"], world.partnership)
    assert Action.objects.editable_by(reviewer).count() == Action.objects.in_partnership(world.partnership).count()
