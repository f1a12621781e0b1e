from .models import Notification


def menu_counts(request):
    """Counts the main menu shows beside its pages: {"notification_list": unread notifications} for a
    member of the partnership the page is in (one query, on a partial index of unread notifications)."""
    access = getattr(request, "access", None)
    if access is None or not access.is_member:
        return {"menu_counts": {}}
    return {"menu_counts": {"notification_list": Notification.objects.visible_to(access).unread().count()}}
