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


# What a page says when it refuses what the previous page offered: the write page of an action no cycle
# takes updates for ("loops back" with "No reporting cycle is open" in its title).
REFUSALS = ("Progress cannot be written now", "<title>No reporting cycle is open")


def main_part(html: str) -> str:
    """The page's `<main>` element, where its own links and buttons are (not the navigation's)."""
    start, end = html.find("<main"), html.rfind("</main>")
    return html[start : end + len("</main>")] if start >= 0 and end >= 0 else ""


def page_buttons(html: str, page: str, prefix: str) -> list[tuple[str, str, dict]]:
    """(method, address, data) for each button of the forms in `<main>` going to an address starting
    with `prefix`, with what the browser sends when it is pressed as shown (tests/html_forms.py): a GET
    form (filters, choosers) once; a POST form to another address (a one-step button: request, move,
    ask) once per named button, with its checkboxes ticked (what the button acts on, as in the review
    queue's "Publish selected"). A POST form to `page` itself is left out: the person fills it in first."""
    from tests.html_forms import page_forms

    buttons = []
    for form in page_forms(main_part(html)):
        target = form.action or page
        if not target.startswith(prefix):
            continue
        if form.method == "post" and target.split("?", 1)[0] == page.split("?", 1)[0]:
            continue
        names = [button["name"] for button in form.buttons if button.get("name")] or [None]
        for name in names:
            data = form.data(button=name)
            if form.method == "post":
                for box in (field for field in form.fields if field.kind == "input:checkbox"):
                    if box.value not in data.get(box.name, []):
                        data.setdefault(box.name, []).append(box.value)
            buttons.append((form.method, target, data))
    return buttons


def refused(response) -> bool:
    """Whether an opened link or pressed button ends in anything but a working page: a status other
    than 200 (after redirects), an error message or summary (`alert-danger`), or a REFUSALS page."""
    html = response.content.decode() if response.get("Content-Type", "").startswith("text/html") else ""
    return response.status_code != 200 or "alert-danger" in html or any(words in html for words in REFUSALS)


def press(client, method: str, address: str, data: dict):
    """Press a button as shown and follow where it leads. A POST is undone afterwards (its savepoint
    rolled back, the cache emptied), so every button of a page can be pressed against the same data."""
    from django.core.cache import cache
    from django.db import transaction

    if method == "get":
        return client.get(address, data, follow=True)
    with transaction.atomic():
        response = client.post(address, data, follow=True)
        transaction.set_rollback(True)
    cache.clear()
    return response


def dead_ends(client, pages, prefix: str, *, buttons: bool = False, seen: set | None = None) -> list[tuple]:
    """Every link (and with `buttons`, every button: `page_buttons`) of every page in `pages`, opened
    as `client`; returns (page, method, address, status) for each that is `refused`. Each page must
    open (200, after redirects: the home page sends each role to its start page). `seen`: addresses
    (method and address, with the data for a button) already opened, skipped and added to."""
    seen = set() if seen is None else seen
    seen.update(("get", page, "[]") for page in pages)  # each is opened below: not again as a link
    failures = []
    for page in pages:
        response = client.get(page, follow=True)
        assert response.status_code == 200, page
        shown = response.redirect_chain[-1][0] if response.redirect_chain else page
        html = response.content.decode()
        if refused(response):
            failures.append((page, "get", page, response.status_code))
        targets = [("get", href, {}) for href in page_links(html, prefix)]
        if buttons:
            targets += page_buttons(html, shown, prefix)
        for method, address, data in targets:
            key = (method, address, repr(sorted(data.items())))
            if key in seen:
                continue
            seen.add(key)
            opened = press(client, method, address, data)
            if refused(opened):
                failures.append((page, method, address, opened.status_code))
    return failures
