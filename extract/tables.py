"""Numbers in tables kept as text.

Reports converted from PDF or HTML keep their tables in three shapes:

- Markdown rows, one per line: ``| District | Displaced families | Deaths |``;
- rows flattened into one sentence, with "|" between cells and ";" or a
  spaced dash between rows: "Region | Evacuees inside centers | Outside
  centers — Bicol | 289,454 | 61,320; Calabarzon | 42,118 | 9 870";
- columns aligned with runs of spaces (what ``pdftotext -layout`` writes):
  ``Dhemaji        88,410        6,210``.

A reader takes a number in a table from its column's header, which names
what it counts, and from its row's first cell, which names where. Read as
prose, the header and the row run together and the nearest words are
another column's.

A table here is a header row (no cell of it a number, every cell after the
first with a letter) followed by rows with number cells. A number cell takes
the header cell of its column: the one at the same position when the row has
as many cells as the header, or, in an aligned table, the one it stands
under. A line that is no row of the table's shape ends the table; a row the
header cannot be matched to is skipped ("Total  7,475  551,400" under four
headers, when its numbers stand under none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a line's rows end inside it: "— Bicol | ...", "; Calabarzon | ...".
_ROW_BREAK = re.compile(r";|\s[—–]\s")
_RULE_CELL = re.compile(r":?-{3,}:?")  # the "|---|:---:|" line under a Markdown header
# Cells of an aligned row: text separated by a tab or by two spaces or more.
_GAP = re.compile(r"\t[ \t]*| {2,}\t?[ \t]*")
# A number alone in its cell, possibly hedged with "~", in Markdown emphasis or with a final full stop:
# "289,454", "9 870", "1,204.", "**12**", "~26,000". Group 1 is the number.
_NUMBER_CELL = re.compile(r"[*_]{0,2}(?:[~≈]\s?)?(\d[\d,.\u0020\u00a0\u2009\u202f]*?)\.?[*_]{0,2}")
MAX_CELLS = 64  # cells of a row, and four times that of a line: more is not a table
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Cell:
    """A number's cell: the span of its column's header and of its row's first cell (stripped)."""

    header: tuple[int, int]
    row_label: tuple[int, int] | None  # None when the number is in the first column
    header_row: tuple[int, int]  # the whole header row, where a caption may give the date ("as of Oct. 25: Region")
    labelled: bool = False  # a "Label: number" line under a heading: a table row only when the label is a place


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _bar_cells(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Stripped spans of the cells of a "|" row [lo, hi); the empty cells outside a Markdown row's bars dropped."""
    spans, start = [], lo
    while True:
        bar = text.find("|", start, hi)
        end = hi if bar < 0 else bar
        spans.append(_strip(text, start, end))
        if bar < 0:
            break
        start = bar + 1
    if spans and spans[0][0] == spans[0][1]:
        spans.pop(0)
    if spans and spans[-1][0] == spans[-1][1]:
        spans.pop()
    return spans


def _aligned_cells(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of the cells of a line whose columns are aligned with spaces [lo, hi)."""
    lo, hi = _strip(text, lo, hi)
    spans, start = [], lo
    for gap in _GAP.finditer(text, lo, hi):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, hi))
    return spans


def _rows(text: str):
    """(kind, lo, hi) of every row: kind "bar" for rows of a line with two "|" or more, "aligned" for a line with
    an aligned gap; None for any other line, which ends a table."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        bars = text.count("|", pos, end)
        if 2 <= bars <= MAX_CELLS * 4:
            start = pos
            for br in _ROW_BREAK.finditer(text, pos, end):
                yield "bar", start, br.start()
                start = br.end()
            yield "bar", start, end
        elif bars == 0 and end - pos <= MAX_CELLS * 40 and _GAP.search(text, *_strip(text, pos, end)):
            yield "aligned", pos, end
        else:
            yield None
        pos = end + 1


# "Djugu: 41,300", "- Turkana: 14,200 (cumulative)": a line that gives a label a number, as lists of figures by place
# under a heading do ("DISPLACEMENT BY TERRITORY" then one line per territory). Group 1 is the label, 2 the number
# when it stands alone (a note in brackets aside).
_LABELLED = re.compile(r"[ \t]*(?:[-•*▪·][ \t]+)?([^:\n]{1,60}?)[ \t]*:[ \t]*(?=\S)"
                       r"(?:[~≈]?(\d[\d,.\u00a0\u202f ]*?)[ \t]*(?:\([^()\n]{0,60}\))?[ \t]*\.?[ \t]*|[^\n]*)")
HEADING_MAX = 120  # a heading is a short line


def number_cells(text: str) -> dict[int, Cell]:
    """The table cells of a document that hold a number alone, by the offset of the number's first digit."""
    out = _labelled_lists(text) if ":" in text else {}
    if "|" in text or _aligned_number(text):
        out.update(_table_cells(text))
    return out


def _aligned_number(text: str) -> bool:
    """Whether a number follows an aligned gap (two spaces or a tab) somewhere: only then can a text hold a table
    without "|". Each run of white space is read once."""
    n = len(text)
    for gap in ("  ", "\t"):
        i = text.find(gap)
        while i >= 0:
            j = i + len(gap)
            while j < n and text[j] in " \t":
                j += 1
            k = j
            while k < n and k - j < 2 and text[k] in "*_~≈":
                k += 1
            if k < n and text[k].isdecimal():  # str.isdecimal is the regex \d
                return True
            i = text.find(gap, j)
    return False


def _table_cells(text: str) -> dict[int, Cell]:
    out: dict[int, Cell] = {}
    header: list[tuple[int, int]] | None = None
    header_row = (0, 0)
    kind = None
    for row in _rows(text):
        if row is None or row[0] != kind:
            header = None
            if row is None:
                kind = None
                continue
            kind = row[0]
        _, lo, hi = row
        if text.count("|", lo, hi) > MAX_CELLS:
            header = None  # not a table a reader reads cell by cell; and splitting it would hold every cell
            continue
        cells = _bar_cells(text, lo, hi) if kind == "bar" else _aligned_cells(text, lo, hi)
        if len(cells) < 2 or all(_RULE_CELL.fullmatch(text, s, e) for s, e in cells):
            continue
        numbers = {k: m.start(1) for k, (s, e) in enumerate(cells) if (m := _NUMBER_CELL.fullmatch(text, s, e))}
        if not numbers:
            if all(_LETTER.search(text, s, e) for s, e in cells[1:]):
                header, header_row = cells, (lo, hi)
            continue
        if header is None:
            continue
        label = cells[0] if 0 not in numbers else None
        for k, at in numbers.items():
            column = _column(text, header, cells, k, kind)
            if column is not None and column > 0:
                out[at] = Cell(header[column], label, header_row)
    return out


def _column(text: str, header: list[tuple[int, int]], cells: list[tuple[int, int]], k: int, kind: str) -> int | None:
    """The header column of cell ``k``: the same position when the row is as wide as the header, or, in an
    aligned table, the header cell it stands under (the most overlap of their spans within their lines)."""
    if len(cells) == len(header):
        return k
    if kind != "aligned":
        return None
    s, e = cells[k]
    row_start = text.rfind("\n", 0, s) + 1
    head_start = text.rfind("\n", 0, header[0][0]) + 1
    a, b = s - row_start, e - row_start
    best, column = 0, None
    for j, (hs, he) in enumerate(header):
        overlap = min(b, he - head_start) - max(a, hs - head_start)
        if overlap > best:
            best, column = overlap, j
    return column


# Where a labelled line can give a number: found in one scan (it starts with a literal), so that only those lines are
# read.
_COLON_NUMBER = re.compile(r":[ \t]*[~≈]?\d")


def _labelled_lists(text: str) -> dict[int, Cell]:
    """Lines that give a number to a label, under a heading: the heading is the column's header, the label the
    row's. The caller decides which labels are places ("Djugu: 41,300" under "DISPLACEMENT BY TERRITORY"); a
    label that names a figure itself ("Deaths: 10") is read as prose is.

    The heading is the nearest line above that is no "label: ..." line, when it is short and does not end like a
    sentence; a blank line ends the list."""
    out: dict[int, Cell] = {}
    hi = -1
    heading = None
    for found in _COLON_NUMBER.finditer(text):
        if found.start() < hi:
            continue  # its line was read ("10:30: 1:2" has several)
        lo = text.rfind("\n", 0, found.start()) + 1
        above = hi
        hi = text.find("\n", found.start())
        hi = len(text) if hi < 0 else hi
        m = _LABELLED.fullmatch(text, lo, hi) if hi - lo <= HEADING_MAX * 2 else None
        if m is None:
            heading = None
            continue
        if above + 1 != lo:  # the line above is no labelled line already read: look up the list's heading
            heading = _heading(text, lo)
        if heading is not None and m.group(2):
            out[m.start(2)] = Cell(heading, m.span(1), heading, labelled=True)
    return out


def _heading(text: str, line_start: int) -> tuple[int, int] | None:
    """The heading of the list whose line starts at ``line_start`` (see _labelled_lists), or None."""
    for _ in range(MAX_CELLS):  # a list longer than this is not read as one
        if line_start == 0:
            return None
        end = line_start - 1
        line_start = text.rfind("\n", 0, end) + 1
        s, e = _strip(text, line_start, end)
        if e - s > HEADING_MAX * 2 or s == e:
            return None
        if _LABELLED.fullmatch(text, line_start, end) is None:
            return (s, e) if e - s <= HEADING_MAX and text[e - 1] not in ".;," else None
    return None
