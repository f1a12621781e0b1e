"""Each comment an item was returned with so far (in the audit trail) becomes the first of its
conversation, as returns do from now on."""

from django.db import migrations

KINDS = {("actions", "progressupdate"): "update_id", ("indicators", "indicatorreading"): "reading_id"}


def copy_return_comments(apps, schema_editor):
    entry_model = apps.get_model("audit", "AuditEntry")
    comment_model = apps.get_model("workflow", "Comment")
    content_type = apps.get_model("contenttypes", "ContentType")
    for (app_label, model_name), field in KINDS.items():
        found = content_type.objects.filter(app_label=app_label, model=model_name).first()
        if found is None:
            continue
        existing = set(apps.get_model(app_label, model_name).objects.values_list("pk", flat=True))
        entries = entry_model.objects.filter(content_type=found, verb="return", actor__isnull=False).exclude(reason="")
        comment_model.objects.bulk_create(
            comment_model(
                **{field: entry.object_id},
                author_id=entry.actor_id,
                from_working_group=True,
                text=entry.reason,
                occasion="returned",
                created_at=entry.at,
            )
            for entry in entries.order_by("at", "pk")
            if entry.object_id in existing
        )


def remove_return_comments(apps, schema_editor):
    apps.get_model("workflow", "Comment").objects.filter(occasion="returned").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_item_conversations"),
        ("audit", "0004_conversation_evidence_calendar_verbs"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_return_comments, remove_return_comments)]
