"""Two-factor sign-in (TOTP) for the accounts that can publish or administer.

After the password, a Working Group member or administrator must give a code from their
authenticator app before any other page: the first time, they enrol a new authenticator.
"""

import math
import time
from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from csa_tracker.forms import ProjectForm

from . import recovery
from .policies import needs_second_factor

# Where the secret of an authenticator being enrolled waits until a code confirms it.
SETUP_KEY_SESSION = "two_factor_setup_key"


def has_authenticator(user) -> bool:
    """True when the person has a confirmed authenticator app (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_two_factor(user) -> bool:
    if not (settings.CSA_REQUIRE_2FA and user.is_authenticated):
        return False
    return needs_second_factor(user)


class RequireTwoFactorMiddleware:
    """Send a signed-in person who needs a second factor, and has not given it this session, to give it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            target = "two_factor_verify" if has_authenticator(request.user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        if request.path.startswith(("/accounts/", f"/{settings.STATIC_URL}")):
            return False
        return needs_two_factor(request.user) and not request.user.is_verified()


class CodeField(forms.CharField):
    """Authenticator apps show "123 456": the space (or any other) is not part of the code."""

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class TokenForm(ProjectForm):
    token = CodeField(
        label="6-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )


NO_MATCH = "That code did not match. Check your authenticator app and try the newest code."
SETUP_NO_MATCH = "That code did not match. Check the time on your phone and try the newest code."


def _throttled_seconds(devices) -> int:
    """Seconds until django-otp lets one of these devices check a code again (it doubles the pause
    after each wrong code), or 0. While it is paused even the right code is refused, so we say so."""
    now = timezone.now()
    waits = [
        math.ceil((data["locked_until"] - now).total_seconds())
        for device in devices
        for allowed, data in [device.verify_is_allowed()]
        if not allowed and data and data.get("locked_until")
    ]
    return max(min(waits), 1) if waits else 0


def _wait_message(seconds: int) -> str:
    when = f"{seconds} seconds" if seconds != 1 else "1 second"
    if seconds >= 120:
        when = f"{math.ceil(seconds / 60)} minutes"
    return (
        f"Too many wrong codes in a row: wait {when}, then enter the newest code from your authenticator app. "
        "Codes entered before then are not checked."
    )


def second_factor_given(request, device) -> None:
    """Mark this session as having passed the second factor with `device`, under a new session key:
    a key seen before the code (on a shared computer, in a log) does not carry the verified sign-in."""
    request.session.cycle_key()
    django_otp.login(request, device)


def next_url(request) -> str:
    """The `next` address of the request if it is on this site, else the home page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
    return wanted if safe else reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    form = TokenForm(request.POST or None)
    if form.is_valid():
        wait = _throttled_seconds(django_otp.devices_for_user(request.user))
        device = None if wait else django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            second_factor_given(request, device)
            return redirect(next_url(request))
        form.add_error("token", _wait_message(wait) if wait else NO_MATCH)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrol an authenticator: show a new secret, and create the device only when one code confirms it.

    Until then the secret waits in the session, so abandoned enrolments leave nothing behind. On
    confirmation the person also gets their recovery codes, shown once (`recovery.show_new_codes`).
    Someone signed in with their second factor (e.g. a recovery code after losing their phone) may
    enrol a new app here: the old one keeps working until the new one is confirmed.
    """
    replacing = has_authenticator(request.user)
    if replacing and not request.user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url(request)})}")
    key = request.session.get(SETUP_KEY_SESSION) or random_hex(20)
    request.session[SETUP_KEY_SESSION] = key
    device = TOTPDevice(user=request.user, key=key, name="Authenticator", confirmed=True)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if _matches(device, form.cleaned_data["token"]):
            with transaction.atomic():
                # The app being replaced stops working; so do devices earlier versions saved unconfirmed.
                TOTPDevice.objects.filter(user=request.user).delete()
                device.save()
                codes = recovery.replace_codes(request.user)
            del request.session[SETUP_KEY_SESSION]
            second_factor_given(request, device)
            return recovery.show_new_codes(request, codes, next_url=next_url(request))
        form.add_error("token", SETUP_NO_MATCH)
    context = {
        "form": form,
        "next": next_url(request),
        "replacing": replacing,
        "secret": b32encode(device.bin_key).decode(),
        "otpauth_uri": device.config_url,
        "qr_svg": _qr_svg(device.config_url),
    }
    return render(request, "registration/two_factor_setup.html", context)


def _matches(device: TOTPDevice, token: str) -> bool:
    """Check a code against an unsaved device (as `TOTPDevice.verify_token` does, without saving it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token) if token.isdecimal() else -1, device.tolerance):
        return False
    device.last_t = totp.t()
    return True


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - generated SVG, no user markup
