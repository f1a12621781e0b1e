"""Two-factor recovery codes (django-otp static tokens): for the day the phone is lost.

Ten single-use codes are made when an authenticator is enrolled and shown once; each can stand in for
the authenticator's code at sign-in, once. Making new codes invalidates the old ones.
"""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from csa_tracker.forms import ProjectForm

from . import two_factor

# Codes just made wait here until the person says they have saved them; then they are never shown again.
NEW_CODES_SESSION = "two_factor_new_recovery_codes"
DEVICE_NAME = "Recovery codes"


@transaction.atomic
def replace_codes(user) -> list[str]:
    """Make `settings.CSA_RECOVERY_CODES` new codes for `user`, deleting any earlier ones; return them."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.CSA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def show_new_codes(request, codes: list[str], *, next_url: str):
    request.session[NEW_CODES_SESSION] = codes
    return redirect(f"{reverse('recovery_codes_new')}?{urlencode({'next': next_url})}")


class SavedForm(ProjectForm):
    saved = forms.BooleanField(
        label="I have saved these codes somewhere safe",
        error_messages={"required": "Tick the box once you have saved the codes: they will not be shown again."},
    )


class RecoveryCodeForm(ProjectForm):
    code = forms.CharField(
        label="Recovery code",
        max_length=20,
        help_text="One of the codes you saved when you set up two-factor sign-in, e.g. abcd2345.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


@login_required
@require_http_methods(["GET", "POST"])
def show_new(request):
    """The codes just made, once, with an "I have saved them" step before carrying on."""
    codes = request.session.get(NEW_CODES_SESSION)
    if not codes:
        return redirect("recovery_codes")
    form = SavedForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        del request.session[NEW_CODES_SESSION]
        return redirect(two_factor.next_url(request))
    return render(
        request,
        "registration/recovery_codes_new.html",
        {"codes": codes, "form": form, "next": two_factor.next_url(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    """How many codes are left, and making new ones (the old ones then stop working).

    Needs a verified sign-in: /accounts/ pages are outside the two-factor middleware, so it is checked here.
    """
    if not request.user.is_verified():
        target = "two_factor_verify" if two_factor.has_authenticator(request.user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.path})}")
    if request.method == "POST":
        codes = replace_codes(request.user)
        return show_new_codes(request, codes, next_url=reverse("recovery_codes"))
    return render(request, "registration/recovery_codes.html", {"left": codes_left(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Sign in with a recovery code instead of the authenticator's code; the code is used up."""
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = StaticDevice.objects.filter(user=request.user).first()
        if device is not None and device.verify_token(form.cleaned_data["code"]):
            two_factor.second_factor_given(request, device)
            left = codes_left(request.user)
            messages.warning(
                request,
                f"You signed in with a recovery code; {left} unused code{'s' if left != 1 else ''} left. "
                "If your phone is lost, make new codes and ask an administrator to remove the old authenticator.",
            )
            return redirect(two_factor.next_url(request))
        form.add_error("code", "That recovery code did not match, or it has been used already.")
    return render(request, "registration/recovery_verify.html", {"form": form, "next": two_factor.next_url(request)})
