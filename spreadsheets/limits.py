"""What one upload may cost, counted while the file is read and refused the moment it is exceeded, before
anything is kept: the same limits for every import and every format (issue 24).

- MAX_BYTES, 10 MB uploaded: a large request held in memory.
- MAX_UNPACKED, 50 MB of a workbook's parts: a zip bomb, a small .xlsx or .ods that inflates to gigabytes.
- MAX_ROWS, 50,000 rows that hold something (rows holding nothing are skipped uncounted): a long file.
- MAX_CELLS, 600,000 filled cells: work per row times rows.
- MAX_COLUMNS, 16 filled columns (to column P): wide rows; no template has more than 12 columns.
- MAX_TEXT_CHARS, 5,000,000 characters of text in all: one long text repeated in every cell (an .xlsx's
  shared string, a people sheet), counted before the text is worked on.
- cells.MAX_CELL_CHARS, 32,767 characters in one cell: Excel's own limit; a longer cell is refused before
  the XML parser holds it.
- MAX_STORED_BYTES, 40 MB: the table and preview kept between upload and confirm.

Each is checked by `Budget`, which the readers call as they go; a refusal is a `FileRefused` whose message
names the limit and what to do.
"""

from __future__ import annotations

import io

from csa_tracker.refusals import Refusal

from .cells import MAX_CELL_CHARS, column_letter

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 16
MAX_CELLS = MAX_ROWS * 12
MAX_TEXT_CHARS = 5_000_000
MAX_STORED_BYTES = 40 * 1024 * 1024
MB = 1024 * 1024
# In a workbook's XML a cell's text may take up to 6 bytes a character (UTF-8 and "&amp;"-style escapes).
MAX_CELL_XML_BYTES = MAX_CELL_CHARS * 6


class FileRefused(Refusal):
    """The whole file is refused; the message says why and what to do (shown on the upload form)."""


class Budget:
    """The work one upload may make the server do, counted as the readers go."""

    def __init__(self):
        self.rows = self.cells = self.chars = self.unpacked = 0

    def unpack(self, size: int) -> None:
        """`size` more bytes of a workbook's parts will be read."""
        self.unpacked += size
        if self.unpacked > MAX_UNPACKED:
            raise FileRefused(
                f"This workbook unpacks to more than {MAX_UNPACKED // MB} MB, which is more than an import can "
                "take. Remove other sheets or split the file."
            )

    def text(self, size: int) -> None:
        """A cell holding `size` characters of text was read (counted before the text is worked on)."""
        self.chars += size
        if self.chars > MAX_TEXT_CHARS:
            raise FileRefused(
                f"The file holds more than {MAX_TEXT_CHARS:,} characters of text, more than an import takes "
                "(a cell repeated many times counts each time). Split it into smaller files."
            )

    def row(self, filled: int, number: int) -> None:
        """A row with `filled` cells that hold something; `number` is its number as the sheet shows it."""
        if filled > MAX_COLUMNS:
            raise FileRefused(
                f"Row {number:,} has {filled:,} filled cells; an import has at most {MAX_COLUMNS} columns (the "
                "template's). Remove the other columns, or download the template and copy your rows into it."
            )
        self.rows += 1
        self.cells += filled
        if self.rows > MAX_ROWS + 1:  # the header row is not counted
            raise FileRefused(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
        if self.cells > MAX_CELLS:
            raise FileRefused(f"The file has more than {MAX_CELLS:,} filled cells; split it into smaller files.")

    def column(self, column: int, at: str) -> None:
        if column > MAX_COLUMNS:
            raise FileRefused(
                f"Cell {at} holds something, beyond the last column an import reads ({column_letter(MAX_COLUMNS)}). "
                "Remove it, or download the template and copy your rows into it."
            )


class CountedXml(io.RawIOBase):
    """A workbook part (.xlsx or .ods XML), read in aligned blocks of MAX_CELL_XML_BYTES and counted against
    the budget as it inflates: a block without any markup ("<") is a text longer than a cell can hold, and
    the file is refused there, before the XML parser holds it (a text of twice the block size always fills
    one aligned block; one a cell can hold never does). Wrap it in io.BufferedReader for a parser."""

    def __init__(self, raw, budget: Budget):
        super().__init__()
        self.raw, self.budget, self.block, self.at = raw, budget, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.at >= len(self.block):
            self.block, self.at = self.raw.read(MAX_CELL_XML_BYTES), 0
            self.budget.unpack(len(self.block))
            if len(self.block) == MAX_CELL_XML_BYTES and b"<" not in self.block:
                raise FileRefused(
                    f"A cell in this workbook holds more than {MAX_CELL_CHARS:,} characters, more than a "
                    "spreadsheet allows in a cell; this file was not saved by a spreadsheet. Save it again."
                )
        size = min(len(buffer), len(self.block) - self.at)
        buffer[:size] = self.block[self.at : self.at + size]
        self.at += size
        return size
