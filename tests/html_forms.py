"""Reading the forms of a rendered page as a browser would, to post back exactly what it shows.

`page_forms(html)` gives each `<form>` with its method, action, the values a browser would send
without any change (text inputs, hidden inputs, dates, checked boxes and radios, selected options,
textareas) and its submit buttons. Only what a browser sends: disabled fields and unchecked boxes
are left out; a textarea's first newline after the tag is dropped, as the HTML parser does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SKIPPED_INPUTS = {"submit", "button", "reset", "image", "file"}


@dataclass
class FormField:
    name: str
    kind: str  # "input:<type>", "textarea", "select"
    max_chars: int | None = None
    maxlength: int | None = None
    value: str | None = None  # a checkbox's or radio's value, sent when it is checked


@dataclass
class PageForm:
    method: str
    action: str
    values: list[tuple[str, str]] = field(default_factory=list)
    fields: list[FormField] = field(default_factory=list)
    buttons: list[dict] = field(default_factory=list)

    def data(self, button: str | None = None, **overrides) -> dict:
        """What the browser posts, as a dict of lists for the test client; `button` is the clicked
        submit button's name (sent with its value), `overrides` replace values."""
        posted: dict[str, list[str]] = {}
        for name, value in self.values:
            posted.setdefault(name, []).append(value)
        if button:
            found = next(b for b in self.buttons if b.get("name") == button)
            posted[button] = [found.get("value", "")]
        for name, value in overrides.items():
            posted[name] = value if isinstance(value, list) else [value]
        return posted

    def text_fields(self) -> list[FormField]:
        return [
            f for f in self.fields if f.kind in ("textarea", "input:text", "input:email", "input:url", "input:search")
        ]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self.form: PageForm | None = None
        self.select: tuple[str, bool, list, list] | None = None  # name, multiple, selected, first option
        self.option: dict | None = None
        self.textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = PageForm(method=(a.get("method") or "get").lower(), action=a.get("action") or "")
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        disabled = "disabled" in a
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                self.form.buttons.append(a)
                return
            if not name or disabled or kind in SKIPPED_INPUTS:
                return
            choice = a.get("value", "on") if kind in ("checkbox", "radio") else None
            self.form.fields.append(
                FormField(name, f"input:{kind}", _int(a.get("data-max-chars")), _int(a.get("maxlength")), choice)
            )
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.values.append((name, a.get("value", "on")))
            elif kind == "date":
                # The browser's value sanitisation: anything but YYYY-MM-DD shows, and is sent, empty.
                value = a.get("value", "")
                self.form.values.append((name, value if ISO_DATE.fullmatch(value) else ""))
            else:
                self.form.values.append((name, a.get("value", "")))
        elif tag == "button":
            if (a.get("type") or "submit").lower() == "submit":
                self.form.buttons.append(a)
        elif tag == "textarea" and a.get("name") and not disabled:
            self.textarea = (a["name"], [])
            self.form.fields.append(
                FormField(a["name"], "textarea", _int(a.get("data-max-chars")), _int(a.get("maxlength")))
            )
        elif tag == "select" and a.get("name") and not disabled:
            self.select = (a["name"], "multiple" in a, [], [])
            self.form.fields.append(FormField(a["name"], "select"))
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": []}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        if self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            value = self.option["value"] if self.option["value"] is not None else "".join(self.option["text"]).strip()
            if self.option["selected"]:
                self.select[2].append(value)
            if not self.select[3]:
                self.select[3].append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            name, multiple, selected, first = self.select
            chosen = selected if multiple else (selected[-1:] or first)  # a single select sends its first option
            self.form.values.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            text = text[1:] if text.startswith("\n") else text
            # Browsers send a textarea's line breaks as CRLF, whatever the page had.
            self.form.values.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self.textarea = None
        elif tag == "form":
            self.form = None


def _int(value):
    return int(value) if value and value.isdigit() else None


def page_forms(html: str) -> list[PageForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def post_forms(html: str, url: str) -> list[PageForm]:
    """The page's forms that post back to the page itself (not sign-out, withdraw and the like)."""
    return [form for form in page_forms(html) if form.method == "post" and form.action in ("", url)]


# What each response carries of its own: the CSRF token, and the seconds left before the session ends.
PER_REQUEST = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|data-session-seconds-left="\d+"')


def same_every_time(html: str) -> str:
    """`html` without what differs from one response to the next (`PER_REQUEST`), to compare two pages."""
    return PER_REQUEST.sub("", html)
