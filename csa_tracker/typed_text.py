"""What a person typed survives the end of their session (issue 23, kind 2; case B21).

A form sent after the session ended (signed out in another tab, idle expiry, sessions cleared) is not
saved, but its fields are no longer lost either:

1. `SessionEndedMiddleware` (in place of Django's `LoginRequiredMiddleware`) and the CSRF failure view
   (`csa_tracker.views.csrf_failure`, for a form whose token changed when someone signed in again in
   another tab) call `keep`: the posted fields, except passwords, the CSRF token and files, wait in the
   browser's session under the form page's address, for `KEEP_MINUTES`, at most `MAX_FORMS` forms and
   `MAX_CHARACTERS` characters each. The person is sent to sign in (or, still signed in, straight back)
   with `ENDED` saying so.
2. Sign-in keeps an anonymous session's data (Django cycles its key), also through the two-factor step;
   `discard_others` (on `user_logged_in`) drops text another person typed.
3. On the form page, `SessionEndedMiddleware` offers the kept fields for that request and every
   unbound project form (`csa_tracker.forms.ProjectFormMixin`) with those field names shows them as its
   initial values, with `RESTORED` saying nothing was saved yet. Once shown, they are forgotten.

Who typed it: the session that ended is gone, so each browser keeps a cookie (`PERSON_COOKIE`) with a
keyed hash of the last person signed in on it; kept text carries it, and is shown only to that person.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "csa_typed_text"
# Django's CsrfViewMiddleware reason when a form's token is not the browser's current one.
ROTATED_TOKEN = "CSRF token from POST incorrect."  # noqa: S105 - a reason text, not a secret
KEEP_MINUTES = 120
MAX_FORMS = 3
MAX_CHARACTERS = 100_000
# Never kept: the form's token, and anything that looks like a secret.
SKIPPED_FIELDS = ("csrfmiddlewaretoken",)
SECRET_WORDS = ("password", "passphrase")
# Sign-in, two-factor and password pages: their fields are secrets or codes, never kept.
NOT_KEPT_UNDER = "/accounts/"

ENDED = (
    "Your session ended before your changes were saved. Sign in again and your text will be back on the form; "
    "nothing was saved yet."
)
ENDED_SIGNED_IN = "You signed in again after this page was opened, so the form could not be accepted."
TOO_LONG = (
    "Your session ended before your changes were saved, and what you typed was too long to keep: nothing was "
    "saved. Sign in again and copy your text from the page you were on (the browser’s Back button) if it "
    "is still there."
)
FILES_NOT_KEPT = " Files you chose cannot be kept: choose them again."
RESTORED = (
    "What you typed before you signed in again is back on the form below. It has not been saved yet: "
    "check it and submit."
)


def person_cookie_name() -> str:
    """`__Host-` in production, as the session and CSRF cookies are (settings)."""
    return "__Host-csa_person" if settings.SESSION_COOKIE_SECURE else "csa_person"


def person_mark(user) -> str:
    """A keyed hash of the person's id: names who typed the text without showing the id in the cookie."""
    return salted_hmac("csa_tracker.typed_text.person", str(user.pk)).hexdigest()


def _return_path(request) -> str:
    """The page the form was on: the Referer when it is this site's (a form may post to another
    address, e.g. a button's own route), else the address posted to."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        parts = urlsplit(referer)
        if parts.path and not parts.path.startswith(NOT_KEPT_UNDER):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _kept_fields(request) -> dict[str, list[str]]:
    return {
        name: values
        for name, values in request.POST.lists()
        if name not in SKIPPED_FIELDS and not any(word in name.lower() for word in SECRET_WORDS)
    }


@dataclass(frozen=True)
class Kept:
    """What `keep` did: the page to return to, whether the text was too long to keep, and whether
    files were sent (never kept)."""

    path: str
    too_long: bool
    had_files: bool

    def message(self, signed_in: bool) -> str:
        text = TOO_LONG if self.too_long else ENDED_SIGNED_IN if signed_in else ENDED
        return text + (FILES_NOT_KEPT if self.had_files and not self.too_long else "")


def keep(request) -> Kept | None:
    """Keep the fields of a form that could not be accepted, in the browser's session, under the
    address of the page it came from. None when there is nothing to keep (no field with text, or a
    page whose fields are never kept); `Kept` otherwise."""
    if request.method != "POST" or request.path.startswith(NOT_KEPT_UNDER):
        return None
    fields = _kept_fields(request)
    had_files = any(upload.size for upload in request.FILES.values())
    if not any(value.strip() for values in fields.values() for value in values) and not had_files:
        return None
    path = _return_path(request)
    too_long = sum(len(value) for values in fields.values() for value in values) > MAX_CHARACTERS
    if not too_long:
        kept = _fresh(request.session.get(SESSION_KEY, {}))
        kept.pop(urlsplit(path).path, None)
        kept[urlsplit(path).path] = {
            "fields": fields,
            "at": int(time.time()),
            "by": request.COOKIES.get(person_cookie_name(), ""),
        }
        request.session[SESSION_KEY] = dict(list(kept.items())[-MAX_FORMS:])
    return Kept(path=path, too_long=too_long, had_files=had_files)


def _fresh(kept: dict) -> dict:
    oldest = time.time() - KEEP_MINUTES * 60
    return {path: entry for path, entry in kept.items() if entry.get("at", 0) >= oldest}


def _typed_by(entry: dict, user) -> bool:
    """The kept text is this person's: typed while they were the last one signed in on this browser
    (or on a browser that did not say who, e.g. its cookies were cleared)."""
    return not entry["by"] or constant_time_compare(entry["by"], person_mark(user))


def discard_others(sender, request, user, **kwargs):
    """`user_logged_in` receiver: text another person typed on this browser is forgotten at sign-in."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    mine = {path: entry for path, entry in _fresh(session[SESSION_KEY]).items() if _typed_by(entry, user)}
    if mine:
        session[SESSION_KEY] = mine
    else:
        del session[SESSION_KEY]


@dataclass
class Restoring:
    """Kept fields offered to the forms of one request (`restore_into`)."""

    request: object
    path: str
    data: QueryDict
    shown: bool = False


_restoring: ContextVar[Restoring | None] = ContextVar("csa_typed_text_restoring", default=None)


def _pending(request) -> Restoring | None:
    """The kept fields for this page, when the person signed in now typed them."""
    kept = request.session.get(SESSION_KEY) if request.method == "GET" else None
    if not kept or not request.user.is_authenticated:
        return None
    entry = _fresh(kept).get(request.path)
    if entry is None or not _typed_by(entry, request.user):
        return None
    data = QueryDict(mutable=True)
    for name, values in entry["fields"].items():
        data.setlist(name, values)
    return Restoring(request=request, path=request.path, data=data)


def restore_into(form) -> dict:
    """Fill an unbound form's initial values from the fields kept for this page, when the form has
    any of them; returns {field name: value} applied ({} when none). File and password fields and
    disabled fields are left as the view set them. The first form filled adds `RESTORED`."""
    pending = _restoring.get()
    if pending is None or form.is_bound:
        return {}
    keys = {name: form.add_prefix(name) for name in form.fields}
    if not any(key in pending.data for key in keys.values()):
        return {}  # another form on the page
    values = {}
    for name, form_field in form.fields.items():
        widget = form_field.widget
        if form_field.disabled or isinstance(form_field, forms.FileField) or isinstance(widget, forms.PasswordInput):
            continue
        # A checkbox left unticked sends nothing, and counts as sent (Django's widgets know which do).
        if not widget.value_omitted_from_data(pending.data, {}, keys[name]):
            values[name] = widget.value_from_datadict(pending.data, {}, keys[name])
    form.initial.update(values)
    if not pending.shown:
        pending.shown = True
        messages.warning(pending.request, RESTORED)
    return values


def note_person(request, response) -> None:
    """Set the browser's `PERSON_COOKIE` for the person signed in, when it names someone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    mark = person_mark(user)
    if request.COOKIES.get(person_cookie_name()) != mark:
        response.set_cookie(
            person_cookie_name(),
            mark,
            max_age=30 * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


class SessionEndedMiddleware(LoginRequiredMiddleware):
    """Django's `LoginRequiredMiddleware`, except that a form sent by someone signed out is kept
    (`keep`) and they are told so on the sign-in page; and, once they are back, the form page shows it
    (`restore_into`). Goes where `LoginRequiredMiddleware` would, after `MessageMiddleware`'s request
    handling has run (its `process_view` does) and after `AuthenticationMiddleware`."""

    sync_capable = True
    async_capable = False

    def __call__(self, request):
        token = _restoring.set(_pending(request))
        try:
            response = super().__call__(request)
            pending = _restoring.get()
            if pending is not None and pending.shown:
                # Shown once: a reload shows the page as it is; the text is in the form until then.
                request.session.get(SESSION_KEY, {}).pop(pending.path, None)
                request.session.modified = True
        finally:
            _restoring.reset(token)
        note_person(request, response)
        return response

    def handle_no_permission(self, request, view_func):
        kept = keep(request)
        if kept is None:
            return super().handle_no_permission(request, view_func)
        messages.warning(request, kept.message(signed_in=False))
        return redirect_to_login(kept.path, self.get_login_url(view_func), self.get_redirect_field_name(view_func))


def after_refused_token(request, reason: str):
    """For the CSRF failure view: keep a same-site form whose token had changed (`reason` is Django's
    `ROTATED_TOKEN`: someone signed in again, in this tab or another, since the page was opened) and
    answer with where to go: back to the form when signed in, to sign in otherwise. None when nothing
    was kept (the caller shows its page): no token or no CSRF cookie at all (cookies blocked), and any
    form that did not come from this site's own pages, so another site cannot fill in someone's forms."""
    if reason != ROTATED_TOKEN or not _from_this_site(request):
        return None
    kept = keep(request)
    if kept is None:
        return None
    signed_in = request.user.is_authenticated
    messages.warning(request, kept.message(signed_in=signed_in))
    if signed_in:
        return redirect(kept.path)
    return redirect_to_login(kept.path)


def _from_this_site(request) -> bool:
    """The browser said the form came from a page of this site (Origin, or Referer when it sends none)."""
    here = f"{request.scheme}://{request.get_host()}"
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin == here
    referer = request.META.get("HTTP_REFERER", "")
    return bool(referer) and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    )
