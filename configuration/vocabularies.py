"""The four lists a partnership keeps for itself, and what their pages need to know about each."""

from __future__ import annotations

from dataclasses import dataclass

from actions.models import FundingSource, Status, Theme
from csa_tracker.accounts.models import Organisation
from indicators.models import Geography

from . import forms


@dataclass(frozen=True)
class Vocabulary:
    kind: str  # the address segment: /<partnership>/settings/<kind>/
    model: type
    form_class: type
    title: str  # the list page's heading
    noun: str
    columns: tuple[tuple[str, str], ...]  # (heading, attribute) shown in the list
    explanation: str

    populations: bool = False  # each entry links to its populations page

    def entries(self, partnership):
        entries = self.model.objects.filter(partnership=partnership)
        return entries.select_related("parent").prefetch_related("districts") if self.model is Geography else entries


VOCABULARIES = {
    vocabulary.kind: vocabulary
    for vocabulary in (
        Vocabulary(
            "statuses",
            Status,
            forms.StatusForm,
            "Action statuses",
            "status",
            (
                ("Order", "order"),
                ("Severity", "severity"),
                ("Rating", "get_rating_display"),
                ("Complete", "is_complete"),
            ),
            "The statuses partners choose from when they report progress. Severity 0–1 rates green, 2 amber and "
            "3 or more red; a published update that raises the severity is flagged as “status worsened”.",
        ),
        Vocabulary(
            "funding-sources",
            FundingSource,
            forms.FundingSourceForm,
            "Funding sources",
            "funding source",
            (),
            "Where the money for an action comes from, as the plan states it.",
        ),
        Vocabulary(
            "themes",
            Theme,
            forms.ThemeForm,
            "Cross-cutting themes",
            "theme",
            (("Order", "order"),),
            "Themes tag actions across priorities; the plan, the dashboards, the completeness board and the "
            "actions export can be filtered by them.",
        ),
        Vocabulary(
            "organisations",
            Organisation,
            forms.OrganisationForm,
            "Organisations",
            "organisation",
            (("Short name", "short_name"), ("Kind", "get_kind_display")),
            "The lead and supporting agencies of this partnership. People take part on behalf of one of them.",
        ),
        Vocabulary(
            "areas",
            Geography,
            forms.AreaForm,
            "Areas and populations",
            "area",
            (
                ("ONS code", "code"),
                ("Kind", "get_kind_display"),
                ("Within", "parent"),
                ("Districts it combines", "district_names"),
            ),
            "The partnership's own area, its districts (and wards if wanted) and the national comparators its "
            "indicators are reported for; a combined area names the districts it combines. Rates per population "
            "use each area's population for the year.",
            populations=True,
        ),
    )
}
