"""Reports: the list, each published version (page, PDF and Word), comparisons, previews, publishing and the
partnership's Word template."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_http_methods, require_POST

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.accounts.published import published_view
from csa_tracker.refusals import Refusal, Stale, refuse_on_form
from cycles.models import ReportingCycle
from priorities.models import Plan
from reviews.board_views import say_asked
from reviews.reminders import request_updates_all

from . import outputs, services
from .audience import audience_of, snapshot_for
from .compare import compare_snapshots
from .forms import CompareForm, PublishForm, RemoveWordTemplateForm, WordTemplateForm
from .models import OutputFormat, Report, ReportSettings, cycle_slug
from .rendering import report_context
from .snapshot import kept_snapshot


def _cycle(access, plan: str, cycle: str) -> ReportingCycle:
    plan = get_object_or_404(Plan.objects.visible_to(access), slug=plan)
    for found in plan.cycles.select_related("plan__partnership"):
        if cycle_slug(found) == cycle:
            return found
    raise Http404("No such reporting cycle.")


def _report(access, plan: str, cycle: str, version: int, *, snapshot: bool = True) -> Report:
    """The published version, or 404. `snapshot=False` leaves the frozen content unread until it is used
    (a download served from storage never uses it, and it is the bulk of the row)."""
    reports = Report.objects.visible_to(access).select_related("plan__partnership", "cycle", "superseded_by")
    if not snapshot:
        reports = reports.defer("snapshot", "superseded_by__snapshot")
    return get_object_or_404(reports, plan__slug=plan, cycle=_cycle(access, plan, cycle), version=version)


@published_view
def report_list(request):
    access = request.access
    reports = Report.objects.visible_to(access).select_related("plan__partnership", "cycle", "superseded_by")
    cycles = ReportingCycle.objects.manageable_by(access).select_related("plan__partnership")
    cycles = list(cycles.order_by("-period_start"))
    # A cycle with a published report offers "Publish a correction", as the page it leads to says (issue 25).
    published = set(Report.objects.current().filter(cycle__in=cycles).values_list("cycle_id", flat=True))
    cycles = [{"cycle": cycle, "slug": cycle_slug(cycle), "published": cycle.pk in published} for cycle in cycles]
    return render(request, "reports/report_list.html", {"reports": reports, "cycles": cycles})


@published_view
def report_detail(request, plan: str, cycle: str, version: int):
    report = _report(request.access, plan, cycle, version)
    snapshot = snapshot_for(request.access, report.snapshot)
    context = report_context(snapshot, report=report)
    if outputs.outputs_made(report=report, audience=audience_of(request.access)) < len(OutputFormat.values):
        kwargs = {"partnership": request.access.partnership.slug, "plan": plan, "cycle": cycle, "version": version}
        context["outputs_status_url"] = reverse("report_outputs_status", kwargs=kwargs)
    return render(request, "reports/report_page.html", context)


@published_view
def report_outputs_status(request, plan: str, cycle: str, version: int):
    """{"ready": files of this version made for this reader, "total": files there will be}, for the
    report page's status line while the worker makes them."""
    report = _report(request.access, plan, cycle, version, snapshot=False)
    ready = outputs.outputs_made(report=report, audience=audience_of(request.access))
    return JsonResponse({"ready": ready, "total": len(OutputFormat.values)})


@published_view
def report_pdf(request, plan: str, cycle: str, version: int):
    return _download(request, plan, cycle, version, OutputFormat.PDF)


@published_view
def report_docx(request, plan: str, cycle: str, version: int):
    return _download(request, plan, cycle, version, OutputFormat.DOCX)


def _download(request, plan: str, cycle: str, version: int, format: str):
    """The stored file (made at publishing, else on the first request), with an ETag: a client holding
    the same version gets 304. `private`: shared caches must not keep a report only members may read;
    `no-cache`: the browser asks again each time, so a withdrawn role takes effect at once."""
    report = _report(request.access, plan, cycle, version, snapshot=False)
    output = outputs.report_output_get(report=report, format=format, audience=audience_of(request.access))
    etag = f'"{output.etag}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = FileResponse(output.file.open("rb"), content_type=output.content_type)
        response["Content-Length"] = output.size
        filename = f"{report.plan.partnership.slug}-{plan}-{cycle}-v{version}.{format}"
        disposition = "inline" if format == OutputFormat.PDF else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@published_view
def report_latest(request, plan: str, cycle: str):
    found = _cycle(request.access, plan, cycle)
    report = Report.objects.visible_to(request.access).current().filter(cycle=found).first()
    if report is None:
        raise Http404("No report has been published for this cycle.")
    return redirect(report)


@partnership_view(Can.MANAGE_PLAN)
def report_preview(request, plan: str, cycle: str):
    """What publishing now would freeze; no version is stored, but the snapshot is kept for publishing
    until the next change (`snapshot.kept_snapshot`)."""
    found = _cycle(request.access, plan, cycle)
    context = report_context(kept_snapshot(found).data()) | {"preview_cycle": found, "preview_slug": cycle}
    return render(request, "reports/report_page.html", context)


@partnership_view(Can.MANAGE_PLAN)
@require_http_methods(["GET", "POST"])
def report_publish(request, plan: str, cycle: str):
    found = _cycle(request.access, plan, cycle)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.report_publish(
                access=request.access, cycle=found, reason=form.cleaned_data["reason"]
            )
        except Refusal as exc:
            refuse_on_form(form, exc)
        else:
            if created:
                messages.success(request, f"Published version {report.version} of the {found.name} report.")
            else:
                messages.info(
                    request, f"Nothing has changed since version {report.version} was published: no new version made."
                )
            return redirect(report)
    # Read for the page only (publishing reads its own under the cycle's lock). It says only the version and
    # its date: the frozen content (the bulk of the row) stays unread.
    current = Report.objects.current().filter(cycle=found).defer("snapshot").first()
    if current is not None:
        form.for_correction()
    warnings = services.publish_warnings(access=request.access, cycle=found, today=timezone.localdate())
    slug = request.access.partnership.slug
    context = {
        "cycle": found,
        "current": current,
        "unreviewed": warnings.unreviewed,
        "no_update": warnings.no_update,
        "takes_updates": warnings.takes_updates,
        "ask_url": reverse("report_ask_updates", kwargs={"partnership": slug, "plan": plan, "cycle": cycle}),
        "reopen_url": warnings.may_reopen and reverse("cycle_reopen", kwargs={"partnership": slug, "pk": found.pk}),
        "form": form,
    }
    return render(request, "reports/publish.html", context)


@partnership_view(Can.MANAGE_PLAN)
@require_POST
def report_ask_updates(request, plan: str, cycle: str):
    """The publish page's "Ask them all for an update" (issue 25): the lead partners of every action with
    no progress update for the cycle e-mailed in one step (`reminders.request_updates_all`, as the
    board's "Remind all overdue"), then back to the publish page, which says what was done."""
    found = _cycle(request.access, plan, cycle)
    try:
        done = request_updates_all(access=request.access, cycle=found, today=timezone.localdate(), which="no_update")
    except Refusal as exc:
        messages.error(request, str(exc))
    else:
        say_asked(request, done)
    return redirect("report_publish", partnership=request.access.partnership.slug, plan=plan, cycle=cycle)


@partnership_view(Can.READ)
def report_compare(request):
    form = CompareForm(request.GET or None, reports=Report.objects.visible_to(request.access))
    comparison = None
    if form.is_valid():
        older, newer = sorted([form.cleaned_data["a"], form.cleaned_data["b"]], key=lambda r: (r.published_at, r.pk))
        shown = [snapshot_for(request.access, report.snapshot) for report in (older, newer)]
        comparison = {"older": older, "newer": newer, **compare_snapshots(*shown)}
    return render(request, "reports/compare.html", {"form": form, "comparison": comparison})


@partnership_view(Can.MANAGE_PLAN)
@require_http_methods(["GET", "POST"])
def report_settings(request):
    """The partnership's Word template: upload one (replacing any) or remove it."""
    access = request.access
    current = ReportSettings.objects.filter(partnership=access.partnership).select_related("updated_by").first()
    removing = request.method == "POST" and "remove" in request.POST
    upload_form = WordTemplateForm(
        request.POST if request.method == "POST" and not removing else None,
        request.FILES if request.method == "POST" and not removing else None,
        settings=current,
    )
    remove_form = RemoveWordTemplateForm(request.POST if removing else None, settings=current)
    try:
        if request.method == "POST" and not removing and upload_form.is_valid():
            upload = upload_form.cleaned_data["template"]
            outputs.word_template_save(access=access, upload=upload, seen=upload_form.seen_value)
            messages.success(request, f"Word documents of your reports are now built on “{upload.name}”.")
            return redirect("report_settings", partnership=access.partnership.slug)
        if removing and remove_form.is_valid():
            outputs.word_template_remove(access=access, seen=remove_form.seen_value)
            messages.success(request, "The Word template was removed: Word documents use the plain layout again.")
            return redirect("report_settings", partnership=access.partnership.slug)
    except Stale as exc:
        refuse_on_form(remove_form if removing else upload_form, exc)
        current = exc.current
    has_template = current is not None and bool(current.word_template)
    context = {"current": current, "has_template": has_template, "form": upload_form, "remove_form": remove_form}
    return render(request, "reports/settings.html", context)
