"""Upload, preview and confirm imports; download templates and lists."""

import secrets
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions.policies import ACTIONS
from csa_tracker.accounts.access import partnership_view
from csa_tracker.accounts.policies import Can
from csa_tracker.cells import table_response
from indicators.models import Indicator

from . import police, previews
from .exports import LISTS
from .forms import ImportForm
from .importers import IMPORTERS, ImportRefused
from .parsing import Table, UploadError, read_table, table_from_json, table_to_json

FORMATS = ("csv", "xlsx")
UPLOAD_KEPT_FOR = timedelta(days=1)


def _uploads() -> Storage:
    """What an upload was read into waits in the "imports" storage between preview and confirm, as two
    JSON files: the table (`token`) and its preview (`token.preview`). They are never served."""
    return storages["imports"]


def _preview_name(token: str) -> str:
    return f"{token}.preview"


def _forget_abandoned(storage: Storage) -> None:
    """Files previewed but never confirmed are deleted after a day."""
    if not storage.exists(""):
        return
    cutoff = timezone.now() - UPLOAD_KEPT_FOR
    for name in storage.listdir("")[1]:
        if storage.get_modified_time(name) < cutoff:
            storage.delete(name)


def _session_key(token: str) -> str:
    return f"spreadsheet-import-{token}"


@partnership_view(Can.WRITE_PROGRESS)
def import_start(request):
    access = request.access
    form = ImportForm(request.POST or None, request.FILES or None, access=access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        indicator = form.cleaned_data.get("indicator")
        upload = {
            "partnership": access.partnership.pk,
            "kind": form.cleaned_data["kind"],
            "filename": form.cleaned_data["file"].name,
            "crime_type": form.cleaned_data["crime_type"].strip(),
            "indicator": indicator.pk if indicator else None,
        }
        try:  # the file is read once, here; a file refused as a whole is refused on the upload form
            table, skipped = _read(access, upload, data)
            preview = _preview(access, upload, table, skipped)
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            token, storage = secrets.token_urlsafe(16), _uploads()
            _forget_abandoned(storage)
            storage.save(token, ContentFile(table_to_json(table).encode()))
            storage.save(_preview_name(token), ContentFile(previews.to_json(previews.stored(preview)).encode()))
            request.session[_session_key(token)] = {**upload, "skipped": skipped}
            return redirect("import_preview", partnership=access.partnership.slug, token=token)
    kinds = {name: importer.title for name, importer in IMPORTERS.items() if _may_import(access, name)}
    context = {"form": form, "kinds": kinds}
    return render(request, "spreadsheets/import.html", context)


def _may_import(access, kind: str) -> bool:
    return kind != "actions" or ACTIONS.permits(access, "change")


def _importer(upload: dict):
    return IMPORTERS["readings" if upload["kind"] == "police" else upload["kind"]]()


def _read(access, upload: dict, data: bytes) -> tuple[Table, list[tuple[str, int]]]:
    """The table to import (a police file as its readings) and what was left out of it."""
    table, skipped = read_table(data), []
    if upload["kind"] == "police":
        indicator = Indicator.objects.editable_by(access).filter(pk=upload["indicator"]).first()
        if indicator is None:
            raise UploadError("You can no longer submit readings for the chosen indicator.")
        table, skipped = police.readings_table(table, crime_type=upload["crime_type"], indicator=indicator)
    return table, skipped


def _preview(access, upload: dict, table: Table, skipped, importer=None):
    preview = (importer or _importer(upload)).preview(access, table)
    preview.skipped = skipped
    return preview


@partnership_view(Can.WRITE_PROGRESS)
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    """What the file would change; nothing is written until the person confirms (POST)."""
    access = request.access
    upload = request.session.get(_session_key(token))
    storage = _uploads()
    name = _preview_name(token)
    if not upload or upload["partnership"] != access.partnership.pk or not storage.exists(name):
        raise Http404("No such upload: upload the file again.")
    with storage.open(name) as found:
        shown = previews.from_json(found.read().decode())
    importer, problem = _importer(upload), ""
    if request.method == "POST":
        try:
            with storage.open(token) as found:
                table = table_from_json(found.read().decode())
            preview = _preview(access, upload, table, [tuple(s) for s in upload.get("skipped", [])], importer)
            if previews.signature(preview) != shown.signature:
                shown = previews.stored(preview)
                storage.delete(name)
                storage.save(name, ContentFile(previews.to_json(shown).encode()))
                raise ImportRefused(
                    "What is recorded changed since this preview was made; the preview below is up to date. "
                    "Check it, then confirm again."
                )
            written = importer.commit(access, preview)
        except (UploadError, ImportRefused) as exc:
            problem = str(exc)
        else:
            for stale in (token, name):
                storage.delete(stale)
            del request.session[_session_key(token)]
            review = " as submitted for review" if importer.reviewed else ""
            unchanged = preview.counts["unchanged"]
            messages.success(
                request,
                f"Imported {written:,} {importer.noun}{pluralize(written)}{review}; "
                f"{unchanged:,} row{pluralize(unchanged)} unchanged.",
            )
            return redirect("my_work", partnership=access.partnership.slug)
    context = {
        "upload": upload,
        "token": token,
        "preview": shown,
        "problem": problem,
        "shown": shown.rows,
        "limit": previews.ROWS_KEPT,
        "noun": importer.noun,
    }
    return render(request, "spreadsheets/preview.html", context)


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
