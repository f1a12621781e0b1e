"""A page of a list and the list's length read together (issue 26)."""

from django.core.paginator import Page, Paginator

# A page further than this is found by counting first, as Django does: an offset of 20 digits does not fit
# the database's integers (a hostile address would be answered with an error).
LARGEST_OFFSET = 2**31


class CountedPaginator(Paginator):
    """Django's Paginator for a list that reads a page with its total: `object_list.rows_and_total(index)`
    gives the rows of `index` (a slice) and the whole list's length, or None for the length when it
    found no rows. A page then costs one read instead of a count and then the rows. `get_page` answers
    as Django's does: page 1 for what is not a number, the last page for one below 1 or beyond the end."""

    def get_page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        bottom = (number - 1) * self.per_page
        if 0 <= bottom < LARGEST_OFFSET:
            rows, total = self.object_list.rows_and_total(slice(bottom, bottom + self.per_page))
            if rows or number == 1:
                self.count = total or 0  # Paginator.count is a cached property: never counted again
                return self._get_page(rows, number, self)
        return self.page(self.num_pages)


def page_notice(asked: str | None, page: Page, *, where: str) -> str:
    """What to tell the reader when the page shown is not the one the address asked for (`asked`, its
    "page"; "" when it is, or when it asked for none): a tester met page 999 showing the last page without
    a word. `where` ends the sentence ("on this board"). Each list keeps its own choice of the page shown."""
    if not asked:
        return ""
    shown = f"showing page {page.number} of {page.paginator.num_pages}."
    try:
        number = int(asked)
    except ValueError:
        return f"“{asked}” is not a page number; {shown}"
    return "" if number == page.number else f"There is no page {number} {where}; {shown}"
