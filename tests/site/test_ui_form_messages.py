"""Every form speaks plain English: errors name the field and say what to do, empty choices say what to
choose; Django's stock wording never reaches a person (issue 19)."""

import importlib
import inspect
import pkgutil
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse

from csa_tracker.forms import ProjectForm as PlainForm
from csa_tracker.messages import PlainMessages
from tests.url_matrix import MATRIX, ROLES

STOCK = (
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "---------",
    "Select a valid choice",
    "Enter a whole number",
    "Enter a number.",
    "already exists",
    "Order*",
)
PROJECT_PACKAGES = ("actions", "cycles", "priorities", "reports", "reviews", "spreadsheets", "csa_tracker")


class Example(PlainForm):
    title = forms.CharField(label="Title")
    short_name = forms.SlugField(label="Short name")
    starts = forms.DateField(label="First day of the plan")
    count = forms.IntegerField(label="Number of officers", max_value=10)
    share = forms.DecimalField(label="Share")
    kind = forms.ChoiceField(label="Kind", choices=[("", "---------"), ("a", "A")])
    area = forms.ChoiceField(label="Area", choices=[("x", "X")], widget=forms.RadioSelect)
    confirm = forms.BooleanField(label="I understand")
    link = forms.URLField(label="Link to the source", assume_scheme="https")
    own = forms.CharField(label="Reason", error_messages={"required": "Give a reason: it is recorded."})
    funding_source = forms.CharField()  # no label: Django makes "Funding source" from the name


def test_empty_form_names_each_field_and_what_to_do():
    form = Example(data={})
    assert not form.is_valid()
    assert form.errors == {
        "title": ["Enter the title."],
        "short_name": ["Enter the short name."],
        "starts": ["Enter the first day of the plan."],
        "count": ["Enter the number of officers."],
        "share": ["Enter the share."],
        "kind": ["Choose a kind."],
        "area": ["Choose an area."],
        "confirm": ["Tick “I understand” to go on."],
        "link": ["Enter the link to the source."],
        "own": ["Give a reason: it is recorded."],  # the form's own words are kept
        "funding_source": ["Enter the funding source."],
    }


def test_wrong_values_say_what_form_the_value_takes():
    form = Example(
        data={
            "title": "T",
            "short_name": "2018/19!",
            "starts": "31 Feb",
            "count": "twelve",
            "share": "a lot",
            "kind": "zzz",
            "area": "y",
            "confirm": "on",
            "link": "not a link",
            "own": "x",
            "funding_source": "x",
        }
    )
    assert not form.is_valid()
    assert form.errors["short_name"] == [
        "Enter the short name using only lower-case letters, numbers and hyphens, such as 2018-19."
    ]
    assert form.errors["starts"] == ["Enter the first day of the plan as a date, such as 31/03/2018."]
    assert form.errors["count"] == ["Number of officers must be a whole number, such as 3."]
    assert form.errors["share"] == ["Share must be a number, such as 12.5."]
    assert form.errors["kind"] == ["Choose the kind from the list; what was sent is not one of the options."]
    assert form.errors["area"] == ["Choose the area from the list; what was sent is not one of the options."]
    assert form.errors["link"] == [
        "Enter the link to the source as a full web address, such as https://www.kent.gov.uk/."
    ]


def test_limits_are_said_as_numbers():
    form = Example(data={"count": "11"})
    form.is_valid()
    assert form.errors["count"] == ["Number of officers must be 10 or less."]


def test_empty_choice_says_what_to_choose():
    assert list(Example().fields["kind"].choices)[0] == ("", "Choose a kind")


def project_form_classes():
    for package in PROJECT_PACKAGES:
        module = importlib.import_module(package)
        names = [f"{package}.forms"] + [
            f"{package}.{info.name}" for info in pkgutil.walk_packages(module.__path__) if "forms" in info.name
        ]
        for name in names:
            try:
                found = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(found, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == found.__name__:
                    yield cls
    from csa_tracker.accounts.two_factor import TokenForm

    yield TokenForm


def test_every_form_of_the_project_uses_the_plain_messages():
    classes = list(project_form_classes())
    assert "DecisionForm" in [cls.__name__ for cls in classes]  # the walk reaches the forms
    assert [cls.__name__ for cls in classes if not issubclass(cls, PlainMessages)] == []


def allowed_role(row):
    """A role the route serves (an unknown upload token is 404 even for them)."""
    return next(role for role in ROLES if row.expect["own"][role] != 403)


POST_ROUTES = sorted(name for name, row in MATRIX.items() if "post" in row.methods)


class PostForms(HTMLParser):
    """The post forms of a page (not the header's Sign out) as a browser would send them with every
    field left empty: hidden fields keep their values, the first submit button with a name is pressed."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post" and "logout" not in attrs.get("action", ""):
            self.current = {"action": attrs.get("action") or "", "data": {}, "pressed": False}
            self.forms.append(self.current)
        elif self.current is None or "name" not in attrs:
            return
        elif tag == "input" and attrs.get("type") == "hidden":
            self.current["data"][attrs["name"]] = attrs.get("value", "")
        elif (
            tag == "input"
            and attrs.get("type") not in ("checkbox", "radio", "submit", "file")
            or tag in ("textarea", "select")
        ):
            self.current["data"][attrs["name"]] = ""
        elif tag == "button" and not self.current["pressed"]:
            self.current["data"][attrs["name"]] = attrs.get("value", "")
            self.current["pressed"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def empty_submissions(html: str, url: str) -> list[tuple[str, dict]]:
    parser = PostForms()
    parser.feed(html)
    return [(form["action"] or url, form["data"]) for form in parser.forms]


@pytest.mark.parametrize("name", POST_ROUTES)
def test_every_form_sent_empty_answers_in_plain_english(world, client, name):
    """Each form of the app, as the role that may use it: the page, then each of its forms sent with
    every field empty, as a browser sends them."""
    row = MATRIX[name]
    client.force_login(world.users[allowed_role(row)])
    url = reverse(name, kwargs=row.kwargs(world, "own"))
    page = client.get(url, follow=True) if "get" in row.methods else client.post(url, {"x": ""}, follow=True)
    responses = [page]
    for action, data in empty_submissions(page.content.decode(), url):
        responses.append(client.post(action, data, follow=True))
    # Followed to the page shown; the matrix opens the import preview on an upload nobody made: 404.
    shown = 404 if row.expect["own"][allowed_role(row)] == 404 else 200
    for response in responses:
        assert response.status_code == shown
        html = response.content.decode()
        found = [phrase for phrase in STOCK if phrase in html]
        assert found == [], f"{name}: {found}"


CYCLE_DATES = ("period_start", "period_end", "update_deadline", "review_meeting", "governing_meeting")


def test_the_walk_sends_forms_and_gets_their_errors(world, client):
    """Guards the walk above: on the new-cycle page it really sends the form and sees its errors."""
    row = MATRIX["cycle_create"]
    client.force_login(world.users["working_group"])
    url = reverse("cycle_create", kwargs=row.kwargs(world, "own"))
    [(action, data)] = empty_submissions(client.get(url).content.decode(), url)
    assert set(data) == {"csrfmiddlewaretoken", "plan", "name", *CYCLE_DATES, "confirm_dates"}  # hidden till asked
    html = client.post(action, data).content.decode()
    assert "Plan: Choose a plan." in html
    assert "Name: Enter the name." in html
    assert "Update deadline: Enter the update deadline." in html


def test_the_sign_in_form_sent_empty_names_the_fields(db, client):
    html = client.post(reverse("login"), {}).content.decode()
    assert "Username: Enter the username." in html
    assert "Password: Enter the password." in html
    assert not [phrase for phrase in STOCK if phrase in html]
