"""Password reset (by e-mail, for anyone signed out) and change (signed in): Django's views, our pages.

Reset pages need no sign-in (Django marks them `login_not_required`) and sit under /accounts/, which
the two-factor middleware leaves alone; a reset never signs anyone in, so the second factor is still
asked at the next sign-in. Changing a password needs the second factor first, for those who need one.

Asking for a reset link says the same thing, in the same time, whether the address has an account or
not: the account is looked up and the e-mail queued after the answer has been sent (`RedirectThen`),
so the answer does the same work for both. Requests are counted per address and per client
(`csa_tracker.cache.cache_count`): `CSA_PASSWORD_RESETS_PER_ADDRESS` an hour for one address and
`CSA_PASSWORD_RESETS_PER_CLIENT` an hour from one client address; beyond that the form says so and
nothing is sent, so nobody can fill someone's inbox or the mail queue.
"""

import hashlib
import logging
from urllib.parse import urlencode

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from csa_tracker.cache import cache_count
from csa_tracker.forms import ProjectFormMixin
from csa_tracker.messages import PlainMessages
from csa_tracker.security import client_ip

from . import two_factor

logger = logging.getLogger(__name__)
# The period the reset counts cover, in seconds.
RESET_WINDOW_SECONDS = 3600


class PasswordResetForm(PlainMessages, ProjectFormMixin, auth_forms.PasswordResetForm):
    """Django's form with the site's messages and text rules."""


class SetPasswordForm(PlainMessages, ProjectFormMixin, auth_forms.SetPasswordForm):
    """Django's form with the site's messages (passwords are never normalised)."""


class PasswordChangeForm(PlainMessages, ProjectFormMixin, auth_forms.PasswordChangeForm):
    """Django's form with the site's messages (passwords are never normalised)."""


class RedirectThen(HttpResponseRedirect):
    """A redirect that runs `then()` once it has been sent: WSGI servers call `close()` after the last
    byte is written (the test client too). A failure of `then()` is logged, never shown."""

    def __init__(self, url, then):
        super().__init__(url)
        self._then = then

    def close(self):
        try:
            self._then()
        except Exception:  # the person already has their answer; the log is where this can be seen
            logger.exception("Work after the response failed")
        finally:
            super().close()


def reset_refusal(request, email: str) -> str | None:
    """Why no reset link is sent for `email` now (too many asked for this address, or from this client,
    in the last hour), or None; counts this request. Said alike whether the address has an account."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    for_address = cache_count(f"password-reset:address:{address}", RESET_WINDOW_SECONDS)
    from_client = cache_count(f"password-reset:client:{client_ip(request)}", RESET_WINDOW_SECONDS)
    if for_address is not None and for_address > settings.CSA_PASSWORD_RESETS_PER_ADDRESS:
        return (
            f"A reset link for this address has been asked for {settings.CSA_PASSWORD_RESETS_PER_ADDRESS} times "
            "in the last hour: use the newest e-mail (check your spam folder too), or ask again in an hour."
        )
    if from_client is not None and from_client > settings.CSA_PASSWORD_RESETS_PER_CLIENT:
        return "Too many reset links have been asked for from your network in the last hour: try again in an hour."
    return None


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form):
        refusal = reset_refusal(self.request, form.cleaned_data["email"])
        if refusal:
            form.add_error("email", refusal)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        options = {
            "use_https": self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "html_email_template_name": self.html_email_template_name,
            # Links in e-mails use the configured site address, as every other e-mail does.
            "extra_email_context": {"site_url": settings.SITE_URL},
        }
        return RedirectThen(self.get_success_url(), then=lambda: form.save(**options))


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password ends a sign-in lockout for that account, by username or address, in any case
        # (the lockout counts them lower-cased: `identities.lockout_username`): the person proved they own the address.
        for name in {form.user.get_username().lower(), form.user.email.lower()} - {""}:
            reset_lockout(username=name)
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
