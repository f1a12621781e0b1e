"""A signed-in session ends after `settings.CSA_SESSION_IDLE_MINUTES` without a request.

`SESSION_COOKIE_AGE` is that idle time, and Django counts it from the session's last save; this
middleware saves a signed-in person's session again at most once a minute while they use the site, so
it ends between `CSA_SESSION_IDLE_MINUTES - 1` and `CSA_SESSION_IDLE_MINUTES` minutes after their last
request, however long they worked before. (Saving on every request, `SESSION_SAVE_EVERY_REQUEST`, would
make every page a database write.) Signing in notes the time too (`note_sign_in`, connected to
`user_logged_in` by the accounts app), so the first minute's pages write nothing.
"""

import time

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
