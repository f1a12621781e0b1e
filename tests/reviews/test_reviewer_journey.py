"""The Working Group reviews what was submitted, sees what changed, and decides."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from actions.models import Action, ProgressUpdate
from csa_tracker.accounts.access import access_for
from csa_tracker.refusals import NotAllowed
from tests.audit_entries import entries
from tests.factories import ProgressUpdateFactory, ReadingFactory, StatusFactory
from tests.reviewing import colleague_of
from workflow.models import Escalation, ReviewState
from workflow.services import item_publish, item_submit
from workflow.transitions import Transition


def access_of(world, role):
    return access_for(world.users[role], world.partnership)


@pytest.fixture
def reviewer(world, client_as):
    return client_as(world.users["working_group"])


def review_url(item, kind="update"):
    return reverse(f"review_{kind}", kwargs={"partnership": "kent-test", "pk": item.pk})


def test_review_page_shows_a_word_diff_marked_in_text(world, reviewer):
    update = world.submitted_updates["own"]
    update.text = "Own published progress, now with dates."
    update.save()
    page = reviewer.get(review_url(update)).content.decode()
    assert "deleted: </span>" in page and "inserted: </span>" in page
    assert "[−" in page and "[+" in page
    assert "progress." in page and "dates." in page


def test_returning_needs_a_comment(world, reviewer):
    update = world.submitted_updates["own"]
    response = reviewer.post(review_url(update), {"decision": "return", "comment": " ", "version": update.version})
    assert "a comment is required" in response.content.decode()
    update.refresh_from_db()
    assert update.state == ReviewState.SUBMITTED


def test_return_sends_the_comment_to_the_submitter(world, reviewer, django_capture_on_commit_callbacks):
    update = world.submitted_updates["own"]
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(
            review_url(update), {"decision": "return", "comment": "Please add dates.", "version": update.version}
        )
    update.refresh_from_db()
    assert update.state == ReviewState.RETURNED
    event = entries(update, verb=Transition.RETURN).get()
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        ReviewState.SUBMITTED,
        ReviewState.RETURNED,
        "Please add dates.",
        world.users["working_group"],
    )
    assert mail.outbox[-1].to == [world.users["partner"].email]
    assert "Please add dates." in mail.outbox[-1].body


def test_publishing_replaces_the_published_version_and_keeps_the_old_one(
    world, reviewer, client_as, django_capture_on_commit_callbacks
):
    delayed = StatusFactory(partnership=world.partnership, name="Delayed", severity=3, order=3)
    update = world.submitted_updates["own"]
    update.status = delayed
    update.save()
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(review_url(update), {"decision": "publish", "version": update.version})
    update.refresh_from_db()
    assert update.state == ReviewState.PUBLISHED
    assert mail.outbox[-1].to == [world.users["partner"].email]
    assert mail.outbox[-1].subject.startswith("Published:")
    assert Action.objects.get(pk=world.own_action.pk).status == delayed
    plan_page = client_as(world.users["governing"]).get(
        reverse("priority_detail", kwargs={"partnership": "kent-test", "plan": "2017-18", "priority": "road-safety"})
    )
    assert "Submitted progress (own)." in plan_page.content.decode()
    assert "Own published progress." not in plan_page.content.decode()
    history = client_as(world.users["governing"]).get(
        reverse("action_detail", kwargs={"partnership": "kent-test", "pk": world.own_action.pk})
    )
    assert "Own published progress." in history.content.decode()  # every published version stays browsable


def test_publish_and_escalate_shows_on_the_governing_groups_list(world, reviewer, client_as):
    update = world.submitted_updates["own"]
    reviewer.post(
        review_url(update),
        {
            "decision": "publish",
            "escalate": "on",
            "escalation_note": "Funding gap from April.",
            "version": update.version,
        },
    )
    escalation = Escalation.objects.get(update=update)
    assert escalation.cycle == world.cycle
    page = client_as(world.users["governing"]).get(reverse("escalations", kwargs={"partnership": "kent-test"}))
    assert "Funding gap from April." in page.content.decode()


def test_escalating_without_a_note_is_refused(world, reviewer):
    update = world.submitted_updates["own"]
    response = reviewer.post(review_url(update), {"decision": "publish", "escalate": "on", "version": update.version})
    assert "Write a note for the governing group" in response.content.decode()
    assert not Escalation.objects.exists()


def test_second_reviewer_deciding_a_stale_copy_is_told_and_nothing_changes(world, reviewer):
    update = world.submitted_updates["own"]
    seen_version = update.version
    reviewer.post(review_url(update), {"decision": "publish", "version": seen_version})
    response = reviewer.post(
        review_url(update), {"decision": "return", "comment": "No.", "version": seen_version}, follow=True
    )
    update.refresh_from_db()
    assert update.state == ReviewState.PUBLISHED
    assert "changed while you were looking at it" in response.content.decode()
    assert not entries(update, verb=Transition.RETURN).exists()


def test_partner_cannot_publish_their_own_update(world):
    update = world.submitted_updates["own"]
    with pytest.raises(NotAllowed):
        item_publish(access=access_of(world, "partner"), item=update, version=update.version)


def test_correcting_published_wording_needs_a_reason_and_keeps_history(world, reviewer):
    published = world.published_updates["own"]
    url = reverse("update_correct", kwargs={"partnership": "kent-test", "pk": published.pk})
    data = {"text": "Own published progress, with the typo fixed.", "status": published.status_id, "flag": ""}
    refused = reviewer.post(url, data)
    assert "Enter the reason for the correction." in refused.content.decode()
    reviewer.post(url, {**data, "correction-reason": "Typo in the published text."})
    corrected = ProgressUpdate.objects.get(corrects=published)
    assert corrected.state == ReviewState.SUBMITTED  # four eyes: another member of the Working Group publishes it
    assert world.own_action.latest_published == published
    item_publish(access=colleague_of(access_of(world, "working_group")), item=corrected, version=corrected.version)
    corrected.refresh_from_db()
    assert corrected.correction_reason == "Typo in the published text."
    assert world.own_action.latest_published == corrected
    assert [entry.verb for entry in entries(corrected)] == [Transition.CORRECT, Transition.PUBLISH]
    assert ProgressUpdate.objects.filter(pk=published.pk, state=ReviewState.PUBLISHED).exists()


def test_audit_trail_exports_as_csv_with_formula_cells_neutralised(world, reviewer):
    update = world.submitted_updates["own"]
    reviewer.post(review_url(update), {"decision": "return", "comment": '=HYPERLINK("x")', "version": update.version})
    response = reviewer.get(reverse("update_history_csv", kwargs={"partnership": "kent-test", "pk": update.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["When", "Who", "About", "What", "From state", "To state", "Reason or comment", "Changes"]
    assert rows[-1][3:7] == ["Returned", "submitted", "returned", '\'=HYPERLINK("x")']


def test_queue_lists_flagged_items_first_then_oldest(world, reviewer):
    world.submitted_updates["other_org"].flag = "significant_change"
    world.submitted_updates["other_org"].flag_reason = "New funding"
    world.submitted_updates["other_org"].flagged = True  # stored beside the flag by the review engine
    world.submitted_updates["other_org"].save()
    page = reviewer.get(reverse("review_queue", kwargs={"partnership": "kent-test"})).content.decode()
    assert page.index("Other council") < page.index("Own council")
    assert "Submitted progress (other_partnership)" not in page


def test_queue_query_count_does_not_grow(world, reviewer, django_assert_max_num_queries, pages_built_every_time):
    from tests.factories import ActionFactory

    url = reverse("review_queue", kwargs={"partnership": "kent-test"})
    reviewer.get(url)
    for _ in range(15):
        action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
        ProgressUpdateFactory(
            action=action, cycle=world.cycle, state=ReviewState.SUBMITTED, author=world.users["partner"]
        )
    with django_assert_max_num_queries(12):
        assert reviewer.get(url).status_code == 200


class TestRuleFlags:
    def submit(self, world, update):
        return item_submit(access=access_of(world, "partner"), item=update, version=update.version)

    def test_status_worsened(self, world):
        update = world.submitted_updates["own"]
        update.state, update.status = (
            ReviewState.DRAFT,
            StatusFactory(partnership=world.partnership, name="Delayed", severity=3),
        )
        update.save()
        rules = [flag["rule"] for flag in self.submit(world, update).rule_flags]
        assert rules == ["status_worsened"]

    def test_past_due_and_not_complete(self, world):
        world.own_action.due_date = date.today() - timedelta(days=1)
        world.own_action.save()
        update = world.submitted_updates["own"]
        update.state = ReviewState.DRAFT
        update.save()
        assert [flag["rule"] for flag in self.submit(world, update).rule_flags] == ["overdue"]

    def test_first_update_of_a_new_action(self, world):
        from tests.factories import ActionFactory

        action = ActionFactory(plan_priority=world.plan_priority, leads=[world.own_org])
        update = ProgressUpdateFactory(action=action, cycle=world.cycle)
        flags = self.submit(world, update).rule_flags
        assert flags == [{"rule": "first_update", "message": "First update of a new action."}]

    def test_no_rule_fires_for_an_ordinary_update(self, world):
        update = world.submitted_updates["own"]
        update.state = ReviewState.DRAFT
        update.save()
        assert self.submit(world, update).rule_flags == []

    @pytest.mark.parametrize(("value", "fires"), [(5799 * 1.11, True), (5799 * 1.09, False), (5799 * 0.85, True)])
    def test_reading_moving_past_the_threshold(self, world, value, fires):
        reading = ReadingFactory(
            indicator=world.indicator,
            value=round(value),
            period_start=date(2016, 1, 1),
            period_end=date(2016, 12, 31),
            state="draft",
        )
        world.indicator.readings.filter(period_end=date(2016, 12, 31), state="published").delete()
        flags = self.submit(world, reading).rule_flags
        assert ("moved_beyond_threshold" in [flag["rule"] for flag in flags]) is fires


def test_reading_review_shows_the_figure_against_its_comparison_period(world, reviewer):
    reading = world.submitted_readings["own"]  # 150 for 2018; the world has no 2017 figure
    ReadingFactory(indicator=world.indicator, value=120, period_start=date(2017, 1, 1), period_end=date(2017, 12, 31))
    page = reviewer.get(review_url(reading, "reading")).content.decode()
    assert "up 25.0% from 120 to 150, 30 more" in page
    assert "2017 (Jan–Dec)" in page


def test_working_group_dashboard_counts_the_queue_and_its_flags(world, reviewer):
    world.submitted_updates["own"].flag = "area_of_concern"
    world.submitted_updates["own"].flag_reason = "Funding gap"
    world.submitted_updates["own"].flagged = True  # stored beside the flag by the review engine
    world.submitted_updates["own"].save()
    page = reviewer.get(reverse("working_group_dashboard", kwargs={"partnership": "kent-test"})).content.decode()
    # Two updates and two readings of this partnership wait; one is flagged.
    assert "<strong>4</strong> items waiting for review, <strong>1</strong> flagged." in page


def test_escalations_and_returns_reach_the_dashboards(world, reviewer, client_as):
    from workflow.services import item_escalate, item_return

    wg = access_of(world, "working_group")
    item_escalate(access=wg, item=world.published_updates["own"], note="Governing group must decide on funding.")
    update = world.submitted_updates["own"]
    item_return(access=wg, item=update, version=update.version, comment="Add dates.")
    governing = client_as(world.users["governing"]).get(reverse("dashboard", kwargs={"partnership": "kent-test"}))
    assert "Governing group must decide on funding." in governing.content.decode()
    mine = client_as(world.users["partner"]).get(reverse("my_dashboard", kwargs={"partnership": "kent-test"}))
    assert "Own council&#x27;s action" in mine.content.decode().split("Returned to you")[1].split("</section>")[0]


def test_queue_and_review_page_show_an_item_whose_author_left(world, reviewer):
    update = world.submitted_updates["own"]
    update.author = None
    update.save()
    assert reviewer.get(reverse("review_queue", kwargs={"partnership": "kent-test"})).status_code == 200
    page = reviewer.get(review_url(update)).content.decode()
    assert 'Submitted by</dt><dd class="col-sm-9">—' in page


def test_queue_pages_put_flagged_first_and_show_every_item_once(world, reviewer):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ActionFactory

    start = timezone.now() - timedelta(days=60)
    made = []
    for number in range(28):
        action = ActionFactory(
            plan_priority=world.plan_priority, leads=[world.own_org], wording=f"Queued action {number:02d}"
        )
        made.append(
            ProgressUpdateFactory(
                action=action,
                cycle=world.cycle,
                state=ReviewState.SUBMITTED,
                author=world.users["partner"],
                submitted_at=start + timedelta(days=number),
                flag="significant_change" if number in (20, 27) else "",
                flag_reason="Flagged" if number in (20, 27) else "",
            )
        )
    url = reverse("review_queue", kwargs={"partnership": "kent-test"})
    first = reviewer.get(url).context["page"]
    second = reviewer.get(url, {"page": 2}).context["page"]
    seen = [(item.kind.name, item.pk) for item in [*first.object_list, *second.object_list]]
    assert first.paginator.count == 32  # 28 here, 2 updates and 2 readings in the world
    assert len(seen) == len(set(seen)) == 32
    assert [item.pk for item in first.object_list[:2]] == [made[20].pk, made[27].pk]
    waiting = [item.submitted_at for item in first.object_list[2:]] + [item.submitted_at for item in second.object_list]
    assert waiting == sorted(waiting)
