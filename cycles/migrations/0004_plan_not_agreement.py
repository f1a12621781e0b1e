from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0003_cycle_version_and_one_audit_trail"),
        ("priorities", "0005_plan_not_agreement"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="reportingcycle", name="cycle_unique_name"),
        migrations.RenameField(model_name="reportingcycle", old_name="agreement", new_name="plan"),
        migrations.AddConstraint(
            model_name="reportingcycle",
            constraint=models.UniqueConstraint(fields=("plan", "name"), name="cycle_unique_name"),
        ),
        migrations.AlterModelOptions(name="reportingcycle", options={"ordering": ["plan", "period_start"]}),
    ]
