"""People and their roles as a configuration spreadsheet (issue 14): exported, changed in a
spreadsheet and imported back; a new address is sent an invitation, a member's roles change, the same
roles change nothing, and one bad row imports nothing."""

import csv
import io

from django.core import mail
from django.urls import reverse

from csa_tracker.accounts.models import Invitation, Membership, Role
from csa_tracker.audit.models import AuditEntry
from tests.spreadsheet_files import csv_bytes, settings_upload

HEADER = ["Name", "E-mail address", "Organisation", "Roles"]


def url(route, **kwargs):
    return reverse(route, kwargs={"partnership": "kent-test", **kwargs})


def exported(client):
    response = client.get(url("settings_spreadsheet_export", kind="people", fmt="csv"))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def send(client, rows, *, data: bytes | None = None):
    """Upload the people sheet and follow to its preview (or the upload page, when refused)."""
    from csa_tracker.accounts.models import Partnership

    partnership = Partnership.objects.get(slug="kent-test")
    response = settings_upload(client, partnership, data or csv_bytes(rows), kind="people", name="people.csv")
    client.preview_url = response.get("Location")
    return client.get(response["Location"]) if response.status_code == 302 else response


def confirm(client):
    return client.post(client.preview_url, follow=True)


def test_the_export_lists_everyone_with_a_role_here_and_nobody_else(world, reviewer):
    rows = exported(reviewer)
    assert rows[0] == HEADER
    emails = {row[1] for row in rows[1:]}
    assert world.users["partner"].email in emails and world.users["working_group"].email in emails
    assert world.outsider.email not in emails
    partner = next(row for row in rows if row[1] == world.users["partner"].email)
    assert partner[2] == "Own District Council" and partner[3] == "Partner"


def test_the_export_imported_back_unchanged_changes_nothing(world, reviewer):
    before = set(Membership.objects.values_list("user_id", "organisation_id", "role"))
    page = send(reviewer, exported(reviewer)).content.decode()
    assert "there is nothing to import" in page
    assert "Error" not in page
    assert set(Membership.objects.values_list("user_id", "organisation_id", "role")) == before


def test_a_new_address_is_invited_and_a_members_roles_change_after_the_preview(world, reviewer):
    partner = world.users["partner"]
    rows = [
        HEADER,
        ["Priya Shah", "Priya.Shah@Example.org", "other council", "Partner; Governing group"],
        [partner.get_full_name(), partner.email, "Own District Council", "Partner;Working Group"],
    ]
    page = send(reviewer, rows).content.decode()
    assert "An invitation is sent." in page and "Partner → Partner; Working Group" in page
    assert "Confirm: import 2 people" in page
    assert mail.outbox == [] and not Invitation.objects.exists()  # nothing until confirmed
    done = confirm(reviewer).content.decode()
    assert "2 rows imported" in done
    invitation = Invitation.objects.get()
    assert invitation.email == "Priya.Shah@example.org"  # the domain is case-blind, the mailbox may not be
    assert invitation.organisation == world.other_org and set(invitation.roles) == {Role.PARTNER, Role.GOVERNING}
    assert [message.to for message in mail.outbox] == [["Priya.Shah@example.org"]]
    assert set(Membership.objects.filter(user=partner).values_list("role", flat=True)) == {
        Role.PARTNER,
        Role.WORKING_GROUP,
    }
    assert AuditEntry.objects.filter(verb="roles_changed").count() == 1


def test_one_bad_row_imports_nothing_and_each_error_names_its_column(world, reviewer):
    rows = [
        HEADER,
        ["Good Person", "good@example.org", "Own District Council", "Partner"],
        ["No Address", "not-an-address", "Own District Council", "Partner"],
        ["Elsewhere", "else@example.org", "Someone Else's Council", "Partner"],
        ["Odd Role", "odd@example.org", "Own District Council", "Chief"],
        ["Twice", "GOOD@example.org", "Own District Council", "Partner"],
    ]
    page = send(reviewer, rows).content.decode()
    assert "“not-an-address” is not an e-mail address" in page
    assert "“Someone Else&#x27;s Council” is not one of KTP&#x27;s organisations" in page
    assert "“Chief” is not a role" in page
    assert "GOOD@example.org is on row 2 too" in page
    assert "nothing can be imported" in page and "Confirm: import" not in page
    assert "Nothing was imported: the file has rows in error." in confirm(reviewer).content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_only_an_administrator_gives_the_administrator_role_by_spreadsheet(world, reviewer, client_as):
    rows = [HEADER, ["New Admin", "admin2@example.org", "Own District Council", "Administrator"]]
    page = send(reviewer, rows).content.decode()
    assert "only an administrator can give or remove the administrator role" in page
    admin_page = send(client_as(world.users["admin"]), rows).content.decode()
    assert "An invitation is sent." in admin_page


def test_a_waiting_invitation_with_the_same_roles_is_not_sent_again(world, reviewer):
    rows = [HEADER, ["Priya Shah", "priya@example.org", "Own District Council", "Partner"]]
    send(reviewer, rows)
    confirm(reviewer)
    assert len(mail.outbox) == 1
    page = send(reviewer, exported(reviewer)).content.decode()
    assert "1 invitation is already waiting with those roles" in page and "there is nothing to import" in page


def test_a_partner_cannot_export_or_import_people(world, client_as):
    partner = client_as(world.users["partner"])
    assert partner.get(url("settings_spreadsheet_export", kind="people", fmt="csv")).status_code == 403
    assert settings_upload(partner, world.partnership, csv_bytes([HEADER]), kind="people").status_code == 403


def test_a_windows_1252_file_from_excel_arrives_as_typed(world, reviewer):
    """Excel's "CSV" on a UK Windows laptop is Windows-1252 with CRLF; the name keeps its ë and ’."""
    text = "Name,E-mail address,Organisation,Roles\r\nZoë O’Neill,zoe@example.org,Own District Council,Partner\r\n"
    page = send(reviewer, None, data=text.encode("cp1252")).content.decode()
    assert "An invitation is sent." in page
    confirm(reviewer)
    assert Invitation.objects.get().name == "Zoë O’Neill"


def test_a_different_name_for_a_member_is_said_to_be_not_read(world, reviewer):
    """Issue 25: a column the import leaves alone is named in the preview, never ignored without a word."""
    rows = exported(reviewer)
    partner = next(row for row in rows if row[1] == world.users["partner"].email)
    partner[0] = "Someone Else"
    page = send(reviewer, rows)
    assert page.context["preview"].notes == [
        "Not read: 1 row gives a different Name for someone who already has an account; an account's name is "
        "its owner's and the people sheet does not change it."
    ]
    assert page.context["preview"].counts["changed"] == 0
