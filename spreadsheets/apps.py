from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "spreadsheets"
    verbose_name = "Spreadsheet import and export"
