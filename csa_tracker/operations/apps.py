from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "csa_tracker.operations"
    label = "operations"
    verbose_name = "Running the site: backup and restore"
