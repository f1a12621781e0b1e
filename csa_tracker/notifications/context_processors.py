from django.utils.functional import SimpleLazyObject

from csa_tracker.cache import cache_get_or_build

from .models import Notification

# Seconds an unread count is kept; any change to the person's notifications moves its key first.
UNREAD_SECONDS = 24 * 60 * 60


def menu_counts(request):
    """Counts the main menu shows beside its pages: {"notification_list": unread notifications} for a
    member of the partnership the page is in, worked out only when a template reads it (a page body
    rendered for the fragment cache, which shows no menu, reads none). The count is kept in the cache
    under the person's memberships' `notifications_generation`, which every change to their notifications
    moves in its own transaction (`notifications.services`), so a new or read notification shows at
    once; a miss is one query, on a partial index of unread notifications (issue 26)."""
    access = getattr(request, "access", None)
    if access is None or not access.is_member:
        return {"menu_counts": {}}
    return {"menu_counts": SimpleLazyObject(lambda: {"notification_list": unread_count(access)})}


def unread_count(access) -> int:
    """The person's unread notifications in the partnership of `access` (from the cache when kept)."""
    generations = "-".join(f"{pk}.{generation}" for pk, generation in access.notification_generations)
    key = f"unread:{access.user.pk}:{access.partnership.pk}:{generations}"
    return cache_get_or_build(key, lambda: Notification.objects.visible_to(access).unread().count(), UNREAD_SECONDS)
