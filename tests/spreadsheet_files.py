"""Building spreadsheet files for import tests, and uploading them as a signed-in person."""

import csv
import io
import zipfile

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


def edit_part(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """The .xlsx or .ods with one part's XML edited (what a spreadsheet writes but openpyxl will not)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                assert old in content
                content = content.replace(old, new)
            target.writestr(info.filename, content)
    return out.getvalue()


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)


def ods_text_cell(text: str, extra: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>'


def ods_bytes(header: list[str], rows_xml: str, *, manifest: str = "") -> bytes:
    """An OpenDocument spreadsheet as LibreOffice lays one out: a "Data" sheet of `header` then `rows_xml`."""
    head = "".join(ods_text_cell(name) for name in header)
    content = (
        f"<office:document-content {ODS_NAMESPACES}><office:body><office:spreadsheet>"
        f'<table:table table:name="Data"><table:table-row>{head}</table:table-row>{rows_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        if manifest:
            archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()
