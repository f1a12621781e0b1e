"""The error summary names a field's label once (a tester read "Progress this period: Progress this period
is 20,001 characters long…"): a message that already starts with the label is listed as it is, any other is
prefixed "Label: " (`csa_tracker.messages.summary_line`, the one rule the summary template uses)."""

import html
import re

from csa_tracker.messages import summary_line
from tests.text.test_progress_text import case_text, fresh_action, submit_progress  # noqa: F401 (a fixture)


def summary_items(page) -> list[str]:
    (summary,) = re.findall(r'<div[^>]*id="error-summary".*?</ul>', page.content.decode(), re.S)
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]


def test_a_length_message_is_listed_once_with_its_label(world, client, fresh_action):  # noqa: F811
    page = submit_progress(client, world, fresh_action, case_text("20-textarea-20000-chars.txt") + "x")
    (item,) = summary_items(page)
    assert item.startswith("Progress this period is 20,001 characters long; the limit is 20,000.")
    assert "Progress this period: Progress this period" not in html.unescape(page.content.decode())


def test_a_message_not_starting_with_the_label_is_prefixed_with_it():
    assert summary_line("Last day of the plan", "Enter a date, such as 31/12/2017.") == (
        "Last day of the plan: Enter a date, such as 31/12/2017."
    )
    assert summary_line("Progress this period", "Progress this period is 5 characters long.") == (
        "Progress this period is 5 characters long."
    )
    assert summary_line("Short name:", "short name is taken.") == "short name is taken."
