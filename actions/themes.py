"""Filtering actions by cross-cutting theme (`?theme=<id>`) on the plan, dashboards and board (issue 14)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils.functional import cached_property

from csa_tracker.cache import cache_get_or_build
from csa_tracker.forms import ProjectForm

from .models import Theme

# Seconds unread theme options may stay in the cache (a new generation never reads them).
UNUSED_OPTIONS_SECONDS = 24 * 3600


class ThemeFilterForm(ProjectForm):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="All themes")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["theme"].queryset = Theme.objects.in_partnership(partnership)

    @cached_property
    def options(self) -> list[tuple]:
        """The select's (value, label) pairs, ("", "All themes") first: they also tell whether the
        partnership has themes (no filter without). Read once per shared work generation (issue 26: a
        query on every built page whose themes change a few times a year): a theme is added, renamed,
        reordered or removed by an audited service, which moves `Partnership.shared_work_generation`."""
        field = self.fields["theme"]

        def read() -> list[tuple]:
            # A list, not the field's choices, whose iterator() is a server-side cursor on PostgreSQL
            # (DECLARE, FETCH and CLOSE); in one partnership's order, without the join the model's
            # ordering makes for the partnership's name.
            themes = field.queryset.order_by("order", "name")
            return [("", field.empty_label), *((theme.pk, field.label_from_instance(theme)) for theme in themes)]

        partnership = self.partnership
        return cache_get_or_build(
            f"theme-options:{partnership.pk}:{partnership.shared_work_generation}", read, UNUSED_OPTIONS_SECONDS
        )


def chosen_theme(request) -> tuple[Theme | None, ThemeFilterForm]:
    """The partnership's theme named by `?theme=`, or None; a value that is not one of its themes is
    dropped with a message, and every action is shown."""
    form = ThemeFilterForm(request.GET or None, partnership=request.access.partnership)
    if not form.is_bound:
        return None, form
    if form.is_valid():
        return form.cleaned_data["theme"], form
    messages.warning(request, "That theme is not one of this partnership's themes, so every action is shown.")
    return None, ThemeFilterForm(partnership=request.access.partnership)
