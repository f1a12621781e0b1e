"""The configuration lists' columns and rows (issue 14), as django-import-export Resources bound to one
partnership: each exports that partnership's rows only, and its export fields are the columns its import
(`configuration.spreadsheets`, on the one import pipeline) reads, so a list exported and imported back is
the same. Choices are written as the pages name them ("District council"), related entries by name.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from csa_tracker.accounts.models import Organisation
from indicators.models import Geography, Indicator, Population


class ChoicesWidget(widgets.Widget):
    """A choice as the pages name it ("District council"); the import reads the label or the stored code."""

    def __init__(self, choices):
        super().__init__()
        self.labels = {value: str(label) for value, label in choices}

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


def text(attribute: str, column: str) -> fields.Field:
    """A text column: an empty text is an empty cell."""
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget(allow_blank=True))


def choice(model, attribute: str, column: str) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column, widget=ChoicesWidget(model._meta.get_field(attribute).choices)
    )


def named(model, attribute: str, column: str) -> fields.Field:
    """One related entry, by its name."""
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.ForeignKeyWidget(model, "name"))


def names(model, attribute: str, column: str) -> fields.Field:
    """Related entries, by name, separated by ";"."""
    widget = widgets.ManyToManyWidget(model, separator=";", field="name")
    return fields.Field(attribute=attribute, column_name=column, widget=widget)


class PartnershipResource(resources.ModelResource):
    """The rows of one partnership."""

    def __init__(self, partnership):
        super().__init__()
        self.partnership = partnership

    def get_queryset(self):
        return self._meta.model.objects.filter(partnership=self.partnership)


class OrganisationResource(PartnershipResource):
    name = text("name", "Name")
    short_name = text("short_name", "Short name")
    kind = choice(Organisation, "kind", "Kind")

    class Meta:
        model = Organisation
        fields = ("name", "short_name", "kind")


class AreaResource(PartnershipResource):
    name = text("name", "Name")
    code = text("code", "ONS code")
    kind = choice(Geography, "kind", "Kind")
    parent = named(Geography, "parent", "Within")
    districts = names(Geography, "districts", "Districts it combines")

    class Meta:
        model = Geography
        fields = ("name", "code", "kind", "parent", "districts")


class PopulationResource(PartnershipResource):
    """Laid out as ONS mid-year estimates are: the columns `configuration.populations` reads."""

    code = fields.Field(attribute="geography__code", column_name="Area code")
    area = named(Geography, "geography", "Area name")
    year = fields.Field(attribute="year", column_name="Year", widget=widgets.IntegerWidget())
    value = fields.Field(attribute="value", column_name="Population", widget=widgets.IntegerWidget())

    class Meta:
        model = Population
        fields = ("code", "area", "year", "value")

    def get_queryset(self):
        return Population.objects.filter(geography__partnership=self.partnership).select_related("geography")


class IndicatorResource(PartnershipResource):
    name = text("name", "Name")
    unit = choice(Indicator, "unit", "Unit")
    rate_per = fields.Field(attribute="rate_per", column_name="Rate per", widget=widgets.IntegerWidget())
    polarity = choice(Indicator, "polarity", "Polarity")
    period_type = choice(Indicator, "period_type", "Period type")
    geography = named(Geography, "geography", "Main area")
    areas = names(Geography, "areas", "Other areas")
    source = text("source", "Source")
    leads = names(Organisation, "leads", "Lead organisations")
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
