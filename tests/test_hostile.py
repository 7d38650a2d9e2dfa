"""Hostile input: the extractor never raises, never hangs, and every row it gives still satisfies the schema.

What is tried (see tests/hostile_corpus.py for the text itself):

- a corpus of nasty documents (every Unicode digit and space, right-to-left
  text and bidi controls, control characters, 40-digit numbers, "1e308",
  nested parentheses, number words that multiply, ...), each checked for no
  exception and schema-valid rows;
- 10 MB of text without a line break;
- hypothesis: random text over those alphabets, and real seed sentences
  with random junk spliced in;
- file names and paths: a document, source id or collection name that tries
  path traversal, a symlink out of the folder, control characters.

No test here times anything: a run that never ends (a regex backtracking without end) ends the test run with
its traceback (``hang_guard``), and linear time, construct by construct, is measured by benchmarks/linear.py.
"""

from __future__ import annotations

import math
import tracemalloc

import pandas as pd
import pytest
from hostile_corpus import (
    BIDI,
    COMBINING,
    CONTROLS,
    LINE_BREAKS,
    ZERO_WIDTH,
    nasty_corpus,
    repeat,
    seed_sentences,
    seed_text,
    unicode_digits,
    unicode_spaces,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from displacement_figures import schema as tschema
from displacement_figures.extract.build import extract_folder, validate_package
from displacement_figures.extract.figures import SENTENCE_CITED, extract_document

SOURCE = "hostile"
pytestmark = pytest.mark.usefixtures("hang_guard")


def assert_rows_valid(rows: list[dict], text: str, source_id: str = SOURCE) -> None:
    """Every row cites its exact span and passes the figures schema (pandera, with the quote checks)."""
    for r in rows:
        assert text[r["char_start"]:r["char_end"]] == r["quote"], r
        assert text[r["sentence_start"]:r["sentence_end"]] == r["sentence"], r
        assert r["sentence_start"] <= r["char_start"] < r["char_end"] <= r["sentence_end"], r
        # a "sentence" of megabytes is cited by the stretch around the figure, so output stays linear in input
        assert len(r["sentence"]) <= SENTENCE_CITED + len(r["quote"]), r
    schema = tschema.table_schema("figures")
    names = [f["name"] for f in schema["fields"]]
    assert all(set(r) == set(names) for r in rows), "rows and schema disagree on the fields"
    df = pd.DataFrame([{n: r[n] for n in names} for r in rows], columns=names).astype(tschema.pandas_dtypes(schema))
    tschema.pandera_schema(schema, texts={source_id: text}).validate(df, lazy=True)


CORPUS = nasty_corpus()


@pytest.mark.parametrize("name", list(CORPUS))
def test_nasty_document(name: str):
    text = CORPUS[name]
    assert_rows_valid(extract_document(text, SOURCE), text)


def test_nasty_corpus_finds_the_figures_it_should():
    """Hostile wrapping does not hide plain figures: bidi marks, other scripts' digits, odd spaces."""
    values = {name: {r["value"] for r in extract_document(text, SOURCE)} for name, text in CORPUS.items()}
    assert 5000 in values["every script's 5,000 people were displaced"]  # Arabic-Indic, Devanagari, fullwidth...
    assert 5000 in values["every unicode space around a figure"]
    assert 5000 in values["bidi override over a sentence"]
    assert 30 in values["bidi override over a sentence"]
    assert 5000 in values["control characters"]


def test_no_figure_from_overflowing_or_enormous_numbers():
    """Numbers no count or distance can be ("1e308", 40 or 400 digits, "hundred hundred ...") give no row."""
    for name in ("40-digit numbers", "40-digit numbers, grouped", "400-digit number", "floats that overflow",
                 "number words that multiply", "scales stacked"):
        for r in extract_document(CORPUS[name], SOURCE):
            for k in ("value", "value_low", "value_high"):
                assert r[k] is None or (math.isfinite(r[k]) and r[k] < 1e15), (name, r)


def test_ten_megabytes_without_a_line_break():
    """10 MB on one line, news text with hostile fragments every few KB: valid rows (its time: benchmarks/linear.py)."""
    unit = seed_text() + " " + " ".join(list(CORPUS.values())[i][:300] for i in range(0, 40, 4))
    unit = unit.translate({ord(c): " " for c in LINE_BREAKS})  # not one line break of any kind
    text = (unit * (10_000_000 // len(unit) + 1))[:10_000_000]
    assert len(text.splitlines()) == 1 and len(text) == 10_000_000
    rows = extract_document(text, SOURCE)
    assert rows
    assert_rows_valid(rows, text)


def test_nasty_corpus_through_the_whole_pipeline(tmp_path):
    """As files of a folder to extract: each becomes part of a package that validates (Frictionless, pandera,
    every quote against its document), or is skipped with the reason, the way any unreadable file is."""
    src = tmp_path / "docs"
    src.mkdir()
    names = list(nasty_corpus(5000).items())
    for i, (_, text) in enumerate(names):
        (src / f"doc{i:02d}.txt").write_text(text, encoding="utf-8")
    skipped = extract_folder(src, tmp_path / "pkg")
    for file, reason in skipped:
        assert any(w in reason for w in ("binary", "empty", "no text")), (names[int(file[3:5])][0], reason)
    assert len(skipped) <= 6, skipped  # control characters, line breaks of every kind, empty, only spaces
    assert validate_package(tmp_path / "pkg", docs_root=src) == []


@pytest.mark.parametrize("text", [
    pytest.param(repeat("one ", 250_000), id="one one one ..."),
    pytest.param("1" + ",000" * 60_000 + " people were displaced", id="1,000,000,... (180,000 digits)"),
    pytest.param("1" + " 000" * 60_000 + " people were displaced", id="1 000 000 ..."),
    pytest.param("1" + ".000" * 60_000 + " people were displaced", id="1.000.000..."),
])
def test_memory_of_a_number_hundreds_of_kilobytes_long(text: str):
    """A regex loop over a group keeps a backtracking entry per turn: 90 to 200 bytes a character for these before
    the loops were bounded or made possessive. Now a few tens of bytes (the text, its copies, one Decimal)."""
    extract_document("5,000 people were displaced", "warm-up")
    tracemalloc.start()
    try:
        extract_document(text, SOURCE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * len(text), f"{peak / len(text):.0f} bytes a character"


# ---------------------------------------------------------------- hypothesis

_JUNK_CHARS = (unicode_digits() + unicode_spaces() + BIDI + ZERO_WIDTH + CONTROLS + COMBINING + LINE_BREAKS
               + "()[]{},.;:!?-–—+%$€£/\\'\"’“”•*~")
_TOKENS = [
    "people", "persons", "families", "homes", "displaced", "were", "killed", "injured", "fled", "evacuated", "km",
    "miles", "from", "south of", "about", "some", "at least", "more than", "up to", "tens of", "thousands", "million",
    "lakh", "one", "hundred", "half a", "Homs", "Hama", "It is", "which is", "the city", "said", "according to",
    "this number could rise to", "in the past week", "1e308", "0", "5", "30", "1,000", "2.5", "61, 000", "9 300",
    "2.000", "100,000 to 120,000", "200,000+", "(3 miles)", "1" * 40, f"{10**39:,}",
]
junk_piece = st.one_of(
    st.sampled_from(_TOKENS),
    st.sampled_from(_JUNK_CHARS),
    st.text(alphabet=_JUNK_CHARS, min_size=1, max_size=12),
    st.characters(exclude_categories=["Cs"]),
    st.integers(min_value=0, max_value=10**45).map(str),
)
hostile_text = st.tuples(st.lists(junk_piece, max_size=60), st.sampled_from(["", " ", "\n", ", "])).map(
    lambda t: t[1].join(t[0]))


@st.composite
def spliced(draw) -> str:
    """Real seed sentences with junk spliced in, characters swapped for other digits and spaces, or cut out."""
    text = " ".join(draw(st.lists(st.sampled_from(seed_sentences()), min_size=1, max_size=4)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        how = draw(st.sampled_from(["insert", "replace", "delete"]))
        if how == "insert":
            text = text[:at] + draw(hostile_text) + text[at:]
        elif how == "replace":
            text = text[:at] + draw(st.sampled_from(_JUNK_CHARS)) + text[at + 1:]
        else:
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=20)):]
    return text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_random_hostile_text(text: str):
    assert_rows_valid(extract_document(text, SOURCE), text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spliced())
def test_seed_sentences_with_junk_spliced_in(text: str):
    assert_rows_valid(extract_document(text, SOURCE), text)
