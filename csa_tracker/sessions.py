"""A signed-in session ends after `settings.CSA_SESSION_IDLE_MINUTES` without a request.

`SESSION_COOKIE_AGE` is that idle time, and Django counts it from the session's last save; this
middleware saves a signed-in person's session again at most once a minute while they use the site, so
it ends between `CSA_SESSION_IDLE_MINUTES - 1` and `CSA_SESSION_IDLE_MINUTES` minutes after their last
request, however long they worked before. (Saving on every request, `SESSION_SAVE_EVERY_REQUEST`, would
make every page a database write.) Signing in notes the time too (`note_sign_in`, connected to
`user_logged_in` by the accounts app), so the first minute's pages write nothing.

So the real rule: a session ends `SESSION_COOKIE_AGE` seconds after its last save, which is at most a
minute after the person's last request (`SESSION_SAVE_EVERY_REQUEST` stays off). Each page tells its
warning how long is left (`session_clock`); "Stay signed in" posts to `keep_alive`, which saves it now.
"""

import time

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST

# Where the time of the last save is kept, in whole seconds since the epoch.
LAST_SEEN_KEY = "csa_last_seen"
# The session is saved again once this many seconds have passed since its last save.
REFRESH_SECONDS = 60


class IdleTimeoutMiddleware:
    """Keep an active signed-in session alive; leave an idle one to expire. Goes after
    SessionMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(LAST_SEEN_KEY, 0) >= REFRESH_SECONDS:
                request.session[LAST_SEEN_KEY] = now  # modified, so saved with a new expiry
        return response


def note_sign_in(sender, request, user, **kwargs):
    """`user_logged_in` receiver: the session is saved at sign-in anyway; start its idle clock there."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN_KEY] = int(time.time())


# The warning before an idle session ends shows this many seconds before (static/js/session-clock.js).
WARN_SECONDS = 5 * 60


def seconds_left(request) -> int:
    """Seconds until this signed-in session ends if no further request comes, counted as
    `IdleTimeoutMiddleware` will leave it after this request: from now when this request saves the
    session again, else from its last save. The session may last up to a minute longer (a save for
    another reason, e.g. a message); never shorter."""
    now = int(time.time())
    last_seen = request.session.get(LAST_SEEN_KEY, 0)
    if now - last_seen >= REFRESH_SECONDS:
        last_seen = now
    return max(settings.SESSION_COOKIE_AGE - (now - last_seen), 0)


def session_clock(request) -> dict:
    """Context processor: `session_seconds_left` for someone signed in (base.html gives it to the
    page's warning as a data attribute), else nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_seconds_left": seconds_left(request), "session_warn_seconds": WARN_SECONDS}


@require_POST
def keep_alive(request):
    """ "Stay signed in": the session's idle clock starts again now (saved with a new expiry). Answers
    JSON {"seconds_left": seconds}; someone already signed out is sent to sign in, as for any page."""
    request.session[LAST_SEEN_KEY] = int(time.time())
    return JsonResponse({"seconds_left": settings.SESSION_COOKIE_AGE})
