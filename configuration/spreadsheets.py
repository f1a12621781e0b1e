"""Pages around django-import-export's dry run for the configuration spreadsheets (issue 14).

Upload → `import_data(dry_run=True)` → a preview of every row as new, changed, unchanged or in error
→ Confirm runs the import for real in one transaction (all rows or none). The file's cells wait in
the session between the two (configuration files are small; the upload is capped by `parsing`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import tablib
from django.db import transaction

from csa_tracker.accounts.figures import figures_changed
from csa_tracker.accounts.policies import PARTNERSHIPS
from csa_tracker.audit.services import audit_record, changes_between, field_values
from csa_tracker.cells import unescape_cell
from csa_tracker.refusals import NotAllowed
from indicators.models import Population
from spreadsheets import parsing

from . import people_sheet
from .resources import RESOURCES
from .services import population_recorded

OUTCOMES = {"new": "New", "update": "Changed", "skip": "Unchanged", "error": "Error", "invalid": "Error"}


def _cell(value):
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    return unescape_cell(value) if isinstance(value, str) else value


def read_upload(data: bytes) -> dict:
    """The file's headers and rows as the session keeps them; raises `parsing.UploadError`."""
    table = parsing.read_table(data)
    return {"headers": table.headers, "rows": [[_cell(cell) for cell in cells] for _, cells in table.rows]}


def _dataset(kind: str, partnership, stored: dict):
    resource = RESOURCES[kind][1](partnership)
    expected = [field.column_name for field in resource.get_import_fields()]
    parsing.check_headers(stored["headers"], required=expected)
    dataset = tablib.Dataset(headers=stored["headers"])
    for row in stored["rows"]:
        dataset.append(row)
    return resource, dataset


def preview(kind: str, access, stored: dict) -> list[dict]:
    """One dict per row: number (as the spreadsheet shows it), outcome label, values, errors (sentences).
    Raises `parsing.UploadError` when the file lacks a column the kind needs."""
    if kind == "people":
        parsing.check_headers(stored["headers"], required=people_sheet.HEADERS)
        return people_sheet.preview(access, stored)
    resource, dataset = _dataset(kind, access.partnership, stored)
    result = resource.import_data(dataset, dry_run=True, use_transactions=True)
    errors: dict[int, list[str]] = {}
    for number, row_errors in result.row_errors():
        errors.setdefault(number, []).extend(str(error.error) for error in row_errors)
    columns = {name: field.column_name for name, field in resource.fields.items()}
    for invalid in result.invalid_rows:
        for field_name, messages in invalid.error_dict.items():
            column = columns.get(field_name)  # "__all__": a rule about the whole row
            errors.setdefault(invalid.number, []).extend(
                f"{column}: {message}" if column else str(message) for message in messages
            )
    rows = []
    for index, row_result in enumerate(result.rows, start=1):
        rows.append(
            {
                "number": index + 1,  # the header is row 1
                "outcome": "Error" if index in errors else OUTCOMES.get(row_result.import_type, "Unchanged"),
                "values": stored["rows"][index - 1],
                "errors": errors.get(index, []),
            }
        )
    return rows


def commit(*, access, kind: str, stored: dict) -> int:
    """Import every row for real in one transaction, each new or changed row with its audit entry (a
    population as one typed on its area's page); raises NotAllowed (nothing written) if any row fails.
    Returns how many rows were written."""
    PARTNERSHIPS.check(access, "change_settings")
    if kind == "people":
        return people_sheet.commit(access=access, stored=stored)
    resource, dataset = _dataset(kind, access.partnership, stored)
    model = resource._meta.model
    names = {f.name for f in model._meta.get_fields()}
    audited = [f.attribute for f in resource.get_import_fields() if f.attribute in names]
    with transaction.atomic():
        before = {row.pk: field_values(row, audited) for row in resource.get_queryset()}
        result = resource.import_data(
            dataset, dry_run=False, use_transactions=False, retain_instance_in_row_result=True
        )
        if result.has_errors() or result.has_validation_errors():
            transaction.set_rollback(True)
            raise NotAllowed("Some rows have errors now; nothing was imported. Upload the file again to see them.")
        written = [row for row in result.rows if row.import_type in ("new", "update")]
        for row in written:
            _record(access, row.instance, created=row.is_new(), before=before.get(row.instance.pk, {}), fields=audited)
        figures_changed(access.partnership)  # what published figures show may change (indicators.figure_cache)
    return len(written)


def _record(access, instance, *, created: bool, before: dict, fields: list[str]) -> None:
    """The audit entry of one imported row: a population about its area, as typed on the area's page;
    any other row about itself, with the values it changed."""
    if isinstance(instance, Population):
        population_recorded(
            access=access, area=instance.geography, year=instance.year, value=instance.value, created=created
        )
        return
    noun = instance._meta.verbose_name
    audit_record(
        instance,
        actor=access.user,
        verb="create" if created else "edit",
        summary=f"{noun.capitalize()} “{instance}” {'added' if created else 'changed'} from a spreadsheet",
        changes=changes_between(before, field_values(instance, fields)),
    )
