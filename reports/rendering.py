"""One template, two forms: the report as a web page and as an A4 PDF drawn by WeasyPrint."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


def report_context(snapshot: dict, *, report=None, pdf: bool = False) -> dict:
    superseded_by = getattr(report, "superseded_by", None) if report is not None else None
    return {"s": snapshot, "report": report, "superseded_by": superseded_by, "pdf": pdf}


def render_html(report, *, snapshot: dict | None = None) -> str:
    """The standalone document the PDF is made from (pages use the same body inside the site layout)."""
    snapshot = snapshot if snapshot is not None else report.snapshot
    return render_to_string("reports/report_pdf.html", report_context(snapshot, report=report, pdf=True))


class StaticFilesFetcher(URLFetcher):
    """Serves the report's stylesheet (and anything it refers to) from the static files on disk;
    refuses everything else, so making a PDF never goes to the network, not even to this site.

    A static URL is recognised by its prefix, `STATIC_URL` resolved against the same base URL as the
    document, so it works whatever SITE_URL says. The file is read through Django's staticfiles
    finders (the source folders, as in development) and else from the staticfiles storage, which is
    where production's hashed names (`report-pdf.3f2a….css`, after `collectstatic`) live.
    """

    def __init__(self, *, base_url: str = "", **kwargs):
        super().__init__(**kwargs)
        self.static_prefix = urljoin(base_url, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        name = unquote(urlsplit(url[len(self.static_prefix) :]).path) if url.startswith(self.static_prefix) else ""
        body = read_static_file(name) if name else None
        if body is None:
            raise ValueError(f"Reports may only use the site's static files, not {url}")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": _mime(name)})


def read_static_file(name: str) -> bytes | None:
    """The bytes of static file `name` ("css/report-pdf.css" or its hashed name), or None if there is none."""
    try:
        found = finders.find(name)
        if found:
            return Path(found).read_bytes()
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return file.read()
    except (SuspiciousFileOperation, OSError):
        return None
    return None


def _mime(path: str) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(Path(path).suffix, "")


def render_pdf(report, *, snapshot: dict | None = None) -> bytes:
    """A4, tagged (PDF/UA-1), with title and language from the document's <title> and <html lang>."""
    base_url = settings.SITE_URL.rstrip("/") + "/"
    document = HTML(
        string=render_html(report, snapshot=snapshot),
        base_url=base_url,
        url_fetcher=StaticFilesFetcher(base_url=base_url),
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")
