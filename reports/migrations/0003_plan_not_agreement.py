import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_outputs_and_word_template"),
        ("priorities", "0005_plan_not_agreement"),
    ]

    operations = [
        migrations.RenameField(model_name="report", old_name="agreement", new_name="plan"),
        migrations.AlterModelOptions(name="report", options={"ordering": ["plan", "-cycle__period_start", "-version"]}),
        migrations.AlterField(
            model_name="report",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="reports", to="priorities.plan"
            ),
        ),
    ]
