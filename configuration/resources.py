"""Configuration spreadsheets (issue 14): organisations, areas, populations and indicators of one
partnership, exported and imported through django-import-export Resources.

Every Resource is bound to one partnership: it reads only that partnership's rows, matches rows by
name within it, and gives new rows to it. Imports run `import_data(dry_run=True)` for the preview;
confirming runs it again for real in one transaction, and only when the dry run had no error.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from csa_tracker.accounts.models import Organisation
from csa_tracker.text import name_key, normalise_text
from indicators.models import Geography, Indicator, Population

from .people_sheet import PeopleResource
from .services import _free_slug


class PartnershipWidget(widgets.ForeignKeyWidget):
    """A foreign key by name, among the partnership's own rows only (another partnership's is an error)."""

    def __init__(self, model, field, partnership):
        super().__init__(model, field)
        self.partnership = partnership

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(partnership=self.partnership)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            noun = self.model._meta.verbose_name
            raise ValueError(f"“{value}” is not the name of one of this partnership's {noun}s.") from None


class PartnershipManyWidget(widgets.ManyToManyWidget):
    def __init__(self, model, field, partnership):
        super().__init__(model, separator=";", field=field)
        self.partnership = partnership

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        names = [normalise_text(name).strip() for name in str(value).split(self.separator) if name.strip()]
        found = self.model.objects.filter(partnership=self.partnership, **{f"{self.field}__in": names})
        missing = sorted(set(names) - {getattr(item, self.field) for item in found})
        if missing:
            raise ValueError(f"Not one of this partnership's: {', '.join(missing)}.")
        return found


class ChoicesWidget(widgets.Widget):
    """A choice as the pages name it ("District council"); the stored code ("district_council") is read
    too, so files exported before labels were used still import. Matched without regard to case or spaces."""

    def __init__(self, choices, what: str):
        super().__init__()
        self.choices = [(value, str(label)) for value, label in choices]
        self.what = what
        self.by_key = {name_key(label): value for value, label in self.choices}
        self.by_key |= {name_key(value): value for value, _ in self.choices}

    def clean(self, value, row=None, **kwargs):
        if value is None or not str(value).strip():
            return ""
        found = self.by_key.get(name_key(str(value)))
        if found is None:
            listed = ", ".join(label for _, label in self.choices)
            raise ValueError(f"“{value}” is not a {self.what}: write one of {listed}.")
        return found

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


def text(attribute: str, column: str) -> fields.Field:
    """A text column: an empty cell is an empty text, as the page's form stores it (never NULL)."""
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget(allow_blank=True))


def choice(model, attribute: str, column: str, what: str) -> fields.Field:
    widget = ChoicesWidget(model._meta.get_field(attribute).choices, what)
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


class PartnershipResource(resources.ModelResource):
    """Rows of one partnership; new rows are given to it before they are validated."""

    def __init__(self, partnership):
        super().__init__()
        self.partnership = partnership

    def get_queryset(self):
        return self._meta.model.objects.filter(partnership=self.partnership)

    def init_instance(self, row=None):
        return self._meta.model(partnership=self.partnership)


class OrganisationResource(PartnershipResource):
    name = text("name", "Name")
    short_name = text("short_name", "Short name")
    kind = choice(Organisation, "kind", "Kind", "kind of organisation")

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "kind")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class AreaResource(PartnershipResource):
    name = text("name", "Name")
    code = text("code", "ONS code")
    kind = choice(Geography, "kind", "Kind", "kind of area")
    parent = fields.Field(attribute="parent", column_name="Within")

    class Meta:
        model = Geography
        fields = ("name", "code", "kind", "parent")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, partnership):
        super().__init__(partnership)
        self.fields["parent"].widget = PartnershipWidget(Geography, "name", partnership)


class PopulationResource(resources.ModelResource):
    area = fields.Field(attribute="geography", column_name="Area name")
    code = fields.Field(attribute="geography__code", column_name="Area code", readonly=True)
    year = fields.Field(attribute="year", column_name="Year", widget=widgets.IntegerWidget())
    value = fields.Field(attribute="value", column_name="Population", widget=widgets.IntegerWidget())

    class Meta:
        model = Population
        fields = ("code", "area", "year", "value")
        import_id_fields = ("area", "year")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, partnership):
        super().__init__()
        self.partnership = partnership
        self.fields["area"].widget = PartnershipWidget(Geography, "name", partnership)

    def get_queryset(self):
        return Population.objects.filter(geography__partnership=self.partnership).select_related("geography")


class IndicatorResource(PartnershipResource):
    name = text("name", "Name")
    unit = choice(Indicator, "unit", "Unit", "unit")
    rate_per = fields.Field(attribute="rate_per", column_name="Rate per", widget=widgets.IntegerWidget())
    polarity = choice(Indicator, "polarity", "Polarity", "polarity")
    period_type = choice(Indicator, "period_type", "Period type", "period type")
    geography = fields.Field(attribute="geography", column_name="Main area")
    areas = fields.Field(attribute="areas", column_name="Other areas")
    source = text("source", "Source")
    leads = fields.Field(attribute="leads", column_name="Lead organisations")
    stable_band_pct = fields.Field(
        attribute="stable_band_pct", column_name="Stable band %", widget=widgets.DecimalWidget()
    )
    change_threshold_pct = fields.Field(
        attribute="change_threshold_pct", column_name="Flag change above %", widget=widgets.DecimalWidget()
    )

    class Meta:
        model = Indicator
        fields = (
            "name", "unit", "rate_per", "polarity", "period_type", "geography", "areas", "source", "leads",
            "stable_band_pct", "change_threshold_pct",
        )  # fmt: skip
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, partnership):
        super().__init__(partnership)
        self.fields["geography"].widget = PartnershipWidget(Geography, "name", partnership)
        self.fields["areas"].widget = PartnershipManyWidget(Geography, "name", partnership)
        self.fields["leads"].widget = PartnershipManyWidget(Organisation, "name", partnership)

    def import_instance(self, instance, row, **kwargs):
        """A new indicator's address comes from its name, before the row is validated."""
        super().import_instance(instance, row, **kwargs)
        if not instance.slug and instance.name:
            instance.slug = _free_slug(self.partnership, instance.name)


RESOURCES = {
    "organisations": ("Organisations", OrganisationResource),
    "people": ("People and their roles (a new address is sent an invitation)", PeopleResource),
    "areas": ("Areas", AreaResource),
    "populations": ("Populations", PopulationResource),
    "indicators": ("Indicators", IndicatorResource),
}
