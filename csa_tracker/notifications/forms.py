from django import forms

from csa_tracker.forms import ProjectForm

from .kinds import chosen_kinds
from .models import Delivery


class NotificationChoicesForm(ProjectForm):
    """One choice of delivery per kind of notification (`kinds.chosen_kinds`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for found in chosen_kinds():
            self.fields[found.key] = forms.ChoiceField(
                label=found.label,
                choices=Delivery.choices,
                help_text=f"Sent to {found.who}.",
                widget=forms.RadioSelect,
            )
