"""Text as PDF converters and old web archives leave it: repaired before the grammar, cited as written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_figures.extract.figures import extract_document
from displacement_figures.extract.normalise import read

CASES = [
    # glued words, split only where one part is a counted noun or a term and the other a glue word
    ("About 20 houseswere totally destroyed.", [("displacement", "destroyed_housing", 20, "dwelling")],
     "houseswere totally destroyed"),
    ("Some 300 people hadevacuated by Monday.", [("displacement", "evacuated", 300, "person")], "people hadevacuated"),
    ("Some 400 peoplecould become displaced.", [("displacement", "displaced", 400, "person")], "peoplecould"),
    # hyphenation inside a line, and a typo of the counted noun
    ("The homes of 40 fami-lies were damaged.", [("displacement", "partially_destroyed_housing", 40, "household")],
     "fami-lies"),
    ("In all, 1,200 familis lost their homes.", [("displacement", "homeless", 1200, "household")], "familis"),
    # mojibake: decoded with the wrong code page, or marks no decoding explains glued to a word
    ("The familyâ€™s 30 homes were destroyed.", [("displacement", "destroyed_housing", 30, "dwelling")], "30 homes"),
    ("The familiesŠ—È 25 homes were destroyed.", [("displacement", "destroyed_housing", 25, "dwelling")], "25 homes"),
    # a PDF symbol-font bullet is a new item: the number before it is not the next item's
    ("one (1) laboratory scientist \uf0b7 The total number of deaths is six (6)",
     [("casualties", "killed", 6, "person")], "six (6)"),
]


def test_repaired_text_is_read_and_cited_as_written():
    for sentence, wanted, cited in CASES:
        rows = extract_document(sentence, "t")
        assert [(r["category"], r["term"], r["value"], r["unit"]) for r in rows] == wanted, sentence
        for r in rows:
            assert sentence[r["char_start"]:r["char_end"]] == r["quote"]
            assert sentence[r["sentence_start"]:r["sentence_end"]] == r["sentence"]
        assert cited in rows[0]["quote"], (sentence, rows[0]["quote"])


def test_good_text_is_left_alone():
    for text in ("households, wherever, therefore, the washing, well-being, long-term, civilian, kilometers",
                 "In January 2016, 1,200 families were displaced.", "Zürich, café, Más de 3 000 familias"):
        assert read(text).text == text


def test_repairs():
    assert read("in January2016 houseswere").text == "in January 2016 houses were"
    assert read("the countryŠ—Ès north").text == "the country’s north"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["houseswere", "fami-lies", "familis", "1,200", "Š—È", "â€™", "\uf0b7", " ", "\n",
                                 "people", "displaced", "were", "hadevacuated", "January2016", "-", "é"]),
                max_size=30))
def test_offsets_map_back_to_the_original(parts):
    text = "".join(parts)
    reading = read(text)
    for lo in range(0, len(reading.text) + 1, 3):
        a, b = reading.span(lo, len(reading.text))
        assert 0 <= a <= b == len(text)
    for r in extract_document(text, "t"):
        assert text[r["char_start"]:r["char_end"]] == r["quote"]
