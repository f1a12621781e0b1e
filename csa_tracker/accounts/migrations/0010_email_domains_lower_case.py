"""Stored e-mail addresses get their domain in lower case (issue 23, kind 3; README "People"), as every
address typed since is stored: "Jo@X.ORG" becomes "Jo@x.org". Addresses are compared ignoring case
everywhere, so nothing else needs to change. Two accounts whose addresses differ only by case are left as
they are, both of them: the People page marks them for an administrator to merge, and signing in by that
address says so. Reversing leaves the addresses as they now are (the old case of a domain means nothing).
"""

from django.db import migrations


def _domain_lower(email: str) -> str:
    """As `BaseUserManager.normalize_email`, frozen here so later changes to it do not change this migration."""
    local, at, domain = (email or "").strip().rpartition("@")
    return f"{local}@{domain.lower()}" if at and local else (email or "").strip()


def lower_case_domains(apps, schema_editor):
    for model in (apps.get_model("auth", "User"), apps.get_model("accounts", "Invitation")):
        changed = []
        for row in model.objects.exclude(email="").only("pk", "email").iterator(chunk_size=2000):
            email = _domain_lower(row.email)
            if email != row.email:
                row.email = email
                changed.append(row)
        model.objects.bulk_update(changed, ["email"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_partnership_work_generation"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(lower_case_domains, migrations.RunPython.noop)]
