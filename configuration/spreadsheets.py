"""The configuration spreadsheets (issue 14) on the one import pipeline (`spreadsheets.pipeline`):
organisations, areas and indicators, populations (`configuration.populations`) and people
(`configuration.people_sheet`).

A list's columns are its django-import-export Resource's (`configuration.resources`), so a list exported and
imported back is the same; reading the file, the cell rules, the preview and the confirm are the pipeline's.
Each row is matched by name within the partnership, turned into the data its settings page's form takes
(a name of an area or organisation becomes that entry of this partnership, never another's) and checked by
that same form, so a rule about an entry lives in one place. Confirm writes every new or changed row
through the settings services (`entry_save`, `indicator_save`), each with its audit entry, in one
transaction: every row or none. A blank cell is an empty value, as the export writes one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import model_to_dict

from csa_tracker.accounts.models import Organisation
from csa_tracker.text import name_key
from indicators.models import Geography, Indicator
from spreadsheets import cells
from spreadsheets.cells import Names
from spreadsheets.files import rows_as_dicts
from spreadsheets.pipeline import CHANGED, ERROR, NEW, UNCHANGED, Preview, RowResult, SheetImport, shown

from . import services
from .forms import AreaForm, IndicatorForm, OrganisationForm
from .people_sheet import PeopleImport, PeopleResource
from .populations import PopulationImport
from .resources import AreaResource, IndicatorResource, OrganisationResource, PopulationResource


@dataclass(frozen=True)
class Rule:
    """How one column becomes form data: "text", "choice", "area" (one of the partnership's areas by name),
    "areas" and "organisations" (names separated by ";"), "whole" or "decimal"."""

    kind: str = "text"


class ListImport(SheetImport):
    """A settings list whose entries are edited on a page through `form_class`."""

    resource: type
    form_class: type
    model: type
    rules: dict[str, Rule] = {}  # field → rule; text when not listed
    # Fields whose column a file may leave out (one made before the column was added): their values are kept.
    kept_when_absent: frozenset[str] = frozenset()

    def __init__(self, partnership=None):
        self.partnership = partnership
        fields = self.resource(partnership).get_export_fields()
        self.fields = [(field.column_name, field.attribute) for field in fields]
        self.columns = [column for column, field in self.fields if field not in self.kept_when_absent]
        self.optional = [column for column, field in self.fields if field in self.kept_when_absent]

    def judge(self, access, table) -> Preview:
        partnership = access.partnership
        entries = list(self.model.objects.filter(partnership=partnership))
        by_name = {name_key(entry.name): entry for entry in entries}
        self.areas = Names("area", Geography.objects.in_partnership(partnership))
        self.organisations = Names("organisation", Organisation.objects.filter(partnership=partnership))
        present = {name_key(header) for header in table.headers}
        read = [
            (column, field) for column, field in self.fields if column in self.columns or name_key(column) in present
        ]
        results, first_row_for = [], {}
        for number, row in rows_as_dicts(table, [column for column, _ in self.fields]):
            result = RowResult(number=number)
            data = self._data(row, result, read)
            name = data.get("name") or ""
            result.label = name
            entry = by_name.get(name_key(name)) if name else None
            if name and name_key(name) in first_row_for:
                result.error("Name", f"“{name}” is also on row {first_row_for[name_key(name)]}; keep one.")
            first_row_for.setdefault(name_key(name), number)
            if result.status != ERROR:
                self._check(access, entry, data, result)
            results.append(result)
        return Preview(rows=results)

    def _data(self, row: dict, result: RowResult, read: list[tuple[str, str]]) -> dict:
        """The row's `read` columns (column, field) as the form's data; a cell that cannot be read is an error
        naming its column. A field left out keeps its recorded value (the form starts from the entry's)."""
        data = {}
        for column, field in read:
            kind = self.rules.get(field, Rule()).kind
            parse = lambda value, f=field, k=kind: self._value(f, k, value)  # noqa: E731 - one column's rule
            data[field] = self.cell(result, column, parse, row[column])
        return data

    def _value(self, field: str, kind: str, value):
        if kind == "choice":
            return cells.choice(value, self.model._meta.get_field(field).choices, what=self.choice_nouns[field])
        if kind == "area":
            found = cells.text(value, max_length=cells.MAX_NAME_CHARS)
            return self.areas.get(found).pk if found else None
        if kind in ("areas", "organisations"):
            names = getattr(self, kind)
            return [names.get(name.strip()).pk for name in (cells.text(value) or "").split(";") if name.strip()]
        if kind == "whole":
            return self.whole_number(value, "This")
        if kind == "decimal":
            return self.number(value)
        return cells.text(value) or ""

    def _check(self, access, entry, data: dict, result: RowResult) -> None:
        """The page's form decides; its messages are the row's errors, under the column they concern."""
        instance = entry or self.model(partnership=access.partnership)
        # Read before the form validates: a bound ModelForm copies the new values onto its instance.
        before = {field: _comparable(getattr(entry, field)) for _, field in self.fields} if entry else {}
        form_data = _as_form_data({**model_to_dict(instance, fields=self.form_class._meta.fields), **data})
        form = self.form_class(form_data, instance=entry, partnership=access.partnership)
        if not form.is_valid():
            columns = {field: column for column, field in self.fields}
            for field, messages in form.errors.items():
                for message in messages:
                    result.error(columns.get(field, ""), message)
            return
        changes = []
        for column, field in self.fields:
            new = _comparable(form.cleaned_data.get(field))
            if entry is None:
                if new not in (None, "", frozenset()):
                    changes.append((column, None, self._shown(field, new)))
                continue
            if (old := before[field]) != new:
                changes.append((column, self._shown(field, old), self._shown(field, new)))
        result.status = NEW if entry is None else CHANGED if changes else UNCHANGED
        result.changes, result.item, result.fields = changes, entry, {"form": form}

    def _shown(self, field: str, value) -> object:
        if self.rules.get(field, Rule()).kind == "choice":
            return shown(dict(self.model._meta.get_field(field).choices).get(value, value))
        return shown(value)

    def commit(self, access, preview: Preview) -> int:
        with transaction.atomic():
            for row in preview.to_write:
                self.save(access, row.fields["form"])
        return len(preview.to_write)

    def save(self, access, form) -> None:
        services.entry_save(access=access, form=form, noun=self.noun)


def _comparable(value):
    """A value as stored, comparable with the form's: related entries as a set, text without outer spaces."""
    if hasattr(value, "all"):
        value = value.all()
    if isinstance(value, list | tuple | set | frozenset | QuerySet):
        return frozenset(value)
    return value.strip() if isinstance(value, str) else value


def _as_form_data(values: dict) -> dict:
    """Values as a bound form receives them: text, pks, lists of pks (compared as such)."""
    data = {}
    for field, value in values.items():
        if isinstance(value, list | tuple | set | frozenset):
            data[field] = sorted(str(getattr(item, "pk", item)) for item in value)
        elif value is None:
            data[field] = ""
        else:
            data[field] = str(getattr(value, "pk", value))
    return data


class OrganisationImport(ListImport):
    noun = "organisation"
    title = "Organisations"
    resource, form_class, model = OrganisationResource, OrganisationForm, Organisation
    rules = {"kind": Rule("choice")}
    choice_nouns = {"kind": "kind of organisation"}


class AreaImport(ListImport):
    noun = "area"
    title = "Areas"
    resource, form_class, model = AreaResource, AreaForm, Geography
    rules = {"kind": Rule("choice"), "parent": Rule("area"), "districts": Rule("areas")}
    choice_nouns = {"kind": "kind of area"}
    kept_when_absent = frozenset({"districts"})  # areas files made before combined areas named their districts


class IndicatorImport(ListImport):
    noun = "indicator"
    title = "Indicators"
    resource, form_class, model = IndicatorResource, IndicatorForm, Indicator
    rules = {
        "unit": Rule("choice"),
        "polarity": Rule("choice"),
        "period_type": Rule("choice"),
        "rate_per": Rule("whole"),
        "geography": Rule("area"),
        "areas": Rule("areas"),
        "leads": Rule("organisations"),
        "stable_band_pct": Rule("decimal"),
        "change_threshold_pct": Rule("decimal"),
    }
    choice_nouns = {"unit": "unit", "polarity": "polarity", "period_type": "period type"}

    def save(self, access, form) -> None:
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        target = Indicator.objects.get(pk=form.instance.pk) if form.instance.pk else None
        services.indicator_save(access=access, indicator=target, fields=fields)


# kind → (title, Resource for the export, import class)
LISTS = {
    "organisations": ("Organisations", OrganisationResource, OrganisationImport),
    "people": ("People and their roles (a new address is sent an invitation)", PeopleResource, PeopleImport),
    "areas": ("Areas", AreaResource, AreaImport),
    "populations": ("Populations", PopulationResource, PopulationImport),
    "indicators": ("Indicators", IndicatorResource, IndicatorImport),
}


def importer_for(kind: str, partnership) -> SheetImport:
    """The import of the list `kind`, for `partnership`; KeyError for no such list."""
    return LISTS[kind][2](partnership)
