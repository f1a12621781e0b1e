from django import forms
from django.db.models import Case, IntegerField, Value, When

from csa_tracker.accounts.models import Organisation
from csa_tracker.forms import DateInput, ProjectForm, ProjectModelForm
from workflow.forms import MAX_TEXT, FlagMixin

from .models import Action, FundingSource, Status, Theme


def chosen_first(organisations, chosen: set[int]):
    """`organisations` with those whose pk is in `chosen` first, then the rest, each part by name: the ticked
    boxes of a long list are in view when the form opens (issue 25)."""
    return organisations.annotate(
        unchosen=Case(When(pk__in=chosen, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("unchosen", "name")


class ActionForm(ProjectModelForm):
    class Meta:
        model = Action
        fields = ["wording", "leads", "supporters", "funding", "status", "themes", "start_date", "due_date", "order"]
        widgets = {
            "wording": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "due_date": DateInput(),
            # Ticked boxes with a filter box (static/js/checkbox-filter.js), not a Ctrl-click list.
            "leads": forms.CheckboxSelectMultiple(attrs={"data-checkbox-filter": "lead organisations"}),
            "supporters": forms.CheckboxSelectMultiple(attrs={"data-checkbox-filter": "supporting organisations"}),
            "themes": forms.CheckboxSelectMultiple,
        }
        labels = {
            "leads": "Lead organisations",
            "supporters": "Supporting organisations",
            "funding": "Funding source",
            "order": "Position in the priority",
        }
        help_texts = {
            "wording": "What will be done, as the plan states it.",
            "leads": "Tick each organisation that leads the action; their partners write its progress.",
            "supporters": "Tick the organisations that help; they may also write progress.",
            "funding": "Leave empty when the plan does not state a funding source.",
            "order": "Actions are listed by this number within their priority, lowest first.",
            "themes": "Cross-cutting themes this action contributes to; the Working Group keeps the list in Settings.",
        }

    def __init__(self, *args, partnership, **kwargs):
        """Every choice is the partnership's own: another partnership's entry is an error on its field."""
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(partnership=partnership).order_by("name")
        choices = {
            "leads": organisations,
            "supporters": organisations,
            "funding": FundingSource.objects.in_partnership(partnership),
            "status": Status.objects.in_partnership(partnership),
            "themes": Theme.objects.in_partnership(partnership),
        }
        for name in ("leads", "supporters"):
            choices[name] = chosen_first(organisations, self._chosen(name))
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
            self.fields[name].error_messages["invalid_choice"] = "Choose from this partnership's own list."
            self.fields[name].error_messages["invalid_pk_value"] = "Choose from this partnership's own list."
        self.fields["wording"].max_length = 2_000
        if not choices["themes"].exists():
            # An empty box of checkboxes says nothing; say where themes come from.
            self.fields["themes"].help_text = (
                "This partnership has no cross-cutting themes yet: the Working Group adds them in Settings, "
                "then they can be ticked here."
            )

    def _chosen(self, name: str) -> set[int]:
        """The pks ticked in `name` as the form shows them: what was sent (a form shown again with an error),
        else the action's own (or the initial) choice; what is not a whole number is left out."""
        if self.is_bound:
            given = self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else []
        else:
            given = self.initial.get(name) or []
        found = set()
        for value in given:
            value = getattr(value, "pk", value)
            if str(value).isdigit():
                found.add(int(value))
        return found

    def clean_wording(self):
        wording = self.cleaned_data["wording"].strip()
        if not wording:
            raise forms.ValidationError("Write what the action is.")
        return wording

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date is before the start date.")
        both = set(data.get("leads") or []) & set(data.get("supporters") or [])
        if both:
            names = ", ".join(sorted(org.name for org in both))
            self.add_error("supporters", f"{names} cannot both lead and support.")
        return data


class RollForwardForm(ProjectForm):
    """Next year's plan: its name and dates, each priority's title, and whose notes to keep."""

    title = forms.CharField(max_length=200, help_text="e.g. Community Safety Agreement 2018/19")
    slug = forms.SlugField(max_length=50, label="Short name", help_text="Used in addresses, e.g. 2018-19.")
    starts = forms.DateField(widget=DateInput(), label="First day of the new plan")
    ends = forms.DateField(widget=DateInput(), label="Last day of the new plan")
    keep_all_notes = forms.BooleanField(required=False, label="Keep every priority's notes")
    confirm = forms.BooleanField(
        label="I understand this creates the new plan now: open actions are carried into it and completed ones are not."
    )

    def __init__(self, *args, plan_priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_priorities = list(plan_priorities)
        for plan_priority in self.plan_priorities:
            self.fields[f"title_{plan_priority.pk}"] = forms.CharField(
                max_length=200, initial=plan_priority.title, label=f"Title of “{plan_priority.title}” next year"
            )
            self.fields[f"notes_{plan_priority.pk}"] = forms.BooleanField(
                required=False, label=f"Keep the notes of “{plan_priority.title}”"
            )

    def priority_rows(self):
        """Each plan priority with its two fields, for the template."""
        return [(pp, self[f"title_{pp.pk}"], self[f"notes_{pp.pk}"]) for pp in self.plan_priorities]

    def titles(self) -> dict[int, str]:
        return {pp.pk: self.cleaned_data[f"title_{pp.pk}"] for pp in self.plan_priorities}

    def keep_notes(self) -> set[int]:
        keep_all = self.cleaned_data["keep_all_notes"]
        return {pp.pk for pp in self.plan_priorities if keep_all or self.cleaned_data[f"notes_{pp.pk}"]}


class ProgressUpdateForm(FlagMixin):
    text = forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Progress this period",
        help_text="Paragraphs separated by a blank line; bullets start with “- ”; links as [words](https://…). "
        "Use Preview to see it as it will be shown.",
        error_messages={"required": "Write the progress this period."},
    )
    status = forms.ModelChoiceField(
        queryset=Status.objects.none(),
        empty_label=None,
        label="Status",
        error_messages={"invalid_choice": "Choose one of this partnership's statuses."},
    )
    field_order = ["text", "status", "flag", "flag_reason"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = Status.objects.in_partnership(partnership)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the progress this period.")
        return text

    def item_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "status": data["status"],
            "flag": data["flag"],
            "flag_reason": data["flag_reason"],
        }
