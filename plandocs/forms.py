"""The upload form, and the preview's two forms: how to read the document (`ReadingForm`: which heading
level holds the priorities, which of those headings are priorities, what each table column is) and what
to import (`ImportForm`: the plan's title and dates, what each unknown organisation is, who leads the
actions the document names no lead for, their status, and whether and where the progress goes)."""

from __future__ import annotations

from dataclasses import asdict

from django import forms
from django.template.defaultfilters import pluralize

from actions.models import Status
from csa_tracker.accounts.models import Organisation
from csa_tracker.forms import DateInput, ProjectForm
from priorities.forms import check_new_plan

from .drafts import Matches, guess_kind
from .reading import MAX_BYTES, too_large
from .recognise import (
    ROLES,
    Choices,
    PlanDraft,
    default_headings,
    guess_level,
    guess_roles,
    iso_date,
    levels,
    table_headers,
)
from .services import ImportedAction, ImportedPriority, NewOrganisation, NewStatus, PlanImport, ProgressCycle

# The values of the organisation choices: add a new one of a kind, one of the partnership's, a name
# the document gives (as its own choice says), or leave it out.
NEW, EXISTING, NAMED, LEAVE_OUT = "new:", "org:", "name:", "leave-out"
KINDS = Organisation.Kind.choices
CYCLE_DATES = [("period_start", "Period starts"), ("period_end", "Period ends"), ("update_deadline", "Update deadline")]
PROGRESS_CHOICES = [
    ("leave", "Leave the progress out"),
    ("import", "Import it as each action's progress in this reporting cycle"),
]


class UploadForm(ProjectForm):
    file = forms.FileField(
        label="Word document",
        help_text=f"A .docx file of up to {MAX_BYTES // (1024 * 1024)} MB: last year's plan, or one exported from "
        "a plan here.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large(upload.size))
        return upload


def _column_field(number: int) -> str:
    """The field of the document's `number`th column header (by position: a header's words may be anything)."""
    return f"column-{number}"


class ReadingForm(ProjectForm):
    """How to read the document. Unbound, or bound to a POST: its values, where valid, are the
    recogniser's `Choices`; the headings offered are those of the level chosen (a level just changed
    starts from its own guess)."""

    def __init__(self, data=None, *, document: dict):
        super().__init__(data)
        by_level = levels(document)
        guessed = guess_level(document)
        posted = (data or {}).get("level", "")
        self.level = int(posted) if posted.isdigit() and int(posted) in by_level else guessed
        self.fields["level"] = forms.TypedChoiceField(
            choices=[(str(level), _level_label(level, found)) for level, found in by_level.items()],
            coerce=int,
            initial=guessed,
            label="Heading level of each priority's title",
        )
        self.fields["shown_level"] = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=guessed)
        self.fields["headings"] = forms.TypedMultipleChoiceField(
            choices=[(str(h.index), h.title) for h in by_level[self.level]],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=sorted(default_headings(document, self.level)),
            label="These headings are priorities",
            help_text="Untick a heading that is not a priority (an introduction or an appendix, say).",
        )
        self.columns = table_headers(document)
        roles = guess_roles(document)
        for number, (key, label) in enumerate(self.columns):
            self.fields[_column_field(number)] = forms.ChoiceField(
                choices=ROLES, initial=roles[key], label=f"The column “{label}” holds"
            )
        if data and str(self.level) != (data.get("shown_level") or ""):
            # The headings posted were another level's: this level starts from its own guess.
            self.data = data.copy()
            self.data.setlist("headings", [str(index) for index in self.fields["headings"].initial])
            self.data["shown_level"] = str(self.level)

    def choices(self) -> Choices:
        """The person's choices; the guesses until the form is posted (or where it is not valid)."""
        if not self.is_bound or not self.is_valid():
            return Choices(level=self.level)
        data = self.cleaned_data
        return Choices(
            level=data["level"],
            headings=set(data["headings"]),
            columns={key: data[_column_field(number)] for number, (key, _) in enumerate(self.columns)},
        )


def _level_label(level: int, found) -> str:
    titles = ", ".join(heading.title for heading in found[:4])
    more = f" and {len(found) - 4} more" if len(found) > 4 else ""
    return f"Heading {level} ({titles}{more})"


class ImportForm(ProjectForm):
    """What to import, for a recognised `draft` matched in the partnership (`matches`)."""

    title = forms.CharField(max_length=200, label="Title of the plan")
    slug = forms.SlugField(
        max_length=50,
        required=False,
        label="Short name",
        help_text="Used in the plan's address, e.g. 2026-27; left empty, it is made from the title.",
    )
    starts = forms.DateField(
        widget=DateInput(), label="First day of the plan", help_text="The first day of the plan's year."
    )
    ends = forms.DateField(
        widget=DateInput(), label="Last day of the plan", help_text="The last day of the plan's year."
    )

    def __init__(self, data=None, *, draft: PlanDraft, matches: Matches, partnership, initial=None):
        super().__init__(data, initial=initial)
        self.draft, self.matches, self.partnership = draft, matches, partnership
        self.organisations = {o.pk: o for o in Organisation.objects.filter(partnership=partnership).order_by("name")}
        existing = [(f"{EXISTING}{pk}", o.name) for pk, o in self.organisations.items()]
        self.unknown_fields: dict[str, str] = {}  # a name the partnership does not know -> its field
        for number, name in enumerate(matches.unknown):
            self.unknown_fields[name] = f"org-{number}"
            self.fields[f"org-{number}"] = forms.ChoiceField(
                choices=[
                    (
                        "Add it to the partnership's organisations",
                        [(f"{NEW}{k}", f"Add it: {label}") for k, label in KINDS],
                    ),
                    ("It is one the partnership has", existing),
                    ("Neither", [(LEAVE_OUT, "Leave it out")]),
                ],
                initial=f"{NEW}{guess_kind(name)}",
                label=f"“{name}”",
            )
        leads = existing + [
            (f"{NAMED}{number}", f"{name} (named in the document)") for number, name in enumerate(matches.unknown)
        ]
        self.lead_fields: dict[tuple[int, int], str] = {}  # (priority, action) with no lead named -> its field
        for p, priority in enumerate(draft.priorities):
            for a, action in enumerate(priority.actions):
                if not action.leads:
                    self.lead_fields[(p, a)] = f"lead-{p}-{a}"
                    self.fields[f"lead-{p}-{a}"] = forms.ChoiceField(
                        choices=[("", "The lead chosen above"), *leads],
                        required=False,
                        label=f"Lead agency of “{_short(action.wording)}”",
                        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                    )
        self.fields["default_lead"] = forms.ChoiceField(
            choices=[("", "Choose the lead agency"), *leads],
            required=False,
            label="Lead agency of the actions the document names none for",
            help_text="Change it for any one action in the tables below; more leads can be added on an action's page.",
        )
        statuses = Status.objects.in_partnership(partnership)
        if statuses.exists():
            self.fields["default_status"] = forms.ModelChoiceField(
                queryset=statuses,
                initial=statuses.filter(is_complete=False).order_by("severity", "order").first(),
                required=self.has_actions,
                label="Status of the actions",
                help_text="For every action whose status the document does not give as one of the partnership's.",
            )
        else:
            self.fields["new_status"] = forms.CharField(
                max_length=50,
                initial="In progress",
                required=self.has_actions,
                label="Status of the actions",
                help_text="The partnership has no action statuses yet: this one is added with the plan (add more, "
                "and say which mean complete, in Settings).",
            )
        if self.has_progress:
            self.fields["progress"] = forms.ChoiceField(
                choices=PROGRESS_CHOICES, widget=forms.RadioSelect, initial="leave", label="The progress column"
            )
            self.fields["cycle_name"] = forms.CharField(
                max_length=50, required=False, label="Reporting cycle", help_text="As partners say it, e.g. Q3 2017/18."
            )
            for name, label in CYCLE_DATES:
                self.fields[name] = forms.DateField(widget=DateInput(), required=False, label=label)

    @property
    def has_actions(self) -> bool:
        return any(priority.actions for priority in self.draft.priorities)

    @property
    def has_progress(self) -> bool:
        return any(action.progress for priority in self.draft.priorities for action in priority.actions)

    def clean(self):
        data = super().clean()
        check_new_plan(self, data, self.partnership)
        if data.get("progress") == "import":
            for name in ("cycle_name", *(name for name, _ in CYCLE_DATES)):
                if not data.get(name) and not self.has_error(name):
                    self.add_error(name, f"Give the {self.fields[name].label.lower()} the progress is imported in.")
        self._check_leads(data)
        return data

    def _check_leads(self, data) -> None:
        for name in ["default_lead", *self.lead_fields.values()]:
            if data.get(name) and self._lead(data, data[name]) is None:
                self.add_error(name, "This organisation is left out above: choose another, or add it.")
        unled = [key for key, name in self.lead_fields.items() if not data.get(name)]
        unled += [key for key, action in self._actions() if action.leads and not self._named(data, action.leads)]
        if unled and not data.get("default_lead") and not self.has_error("default_lead"):
            self.add_error(
                "default_lead",
                f"Choose the lead agency of the {len(unled)} action{pluralize(len(unled))} the document names none "
                "for (or whose leads are left out above): their lead's partners write the progress.",
            )

    def _actions(self):
        for p, priority in enumerate(self.draft.priorities):
            for a, action in enumerate(priority.actions):
                yield (p, a), action

    def _organisation(self, data, name: str):
        """What a name the document gives stands for: one of the partnership's organisations, a new one,
        or None (left out)."""
        if name in self.matches.organisations:
            return self.matches.organisations[name]
        field = self.unknown_fields[name]
        choice = data.get(field) or self.fields[field].initial
        if choice.startswith(NEW):
            return NewOrganisation(name=name, kind=choice[len(NEW) :])
        if choice.startswith(EXISTING):
            return self.organisations[int(choice[len(EXISTING) :])]
        return None

    def _lead(self, data, choice: str):
        """The organisation a lead choice stands for (None: one left out)."""
        if choice.startswith(EXISTING):
            return self.organisations[int(choice[len(EXISTING) :])]
        return self._organisation(data, self.matches.unknown[int(choice[len(NAMED) :])])

    def _named(self, data, names: list[str]) -> list:
        found = []
        for name in names:
            organisation = self._organisation(data, name)
            if organisation is not None and organisation not in found:
                found.append(organisation)
        return found

    def plan_import(self, *, filename: str) -> PlanImport:
        """The import the service writes (the form is valid)."""
        data, matches = self.cleaned_data, self.matches
        default_lead = self._lead(data, data["default_lead"]) if data.get("default_lead") else None
        with_progress = data.get("progress") == "import"
        new_status = NewStatus(data["new_status"]) if data.get("new_status") else None
        default_status = data.get("default_status") or new_status
        priorities = []
        for p, priority in enumerate(self.draft.priorities):
            actions = []
            for a, action in enumerate(priority.actions):
                chosen = data.get(self.lead_fields.get((p, a), ""))
                leads = [self._lead(data, chosen)] if chosen else self._named(data, action.leads)
                actions.append(
                    ImportedAction(
                        wording=action.wording,
                        leads=leads or [default_lead],
                        supporters=[o for o in self._named(data, action.supporters) if o not in leads],
                        status=matches.statuses.get(action.status) or default_status,
                        funding=matches.funding.get(action.funding),
                        themes=[matches.themes[theme] for theme in action.themes if theme in matches.themes],
                        start_date=iso_date(action.start_date),
                        due_date=iso_date(action.due_date),
                        progress=action.progress if with_progress else "",
                    )
                )
            notes = [asdict(note) for note in priority.notes]
            priorities.append(ImportedPriority(priority.title, matches.slugs[p], priority.context, notes, actions))
        new = [
            o
            for p in priorities
            for a in p.actions
            for o in [*a.leads, *a.supporters]
            if isinstance(o, NewOrganisation)
        ]
        cycle = None
        if with_progress:
            cycle = ProgressCycle(data["cycle_name"], data["period_start"], data["period_end"], data["update_deadline"])
        return PlanImport(
            filename=filename,
            title=data["title"],
            slug=data["slug"],
            starts=data["starts"],
            ends=data["ends"],
            introduction=self.draft.introduction,
            priorities=priorities,
            organisations=list(dict.fromkeys(new)),
            status=new_status,
            cycle=cycle,
        )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"
