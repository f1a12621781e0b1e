"""The one exception family for refusals: a change that cannot be made, with a sentence for the person
who tried. Views catch `Refusal` and show its message (a form: `refuse_on_form`); one that reaches no
view's `except` is shown on the 403 page by `csa_tracker.middleware.RefusalMiddleware`, never as a 500."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class Refusal(Exception):
    """A change that cannot be made; `str(exc)` is written for the person who tried."""


class NotAllowed(Refusal):
    """The person's role, or the object's state, does not permit the change."""


class NeedsReason(Refusal):
    """The change is only made with a reason, which is recorded in the audit trail."""


class Stale(Refusal):
    """The object changed after the person read it; `current` is the object as it is now."""

    def __init__(self, message: str, current=None):
        super().__init__(message)
        self.current = current


class Invalid(Refusal, ValidationError):
    """Values the rules refuse, by form field: {field name or None (the whole form): sentence}. A
    ValidationError too, so a form's `add_error(None, exc)` puts each sentence on its field."""

    def __init__(self, errors: dict):
        ValidationError.__init__(self, {name or NON_FIELD_ERRORS: message for name, message in errors.items()})

    def __str__(self) -> str:
        return " ".join(message for messages in self.message_dict.values() for message in messages)


def refuse_on_form(form, exc: Refusal) -> None:
    """Show a refusal on `form`: each of an `Invalid`'s sentences on its field (or the whole form when
    the form has no such field), a `NeedsReason` on the form's `reason` field where it has one (the box
    to fill in, which the error summary then links to), any other refusal's sentence on the whole form. A
    `Stale` one on a form that can show the saved record (`ProjectModelForm.show_saved`) shows it beside
    the typed values, and saving again then replaces it."""
    if isinstance(exc, Stale) and exc.current is not None and hasattr(form, "show_saved"):
        form.show_saved(exc.current)
    if isinstance(exc, Invalid):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error("reason" if isinstance(exc, NeedsReason) and "reason" in form.fields else None, str(exc))
