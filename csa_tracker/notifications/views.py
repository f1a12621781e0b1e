"""The person's Notifications page (what the app told them, newest first, 25 a page), marking them
read, and their choice of how each kind is e-mailed."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.paging import page_shown

from . import services
from .forms import NotificationChoicesForm
from .kinds import KINDS
from .models import Notification

PAGE_SIZE = 25


@partnership_view(Can.READ)
def notification_list(request):
    notifications = Notification.objects.visible_to(request.access)
    page, page_notice = page_shown(
        Paginator(notifications, PAGE_SIZE), request.GET.get("page"), where="among your notifications"
    )
    context = {"page": page, "page_notice": page_notice, "kinds": KINDS, "unread": notifications.unread().count()}
    return render(request, "notifications/list.html", context)


@partnership_view(Can.READ)
def notification_open(request, pk: int):
    """Marks the notification read and goes to the page it is about (a page of this site)."""
    notification = get_object_or_404(Notification.objects.visible_to(request.access), pk=pk)
    services.notification_read(user=request.user, notification=notification)
    if notification.url:
        return redirect(notification.url)
    return redirect("notification_list", **_here(request))


def _here(request) -> dict:
    return {"partnership": request.access.partnership.slug}


@partnership_view(Can.READ)
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.visible_to(request.access), pk=pk)
    services.notification_read(user=request.user, notification=notification)
    return redirect("notification_list", **_here(request))


@partnership_view(Can.READ)
@require_POST
def notification_read_all(request):
    count = services.notifications_read_all(access=request.access)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notification_list", **_here(request))


@partnership_view(Can.READ)
def notification_settings(request):
    user = request.user
    form = NotificationChoicesForm(request.POST or None, initial=services.choices_of(user))
    if request.method == "POST" and form.is_valid():
        changed = services.notification_choices_save(user=user, choices=form.cleaned_data)
        if changed:
            messages.success(request, "Saved: your e-mails follow these choices from now on.")
        else:
            messages.info(request, "Nothing was changed, so nothing was saved.")
        return redirect("notification_settings", **_here(request))
    security = [found for found in KINDS.values() if found.security]
    return render(request, "notifications/settings.html", {"form": form, "security": security})
