"""Plan settings (issue 14): the plan's version or "Rolling" label, whether the report's action table
has a lead-agency column, and (issue 27) the report's layout on paper."""

from django.urls import reverse

from priorities.models import ActionTable, Plan
from tests.audit_entries import entries
from tests.reports.test_reports import BASE


def settings_url():
    return reverse("settings_plan", kwargs={"partnership": "kent-test", "plan": "2017-18"})


def test_the_report_shows_the_lead_agency_column_and_version_when_chosen(world, reviewer):
    before = reviewer.get(f"{BASE}/preview/").content.decode()
    assert '<th scope="col" class="col-action">Actions</th><th scope="col">Progress</th>' in before
    response = reviewer.post(
        settings_url(), {"version_label": " Rolling ", "action_table": ActionTable.LEAD_AGENCY, "report_layout": "full"}
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk=world.plan.pk)
    assert (plan.version_label, plan.action_table) == ("Rolling", "lead_agency")
    page = reviewer.get(f"{BASE}/preview/").content.decode()
    assert '<th scope="col">Lead agency</th><th scope="col">Progress</th>' in page
    assert '<td data-label="Lead agency">Own District Council</td>' in page
    assert "<dt>Plan version</dt><dd>Rolling</dd>" in page


def test_an_unknown_table_choice_is_an_error_on_its_field(world, reviewer):
    response = reviewer.post(
        settings_url(), {"version_label": "Version 2", "action_table": "three_columns", "report_layout": "full"}
    )
    page = response.content.decode()
    assert "what was sent is not one of the options" in page
    assert 'value="Version 2"' in page
    assert Plan.objects.get(pk=world.plan.pk).version_label == ""


def test_saving_unchanged_plan_settings_changes_nothing(world, reviewer):
    history = entries(world.plan).count()
    response = reviewer.post(
        settings_url(), {"version_label": "", "action_table": "progress", "report_layout": "full"}, follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    assert entries(world.plan).count() == history
