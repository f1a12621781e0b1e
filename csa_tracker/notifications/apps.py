from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "csa_tracker.notifications"
    label = "notifications"
    verbose_name = "Notifications"
