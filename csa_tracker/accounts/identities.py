"""People's identities ignore letter case (issue 23, kind 3): "Jo@X.org" and "jo@x.org" are one person
at sign-in, in invitations, in the people sheet and at password reset.

- An e-mail address is compared without regard to case, the whole address (no mail system a council
  uses treats the local part's case as meaningful), and stored as typed with its domain in lower case
  (`normalise_email`, as Django's `BaseUserManager.normalize_email`).
- Sign-in takes a username or an e-mail address (`CaseInsensitiveBackend`): an active account whose
  username is exactly what was typed first (so nobody who could sign in before is turned away), else
  the one active account whose username or e-mail address matches ignoring case.
- Two active accounts that differ only by case (made before this rule) are never changed
  automatically. Signing in by the shared address is refused, once the password matches one of them
  (so the refusal reveals nothing to someone without it), with `SHARED_ADDRESS_MESSAGE`; the exact
  username still works; invitations and the people sheet refuse the address; the People page marks
  both accounts for an administrator to merge (`accounts_sharing_address`).
- The sign-in lockout counts one account's failures as one, whichever name and case was typed
  (`lockout_username`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import BaseUserManager
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

SHARED_ADDRESS_MESSAGE = (
    "More than one account has this address, written with different capital letters, so we cannot tell "
    "which is yours. Sign in with your username exactly as it was first written, or ask the site "
    "administrator to merge the accounts."
)


# Longer than any username (150) or address (254) an account can have: nothing longer is looked up.
MAX_IDENTIFIER = 254


def normalise_email(email: str) -> str:
    """An address as stored: surrounding spaces removed and the domain in lower case ("Jo@X.ORG " →
    "Jo@x.org"). Compare addresses with `__iexact` (or `.lower()`), never with this alone."""
    return BaseUserManager.normalize_email((email or "").strip())


def accounts_with_address(email: str):
    """The active accounts whose e-mail address is `email`, case ignored (a QuerySet of users, oldest first)."""
    email = normalise_email(email)
    if not email:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk")


def sign_in_candidates(identifier: str) -> list:
    """The active accounts `identifier` (a username or an e-mail address, as typed) may name: the one
    whose username is exactly that, else those whose username or address matches ignoring case (at most
    two are fetched: one is an answer, two are a shared address)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return []
    users = get_user_model()._default_manager.filter(is_active=True)
    exact = list(users.filter(username=identifier)[:1])
    if exact:
        return exact
    return list(users.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier)).order_by("pk")[:2])


def shares_address(identifier: str, password: str) -> bool:
    """True when `identifier` names several accounts and `password` is one of theirs: the sign-in form
    then says why it refuses (`SHARED_ADDRESS_MESSAGE`) instead of "did not match"."""
    candidates = sign_in_candidates(identifier)
    return len(candidates) > 1 and any(user.check_password(password) for user in candidates)


class CaseInsensitiveBackend(ModelBackend):
    """Django's model backend, finding the account by `sign_in_candidates`: one candidate or none."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        candidates = sign_in_candidates(username)
        if len(candidates) != 1:
            # As long as a wrong password takes, so timing does not tell whether an account exists.
            get_user_model()().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials=None) -> str | None:
    """The name the sign-in lockout counts failures under (`AXES_USERNAME_CALLABLE`): the account's
    username in lower case when what was typed names one account (by username or address, any case),
    else what was typed, trimmed and lower-cased. So "partner", "PARTNER" and "partner@example.org"
    share one count: typing the address instead of the username gives no fresh attempts."""
    source = credentials if credentials else getattr(request, "POST", {})
    typed = source.get("username") if source else None
    if not isinstance(typed, str):
        return typed
    candidates = sign_in_candidates(typed) if len(typed) <= MAX_IDENTIFIER else []
    return (candidates[0].username if len(candidates) == 1 else typed.strip()).lower()


def accounts_sharing_address(user_ids) -> set[int]:
    """Of the users `user_ids`, those whose e-mail address another active account also has, case ignored
    (one query): the People page marks them for an administrator to merge."""
    others = get_user_model().objects.filter(is_active=True).exclude(pk=OuterRef("pk")).exclude(email="")
    shared = (
        get_user_model()
        .objects.filter(pk__in=list(user_ids))
        .exclude(email="")
        .annotate(address=Lower("email"))
        .filter(Exists(others.annotate(address=Lower("email")).filter(address=OuterRef("address"))))
    )
    return set(shared.values_list("pk", flat=True))
