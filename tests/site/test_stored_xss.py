"""Hostile text typed into every free-text field never reaches a page as live markup."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from workflow.models import ReviewState

PROBES = [
    "<script>alert('x1')</script>",
    "<img src=x onerror=\"alert('x2')\">",
    "[click](javascript:alert('x3'))",
    "\"><svg onload=alert('x4')>",
]
PAYLOAD = "Progress " + " ".join(PROBES)


class LiveMarkup(HTMLParser):
    """Collects what a browser would execute: event handlers, scripts, javascript: links, svg."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.found.append("<script> without a static source")
        if tag in ("svg", "img", "iframe"):
            self.found.append(f"<{tag}>")


def assert_inert(html: str):
    parser = LiveMarkup()
    parser.feed(html)
    assert parser.found == []


@pytest.fixture
def hostile_world(world, client_as, django_capture_on_commit_callbacks):
    """Every free-text field filled with probes through the forms people use."""
    partner, reviewer = client_as(world.users["partner"]), None
    world.submitted_updates["own"].delete()
    start = reverse("update_start", kwargs={"partnership": "kent-test", "pk": world.own_action.pk})
    partner.post(
        start,
        {
            "text": PAYLOAD,
            "status": world.own_action.status_id,
            "flag": "area_of_concern",
            "flag_reason": PAYLOAD,
            "submit": "1",
        },
    )
    update = ProgressUpdate.objects.get(action=world.own_action, state=ReviewState.SUBMITTED)
    reading = world.submitted_readings["own"]
    reading.source_note = PAYLOAD
    reading.flag, reading.flag_reason = "significant_change", PAYLOAD
    reading.save()
    reviewer = client_as(world.users["working_group"])
    review = reverse("review_update", kwargs={"partnership": "kent-test", "pk": update.pk})
    reviewer.post(review, {"decision": "return", "comment": PAYLOAD, "version": update.version})
    update.refresh_from_db()
    partner = client_as(world.users["partner"])
    edit = reverse("update_edit", kwargs={"partnership": "kent-test", "pk": update.pk})
    partner.post(
        edit, {"text": PAYLOAD, "status": update.status_id, "flag": "", "version": update.version, "submit": "1"}
    )
    update.refresh_from_db()
    reviewer = client_as(world.users["working_group"])
    reviewer.post(
        review,
        {
            "decision": "publish",
            "escalate": "on",
            "escalation_note": PAYLOAD,
            "comment": PAYLOAD,
            "version": update.version,
        },
    )
    update.refresh_from_db()
    assert update.state == ReviewState.PUBLISHED
    correct = reverse("update_correct", kwargs={"partnership": "kent-test", "pk": update.pk})
    reviewer.post(correct, {"text": PAYLOAD, "status": update.status_id, "flag": "", "correction-reason": PAYLOAD})
    return world, update, reading


def pages(world, update, reading) -> dict[str, str]:
    """The pages that show the probes, by route name."""
    slug = "kent-test"
    return {
        "priority_detail": reverse(
            "priority_detail", kwargs={"partnership": slug, "plan": "2017-18", "priority": "road-safety"}
        ),
        "action_detail": reverse("action_detail", kwargs={"partnership": slug, "pk": world.own_action.pk}),
        "my_work": reverse("my_work", kwargs={"partnership": slug}),
        "review_queue": reverse("review_queue", kwargs={"partnership": slug}),
        "escalations": reverse("escalations", kwargs={"partnership": slug}),
        "update_edit": reverse("update_edit", kwargs={"partnership": slug, "pk": update.pk}),
        "update_history": reverse("update_history", kwargs={"partnership": slug, "pk": update.pk}),
        "review_update": reverse("review_update", kwargs={"partnership": slug, "pk": update.pk}),
        "review_reading": reverse("review_reading", kwargs={"partnership": slug, "pk": reading.pk}),
        "reading_edit": reverse("reading_edit", kwargs={"partnership": slug, "pk": reading.pk}),
    }


# The pages each role opens; the others refuse it (tests/url_matrix.py).
EVERYONE = {"priority_detail", "action_detail"}
OPENED = {
    # The escalations page opens for partners with their own escalations and requests only (issue 25).
    "partner": EVERYONE | {"my_work", "escalations", "update_edit", "reading_edit"},
    "working_group": EVERYONE
    | {
        "my_work",
        "review_queue",
        "escalations",
        "update_edit",
        "update_history",
        "review_update",
        "review_reading",
        "reading_edit",
    },  # fmt: skip
    "governing": EVERYONE | {"escalations", "update_edit"},  # the update is published: readable by all
}


@pytest.mark.parametrize("role", ["partner", "working_group", "governing"])
def test_probes_in_every_free_text_field_render_inert_on_every_page(hostile_world, client_as, role):
    world, update, reading = hostile_world
    client = client_as(world.users[role])
    opened = set()
    for name, url in pages(world, update, reading).items():
        response = client.get(url)
        if response.status_code == 200:
            opened.add(name)
            assert_inert(response.content.decode())
    assert opened == OPENED[role]


def test_probe_text_is_kept_as_text_not_dropped(hostile_world, client_as):
    world, update, _ = hostile_world
    page = client_as(world.users["working_group"]).get(
        reverse("update_history", kwargs={"partnership": "kent-test", "pk": update.pk})
    )
    assert "&lt;script&gt;alert(&#x27;x1&#x27;)&lt;/script&gt;" in page.content.decode()
