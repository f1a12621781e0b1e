"""The two kinds of reviewed item, and what the shared views need to know about each."""

from __future__ import annotations

from dataclasses import dataclass

from actions.models import ProgressUpdate
from indicators.models import IndicatorReading

from .forms import ProgressUpdateForm, ReadingForm


@dataclass(frozen=True)
class Kind:
    name: str  # "update" or "reading": URL names are f"{name}_edit", f"review_{name}"...
    model: type
    form_class: type
    related: tuple[str, ...]

    def visible(self, access):
        return self.model.objects.visible_to(access).select_related("author", "organisation", *self.related)

    def form(self, item, *args, partnership, **kwargs):
        """The item's form; a progress update offers only `partnership`'s own statuses."""
        if self.name == "reading":
            kwargs["indicator"] = item.indicator
        else:
            kwargs["partnership"] = partnership
        return self.form_class(*args, **kwargs)

    def initial(self, item) -> dict:
        fields = [name for name in self.form_class.base_fields if name != "version"]
        values = {name: getattr(item, name) for name in fields}
        values["version"] = item.version
        return values

    def published_before(self, item):
        """The published version the submitted item would replace (for the diff), if any."""
        published = self.model.objects.published().exclude(pk=item.pk).order_by("-published_at")
        if self.name == "update":
            return published.filter(action_id=item.action_id).select_related("status").first()
        return published.filter(
            indicator_id=item.indicator_id, geography_id=item.geography_id, period_end=item.period_end
        ).first()


UPDATE = Kind("update", ProgressUpdate, ProgressUpdateForm, ("action__plan_priority__plan", "status", "cycle"))
READING = Kind("reading", IndicatorReading, ReadingForm, ("indicator__partnership", "geography"))
KINDS = {"update": UPDATE, "reading": READING}
