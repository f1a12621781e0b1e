"""Upload, preview and confirm imports; download templates and lists."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods

from actions.policies import ACTIONS
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.cells import table_response
from csa_tracker.refusals import Refusal, refuse_on_form

from .examples import year_examples
from .exports import LISTS
from .forms import ConfirmForm, ImportForm
from .importers import IMPORTERS
from .pipeline import Upload
from .police import PoliceImporter

FORMATS = ("csv", "xlsx")


def _may_import(access, kind: str) -> bool:
    return kind != "actions" or ACTIONS.permits(access, "change")


def _importer(kind: str):
    return PoliceImporter() if kind == "police" else IMPORTERS[kind]()


@partnership_view(Can.WRITE_PROGRESS)
def import_start(request):
    access = request.access
    form = ImportForm(request.POST or None, request.FILES or None, access=access)
    if request.method == "POST" and form.is_valid():
        indicator = form.cleaned_data.get("indicator")
        kind = form.cleaned_data["kind"]
        meta = {
            "kind": kind,
            "filename": form.cleaned_data["file"].name,
            "crime_type": form.cleaned_data["crime_type"].strip(),
            "indicator": indicator.pk if indicator else None,
        }
        try:  # the file is read once, here; a file refused as a whole is refused on the upload form
            upload = Upload.start(access, _importer(kind), form.cleaned_data["file"].read(), meta)
        except Refusal as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("import_preview", partnership=access.partnership.slug, token=upload.token)
    kinds = {name: importer.title for name, importer in IMPORTERS.items() if _may_import(access, name)}
    examples = year_examples(access.partnership)
    return render(request, "spreadsheets/import.html", {"form": form, "kinds": kinds, "examples": examples})


@partnership_view(Can.WRITE_PROGRESS)
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    """What the file would change; nothing is written until the person confirms (POST)."""

    def summary(importer, written: int, unchanged: int) -> str:
        review = " as submitted for review" if importer.reviewed else ""
        return f"Imported {importer.counted(written)}{review}; {unchanged:,} row{pluralize(unchanged)} unchanged."

    return preview_page(
        request,
        token,
        lambda meta: _importer(meta["kind"]),
        template="spreadsheets/preview.html",
        summary=summary,
        landing=lambda upload, importer: importer.landing(request.access),
    )


def preview_page(request, token: str, importer_of, *, template: str, summary, landing):
    """The page of the person's upload `token` (any import): its preview, and on POST its confirm.
    `importer_of(meta)` is the upload's import; once its rows are written the person is sent to
    `landing(upload, importer)` (a URL) with the message `summary(importer, written, unchanged)`. A refusal
    (a row now in error, what is recorded changed) is shown on the page. A file of more than
    `settings.CSA_IMPORT_IN_BACKGROUND_ROWS` rows to write is confirmed by the worker: the page says so until
    its outcome is in (`?outcome=1` answers how far it has got, as JSON). An upload already imported (Back
    after Confirm, a second Confirm) gets a page saying when, by whom and what, never a second import."""
    upload = Upload.load(request.access, token)
    importer = importer_of(upload.meta)
    if request.GET.get("outcome"):
        return JsonResponse({"state": upload.outcome.get("state", "")})

    def tell(outcome):
        messages.success(request, summary(importer, outcome["written"], outcome["unchanged"]))
        return redirect(landing(upload, importer))

    def imported():
        """A page of an upload already imported: the worker's import is told once, then the page says so."""
        outcome = upload.outcome
        if not outcome["told"]:
            upload.settle({**outcome, "told": True})
            return tell(outcome)
        context = {"upload": upload, "landing": landing(upload, importer), "what": importer.counted(outcome["written"])}
        return render(request, "spreadsheets/imported.html", context)

    if upload.outcome.get("state") == "done":
        return imported()
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not upload.outcome:
        try:
            if upload.preview.writable > settings.CSA_IMPORT_IN_BACKGROUND_ROWS and not upload.preview.has_errors:
                upload.queue(request.access)
                upload = Upload.load(request.access, token)  # a worker that runs at once has settled it
                if upload.outcome.get("state") == "done":
                    return imported()
            else:
                upload.confirm(request.access, importer)
                return tell(upload.outcome)
        except Refusal as exc:
            refuse_on_form(form, exc)
    outcome = upload.outcome
    if outcome.get("state") == "refused":
        messages.error(request, outcome["message"])
        upload.settle({})  # the person may confirm again once they have read why
    context = {
        "upload": upload,
        "preview": upload.preview,
        "form": form,
        "to_write": importer.counted(upload.preview.writable),
        "importing": outcome.get("state") == "queued",
    }
    return render(request, template, context)


@partnership_view(Can.WRITE_PROGRESS)
def import_template(request, kind: str, fmt: str):
    if kind not in IMPORTERS or fmt not in FORMATS:
        raise Http404("No such template.")
    if not _may_import(request.access, kind):
        raise PermissionDenied("Only the Working Group imports actions.")
    importer = IMPORTERS[kind]()
    return table_response(fmt, f"{kind}-template", importer.headers, importer.template_rows(request.access))


@partnership_view(Can.READ)
def export_index(request):
    lists = {name: found for name, found in LISTS.items() if found.readable_by(request.access)}
    return render(request, "spreadsheets/export.html", {"lists": lists, "formats": FORMATS})


@partnership_view(Can.READ)
def export_list(request, name: str, fmt: str):
    found = LISTS.get(name)
    if found is None or fmt not in FORMATS:
        raise Http404("No such list.")
    if not found.readable_by(request.access):
        raise PermissionDenied("Your role does not include this list.")
    basename = f"{request.access.partnership.slug}-{name}"
    return table_response(fmt, basename, found.header, found.rows(request.access))
