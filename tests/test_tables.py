"""Numbers in tables kept as text (Markdown, or flattened into a sentence) are read by column and row."""

from __future__ import annotations

import pytest

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


@pytest.mark.usefixtures("hang_guard")
def test_many_bars_are_no_table_and_stay_linear():
    text = "|1" * 200_000 + "\n" + "| a | b |\n" * 50_000
    assert number_cells(text) == {}  # hang_guard ends the run if it backtracks without end


ALIGNED = """ASSAM STATE DISASTER MANAGEMENT AUTHORITY
Daily Flood Report

District      Population affected   Persons in relief camps   Relief camps   Houses damaged
Dhemaji             88,410                 6,210                   41             312
Nagaon             210,990                14,700                   88             961
Total              299,400                20,910                  129           1,273

The river is above danger level.
"""


def test_columns_aligned_with_spaces_are_read_like_a_table():
    """What pdftotext -layout writes. "Population affected" and "Relief camps" name no figure: no rows."""
    assert _read(ALIGNED) == [
        ("in_relief_camp", 6210, "person", "Dhemaji", "displacement:table"),
        ("partially_destroyed_housing", 312, "dwelling", "Dhemaji", "displacement:table"),
        ("in_relief_camp", 14700, "person", "Nagaon", "displacement:table"),
        ("partially_destroyed_housing", 961, "dwelling", "Nagaon", "displacement:table"),
        ("in_relief_camp", 20910, "person", "", "displacement:table"),
        ("partially_destroyed_housing", 1273, "dwelling", "", "displacement:table"),
    ]


def test_a_row_narrower_than_the_header_is_read_by_where_its_numbers_stand():
    text = ("Entry point     New arrivals   Cumulative since April\n"
            "Adre                 4,870              412,300\n"
            "Total                7,475\n")
    assert [(r["value"], r["location"]) for r in extract_document(text, "t")] == [(4870, "Adre"), (7475, "")]


def test_markdown_emphasis_and_hedges_in_cells():
    text = "| District | Deaths | Evacuated 1-15 Aug |\n|---|---|---|\n| A | ~26 | 4,800 |\n| **Total** | **12** | **9,400** |\n"
    rows = extract_document(text, "t")
    assert [(r["term"], r["value"]) for r in rows] == [("killed", 26), ("evacuated", 4800), ("killed", 12),
                                                        ("evacuated", 9400)]


def test_header_nouns_after_a_preposition_are_where_not_who():
    text = "| Area | In public shelters | Displaced (with family) |\n|---|---|---|\n| Canoas | 17,430 | 64,100 |\n"
    assert [(r["term"], r["unit"]) for r in extract_document(text, "t")] == [("sheltered", "person"),
                                                                            ("displaced", "person")]


def test_labelled_lines_under_a_heading_take_its_term_when_the_label_is_a_place():
    text = ("DISPLACEMENT BY TERRITORY (new arrivals, 15 Feb - 3 Mar)\nDjugu: 41,300\nIrumu: 15,800 (estimate)\n\n"
            "Key figures\nDeaths: 10\nSchools: 12\n")
    assert [(r["term"], r["value"], r["location"]) for r in extract_document(text, "t")] == [
        ("displaced", 41300, "Djugu"), ("displaced", 15800, "Irumu"), ("killed", 10, "")]


CAPTIONED = """Table 3. IDP sites visited (n=14)
Site              Woreda      Households   Individuals
Agatina           Abala            2,140        10,950
Berahle           Berahle            880         4,310
"""


def test_a_caption_names_what_columns_of_people_count():
    """Headers that only say who is counted ("Households", "Individuals") take the caption's term."""
    assert [(t, v, u) for t, v, u, _, _ in _read(CAPTIONED)] == [
        ("in_relief_camp", 2140, "household"), ("in_relief_camp", 10950, "person"),
        ("in_relief_camp", 880, "household"), ("in_relief_camp", 4310, "person")]


def test_a_caption_gives_no_term_to_columns_of_things():
    text = "Table 2. Displaced families by district\nDistrict    Schools    Clinics\nSylhet         12          3\n"
    assert _read(text) == []


def test_remaining_residents_and_families_in_tents():
    text = ("| Community | Remaining residents | Families in tents |\n| --- | --- | --- |\n"
            "| Pokrovsk | ~26,000 | 540 |\n")
    assert sorted((t, v, u) for t, v, u, _, _ in _read(text)) == [
        ("displaced", 540, "household"), ("population", 26000, "person")]
