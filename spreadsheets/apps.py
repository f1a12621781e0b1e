from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "spreadsheets"
    verbose_name = "Spreadsheet import and export"

    def ready(self):
        from .importers import IMPORTERS
        from .pipeline import register_import
        from .police import PoliceImporter

        # Which import a queued confirm runs (spreadsheets.tasks.confirm_upload).
        for kind, importer in IMPORTERS.items():
            register_import(kind, lambda meta, partnership, importer=importer: importer())
        register_import("police", lambda meta, partnership: PoliceImporter())
