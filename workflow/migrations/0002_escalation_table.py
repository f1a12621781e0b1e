from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("reviews", "0002_one_audit_trail"),
    ]

    operations = [migrations.AlterModelTable(name="escalation", table=None)]
