from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    """The partnership's own settings pages: vocabularies, organisations, indicators, areas, plan settings."""

    name = "configuration"
    verbose_name = "Partnership settings"
