from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "csa_tracker.people"
    label = "people"
    verbose_name = "People of a partnership"
