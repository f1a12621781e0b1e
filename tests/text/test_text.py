from csa_tracker.text import markdown_to_text, paragraphs, render_markdown


def test_paragraphs_bullets_and_links_render():
    html = render_markdown("Intro line:\n- first bullet\n- second with [a link](https://example.org/x)\n\nLast.")
    assert "<p>Intro line:</p>" in html
    assert "<li>first bullet</li>" in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer">a link</a>' in html
    assert "<p>Last.</p>" in html


def test_typed_html_and_javascript_links_show_as_text_never_as_markup():
    html = render_markdown('Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)">')
    assert "<script" not in html
    assert "href" not in html  # javascript: is no link scheme we accept
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # kept as the writer typed it


def test_note_references_link_to_the_note_and_back():
    html = render_markdown("Crimes rose.[^2]", note_anchor="road-safety")
    assert 'href="#road-safety-note-2"' in html
    assert 'id="road-safety-ref-2"' in html


def test_plain_text_keeps_link_words_and_drops_markers():
    assert markdown_to_text("- see [the site](https://e.org)") == "see the site"
    assert paragraphs("One\ntwo\n\n- a\n- b") == ["One two", "a", "b"]


def test_numbered_lists_keep_the_writers_numbers_and_years_are_prose():
    html = render_markdown("Steps:\n3. third\n4. fourth\n\n2017. A year of change")
    assert '<ol><li value="3">third</li><li value="4">fourth</li></ol>' in html
    assert "<p>2017. A year of change</p>" in html


def test_hash_asterisks_and_underscores_stay_as_typed():
    html = render_markdown("#KentSafe *not emphasis* and __init__ 2*3")
    assert html == "<p>#KentSafe *not emphasis* and __init__ 2*3</p>"


def test_a_line_break_stays_and_an_indented_line_continues_its_bullet():
    assert render_markdown("Line one\nLine two") == "<p>Line one<br>\nLine two</p>"
    assert render_markdown("- item\n  more of it\n- next") == "<ul><li>item<br>\nmore of it</li><li>next</li></ul>"


def test_word_o_is_a_bullet_only_with_a_tab_or_among_bullets():
    assert "<li>sub point</li>" in render_markdown("• point\no sub point")
    assert render_markdown("o dear") == "<p>o dear</p>"


def test_plain_text_of_word_bullets_and_numbers():
    assert markdown_to_text("•\tone\n·\ttwo\n\n1. first") == "one\ntwo\n\n1. first"
