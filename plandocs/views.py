"""The Working Group's pages for a plan as a Word document: upload one, check the preview and say what
it means, import it (all or nothing); and download a plan as an editable Word document."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.refusals import Refusal, refuse_on_form
from priorities.models import Plan
from workflow.publishers import bringer_may_publish

from . import uploads
from .drafts import default_cycle, guess_plan_dates, left_out_names, match
from .forms import ImportForm, ReadingForm, UploadForm
from .reading import DocumentRefused, read_document
from .recognise import check_readable, recognise
from .services import plan_import
from .writing import plan_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHANGED_CHOICES = (
    "What you chose changes what is read from the document, so nothing was imported yet: check the preview "
    "below, then import."
)


@partnership_view(Can.MANAGE_PLAN)
def plan_import_start(request):
    """Upload a Word document; it is read once, here, and a document refused as a whole is refused on the form."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = read_document(upload.read())
            check_readable(document)
        except DocumentRefused as exc:
            form.add_error("file", str(exc))
        else:
            token = uploads.keep(access=request.access, filename=upload.name, document=document)
            return redirect("plan_import_preview", partnership=request.access.partnership.slug, token=token)
    return render(request, "plandocs/upload.html", {"form": form})


@partnership_view(Can.MANAGE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_import_preview(request, token: str):
    """What the document gives; "Update the preview" applies the choices, "Import the plan" writes it all
    (only if the preview shown is what the choices give)."""
    access = request.access
    record = uploads.kept(access=access, token=token)
    if record is None:
        raise Http404("No such upload: upload the document again.")
    document = record["document"]
    data = request.POST if request.method == "POST" else None
    reading = ReadingForm(data, document=document)
    draft = recognise(document, reading.choices())
    matches = match(draft, access.partnership)
    importing = data is not None and data.get("action") == "import"
    initial = _initial(draft, access.partnership, data)
    form = ImportForm(
        data if importing else None, draft=draft, matches=matches, partnership=access.partnership, initial=initial
    )
    problem = ""
    if importing:
        if data.get("shown") != draft.signature():
            problem = CHANGED_CHOICES
        elif draft.problems:
            problem = "The document cannot be imported as it is read now: see the problems below."
        elif form.is_valid():
            try:
                imported = plan_import(access=access, plan=form.plan_import(filename=record["filename"]))
            except Refusal as exc:
                refuse_on_form(form, exc)
            else:
                uploads.forget(token)
                messages.success(request, _done(imported))
                return redirect("plan_detail", partnership=access.partnership.slug, plan=imported.plan.slug)
    context = {
        "filename": record["filename"],
        "token": token,
        "reading": reading,
        "form": form,
        "draft": draft,
        "priorities": _shown(draft, matches, form),
        "unknown": [(name, form[field]) for name, field in form.unknown_fields.items()],
        "known": sorted({(name, organisation.name) for name, organisation in matches.organisations.items()}),
        "left_out": draft.left_out + left_out_names(draft, matches),
        "counts": _counts(draft, matches),
        "problem": problem,
        "publishes": bringer_may_publish(access.partnership),
    }
    return render(request, "plandocs/preview.html", context)


@partnership_view(Can.MANAGE_PLAN)
def plan_docx_download(request, plan: str):
    """The plan as an editable Word document, in the shape the importer reads back."""
    plan = get_object_or_404(Plan.objects.manageable_by(request.access), slug=plan)
    response = HttpResponse(plan_docx(plan), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-plan.docx"'
    return response


def _initial(draft, partnership, data) -> dict:
    """The import form's starting values: the title, dates guessed from it and a reporting cycle in
    them; after "Update the preview", what the person had entered."""
    starts, ends = guess_plan_dates(draft.title, partnership.year_start_month)
    initial = {"title": draft.title, "starts": starts, "ends": ends}
    entered = {
        name: value for name, value in (data or {}).items() if value and name not in ("csrfmiddlewaretoken", "action")
    }
    dates = {name: _date(entered.get(name)) or initial[name] for name in ("starts", "ends")}
    if all(dates.values()) and dates["starts"] < dates["ends"]:
        initial |= default_cycle(dates["starts"], dates["ends"], partnership.year_start_month, timezone.localdate())
    return initial | entered


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _shown(draft, matches, form) -> list[dict]:
    """Each priority as the preview shows it, with its actions' lead agencies and their choices."""
    shown = []
    for p, priority in enumerate(draft.priorities):
        actions = []
        for a, action in enumerate(priority.actions):
            field = form.lead_fields.get((p, a))
            actions.append(
                {
                    "action": action,
                    "leads": [(name, matches.organisations.get(name)) for name in action.leads],
                    "supporters": [(name, matches.organisations.get(name)) for name in action.supporters],
                    "status_known": not action.status or action.status in matches.statuses,
                    "lead_field": form[field] if field else None,
                }
            )
        shown.append(
            {
                "priority": priority,
                "slug": matches.slugs[p],
                "continues": matches.continues[p],
                "actions": actions,
                "anchor": f"preview-{p}",
            }
        )
    return shown


def _counts(draft, matches) -> dict:
    actions = [action for priority in draft.priorities for action in priority.actions]
    return {
        "priorities": len(draft.priorities),
        "notes": sum(len(priority.notes) for priority in draft.priorities),
        "actions": len(actions),
        "progress": sum(1 for action in actions if action.progress),
        "unknown": len(matches.unknown),
    }


def _done(imported) -> str:
    parts = [f"{imported.plan.title} imported: {imported.actions} action{pluralize(imported.actions)}"]
    if imported.organisations:
        parts.append(f"{imported.organisations} organisation{pluralize(imported.organisations)} added")
    if imported.published:
        parts.append(f"{imported.published} progress update{pluralize(imported.published)} published")
    if imported.submitted:
        parts.append(
            f"{imported.submitted} progress update{pluralize(imported.submitted)} submitted for another member "
            "of the Working Group to publish from the review queue"
        )
    return "; ".join(parts) + "."
