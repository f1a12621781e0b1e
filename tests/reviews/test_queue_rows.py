"""The review queue's rows are made in Python (issue 26): the same words, times and escaping the template's
filters gave."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import dateformat, timezone
from django.utils.text import Truncator

from csa_tracker.dates import short_moment
from reviews.selectors import QueueRow, cut_words


@pytest.mark.parametrize(
    "text",
    [
        "",
        "One",
        "Exactly eight words in this one, no more here",
        "Nine words: one more than the short title shows",
        "  Spaces\tand\nnew lines   between   the words of a wording that runs on well past sixteen words in all  ",
        "A cut that ends with the mark … one two three four five six seven … and more",
    ],
)
@pytest.mark.parametrize("count", [8, 16])
def test_cut_words_gives_what_truncator_gives(text, count):
    assert cut_words(text.split(), count) == Truncator(text).words(count, truncate=" …")


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2027, 3, 4, 14, 5, tzinfo=ZoneInfo("UTC")),
        datetime(2027, 7, 1, 23, 30, tzinfo=ZoneInfo("UTC")),  # the next day in summer time
        datetime(2026, 12, 31, 0, 0, tzinfo=ZoneInfo("UTC")),
    ],
)
def test_short_moment_is_the_template_filter(moment):
    assert short_moment(moment) == dateformat.format(timezone.localtime(moment), "j M Y, H:i")
    assert short_moment(None) == ""


def test_a_row_escapes_what_people_wrote():
    odd = '<b>&"it\'s"</b>'
    row = QueueRow(
        value="update:1:2",
        box_id="publish-update-1",
        checked=True,
        url="/p/review/updates/1/",
        title=odd,
        short_title=odd,
        kind_label="Progress update",
        author=odd,
        organisation=odd,
        submitted="4 Mar 2027, 14:05",
        flagged=True,
        flag="Area of concern",
        flag_reason=odd,
        rule_messages=(odd,),
    )
    escaped = "&lt;b&gt;&amp;&quot;it&#x27;s&quot;&lt;/b&gt;"
    assert odd not in row.html
    assert row.html.count(escaped) == 6
    assert 'id="publish-update-1" checked>' in row.html
    assert f"<li><strong>Rule: </strong>{escaped}</li>" in row.html
