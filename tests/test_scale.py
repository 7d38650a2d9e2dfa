"""Scale: all cores give the same package as one, and the per-partition function Dask or Spark would run
gives the rows the command line writes, however the corpus is split."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import displacement_figures as dfig
from displacement_figures import cli
from displacement_figures import schema as tschema
from displacement_figures.extract import classify, context, mentions
from displacement_figures.extract.build import extract_folder
from displacement_figures.extract.figures import extract_document
from displacement_figures.extract.stream import (
    extract_partition,
    extract_records,
    figures_meta,
    spark_schema,
)
from displacement_figures.extract.text import _TAIL, _Piece
from displacement_figures.extract.vocabulary import CASE_FOLDS, case_variants, dispatch

from conftest import SEEDS, tree_digest

SHORT = [
    ("short-a", "Some 5,000 people fled the town on Monday, officials said."),
    ("short-b", "Homs is about 30 miles south of Hama. At least 12 civilians were killed and 40 injured."),
    ("short-c", "No numbers here."),
    ("short-d", "Floods destroyed 1,200 homes and displaced tens of thousands of residents, the UN said."),
]


@pytest.fixture(scope="module")
def documents() -> list[tuple[str, str]]:
    """(source_id, text): the seeds and a few short reports, sorted by source_id as a package orders them."""
    docs = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))] + SHORT
    return sorted(docs)


@pytest.fixture(scope="module")
def folder(tmp_path_factory, documents) -> Path:
    src = tmp_path_factory.mktemp("corpus")
    for sid, text in documents:
        (src / f"{sid}.txt").write_text(text, encoding="utf-8")
    return src


def frame(documents: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(documents, columns=["source_id", "text"])


# ---------------------------------------------------------------- --jobs

def test_extract_jobs_2_is_byte_identical_to_jobs_1(tmp_path: Path):
    src = tmp_path / "docs"
    src.mkdir()
    for i, p in enumerate(sorted(SEEDS.glob("*.txt")) * 2):
        shutil.copy(p, src / f"report-{i:02d}.txt")  # ten documents, each seed twice under new names
    one, two = tmp_path / "one" / "pkg", tmp_path / "two" / "pkg"
    assert cli.main(["extract", str(src), "--out", str(one), "--jobs", "1"]) == 0
    assert cli.main(["extract", str(src), "--out", str(two), "--jobs", "2"]) == 0
    assert tree_digest(one) == tree_digest(two)
    assert len(dfig.load("sources", path=one)) == 10


# ---------------------------------------------------------------- per-partition function

def test_partition_equals_the_package_extract_writes(folder: Path, documents, tmp_path: Path):
    out = tmp_path / "pkg"
    assert extract_folder(folder, out) == []
    written = tschema.read_table(out / "data" / "figures.csv", tschema.table_schema("figures"))
    pd.testing.assert_frame_equal(extract_partition(frame(documents)), written)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_split_into_partitions_gives_the_same_rows(documents, data):
    cuts = sorted(data.draw(st.sets(st.integers(1, len(documents) - 1), max_size=len(documents) - 1)))
    parts = [documents[a:b] for a, b in zip([0, *cuts], [*cuts, len(documents)], strict=True)]
    whole = extract_partition(frame(documents))
    pieces = pd.concat([extract_partition(frame(p)) for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(pieces, whole)


def test_partition_ignores_index_and_extra_columns(documents):
    df = frame(documents)
    shuffled = df.assign(url="x", other=1).set_index(pd.Index(range(100, 100 + len(df))))
    pd.testing.assert_frame_equal(extract_partition(shuffled), extract_partition(df))


def test_records_are_the_extractor_rows_in_schema_order(documents):
    names = [f["name"] for f in tschema.table_schema("figures")["fields"]]
    rows = list(extract_records(documents))
    expected = []
    for sid, text in documents:
        doc = sorted(extract_document(text, sid), key=lambda r: (r["char_start"], r["category"]))
        expected += [{n: r[n] for n in names} for r in doc]
    assert rows == expected
    assert all(list(r) == names for r in rows)


def test_records_are_lazy():
    def docs():
        yield SHORT[0]
        raise AssertionError("read past the first document")

    first = next(extract_records(docs()))
    assert first["source_id"] == "short-a" and first["quote"] == "Some 5,000 people fled"


def test_meta_and_spark_schema_follow_the_table_schema(documents):
    fields = tschema.table_schema("figures")["fields"]
    out = extract_partition(frame(documents))
    assert list(figures_meta().columns) == [f["name"] for f in fields] == list(out.columns)
    assert figures_meta().dtypes.equals(out.dtypes) and figures_meta().empty
    assert figures_meta(categories=False).dtypes.equals(extract_partition(frame(documents), categories=False).dtypes)
    assert "category" not in set(map(str, figures_meta(categories=False).dtypes))
    assert [c.split()[0].strip("`") for c in spark_schema().split(", ")] == [f["name"] for f in fields]
    types = {f["name"]: f.get("type", "string") for f in fields}
    assert "value` double" in spark_schema() and types["value"] == "number"


def test_empty_partition():
    out = extract_partition(frame([]))
    assert out.empty and out.dtypes.equals(figures_meta().dtypes)


# ---------------------------------------------------------------- the regex speed-up keeps the matches

def test_case_variants_are_what_the_regex_engine_matches():
    """dispatch() spells out the characters an ASCII character matches ignoring case; check them against re."""
    everything = "".join(map(chr, range(0x110000)))
    for code in range(32, 127):
        c = chr(code)
        found = sorted(m.group(0) for m in re.finditer(re.escape(c), everything, re.IGNORECASE))
        assert found == case_variants(c), (c, found)
    assert set(CASE_FOLDS) == {"i", "k", "s"}


@pytest.mark.parametrize("flags", [re.IGNORECASE, 0])
def test_dispatch_matches_like_the_plain_alternation(flags):
    words = ["displaced", "Displacement camp", "killed", "kilometres", "Kelvin", "sheltered", "ſome", "é-word",
             "'quoted", "’curly", "idps", "IDP", "a", "an", "another", "x?y", "1000s", "100"]
    frags = [re.escape(w) for w in words]
    alternatives = [(f, {w[0]}) for f, w in zip(frags, words, strict=True)]
    plain = re.compile("(?:" + "|".join(frags) + ")", flags)
    fast = re.compile("(?:" + dispatch(alternatives, ignorecase=bool(flags)) + ")", flags)
    text = " ".join(words + [w.upper() for w in words] + [w.swapcase() for w in words]
                    + ["\u212ailled", "İdps", "ıdp", "ſheltered", "DİSPLACED", "anothe", "a1000s", "É-WORD"])
    for pos in range(len(text)):
        a, b = plain.match(text, pos), fast.match(text, pos)
        assert (a and a.span()) == (b and b.span()), (pos, text[pos:pos + 12])
    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)]


def test_the_terms_pattern_matches_like_the_plain_alternation():
    """The vocabulary's own terms, as the extractor compiles them (grouped by letter), in three cases each."""
    from displacement_figures.extract import vocabulary

    phrases = sorted(set(vocabulary.load().terms), key=lambda p: (-len(p), p))
    plain = re.compile("(?:" + "|".join(vocabulary.phrase_regex(p) for p in phrases) + ")", re.IGNORECASE)
    fast = re.compile("(?:" + vocabulary._alternation(phrases) + ")", re.IGNORECASE)
    words = [" ".join(token.split("|")[pick].replace("*", "ing") for token in p.split())
             for p in phrases for pick in (0, -1)]  # the first and the last alternative of each word
    text = " ".join(words + [w.upper() for w in words] + [w.swapcase() for w in words])
    for pos in range(len(text)):
        a, b = plain.match(text, pos), fast.match(text, pos)
        assert (a and a.span()) == (b and b.span()), (pos, text[pos:pos + 24])


# Strings near the words these shortcuts look for, in every case the engine folds together, with white space and
# word characters around them.
_NEAR = st.text(alphabet=st.sampled_from(list("aAgGeEdDsSſjJnNuUrRyYoOfFtThHiIİıkK.$£ \n\t\u00a0-_9’'")), max_size=24)


@given(_NEAR, st.sampled_from(["aged", "AGED", "Jan", "jan.", "septiembre.", "US$", "rs", "Rs.", "no.", "nº", "n°",
                               "H5N1", "art.", "covid", "€", "ſars", "Article", "mAy"]), _NEAR)
def test_reversed_before_check_is_the_forward_regex(prefix, word, suffix):
    """mentions._rejected_before reads the text before a number backwards; it must agree with the forward regex."""
    forward = re.compile(r"(?:\b(?:" + mentions.MONTHS + r")|\b(?:" + mentions._MONTH_ABBREVIATIONS + r")\.|[$£€¥]|"
                         r"\b(?:" + mentions._BEFORE_WORDS + r"))[^\S\n]*\Z", re.IGNORECASE)  # a heading ends at its line
    for before in (prefix, prefix + word + suffix, prefix + word, word + suffix):
        assert mentions._rejected_before(before) == bool(forward.search(before)), before


@given(_NEAR, st.sampled_from(["its ", "ITS\t", "ıts ", "itſ  ", "their ", "THEİR ", "city of ", "a town  of\n",
                               "Its", "of", "Of "]), st.sampled_from(["", " ", "\n\n"]))
def test_population_of_guard_keeps_the_regex_answer(prefix, word, suffix):
    for before in (prefix, prefix + word + suffix, word + suffix):
        assert classify._population_of(before) == bool(classify._POPULATION_OF.search(before)), before


@given(st.text(alphabet=st.sampled_from(list("aAbBMcDZ ’'-_9\n")), max_size=40))
def test_first_capitals_changes_text_only_where_a_word_has_a_second_capital(sent):
    assert (context._first_capitals(sent) != sent) == bool(context._INNER_CAPITAL.search(sent))


@given(st.text(alphabet=st.sampled_from(list("ab.Z_9 )\"'”’]-é\n²")), max_size=30), st.data())
def test_abbreviation_read_backwards_is_the_regex(text, data):
    """text._Piece.abbreviation reads the word before a final "." backwards; it must agree with the regex it replaced."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    i = end
    while i > start and text[i - 1] in "\"'”’)]":
        i -= 1
    m = re.search(r"([\w.]+)\.$", text[max(start, i - _TAIL):i])
    assert _Piece(text, start).abbreviation(end) == (m.group(1) if m else None)
