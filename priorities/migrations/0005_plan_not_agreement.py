# The field's term: what Kent calls its Agreement is a plan, in models as in pages and addresses.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # After every migration that still names priorities.Agreement, so the rename finds them all applied.
    dependencies = [
        ("accounts", "0007_organisation_partnership_required"),
        ("actions", "0009_vocabulary_partnership_required"),
        ("audit", "0002_copy_earlier_trails"),
        ("cycles", "0003_cycle_version_and_one_audit_trail"),
        ("reports", "0002_report_outputs_and_word_template"),
        ("priorities", "0004_plan_version_and_action_table"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="agreement", name="agreement_unique_slug"),
        migrations.RemoveConstraint(model_name="agreement", name="agreement_ends_after_start"),
        migrations.RemoveConstraint(model_name="planpriority", name="plan_priority_once_per_plan"),
        migrations.RenameModel(old_name="Agreement", new_name="Plan"),
        migrations.RenameField(model_name="planpriority", old_name="agreement", new_name="plan"),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(fields=("partnership", "slug"), name="plan_unique_slug"),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="plan_ends_after_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="planpriority",
            constraint=models.UniqueConstraint(fields=("plan", "priority"), name="plan_priority_once_per_plan"),
        ),
        migrations.AlterModelOptions(
            name="planpriority",
            options={
                "ordering": ["plan", "order"],
                "verbose_name": "priority in a plan",
                "verbose_name_plural": "priorities in plans",
            },
        ),
        migrations.AlterField(
            model_name="plan",
            name="partnership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="plans", to="accounts.partnership"
            ),
        ),
    ]
