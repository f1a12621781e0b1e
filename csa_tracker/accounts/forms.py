"""The sign-in form: the project's rules for text, a too-long username answered like a wrong one, and a
username or e-mail address in any letter case (`csa_tracker.accounts.identities`)."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from csa_tracker.forms import ProjectFormMixin, prepare_field
from csa_tracker.messages import PlainMessages

from .identities import SHARED_ADDRESS_MESSAGE, shares_address


class SignInForm(PlainMessages, ProjectFormMixin, AuthenticationForm):
    """Django's sign-in form, except that a username longer than any account's is refused with the
    usual "did not match" message before anything is looked up.

    Django sets the username's `max_length` after the field is built, so it adds no validator: a
    256-character name reached django-axes, whose attempt record holds 255 characters (a 500 on
    PostgreSQL). Refusing it here records no attempt, which is right: no account has that name.
    An address two accounts share (differing only by case) is refused with `SHARED_ADDRESS_MESSAGE`
    once the password is one of theirs.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Your username and password did not match. Please try again.",
    }

    def _prepare_fields(self):
        super()._prepare_fields()
        self._drop_username_limit()

    def __getitem__(self, name):
        bound = super().__getitem__(name)
        self._drop_username_limit()
        return bound

    def _drop_username_limit(self):
        # The length is checked in `clean`, with the sign-in message rather than a field message.
        field = self.fields["username"]
        prepare_field("username", field)
        field.validators = []

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        try:
            return super().clean()
        except ValidationError as refused:
            if refused.code == "invalid_login" and shares_address(username, self.cleaned_data.get("password") or ""):
                raise ValidationError(SHARED_ADDRESS_MESSAGE, code="shared_address") from refused
            raise
