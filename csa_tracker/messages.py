"""Plain-English form messages, set once for every form of the site.

Every form class inherits `PlainMessages` (through `csa_tracker.forms.ProjectForm` or `ProjectModelForm`).
It replaces Django's stock wording wherever it would reach a person:

- an error whose text is one of Django's own (a form field's `default_error_messages`, a model field's,
  a validator's) becomes a sentence naming the field and saying what to do ("Choose a plan.", "Enter the
  short name using only lower-case letters, numbers and hyphens, such as 2018-19.");
- the empty choice "---------" becomes "Choose a …".

Messages a form sets itself (`error_messages=`, `ValidationError` in `clean_…`) are kept as written.
Text length ("Ensure this value has at most …") is left to the form's own length rule.

Source of the rule: issue 19 ("every message in plain English naming the field and what to do").
"""

import inspect

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import fields as model_fields
from django.forms.models import ModelChoiceField, ModelMultipleChoiceField
from django.forms.utils import pretty_name

DJANGO_EMPTY_LABEL = "---------"
# Left to the form's own length rule and character counter (issue 19, the forms helper's part).
LENGTH_CODES = frozenset({"max_length", "min_length"})


def _stock_messages() -> frozenset[str]:
    """Every message text Django itself ships for form fields, model fields and validators."""
    found = set()
    for module in (forms.fields, forms.models, model_fields):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            for klass in cls.__mro__:
                found.update(str(text) for text in getattr(klass, "default_error_messages", {}).values())
    for _, value in inspect.getmembers(validators):
        message = getattr(value, "message", None)
        if message is not None and not callable(message):
            found.add(str(message))
    return frozenset(found)


STOCK_MESSAGES = _stock_messages()


def noun(label) -> str:
    """The label as it reads inside a sentence: "Short name" → "short name"; "URL" stays."""
    text = str(label or "this field").strip().rstrip(":")
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def heading(label) -> str:
    """The label as it reads at the start of a sentence: "Stable band (%)", without a trailing colon."""
    text = str(label or "This field").strip().rstrip(":")
    return text[:1].upper() + text[1:]


def summary_line(label, message) -> str:
    """An error as the error summary lists it: "Label: message", or the message alone when it already starts
    with the label ("Progress this period is 20,001 characters long…", never "Progress this period: Progress
    this period is…", a tester's find). Compared without case and a trailing colon; the one rule, used by
    `includes/error_items.html` through the `summary_line` filter."""
    text, name = str(message), str(label or "").strip().rstrip(":")
    if not name or text.casefold().startswith(name.casefold()):
        return text
    return f"{name}: {text}"


# Words starting with a vowel letter but said with a consonant ("a unitary authority", "a one-off"), and
# the reverse ("an hour"); letters said with a vowel sound when an initialism starts with them ("an ONS code").
A_BEFORE = ("uni", "use", "usu", "uti", "eu", "one", "once")
AN_BEFORE = ("hour", "honest", "honour", "heir")
VOWEL_SOUND_LETTERS = "AEFHILMNORSX"


def a_or_an(words: str) -> str:
    """`words` after "a" or "an", whichever is said before them: "an area", "a district", "a unitary
    authority", "an ONS code", "an hour". The one rule for the article in every message (issue 25: "There is
    already a area")."""
    text = str(words)
    first = text.split(" ", 1)[0]
    lower = first.lower()
    if len(first) > 1 and first.isupper():  # an initialism, said letter by letter
        vowel = first[0] in VOWEL_SOUND_LETTERS
    elif lower.startswith(AN_BEFORE):
        vowel = True
    elif lower.startswith(A_BEFORE):
        vowel = False
    else:
        vowel = lower[:1] in ("a", "e", "i", "o", "u")
    return ("an " if vowel else "a ") + text


def is_question(label) -> bool:
    """A label asked as a question ("What are you importing?"): no message can be made from it."""
    return str(label or "").strip().endswith("?")


def is_choice(field) -> bool:
    return isinstance(field, forms.ChoiceField | ModelChoiceField | forms.FileField)


def plain_message(field, code: str, params: dict | None, label: str = "") -> str | None:
    """What to tell the person for a stock error `code` on `field` (shown as `label`, by default the
    field's own); None keeps Django's text."""
    label = label or field.label
    name = noun(label)
    params = params or {}
    if code in ("required", "blank", "null"):
        if isinstance(field, forms.FileField):
            return f"Choose the file to upload as the {name}."
        if isinstance(field, forms.BooleanField):
            return f"Tick “{label}” to go on."
        if isinstance(field, ModelMultipleChoiceField | forms.MultipleChoiceField):
            return f"Choose at least one of the {name}."
        if is_choice(field):
            if is_question(label):  # a form gives such a field its own message; this is the fallback
                return f"Choose one of the options under “{str(label).strip()}”."
            return f"Choose {a_or_an(name)}."
        return f"Enter the {name}."
    if code in ("invalid_choice", "invalid_pk_value", "invalid_list"):
        return f"Choose the {name} from the list; what was sent is not one of the options."
    if code == "invalid":
        if isinstance(field, forms.SlugField):
            return f"Enter the {name} using only lower-case letters, numbers and hyphens, such as 2018-19."
        if isinstance(field, forms.DateField):
            return f"Enter the {name} as a date, such as 31/03/2018."
        if isinstance(field, forms.DateTimeField | forms.TimeField):
            return f"Enter the {name} as a date and time, such as 31/03/2018 14:30."
        if isinstance(field, forms.DecimalField | forms.FloatField):  # before IntegerField, their base
            return f"{heading(label)} must be a number, such as 12.5."
        if isinstance(field, forms.IntegerField):
            return f"{heading(label)} must be a whole number, such as 3."
        if isinstance(field, forms.URLField):
            return f"Enter the {name} as a full web address, such as https://www.kent.gov.uk/."
        if isinstance(field, forms.EmailField):
            return f"Enter the {name} as an e-mail address, such as name@example.org."
        if isinstance(field, forms.FileField):
            return "The file could not be read; choose the file again."
        return f"Check the {name}: it is not in a form we can read."
    # Said with the label first, a wording that reads with any label ("Hide district counts below must be 0 or
    # more.", never "Enter 0 or more as the hide district counts below.", issue 25).
    if code == "max_value":
        return f"{heading(label)} must be {params.get('limit_value')} or less."
    if code == "min_value":
        return f"{heading(label)} must be {params.get('limit_value')} or more."
    if code in ("max_digits", "max_whole_digits", "max_decimal_places"):
        return f"Enter the {name} with fewer digits, such as 12.5."
    if code == "step_size":
        return f"Enter the {name} in steps of {params.get('limit_value')}."
    if code == "unique":
        return f"Another one already has this {name}; choose a different {name}."
    if code == "empty":
        return "The file is empty; choose a file with something in it."
    if code == "missing":
        return "No file was sent; choose the file again."
    return None


def empty_choice(label) -> str:
    """The empty choice of a select: "Choose a kind"; "Choose one" for a label asked as a question."""
    if is_question(label):
        return "Choose one"
    return f"Choose {a_or_an(noun(label))}"


class PlainMessages:
    """Mixin for every form of the site (first in the bases); see the module docstring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # The label shown, also when made from the field's name. Not `self[name].label`: a bound
            # field made now would keep this moment's help text and label, and a form's own __init__
            # changes them after this one.
            label = field.label if field.label is not None else pretty_name(name)
            if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
                field.empty_label = empty_choice(label)
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, ModelChoiceField):
                field.choices = [
                    (value, empty_choice(label) if value == "" and text == DJANGO_EMPTY_LABEL else text)
                    for value, text in field.choices
                ]

    def full_clean(self):
        super().full_clean()
        for name, errors in list((self._errors or {}).items()):
            field = self.fields.get(name)
            if field is None:
                continue
            for index, error in enumerate(errors.data):
                if not isinstance(error, ValidationError) or not hasattr(error, "message"):
                    continue
                if error.code in LENGTH_CODES or str(error.message) not in STOCK_MESSAGES:
                    continue
                message = plain_message(field, error.code, error.params, self[name].label)
                if message:
                    errors.data[index] = ValidationError(message, code=error.code)
