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

from csa_tracker.accounts.access import ALL_ROLES, partnership_view
from csa_tracker.accounts.models import Role
from csa_tracker.cells import table_response
from indicators.models import Indicator

from . import police
from .exports import LISTS
from .forms import ImportForm
from .importers import IMPORTERS, ImportRefused
from .parsing import UploadError, read_table

P, WG = Role.PARTNER, Role.WORKING_GROUP
FORMATS = ("csv", "xlsx")
PREVIEW_ROWS_SHOWN = 500
UPLOAD_KEPT_FOR = timedelta(days=1)


def _uploads() -> Storage:
    """Uploaded files wait in the "imports" storage between preview and confirm; they are never served."""
    return storages["imports"]


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


@partnership_view(P, WG)
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
        try:
            _preview(access, upload, data)  # a file refused as a whole is refused here, on the upload form
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            token, storage = secrets.token_urlsafe(16), _uploads()
            _forget_abandoned(storage)
            storage.save(token, ContentFile(data))
            request.session[_session_key(token)] = upload
            return redirect("import_preview", partnership=access.partnership.slug, token=token)
    kinds = {name: importer.title for name, importer in IMPORTERS.items() if _may_import(access, name)}
    context = {"form": form, "kinds": kinds}
    return render(request, "spreadsheets/import.html", context)


def _may_import(access, kind: str) -> bool:
    return kind != "actions" or access.is_working_group


def _preview(access, upload: dict, data: bytes):
    """The importer that read the file (it commits what it previewed) and its preview."""
    table, skipped = read_table(data), []
    if upload["kind"] == "police":
        indicator = Indicator.objects.editable_by(access).filter(pk=upload["indicator"]).first()
        if indicator is None:
            raise UploadError("You can no longer submit readings for the chosen indicator.")
        table, skipped = police.readings_table(table, crime_type=upload["crime_type"], indicator=indicator)
    importer = IMPORTERS["readings" if upload["kind"] == "police" else upload["kind"]]()
    preview = importer.preview(access, table)
    preview.skipped = skipped
    return importer, preview


@partnership_view(P, WG)
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    """What the file would change; nothing is written until the person confirms (POST)."""
    access = request.access
    upload = request.session.get(_session_key(token))
    storage = _uploads()
    if not upload or upload["partnership"] != access.partnership.pk or not storage.exists(token):
        raise Http404("No such upload: upload the file again.")
    with storage.open(token) as stored:
        data = stored.read()
    importer, preview, problem = IMPORTERS["readings" if upload["kind"] == "police" else upload["kind"]], None, ""
    try:
        importer, preview = _preview(access, upload, data)
        if request.method == "POST":
            written = importer.commit(access, preview)
            storage.delete(token)
            del request.session[_session_key(token)]
            review = " as submitted for review" if importer.reviewed else ""
            messages.success(
                request,
                f"Imported {written:,} {importer.noun}{pluralize(written)}{review}; "
                f"{preview.counts['unchanged']:,} row{pluralize(preview.counts['unchanged'])} unchanged.",
            )
            return redirect("my_work", partnership=access.partnership.slug)
    except (UploadError, ImportRefused) as exc:
        problem = str(exc)
    context = {
        "upload": upload,
        "token": token,
        "preview": preview,
        "problem": problem,
        "shown": [row for row in preview.rows if row.status != "unchanged"][:PREVIEW_ROWS_SHOWN] if preview else [],
        "limit": PREVIEW_ROWS_SHOWN,
        "noun": importer.noun,
    }
    return render(request, "spreadsheets/preview.html", context)


@partnership_view(P, WG)
def import_template(request, kind: str, fmt: str):
    if kind not in IMPORTERS or fmt not in FORMATS:
        raise Http404("No such template.")
    if not _may_import(request.access, kind):
        raise PermissionDenied("Only the Working Group imports actions.")
    importer = IMPORTERS[kind]()
    return table_response(fmt, f"{kind}-template", importer.headers, importer.template_rows(request.access))


@partnership_view(*ALL_ROLES)
def export_index(request):
    lists = {name: found for name, found in LISTS.items() if request.access.has_any(found.roles)}
    return render(request, "spreadsheets/export.html", {"lists": lists, "formats": FORMATS})


@partnership_view(*ALL_ROLES)
def export_list(request, name: str, fmt: str):
    found = LISTS.get(name)
    if found is None or fmt not in FORMATS:
        raise Http404("No such list.")
    if not request.access.has_any(found.roles):
        raise PermissionDenied("Your role does not include this list.")
    basename = f"{request.access.partnership.slug}-{name}"
    return table_response(fmt, basename, found.header, found.rows(request.access))
