"""Numbers in tables kept as text: rows of cells separated by "|".

Reports converted from PDF or HTML keep their tables that way, as Markdown
(``| District | Displaced families | Deaths |`` on one line per row) or
flattened into a sentence ("Region | Evacuees inside centers | Outside
centers — Bicol | 289,454 | 61,320; Calabarzon | 42,118 | 9 870"). A reader
takes a number in such a table from its column's header, which names what it
counts, and from its row's first cell, which names where. Read as prose, the
header and the row run together and the nearest words are another column's.

A table here is a header row (cells without numbers) followed by rows with
the same number of cells; rows are lines, or, within a line, pieces
separated by ";" or a spaced dash. A line without two "|" ends the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a line's rows end inside it: "— Bicol | ...", "; Calabarzon | ...".
_ROW_BREAK = re.compile(r";|\s[—–]\s")
_RULE_CELL = re.compile(r":?-{3,}:?")  # the "|---|:---:|" line under a Markdown header
# A number alone in its cell, possibly with a final full stop: "289,454", "9 870", "1,204.".
_NUMBER_CELL = re.compile(r"\d[\d,.\u0020\u00a0\u2009\u202f]*")
MAX_CELLS = 64  # cells of a row, and four times that of a line: more is not a table
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Cell:
    """A number's cell: the span of its column's header and of its row's first cell (stripped)."""

    header: tuple[int, int]
    row_label: tuple[int, int] | None  # None when the number is in the first column
    header_row: tuple[int, int]  # the whole header row, where a caption may give the date ("as of Oct. 25: Region")


def _cells(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Stripped spans of the cells of the row [lo, hi); the empty cells outside a Markdown row's bars dropped."""
    spans, start = [], lo
    while True:
        bar = text.find("|", start, hi)
        end = hi if bar < 0 else bar
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        spans.append((s, e))
        if bar < 0:
            break
        start = bar + 1
    if spans and spans[0][0] == spans[0][1]:
        spans.pop(0)
    if spans and spans[-1][0] == spans[-1][1]:
        spans.pop()
    return spans


def _rows(text: str):
    """(lo, hi) of every row of every line that holds at least two "|", and None where such lines stop."""
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        if 2 <= text.count("|", pos, end) <= MAX_CELLS * 4:
            start = pos
            for br in _ROW_BREAK.finditer(text, pos, end):
                yield start, br.start()
                start = br.end()
            yield start, end
        else:
            yield None
        pos = end + 1


def number_cells(text: str) -> dict[int, Cell]:
    """The table cells of a document that hold a number alone, by the offset where the cell starts."""
    out: dict[int, Cell] = {}
    header: list[tuple[int, int]] | None = None
    header_row = (0, 0)
    for row in _rows(text):
        if row is None:
            header = None
            continue
        if text.count("|", *row) > MAX_CELLS:
            header = None  # not a table a reader reads cell by cell; and splitting it would hold every cell
            continue
        cells = _cells(text, *row)
        if len(cells) < 2:
            continue
        if all(_RULE_CELL.fullmatch(text, s, e) for s, e in cells):
            continue
        numbers = [(s, e) for s, e in cells if _is_number(text, s, e)]
        if not numbers:
            if all(_LETTER.search(text, s, e) and not _DIGIT.search(text, s, e) for s, e in cells[1:]):
                header, header_row = cells, row
            continue
        if header is None or len(header) != len(cells):
            header = None
            continue
        label = cells[0] if cells[0] not in numbers else None
        for k, (s, e) in enumerate(cells):
            if (s, e) in numbers and k > 0:
                out[s] = Cell(header[k], label, header_row)
    return out


def _is_number(text: str, s: int, e: int) -> bool:
    if e > s and text[e - 1] == ".":
        e -= 1
    return e > s and _NUMBER_CELL.fullmatch(text, s, e) is not None
