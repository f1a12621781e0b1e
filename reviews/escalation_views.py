"""The governing group's side of an escalation: a read-only page for the escalated item (never the
partner's editing page), and the form on which a governing-group member records a response."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from actions.history import current_version
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.forms import ProjectForm
from csa_tracker.refusals import Refusal, refuse_on_form
from workflow import governing
from workflow.models import Escalation, Flag, ResponseKind
from workflow.policies import ESCALATIONS


def _escalation(access, pk: int) -> Escalation:
    escalations = Escalation.objects.readable_by(access).select_related(
        "cycle__plan",
        "escalated_by",
        "update__action__plan_priority",
        "update__status",
        "reading__indicator",
        "reading__geography",
    )
    return get_object_or_404(escalations, pk=pk)


class ResponseForm(ProjectForm):
    kind = forms.ChoiceField(choices=ResponseKind.choices, widget=forms.RadioSelect, label="Response")
    note = forms.CharField(
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        help_text="Required when you request action: say what, and by when.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ResponseKind.ACTION_REQUESTED and not (data.get("note") or "").strip():
            self.add_error("note", "Say what action the governing group requests: a note is needed.")
        return data


@partnership_view(Can.READ)
def escalation_detail(request, pk: int):
    escalation = _escalation(request.access, pk)
    item = escalation.item
    current = current_version(item)
    context = {
        "escalation": escalation,
        "item": item,
        "current": current,
        "superseded": current.pk != item.pk,
        "flag": Flag(current.flag).label if current.flag else "",
        "responses": escalation.responses.select_related("responded_by"),
        "can_respond": ESCALATIONS.permits(request.access, "respond", escalation),
        "can_list": ESCALATIONS.permits(request.access, "read"),
    }
    return render(request, "reviews/escalation_detail.html", context)


@partnership_view(Can.RESPOND)
def escalation_respond(request, pk: int):
    escalation = _escalation(request.access, pk)
    form = ResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            governing.escalation_respond(
                access=request.access,
                escalation=escalation,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, "Your response is recorded; the Working Group and the lead partners see it.")
            return redirect("escalation_detail", partnership=request.access.partnership.slug, pk=escalation.pk)
    return render(request, "reviews/escalation_respond.html", {"escalation": escalation, "form": form})
