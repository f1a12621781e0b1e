# Escalation moves here from the reviews app: the same table, renamed in 0002.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reviews", "0001_initial"),
        ("actions", "0005_drop_simple_history"),
        ("cycles", "0003_cycle_version_and_one_audit_trail"),
        ("indicators", "0005_drop_simple_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Escalation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("note", models.TextField()),
                        ("escalated_at", models.DateTimeField(auto_now_add=True)),
                        ("cycle", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="escalations", to="cycles.reportingcycle")),
                        ("escalated_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("reading", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="indicators.indicatorreading")),
                        ("update", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="actions.progressupdate")),
                    ],
                    options={
                        "db_table": "reviews_escalation",
                        "ordering": ["-escalated_at"],
                        "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("reading__isnull", True), ("update__isnull", False)), models.Q(("reading__isnull", False), ("update__isnull", True)), _connector="OR"), name="escalation_one_item")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
