from django.apps import AppConfig


class PlanDocsConfig(AppConfig):
    name = "plandocs"
    verbose_name = "The plan as a Word document"
