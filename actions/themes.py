"""Filtering actions by cross-cutting theme (`?theme=<id>`) on the plan, dashboards and board (issue 14)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.utils.functional import cached_property

from csa_tracker.accounts.fragments import kept_while_shared_work_unchanged
from csa_tracker.forms import ProjectForm

from .models import Theme


class ThemeFilterForm(ProjectForm):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="All themes")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["theme"].queryset = Theme.objects.in_partnership(partnership)

    @cached_property
    def options(self) -> list[tuple]:
        """The select's (value, label) pairs, ("", "All themes") first, from one reading: it also tells
        whether the partnership has themes (no filter without), which was a query of its own, and the
        template's loop counted them in a third (issue 26). The themes (key, name: the field's label) in
        their order are read once per shared work generation (`Partnership.shared_work_generation`):
        themes change only through the audited settings, which move it, and a progress update or a
        reading does not; read as values, not through the field's choices (model instances through a
        server-side cursor: three statements on PostgreSQL). The cache not answering means reading them."""
        field = self.fields["theme"]

        def read() -> list[tuple[int, str]]:
            return list(field.queryset.order_by("order", "name").values_list("pk", "name"))  # one partnership's

        return [("", field.empty_label), *kept_while_shared_work_unchanged(self.partnership, "theme-options", read)]


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
