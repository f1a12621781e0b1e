"""Give every status, funding source, organisation and area to a partnership (issue 14).

They were one global list. Each global row goes to the partnerships that use it, following the
references: a partnership uses a row when its plans' actions or progress updates, its memberships,
its invitations, its indicators or its readings point at it. The first such partnership (lowest id) keeps the row; every
other one gets a copy, and its references are repointed to the copy. A row nobody uses goes to every
partnership (nothing is lost); statuses are a vocabulary every plan needs, so every partnership gets
every status. An area's parents come along with it, and each copy's parent is its partnership's copy.
Audit trail entries (`csa_tracker.audit.AuditEntry`) keep the names and ids they recorded.
"""

from collections import defaultdict

from django.db import migrations


def _usage(rows):
    found = defaultdict(set)
    for row_id, partnership_id in rows:
        if row_id is not None and partnership_id is not None:
            found[row_id].add(partnership_id)
    return found


def _give(Model, usage, every, fields, repoint):
    """Assign each partnership-less row of `Model`; returns {(partnership id, original id): id in it}."""
    mapping = {}
    for row in Model.objects.filter(partnership__isnull=True).order_by("pk"):
        owners = sorted(usage.get(row.pk) or every)
        if not owners:  # no partnership exists at all: nothing could ever use it
            row.delete()
            continue
        first, *others = owners
        row.partnership_id = first
        row.save(update_fields=["partnership"])
        mapping[(first, row.pk)] = row.pk
        for partnership_id in others:
            copy = Model.objects.create(partnership_id=partnership_id, **{name: getattr(row, name) for name in fields})
            mapping[(partnership_id, row.pk)] = copy.pk
            repoint(row.pk, copy.pk, partnership_id)
    return mapping


def forwards(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    Organisation = apps.get_model("accounts", "Organisation")
    Membership = apps.get_model("accounts", "Membership")
    Invitation = apps.get_model("accounts", "Invitation")
    Status = apps.get_model("actions", "Status")
    FundingSource = apps.get_model("actions", "FundingSource")
    Action = apps.get_model("actions", "Action")
    ProgressUpdate = apps.get_model("actions", "ProgressUpdate")
    Geography = apps.get_model("indicators", "Geography")
    Population = apps.get_model("indicators", "Population")
    Indicator = apps.get_model("indicators", "Indicator")
    IndicatorReading = apps.get_model("indicators", "IndicatorReading")

    every = set(Partnership.objects.values_list("pk", flat=True))
    action_p = "plan_priority__agreement__partnership_id"
    update_p = "action__plan_priority__agreement__partnership_id"

    # Statuses: every partnership gets the whole vocabulary.
    def repoint_status(old, new, p):
        Action.objects.filter(status_id=old, **{action_p: p}).update(status_id=new)
        ProgressUpdate.objects.filter(status_id=old, **{update_p: p}).update(status_id=new)

    _give(Status, {}, every, ["name", "order", "severity", "is_complete"], repoint_status)

    def repoint_funding(old, new, p):
        Action.objects.filter(funding_id=old, **{action_p: p}).update(funding_id=new)

    _give(FundingSource, _usage(Action.objects.values_list("funding_id", action_p)), every, ["name"], repoint_funding)

    # Organisations.
    Leads, Supporters = Action.leads.through, Action.supporters.through
    IndicatorLeads = Indicator.leads.through
    org_usage = _usage(
        [
            *Membership.objects.values_list("organisation_id", "partnership_id"),
            *Invitation.objects.values_list("organisation_id", "partnership_id"),
            *Leads.objects.values_list("organisation_id", f"action__{action_p}"),
            *Supporters.objects.values_list("organisation_id", f"action__{action_p}"),
            *IndicatorLeads.objects.values_list("organisation_id", "indicator__partnership_id"),
            *ProgressUpdate.objects.values_list("organisation_id", update_p),
            *IndicatorReading.objects.values_list("organisation_id", "indicator__partnership_id"),
        ]
    )

    def repoint_organisation(old, new, p):
        Membership.objects.filter(organisation_id=old, partnership_id=p).update(organisation_id=new)
        Invitation.objects.filter(organisation_id=old, partnership_id=p).update(organisation_id=new)
        Leads.objects.filter(organisation_id=old, **{f"action__{action_p}": p}).update(organisation_id=new)
        Supporters.objects.filter(organisation_id=old, **{f"action__{action_p}": p}).update(organisation_id=new)
        IndicatorLeads.objects.filter(organisation_id=old, indicator__partnership_id=p).update(organisation_id=new)
        ProgressUpdate.objects.filter(organisation_id=old, **{update_p: p}).update(organisation_id=new)
        IndicatorReading.objects.filter(organisation_id=old, indicator__partnership_id=p).update(organisation_id=new)

    _give(Organisation, org_usage, every, ["name", "short_name", "kind"], repoint_organisation)

    # Areas, with their parents, and their populations.
    geo_usage = _usage(
        [
            *Indicator.objects.values_list("geography_id", "partnership_id"),
            *IndicatorReading.objects.values_list("geography_id", "indicator__partnership_id"),
        ]
    )
    parents = dict(Geography.objects.values_list("pk", "parent_id"))
    for geography_id, users in list(geo_usage.items()):
        parent = parents.get(geography_id)
        while parent is not None:
            geo_usage[parent] |= users
            parent = parents.get(parent)

    def repoint_geography(old, new, p):
        Indicator.objects.filter(geography_id=old, partnership_id=p).update(geography_id=new)
        IndicatorReading.objects.filter(geography_id=old, indicator__partnership_id=p).update(geography_id=new)
        Population.objects.bulk_create(
            Population(geography_id=new, year=year, value=value)
            for year, value in Population.objects.filter(geography_id=old).values_list("year", "value")
        )

    mapping = _give(Geography, geo_usage, every, ["name", "code", "kind"], repoint_geography)
    for (partnership_id, original), geography_id in mapping.items():
        parent = parents.get(original)
        wanted = mapping.get((partnership_id, parent)) if parent is not None else None
        Geography.objects.filter(pk=geography_id).update(parent_id=wanted)

    # The areas an indicator is reported for: every area it already has readings for.
    for indicator in Indicator.objects.all():
        other = (
            IndicatorReading.objects.filter(indicator=indicator)
            .exclude(geography_id=indicator.geography_id)
            .values_list("geography_id", flat=True)
            .distinct()
        )
        indicator.areas.set(set(other))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_organisation_partnership_year_start"),
        ("actions", "0007_vocabularies_per_partnership_and_themes"),
        ("indicators", "0006_areas_per_partnership_targets_retirement"),
        ("priorities", "0004_plan_version_and_action_table"),
        ("workflow", "0003_escalation_response"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
