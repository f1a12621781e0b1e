"""People with their roles as a configuration spreadsheet (issue 14): exported through a
django-import-export Resource, imported through the people services.

Columns: Name, E-mail address, Organisation, Roles (role names separated by ";", e.g.
"Partner; Working Group"). A row for someone who is not a member yet sends them an invitation
(`invitation_send`); a row for a member gives them exactly those roles (`membership_change`); a row
that matches what is held, or an invitation already waiting with those roles, changes nothing.
The import cannot add people without an invitation: an account is only ever made by its owner
accepting the link.

Preview and commit read the rows the same way; the commit runs every row in one transaction and
writes nothing if any row is refused then (for example an e-mail that cannot be sent).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
from csa_tracker.refusals import NotAllowed
from csa_tracker.text import name_key, normalise_text

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


@dataclass
class PersonRow:
    """One row of the file as the preview shows it: number as the spreadsheet shows it (header = 1)."""

    number: int
    values: list
    errors: list[str] = field(default_factory=list)
    outcome: str = "Unchanged"
    email: str = ""
    name: str = ""
    organisation: object = None
    roles: list[str] = field(default_factory=list)
    user: object = None


def _read(access, stored: dict) -> list[PersonRow]:
    headers = [name_key(header) for header in stored["headers"]]
    column = {name: headers.index(name_key(name)) for name in HEADERS}
    organisations = {name_key(org.name): org for org in organisations_of(access.partnership)}
    organisations |= {name_key(org.short_name): org for org in organisations.values() if org.short_name}
    waiting = {
        (inv.email.lower(), inv.organisation_id, frozenset(inv.roles))
        for inv in Invitation.objects.pending(timezone.now()).filter(partnership=access.partnership)
    }
    seen: dict[str, int] = {}  # address → the first row it is on
    rows = []
    for number, cells in enumerate(stored["rows"], start=2):
        cell = {
            name: normalise_text(str(cells[i] if i < len(cells) and cells[i] is not None else "")).strip()
            for name, i in column.items()
        }
        row = PersonRow(number=number, values=list(cells), name=cell["Name"])
        row.email = normalise_email(cell["E-mail address"])
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(f"E-mail address: “{cell['E-mail address']}” is not an e-mail address.")
        if row.email.lower() in seen:
            row.errors.append(f"E-mail address: {row.email} is on row {seen[row.email.lower()]} too.")
        seen.setdefault(row.email.lower(), number)
        row.organisation = organisations.get(name_key(cell["Organisation"]))
        if row.organisation is None:
            row.errors.append(
                f"Organisation: “{cell['Organisation']}” is not one of {access.partnership.short_name}'s organisations."
            )
        names = [name for name in cell["Roles"].split(SEPARATOR) if name.strip()]
        unknown = [name.strip() for name in names if name_key(name) not in ROLE_BY_NAME]
        if not names or unknown:
            listed = ", ".join(Role.labels)
            said = f"“{'; '.join(unknown)}” is not a role" if unknown else "no role is given"
            row.errors.append(f"Roles: {said}; write one or more of {listed}, separated by “{SEPARATOR}”.")
        row.roles = [ROLE_BY_NAME[name_key(name)] for name in names if name_key(name) in ROLE_BY_NAME]
        if not row.errors:
            _decide(access, row, waiting)
        rows.append(row)
    return rows


def _decide(access, row: PersonRow, waiting: set) -> None:
    """New (an invitation), Changed (roles), or Unchanged; refusals the services would give become errors."""
    row.user = account_for(row.email)
    held, organisations = current_roles(row.user, access.partnership) if row.user else (frozenset(), [])
    if not held:
        if not row.name:
            row.errors.append("Name: the invitation needs the person's name.")
        elif (row.email.lower(), row.organisation.pk, frozenset(row.roles)) in waiting:
            row.outcome = "Unchanged (invitation waiting)"
        else:
            row.outcome = "New: an invitation is sent"
        refusal = MEMBERSHIPS.roles_refusal(access, roles=row.roles)
        if refusal:
            row.errors.append(f"Roles: {refusal[0].lower()}{refusal[1:]}")
        return
    if held == frozenset(row.roles) and organisations == [row.organisation]:
        return
    refusal = MEMBERSHIPS.roles_refusal(access, roles=row.roles, held=held, user=row.user)
    if refusal:
        row.errors.append(f"Roles: {refusal[0].lower()}{refusal[1:]}")
    row.outcome = "Changed: roles"


def preview(access, stored: dict) -> list[dict]:
    """The rows as the configuration preview shows them (number, values, outcome, errors)."""
    return [
        {"number": row.number, "values": row.values, "outcome": row.outcome, "errors": row.errors}
        for row in _read(access, stored)
    ]


def commit(*, access, stored: dict) -> int:
    """Send every invitation and change every member's roles the file asks for, all or none; the number
    of people invited or changed. Raises NotAllowed when a row is refused (nothing is written)."""
    rows = _read(access, stored)
    if any(row.errors for row in rows):
        raise NotAllowed("Some rows have errors now; nothing was imported. Upload the file again to see them.")
    done = 0
    try:
        with transaction.atomic():
            for row in rows:
                if row.outcome.startswith("New"):
                    invitation_send(
                        access=access, email=row.email, name=row.name, organisation=row.organisation, roles=row.roles
                    )
                elif row.outcome.startswith("Changed"):
                    membership_change(access=access, user=row.user, organisation=row.organisation, roles=row.roles)
                else:
                    continue
                done += 1
    except ValidationError as exc:
        problems = " ".join(" ".join(messages) for messages in exc.message_dict.values())
        raise NotAllowed(f"Nothing was imported: {problems}") from exc
    return done
