"""Files an import refuses as a whole: a clear message on the upload page and nothing written."""

import io
import zipfile
from datetime import UTC, datetime
from unittest import mock

import pytest

from csa_tracker.accounts.people import display_name
from indicators.models import IndicatorReading
from spreadsheets.limits import MAX_BYTES, MAX_ROWS, MAX_UNPACKED
from tests.spreadsheet_files import READING_HEADER, csv_bytes, upload, xlsx_bytes

GOOD_ROW = ["Road casualties", "Kent", "31/12/2017", "1,234", "No", ""]


def zip_bytes(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def bad_files():
    workbook = xlsx_bytes([READING_HEADER, GOOD_ROW])
    return {
        "a picture": ("photo.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "This is not a spreadsheet"),
        "a renamed binary": ("figures.csv", bytes(range(256)) * 10, "This is not a spreadsheet"),
        "a password-protected workbook": (
            "locked.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "password-protected or in the old .xls format",
        ),
        "a truncated workbook": ("cut.xlsx", workbook[: len(workbook) // 2], "damaged and cannot be read"),
        "a zip that is not a workbook": ("other.xlsx", zip_bytes({"notes.txt": "hello"}), "This is a zip file"),
        "a workbook with its parts missing": (
            "hollow.xlsx",
            zip_bytes({"[Content_Types].xml": "<Types/>"}),
            "damaged and cannot be read",
        ),
        "a workbook that inflates past the limit": (
            "bomb.xlsx",
            zip_bytes({"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": bytes(MAX_UNPACKED + 1)}),
            "unpacks to more than 50 MB",
        ),
        "too many rows": (
            "long.csv",
            csv_bytes([READING_HEADER] + [GOOD_ROW] * (MAX_ROWS + 1)),
            "more than 50,000 rows",
        ),
        "too many bytes": ("big.csv", b"a" * (MAX_BYTES + 1), "larger than 10 MB"),
        "a missing column": ("short.csv", csv_bytes([READING_HEADER[:3], GOOD_ROW[:3]]), "missing columns “Value”"),
        "an extra column": (
            "wide.csv",
            csv_bytes([[*READING_HEADER, "Colour"], [*GOOD_ROW, "red"]]),
            "unexpected column “Colour”",
        ),
        "a repeated column": (
            "twice.csv",
            csv_bytes([[*READING_HEADER, "Value"], [*GOOD_ROW, "5"]]),
            "column “Value” appears twice",
        ),
        "an empty file": ("empty.csv", b"", "file is empty"),
    }


@pytest.mark.parametrize("case", sorted(bad_files()))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_written(world, client, case):
    name, data, message = bad_files()[case]
    client.force_login(world.users["working_group"])
    before = IndicatorReading.objects.count()
    response = upload(client, world.partnership, data, name=name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert IndicatorReading.objects.count() == before
    assert not any(key.startswith("spreadsheet-import-") for key, _ in client.session.items())


def test_uploads_never_confirmed_are_deleted_after_a_day(world, client, spreadsheet_uploads):
    import os
    import time

    spreadsheet_uploads.mkdir()
    old, recent = spreadsheet_uploads / "old-token", spreadsheet_uploads / "recent-token"
    for path in (old, recent):
        path.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    client.force_login(world.users["working_group"])
    response = upload(client, world.partnership, csv_bytes([READING_HEADER, GOOD_ROW]))
    assert response.status_code == 302
    assert not old.exists() and recent.exists()
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert (spreadsheet_uploads / f"{token}.table").exists()
    client.post(response["Location"])
    assert not (spreadsheet_uploads / f"{token}.table").exists()


def test_an_upload_is_only_its_uploaders_own(world, client, spreadsheet_uploads):
    """The preview waits under an opaque token bound to the person and partnership, not in the session:
    another person of the same partnership (even the Working Group) gets 404 and cannot confirm it."""
    client.force_login(world.users["partner"])
    response = upload(client, world.partnership, csv_bytes([READING_HEADER, GOOD_ROW]))
    url = response["Location"]
    assert not any(key.startswith("spreadsheet-import") for key in client.session.keys())  # noqa: SIM118 - a session is not a dict
    client.force_login(world.users["working_group"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not IndicatorReading.objects.filter(indicator=world.indicator, period_end="2017-12-31").exists()
    client.force_login(world.users["partner"])
    assert client.post(url).status_code == 302
    assert IndicatorReading.objects.get(indicator=world.indicator, period_end="2017-12-31").value == 1234


def test_a_preview_whose_file_was_forgotten_says_so_on_confirm(world, client, spreadsheet_uploads):
    client.force_login(world.users["partner"])
    url = upload(client, world.partnership, csv_bytes([READING_HEADER, GOOD_ROW]))["Location"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    (spreadsheet_uploads / f"{token}.table").unlink()
    response = client.post(url)
    assert response.context["form"].non_field_errors() == [
        "This preview has expired; nothing was imported. Upload the file again."
    ]
    assert not IndicatorReading.objects.filter(indicator=world.indicator, period_end="2017-12-31").exists()


def test_back_after_confirm_says_the_file_was_already_imported_and_never_imports_it_twice(
    world, client, spreadsheet_uploads
):
    """Back to the preview, or Confirm pressed again, after an import: a page saying when, by whom and what
    was written, with a link to it; never a 404 nor a second import."""
    partner = world.users["partner"]
    client.force_login(partner)
    url = upload(client, world.partnership, csv_bytes([READING_HEADER, GOOD_ROW]))["Location"]
    imported_at = datetime(2026, 3, 4, 9, 15, tzinfo=UTC)  # before the sign-in expires
    with mock.patch("django.utils.timezone.now", return_value=imported_at):
        confirmed = client.post(url)
    landing = confirmed["Location"]
    assert IndicatorReading.objects.filter(indicator=world.indicator, period_end="2017-12-31").count() == 1

    for again in (client.get(url), client.post(url, {"confirm": "1"})):
        assert again.status_code == 200
        page = again.content.decode()
        assert "Already imported: file.csv" in page
        assert f"imported on 4 March 2026 at 09:15 by {display_name(partner)}: 1 indicator reading written" in page
        assert f'<a href="{landing}">See what it wrote</a>' in page
    assert IndicatorReading.objects.filter(indicator=world.indicator, period_end="2017-12-31").count() == 1
