"""One template, two forms: the report as a web page and as an A4 PDF drawn by WeasyPrint."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
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
    """Serves the report's stylesheet from the static folders; refuses everything else, so making a
    PDF never goes to the network."""

    def fetch(self, url, headers=None):
        path = unquote(urlsplit(url).path)
        prefix = "/" + settings.STATIC_URL.lstrip("/")
        found = finders.find(path.removeprefix(prefix)) if path.startswith(prefix) else None
        if not found:
            raise ValueError(f"Reports may only use the site's static files, not {url}")
        return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": _mime(found)})


def _mime(path: str) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(Path(path).suffix, "")


def render_pdf(report, *, snapshot: dict | None = None) -> bytes:
    """A4, tagged (PDF/UA-1), with title and language from the document's <title> and <html lang>."""
    document = HTML(
        string=render_html(report, snapshot=snapshot), base_url=settings.SITE_URL, url_fetcher=StaticFilesFetcher()
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")
