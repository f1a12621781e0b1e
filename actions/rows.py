"""The rows of an action table (`templates/includes/action_list_table.html`), read lean (issue 26).

A dashboard builds its action tables after every audited write (the fragment cache's generation
moves), so its rows are read as plain values, not model instances: each action's wording, due date,
priority title and status name in one query, the lead agencies of every row in a second, and the words
each cell shows made here, once per row, instead of by template filters and lookups.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from csa_tracker.addresses import address_for_each
from csa_tracker.dates import short_date

from . import status
from .models import Action

# What a row reads of each action (`cycle_state` too when the table has a cycle: see actions.status).
ROW_FIELDS = ("pk", "wording", "due_date", "plan_priority__title", "status__name")
# The table shows this many characters of the wording (the rest ends in "…").
WORDING_CHARACTERS = 160
# A stand-in for the action's key in the address reversed once per table.


@dataclass
class ActionRow:
    """One action as its table row shows it: `url` its page; `wording` cut to WORDING_CHARACTERS;
    `due_date` the action's own due date in words ("4 Mar 2027", "" with none); `priority` its
    priority's title; `leads` its lead agencies' display names, by name, joined with ", "; `status` its
    status's name; and, in a table with a cycle, `update_due` (the cycle's update deadline in words),
    `words` (e.g. "Overdue: was due by 20 Apr 2018", actions.status.CycleStatus) and `overdue`; `html`
    the whole row (`row_html`)."""

    url: str
    wording: str
    due_date: str
    priority: str
    leads: str
    status: str
    update_due: str = ""
    words: str = ""
    overdue: bool = False
    html: str = ""


# A row of includes/action_list_table.html, as the template made it with a tag per cell: made here once
# per row (issue 26: the template engine cost more than reading the rows). With a cycle, its last two
# cells are CYCLE_CELLS_HTML, else DUE_CELL_HTML.
ROW_HTML = """
    <tr>
      <th scope="row" class="fw-normal"><a href="{}">{}</a>{}</th>
      <td data-label="Priority">{}</td>
      <td data-label="Lead">{}</td>
      <td data-label="Status">{}</td>
      {}
    </tr>
  """
CYCLE_CELLS_HTML = """
      <td data-label="Due">Update due {}</td>
      <td data-label="Update for {}">{}</td>
      """
DUE_CELL_HTML = """
      <td data-label="Due">{}</td>
      """


def row_html(row: ActionRow, cycle=None) -> str:
    """`row` as its table's row (ROW_HTML), every value escaped; `cycle` the table's (None without)."""
    due_date = escape(row.due_date)
    if cycle is not None:
        words = escape(row.words)
        due = f'<div class="small text-body-secondary">Action due {due_date}</div>' if due_date else ""
        cells = CYCLE_CELLS_HTML.format(
            escape(row.update_due), escape(cycle.name), f"<strong>{words}</strong>" if row.overdue else words
        )
    else:
        due = ""
        cells = DUE_CELL_HTML.format(f"Action due {due_date}" if due_date else "No due date set")
    return mark_safe(  # noqa: S308 - every value escaped here
        ROW_HTML.format(
            row.url, escape(row.wording), due, escape(row.priority), escape(row.leads), escape(row.status), cells
        )
    )


def cut_wording(wording: str) -> str:
    """`Truncator(wording).chars(WORDING_CHARACTERS)`, the same text, without its walk over every
    character when the wording is short enough (issue 26: it was half the cost of making a row)."""
    text = unicodedata.normalize("NFC", wording)
    return text if len(text) <= WORDING_CHARACTERS else Truncator(text).chars(WORDING_CHARACTERS)


def action_address(partnership) -> str:
    """The address of an action's page in `partnership` with "{}" for the action's key, reversed once
    for a whole table: `action_address(p).format(pk)` is `reverse("action_detail", ...)`."""
    return address_for_each("action_detail", partnership=partnership.slug)


def lead_names(action_ids: list[int]) -> dict[int, str]:
    """Each action's lead agencies' display names (short name, else name), by name, joined with ", "
    (one query, whatever the number of actions)."""
    return _names(Action.leads.through.objects.filter(action_id__in=action_ids))


def _names(leads) -> dict[int, str]:
    """{action key: its leads' display names joined} of `leads`, rows of the lead agencies' table."""
    found: dict[int, list[str]] = {}
    ordered = leads.order_by("organisation__name", "organisation_id")
    for action_id, short_name, name in ordered.values_list(
        "action_id", "organisation__short_name", "organisation__name"
    ):
        found.setdefault(action_id, []).append(short_name or name)
    return {action_id: ", ".join(names) for action_id, names in found.items()}


def row_values(actions, cycle=None):
    """`actions` (a queryset of Action, annotated with `cycle_state` when `cycle` is given) as the
    dictionaries `action_rows` reads: slice or count it as the page needs."""
    fields = ROW_FIELDS + (("cycle_state",) if cycle is not None else ())
    return actions.prefetch_related(None).values(*fields)


class ActionRows(list):
    """`action_rows`' rows (a list of ActionRow) and `html`, every row's HTML joined once: the table
    (`includes/action_list_table.html`) shows it instead of a loop over the rows (issue 26: the loop's
    lookups per row cost more than the join)."""

    @cached_property
    def html(self) -> str:
        return mark_safe("".join(row.html for row in self))  # noqa: S308 - rows escaped by row_html


def action_rows(
    values, *, partnership, cycle=None, today: date | None = None, leads: dict[int, str] | None = None
) -> ActionRows:
    """Table rows of `values` (dictionaries of `row_values`, already cut to the page's length), in
    their order: two queries in all (the values, and `lead_names`, unless `leads` already holds what it
    says of these actions), whatever the number of rows. With `cycle`, each row says where the action
    stands in it on `today` (actions.status.status_for)."""
    values = list(values)
    if leads is None:
        leads = lead_names([value["pk"] for value in values])
    address = action_address(partnership)
    update_due = short_date(cycle.update_deadline) if cycle is not None else ""
    # Where a row stands depends on its state alone, in one table: worked out once per state (issue 26).
    standing: dict[str | None, tuple[str, bool]] = {}
    rows = ActionRows()
    for value in values:
        words, overdue = "", False
        if cycle is not None:
            state = value["cycle_state"]
            if state not in standing:
                found = status.status_for(cycle, state, today)
                standing[state] = (found.words, found.overdue)
            words, overdue = standing[state]
        cells = {
            "url": address.format(value["pk"]),
            "wording": cut_wording(value["wording"]),
            "due_date": short_date(value["due_date"]),
            "priority": value["plan_priority__title"],
            "leads": leads.get(value["pk"], ""),
            "status": value["status__name"] or "",
            "update_due": update_due,
            "words": words,
            "overdue": overdue,
        }
        row = ActionRow(**cells)
        row.html = row_html(row, cycle)  # set, not copied in (dataclasses.replace cost as much as the HTML)
        rows.append(row)
    return rows
