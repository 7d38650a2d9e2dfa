"""Claims reconciled into facts: the seed expectations of the issue, the rules on synthetic claims, corrections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import displacement_figures as dfig
from displacement_figures import schema as tschema
from displacement_figures.extract.build import BuildError, build_collection
from displacement_figures.extract.reconcile import measure_of, period_key, reconcile

from conftest import COLLECTION


@pytest.fixture(scope="module")
def tables(built: Path) -> dict[str, pd.DataFrame]:
    return {n: dfig.load(n, path=built) for n in ("figures", "facts", "fact_figures", "corrections", "sources")}


def _fact_of(tables, **where) -> pd.Series:
    facts = tables["facts"]
    mask = pd.Series(True, index=facts.index)
    for k, v in where.items():
        mask &= facts[k].isna() if v is None else facts[k].astype("string") == v
    assert mask.sum() == 1, (where, facts[mask])
    return facts[mask].iloc[0]


def test_homs_hama_distance_is_a_conflict(tables):
    f = _fact_of(tables, category="distance", origin="Hama", destination="Homs")
    assert f["status"] == "conflict" and f["n_sources"] == 3 and f["n_figures"] == 4
    assert f["low"] == pytest.approx(40) and f["high"] == pytest.approx(48.3, abs=0.05)
    assert f["best"] == 46 and f["estimate"] == "median_of_sources" and f["unit"] == "km"


def test_280000_agree_across_three_sources(tables):
    f = _fact_of(tables, category="displacement", term="displaced", modality="observed")
    assert (f["best"], f["low"], f["high"]) == (280000, 280000, 280000)
    assert f["status"] == "agree" and f["n_sources"] == 3 and f["measure"] == "flow"
    assert f["reference_period"] == "P7D/2024-12-06"


def test_thousands_against_tens_of_thousands_fleeing_homs(tables):
    f = _fact_of(tables, category="displacement", term="forced_to_flee", location="Homs", group=None)
    assert f["status"] == "conflict" and pd.isna(f["best"]) and f["estimate"] == "bounds_only"
    assert (f["low"], f["high"]) == (2000, 99999) and f["n_sources"] == 5


def test_projection_never_merged_with_observation(tables):
    claims = tables["fact_figures"].merge(tables["figures"], on=["figure_id", "source_id"])
    facts = tables["facts"].set_index("fact_id")
    for fact_id, group in claims.groupby("fact_id"):
        assert group["modality"].nunique() == 1 and group["modality"].iloc[0] == facts.loc[fact_id, "modality"]
        assert group["measure"].nunique(dropna=False) == 1
        assert group["term"].nunique() == 1 and group["unit"].nunique() == 1
    projected = _fact_of(tables, category="displacement", term="displaced", modality="projected")
    assert projected["best"] == 1_500_000 and projected["status"] == "consistent"


def test_every_displacement_fact_is_a_flow_or_a_stock(tables):
    facts = tables["facts"]
    displacement = facts["category"] == "displacement"
    assert facts.loc[displacement, "measure"].notna().all()
    assert facts.loc[~displacement, "measure"].isna().all()


def test_every_figure_in_exactly_one_fact_unless_excluded(tables):
    links, figures, corrections = tables["fact_figures"], tables["figures"], tables["corrections"]
    excluded = set(corrections.loc[corrections["action"] == "exclude", "figure_id"])
    assert links["figure_id"].is_unique
    assert set(links["figure_id"]) == set(figures["figure_id"]) - excluded
    counts = links.groupby("fact_id").size()
    facts = tables["facts"].set_index("fact_id")
    assert (counts == facts.loc[counts.index, "n_figures"]).all()
    assert set(facts.index) == set(counts.index)


def test_corrections_are_published_with_their_reasons(tables):
    corrections, links = tables["corrections"], tables["fact_figures"]
    assert len(corrections) >= 1 and corrections["reason"].str.len().gt(20).all()
    corrected = links.dropna(subset=["correction"])
    assert set(corrected["figure_id"]) == set(corrections["figure_id"])
    assert (tables["facts"]["grouping"] == "corrected").any()


def test_facts_load_typed(built: Path):
    df = dfig.load("facts", path=built)
    assert str(df["best"].dtype) == "Float64" and str(df["n_sources"].dtype) == "Int64"
    assert isinstance(df["status"].dtype, pd.CategoricalDtype)
    tschema.pandera_schema("facts").validate(df)


# ---------------------------------------------------------------- corrections that went stale

def _rebuild(seeds: Path, corrections: str) -> Path:
    (seeds / "corrections.csv").write_text(corrections, encoding="utf-8")
    return build_collection(seeds, seeds.parent.parent / "datasets" / COLLECTION)


HEADER = "figure_id,action,field,value,reason\n"


def test_a_correction_for_a_missing_figure_fails_the_build(seeds_copy: Path):
    with pytest.raises(BuildError, match=r"row 2: figure F000000000000 no longer exists"):
        _rebuild(seeds_copy, HEADER + "F000000000000,exclude,,,a figure that was never extracted\n")
    assert not (seeds_copy.parent.parent / "datasets" / COLLECTION).exists()


def test_a_correction_that_changes_nothing_fails_the_build(seeds_copy: Path, tables):
    fig = tables["figures"].dropna(subset=["location"]).iloc[0]
    with pytest.raises(BuildError, match="changes nothing"):
        _rebuild(seeds_copy, HEADER + f"{fig['figure_id']},set,location,{fig['location']},already so\n")


@pytest.mark.parametrize("row, message", [
    ("F000000000000,drop,,,why", "field action"),
    ("F000000000000,exclude,,,", "needs a reason"),
    ("F000000000000,set,colour,red,why", "field field"),
    ("F000000000000,join,,,why", "needs the figure id"),
    ("not-an-id,exclude,,,why", "not a figure id"),
])
def test_malformed_corrections_are_refused(seeds_copy: Path, row: str, message: str):
    with pytest.raises(BuildError, match=message):
        _rebuild(seeds_copy, HEADER + row + "\n")


def test_exclude_and_join(seeds_copy: Path, tables):
    figures = tables["figures"]
    killed = figures[figures["term"] == "killed"].sort_values("figure_id")
    a, b = killed["figure_id"].iloc[0], killed["figure_id"].iloc[1]
    out = _rebuild(seeds_copy, HEADER + f"{a},exclude,,,test exclusion\n")
    assert a not in set(dfig.load("fact_figures", path=out)["figure_id"])
    shutil.rmtree(out)
    out = _rebuild(seeds_copy, HEADER + f"{a},join,,{b},test join\n")
    links = dfig.load("fact_figures", path=out).set_index("figure_id")
    assert links.loc[a, "fact_id"] == links.loc[b, "fact_id"]


# ---------------------------------------------------------------- the rules on synthetic claims

def _row(n: int, source: str, **kw) -> dict:
    quote = kw.pop("quote", "some 280,000 people")
    sentence = kw.pop("sentence", quote)
    row = {"figure_id": f"F{n:012x}", "source_id": source, "category": "displacement", "term": "displaced",
           "group": None, "value": None, "value_low": None, "value_high": None, "unit": "person",
           "qualifier": "exact", "modality": "observed", "location": None, "origin": None, "destination": None,
           "reference_period": None, "quote": quote, "sentence": sentence, "sentence_start": 0,
           "char_start": sentence.index(quote), "char_end": sentence.index(quote) + len(quote)}
    row.update(kw)
    if row["qualifier"] in ("exact", "approximate") and row["value"] is not None:
        row["value_low"] = row["value_low"] if row["value_low"] is not None else row["value"]
    return row


def _facts(rows, sources=("a", "b", "c", "d"), corrections=()):
    """Facts of synthetic claims, all of one event (as in a curated collection)."""
    return reconcile([{"source_id": s, "published": "2024-12-06", "outlet": s.upper(), "event": "e"} for s in sources],
                     rows, list(corrections))


def test_at_least_and_a_value_are_consistent():
    facts, _ = _facts([_row(1, "a", category="casualties", term="killed", qualifier="at_least", value=100,
                            value_low=100),
                       _row(2, "b", category="casualties", term="killed", value=826)])
    assert len(facts) == 1 and facts[0]["status"] == "consistent"
    assert (facts[0]["best"], facts[0]["low"], facts[0]["high"]) == (826, 826, 826)


def test_rounding_agrees_but_different_values_conflict():
    facts, _ = _facts([_row(1, "a", value=280000, qualifier="approximate"), _row(2, "b", value=279500)])
    assert facts[0]["status"] == "agree"
    facts, _ = _facts([_row(1, "a", value=40, category="distance", term="distance", unit="km", origin="Homs",
                            destination="Hama"),
                       _row(2, "b", value=46, category="distance", term="distance", unit="km", origin="Hama",
                            destination="Homs")])
    assert len(facts) == 1 and facts[0]["status"] == "conflict"
    assert (facts[0]["best"], facts[0]["low"], facts[0]["high"]) == (40, 40, 46)  # the lower middle of two


def test_vague_quantities_keep_their_bounds_and_no_best():
    tens = {"qualifier": "vague", "value_low": 20000, "value_high": 99999}
    facts, _ = _facts([_row(1, "a", **tens), _row(2, "b", **tens)])
    assert facts[0]["status"] == "agree" and facts[0]["best"] is None
    assert (facts[0]["low"], facts[0]["high"]) == (20000, 99999)


def test_an_unstated_place_joins_the_only_fact_that_states_one():
    facts, _ = _facts([_row(1, "a", value=5000, location="Homs"), _row(2, "b", value=5000)])
    assert len(facts) == 1 and facts[0]["grouping"] == "joined_unstated" and facts[0]["location"] == "Homs"
    facts, _ = _facts([_row(1, "a", value=5000, location="Homs"), _row(2, "b", value=5000, location="Hama"),
                       _row(3, "c", value=5000)])
    assert len(facts) == 3  # two candidates: the claim stays on its own


def test_groups_places_periods_terms_and_stocks_split_facts():
    facts, _ = _facts([_row(1, "a", value=10, group="civilians"), _row(2, "b", value=10, group="residents"),
                       _row(3, "c", value=10, term="evacuated"), _row(4, "d", value=10, modality="projected")])
    assert len(facts) == 4
    stock = "people remain displaced in camps"
    facts, _ = _facts([_row(1, "a", value=10, quote="10 people", sentence="10 people remain displaced"),
                       _row(2, "b", value=10, quote="10 people", sentence="10 people fled on Monday")])
    assert sorted(f["measure"] for f in facts) == ["flow", "stock"]
    assert measure_of(_row(9, "a", quote="10 people", sentence="10 " + stock)) == "stock"


@pytest.mark.parametrize("text, key", [
    ("in a week", "P7D/2024-12-06"), ("in the past week", "P7D/2024-12-06"), ("over the past three days", "P3D/2024-12-06"),
    ("in two months", "P2M/2024-12-06"), ("on Thursday", "on thursday"), (None, None),
])
def test_period_keys(text, key):
    assert period_key(text, "2024-12-06") == key


def test_distance_ends_are_an_unordered_pair_and_forces_are_named_by_kind():
    dist = {"category": "distance", "term": "distance", "unit": "km", "value": 5}
    facts, _ = _facts([_row(1, "a", origin="HTS fighters", destination="Homs", **dist),
                       _row(2, "b", origin="rebels", destination="Homs", **dist),
                       _row(3, "c", origin="Homs", destination="insurgents", **dist)])
    assert len(facts) == 1 and facts[0]["status"] == "agree"
    assert (facts[0]["origin"], facts[0]["destination"]) == ("armed groups", "Homs")


def test_a_distance_fact_left_naming_one_end_still_shows_both():
    """A claim naming one end joins the fact naming both; a correction then moves the claim naming both to another
    fact: the fact keeps its two places, the one no claim names now shown as compared (it raised KeyError)."""
    def distance(n, source, **kw):
        return _row(n, source, category="distance", term="distance", unit="km", value=48, quote="30 miles", **kw)

    rows = [distance(1, "a", origin="Homs", destination="Hama"), distance(2, "b", origin="Homs"),
            distance(3, "c", origin="Idlib", destination="Aleppo")]
    facts, _ = _facts(rows)
    assert len(facts) == 2
    join = {"figure_id": "F000000000001", "action": "join", "field": None, "value": "F000000000003",
            "reason": "test", "_where": "corrections.csv: row 2"}
    facts, _ = _facts(rows, corrections=[join])
    left = next(f for f in facts if f["n_figures"] == 1 and f["claims"].startswith("30 miles (B)"))
    assert {left["origin"], left["destination"]} == {"Homs", "hama"}
