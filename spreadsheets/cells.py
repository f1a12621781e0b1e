"""The one set of cell rules of every import: what a cell shows, and how a column turns it into a value.

Readers (`spreadsheets.xlsx`, `spreadsheets.ods`, `spreadsheets.csvfile`) give each cell as the spreadsheet
SHOWS it: None, str, Decimal, date, bool, or a `BadCell` (a cell that cannot be trusted, whose reason names the
cell). A number is the number displayed with its number format, not the float behind it (=248/1990 shown as
12.5% is 12.5; 3449.67 shown as 3,450 is 3450). The column rules below (`text`, `number`, `whole_number`,
`day`, `period`, `yes_no`, `choice`) turn that into what an import stores, raising `CellError` with a sentence
("“12 apples” is not a number; …"); the import adds the row and column. A blank cell is None in every rule.

Nothing here touches the database.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from csa_tracker.cells import unescape_cell
from csa_tracker.messages import a_or_an
from csa_tracker.text import name_key, normalise_text
from indicators.periods import FINANCIAL_YEAR_START, month_end

# Excel's own limit for one cell; no template column takes more (progress text takes 20,000).
MAX_CELL_CHARS = 32_767
# Longer than any number, date or yes/no a person writes: such a cell is refused before any pattern work.
MAX_NUMBER_CHARS = 40
# Figures at or above this are refused (a reading holds 14 digits).
MAX_FIGURE = Decimal("1e12")
# Longer than any name of an indicator (200), area (100), organisation, status, plan or priority: a cell
# this long is refused before any matching, so matching work stays small whatever a cell holds.
MAX_NAME_CHARS = 300
# Unknown names get a suggestion (difflib) up to this many distinct names a file; then just the refusal.
MAX_SUGGESTIONS = 200


class CellError(Exception):
    """One cell cannot be used; the message is the reason, the import adds the row and column."""


@dataclass(frozen=True)
class BadCell:
    """A cell that cannot be read as the sheet shows it; `reason` starts with the cell's reference (B2)."""

    reason: str


def column_letter(column: int) -> str:
    """1 → A, 27 → AA: the column as spreadsheets name it."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ref(column: int, row: int) -> str:
    return f"{column_letter(column)}{row}"


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def tidy(number: Decimal) -> Decimal:
    """12.500 → 12.5 and 1.2E+3 → 1200: the figure as a person writes it."""
    with localcontext() as context:
        context.prec = 400  # a float's full range, so 1E+300 is written out rather than refused here
        number = number.normalize()
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def stored_number(value) -> Decimal:
    """The number a spreadsheet holds: a float to Excel's 15 significant digits (0.1+0.2 is 0.3)."""
    return Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)


def shown_text(text: str, *, at: str) -> str | BadCell:
    """Text as the person reads it: our export's formula apostrophe removed, line endings and odd spaces
    normalised (`csa_tracker.text.normalise_text`); longer than a cell holds is a BadCell naming `at` (B2)."""
    if len(text) > MAX_CELL_CHARS:
        return BadCell(f"{at}: holds {len(text):,} characters; a cell holds at most {MAX_CELL_CHARS:,}.")
    return normalise_text(unescape_cell(text))


def shown_value(value, *, at: str):
    """A typed value (number, date, time, bool, text) as a cell shows it without a number format."""
    if value is None or isinstance(value, BadCell | bool) or type(value) is date:
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float | Decimal):
        number = stored_number(value)
        if not number.is_finite():
            return BadCell(f"{at}: “{value}” is not a number.")
        return tidy(number)
    return shown_text(str(value), at=at)


# Excel number formats: the number a cell displays (`xlsx` gives each number cell its format's code).

_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')  # quoted text, an escaped character, a space's width, a fill
_BRACKETS = re.compile(r"\[[^\]]*\]")  # a colour, a locale or currency ([$£-809]), a condition ([<1000])
_CONDITION = re.compile(r"\[[<>=]")
_PLACEHOLDER = "0#?"


def _sections(code: str) -> list[str]:
    sections, current, quoted, escaped = [], "", False, False
    for char in code:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            current, escaped = current + char, True
        elif char == '"':
            current, quoted = current + char, not quoted
        elif char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return [*sections, current]


def displayed_number(value, code: str, *, at: str) -> Decimal | BadCell:
    """The number a cell holding `value` shows with the Excel number format `code`, rounded as Excel rounds
    (half away from zero, from the stored 15 digits): 0.124623 with "0.0%" → 12.5; 3449.67 with "#,##0" →
    3450. General (and text, "@") shows the stored number. Formats that show something a person would not
    write as the figure (thousands scaled away with "#,##0,", fractions) are a BadCell naming `at`."""
    number = stored_number(value)
    if not number.is_finite():
        return BadCell(f"{at}: “{value}” is not a number.")
    sections = _sections(code or "General")
    section = sections[0]
    if number < 0 and len(sections) > 1:
        section = sections[1]
    elif number == 0 and len(sections) > 2:
        section = sections[2]
    if _CONDITION.search(section):
        section = "General"  # conditional sections ([<1000]…) choose by value in ways rare enough to show plainly
    plain = _BRACKETS.sub("", _LITERALS.sub("", section)).strip()
    if not any(char in plain for char in _PLACEHOLDER) or plain.casefold() == "general":
        return tidy(number)
    if "/" in plain:
        return BadCell(f"{at}: shows its number as a fraction; format the cell as a number (Format Cells → Number).")
    mantissa = re.split(r"[eE][+-]", plain)[0]
    integer, _, fraction = mantissa.partition(".")
    if re.search(r"[0#?],+$", integer):
        return BadCell(
            f"{at}: shows its number in thousands (format “{code}”); format the cell to show the whole number."
        )
    places = len(re.match(r"[0#?]*", fraction).group())
    number = number.scaleb(2 * plain.count("%"))
    if mantissa != plain:  # scientific: the mantissa's digits are what is shown
        digits = max(1, sum(char in _PLACEHOLDER for char in integer)) + places
        exponent = number.adjusted() if number else 0
        quantum = Decimal(1).scaleb(exponent - digits + 1)
    else:
        quantum = Decimal(1).scaleb(-places)
    with localcontext() as context:
        context.prec = 400
        return tidy(number.quantize(quantum, rounding=ROUND_HALF_UP))


def matches_display(value: Decimal, text: str) -> Decimal | None:
    """The number a cell shows as `text` (OpenDocument saves what it displayed beside the value): `value`
    rounded to the decimal places the text shows, when the text's digits are exactly that number's, whatever
    the separators ("3,450", "3.450" and "3 450" for 3449.67; "12.5%" for 12.46 as a percentage). None when
    the text shows something else (a fraction, "###", a scaled or scientific number)."""
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    run = re.search(r"\d[\d.,\u00a0\u202f ]*", text).group().rstrip(".,\u00a0\u202f ")
    separator = max(run.rfind("."), run.rfind(","))
    candidates = {0}
    if separator >= 0:
        candidates.add(len(run) - separator - 1)
    found = set()
    for places in candidates:
        with localcontext() as context:
            context.prec = 400
            rounded = abs(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if format(rounded, "f").replace(".", "").lstrip("0") == digits.lstrip("0"):
            found.add(tidy(rounded.copy_sign(value)))
    return found.pop() if len(found) == 1 else None


# The column rules. Each takes what a reader gave and returns a value, None for a blank cell, or raises
# CellError; a BadCell is always an error here, never a blank.


def readable(value):
    """The value, or CellError when the cell could not be read (a formula with no saved result)."""
    if isinstance(value, BadCell):
        raise CellError(value.reason)
    return value


def text(value, *, max_length: int | None = None) -> str | None:
    if blank(readable(value)):
        return None
    value = normalise_text(str(value)).strip()
    if max_length is not None and len(value) > max_length:
        raise CellError(f"is {len(value):,} characters long; the most this column takes is {max_length:,}.")
    return value


# Thousands separated by commas or by spaces (a no-break or thin space reads as a space, `normalise_text`),
# one style in a number; a trailing % is how a percentage cell stored as text shows.
POINT_NUMBER = re.compile(r"-?(\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+|\d+)(\.\d+)?%?")
# Where commas mark decimals (a CSV with ";" between fields, as Excel and LibreOffice save it in much of
# Europe): thousands separated by points or spaces.
COMMA_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d{1,3}( \d{3})+|\d+)(,\d+)?%?")


def _figure(text: str, pattern: re.Pattern, thousands: str, point: str) -> Decimal | None:
    if not pattern.fullmatch(text):
        return None
    return Decimal(text.rstrip("%").replace(thousands, "").replace(" ", "").replace(point, "."))


def number(value, *, decimal_comma: bool = False) -> Decimal | None:
    """A figure: a number cell as shown, or text such as "1,234", "1 234", "12.5" or "12.5%". With
    `decimal_comma` (the file writes decimals with a comma) "12,5" is 12.5 too; text that reads as two
    different numbers ("1,234": 1234 or 1.234) is refused rather than guessed."""
    if blank(readable(value)):
        return None
    if isinstance(value, bool):
        raise CellError("should be a number, such as 1,234 or 12.5.")
    if isinstance(value, int | float | Decimal):
        result = shown_value(value, at="")
    else:
        value = " ".join(normalise_text(str(value)).split())
        if len(value) > MAX_NUMBER_CHARS:
            raise CellError(f"is {len(value):,} characters long, too long for a number; write numbers like 1,234.")
        if value.startswith("<") or value.casefold().startswith("fewer than"):
            raise CellError(f"“{value}” is a suppressed value; enter the actual figure (it is hidden automatically).")
        readings = {_figure(value, POINT_NUMBER, ",", ".")}
        if decimal_comma:
            readings.add(_figure(value, COMMA_NUMBER, ".", ","))
        readings.discard(None)
        if not readings:
            example = "1.234 or 12,5" if decimal_comma else "1,234 or 12.5"
            raise CellError(f"“{value}” is not a number; write numbers like {example}.")
        if len(readings) > 1:
            raise CellError(
                f"“{value}” could be {' or '.join(sorted(format(r, ',f') for r in readings))}; write it without "
                "a thousands separator."
            )
        result = readings.pop()
    if abs(result) >= MAX_FIGURE:
        raise CellError(f"“{value}” is too large.")
    return result


def whole_number(value, *, decimal_comma: bool = False, what: str = "This") -> int | None:
    """A number that must be whole (a count, a year, a population): 3450, or CellError naming `what`."""
    found = number(value, decimal_comma=decimal_comma)
    if found is None:
        return None
    if found != found.to_integral_value():
        raise CellError(f"{what} is {format(found, 'f')}: it must be a whole number.")
    return int(found)


MONTH_NAMES = {
    name: index
    for index, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
UK_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# 30-Apr-18, 30 Apr 2018, 30 April 2018: a named month is never ambiguous.
NAMED_DAY = re.compile(r"(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ](\d{4}|\d{2})")
ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
# Jan 2018, January 2018, Jan-2018, and Excel's month display Apr-18 (as it writes it into a CSV).
NAMED_MONTH = re.compile(r"([A-Za-z]{3,9})\.?[- ](\d{4}|\d{2})")
QUARTER = re.compile(r"Q([1-4]) (\d{4})(?:/(\d{2}))?", re.IGNORECASE)
# An Excel date serial written into a CSV (43220 is 30 April 2018): five digits, 1927 to 2173.
EXCEL_SERIAL = re.compile(r"\d{5}")
EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMS = "write dates as 2018-03-31, 31/03/2018 or 31-Mar-18"
PERIOD_FORMS = (
    "write the period's end as a date (2018-03-31, 31/03/2018), a month (Mar 2018, 2018-03, Mar-18) or a "
    "quarter (Q4 2017/18)"
)


def _year(digits: str) -> int:
    """A year as written: 2018, or two digits as Excel reads them (00–29 → 2000s, 30–99 → 1900s)."""
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 30 else 1900
    return year


def _month_named(name: str) -> int | None:
    name = name.casefold()
    month = MONTH_NAMES.get(name[:3])
    full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"]  # fmt: skip
    if month is None or (len(name) > 3 and name not in (full[month - 1], "sept")):
        return None
    return month


def _serial(value) -> date | None:
    if isinstance(value, Decimal) and value == value.to_integral_value() and 10_000 <= value <= 99_999:
        return EXCEL_EPOCH + timedelta(days=int(value))
    if isinstance(value, str) and EXCEL_SERIAL.fullmatch(value.strip()):
        return EXCEL_EPOCH + timedelta(days=int(value))
    return None


def day(value) -> date | None:
    """A date: a date cell, or text as ISO (2018-03-31), day/month/year (31/03/2018), a named month
    (31-Mar-18, 31 March 2018) or an Excel date serial written into a CSV (43190). Anything that could be
    read two ways (03/31/2018, 31/03/18, 3.31.2018) is refused rather than guessed."""
    if blank(readable(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if (found := _serial(value)) is not None:
        return found
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise CellError(f"is {len(text):,} characters long, too long for a date; {DATE_FORMS}.")
    if found := ISO_DAY.fullmatch(text):
        year, month, dom = (int(part) for part in found.groups())
    elif found := UK_DAY.fullmatch(text):
        dom, month, year = (int(part) for part in found.groups())
    elif (found := NAMED_DAY.fullmatch(text)) and _month_named(found.group(2)):
        dom, month, year = int(found.group(1)), _month_named(found.group(2)), _year(found.group(3))
    else:
        raise CellError(f"“{text}” is not a date we can read without guessing; {DATE_FORMS}.")
    try:
        return date(year, month, dom)
    except ValueError as exc:
        raise CellError(f"“{text}” is not a real date; {DATE_FORMS} (day before month).") from exc


@dataclass(frozen=True)
class PeriodEnd:
    """Where a period ends as a cell gives it: `end` is its last day (a day given as such is kept), `kind`
    is what the cell named: "day", "month" or "quarter"; `text` is the cell as written, for messages."""

    end: date
    kind: str
    text: str


def period(value, *, year_start: int = FINANCIAL_YEAR_START) -> PeriodEnd | None:
    """The one period rule of every import (readings, the police file): a date (as `day` reads one), a
    month (2018-04, Apr 2018, April 2018, Excel's Apr-18), or a quarter of the partnership's year starting
    in month `year_start` (Q1 2018/19; Q1 2018 where the year is the calendar year)."""
    if blank(readable(value)):
        return None
    if isinstance(value, date | Decimal) or _serial(value):
        found = day(value)
        return PeriodEnd(found, "day", value.strip() if isinstance(value, str) else found.isoformat())
    text = " ".join(str(value).split())[:MAX_NUMBER_CHARS]
    if found := ISO_MONTH.fullmatch(text):
        year, month = int(found.group(1)), int(found.group(2))
    elif (found := NAMED_MONTH.fullmatch(text)) and _month_named(found.group(1)):
        year, month = _year(found.group(2)), _month_named(found.group(1))
    elif found := QUARTER.fullmatch(text):
        return PeriodEnd(_quarter_end(found, text, year_start), "quarter", text)
    else:
        try:
            found_day = day(text)
        except CellError:
            raise CellError(f"“{text}” is not a date, month or quarter; {PERIOD_FORMS}.") from None
        return PeriodEnd(found_day, "day", text)
    if not 1 <= month <= 12:
        raise CellError(f"“{text}” is not a real month; {PERIOD_FORMS}.")
    return PeriodEnd(month_end(year, month), "month", text)


def _quarter_end(found: re.Match, text: str, year_start: int) -> date:
    number, first, second = int(found.group(1)), int(found.group(2)), found.group(3)
    if year_start == 1 and second is None:
        pass  # Q1 2018 of a calendar year
    elif second is None or (first + 1) % 100 != int(second):
        example = f"Q{number} {first}" if year_start == 1 else f"Q{number} {first}/{str(first + 1)[-2:]}"
        raise CellError(f"“{text}” is not a quarter of this partnership’s year; write it as {example}.")
    month = year_start + 3 * number - 1
    year = first + (month - 1) // 12
    return month_end(year, (month - 1) % 12 + 1)


YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def yes_no(value) -> bool | None:
    if blank(readable(value)):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()[:MAX_NUMBER_CHARS]
    if word in YES:
        return True
    if word in NO:
        return False
    raise CellError(f"“{value}” should be Yes or No.")


def choice(value, choices, *, what: str) -> str | None:
    """One of `choices` ((value, label) pairs), written as its label ("District council") or its stored
    value ("district_council"), case and spaces aside."""
    found = text(value)
    if found is None:
        return None
    by_key = {name_key(str(label)): stored for stored, label in choices} | {
        name_key(str(stored)): stored for stored, _ in choices
    }
    if name_key(found) in by_key:
        return by_key[name_key(found)]
    listed = ", ".join(str(label) for _, label in choices)
    raise CellError(f"“{found}” is not {a_or_an(what)}: write one of {listed}.")


# Names (indicators, areas, organisations, statuses, plans, priorities) as people type them.


def where_different(typed: str, known: str) -> str:
    """Where two names first differ, as a clause for a message: "yours is missing “e” after “…casualti”".
    Compared as `name_key` compares them, so a difference of case or apostrophe style is never shown."""
    typed, known = name_key(typed), name_key(known)
    matcher = difflib.SequenceMatcher(None, typed, known, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = typed[max(0, i1 - 15) : i1]
        place = f"after “{'…' if i1 > 15 else ''}{before}”" if before else "at the start"
        if tag == "replace":
            return f"yours has “{typed[i1:i2]}” where it has “{known[j1:j2]}”, {place}"
        if tag == "delete":
            return f"yours has an extra “{typed[i1:i2]}” {place}"
        return f"yours is missing “{known[j1:j2]}” {place}"
    return "they differ only in spaces or punctuation"  # pragma: no cover - equal keys match


class Names:
    """Name matching for one kind of record (`name_key`: case, apostrophe style and repeated spaces
    aside), with the closest name and where it differs when a name is unknown."""

    def __init__(self, noun: str, objects, attribute: str = "name"):
        self.noun = noun
        self.by_key, self.names = {}, {}
        for obj in objects:
            name = getattr(obj, attribute)
            self.by_key.setdefault(name_key(name), obj)
            self.names.setdefault(name_key(name), name)
        self.refusals = {}

    def get(self, name: str | None):
        if name is None:
            return None
        if len(name) > MAX_NAME_CHARS:
            raise CellError(f"is {len(name):,} characters long, longer than any {self.noun} name.")
        key = name_key(name)
        found = self.by_key.get(key)
        if found is None:
            if key not in self.refusals:
                self.refusals[key] = self._refusal(name, key)
            raise CellError(self.refusals[key])
        return found

    def _refusal(self, name: str, key: str) -> str:
        close = difflib.get_close_matches(key, self.names, n=1) if len(self.refusals) < MAX_SUGGESTIONS else []
        if close:
            known = self.names[close[0]]
            where = where_different(name, known)
            return f"No {self.noun} called “{name}”. Did you mean “{known}”? {where[0].upper()}{where[1:]}."
        example = next(iter(sorted(self.names.values())), "")
        hint = f"; write it as the site does, e.g. {example}" if example else ""
        return f"No {self.noun} called “{name}”{hint}."
