"""Any text at all goes through the normaliser and the progress renderer without an exception, and
the renderer's output holds only the tags it allows (Hypothesis, a fixed number of examples)."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from csa_tracker.text import ALLOWED_TAGS, markdown_to_text, normalise_text, paragraphs, render_markdown

# Text weighted towards what matters here: line breaks, bullets, digits, brackets, odd spaces and controls.
PIECES = st.sampled_from(
    [
        "\r\n",
        "\n",
        "\r",
        "- ",
        "* ",
        "•\t",
        "o\t",
        "o ",
        "1. ",
        "2017. ",
        "#",
        "[",
        "](",
        ")",
        "https://e.org/?a=1&b=2",
        "\u00a0",
        "\u202e",
        "\x00",
        "\x85",
        "<script>",
        "&",
        "e\u0301",
        "  ",
        "\t",
        "[^1]",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)
TAG = re.compile(r"</?([a-z0-9]+)")


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_normalise_text_is_idempotent_and_leaves_no_carriage_return(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once and "\u202e" not in once


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_rendering_never_fails_and_emits_only_allowed_tags(text):
    html = render_markdown(text, note_anchor="p")
    assert set(TAG.findall(html)) <= ALLOWED_TAGS | {"sup"}
    markdown_to_text(text)
    paragraphs(text)
