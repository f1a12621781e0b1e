"""Progress text keeps what the writer wrote (issue 16), through the progress form a partner uses:
pasted Word bullets become one list item each, "#KentSafe" keeps its '#', "2017. A year of change" is
never renumbered, long addresses and emoji arrive intact, browser line breaks count one character.
The same rendering on the partner's page, the review page, the published report (HTML and PDF)."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from actions.models import ProgressUpdate
from reports.models import cycle_slug
from tests.factories import ActionFactory
from tests.html_forms import post_forms
from tests.paths import DATA, ROOT

CASES = DATA / "cases"


def case_text(name: str) -> str:
    return (CASES / name).read_text(encoding="utf-8")


def as_browser_sends(text: str) -> str:
    """A textarea's line breaks travel as CRLF."""
    return text.replace("\n", "\r\n")


@pytest.fixture
def fresh_action(world):
    return ActionFactory(plan_priority=world.plan_priority, wording="Run the newsletter", leads=[world.own_org])


def progress_form(client, world, action):
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": action.pk})
    [form] = post_forms(client.get(url).content.decode(), url)
    return url, form


def submit_progress(client, world, action, text: str):
    """The partner writes `text` in the progress form and submits it; returns the page they land on."""
    client.force_login(world.users["partner"])
    url, form = progress_form(client, world, action)
    return client.post(url, form.data(button="submit", text=as_browser_sends(text)), follow=True)


def rendered_blocks(html: str) -> str:
    """The page's HTML with whitespace between tags squeezed, for exact assertions."""
    return re.sub(r">\s+<", "><", html)


WORD_LIST = (
    "<ul><li>Launched the partnership newsletter</li><li>Trained 40 staff</li>"
    "<li>of whom 12 were volunteers</li><li>Funding for 2018/19 agreed</li></ul>"
)


def test_word_bullets_become_one_list_item_each_on_the_partners_and_the_review_page(world, client, fresh_action):
    page = submit_progress(client, world, fresh_action, case_text("08-word-paste.txt"))
    assert page.status_code == 200
    html = rendered_blocks(page.content.decode())
    assert "<p>Work this quarter:</p>" + WORD_LIST in html
    assert "<p>#KentSafe reached 2,000 residents through social media.</p>" in html
    assert "<p>2017. A year of change: three new districts joined the portal.</p>" in html

    update = ProgressUpdate.objects.get(action=fresh_action)
    client.force_login(world.users["working_group"])
    review = client.get(reverse("review_update", kwargs={"partnership": world.partnership.slug, "pk": update.pk}))
    review_html = rendered_blocks(review.content.decode())
    assert WORD_LIST in review_html
    assert "<p>#KentSafe reached 2,000 residents through social media.</p>" in review_html


@pytest.mark.parametrize(
    ("case", "shown"),
    [
        ("09-hashtag-line.txt", "<p>#KentSafe reached 2,000 residents through social media.</p>"),
        ("10-year-line.txt", "<p>2017. A year of change: three new districts joined the portal.</p>"),
    ],
)
def test_a_line_is_shown_as_written(world, client, fresh_action, case, shown):
    html = submit_progress(client, world, fresh_action, case_text(case)).content.decode()
    assert shown in html
    assert "<ol><li" not in html and "KentSafe</h" not in html  # no list, no heading


def test_long_address_and_emoji_arrive_intact_and_the_address_is_a_link(world, client, fresh_action):
    text = case_text("11-long-url-emoji.txt")
    html = submit_progress(client, world, fresh_action, text).content.decode()
    url = re.search(r"https://\S+", text)[0]
    assert f'<a href="{url.replace("&", "&amp;")}" rel="noopener noreferrer">' in html
    assert "six districts 👍✅🚔." in html
    assert ProgressUpdate.objects.get(action=fresh_action).text == text.strip()


def test_published_report_html_and_pdf_show_the_text_as_written(world, client, fresh_action):
    submit_progress(client, world, fresh_action, case_text("08-word-paste.txt"))
    update = ProgressUpdate.objects.get(action=fresh_action)
    client.force_login(world.users["working_group"])
    review_url = reverse("review_update", kwargs={"partnership": world.partnership.slug, "pk": update.pk})
    assert client.post(review_url, {"decision": "publish", "version": update.version}).status_code == 302
    cycle_kwargs = {"partnership": world.partnership.slug, "plan": "2017-18", "cycle": cycle_slug(world.cycle)}
    assert client.post(reverse("report_publish", kwargs=cycle_kwargs)).status_code == 302
    report_html = client.get(reverse("report_detail", kwargs={**cycle_kwargs, "version": 1})).content.decode()
    assert WORD_LIST in rendered_blocks(report_html)
    assert "<p>2017. A year of change: three new districts joined the portal.</p>" in report_html
    pdf = client.get(reverse("report_pdf", kwargs={**cycle_kwargs, "version": 1}))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    squeezed = " ".join(text.split())
    assert "#KentSafe reached 2,000 residents" in squeezed
    assert "2017. A year of change" in squeezed
    assert "1. A year of change" not in squeezed
    assert "Trained 40 staff" in squeezed and "of whom 12 were volunteers" in squeezed


def test_preview_shows_the_formatted_text_and_saves_nothing(world, client, fresh_action):
    client.force_login(world.users["partner"])
    url, form = progress_form(client, world, fresh_action)
    text = as_browser_sends(case_text("08-word-paste.txt"))
    response = client.post(url, form.data(button="preview", text=text))
    html = rendered_blocks(response.content.decode())
    assert response.status_code == 200
    assert "Preview: how your progress will be shown" in html
    assert WORD_LIST in html
    assert "Launched the partnership newsletter" in html.split("<textarea", 1)[1]  # the text stays in the box
    assert not ProgressUpdate.objects.filter(action=fresh_action).exists()


def test_twenty_thousand_characters_with_line_breaks_are_accepted(world, client, fresh_action):
    """The browser sends 28 line breaks as CRLF (20,028 characters); the server counts 20,000, as the
    counter beside the box does."""
    text = case_text("20-textarea-20000-chars.txt")
    assert (len(text), len(as_browser_sends(text))) == (20_000, 20_028)
    page = submit_progress(client, world, fresh_action, text)
    assert page.status_code == 200
    stored = ProgressUpdate.objects.get(action=fresh_action)
    assert (stored.state, len(stored.text)) == ("submitted", 20_000)


def test_one_character_over_is_refused_with_the_fields_name_and_kept(world, client, fresh_action):
    text = case_text("20-textarea-20000-chars.txt") + "x"
    assert len(text) == 20_001
    page = submit_progress(client, world, fresh_action, text)
    html = page.content.decode()
    assert "Progress this period is 20,001 characters long; the limit is 20,000." in html
    assert html.count("Month 1: The pilot counselling") == 1 and text[-200:] in html.replace("&#x27;", "'")
    assert not ProgressUpdate.objects.filter(action=fresh_action).exists()


def test_the_text_box_has_a_counter_and_no_browser_cut_off(world, client, fresh_action):
    client.force_login(world.users["partner"])
    url = reverse("update_start", kwargs={"partnership": world.partnership.slug, "pk": fresh_action.pk})
    html = client.get(url).content.decode()
    textarea = re.search(r"<textarea[^>]*>", html)[0]
    assert 'data-max-chars="20000"' in textarea
    assert "maxlength" not in textarea
    assert '<script src="/static/js/forms.js"></script>' in html
    script = (ROOT / "static" / "js" / "forms.js").read_text()
    assert 'replace(/\\r\\n?/g, "\\n")' in script  # a line break counts one, as on the server
