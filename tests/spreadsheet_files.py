"""Building spreadsheet files for import tests, and uploading them as a signed-in person."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

READING_HEADER = ["Indicator", "Area", "Period end", "Value", "Approximate", "Source note"]
UPDATE_HEADER = ["Action ID", "Status", "Progress"]


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_rows(data: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def csv_rows(data: bytes) -> list[list]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def upload(client, partnership, data: bytes, *, kind="readings", name="file.csv", **extra):
    """POST the file to the import page; returns the response (a redirect to the preview when accepted)."""
    url = reverse("import_start", kwargs={"partnership": partnership.slug})
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data), **extra})


def preview(client, partnership, data: bytes, **kwargs):
    """Upload and follow to the preview page."""
    response = upload(client, partnership, data, **kwargs)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return client.get(response["Location"]), response["Location"]


def settings_upload(client, partnership, data: bytes, *, kind: str, name="config.csv"):
    """POST a configuration spreadsheet (Settings → Configuration spreadsheets); populations go through
    the Areas page's "Import populations" with `kind="populations-page"`."""
    if kind == "populations-page":
        url = reverse("settings_population_import", kwargs={"partnership": partnership.slug})
        return client.post(url, {"file": SimpleUploadedFile(name, data)})
    url = reverse("settings_spreadsheets", kwargs={"partnership": partnership.slug})
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def settings_preview(client, partnership, data: bytes, *, kind: str, name="config.csv"):
    """Upload a configuration spreadsheet and follow to its preview page: (page, the page's address)."""
    response = settings_upload(client, partnership, data, kind=kind, name=name)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return client.get(response["Location"]), response["Location"]


def row_outcomes(page) -> list[tuple[int, str]]:
    """(row number, status) of each row a preview lists (new, changed and in error)."""
    return [(row.number, row.status) for row in page.context["preview"].rows]


def row_errors(page) -> list[tuple[int, str, str]]:
    """(row number, column, reason) of every error a preview lists."""
    return [(row.number, column, reason) for row in page.context["preview"].rows for column, reason in row.errors]
