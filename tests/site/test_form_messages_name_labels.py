"""Every message a form shows is a sentence naming its field's label (issue 25: "Starts: Enter the
starts.", "Choose a reported per"): each form of every page that takes a POST is sent empty, as a browser
sends it, and every error on the forms the answer shows must contain the label (as it reads inside a
sentence), start with a capital letter and end with a full stop."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils.text import capfirst

from csa_tracker.forms import ProjectForm
from csa_tracker.messages import a_or_an, noun
from tests.site.test_ui_form_messages import POST_ROUTES, allowed_role, empty_submissions
from tests.url_matrix import MATRIX


def shown_forms(response) -> list[forms.BaseForm]:
    """The bound forms in the contexts the response's templates were rendered with."""
    found = []
    for context in response.context or []:
        for layer in context.dicts:
            for value in layer.values():
                if isinstance(value, forms.BaseForm) and value.is_bound and value not in found:
                    found.append(value)
    return found


# A message made from the label ("Enter the starts on.", "Choose a reported per.") is a sentence only when
# the label is a noun phrase: one ending in a preposition is not.
DANGLING = frozenset({"on", "in", "per", "of", "at", "by", "for", "to", "from", "within"})
# "a area", "a a…": the article the one rule (`a_or_an`) would not choose ("a u…" is left: "a unitary").
WRONG_ARTICLE = re.compile(r"\ba [aeio]", re.IGNORECASE)
EMPTY_OPTION = re.compile(r'<option value=""[^>]*>([^<]*)</option>')


def reads_badly(text: str) -> bool:
    """A wrong article, or a question's mark followed by a full stop ("Choose a what are you importing?.")."""
    return bool(WRONG_ARTICLE.search(text)) or "?." in text


def bad_placeholders(page: str) -> list[str]:
    """Each empty choice of a select on `page` that reads badly or ends in a preposition ("Choose a within")."""
    return [
        text
        for text in EMPTY_OPTION.findall(page)
        if reads_badly(text) or text.split()[-1:] and text.split()[-1].casefold() in DANGLING
    ]


def bad_messages(form) -> list[str]:
    """Each error of `form` that is not a sentence naming its field's label."""
    bad = []
    for name, errors in form.errors.items():
        label = str(form[name].label) if name in form.fields else ""
        for message in errors:
            sentence = message[:1] == capfirst(message[:1]) and message.endswith((".", "?"))
            named = not label or noun(label).casefold() in message.casefold()
            if label.endswith("?"):  # a question is named by its words in the statement's order
                named = set(label.rstrip("?").casefold().split()) <= set(message.rstrip(".").casefold().split())
            made = label and message.casefold() in {
                f"enter the {noun(label)}.".casefold(),
                f"choose {a_or_an(noun(label))}.".casefold(),
            }
            dangling = made and label.split()[-1].casefold() in DANGLING
            if not (sentence and named) or dangling or reads_badly(message):
                bad.append(f"{type(form).__name__}.{name} ({label!r}): {message!r}")
    return bad


@pytest.mark.parametrize("name", POST_ROUTES)
def test_every_error_is_a_sentence_naming_the_label_in_one_summary(world, client, name):
    row = MATRIX[name]
    client.force_login(world.users[allowed_role(row)])
    url = reverse(name, kwargs=row.kwargs(world, "own"))
    page = client.get(url, follow=True) if "get" in row.methods else client.post(url, {"x": ""}, follow=True)
    bad = bad_placeholders(page.content.decode())
    summaries = []
    for action, data in empty_submissions(page.content.decode(), url):
        answer = client.post(action, data, follow=True)
        shown = shown_forms(answer)
        for form in shown:
            bad += bad_messages(form)
        # One error summary however many forms the page has: one alert, one place to start.
        refused = any(form.errors for form in shown)
        summaries.append((action, answer.content.decode().count('id="error-summary"'), int(refused)))
    assert bad == [], f"{name}: {bad}"
    assert [(action, count) for action, count, refused in summaries if count != refused] == []


class Reported(ProjectForm):
    starts = forms.DateField(label="Starts on")
    period_type = forms.ChoiceField(label="Reported per", choices=[("", "---------"), ("q", "Quarter")])
    reason = forms.CharField(label="Reason for the change", error_messages={"required": "Give a reason."})
    kind = forms.ChoiceField(label="Kind", choices=[("x", "X")], error_messages={"required": "Choose a area kind."})
    asked = forms.ChoiceField(label="Which?", choices=[("x", "X")], error_messages={"required": "Choose which?."})
    ends = forms.DateField(label="Last day of the plan")


def test_the_check_catches_the_messages_people_tripped_on():
    form = Reported(data={})
    assert bad_messages(form) == [
        "Reported.starts ('Starts on'): 'Enter the starts on.'",
        "Reported.period_type ('Reported per'): 'Choose a reported per.'",
        "Reported.reason ('Reason for the change'): 'Give a reason.'",
        "Reported.kind ('Kind'): 'Choose a area kind.'",
        "Reported.asked ('Which?'): 'Choose which?.'",
    ]


def test_the_check_catches_placeholders_that_are_no_sentence():
    page = '<option value="" selected>Choose a within</option><option value="">Choose a area</option>'
    page += '<option value="">Choose an area</option>'
    assert bad_placeholders(page) == ["Choose a within", "Choose a area"]
