"""The governing group's side of an escalation: a read-only page for the escalated item (never the
partner's editing page), the form on which a governing-group member records a response, and the
requests for action that response makes, answered by the organisation asked and closed by the Working
Group or the governing group (issue 25)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from actions.history import current_version
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.models import Organisation
from csa_tracker.accounts.policies import Can
from csa_tracker.forms import ProjectForm
from csa_tracker.refusals import Refusal, refuse_on_form
from workflow import governing
from workflow.models import Escalation, Flag, GoverningRequest, ResponseKind
from workflow.policies import ESCALATIONS, REQUESTS


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
        help_text="Required when you request action: say what action.",
    )
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Organisation asked to act",
        help_text="When you request action: its partners and the Working Group are e-mailed the request.",
    )
    due = forms.DateField(required=False, label="Due by", help_text="When you request action: the date it is due by.")

    def __init__(self, *args, escalation: Escalation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(
            partnership=escalation.cycle.plan.partnership_id
        ).order_by("name")
        self.fields["owner"].initial = governing.default_owner(escalation)


class AnswerForm(ProjectForm):
    answer = forms.CharField(
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Answer",
        help_text="What your organisation has done, or will do, about the request. The Working Group and the "
        "governing group read it, and the report shows it.",
        error_messages={"required": governing.EMPTY_ANSWER},
    )


class CloseForm(ProjectForm):
    note = forms.CharField(
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        help_text="Why the request is closed: done, overtaken, or no longer needed.",
        error_messages={"required": governing.EMPTY_CLOSE_NOTE},
    )


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
        "requests": [
            (found, REQUESTS.permits(request.access, "answer", found), REQUESTS.permits(request.access, "close", found))
            for found in _requests(request.access).filter(escalation=escalation)
        ],
        "can_respond": ESCALATIONS.permits(request.access, "respond", escalation),
        "can_list": ESCALATIONS.permits(request.access, "read"),
    }
    return render(request, "reviews/escalation_detail.html", context)


@partnership_view(Can.RESPOND)
def escalation_respond(request, pk: int):
    escalation = _escalation(request.access, pk)
    form = ResponseForm(request.POST or None, escalation=escalation)
    if request.method == "POST" and form.is_valid():
        try:
            governing.escalation_respond(
                access=request.access,
                escalation=escalation,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                owner=form.cleaned_data["owner"],
                due=form.cleaned_data["due"],
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, "Your response is recorded; the Working Group and the lead partners see it.")
            return redirect("escalation_detail", partnership=request.access.partnership.slug, pk=escalation.pk)
    return render(request, "reviews/escalation_respond.html", {"escalation": escalation, "form": form})


def _requests(access):
    return GoverningRequest.objects.visible_to(access).select_related(
        "owner", "response__responded_by", "answered_by", "closed_by"
    )


def _request_step(request, pk: int, *, act: str, form_class, service, field: str, done: str, template: str):
    """The page of one step on a request (answer or close): 404 unless the person reads the request, the
    policy's sentence (403) unless they may take the step, the service's refusal on the form."""
    found = get_object_or_404(_requests(request.access).select_related("escalation"), pk=pk)
    REQUESTS.check(request.access, act, found)
    # Answering again starts from the answer given, which the partner changes.
    form = form_class(request.POST or None, initial={"answer": found.answer} if act == "answer" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(access=request.access, request=found, **{field: form.cleaned_data[field]})
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, done)
            return redirect(governing.request_url(found))
    escalation = _escalation(request.access, found.escalation_id)
    return render(request, template, {"governing_request": found, "escalation": escalation, "form": form})


@partnership_view(Can.WRITE_PROGRESS)
def request_answer(request, pk: int):
    return _request_step(
        request,
        pk,
        act="answer",
        form_class=AnswerForm,
        service=governing.request_answer,
        field="answer",
        done="Your answer is recorded; the Working Group and the governing group are told.",
        template="reviews/request_answer.html",
    )


@partnership_view(Can.OVERSEE)
def request_close(request, pk: int):
    return _request_step(
        request,
        pk,
        act="close",
        form_class=CloseForm,
        service=governing.request_close,
        field="note",
        done="The request is closed; the organisation asked and the Working Group are told.",
        template="reviews/request_close.html",
    )
