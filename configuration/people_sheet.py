"""People with their roles as a configuration spreadsheet (issue 14): exported through a
django-import-export Resource, imported through the people services.

Columns: Name, E-mail address, Organisation, Roles (role names separated by ";", e.g.
"Partner; Working Group"). A row for someone who is not a member yet sends them an invitation
(`invitation_send`); a row for a member gives them exactly those roles (`membership_change`); a row
that matches what is held, or an invitation already waiting with those roles, changes nothing.
The import cannot add people without an invitation: an account is only ever made by its owner
accepting the link.

The file is read, previewed and confirmed by the one import pipeline (`spreadsheets.pipeline`); the
commit runs every row in one transaction and writes nothing if any row is refused then (for example an
e-mail that cannot be sent).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from import_export import fields, resources

from csa_tracker.accounts.models import Invitation, Membership, Role
from csa_tracker.accounts.scoping import organisations_of
from csa_tracker.people.policies import MEMBERSHIPS
from csa_tracker.people.services import (
    account_for,
    current_roles,
    invitation_send,
    membership_change,
    normalise_email,
)
from csa_tracker.refusals import Invalid, NotAllowed
from csa_tracker.text import name_key
from spreadsheets import cells
from spreadsheets.files import rows_as_dicts
from spreadsheets.pipeline import CHANGED, ERROR, NEW, UNCHANGED, Preview, RowResult, SheetImport

HEADERS = ["Name", "E-mail address", "Organisation", "Roles"]
SEPARATOR = ";"
ROLE_BY_NAME = {name_key(label): value for value, label in Role.choices} | {value: value for value in Role.values}


def role_names(roles) -> str:
    """ "Partner; Working Group" for the role values given, in the order roles are listed everywhere."""
    return f"{SEPARATOR} ".join(Role(role).label for role in Role.values if role in set(roles))


class PeopleResource(resources.Resource):
    """One row per person with a role in the partnership, then one per invitation waiting for an answer."""

    name = fields.Field(attribute="name", column_name="Name")
    email = fields.Field(attribute="email", column_name="E-mail address")
    organisation = fields.Field(attribute="organisation", column_name="Organisation")
    roles = fields.Field(attribute="roles", column_name="Roles")

    def __init__(self, partnership):
        super().__init__()
        self.partnership = partnership

    def get_queryset(self):
        rows = {}
        memberships = (
            Membership.objects.in_partnership(self.partnership)
            .filter(user__is_active=True)
            .select_related("user", "organisation")
            .order_by("user__last_name", "user__first_name", "user__email")
        )
        for membership in memberships:
            user = membership.user
            row = rows.setdefault(
                user.pk,
                {
                    "name": user.get_full_name() or user.username,
                    "email": user.email,
                    "organisation": membership.organisation.name,
                    "roles": set(),
                },
            )
            row["roles"].add(membership.role)
        waiting = Invitation.objects.pending(timezone.now()).filter(partnership=self.partnership)
        listed = {row["email"].lower() for row in rows.values()}
        people = list(rows.values()) + [
            {"name": inv.name, "email": inv.email, "organisation": inv.organisation.name, "roles": set(inv.roles)}
            for inv in waiting.select_related("organisation").order_by("email")
            if inv.email.lower() not in listed
        ]
        return [{**person, "roles": role_names(person["roles"])} for person in people]

    def export_field(self, field, instance, **kwargs):
        return instance[field.attribute]


class PeopleImport(SheetImport):
    """The people sheet on the one import pipeline: each row New (an invitation is sent), Changed (roles),
    Unchanged, or in error naming its column; Confirm runs the people services, all rows or none."""

    noun, plural = "person", "people"
    title = "People and their roles"
    columns = HEADERS

    def __init__(self, partnership=None):
        self.partnership = partnership

    def judge(self, access, table) -> Preview:
        organisations = {name_key(org.name): org for org in organisations_of(access.partnership)}
        organisations |= {name_key(org.short_name): org for org in organisations.values() if org.short_name}
        waiting = {
            (inv.email.lower(), inv.organisation_id, frozenset(inv.roles))
            for inv in Invitation.objects.pending(timezone.now()).filter(partnership=access.partnership)
        }
        seen: dict[str, int] = {}  # address → the first row it is on
        rows, still_waiting, renamed = [], 0, 0
        for number, row in rows_as_dicts(table, HEADERS):
            result = RowResult(number=number)
            cell = {
                name: self.cell(result, name, lambda v: cells.text(v, max_length=cells.MAX_NAME_CHARS), row[name]) or ""
                for name in HEADERS
            }
            email = normalise_email(cell["E-mail address"])
            result.label = email
            try:
                validate_email(email)
            except ValidationError:
                result.error("E-mail address", f"“{cell['E-mail address']}” is not an e-mail address.")
            if email.lower() in seen:
                result.error("E-mail address", f"{email} is on row {seen[email.lower()]} too.")
            seen.setdefault(email.lower(), number)
            organisation = organisations.get(name_key(cell["Organisation"]))
            if organisation is None:
                result.error(
                    "Organisation",
                    f"“{cell['Organisation']}” is not one of {access.partnership.short_name}'s organisations.",
                )
            names = [name for name in cell["Roles"].split(SEPARATOR) if name.strip()]
            unknown = [name.strip() for name in names if name_key(name) not in ROLE_BY_NAME]
            if not names or unknown:
                listed = ", ".join(Role.labels)
                said = f"“{'; '.join(unknown)}” is not a role" if unknown else "no role is given"
                result.error("Roles", f"{said}; write one or more of {listed}, separated by “{SEPARATOR}”.")
            roles = [ROLE_BY_NAME[name_key(name)] for name in names if name_key(name) in ROLE_BY_NAME]
            result.fields = {"email": email, "name": cell["Name"], "organisation": organisation, "roles": roles}
            if result.status != ERROR and _decide(access, result, waiting):
                still_waiting += 1
            if result.item is not None and cell["Name"] and not _same_name(result.item, cell["Name"]):
                renamed += 1
            rows.append(result)
        notes = []
        if renamed:  # issue 25: a column ignored without a word
            rows_say = "row gives" if renamed == 1 else "rows give"
            notes.append(
                f"Not read: {renamed:,} {rows_say} a different Name for someone who already has an account; "
                "an account's name is its owner's and the people sheet does not change it."
            )
        if still_waiting:
            waits = "invitations are" if still_waiting != 1 else "invitation is"
            notes.append(f"{still_waiting:,} {waits} already waiting with those roles (Unchanged, invitation waiting).")
        return Preview(rows=rows, notes=notes)

    def commit(self, access, preview: Preview) -> int:
        """Send every invitation and change every member's roles the file asks for, all or none; the number
        of people invited or changed. Raises NotAllowed when a row is refused (nothing is written)."""
        try:
            with transaction.atomic():
                for row in preview.to_write:
                    fields = row.fields
                    if row.status == NEW:
                        invitation_send(
                            access=access, **{k: fields[k] for k in ("email", "name", "organisation", "roles")}
                        )
                    else:
                        membership_change(
                            access=access, user=row.item, organisation=fields["organisation"], roles=fields["roles"]
                        )
        except ValidationError as exc:
            problems = " ".join(" ".join(messages) for messages in exc.message_dict.values())
            raise NotAllowed(f"Nothing was imported: {problems}") from exc
        return len(preview.to_write)


def _same_name(user, name: str) -> bool:
    """`name` is the account's as the export writes it (full name, else username), case and spacing aside."""
    return name_key(name) == name_key(user.get_full_name() or user.username)


def _decide(access, result: RowResult, waiting: set) -> bool:
    """New (an invitation), Changed (roles), or Unchanged; refusals the services would give become errors.
    True when the row is an invitation already waiting with those roles."""
    fields = result.fields
    try:
        user = account_for(fields["email"])
    except Invalid as shared:  # two accounts differ only by case: an administrator merges them first
        [message] = shared.message_dict["email"]
        result.error("E-mail address", f"{message[0].lower()}{message[1:]}")
        return False
    held, organisations = current_roles(user, access.partnership) if user else (frozenset(), [])
    roles = frozenset(fields["roles"])
    if not held:
        if not fields["name"]:
            result.error("Name", "the invitation needs the person's name.")
        refusal = MEMBERSHIPS.roles_refusal(access, roles=roles)
        if refusal:
            result.error("Roles", f"{refusal[0].lower()}{refusal[1:]}")
        if result.status == ERROR:
            return False
        if (fields["email"].lower(), fields["organisation"].pk, roles) in waiting:
            result.status = UNCHANGED
            return True
        result.status, result.note = NEW, "An invitation is sent."
        result.changes = [("Roles", None, role_names(roles)), ("Organisation", None, fields["organisation"].name)]
        return False
    result.item = user
    if held == roles and organisations == [fields["organisation"]]:
        result.status = UNCHANGED
        return False
    refusal = MEMBERSHIPS.roles_refusal(access, roles=roles, held=held, user=user)
    if refusal:
        result.error("Roles", f"{refusal[0].lower()}{refusal[1:]}")
    else:
        result.status = CHANGED
        result.changes = [("Roles", role_names(held), role_names(roles))]
        if organisations != [fields["organisation"]]:
            result.changes.append(
                ("Organisation", "; ".join(org.name for org in organisations), fields["organisation"].name)
            )
    return False
