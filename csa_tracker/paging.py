"""Paged lists (issue 26): one rule for every list of the site that is read a page at a time. An address
asking for a page that is not there (0, 999, "two") shows the nearest page, and says so: a tester met page
999 showing the last page without a word, and page 0 showing the last page rather than the first."""

from django.core.paginator import Page, Paginator

# A page further than this is found by counting first, as Django does: an offset of 20 digits does not fit
# the database's integers (a hostile address would be answered with an error).
LARGEST_OFFSET = 2**31


class CountedPaginator(Paginator):
    """Django's Paginator for a list that reads a page with its total: `object_list.rows_and_total(index)`
    gives the rows of `index` (a slice) and the whole list's length, or None for the length when it
    found no rows. A page then costs one read instead of a count and then the rows. `get_page` takes a
    number of 1 or more (`page_shown` makes it one) and gives the last page for one beyond the end."""

    def get_page(self, number: int) -> Page:
        bottom = (number - 1) * self.per_page
        if 0 <= bottom < LARGEST_OFFSET:
            rows, total = self.object_list.rows_and_total(slice(bottom, bottom + self.per_page))
            if rows or number == 1:
                self.count = total or 0  # Paginator.count is a cached property: never counted again
                return self._get_page(rows, number, self)
        return self.page(self.num_pages)


def page_shown(paginator: Paginator, asked: str | None, *, where: str) -> tuple[Page, str]:
    """The page `asked` for (the address's "page"; None or "" for the first) or, when there is no such
    page, the nearest one: the first for a number below 1 or for what is not a number, the last for a
    number beyond the end. Returns (page, notice): the notice says which page is shown instead ("" when
    the page asked for is shown); `where` ends its sentence ("on this board")."""
    try:
        number = max(int(asked), 1) if asked else 1
    except ValueError:
        number = 1
    page = paginator.get_page(number)
    return page, page_notice(asked, page, where=where)


def page_notice(asked: str | None, page: Page, *, where: str) -> str:
    """What to tell the reader when the page shown is not the one the address asked for (`asked`, its
    "page"; "" when it is, or when it asked for none)."""
    if not asked:
        return ""
    shown = f"showing page {page.number} of {page.paginator.num_pages}."
    try:
        number = int(asked)
    except ValueError:
        return f"“{asked}” is not a page number; {shown}"
    return "" if number == page.number else f"There is no page {number} {where}; {shown}"
