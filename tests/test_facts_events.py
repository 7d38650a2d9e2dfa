"""Facts per event, not per folder: unrelated documents in one extract folder never share a fact unless they
state the same place; ``--one-event`` and a sources.csv ``event`` column join them; one document is never a
conflict with itself (``revised``, ``inconsistent_within_source``)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import displacement_figures as dfig
from displacement_figures.cli import main
from displacement_figures.extract.build import extract_folder
from displacement_figures.extract.reconcile import reconcile

# Three crises that say where they are only in a sentence without figures: their figures state no place.
UNRELATED = {
    "japan": "A magnitude 7.5 earthquake struck central Japan on Monday. At least 62 people were killed and some "
             "31,000 people were evacuated, officials said.\n",
    "kenya": "Heavy rains have battered Kenya since March. At least 70 people were killed and some 13,000 people "
             "were evacuated, the government said.\n",
    "gaza": "Israeli strikes continued overnight. At least 40 people were killed and some 2,000 people were "
            "evacuated, the health ministry said.\n",
}
SAME_PLACE = {
    "dadu-a": "Floodwaters kept rising. Some 133,000 people were displaced in Dadu, officials said.\n",
    "dadu-b": "Relief agencies scaled up their response as about 133,000 people were displaced in Dadu.\n",
}


def _folder(tmp_path: Path, docs: dict[str, str], events: dict[str, str] | None = None) -> Path:
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in docs.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    if events is not None:
        with open(src / "sources.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["source_id", "event"])
            w.writerows(sorted(events.items()))
    return src


def _extract(tmp_path: Path, docs: dict[str, str], events: dict[str, str] | None = None,
             one_event: bool = False) -> dict[str, pd.DataFrame]:
    out = tmp_path / "out"
    assert extract_folder(_folder(tmp_path, docs, events), out, one_event=one_event) == []
    return {n: dfig.load(n, path=out) for n in ("facts", "fact_figures", "figures", "sources")}


def _sources_per_fact(tables) -> pd.Series:
    return tables["fact_figures"].groupby("fact_id")["source_id"].nunique()


def test_unrelated_documents_in_one_folder_never_share_a_fact(tmp_path: Path):
    t = _extract(tmp_path, UNRELATED)
    assert (t["figures"]["location"].isna()).all()  # nothing but the event tells them apart
    assert (_sources_per_fact(t) == 1).all()
    assert len(t["facts"]) == 6 and set(t["facts"]["status"]) == {"single_source"}
    assert t["sources"]["event"].isna().all()


def test_documents_that_state_the_same_place_share_a_fact(tmp_path: Path):
    t = _extract(tmp_path, SAME_PLACE)
    f = t["facts"]
    assert len(f) == 1 and f.iloc[0]["location"] == "Dadu" and f.iloc[0]["n_sources"] == 2
    assert f.iloc[0]["status"] == "agree"


def test_one_event_joins_figures_that_state_no_place(tmp_path: Path):
    t = _extract(tmp_path, UNRELATED, one_event=True)
    assert len(t["facts"]) == 2 and (_sources_per_fact(t) == 3).all()
    assert set(t["sources"]["event"]) == {"docs"}  # the folder's name


def test_one_event_on_the_command_line(tmp_path: Path, capsys):
    src = _folder(tmp_path, UNRELATED)
    assert main(["extract", str(src), "--out", str(tmp_path / "out"), "--one-event"]) == 0
    assert len(dfig.load("facts", path=tmp_path / "out")) == 2


def test_an_event_column_groups_documents(tmp_path: Path):
    docs = dict(UNRELATED, **{"japan-later": UNRELATED["japan"].replace("62", "64")})
    t = _extract(tmp_path, docs, events={"japan": "Noto earthquake", "japan-later": "Noto earthquake"})
    joined = _sources_per_fact(t)
    assert (joined == 2).sum() == 2 and (joined == 1).sum() == 4  # Japan's two facts hold both Japan documents
    links = t["fact_figures"]
    for fact_id in joined[joined == 2].index:
        assert set(links.loc[links["fact_id"] == fact_id, "source_id"]) == {"japan", "japan-later"}
    events = t["sources"].set_index("source_id")["event"]
    assert events["japan"] == "Noto earthquake" and pd.isna(events["kenya"])


# ---------------------------------------------------------------- one document, two values

def _row(n: int, source: str, value: float, sentence: str, quote: str) -> dict:
    start = sentence.index(quote)
    return {"figure_id": f"F{n:012x}", "source_id": source, "category": "casualties", "term": "killed",
            "group": None, "value": value, "value_low": value, "value_high": None, "unit": "person",
            "qualifier": "exact", "modality": "observed", "location": None, "origin": None, "destination": None,
            "reference_period": None, "quote": quote, "sentence": sentence, "sentence_start": 100 * n,
            "char_start": 100 * n + start, "char_end": 100 * n + start + len(quote)}


def _status(*rows: dict) -> str:
    facts, _ = reconcile([{"source_id": s, "event": "e"} for s in sorted({x["source_id"] for x in rows})], rows)
    assert len(facts) == 1
    return facts[0]["status"]


EARLY = "Twelve people were killed in the blast."
LATER = "The death toll has since risen to 19."
OTHER = "Officials said 19 people were killed."


@pytest.mark.parametrize("rows, status", [
    ([(1, "a", 12, EARLY, "Twelve people were killed"), (2, "a", 19, OTHER, "19 people were killed")],
     "inconsistent_within_source"),
    ([(1, "a", 12, EARLY, "Twelve people were killed"), (2, "a", 19, LATER, "19")], "revised"),
    ([(1, "a", 12, EARLY, "Twelve people were killed"), (2, "a", 19, LATER, "19"),
      (3, "b", 19, OTHER, "19 people were killed")], "revised"),  # b matches a's later statement
    ([(1, "a", 12, EARLY, "Twelve people were killed"), (2, "a", 19, OTHER, "19 people were killed"),
      (3, "b", 40, OTHER.replace("19", "40"), "40 people were killed")], "conflict"),  # b matches nothing a says
    ([(1, "a", 12, EARLY, "Twelve people were killed"), (2, "b", 19, OTHER, "19 people were killed")], "conflict"),
    ([(1, "a", 19, OTHER, "19 people were killed"), (2, "a", 19, OTHER, "19 people were killed")],
     "single_source"),
])
def test_one_document_is_never_a_conflict_with_itself(rows, status):
    assert _status(*(_row(*r) for r in rows)) == status
