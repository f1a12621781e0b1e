from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators"

    def ready(self):
        from . import kinds  # noqa: F401 - declares readings to the review workflow
