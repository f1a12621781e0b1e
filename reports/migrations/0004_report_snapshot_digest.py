from django.db import migrations, models


def fill_digests(apps, schema_editor):
    """Existing versions get the digest of their stored snapshot, one row at a time (each is large)."""
    from reports.snapshot import snapshot_digest

    report = apps.get_model("reports", "report")
    for pk in report.objects.values_list("pk", flat=True):
        snapshot = report.objects.values_list("snapshot", flat=True).get(pk=pk)
        report.objects.filter(pk=pk).update(snapshot_digest=snapshot_digest(snapshot))


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_plan_not_agreement")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="snapshot_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
    ]
