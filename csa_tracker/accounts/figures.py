"""The publication generation of a partnership's figures (`Partnership.figures_generation`).

Whatever changes what published figures show calls `figures_changed` inside its transaction: the
review services when a reading is published or corrected, `report_publish`, and the settings that
change indicators, areas or populations. `indicators.figure_cache` keys computed figures by the
generation, so the next request after a publication computes them again; nothing expires by time.
"""

from __future__ import annotations

from django.db.models import F

from .models import Partnership


def figures_changed(partnership) -> None:
    """Start a new generation of the partnership's published figures (one UPDATE; the row in memory
    is brought up to date too)."""
    Partnership.objects.filter(pk=partnership.pk).update(figures_generation=F("figures_generation") + 1)
    partnership.figures_generation = (
        Partnership.objects.filter(pk=partnership.pk).values_list("figures_generation", flat=True).first() or 0
    )
