"""Forms of the people pages: invite, change roles, accept an invitation."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm

from csa_tracker.accounts.models import Role
from csa_tracker.accounts.policies import ROLE_DESCRIPTIONS
from csa_tracker.accounts.scoping import organisations_of
from csa_tracker.forms import ProjectForm, ProjectFormMixin
from csa_tracker.text import normalise_text

from .policies import MEMBERSHIPS
from .services import current_roles, is_member, normalise_email, roles_shown


def role_choices(access):
    """The roles this person may give (`policies.MEMBERSHIPS`): only administrators give the administrator role."""
    return [(role, f"{Role(role).label}: {ROLE_DESCRIPTIONS[role]}") for role in MEMBERSHIPS.grantable_roles(access)]


class RolesMixin(ProjectForm):
    organisation = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose the organisation they act for.",
            "invalid_choice": "Choose one of this partnership's organisations.",
        },
        help_text="The organisation they act for.",
    )
    roles = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one of the roles.",
            "invalid_choice": "Choose from the roles listed; only an administrator can give the administrator role.",
        },
    )

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["organisation"].queryset = organisations_of(access.partnership)
        self.fields["roles"].choices = role_choices(access)


class InviteForm(RolesMixin):
    name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name, as colleagues know it."}
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="The invitation is sent here.",
        error_messages={
            "required": "Enter the e-mail address to send the invitation to.",
            "invalid": "Enter an e-mail address in the form name@example.org.",
        },
    )
    field_order = ["name", "email", "organisation", "roles"]

    def clean_name(self):
        return normalise_text(self.cleaned_data["name"]).strip()

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if is_member(email, self.access.partnership):
            raise forms.ValidationError(
                f"{email} is already a member of {self.access.partnership.short_name}: "
                "change their roles on their page instead."
            )
        return email


class MemberForm(RolesMixin):
    """A member's roles and organisation; carries what the page showed of them (`seen`)."""

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_seen(roles_shown(person, self.access.partnership))

    def show_saved(self, current) -> None:
        """After a stale save (`csa_tracker.refusals.refuse_on_form`): `current`'s roles as saved now."""
        self.renew_seen(roles_shown(current, self.access.partnership))
        roles, organisations = current_roles(current, self.access.partnership)
        self.saved_values = [
            ("Organisation", ", ".join(str(organisation) for organisation in organisations) or "—"),
            ("Roles", ", ".join(Role(role).label for role in Role.values if role in roles) or "—"),
        ]


class NewAccountForm(ProjectFormMixin, SetPasswordForm):
    """The password for the account an invitation creates (Django's password rules apply)."""

    def __init__(self, invitation, *args, **kwargs):
        user = get_user_model()(username=invitation.email, email=invitation.email, first_name=invitation.name)
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the password again"
