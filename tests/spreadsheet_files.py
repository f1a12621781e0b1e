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


def data_rows(data: bytes, fmt: str) -> int:
    """How many rows below the header an exported file has."""
    return len(xlsx_rows(data) if fmt == "xlsx" else csv_rows(data)) - 1


def upload(client, partnership, data: bytes, *, kind="readings", name="file.csv", **extra):
    """POST the file to the import page; returns the response (a redirect to the preview when accepted)."""
    url = reverse("import_start", kwargs={"partnership": partnership.slug})
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data), **extra})


def preview(client, partnership, data: bytes, **kwargs):
    """Upload and follow to the preview page."""
    response = upload(client, partnership, data, **kwargs)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return client.get(response["Location"]), response["Location"]
