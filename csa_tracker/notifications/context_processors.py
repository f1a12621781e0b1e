from django.utils.functional import SimpleLazyObject

from .models import Notification


def menu_counts(request):
    """Counts the main menu shows beside its pages: {"notification_list": unread notifications} for a
    member of the partnership the page is in (one query, on a partial index of unread notifications, run
    only when a template reads it: a page body rendered for the fragment cache, which shows no menu, runs
    none; issue 26)."""
    access = getattr(request, "access", None)
    if access is None or not access.is_member:
        return {"menu_counts": {}}
    return {
        "menu_counts": SimpleLazyObject(
            lambda: {"notification_list": Notification.objects.visible_to(access).unread().count()}
        )
    }
