from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    """The partnership's own settings pages: vocabularies, organisations, indicators, areas, plan settings."""

    name = "configuration"
    verbose_name = "Partnership settings"

    def ready(self):
        from spreadsheets.pipeline import register_import

        from .spreadsheets import LISTS, importer_for

        # Which import a queued confirm runs (spreadsheets.tasks.confirm_upload).
        for kind in LISTS:
            register_import(kind, lambda meta, partnership, kind=kind: importer_for(kind, partnership))
