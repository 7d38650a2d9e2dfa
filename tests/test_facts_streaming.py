"""Reconciliation streams: claims wait on disk by partition (extract/spill.py), facts come out one partition at a
time in the facts' order, and a correction that joins two partitions still lands where it says."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

import displacement_figures as dfig
from displacement_figures.extract.build import extract_folder
from displacement_figures.extract.reconcile import CATEGORY_ORDER, reconcile
from displacement_figures.extract.spill import Spill


def test_spill_gives_back_each_partition_in_order_and_leaves_nothing(tmp_path: Path):
    spill = Spill(tmp_path / "spill")
    records = {("a", 1): [("x", 1, 2.5, None, True, ("p", None))], ("b", 0): []}
    for n in range(1000):
        rec = (f"F{n}", n, n / 3, None, n % 2 == 0, (f"place {n}", None), "é" * (n % 7))
        key = ("a", 1) if n % 3 else ("b", 0)
        records[key].append(rec)
    spill.add(("a", 1), records[("a", 1)][0])
    for key in (("a", 1), ("b", 0)):
        for rec in records[key][1 if key == ("a", 1) else 0:]:
            spill.add(key, rec)
    assert spill.keys() == [("a", 1), ("b", 0)]
    for key, recs in records.items():
        assert list(spill.read(key)) == recs
        assert list(spill.read(key)) == recs  # read twice: the same
    assert list(spill.read("never")) == []
    spill.close()
    assert not (tmp_path / "spill").exists()


def test_spill_gives_back_every_value_with_its_type(tmp_path: Path):
    spill = Spill(tmp_path / "spill")
    record = (0.1 + 0.2, 1e300, 5e-324, -0.0, math.inf, 2**70, -(2**63), 7, True, False, None, "", "é\u2028\x00",
              ("Aleppo", None, 48.28))
    spill.add("k", record)
    (back,) = spill.read("k")
    assert back == record and [type(v) for v in back] == [type(v) for v in record]
    assert math.copysign(1, back[3]) == -1 and math.isnan(next(iter(_spilled(tmp_path, math.nan))))
    spill.close()


def _spilled(tmp_path: Path, value: float) -> list[float]:
    spill = Spill(tmp_path / "nan")
    spill.add("k", (value,))
    (back,) = spill.read("k")
    spill.close()
    return list(back)


def _row(n: int, source: str, category: str, term: str, value: float, location: str | None = None) -> dict:
    quote = f"{int(value)} people"
    return {"figure_id": f"F{n:012x}", "source_id": source, "category": category, "term": term, "group": None,
            "value": value, "value_low": value, "value_high": None, "unit": "person", "qualifier": "exact",
            "modality": "observed", "location": location, "origin": None, "destination": None,
            "reference_period": None, "quote": quote, "sentence": quote, "sentence_start": 0, "char_start": 0,
            "char_end": len(quote)}


def _order(fact: dict) -> tuple:
    return CATEGORY_ORDER.get(fact["category"], 9), fact["term"], fact["modality"], -fact["n_sources"], fact["fact_id"]


SOURCES = [{"source_id": s, "published": "2024-12-06", "outlet": s.upper(), "event": "e"} for s in "abc"]
ROWS = [_row(1, "a", "displacement", "displaced", 500, "Homs"), _row(2, "b", "casualties", "killed", 12),
        _row(3, "c", "casualties", "killed", 12), _row(4, "a", "population", "population", 9000, "Homs"),
        _row(5, "b", "displacement", "displaced", 700, "Hama"), _row(6, "c", "displacement", "evacuated", 80)]


def test_facts_come_in_order_across_partitions():
    facts, links = reconcile(SOURCES, ROWS)
    assert facts == sorted(facts, key=_order)
    assert [f["category"] for f in facts] == ["displacement", "displacement", "displacement", "casualties",
                                              "population"]
    assert {r["figure_id"] for r in links} == {r["figure_id"] for r in ROWS}
    fact_rank = {f["fact_id"]: i for i, f in enumerate(facts)}
    assert links == sorted(links, key=lambda r: (fact_rank[r["fact_id"]], r["source_id"], r["figure_id"]))


def test_a_join_across_partitions_moves_the_claim_and_keeps_the_order():
    join = {"figure_id": "F000000000002", "action": "join", "field": None, "value": "F000000000001",
            "reason": "the same count, worded as deaths", "_where": "corrections.csv: row 2"}
    exclude = {"figure_id": "F000000000006", "action": "exclude", "field": None, "value": None,
               "reason": "not this crisis", "_where": "corrections.csv: row 3"}
    facts, links = reconcile(SOURCES, ROWS, [join, exclude])
    by_figure = {r["figure_id"]: r for r in links}
    assert by_figure["F000000000002"]["fact_id"] == by_figure["F000000000001"]["fact_id"]
    assert by_figure["F000000000002"]["correction"] == "join: the same count, worded as deaths"
    assert "F000000000006" not in by_figure
    assert facts == sorted(facts, key=_order)
    joined = next(f for f in facts if f["fact_id"] == by_figure["F000000000001"]["fact_id"])
    assert joined["grouping"] == "corrected" and joined["n_figures"] == 2


def test_extract_streams_sources_and_leaves_no_claims_behind(tmp_path: Path):
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in {"b-report": "Some 2,000 people were displaced in Homs.\n",
                       "a-report": "At least 40 people were killed in Hama.\n"}.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert extract_folder(src, out) == []
    assert list(dfig.load("sources", path=out)["source_id"]) == ["a-report", "b-report"]
    assert len(dfig.load("facts", path=out)) == 2
    assert not any(p.name.startswith(".claims") for p in out.rglob("*"))
    assert isinstance(dfig.load("fact_figures", path=out), pd.DataFrame)
