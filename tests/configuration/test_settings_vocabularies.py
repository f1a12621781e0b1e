"""A partnership keeps its own statuses, funding sources, themes and organisations (issue 14):
the Working Group and administrators manage them under /<partnership>/settings/, forms offer only
the partnership's own entries, and an entry still in use is never deleted."""

import pytest
from django.urls import reverse

from actions.models import Action, FundingSource, Status, Theme
from csa_tracker.accounts.models import Organisation, Partnership
from demo.loader import DEMO_PLANS, load_plan
from tests.factories import FundingSourceFactory, OrganisationFactory, StatusFactory, ThemeFactory


def url(name, **kwargs):
    return reverse(name, kwargs={"partnership": "kent-test", **kwargs})


def test_rating_follows_severity():
    ratings = {severity: Status(severity=severity).rating for severity in range(5)}
    assert ratings == {0: "green", 1: "green", 2: "amber", 3: "red", 4: "red"}


def test_working_group_adds_a_status_and_sees_its_rating(world, reviewer):
    response = reviewer.post(
        url("settings_vocabulary_new", kind="statuses"),
        {"name": "  On  hold ", "order": 5, "severity": 2, "is_complete": ""},
        follow=True,
    )
    status = Status.objects.get(partnership=world.partnership, name="On hold")
    assert (status.order, status.severity, status.is_complete, status.rating) == (5, 2, False, "amber")
    page = response.content.decode()
    assert "Status “On hold” saved." in page
    assert '<td data-label="Rating">Amber</td>' in page


def test_a_severity_beyond_the_scale_is_refused_keeping_what_was_typed(world, reviewer):
    typed = {"name": "On hold", "order": 5, "severity": "99999999999999999999", "is_complete": ""}
    page = reviewer.post(url("settings_vocabulary_new", kind="statuses"), typed).content.decode()
    assert "Severity must be 9 or less." in page
    assert 'value="99999999999999999999"' in page and 'value="On hold"' in page
    assert not Status.objects.filter(partnership=world.partnership, name="On hold").exists()


def test_administrator_manages_the_lists_too(world, client_as):
    admin = client_as(world.users["admin"])
    admin.post(url("settings_vocabulary_new", kind="funding-sources"), {"name": "Home Office grant"})
    assert FundingSource.objects.filter(partnership=world.partnership, name="Home Office grant").exists()


def test_a_duplicate_name_is_refused_on_the_field_and_what_was_typed_is_kept(world, reviewer):
    StatusFactory(partnership=world.partnership, name="Delayed", severity=3)
    response = reviewer.post(
        url("settings_vocabulary_new", kind="statuses"), {"name": "delayed ", "order": 9, "severity": 1}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is already a status called “delayed” in this partnership." in page
    assert 'value="delayed "' in page  # as typed
    assert Status.objects.filter(partnership=world.partnership, name__iexact="delayed").count() == 1


def test_the_same_name_in_another_partnership_is_fine(world, reviewer):
    ThemeFactory(partnership=world.other_partnership, name="Vulnerability")
    reviewer.post(url("settings_vocabulary_new", kind="themes"), {"name": "Vulnerability", "order": 1})
    assert Theme.objects.filter(name="Vulnerability").count() == 2


def test_a_form_saved_unchanged_changes_nothing(world, reviewer):
    theme = ThemeFactory(partnership=world.partnership, name="Vulnerability", order=1)
    response = reviewer.post(
        url("settings_vocabulary_edit", kind="themes", pk=theme.pk), {"name": "Vulnerability", "order": 1}, follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    theme.refresh_from_db()
    assert (theme.name, theme.order) == ("Vulnerability", 1)


def test_reordering_changes_the_order_lists_use(world, reviewer):
    first = ThemeFactory(partnership=world.partnership, name="Vulnerability", order=1)
    second = ThemeFactory(partnership=world.partnership, name="Prevention", order=2)
    reviewer.post(url("settings_vocabulary_edit", kind="themes", pk=second.pk), {"name": "Prevention", "order": 0})
    assert list(Theme.objects.in_partnership(world.partnership)) == [second, first]


def test_deleting_a_status_in_use_is_refused_saying_where_it_is_used(world, reviewer):
    status = world.own_action.status
    delete = url("settings_vocabulary_delete", kind="statuses", pk=status.pk)
    page = reviewer.get(delete).content.decode()
    assert "cannot be deleted: it is used by 2 actions in Test Agreement 2017/18" in page
    assert "progress updates in Test Agreement 2017/18" in page
    response = reviewer.post(delete)
    assert response.status_code == 200
    assert Status.objects.filter(pk=status.pk).exists()


def test_deleting_an_organisation_in_use_says_by_what(world, reviewer):
    page = reviewer.get(url("settings_vocabulary_delete", kind="organisations", pk=world.own_org.pk)).content.decode()
    assert "4 person&#x27;s roles" in page
    assert "1 action led in Test Agreement 2017/18" in page
    reviewer.post(url("settings_vocabulary_delete", kind="organisations", pk=world.own_org.pk))
    assert Organisation.objects.filter(pk=world.own_org.pk).exists()


def test_an_unused_entry_is_deleted_after_confirmation(world, reviewer):
    funding = FundingSourceFactory(partnership=world.partnership, name="Lottery")
    delete = url("settings_vocabulary_delete", kind="funding-sources", pk=funding.pk)
    page = reviewer.get(delete).content.decode()
    assert "Nothing uses “Lottery”" in page
    assert FundingSource.objects.filter(pk=funding.pk).exists()
    response = reviewer.post(delete, follow=True)
    assert "Funding source “Lottery” deleted." in response.content.decode()
    assert not FundingSource.objects.filter(pk=funding.pk).exists()


def test_another_partnerships_entry_is_not_found_under_our_address(world, reviewer):
    theirs = ThemeFactory(partnership=world.other_partnership, name="Theirs")
    assert reviewer.get(url("settings_vocabulary_edit", kind="themes", pk=theirs.pk)).status_code == 404
    assert reviewer.post(url("settings_vocabulary_delete", kind="themes", pk=theirs.pk)).status_code == 404
    assert Theme.objects.filter(pk=theirs.pk).exists()


def test_an_unknown_list_is_not_found(world, reviewer):
    assert reviewer.get(url("settings_vocabulary", kind="colours")).status_code == 404


def test_organisation_list_searches_by_name(world, reviewer):
    OrganisationFactory(partnership=world.partnership, name="Kent Fire and Rescue Service")
    page = reviewer.get(url("settings_vocabulary", kind="organisations"), {"q": "fire"}).content.decode()
    assert "Kent Fire and Rescue Service" in page
    assert "Own District Council" not in page


def action_form_data(world, **overrides):
    data = {
        "wording": "Run a themed campaign",
        "leads": [world.own_org.pk],
        "supporters": [],
        "status": world.own_action.status_id,
        "order": 4,
    }
    return {**data, **overrides}


def test_themes_are_chosen_on_the_action_form(world, reviewer):
    theme = ThemeFactory(partnership=world.partnership, name="Vulnerability")
    new = url("action_new", plan="2017-18", priority="road-safety")
    assert "Vulnerability" in reviewer.get(new).content.decode()
    reviewer.post(new, action_form_data(world, themes=[theme.pk]))
    assert list(Action.objects.get(wording="Run a themed campaign").themes.all()) == [theme]


@pytest.mark.parametrize("field", ["status", "funding", "themes", "leads"])
def test_another_partnerships_entry_is_an_error_on_its_field(world, reviewer, field):
    theirs = {
        "status": lambda: StatusFactory(partnership=world.other_partnership, name="Theirs"),
        "funding": lambda: FundingSourceFactory(partnership=world.other_partnership),
        "themes": lambda: ThemeFactory(partnership=world.other_partnership),
        "leads": lambda: OrganisationFactory(partnership=world.other_partnership),
    }[field]()
    value = [theirs.pk] if field in ("themes", "leads") else theirs.pk
    response = reviewer.post(
        url("action_new", plan="2017-18", priority="road-safety"), action_form_data(world, **{field: value})
    )
    assert response.status_code == 200
    assert "Choose from this partnership&#x27;s own list." in response.content.decode()
    assert not Action.objects.filter(wording="Run a themed campaign").exists()


def test_progress_form_refuses_another_partnerships_status(world, client_as):
    partner = client_as(world.users["partner"])
    world.submitted_updates["own"].delete()
    theirs = StatusFactory(partnership=world.other_partnership, name="Theirs")
    response = partner.post(
        url("update_start", pk=world.own_action.pk), {"text": "Done.", "status": theirs.pk, "flag": "", "save": "1"}
    )
    assert "Choose one of this partnership&#x27;s statuses." in response.content.decode()


@pytest.fixture
def demo(db):
    for path in DEMO_PLANS:
        load_plan(path)
    return Partnership.objects.get(slug="kent"), Partnership.objects.get(slug="maidstone")


def _offered(form, field, partnership) -> set[int]:
    """Which of `partnership`'s entries the form's `field` offers."""
    model = form.fields[field].queryset.model
    offered = {pk for pk, _ in form.fields[field].choices if pk}
    own = set(model.objects.filter(partnership=partnership).values_list("pk", flat=True))
    return {int(str(pk)) for pk in offered} & own


def test_kent_and_maidstone_see_none_of_each_others_vocabulary(demo, client_as):
    from tests.factories import MembershipFactory, UserFactory

    kent, maidstone = demo
    user = UserFactory()
    for partnership in demo:
        MembershipFactory(
            user=user,
            partnership=partnership,
            organisation=Organisation.objects.filter(partnership=partnership).first(),
            role="working_group",
        )
    client = client_as(user)
    for here, there in ((kent, maidstone), (maidstone, kent)):
        plan_priority = here.plans.get().plan_priorities.select_related("priority").first()
        form = client.get(
            reverse(
                "action_new",
                kwargs={
                    "partnership": here.slug,
                    "plan": plan_priority.plan.slug,
                    "priority": plan_priority.priority.slug,
                },
            )
        ).context["form"]
        for field in ("status", "funding", "leads", "supporters"):
            assert _offered(form, field, here), f"{here.slug} offers its own {field}"
            assert _offered(form, field, there) == set(), f"{here.slug} offers {there.slug}'s {field}"
    assert Status.objects.filter(partnership=kent).count() == Status.objects.filter(partnership=maidstone).count() == 4


def test_every_settings_change_is_in_the_audit_trail_with_who_and_what(world, reviewer):
    from csa_tracker.audit.models import AuditEntry
    from tests.factories import GeographyFactory

    new = url("settings_vocabulary_new", kind="statuses")
    reviewer.post(new, {"name": "On hold", "order": 5, "severity": 2, "is_complete": ""})
    status = Status.objects.get(partnership=world.partnership, name="On hold")
    edit = url("settings_vocabulary_edit", kind="statuses", pk=status.pk)
    reviewer.post(edit, {"name": "Paused", "order": 5, "severity": 2, "is_complete": ""})
    reviewer.post(url("settings_vocabulary_delete", kind="statuses", pk=status.pk))
    reviewer.post(url("settings_year"), {"year_start_month": "10"})
    area = GeographyFactory(partnership=world.partnership, name="Ashford", kind="district")
    reviewer.post(url("settings_populations", pk=area.pk), {"year": "2017", "value": "130000"})
    trail = AuditEntry.objects.filter(partnership=world.partnership).order_by("at", "pk")
    summaries = [entry.summary for entry in trail]
    assert summaries[-5:] == [
        "Status “On hold” added",
        "Status “Paused” changed",
        "Status “Paused” deleted",
        "Year start changed",
        "2017 population of Ashford added: 130,000",
    ]
    renamed = trail.get(summary="Status “Paused” changed")
    assert renamed.actor == world.users["working_group"] and renamed.changes["Name"] == ["On hold", "Paused"]
