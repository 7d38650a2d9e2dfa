"""Numbers in tables kept as text (Markdown, or flattened into a sentence) are read by column and row."""

from __future__ import annotations

import time

from displacement_figures.extract.figures import extract_document
from displacement_figures.extract.tables import number_cells

MARKDOWN = """Floods in the north-east, as reported by the district offices.

| District | Displaced families | Houses destroyed | Deaths | Schools closed |
|---|---|---|---|---|
| Sylhet | 1,200 | 340 | 5 | 12 |
| Sunamganj | 2,450 | 610 | 12 | 3 |
| Total | 3,650 | 950 | 17 | 15 |

Water levels are expected to fall by 12 June.
"""

FLATTENED = ("NDRRMC figures as of Oct. 25: Region | Evacuees inside centers | Outside centers — Bicol | 289,454 | "
             "61,320; Calabarzon | 42,118 | 9 870; Eastern Visayas | 8,075 | 1,204.")


def _read(text):
    return [(r["term"], r["value"], r["unit"], r["location"], r["rule"]) for r in extract_document(text, "t")]


def test_markdown_table_by_column_header_and_row():
    assert _read(MARKDOWN) == [  # in citation order: each quote starts at its row's first cell
        ("killed", 5, "person", "Sylhet", "casualties:table"),
        ("displaced", 1200, "household", "Sylhet", "displacement:table"),
        ("destroyed_housing", 340, "dwelling", "Sylhet", "displacement:table"),
        ("killed", 12, "person", "Sunamganj", "casualties:table"),
        ("displaced", 2450, "household", "Sunamganj", "displacement:table"),
        ("destroyed_housing", 610, "dwelling", "Sunamganj", "displacement:table"),
        ("killed", 17, "person", "", "casualties:table"),  # "Total" is no place
        ("displaced", 3650, "household", "", "displacement:table"),
        ("destroyed_housing", 950, "dwelling", "", "displacement:table"),
    ]


def test_flattened_table_rows_split_at_dashes_and_semicolons():
    rows = extract_document(FLATTENED, "t")
    assert [(r["value"], r["term"], r["location"], r["quote"]) for r in rows] == [
        (289454, "evacuated", "Bicol", "Bicol | 289,454"),
        (42118, "evacuated", "Calabarzon", "Calabarzon | 42,118"),
        (8075, "evacuated", "Eastern Visayas", "Eastern Visayas | 8,075"),
    ]  # "Outside centers" names no figure: its numbers are left alone, not given another column's term
    assert all(FLATTENED[r["char_start"]:r["char_end"]] == r["quote"] for r in rows)


def test_a_line_without_bars_ends_the_table():
    text = "| Area | Displaced |\n| A | 100 |\nThe council said.\n| B | 200 |\n"
    assert [r["value"] for r in extract_document(text, "t")] == [100]


def test_rows_of_another_width_are_not_read_with_the_header():
    assert number_cells("| Area | Displaced |\n| A | 100 | 7 |\n") == {}


def test_many_bars_are_no_table_and_stay_linear():
    text = "|1" * 200_000 + "\n" + "| a | b |\n" * 50_000
    t = time.process_time()
    assert number_cells(text) == {}
    assert time.process_time() - t < 5
