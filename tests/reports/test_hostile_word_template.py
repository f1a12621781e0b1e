"""A partnership's Word template cannot cost the server more than a letterhead does (issue 24).

The probe: a Working Group member's 80 KB .docx holding 30 MB of XML was accepted, and every later
.docx download by anyone then cost 2.3 GB and 14 s. Now the upload is refused, on the field with a
sentence, in under 2 s and 100 MB; a template at the limits is accepted and a download built on it
stays under 10 s and 300 MB; one stored before the limits, or whose file is gone (a database restored
without its media folder), gives the plain layout instead of the cost or a 500.
"""

import io
import logging
import zipfile

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from csa_tracker.accounts.access import access_for
from reports import word_template
from reports.models import ReportOutput, ReportSettings
from reports.services import report_publish
from tests.resources import measure

BASE = "/kent-test/reports/2017-18/q4-2017-18"
SETTINGS = "/kent-test/reports/settings/"
PARAGRAPH = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"  # four elements


def template_with(body: bytes = b"", extra_parts: dict | None = None, page_setup=True) -> bytes:
    """A real .docx (python-docx's own) whose body is `body`, with `extra_parts` added, deflated;
    without its body's page setup (w:sectPr) if `page_setup` is False."""
    plain = io.BytesIO()
    docx.Document().save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "word/document.xml" and body:
                head, _, rest = data.partition(b"<w:body>")
                data = head + b"<w:body>" + body + rest  # before the page setup (w:sectPr), as Word writes
            if part.filename == "word/document.xml" and not page_setup:
                data = data[: data.index(b"<w:sectPr")] + b"</w:body></w:document>"
            archive.writestr(part, data)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return packed.getvalue()


@pytest.fixture
def report(world):
    found, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    return found


def unpacked_megabytes(data: bytes, endings=("",)) -> float:
    """What the parts of a package ending in one of `endings` unpack to, as the zip declares it."""
    parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    return sum(part.file_size for part in parts if part.filename.endswith(endings)) / (1024 * 1024)


def upload(client, data: bytes, name="letterhead.docx"):
    return client.post(SETTINGS, {"template": SimpleUploadedFile(name, data)})


def warmed_up(client):
    """The page opened once, so what is measured is the upload, not a new process importing the views."""
    assert client.get(SETTINGS).status_code == 200
    return client


def test_the_probes_template_of_30_mb_of_xml_is_refused_in_under_2_s_and_100_mb(world, client_as):
    bomb = template_with(PARAGRAPH * (30 * 1024 * 1024 // len(PARAGRAPH)))
    assert len(bomb) < 200 * 1024  # small on disk, as the probe's 80 KB file was
    client = warmed_up(client_as(world.users["working_group"]))
    response, cost = measure(lambda: upload(client, bomb))
    assert response.status_code == 200
    page = response.content.decode()
    xml = unpacked_megabytes(bomb, (".xml", ".rels"))
    assert xml > 30
    assert f"The template holds {xml:.1f} MB of text and layout, more than a letterhead template needs (5 MB)" in page
    assert 'href="#id_template"' in page  # on the field, in the error summary
    assert not ReportSettings.objects.exists()
    assert cost.seconds < 2, cost
    assert cost.megabytes < 100, cost


def test_a_template_with_too_many_elements_inside_the_size_limit_is_refused_before_it_is_parsed(world, client_as):
    """4 MB of the smallest paragraphs is inside the XML size limit but 470,000 elements: counted on
    the way in, stopped at the 200,001st."""
    crowded = template_with(b"<w:p/>" * (4 * 1024 * 1024 // 6))
    client = warmed_up(client_as(world.users["working_group"]))
    response, cost = measure(lambda: upload(client, crowded))
    assert "over 200,000 paragraphs, runs and other elements" in response.content.decode()
    assert not ReportSettings.objects.exists()
    assert cost.seconds < 2, cost
    assert cost.megabytes < 100, cost


PICTURES = template_with(extra_parts={"word/media/image1.png": b"\0" * (30 * 1024 * 1024)})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            PICTURES,
            f"The template unpacks to {unpacked_megabytes(PICTURES):.1f} MB, more than the 25 MB a template may hold",
        ),
        (
            template_with(extra_parts={f"customXml/extra{n}.xml": b"<a/>" for n in range(1_000)}),
            "The template is made of 1,0",
        ),
        (
            template_with(b'<!DOCTYPE w:p [<!ENTITY a "aaaaaaaa">]><w:p/>'),
            "Part of this file is damaged or is not what a Word document holds",
        ),
    ],
    ids=["pictures-unpacking-to-30-MB", "a-thousand-parts", "an-entity-declaration"],
)
def test_other_packages_no_template_needs_are_refused_on_the_field(world, client_as, data, message):
    response = upload(client_as(world.users["working_group"]), data)
    assert message in response.content.decode()
    assert not ReportSettings.objects.exists()


def test_a_template_at_the_limits_is_accepted_and_a_download_on_it_stays_bounded(world, report, client_as):
    at_limit = template_with(PARAGRAPH * 49_000)  # 196,000 body elements, besides the styles'
    assert word_template.word_template_problem(at_limit) is None
    assert upload(client_as(world.users["working_group"]), at_limit).status_code == 302
    reader = client_as(world.users["governing"])
    response, cost = measure(lambda: reader.get(f"{BASE}/v1.docx"))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.getvalue()))
    assert "x" not in [paragraph.text for paragraph in document.paragraphs]  # the body is the report's
    assert cost.seconds < 10, cost
    assert cost.megabytes < 300, cost


def store_template(partnership, data: bytes) -> ReportSettings:
    """A template stored as it was before its size was checked (or restored from elsewhere)."""
    settings = ReportSettings(partnership=partnership, word_template_name="letterhead.docx")
    settings.word_template.save("letterhead.docx", ContentFile(data), save=False)
    settings.save()
    return settings


def test_a_stored_template_beyond_the_limits_gives_the_plain_layout_not_its_cost(world, report, client_as, caplog):
    store_template(world.partnership, template_with(PARAGRAPH * (30 * 1024 * 1024 // len(PARAGRAPH))))
    reader = client_as(world.users["governing"])
    with caplog.at_level(logging.WARNING, logger="reports.outputs"):
        response, cost = measure(lambda: reader.get(f"{BASE}/v1.docx"))
    assert response.status_code == 200
    assert docx.Document(io.BytesIO(response.getvalue())).paragraphs[0].text  # a report, in the plain layout
    assert "Word template refused; using the plain layout" in caplog.text
    assert cost.seconds < 10, cost
    assert cost.megabytes < 300, cost


def test_a_template_whose_file_is_gone_gives_the_plain_layout_not_a_500(world, report, client_as, caplog):
    """After a database-only restore the settings name a template file the media folder lacks."""
    settings = store_template(world.partnership, template_with())
    settings.word_template.storage.delete(settings.word_template.name)
    reader = client_as(world.users["governing"])
    with caplog.at_level(logging.WARNING, logger="reports.outputs"):
        response = reader.get(f"{BASE}/v1.docx")
    assert response.status_code == 200
    header = docx.Document(io.BytesIO(response.getvalue())).sections[0].header.paragraphs[0].text
    assert header == ""  # the plain layout's empty header
    assert "Word template file missing; using the plain layout" in caplog.text
    assert ReportOutput.objects.filter(format="docx").count() == 1


def test_a_template_without_page_setup_is_refused_and_one_stored_before_gives_the_plain_layout(
    world, report, client_as
):
    """Word always writes a body's page setup (w:sectPr); a generated file may not, and python-docx
    cannot add a table to a document without one (an IndexError: a 500 on every download)."""
    no_setup = template_with(page_setup=False)
    response = upload(client_as(world.users["working_group"]), no_setup)
    assert "This document has no page setup (margins, header and footer)" in response.content.decode()
    store_template(world.partnership, no_setup)
    download = client_as(world.users["governing"]).get(f"{BASE}/v1.docx")
    assert download.status_code == 200
    assert docx.Document(io.BytesIO(download.getvalue())).sections[0].header.paragraphs[0].text == ""
