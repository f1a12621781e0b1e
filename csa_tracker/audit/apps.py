from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "csa_tracker.audit"
    label = "audit"
    verbose_name = "Audit trail"
