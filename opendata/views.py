"""Open data: a partnership's published plan, progress and figures as JSON and CSV at versioned
addresses (`/<partnership>/open-data/v1/...`), their JSON Schemas, and the settings page that makes
them public. Thin views: what is read is in `selectors.py`, who may read it in `access.py`."""

import csv
import io
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import PARTNERSHIPS, Can
from csa_tracker.accounts.published import published_view
from csa_tracker.refusals import Refusal, refuse_on_form
from indicators.models import Geography, Indicator

from . import selectors
from .forms import OpenDataSettingsForm
from .services import partnership_open_data_set

SCHEMA_DIR = Path(__file__).resolve().parent / "schema" / selectors.VERSION
SCHEMAS = ("index", "plan", "actions", "figures")

DATASETS = [
    {
        "name": "plan",
        "title": "Published plans",
        "description": "Each plan with a published report: its priorities, their context and notes, and the actions.",
        "formats": ("json",),
    },
    {
        "name": "actions",
        "title": "Actions and published progress",
        "description": "Every action of the published plans with its published progress for each reporting cycle.",
        "formats": ("json", "csv"),
    },
    {
        "name": "figures",
        "title": "Published indicator figures",
        "description": "Every published figure of every indicator in every area; small district counts are withheld.",
        "formats": ("json", "csv"),
    },
]


def schema_url(request, name: str) -> str:
    return request.build_absolute_uri(reverse("opendata_schema", kwargs={"name": name}))


def dataset_links(request, slug: str) -> list[dict]:
    def link(name: str, fmt: str) -> str:
        return request.build_absolute_uri(reverse(f"opendata_{name}_{fmt}", kwargs={"partnership": slug}))

    return [
        dataset
        | {
            "links": {fmt: link(dataset["name"], fmt) for fmt in dataset["formats"]},
            "schema": schema_url(request, dataset["name"]),
        }
        for dataset in DATASETS
    ]


def _json(request, name: str, body: dict) -> JsonResponse:
    envelope = {
        "schema": schema_url(request, name),
        "version": selectors.VERSION,
        "partnership": selectors.partnership_data(request.access),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }
    response = JsonResponse(envelope | body, json_dumps_params={"ensure_ascii": False})
    return _shared(request, response)


def _shared(request, response):
    """Public data may be read by scripts on other sites (dashboards, notebooks)."""
    if request.access.partnership.open_data_public:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _csv(request, name: str, header: list[str], rows):
    """UTF-8 with a byte-order mark (so Excel reads en dashes); every value exactly as published, text
    starting with = + - @ included (open data is read by programs: no spreadsheet apostrophe, unlike the
    exports meant for Excel, `csa_tracker.cells.safe_cell`; issue 25); written in one piece, not row by
    row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{request.access.partnership.slug}-{name}-{selectors.VERSION}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _shared(request, response)


@published_view
@require_GET
def open_data_page(request):
    """The page residents and analysts start from: what there is, in which formats, and its schema."""
    context = {
        "datasets": dataset_links(request, request.access.partnership.slug),
        "index_url": reverse("opendata_index", kwargs={"partnership": request.access.partnership.slug}),
        "can_change": PARTNERSHIPS.permits(request.access, "change_settings", request.access.partnership),
        # The partnership's own area as the example (issue 25: the page named Kent in every partnership).
        "code_example": Geography.objects.in_partnership(request.access.partnership).code_example(),
    }
    return render(request, "opendata/open_data.html", context)


@published_view
@require_GET
def open_data_index(request):
    datasets = [
        {key: dataset[key] for key in ("name", "title", "description", "links", "schema")}
        for dataset in dataset_links(request, request.access.partnership.slug)
    ]
    return _json(request, "index", {"public": request.access.partnership.open_data_public, "datasets": datasets})


@published_view
@require_GET
def open_data_plan(request):
    return _json(request, "plan", {"plans": selectors.plan_data(request.access)})


@published_view
@require_GET
def open_data_actions(request, fmt: str):
    actions = selectors.actions_data(request.access)
    if fmt == "csv":
        return _csv(request, "actions", selectors.ACTION_COLUMNS, selectors.action_rows(actions))
    return _json(request, "actions", {"actions": actions})


@published_view
@require_GET
def open_data_figures(request, fmt: str):
    """`?indicator=<slug>` gives one indicator's figures (a large partnership's full file runs to tens of MB)."""
    try:
        data = selectors.figures_data(request.access, indicator=request.GET.get("indicator"))
    except Indicator.DoesNotExist:
        raise Http404("No such indicator.") from None
    if fmt == "csv":
        return _csv(request, "figures", selectors.FIGURE_COLUMNS, selectors.figure_rows(data["figures"]))
    return _json(request, "figures", data)


@login_not_required
@require_GET
def open_data_schema(request, name: str):
    """The JSON Schema of one open data file; public, since it describes fields and holds no data."""
    if name not in SCHEMAS:
        raise Http404("No such schema.")
    response = FileResponse((SCHEMA_DIR / f"{name}.json").open("rb"), content_type="application/schema+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@partnership_view(Can.MANAGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def open_data_settings(request):
    partnership = request.access.partnership
    # An unticked box posts nothing, so an empty POST is still a submitted form.
    data = request.POST if request.method == "POST" else None
    form = OpenDataSettingsForm(data, initial={"public": partnership.open_data_public}, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        public = form.cleaned_data["public"]
        try:
            changed = partnership_open_data_set(access=request.access, public=public, seen=form.seen_value)
        except Refusal as exc:
            refuse_on_form(form, exc)
            return render(request, "opendata/settings.html", {"form": form, "partnership": partnership})
        if not changed:
            messages.info(request, "Nothing changed: the setting was already as you saved it.")
        elif public:
            messages.success(request, "Anyone can now read your published reports and open data without signing in.")
        else:
            messages.success(request, "Your published reports and open data are now for signed-in members only.")
        return redirect("opendata_settings", partnership=partnership.slug)
    return render(request, "opendata/settings.html", {"form": form, "partnership": partnership})
