"""What every form in the project shares (issue 16: nothing a user types is altered, lost or a 500).

- Dates travel as ISO: each `DateField` renders `<input type="date" value="YYYY-MM-DD">`, the one
  format a browser's date picker reads whatever the locale (a "31/03/2018" value shows blank, and
  saving the form then wiped the date).
- Text is normalised at entry: each text field's submitted value goes through
  `csa_tracker.text.normalise_text` (CRLF from the browser becomes one newline, NFC, odd spaces,
  control and bidirectional-override characters) before any validation, so a limit counts what is stored.
- Every text field has a limit the server enforces with a message naming the field; the browser is
  never told `maxlength` (which silently cuts a paste) but `data-max-chars`, which `static/js/forms.js`
  turns into a visible counter that counts as the server does.

Use `ProjectForm` / `ProjectModelForm` (or `PlainMessages` and `ProjectFormMixin` before Django's base)
for every form; their messages are plain English (`csa_tracker.messages`);
`tests/site/test_forms_overlong_input.py` checks that every form class in the project does.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from . import typed_text
from .dates import day_in_words
from .messages import PlainMessages
from .text import normalise_text

ISO_DATE = "%Y-%m-%d"
# Limits for text fields that set none: a multi-line text, and a one-line answer (characters).
DEFAULT_TEXTAREA_MAX = 20_000
DEFAULT_LINE_MAX = 1_000


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's argument name
        super().__init__(attrs, format=ISO_DATE)


class LengthValidator(MaxLengthValidator):
    """A limit in characters (as stored: after normalisation, a newline counts 1), named for the field."""

    def __init__(self, limit_value: int, label: str):
        super().__init__(limit_value)
        self.label = label

    def __call__(self, value):
        if not isinstance(value, str):
            return  # a field that turns text into something else (a number) checks that itself
        count = len(value)
        if count > self.limit_value:
            raise ValidationError(
                f"{self.label} is {count:,} characters long; the limit is {self.limit_value:,}. "
                f"Shorten it by {count - self.limit_value:,}: nothing was saved, and what you typed is kept below.",
                code="max_length",
            )


def _is_text(field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)


def prepare_field(name: str, field: forms.Field) -> None:
    """Apply the project's rules to one form field, in place (idempotent)."""
    if getattr(field, "_project_prepared", False):
        return
    field._project_prepared = True
    if isinstance(field, forms.DateField) and isinstance(field.widget, forms.DateInput):
        field.widget.input_type = "date"
        field.widget.format = ISO_DATE
        field.widget.attrs.pop("type", None)
    if not _is_text(field):
        return
    is_textarea = isinstance(field.widget, forms.Textarea)
    limit = field.max_length or (DEFAULT_TEXTAREA_MAX if is_textarea else DEFAULT_LINE_MAX)
    field.max_length = limit
    label = str(field.label or name.replace("_", " ").capitalize())
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(LengthValidator(limit, label))
    # The browser would cut a longer paste without a word; the counter warns and the server refuses.
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-max-chars"] = str(limit)


class SeenField(forms.CharField):
    """What the page showed (a `digest`): never a change of the form's values itself, so a form saved
    unchanged still says "Nothing was changed" and a stale one is told by its save service."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class ProjectFormMixin:
    """ISO dates, normalised text and named limits for every field, including fields a form adds in
    its own `__init__` (they are prepared when first rendered or cleaned). An unbound form shows what
    the person typed before their session ended, when it was kept for this page (`typed_text`): set in
    `__init__`, so the page's message is added before the page is drawn, and again when a field is first
    drawn, after the form's own `__init__` has set its initial values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._typed_text = typed_text.restore_into(self)

    def _prepare_fields(self) -> None:
        for name, field in self.fields.items():
            self._prepare(name, field)

    def __getitem__(self, name):
        self._prepare(name, self.fields[name])
        if getattr(self, "_typed_text", None):
            self.initial.update(self._typed_text)
            self._typed_text = {}
        return super().__getitem__(name)

    def _prepare(self, name: str, field) -> None:
        column = self._column_limit(name)
        prepared = getattr(field, "_project_prepared", False)
        if column and not prepared and isinstance(field, forms.CharField) and (field.max_length or column + 1) > column:
            field.max_length = column  # a declared field must not take more than its column holds
        prepare_field(name, field)

    def _column_limit(self, name: str) -> int | None:
        """The length of the database column a field is saved in, where a form knows it."""
        return None

    # A stale save refused (issue 23): a form whose save could overwrite what someone else saved
    # carries `seen`, a digest of what the page showed; the save service compares it with what is stored.
    def set_seen(self, value: str) -> None:
        """Give the form the hidden `seen` field holding `value` (a `digest` of what the page shows)."""
        self.fields[SEEN] = SeenField(initial=value)

    @property
    def seen_value(self) -> str | None:
        """The posted `seen`, or None (not posted: a client other than the page, which is not checked)."""
        if not self.is_bound or SEEN not in self.fields:
            return None
        return self.data.get(self.add_prefix(SEEN)) or None

    def renew_seen(self, value: str) -> None:
        """After a stale save was refused: the form now holds what is stored, so saving again replaces it."""
        self.data = self.data.copy()
        self.data[self.add_prefix(SEEN)] = value

    def clean(self):
        data = super().clean()
        data.pop(SEEN, None)  # not a value to save: `seen_value` reads it from the posted data
        return data

    def full_clean(self):
        self._prepare_fields()
        if self.is_bound and not getattr(self, "_data_normalised", False):
            self.data = self._normalised_data(self.data)
            self._data_normalised = True
        super().full_clean()

    def _normalised_data(self, data):
        names = [
            self.add_prefix(name)
            for name, field in self.fields.items()
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
        ]
        if hasattr(data, "getlist"):
            data = data.copy()
            for key in names:
                if key in data:
                    data.setlist(key, [normalise_text(value) for value in data.getlist(key)])
            return data
        data = dict(data)
        for key in names:
            if isinstance(data.get(key), str):
                data[key] = normalise_text(data[key])
        return data


class ProjectForm(PlainMessages, ProjectFormMixin, forms.Form):
    pass


SEEN = "seen"


@dataclass(frozen=True)
class Seen:
    """What an edit page showed of a record: the fingerprint (`value`) of its `fields`."""

    fields: tuple[str, ...]
    value: str


def digest(values) -> str:
    """A short hash of `values` (anything JSON can write, dates and decimals as text): what a page
    showed, to compare with what is stored when it is saved."""
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def fingerprint(instance, names) -> str:
    """The `digest` of `instance`'s stored values for the model fields `names` (foreign keys by id,
    many-to-many as sorted ids): equal exactly when those values are equal."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
        else:
            values[name] = field.value_from_object(instance)
    return digest(values)


class ProjectModelForm(PlainMessages, ProjectFormMixin, forms.ModelForm):
    """For a record that exists, the form carries a hidden `seen` fingerprint of the record's values
    as shown, which the save service checks (`csa_tracker.audit.stale.refuse_if_changed`) so a stale
    save is refused instead of undoing someone else's change (issue 23)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The record's fields this form shows, fixed here so the page and the save compare the same.
        own = {field.name for field in self._meta.model._meta.get_fields() if field.concrete or field.many_to_many}
        self.seen_fields = tuple(name for name in self.fields if name in own)
        if self.instance.pk is not None:
            self.set_seen(fingerprint(self.instance, self.seen_fields))

    @property
    def seen(self) -> Seen | None:
        """What the page showed (from the posted `seen`), or None: a new record, or a post without it
        (a client other than the page), which is not checked."""
        value = self.seen_value
        return Seen(self.seen_fields, value) if value else None

    def show_saved(self, current) -> None:
        """After a stale save was refused: the form's `seen` becomes `current`'s, so saving again
        replaces it, and `saved_values` lists `current`'s values by field label for comparison."""
        self.renew_seen(fingerprint(current, self.seen_fields))
        self.saved_values = [(str(self.fields[name].label or name), _shown(current, name)) for name in self.seen_fields]

    def _column_limit(self, name: str) -> int | None:
        try:
            column = self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return getattr(column, "max_length", None) if isinstance(column, models.CharField) else None


def _shown(instance, name: str) -> str:
    """A stored value as the person reads it: choices by label, records by name, lists joined."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(related) for related in getattr(instance, name).all()) or "—"
    if field.choices and not field.is_relation:
        return str(getattr(instance, f"get_{name}_display")()) or "—"
    value = getattr(instance, name)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return day_in_words(value)
    return "—" if value in (None, "") else str(value)


class ReasonForm(ProjectForm):
    """Why a recorded change was made, kept with it in the audit trail (`AuditEntry.reason`).

    `required`: whether this change needs one (cycle transitions say so in their rule, changes to a
    published plan always do); `recorded_in`: where the person will find it again, for the hint;
    `required_message`: the sentence shown when a required reason is left empty.
    """

    reason = forms.CharField(max_length=300, label="Reason", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required: bool = True, recorded_in: str = "the history", required_message="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = required
        field.help_text = f"Recorded in {recorded_in}." + ("" if required else " Optional.")
        if required_message:
            field.error_messages["required"] = required_message
