from csa_tracker.text import markdown_to_text, paragraphs, render_markdown


def test_paragraphs_bullets_and_links_render():
    html = render_markdown("Intro line:\n- first bullet\n- second with [a link](https://example.org/x)\n\nLast.")
    assert "<p>Intro line:</p>" in html
    assert "<li>first bullet</li>" in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer">a link</a>' in html
    assert "<p>Last.</p>" in html


def test_script_tags_and_javascript_links_are_removed():
    html = render_markdown('Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">')
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<img" not in html


def test_note_references_link_to_the_note_and_back():
    html = render_markdown("Crimes rose.[^2]", note_anchor="road-safety")
    assert 'href="#road-safety-note-2"' in html
    assert 'id="road-safety-ref-2"' in html


def test_plain_text_keeps_link_words_and_drops_markers():
    assert markdown_to_text("- see [the site](https://e.org)") == "see the site"
    assert paragraphs("One\ntwo\n\n- a\n- b") == ["One two", "a", "b"]
