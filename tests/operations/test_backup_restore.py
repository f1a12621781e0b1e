"""A backup of the demo database restores to the same rows and the same published pages."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse

from csa_tracker.accounts.models import Role
from csa_tracker.operations.backup import EXCLUDED
from priorities.models import PlanPriority
from tests.html_forms import same_every_time


def backed_up(model) -> bool:
    return model._meta.app_label not in EXCLUDED and model._meta.label_lower not in EXCLUDED


def rows_of(model, content_types: dict) -> list[tuple]:
    """A model's rows; a content type by its name, since a fresh `migrate` numbers them afresh."""
    fields = model._meta.concrete_fields
    by_name = {field.attname for field in fields if field.is_relation and field.related_model is ContentType}
    return [
        tuple(
            content_types[value] if field.attname in by_name else value
            for field, value in zip(fields, row, strict=True)
        )
        for row in model.objects.order_by("pk").values_list(*(field.attname for field in fields))
    ]


def snapshot() -> dict:
    content_types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}
    return {model._meta.label: rows_of(model, content_types) for model in apps.get_models() if backed_up(model)}


def kent_priority_pages(client) -> dict:
    client.force_login(get_user_model().objects.get(username="board"))
    pages = {}
    for plan_priority in PlanPriority.objects.filter(plan__partnership__slug="kent").select_related("priority"):
        url = reverse(
            "priority_detail",
            kwargs={"partnership": "kent", "plan": "2017-18", "priority": plan_priority.priority.slug},
        )
        response = client.get(url)
        assert response.status_code == 200
        pages[url] = same_every_time(response.content.decode())
    return pages


@pytest.fixture
def demo_database(db, settings):
    settings.DEBUG = True
    call_command("load_demo", password="a-demo-password-1", verbosity=0)
    settings.DEBUG = False


@pytest.mark.django_db(transaction=True)  # PostgreSQL cannot flush inside the test's transaction
def test_restore_of_a_backup_gives_back_every_row_and_the_same_published_pages(demo_database, client, tmp_path):
    pages = kent_priority_pages(client)  # signing in writes last_login, so rows are taken after
    rows = snapshot()
    assert len(pages) == 6
    assert len(rows["actions.Action"]) == 25 + 4  # the whole demo: Kent's plan and Maidstone's
    assert rows["audit.AuditEntry"]  # the demo scenario's review decisions are in the trail
    backup = tmp_path / "backup.xml"
    call_command("backup", output=str(backup))

    call_command("flush", interactive=False, verbosity=0)
    assert not get_user_model().objects.exists()
    call_command("restore", str(backup))

    assert snapshot() == rows
    assert kent_priority_pages(client) == pages
    assert get_user_model().objects.get(username="reviewer").check_password("a-demo-password-1")
    assert get_user_model().objects.get(username="reviewer").memberships.filter(role=Role.WORKING_GROUP).count() == 2


def test_restore_refuses_a_database_that_has_data(demo_database, tmp_path):
    backup = tmp_path / "backup.xml"
    call_command("backup", output=str(backup))
    with pytest.raises(CommandError, match="already has data"):
        call_command("restore", str(backup))
