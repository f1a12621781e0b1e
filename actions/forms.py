import re

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.template.defaultfilters import pluralize

from csa_tracker.accounts.models import Organisation
from csa_tracker.forms import DateInput, ProjectForm, ProjectModelForm
from workflow.forms import MAX_TEXT, FlagMixin

from .models import Action, FundingSource, Status, Theme
from .roll_forward import choice_field, roll_forward_problems


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


CARRY, DROP, MERGE = "carry", "drop", "merge-"


def _left_behind(count: int) -> str:
    if count == 0:
        return "it has no open actions to leave"
    return f"its {count} open action{pluralize(count)} stay{'s' if count == 1 else ''}"


class PriorityChoiceField(forms.ChoiceField):
    """What happens to one priority next year: carry (the default, also when nothing is sent), drop, or
    "merge-<pk>" into another of the plan's priorities. Every one of the plan's priorities is accepted
    as a target, the priority itself included, although only the others are offered: which merges make
    a plan is the service's rule (`actions.roll_forward.validate_priority_choices`), said in its words."""

    def __init__(self, *, accepted: set[str], **kwargs):
        super().__init__(**kwargs)
        self.accepted = accepted

    def valid_value(self, value) -> bool:
        return value in self.accepted


YEARS = re.compile(r"(?<!\d)(\d{4})(?:([/-])(\d{2}))?(?!\d)")


def year_on(text: str) -> str:
    """`text` with each year moved on one, as next year's plan is named: "Agreement 2017/18" → "Agreement
    2018/19", "2017-18" → "2018-19", "Plan 2017" → "Plan 2018"; text without a year gets " (next year)"."""

    def moved(found: re.Match) -> str:
        year = int(found.group(1)) + 1
        if found.group(2) is None:
            return str(year)
        return f"{year}{found.group(2)}{(int(found.group(3)) + 1) % 100:02d}"

    moved_text, count = YEARS.subn(moved, text)
    return moved_text if count else f"{text} (next year)"


class RollForwardForm(ProjectForm):
    """Next year's plan: its name and dates, each priority's title, whether it is carried, dropped or
    merged into another (issue 25), and whose notes to keep. The plan priorities given carry
    `open_count`, their open actions."""

    title = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=50, label="Short name")
    starts = forms.DateField(widget=DateInput(), label="First day of the new plan")
    ends = forms.DateField(widget=DateInput(), label="Last day of the new plan")
    keep_all_notes = forms.BooleanField(required=False, label="Keep every priority's notes")
    confirm = forms.BooleanField(
        label="I understand this creates the new plan now: open actions are carried into it and completed ones are not."
    )

    def __init__(self, *args, plan, plan_priorities, **kwargs):
        super().__init__(*args, **kwargs)
        # Examples from the plan being rolled forward, never another partnership's words (issue 25).
        self.fields["title"].help_text = f"e.g. {year_on(plan.title)}"
        self.fields["slug"].help_text = f"Used in addresses, e.g. {year_on(plan.slug)}."
        self.plan = plan
        self.plan_priorities = list(plan_priorities)
        accepted = {CARRY, DROP, *(f"{MERGE}{pp.pk}" for pp in self.plan_priorities)}
        for plan_priority in self.plan_priorities:
            self.fields[f"title_{plan_priority.pk}"] = forms.CharField(
                max_length=200, initial=plan_priority.title, label=f"Title of “{plan_priority.title}” next year"
            )
            left = plan_priority.open_count
            choices = [
                (CARRY, "Carry it into the new plan"),
                (DROP, f"Drop it: {_left_behind(left)} in {plan.title}"),
                *(
                    (f"{MERGE}{other.pk}", f"Merge it into “{other.title}”, carrying its open actions there")
                    for other in self.plan_priorities
                    if other.pk != plan_priority.pk
                ),
            ]
            self.fields[choice_field(plan_priority.pk)] = PriorityChoiceField(
                accepted=accepted,
                choices=choices,
                initial=CARRY,
                required=False,
                label=f"In the new plan, “{plan_priority.title}”",
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"notes_{plan_priority.pk}"] = forms.BooleanField(
                required=False, label=f"Keep the notes of “{plan_priority.title}”"
            )

    def priority_rows(self):
        """Each plan priority with its three fields, for the template."""
        return [
            (pp, self[choice_field(pp.pk)], self[f"title_{pp.pk}"], self[f"notes_{pp.pk}"])
            for pp in self.plan_priorities
        ]

    def clean(self):
        """The service's refusals too (`roll_forward_problems`), on what could be read, so several mistakes
        at once (a blank short name, dates the wrong way round, every priority dropped) are all shown."""
        data = super().clean()
        problems = roll_forward_problems(
            plan=self.plan,
            plan_priorities=self.plan_priorities,
            slug=data.get("slug"),
            starts=data.get("starts"),
            ends=data.get("ends"),
            drop=self.drop(),
            merge_into=self.merge_into(),
        )
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return data

    def titles(self) -> dict[int, str]:
        return {pp.pk: self.cleaned_data[f"title_{pp.pk}"] for pp in self.plan_priorities}

    def keep_notes(self) -> set[int]:
        keep_all = self.cleaned_data["keep_all_notes"]
        return {pp.pk for pp in self.plan_priorities if keep_all or self.cleaned_data[f"notes_{pp.pk}"]}

    def _choices(self) -> dict[int, str]:
        return {pp.pk: self.cleaned_data.get(choice_field(pp.pk)) or CARRY for pp in self.plan_priorities}

    def drop(self) -> set[int]:
        """The old plan priorities' pks to drop from the new plan."""
        return {pk for pk, choice in self._choices().items() if choice == DROP}

    def merge_into(self) -> dict[int, int]:
        """{old plan priority pk: old pk of the priority it merges into}."""
        return {pk: int(choice[len(MERGE) :]) for pk, choice in self._choices().items() if choice.startswith(MERGE)}


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
