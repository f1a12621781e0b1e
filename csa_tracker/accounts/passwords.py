"""Password reset (by e-mail, for anyone signed out) and change (signed in): Django's views, our pages.

Reset pages need no sign-in (Django marks them `login_not_required`) and sit under /accounts/, which
the two-factor middleware leaves alone; a reset never signs anyone in, so the second factor is still
asked at the next sign-in. Changing a password needs the second factor first, for those who need one.
"""

from urllib.parse import urlencode

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse

from csa_tracker.forms import ProjectFormMixin
from csa_tracker.messages import PlainMessages

from . import two_factor


class PasswordResetForm(PlainMessages, ProjectFormMixin, auth_forms.PasswordResetForm):
    """Django's form with the site's messages and text rules."""


class SetPasswordForm(PlainMessages, ProjectFormMixin, auth_forms.SetPasswordForm):
    """Django's form with the site's messages (passwords are never normalised)."""


class PasswordChangeForm(PlainMessages, ProjectFormMixin, auth_forms.PasswordChangeForm):
    """Django's form with the site's messages (passwords are never normalised)."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        # Links in e-mails use the configured site address, as every other e-mail does.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password ends a sign-in lockout for that username: the person proved they own the address.
        reset_lockout(username=form.user.get_username())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and two_factor.needs_two_factor(request.user)
            and not request.user.is_verified()
        ):
            target = "two_factor_verify" if two_factor.has_authenticator(request.user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.path})}")
        return super().dispatch(request, *args, **kwargs)
