"""Copy the three earlier trails (review events, cycle events and django-simple-history's records of
actions, plans, plan priorities and indicators) into the one audit trail, before they are dropped."""

from django.db import migrations

TRANSITIONS = {
    "create": "Draft started",
    "edit": "Edited",
    "submit": "Submitted",
    "withdraw": "Withdrawn",
    "return": "Returned",
    "publish": "Published",
    "escalate": "Escalated",
    "correct": "Corrected after publication",
    "import": "Imported",
}
CYCLE_VERBS = {"locked": ("lock", "Locked"), "open": ("reopen", "Reopened"), "published": ("publish", "Published")}


def copy(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")

    def content_type(app_label, model):
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    entries = []
    ReviewEvent = apps.get_model("reviews", "ReviewEvent")
    for event in ReviewEvent.objects.select_related(
        "update__action__plan_priority__agreement", "reading__indicator"
    ).iterator():
        if event.update_id:
            item, kind = event.update, content_type("actions", "progressupdate")
            partnership_id = item.action.plan_priority.agreement.partnership_id
            about = f"Progress on “{item.action.wording[:80]}”"
        else:
            item, kind = event.reading, content_type("indicators", "indicatorreading")
            partnership_id = item.indicator.partnership_id
            about = f"{item.indicator.name}, {item.period_end}"
        entries.append(AuditEntry(
            partnership_id=partnership_id, content_type=kind, object_id=item.pk, about=about[:300],
            actor_id=event.actor_id, at=event.at, verb=event.transition,
            summary=TRANSITIONS.get(event.transition, event.transition), from_state=event.from_state,
            to_state=event.to_state, reason=event.comment,
        ))
    CycleEvent = apps.get_model("cycles", "CycleEvent")
    cycle_type = content_type("cycles", "reportingcycle")
    for event in CycleEvent.objects.select_related("cycle__agreement").iterator():
        verb, summary = CYCLE_VERBS.get(event.to_state, (event.to_state, event.to_state.capitalize()))
        entries.append(AuditEntry(
            partnership_id=event.cycle.agreement.partnership_id, content_type=cycle_type, object_id=event.cycle_id,
            about=f"{event.cycle.name}"[:300], actor_id=event.actor_id, at=event.at, verb=verb, summary=summary,
            from_state=event.from_state, to_state=event.to_state, reason=event.reason,
        ))
    # Only the history rows someone wrote a reason for (the loader's own rows have none).
    histories = [
        ("actions", "HistoricalAction", "action", lambda r: r.plan_priority.agreement.partnership_id, "wording"),
        ("priorities", "HistoricalAgreement", "agreement", lambda r: r.partnership_id, "title"),
        ("priorities", "HistoricalPlanPriority", "planpriority", lambda r: r.agreement.partnership_id, "title"),
        ("indicators", "HistoricalIndicator", "indicator", lambda r: r.partnership_id, "name"),
    ]
    for app_label, name, model, partnership_of, title in histories:
        kind = content_type(app_label, model)
        for record in apps.get_model(app_label, name).objects.exclude(history_change_reason=None).exclude(
            history_change_reason=""
        ).iterator():
            entries.append(AuditEntry(
                partnership_id=partnership_of(record), content_type=kind, object_id=record.id,
                about=str(getattr(record, title))[:300], actor_id=record.history_user_id, at=record.history_date,
                verb="create" if record.history_type == "+" else "edit",
                summary="Added" if record.history_type == "+" else "Changed", reason=record.history_change_reason,
            ))
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0001_initial"),
        ("cycles", "0002_reminders_and_cycle_events"),
        ("actions", "0004_state_indexes"),
        ("priorities", "0001_initial"),
        ("indicators", "0004_state_indexes"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
