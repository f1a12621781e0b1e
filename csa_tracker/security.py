"""Where the client's address comes from, for sign-in lockout and logs."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, unless settings name the header our own proxy sets.

    A header is trusted only when configured, because any client can send one. For a list header
    (X-Forwarded-For) the last entry is the one our proxy appended; earlier ones are the client's word.
    """
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
