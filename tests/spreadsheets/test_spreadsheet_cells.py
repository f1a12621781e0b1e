"""The formula escaper every export goes through, and the cell parsers every import goes through."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from csa_tracker.cells import safe_cell, unescape_cell
from spreadsheets import cells
from spreadsheets.cells import CellError


@pytest.mark.parametrize("text", ["=1+1", "+44 1622", "-cmd|' /C calc'!A0", "@SUM(A1)", "\tTab", "\rReturn", "-"])
def test_text_that_a_spreadsheet_would_run_is_prefixed_with_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-5, Decimal("-5.5"), 12, 0.5, date(2018, 1, 31), None, True, "Plain text", "a=b"])
def test_numbers_dates_and_harmless_text_are_written_as_they_are(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("text", ["- first bullet\n- second", "=HYPERLINK()", "'quoted already", "plain"])
def test_unescaping_gives_back_exactly_what_was_escaped(text):
    assert unescape_cell(safe_cell(text)) == text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234", Decimal("1234")),
        ("1234.5", Decimal("1234.5")),
        ("-12", Decimal("-12")),
        (1234, Decimal("1234")),
        ("", None),
        (None, None),
    ],
)
def test_numbers_are_read_with_thousands_separators(cell, expected):
    assert cells.number(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [("<5", "suppressed value; enter the actual figure"), ("1,23", "not a number"), ("12 apples", "not a number")],
)
def test_numbers_that_are_not_figures_are_refused_with_a_reason(cell, reason):
    with pytest.raises(CellError, match=reason):
        cells.number(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2018-03-31", date(2018, 3, 31)),
        ("31/03/2018", date(2018, 3, 31)),
        ("1/4/2018", date(2018, 4, 1)),
        (datetime(2018, 3, 31, 0, 0), date(2018, 3, 31)),
    ],
)
def test_dates_are_read_as_iso_or_day_month_year(cell, expected):
    assert cells.day(cell) == expected


@pytest.mark.parametrize("cell", ["03/31/2018", "31/03/18", "31.03.2018", "March 31st", "2018-02-30"])
def test_dates_that_would_need_a_guess_are_refused(cell):
    with pytest.raises(CellError, match="write dates as 2018-03-31, 31/03/2018 or 31-Mar-18"):
        cells.day(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Jan 2018", date(2018, 1, 31)), ("February 2018", date(2018, 2, 28)), ("2018-02", date(2018, 2, 28))],
)
def test_months_mean_their_last_day(cell, expected):
    assert cells.period(cell).end == expected


def test_text_longer_than_its_column_is_refused_with_both_lengths():
    with pytest.raises(CellError, match="is 301 characters long; the most this column takes is 300"):
        cells.text("x" * 301, max_length=300)
