from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .typed_text import after_refused_token


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's own page instead of Django's "CSRF verification failed", with a
    link back to the form's page when the browser said where it was (same site only).

    A form of this site refused because its token changed (someone signed in again, in this tab or
    another) keeps what was typed and sends the person back to it, or to sign in (`typed_text`)."""
    answer = after_refused_token(request, reason)
    if answer is not None:
        return answer
    referer = request.META.get("HTTP_REFERER", "")
    host = {request.get_host()}
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts=host, require_https=request.is_secure())
    return render(request, "403_csrf.html", {"back_url": referer if safe else ""}, status=403)


@login_not_required
@require_GET
def favicon(request):
    """`/favicon.ico`, which browsers and feed readers ask for whatever a page links: a permanent redirect to
    the site's icon, `static/favicon.svg` (the one `base.html` links; served by WhiteNoise, hashed in
    production), instead of a 404 (a tester's find). Needs no sign-in."""
    return redirect(static("favicon.svg"), permanent=True)
