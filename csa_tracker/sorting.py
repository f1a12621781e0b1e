"""Sortable columns: `?sort=<column>` (ascending) or `?sort=-<column>` (descending), from a whitelist.

A view declares the columns it can sort by and how (a key function for lists built in Python, or
order_by fields for querysets), reads the choice with `sorting_from`, and passes the result to the
template, whose header cells link to the other direction and carry `aria-sort` (WAI-ARIA 1.2, sortable
table pattern). Anything not in the whitelist falls back to the page's own order; the query string is
never passed to the ORM as it is.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Header:
    href: str
    aria_sort: str  # "ascending" / "descending" on the sorted column, "" elsewhere
    arrow: str  # ▲ / ▼ on the sorted column (hidden from screen readers, which read aria-sort)


@dataclass(frozen=True)
class Sorting:
    column: str  # "" = the page's own order
    descending: bool
    columns: tuple[str, ...]
    keep: dict = field(default_factory=dict)  # the other query parameters (filters), without page

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.column if self.column else ""

    @property
    def query(self) -> str:
        """The query string prefix for pagination links: "sort=-due&" or ""."""
        return f"{urlencode({'sort': self.param})}&" if self.column else ""

    @property
    def headers(self) -> dict[str, Header]:
        found = {}
        for column in self.columns:
            current = column == self.column
            wanted = f"-{column}" if current and not self.descending else column
            href = "?" + urlencode({**self.keep, "sort": wanted})
            aria = ("descending" if self.descending else "ascending") if current else ""
            arrow = ("▼" if self.descending else "▲") if current else ""
            found[column] = Header(href=href, aria_sort=aria, arrow=arrow)
        return found

    def sort_list(self, items: list, keys: dict[str, Callable]) -> list:
        """`items` sorted by this column's key function (stable: ties keep the page's order)."""
        if not self.column:
            return list(items)
        return sorted(items, key=keys[self.column], reverse=self.descending)

    def order_by(self, fields: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        """The order_by fields for this column, each reversed when descending; () for the page's order."""
        if not self.column:
            return ()
        fields = tuple(fields[self.column])
        if not self.descending:
            return fields
        return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in fields)


def sorting_from(request, columns: Iterable[str], *, keep: Iterable[str] = ()) -> Sorting:
    """The sort the person chose (`?sort=`), if it is one of `columns`; `keep` names the query
    parameters (filters) the header links carry over."""
    columns = tuple(columns)
    raw = request.GET.get("sort", "")
    descending = raw.startswith("-")
    column = raw.lstrip("-")
    if column not in columns:
        column, descending = "", False
    kept = {name: request.GET[name] for name in keep if request.GET.get(name)}
    return Sorting(column=column, descending=descending, columns=columns, keep=kept)
