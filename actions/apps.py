from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Actions and progress"

    def ready(self):
        from . import kinds  # noqa: F401 - declares progress updates to the review workflow
