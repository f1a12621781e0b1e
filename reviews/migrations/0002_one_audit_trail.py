# Review events now live in the one audit trail (copied by audit 0002); escalations moved to workflow.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("audit", "0002_copy_earlier_trails"),
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="ReviewEvent"),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Escalation")]),
    ]
