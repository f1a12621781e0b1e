"""One template, two forms: the report as a web page and as an A4 PDF drawn by WeasyPrint."""

from __future__ import annotations

import functools
import math
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA
from weasyprint.urls import URLFetcher, URLFetcherResponse


def report_context(snapshot: dict, *, report=None, pdf: bool = False) -> dict:
    """What report_body.html draws from: the snapshot `s`, the version, and the plan's choices as flags
    (`lead`: a lead-agency column; `compact`: trends in an annex, `annex` saying whether there are any)."""
    superseded_by = getattr(report, "superseded_by", None) if report is not None else None
    compact = is_compact(snapshot)
    return {
        "s": snapshot,
        "report": report,
        "superseded_by": superseded_by,
        "pdf": pdf,
        "lead": has_lead_column(snapshot),
        "compact": compact,
        "annex": compact and any(priority["indicators"] for priority in snapshot["priorities"]),
    }


# Below an "Actions and progress" heading, a caption and a table header, an A4 page of report-pdf.css
# holds about 620 pt of rows; a row estimated below ROW_ROOM_PT surely fits on one.
ROW_ROOM_PT = 560
LINE_PT, DETAIL_LINE_PT, PARAGRAPH_GAP_PT, CELL_PADDING_PT = 13.3, 11.2, 5.7, 9
# Characters a line of each column holds at the least: about half what Latin text fits (62 in the
# progress column, 26 bold in the action column), so wide glyphs and long words are covered too.
PROGRESS_LINE_CHARS, WORDING_LINE_CHARS, DETAIL_LINE_CHARS = 30, 13, 20


def fits_on_a_page(action: dict) -> bool:
    """Whether a snapshot action's row is surely shorter than an A4 page under a table's heading and
    header: a pessimistic estimate from its text (every progress line, wording and detail at the fewest
    characters a line holds), so a row said to fit always does.

    The PDF keeps a table's heading with its first action by an empty first row group (report_body's
    `report-table-lead`); WeasyPrint can place that group and the action after it on no page when
    the action is longer than a page, so the group is left out for such a first action, which then
    starts where the heading is and runs on."""
    progress = [line for line in action["progress"].splitlines() if line.strip()] or ["No progress published yet."]
    progress_pt = sum(math.ceil(len(line) / PROGRESS_LINE_CHARS) * LINE_PT + PARAGRAPH_GAP_PT for line in progress)
    details = [", ".join(action["leads"]), ", ".join(action["supporters"]), action["funding"], action["status"]]
    details += action.get("themes", [])
    details_pt = sum(math.ceil((len(text) + 12) / DETAIL_LINE_CHARS) * DETAIL_LINE_PT for text in details)
    wording_pt = math.ceil(len(action["wording"]) / WORDING_LINE_CHARS) * LINE_PT
    return max(progress_pt + LINE_PT, wording_pt + details_pt) + CELL_PADDING_PT < ROW_ROOM_PT


def has_lead_column(snapshot: dict) -> bool:
    """Whether the plan's report puts lead agencies in a column of their own ("Action | Lead agency |
    Progress", plan settings); reports published before the setting existed have one column less."""
    return snapshot["plan"].get("action_table") == "lead_agency"


def is_compact(snapshot: dict) -> bool:
    """Whether the report is laid out compactly on paper (plan settings, `Plan.report_layout`): priorities
    run on and the trend charts with their figures move to an annex. Older snapshots are full."""
    return snapshot["plan"].get("layout") == "compact"


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


# WeasyPrint's default stylesheet gives every element ::marker, ::footnote-call, ::footnote-marker,
# ::note-call, ::note-marker and ::note-callback styles: six computed styles per element, most of the
# cascade's time in a long report. Markers are drawn for list items only and the report has neither
# footnotes nor notes (no `float: footnote`), so the report's copy scopes those rules to li.
UNIVERSAL_PSEUDO_RULES = (
    "::marker",
    "::footnote-call",
    "::footnote-marker",
    "::note-call",
    "::note-marker",
    "::note-callback",
)


@functools.cache
def report_user_agent_stylesheet() -> CSS:
    """WeasyPrint's default stylesheet with UNIVERSAL_PSEUDO_RULES scoped to li; ImproperlyConfigured
    if a WeasyPrint upgrade no longer has exactly those rules at the start of a line."""
    lines = UA.splitlines()
    scoped = [f"li{line}" if line.startswith(UNIVERSAL_PSEUDO_RULES) else line for line in lines]
    if sum(line != scoped_line for line, scoped_line in zip(lines, scoped, strict=True)) != len(UNIVERSAL_PSEUDO_RULES):
        raise ImproperlyConfigured("WeasyPrint's default stylesheet changed: review report_user_agent_stylesheet")
    # Its @counter-style rules are parsed into a throwaway: documents take them from WeasyPrint's own.
    return CSS(string="\n".join(scoped), counter_style=CounterStyle())


class ReportHTML(HTML):
    """WeasyPrint's HTML document with report_user_agent_stylesheet as its default stylesheet."""

    def _ua_stylesheets(self, forms=False):
        return [report_user_agent_stylesheet(), *super()._ua_stylesheets(forms)[1:]]


# pydyf rebuilds the references of all the pages each time WeasyPrint asks for one page's: once per
# tagged piece of content (PDF/UA) and per link, so pages × pieces, about a tenth of a 90-page report's
# time. The list only grows as pages are added, so the one built for the same number of pages is kept.
_pydyf_page_references = pydyf.PDF.page_references.fget


def _kept_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    count = len(pdf.pages["Kids"])
    kept = pdf.__dict__.get("_kept_page_references")
    if kept is None or kept[0] != count:
        kept = pdf._kept_page_references = (count, _pydyf_page_references(pdf))
    return kept[1]


pydyf.PDF.page_references = property(_kept_page_references)


def render_pdf(report, *, snapshot: dict | None = None) -> bytes:
    """A4, tagged (PDF/UA-1), with title and language from the document's <title> and <html lang>."""
    base_url = settings.SITE_URL.rstrip("/") + "/"
    document = ReportHTML(
        string=render_html(report, snapshot=snapshot),
        base_url=base_url,
        url_fetcher=StaticFilesFetcher(base_url=base_url),
    )
    return document.write_pdf(pdf_variant="pdf/ua-1")
