"""Two-factor sign-in (TOTP) for the accounts that can publish or administer.

After the password, a Working Group member or administrator must give a code from their
authenticator app before any other page: the first time, they enrol a new authenticator.
"""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..forms import PlainForm
from .models import Membership, Role

TWO_FACTOR_ROLES = (Role.WORKING_GROUP, Role.ADMIN)


def needs_two_factor(user) -> bool:
    if not (settings.CSA_REQUIRE_2FA and user.is_authenticated):
        return False
    return user.is_staff or Membership.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists()


class RequireTwoFactorMiddleware:
    """Send a signed-in person who needs a second factor, and has not given it this session, to give it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_verify(request):
            target = "two_factor_verify" if django_otp.user_has_device(request.user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request) -> bool:
        if request.path.startswith(("/accounts/", f"/{settings.STATIC_URL}")):
            return False
        return needs_two_factor(request.user) and not request.user.is_verified()


class TokenForm(PlainForm):
    token = forms.CharField(
        label="6-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, require_https=request.is_secure())
    return wanted if safe else reverse("home")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", "That code did not match. Check your authenticator app and try the newest code.")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrol an authenticator: show its secret, and confirm it with one code before it counts."""
    if django_otp.user_has_device(request.user):
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device, _ = TOTPDevice.objects.get_or_create(user=request.user, confirmed=False, defaults={"name": "Authenticator"})
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", "That code did not match. Check the time on your phone and try the newest code.")
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": b32encode(device.bin_key).decode(),
        "otpauth_uri": device.config_url,
        "qr_svg": _qr_svg(device.config_url),
    }
    return render(request, "registration/two_factor_setup.html", context)


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - generated SVG, no user markup
