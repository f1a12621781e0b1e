"""Reports: the list, each published version (HTML and PDF), comparisons, previews and publishing."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from csa_tracker.accounts.access import ALL_ROLES, partnership_view
from csa_tracker.accounts.models import Role
from csa_tracker.accounts.published import published_view
from csa_tracker.refusals import Refusal
from cycles.models import ReportingCycle
from priorities.models import Agreement

from . import services
from .audience import snapshot_for
from .compare import compare_snapshots
from .forms import CompareForm, PublishForm
from .models import Report, cycle_slug
from .rendering import render_pdf, report_context
from .snapshot import build_snapshot


def _cycle(access, plan: str, cycle: str) -> ReportingCycle:
    agreement = get_object_or_404(Agreement.objects.visible_to(access), slug=plan)
    for found in agreement.cycles.select_related("agreement__partnership"):
        if cycle_slug(found) == cycle:
            return found
    raise Http404("No such reporting cycle.")


def _report(access, plan: str, cycle: str, version: int) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(access).select_related("agreement__partnership", "cycle", "superseded_by"),
        agreement__slug=plan,
        cycle=_cycle(access, plan, cycle),
        version=version,
    )


@published_view
def report_list(request):
    access = request.access
    reports = Report.objects.visible_to(access).select_related("agreement__partnership", "cycle", "superseded_by")
    cycles = []
    if access.is_working_group:
        cycles = ReportingCycle.objects.manageable_by(access).select_related(
            "agreement__partnership"
        )
        cycles = [{"cycle": cycle, "slug": cycle_slug(cycle)} for cycle in cycles.order_by("-period_start")]
    return render(request, "reports/report_list.html", {"reports": reports, "cycles": cycles})


@published_view
def report_detail(request, plan: str, cycle: str, version: int):
    report = _report(request.access, plan, cycle, version)
    snapshot = snapshot_for(request.access, report.snapshot)
    return render(request, "reports/report_page.html", report_context(snapshot, report=report))


@published_view
def report_pdf(request, plan: str, cycle: str, version: int):
    report = _report(request.access, plan, cycle, version)
    pdf = render_pdf(report, snapshot=snapshot_for(request.access, report.snapshot))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{report.agreement.partnership.slug}-{plan}-{cycle}-v{version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@published_view
def report_latest(request, plan: str, cycle: str):
    found = _cycle(request.access, plan, cycle)
    report = Report.objects.visible_to(request.access).current().filter(cycle=found).first()
    if report is None:
        raise Http404("No report has been published for this cycle.")
    return redirect(report)


@partnership_view(Role.WORKING_GROUP)
def report_preview(request, plan: str, cycle: str):
    """What publishing now would freeze, built fresh and not stored."""
    found = _cycle(request.access, plan, cycle)
    context = report_context(build_snapshot(found)) | {"preview_cycle": found, "preview_slug": cycle}
    return render(request, "reports/report_page.html", context)


@partnership_view(Role.WORKING_GROUP)
@require_http_methods(["GET", "POST"])
def report_publish(request, plan: str, cycle: str):
    found = _cycle(request.access, plan, cycle)
    current = Report.objects.current().filter(cycle=found).first()
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report, created = services.report_publish(
                access=request.access, cycle=found, reason=form.cleaned_data["reason"]
            )
        except Refusal as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, f"Published version {report.version} of the {found.name} report.")
            else:
                messages.info(
                    request, f"Nothing has changed since version {report.version} was published: no new version made."
                )
            return redirect(report)
    context = {
        "cycle": found,
        "current": current,
        "unreviewed": services.unreviewed_updates(found),
        "form": form,
    }
    return render(request, "reports/publish.html", context)


@partnership_view(*ALL_ROLES)
def report_compare(request):
    form = CompareForm(request.GET or None, reports=Report.objects.visible_to(request.access))
    comparison = None
    if form.is_valid():
        older, newer = sorted([form.cleaned_data["a"], form.cleaned_data["b"]], key=lambda r: (r.published_at, r.pk))
        shown = [snapshot_for(request.access, report.snapshot) for report in (older, newer)]
        comparison = {"older": older, "newer": newer, **compare_snapshots(*shown)}
    return render(request, "reports/compare.html", {"form": form, "comparison": comparison})
