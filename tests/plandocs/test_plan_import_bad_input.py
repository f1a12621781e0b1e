"""Files the importer cannot read are refused on the upload form with a sentence saying what it needs;
nothing is stored or created, and nothing costly is done first (a zip bomb and 30 MB of XML are refused
from the zip's directory, before anything is inflated or parsed)."""

import time
import zipfile
from io import BytesIO

import pytest

from csa_tracker.audit.models import AuditEntry
from plandocs import reading
from plandocs.reading import MAX_BYTES, DocumentRefused, read_document
from priorities.models import Plan

from .documents import kent_docx, no_headings, ole2, over_limit, picture_only, simple_docx, with_part
from .importing import upload


def _zip_bomb() -> bytes:
    """A real document whose body part inflates to 200 MB (it compresses to about 200 KB)."""
    body = b"<w:document>" + b" " * (200 * 1024 * 1024) + b"</w:document>"
    return with_part(kent_docx(), "word/document.xml", body)


def _thirty_megabytes_of_xml() -> bytes:
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    body += paragraph * (30 * 1024 * 1024 // len(paragraph)) + b"</w:body></w:document>"
    return with_part(kent_docx(), "word/document.xml", body)


def _many_elements() -> bytes:
    """5 MB of XML (under the size limit) holding over a million elements."""
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    body += b"<w:p/>" * 900_000 + b"</w:body></w:document>"
    return with_part(kent_docx(), "word/document.xml", body)


def _entity_expansion() -> bytes:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        b"<w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    return with_part(kent_docx(), "word/document.xml", body)


def _workbook() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def _template() -> bytes:
    """A Word template (.dotx): a Word package whose main part is not a document."""
    data = kent_docx()
    types = zipfile.ZipFile(BytesIO(data)).read("[Content_Types].xml")
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    template = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    return with_part(data, "[Content_Types].xml", types.replace(main, template))


def _empty_document() -> bytes:
    return simple_docx(lambda document: None)


BAD = {
    "old .doc": (lambda: ole2(encrypted=False), "This is an old Word document (.doc)"),
    "password-protected": (lambda: ole2(encrypted=True), "This document is protected with a password"),
    "PDF": (lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "This is a PDF."),
    "no headings": (no_headings, "The document has no headings, so the importer cannot tell where each priority"),
    "pictures only": (picture_only, "The document holds pictures but no text"),
    "empty document": (_empty_document, "The document holds no text."),
    "over the limit": (lambda: over_limit(MAX_BYTES), "the importer reads Word documents up to 10.0 MB"),
    "zip bomb": (_zip_bomb, "The document unpacks to 200.8 MB, more than the importer reads (60.0 MB)"),
    "30 MB of XML": (_thirty_megabytes_of_xml, "Word text markup in one part, more than a plan needs"),
    "a million elements": (_many_elements, "pieces of markup, far more than a plan needs"),
    "entity expansion": (_entity_expansion, "markup Word never writes"),
    "Excel workbook": (_workbook, "This is an Excel workbook."),
    "Word template": (_template, "This is not a plain Word document."),
    "a picture": (lambda: bytes.fromhex("89504e470d0a1a0a") + bytes(100), "This is not a Word document."),
    "a damaged zip": (lambda: b"PK\x03\x04" + bytes(200), "The file cannot be opened: it may be damaged."),
    "empty file": (lambda: b"", "The file is empty; choose a file with something in it."),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_each_bad_file_is_refused_on_the_upload_form_saying_what_the_importer_needs(
    empty, client, spreadsheet_uploads, case
):
    build, message = BAD[case]
    client.force_login(empty.working_group)
    response = upload(client, empty.partnership, build(), filename=f"{case}.docx")
    page = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert response.status_code == 200
    assert message in page
    assert 'aria-invalid="true"' in page  # on the file field
    assert 'href="#id_file"' in page  # the error summary links to it
    assert not Plan.objects.exists() and not AuditEntry.objects.exists()
    assert [path for path in spreadsheet_uploads.rglob("*") if path.is_file()] == []  # no upload kept


@pytest.mark.parametrize("case", ["old .doc", "password-protected", "PDF", "no headings", "pictures only"])
def test_the_messages_say_what_to_do(case):
    build, _ = BAD[case]
    with pytest.raises(DocumentRefused) as refused:
        from plandocs.recognise import check_readable

        check_readable(read_document(build()))
    message = str(refused.value)
    what_to_do = {
        "old .doc": "choose File → Save As → “Word Document (.docx)”",
        "password-protected": "remove the password",
        "PDF": "upload the Word document (.docx) the PDF was made from",
        "no headings": "choose the style “Heading 1”",
        "pictures only": "Upload the document the plan was written in",
    }[case]
    assert what_to_do in message


@pytest.mark.parametrize("case", ["zip bomb", "30 MB of XML"])
def test_oversized_parts_are_refused_before_they_are_inflated(case, monkeypatch):
    """The zip's directory says how large each part is: the refusal comes before any part is opened."""
    data = BAD[case][0]()
    opened = []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *args, **kwargs: opened.append(args) or 1 / 0)
    started = time.perf_counter()
    with pytest.raises(DocumentRefused):
        reading.check_file(data)
    assert opened == []
    assert time.perf_counter() - started < 1.0


def test_a_part_larger_inside_than_its_directory_says_is_refused():
    """A directory that says 1 KB for a 30 MB part cannot make the reader inflate more than it says."""
    raw = bytearray(BAD["30 MB of XML"][0]())
    local = zipfile.ZipFile(BytesIO(bytes(raw))).getinfo("word/document.xml").header_offset
    central = raw.index(b"word/document.xml", raw.index(b"PK\x01\x02")) - 46  # its central directory entry
    assert raw[central : central + 4] == b"PK\x01\x02"
    raw[central + 24 : central + 28] = (1024).to_bytes(4, "little")  # uncompressed size
    raw[local + 22 : local + 26] = (1024).to_bytes(4, "little")
    with pytest.raises(DocumentRefused) as refused:
        reading.check_file(bytes(raw))
    assert "it may be damaged" in str(refused.value)
