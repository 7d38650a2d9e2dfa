"""Golden test: every figure in every seed report, as read by hand.

The expectations in golden/syria-2024-12.expected.json were written from the
texts, not copied from the extractor, so this test says whether the
extractor reads the seeds as a person does, and that it reports nothing more.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from displacement_figures.extract.figures import extract_document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "syria-2024-12"
EXPECTED = json.loads((Path(__file__).with_name("golden") / "syria-2024-12.expected.json").read_text(encoding="utf-8"))
CHECKED = ("term", "unit", "qualifier", "value", "value_low", "value_high", "location", "origin", "destination",
           "attributed_to", "modality", "group", "reference_period")


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        out[path.stem] = extract_document(path.read_bytes().decode("utf-8"), path.stem)
    return out


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-3 * max(1.0, abs(float(b)))


@pytest.mark.parametrize("expected", EXPECTED["figures"], ids=lambda e: f"{e['source_id'][:3]}-{e['quote'][:30]}")
def test_each_seed_figure_is_extracted(rows, expected):
    cands = [r for r in rows[expected["source_id"]]
             if r["category"] == expected["category"] and expected["quote"] in r["quote"]]
    assert cands, f"not extracted: {expected['quote']!r}"
    cands.sort(key=lambda r: (not r["quote"].startswith(expected["quote"]), r["char_start"]))
    row = cands[expected.get("occurrence", 0)]
    for key in CHECKED:
        if key not in expected:
            continue
        if key.startswith("value"):
            assert _close(row[key], expected[key]), f"{key}: {row[key]!r} != {expected[key]!r}"
        else:
            assert row[key] == expected[key], f"{key}: {row[key]!r} != {expected[key]!r}"


def test_no_figure_beyond_the_golden_list(rows):
    for source_id, found in rows.items():
        wanted = [e for e in EXPECTED["figures"] if e["source_id"] == source_id]
        assert len(found) == len(wanted), (source_id, [r["quote"] for r in found])


def test_every_quote_is_its_span():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        for r in extract_document(text, path.stem):
            assert text[r["char_start"]:r["char_end"]] == r["quote"]
            assert text[r["sentence_start"]:r["sentence_end"]] == r["sentence"]
            assert r["sentence_start"] <= r["char_start"] < r["char_end"] <= r["sentence_end"]


def test_homs_hama_claims_disagree_and_are_all_recorded(rows):
    """The outlets say 30 miles, 46 km and 40 km: the dataset keeps every claim."""
    pairs = [r for rs in rows.values() for r in rs
             if r["category"] == "distance" and {r["origin"], r["destination"]} == {"Homs", "Hama"}]
    assert sorted(round(r["value"], 2) for r in pairs) == [40.0, 40.0, 46.0, 48.28]
