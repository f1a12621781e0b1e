from html import escape
from typing import NamedTuple

from django import forms
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.forms.utils import pretty_name
from django.utils.safestring import mark_safe

from actions.models import Theme
from csa_tracker.accounts.fragments import kept_while_shared_work_unchanged
from csa_tracker.accounts.models import Organisation
from csa_tracker.forms import ProjectForm
from priorities.models import PlanPriority, Priority

from .board import BOARD_STATES


class DecisionForm(ProjectForm):
    DECISIONS = [("publish", "Approve and publish"), ("return", "Return to the submitter")]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect, label="Decision")
    comment = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Comment",
        help_text="Required when returning: say what needs to change.",
    )
    escalate = forms.BooleanField(required=False, label="Also escalate to the governing group")
    escalation_note = forms.CharField(
        required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}), label="Note for the governing group"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs to change: a comment is required to return an item.")
        if data.get("escalate") and not (data.get("escalation_note") or "").strip():
            self.add_error("escalation_note", "Write a note for the governing group to escalate.")
        if data.get("escalate") and data.get("decision") == "return":
            self.add_error("escalate", "Only published items are escalated; choose “Approve and publish” to escalate.")
        return data


class EscalationForm(ProjectForm):
    note = forms.CharField(
        max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}), label="Note for the governing group"
    )


class CorrectionForm(ProjectForm):
    reason = forms.CharField(
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the correction",
        help_text="Shown in the history, e.g. “typo in the figure”.",
    )


class BoardFilterForm(ProjectForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), required=False, empty_label="All")
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(), required=False, to_field_name="slug", empty_label="All"
    )
    state = forms.ChoiceField(choices=[("", "All"), *BOARD_STATES.items()], required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False, empty_label="All")

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        # Validation reads these querysets; the options shown are read by `board_selects`.
        plan = cycle.plan
        self.fields["organisation"].queryset = Organisation.objects.filter(
            led_actions__plan_priority__plan=plan
        ).distinct()
        self.fields["priority"].queryset = Priority.objects.filter(plan_versions__plan=plan)
        self.fields["theme"].queryset = Theme.objects.in_partnership(plan.partnership_id)

    def filters(self) -> dict:
        """The valid filters; any value we do not offer is dropped (the view says so)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}


class Select(NamedTuple):
    """One of the board's filter selects as it is shown: its element's `id`, its `label`, its field's
    `name` and its `options` (HTML)."""

    id: str
    label: str
    name: str
    options: str


def board_selects(form: BoardFilterForm | None, *, plan, partnership, organisations: dict) -> list[Select]:
    """The board's filter selects (Select), each with its options as HTML, the chosen one selected unless
    it is a value we do not offer, made here once per field instead of by template filters per option
    (issue 26). `form`: the BoardFilterForm that read the address's filters, or None when it names none
    (nothing is chosen: no form is built). `organisations`: {key: name} of `plan`'s lead organisations,
    by name (`reviews.board.Board.organisations`, kept with the board's leads); the priorities and
    themes are read here, in one query kept while `partnership`'s shared work is unchanged
    (`priority_and_theme_options`)."""
    priorities, themes = kept_while_shared_work_unchanged(
        partnership, "board-options", lambda: priority_and_theme_options(plan), plan.pk
    )
    offered = {
        "organisation": [(str(pk), name) for pk, name in organisations.items()],
        "priority": priorities,
        "state": list(BOARD_STATES.items()),
        "theme": themes,
    }
    found = []
    for name, field in BoardFilterForm.base_fields.items():
        bound = form[name] if form is not None else None
        chosen = None if bound is None or bound.errors else str(bound.value())
        options = "".join(
            OPTION_HTML.format(escape(str(value)), " selected" if str(value) == chosen else "", escape(str(label)))
            for value, label in [("", "All"), *offered[name]]
        )
        label = field.label or pretty_name(name)
        found.append(Select(f"id_{name}", label, name, mark_safe(options)))  # noqa: S308 - escaped here
    return found


OPTION_HTML = '<option value="{}"{}>{}</option>'


def priority_and_theme_options(plan) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The board's Priority options, (slug, title in `plan`) in the plan's order, and its Theme options,
    (key, name) of the partnership's themes in their order: one query (issue 26: the board's filter
    options were four queries, a fifth of the built page)."""
    shown = ("kind", "order", "label", "value")
    priorities = (
        PlanPriority.objects.filter(plan=plan)
        .order_by()
        .annotate(kind=Value(0), label=F("title"), value=F("priority__slug"))
        .values_list(*shown)
    )
    themes = (
        Theme.objects.filter(partnership=plan.partnership_id)
        .order_by()
        .annotate(kind=Value(1), label=F("name"), value=Cast("pk", CharField()))
        .values_list(*shown)
    )
    found: tuple[list, list] = ([], [])
    for kind, _, label, value in priorities.union(themes, all=True).order_by("kind", "order", "label"):
        found[kind].append((value, label))
    return found


class CommentForm(ProjectForm):
    """A comment in an item's conversation (`workflow.conversation`); prefixed, as it shares pages with
    the item's own form."""

    prefix = "comment"
    text = forms.CharField(
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Your message",
        error_messages={"required": "Write your message before sending it: it is empty."},
        help_text="A question, an answer or a note for the other side; they are told, and it stays with this item.",
    )
