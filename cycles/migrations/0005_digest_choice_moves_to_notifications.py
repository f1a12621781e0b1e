"""The Working Group digest's opt-out becomes that person's notification choice for it (no e-mail)."""

from django.db import migrations


def copy_opt_outs(apps, schema_editor):
    preference = apps.get_model("cycles", "NotificationPreference")
    choice = apps.get_model("notifications", "NotificationChoice")
    for user_id in preference.objects.filter(digest_opt_out=True).values_list("user_id", flat=True):
        choice.objects.update_or_create(user_id=user_id, kind="queue_digest", defaults={"delivery": "off"})


def copy_back(apps, schema_editor):
    preference = apps.get_model("cycles", "NotificationPreference")
    choice = apps.get_model("notifications", "NotificationChoice")
    for user_id in choice.objects.filter(kind="queue_digest", delivery="off").values_list("user_id", flat=True):
        preference.objects.update_or_create(user_id=user_id, defaults={"digest_opt_out": True})


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0004_plan_not_agreement"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_opt_outs, copy_back),
        migrations.DeleteModel(name="NotificationPreference"),
    ]
