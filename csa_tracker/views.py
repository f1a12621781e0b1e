from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's own page instead of Django's "CSRF verification failed", with a
    link back to the form's page when the browser said where it was (same site only)."""
    referer = request.META.get("HTTP_REFERER", "")
    host = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts=host, require_https=request.is_secure())
    return render(request, "403_csrf.html", {"back_url": referer if safe else ""}, status=403)
