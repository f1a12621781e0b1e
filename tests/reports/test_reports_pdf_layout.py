"""The report PDF as production makes it and as readers see it: the stylesheet applies with hashed
static files and any SITE_URL, long URLs wrap inside their cell, emoji and symbols print, table headers
repeat on continued pages, and a comparability note has a full-width row of its own."""

import re
from datetime import date

import pydyf
import pytest
from django.core.management import call_command
from weasyprint.css import get_all_computed_styles

from csa_tracker.accounts.access import access_for
from csa_tracker.text import normalise_text
from indicators.models import ComparabilityNote
from reports import rendering
from reports.rendering import ReportHTML, render_html, render_pdf
from reports.services import report_publish
from tests.factories import PublishedUpdateFactory
from tests.paths import DATA
from tests.pdf_layout import embedded_fonts, page_image, page_texts, vertical_rules, words

CASES = DATA / "cases"
MM = 72 / 25.4  # points per millimetre
RIGHT_MARGIN = 16 * MM  # report-pdf.css: @page margin 18mm 16mm 20mm


def publish(world):
    report, _ = report_publish(access=access_for(world.users["working_group"], world.partnership), cycle=world.cycle)
    return report


@pytest.fixture
def production_static(settings, tmp_path):
    """Production's static files: `collectstatic` into a folder of this test's own with the hashed,
    compressed manifest storage `make serve` uses, DEBUG off."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "csa_tracker.storage.StaticStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def performance_page(data: bytes) -> int:
    return next(n for n, text in enumerate(page_texts(data)) if "Performance summary for Road Safety" in text)


def assert_styled(data: bytes):
    """The stylesheet's sans font is embedded and no serif (the default without it), and the
    performance table has its borders: vertical rules at least 15 mm long, one per column edge."""
    fonts = embedded_fonts(data)
    assert "DejaVu-Sans" in fonts and not [font for font in fonts if "Serif" in font]
    image = page_image(data, performance_page(data), dpi=50)
    assert len(vertical_rules(image, min_length=round(15 / 25.4 * 50))) >= 7  # 6 columns: 7 edges


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000", "https://csa.example.org/tracker/"])
def test_pdf_in_production_mode_is_drawn_with_its_stylesheet(world, production_static, settings, site_url):
    settings.SITE_URL = site_url
    report = publish(world)
    hashed = re.search(r'href="(/static/css/report-pdf\.[0-9a-f]{12}\.css)"', render_html(report))
    assert hashed, "production links the hashed stylesheet"
    assert (production_static / hashed[1].removeprefix("/static/")).exists()
    assert_styled(render_pdf(report))


def test_without_the_stylesheet_the_check_above_fails(world, monkeypatch):
    """The check is honest: the same report with its stylesheet refused has serif text and no borders."""
    report = publish(world)
    monkeypatch.setattr("reports.rendering.read_static_file", lambda name: None)
    data = render_pdf(report)
    assert [font for font in embedded_fonts(data) if "Serif" in font]
    image = page_image(data, performance_page(data), dpi=50)
    assert len(vertical_rules(image, min_length=round(15 / 25.4 * 50))) < 7


def test_long_url_wraps_inside_its_cell_and_emoji_print(world):
    """Case 11: a long URL with a query string and emoji, published in a report."""
    text = normalise_text((CASES / "11-long-url-emoji.txt").read_text(encoding="utf-8"))
    url = re.search(r"https://\S+", text)[0]
    PublishedUpdateFactory(action=world.own_action, cycle=world.cycle, text=text)
    data = render_pdf(publish(world))

    pages, found = words(data)
    # Every word, the URL's pieces included, stays within the page's right margin (1 pt of rounding).
    overflowing = [w.text for w in found if w.x_max > pages[w.page].width - RIGHT_MARGIN + 1]
    assert overflowing == []
    # The URL is all there, wrapped over several lines of its cell.
    start = next(n for n, w in enumerate(found) if w.text.startswith("https://"))
    pieces, joined = [], ""
    for w in found[start:]:
        if not url.startswith(joined + w.text):
            break
        pieces.append(w)
        joined += w.text
    assert joined == url
    assert len({round(w.y_min) for w in pieces}) >= 3
    progress_column = min(w.x_min for w in found if w.text == "Gangs")
    assert all(w.x_min >= progress_column - 1 for w in pieces)

    # Emoji and symbols print: a font that has them is embedded and the text reads back, no empty boxes.
    all_text = "".join(page_texts(data))
    assert "👍✅🚔" in all_text and "“very useful” – average score 4.6/5" in all_text
    assert {"Noto-Color-Emoji", "Symbola"} & embedded_fonts(data)
    assert "\ufffd" not in all_text


@pytest.mark.parametrize("case", ["own", "other_org"])
def test_a_long_progress_update_continues_under_a_repeated_table_header_naming_its_action(world, case):
    """An action longer than a page, first in its table (it starts where the heading is) or after another
    (it starts a new page): it runs on under the repeated header, its name above it, "… (continued)"."""
    action = world.own_action if case == "own" else world.other_action
    paragraphs = [
        f"Paragraph {n} of a long update. " + "The partnership met and agreed the plan. " * 12 for n in range(40)
    ]
    PublishedUpdateFactory(action=action, cycle=world.cycle, text="\n\n".join(paragraphs))
    data = render_pdf(publish(world))
    texts = page_texts(data)
    first = next(n for n, text in enumerate(texts) if "Paragraph 0 of a long update" in text)
    last = next(n for n, text in enumerate(texts) if "Paragraph 39 of a long update" in text)
    assert last - first >= 2
    assert action.wording in texts[first] and "(continued)" not in texts[first]
    _, found = words(data)
    for page in range(first + 1, last + 1):
        assert texts[page].lstrip().startswith("Actions Progress"), texts[page][:80]
        assert f"{action.wording} (continued)" in texts[page]
        label = next(w for w in found if w.page == page and w.text == "(continued)")
        header = next(w for w in found if w.page == page and w.text == "Actions")
        assert label.y_max < header.y_min  # above the repeated header
    # The page after it holds no row that runs on.
    assert "(continued)" not in texts[last + 1]


def test_a_comparability_note_has_a_full_width_row_below_its_indicator(world, client_as):
    note = "CRASH (Collision Recording and Sharing) replaced the old recording system, so counts rose."
    ComparabilityNote.objects.create(indicator=world.indicator, effective_from=date(2016, 1, 1), text=note)
    report = publish(world)
    html = render_html(report)
    assert re.search(
        r'<tr class="report-note-row"><td colspan="6"><strong>Comparability note for Road casualties:</strong> '
        + re.escape(note),
        html,
    )
    page = client_as(world.users["governing"]).get(report.get_absolute_url()).content.decode()
    assert "report-note-row" in page  # the web page shows the same row

    pages, found = words(render_pdf(report))
    note_words = [w for w in found if w.text == "Comparability"]
    table_left = min(w.x_min for w in found if w.text == "Indicator")
    direction = next(w for w in found if w.text == "Direction")
    # The note starts at the table's left edge, below the row, not in the direction column.
    assert note_words and abs(note_words[0].x_min - table_left) < 10
    assert note_words[0].x_min < direction.x_min - 200
    wording = next(w for w in found if w.text == "comparable")  # "Not comparable", the direction's words
    assert note_words[0].y_min > wording.y_max


def test_the_report_computes_marker_styles_for_list_items_only_and_still_draws_bullets():
    """The report's default stylesheet (rendering.report_user_agent_stylesheet) gives ::marker and the
    footnote and note pseudo-elements no style on other elements (six computed styles each in
    WeasyPrint's own), and bullets and numbers still print."""
    html = ReportHTML(
        string='<html lang="en"><ul><li>Bulleted</li></ul><ol><li>Numbered</li></ol>'
        "<table><tr><td>Cell</td></tr></table>"
    )
    style_for = get_all_computed_styles(html)
    elements = {element.tag: element for element in html.etree_element.iter()}
    assert style_for(elements["li"], "marker") is not None
    for pseudo in ("marker", "footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"):
        assert style_for(elements["td"], pseudo) is None, pseudo
    text = "".join(page_texts(html.write_pdf(pdf_variant="pdf/ua-1")))
    assert "•" in text and "1." in text


def test_page_references_are_pydyfs_own_kept_until_a_page_is_added():
    """rendering keeps pydyf's list of page references (built once per tagged piece otherwise) and
    builds it again when a page is added."""
    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == rendering._pydyf_page_references(pdf) and len(first) == 1
    assert pdf.page_references is first
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references == rendering._pydyf_page_references(pdf) and len(pdf.page_references) == 2
