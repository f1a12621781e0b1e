"""The signed token in a digest e-mail's unsubscribe link: it names the person, so the link works
without signing in, and cannot be forged for someone else."""

from django.contrib.auth import get_user_model
from django.core import signing

UNSUBSCRIBE_SALT = "cycles.digest-unsubscribe"


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_token(token: str):
    """The person a digest unsubscribe link was made for, or None when the link was tampered with."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()
