"""The links of a rendered page, as a person could follow them: `page_links(html, prefix)` gives each
distinct `href` inside the page's `<main>` that starts with `prefix` (a partnership's address), in order."""

from __future__ import annotations

from html.parser import HTMLParser


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main>
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            if href:
                self.hrefs.append(href)

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1


def page_links(html: str, prefix: str) -> list[str]:
    """Distinct hrefs in `<main>` starting with `prefix`, fragments dropped, in page order."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href = href.split("#", 1)[0]
        if href.startswith(prefix) and href not in found:
            found.append(href)
    return found
