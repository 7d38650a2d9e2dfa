"""Review decisions (review.csv, added.csv): applied to the rows, published, and refused when stale or wrong.

The rules are tested on one small real-looking document (fast); one end-to-end build proves the package
carries the statuses, leaves rejected figures out of every table and validates.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import displacement_figures as dfig
from displacement_figures.extract.build import BuildError, build_collection, extract_folder
from displacement_figures.extract.decisions import (
    ADDED_FILE,
    REVIEW_FILE,
    DecisionError,
    Review,
    added_columns,
    decision_columns,
)
from displacement_figures.extract.figures import extract_document, figure_id

TEXT = ("About 5,000 people fled Homs on Friday, the UN said. At least 30 civilians were killed in Hama. "
        "The town of Talbiseh has 20,000 residents. The convoy carried 400 passengers north.")
SID = "doc"
ROWS = {r["value_as_written"]: r for r in extract_document(TEXT, SID)}
FLED, KILLED, POP = ROWS["5,000"]["figure_id"], ROWS["30"]["figure_id"], ROWS["20,000"]["figure_id"]


def _write(folder: Path, name: str, columns, rows) -> Path:
    with open(folder / name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)
    return folder / name


def _added(**fields) -> list[str]:
    """An added.csv row: the 400 passengers evacuated, which the test states in full; ``fields`` override."""
    start = TEXT.index("The convoy carried 400 passengers")
    quote = "The convoy carried 400 passengers"
    row = {"source_id": SID, "category": "displacement", "term": "evacuated", "group": "", "value": "400",
           "value_low": "400", "value_high": "400", "unit": "person", "qualifier": "exact",
           "modality": "observed", "value_as_written": "400", "unit_as_written": "passengers", "location": "",
           "origin": "", "destination": "", "reference_period": "", "attributed_to": "", "quote": quote,
           "char_start": str(start), "char_end": str(start + len(quote)),
           "reason": "'The convoy carried 400 passengers north': people evacuated."}
    row.update({k: str(v) for k, v in fields.items()})
    return [row[c] for c in added_columns()]


def _review(tmp_path: Path, lines=(), added=()) -> Review:
    if lines:
        _write(tmp_path, REVIEW_FILE, decision_columns(), lines)
    if added:
        _write(tmp_path, ADDED_FILE, added_columns(), added)
    return Review(tmp_path)


def _applied(tmp_path: Path, lines=(), added=()) -> tuple[list[dict], list[dict]]:
    review = _review(tmp_path, lines, added)
    rows = review.apply(SID, TEXT, [dict(r) for r in extract_document(TEXT, SID)])
    return rows, review.finish()


def _refused(tmp_path: Path, lines=(), added=()) -> str:
    with pytest.raises(DecisionError) as e:
        _applied(tmp_path, lines, added)
    return str(e.value)


# ---------------------------------------------------------------- applied

def test_verify_fix_reject_add(tmp_path: Path):
    rows, published = _applied(tmp_path, [
        [FLED, "fix", "location", "Homs city", "'fled Homs': the city, not the governorate."],
        [KILLED, "verify", "", "", "'At least 30 civilians were killed in Hama': as extracted."],
        [POP, "reject", "", "", "Not reviewed for this test."],
    ], [_added()])
    by_id = {r["figure_id"]: r for r in rows}
    assert by_id[FLED]["location"] == "Homs city" and by_id[FLED]["review"] == "corrected"
    assert by_id[FLED]["review_reason"] == "location: 'fled Homs': the city, not the governorate."
    assert by_id[KILLED]["review"] == "verified" and POP not in by_id
    added = next(r for r in rows if r["review"] == "added")
    start = TEXT.index("400")
    assert added["figure_id"] == figure_id(SID, start, start + 3, "displacement")
    assert TEXT[added["char_start"]:added["char_end"]] == added["quote"] and added["value"] == 400
    assert TEXT[added["sentence_start"]:added["sentence_end"]] == "The convoy carried 400 passengers north."
    assert [r["char_start"] for r in rows] == sorted(r["char_start"] for r in rows)
    assert [(d["figure_id"], d["decision"]) for d in published] == [
        (FLED, "fix"), (KILLED, "verify"), (POP, "reject"), (added["figure_id"], "add")]


def test_fixes_of_several_fields_are_one_correction(tmp_path: Path):
    rows, _ = _applied(tmp_path, [
        [KILLED, "fix", "value", "31", "The text says 31."],
        [KILLED, "fix", "value_low", "31", "The text says 31."],
        [KILLED, "fix", "group", "", "Civilians only in this sentence."],
    ])
    row = next(r for r in rows if r["figure_id"] == KILLED)
    assert (row["value"], row["value_low"], row["group"], row["review"]) == (31, 31, None, "corrected")


def test_no_decisions_leave_every_row_extracted(tmp_path: Path):
    rows, published = _applied(tmp_path)
    assert {r["review"] for r in rows} == {"extracted"} and published == []


# ---------------------------------------------------------------- refused, naming file, line and field

def test_a_decision_for_a_missing_figure(tmp_path: Path):
    msg = _refused(tmp_path, [[KILLED, "verify", "", "", "ok"], ["F000000000000", "verify", "", "", "ok"]])
    assert f"{tmp_path / REVIEW_FILE}: line 3, field figure_id: figure F000000000000 no longer exists" in msg


def test_a_fix_that_changes_nothing(tmp_path: Path):
    msg = _refused(tmp_path, [[KILLED, "fix", "value", "30.0", "It says 30."]])
    assert f"{REVIEW_FILE}: line 2, field value: figure {KILLED} already has value 30" in msg
    assert "changes nothing" in msg


def test_an_added_span_that_is_not_the_text(tmp_path: Path):
    msg = _refused(tmp_path, added=[_added(quote="The convoy carried 500 passengers")])
    assert f"{ADDED_FILE}: line 2, field quote: 'The convoy carried 500 passengers' is not the text at" in msg
    msg = _refused(tmp_path, added=[_added(char_end=10_000)])
    assert "line 2, field char_end: " in msg and "is not a span of the document" in msg
    msg = _refused(tmp_path, added=[_added(value_as_written="four hundred")])
    assert "line 2, field value_as_written: 'four hundred' is not in the quote" in msg


def test_an_added_figure_the_extractor_has(tmp_path: Path):
    start = TEXT.index("At least 30")
    msg = _refused(tmp_path, added=[_added(category="casualties", term="killed", unit="person", value=30,
                                           value_low=30, value_high="", qualifier="at_least", value_as_written=30,
                                           quote="At least 30", char_start=start, char_end=start + 11)])
    assert f"line 2, field quote: the extractor already has this figure ({KILLED})" in msg


def test_added_to_a_document_not_in_the_collection(tmp_path: Path):
    msg = _refused(tmp_path, added=[_added(source_id="elsewhere")])
    assert "line 2, field source_id: no document 'elsewhere'" in msg


@pytest.mark.parametrize(("line", "field", "message"), [
    ([KILLED, "fix", "term", "bogus", "r"], "term", "'bogus' is not one of"),
    ([KILLED, "fix", "term", "displaced", "r"], "term", "counts displacement, but the figure is casualties"),
    ([KILLED, "fix", "unit", "km", "r"], "unit", "'km' is not a unit of casualties"),
    ([KILLED, "fix", "value", "10", "r"], "value", "is outside value_low-value_high"),
    ([KILLED, "fix", "value", "-3", "r"], "value", "below the minimum 0"),
    ([KILLED, "fix", "qualifier", "", "r"], "qualifier", "is required"),
    ([KILLED, "fix", "location", "=HYPERLINK(1)", "r"], "location", "spreadsheets run as a formula"),
])
def test_values_that_break_the_schema(tmp_path: Path, line, field, message):
    msg = _refused(tmp_path, [line])
    assert f"{REVIEW_FILE}: line 2, field {field}: " in msg and message in msg


def test_an_added_value_that_breaks_the_schema(tmp_path: Path):
    with pytest.raises(DecisionError, match=r"line 2, field value: 'many' is not a number"):
        _review(tmp_path, added=[_added(value="many")])
    msg = _refused(tmp_path, added=[_added(category="casualties")])
    assert "line 2, field term: 'evacuated' counts displacement" in msg


@pytest.mark.parametrize(("line", "field", "message"), [
    ([KILLED, "verify", "", "", ""], "reason", "every decision needs a reason"),
    (["F123", "verify", "", "", "r"], "figure_id", "is not a figure id"),
    ([KILLED, "approve", "", "", "r"], "decision", "is not one of verify, fix, reject"),
    ([KILLED, "add", "", "", "r"], "decision", f"go in {ADDED_FILE}"),
    ([KILLED, "verify", "value", "3", "r"], "field", "only fix takes a field"),
    ([KILLED, "fix", "quote", "x", "r"], "field", "cannot be fixed"),
    ([KILLED, "fix", "value", "thirty", "r"], "value", "is not a number"),
    ([KILLED, "verify", "", "", "=HYPERLINK(1)"], "reason", "spreadsheets run as a formula"),
])
def test_malformed_lines(tmp_path: Path, line, field, message):
    with pytest.raises(DecisionError) as e:
        _review(tmp_path, [line])
    assert f"line 2, field {field}: " in str(e.value) and message in str(e.value)


def test_contradictory_decisions(tmp_path: Path):
    with pytest.raises(DecisionError, match=r"line 3, field figure_id: .* already decided at line 2 \(verify\)"):
        _review(tmp_path, [[KILLED, "verify", "", "", "r"], [KILLED, "reject", "", "", "r"]])
    with pytest.raises(DecisionError, match=r"line 3, .* already decided at line 2 \(fix value\)"):
        _review(tmp_path, [[KILLED, "fix", "value", "31", "r"], [KILLED, "fix", "value", "32", "r"]])


def test_a_wrong_header(tmp_path: Path):
    _write(tmp_path, REVIEW_FILE, ["figure_id", "action", "reason"], [])
    with pytest.raises(DecisionError, match="line 1 \\(header\\) must be figure_id,decision,field,value,reason"):
        Review(tmp_path)


# ---------------------------------------------------------------- end to end

@pytest.fixture(scope="module")
def reviewed(tmp_path_factory, built: Path):
    """The collection rebuilt with one figure verified and one rejected, the ids decided, and a build without
    decisions to compare with."""
    from conftest import SEEDS

    seeds = tmp_path_factory.mktemp("reviewed") / "seeds" / "syria-2024-12"
    shutil.copytree(SEEDS, seeds)
    for name in (REVIEW_FILE, ADDED_FILE):
        (seeds / name).unlink(missing_ok=True)
    corrected = {c["figure_id"] for c in csv.DictReader((seeds / "corrections.csv").read_text(encoding="utf-8").splitlines())}
    figures = dfig.load("figures", path=built)
    free = figures[~figures["figure_id"].isin(corrected)]
    verify, reject = free["figure_id"].iloc[0], free["figure_id"].iloc[1]
    baseline = build_collection(seeds, seeds.parent.parent / "baseline" / "syria-2024-12")
    _write(seeds, REVIEW_FILE, decision_columns(), [[verify, "verify", "", "", "Checked."],
                                                    [reject, "reject", "", "", "Not a figure."]])
    return build_collection(seeds, seeds.parent.parent / "datasets" / "syria-2024-12"), verify, reject, baseline


def test_the_package_carries_review_status_and_decisions(reviewed):
    out, verify, reject, _ = reviewed
    figures = dfig.load("figures", path=out)
    assert figures.set_index("figure_id").at[verify, "review"] == "verified"
    for table in ("figures", "fact_figures", "displacement", "casualties", "population", "distance"):
        assert reject not in set(dfig.load(table, path=out)["figure_id"]), table
    decisions = dfig.load("decisions", path=out)
    assert list(decisions["decision"]) == ["verify", "reject"]
    assert decisions.set_index("figure_id").at[reject, "reason"] == "Not a figure."


def test_the_build_refuses_stale_decisions_and_writes_nothing(seeds_copy: Path, tmp_path: Path):
    _write(seeds_copy, REVIEW_FILE, decision_columns(), [["F000000000000", "reject", "", "", "Gone."]])
    with pytest.raises(BuildError, match=r"review.csv: line 2, field figure_id: figure F000000000000 no longer"):
        build_collection(seeds_copy, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_correction_of_a_rejected_figure_is_refused(seeds_copy: Path, tmp_path: Path):
    fid = next(csv.DictReader((seeds_copy / "corrections.csv").read_text(encoding="utf-8").splitlines()))["figure_id"]
    _write(seeds_copy, REVIEW_FILE, decision_columns(), [[fid, "reject", "", "", "Not a figure."]])
    with pytest.raises(BuildError, match=rf"corrections.csv: row 2: figure {fid} is rejected at .*review.csv: line 2"):
        build_collection(seeds_copy, tmp_path / "out")


def test_extract_marks_every_row_extracted(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    extract_folder(tmp_path / "in", tmp_path / "out")
    figures = dfig.load("figures", path=tmp_path / "out")
    assert set(figures["review"]) == {"extracted"} and figures["review_reason"].isna().all()
    assert dfig.load("decisions", path=tmp_path / "out").empty


def test_diff_reports_review_changes_and_their_bumps(reviewed):
    from displacement_figures.diff import diff_packages

    out, verify, reject, baseline = reviewed
    d = diff_packages(baseline, out)
    assert d["review"] == {"verified": [verify], "rejected": [reject]}
    bumps = {c["what"].split(":")[1].strip(): c["bump"] for c in d["changes"] if c["what"].startswith("review:")}
    assert bumps == {"1 figure(s) verified": "patch", "1 figure(s) rejected": "major"} and d["bump"] == "major"


def test_the_shipped_collection_is_fully_reviewed(built: Path):
    """Every figure of syria-2024-12 was decided by a person: a new figure must be reviewed before it ships."""
    figures = dfig.load("figures", path=built)
    unreviewed = figures.loc[figures["review"] == "extracted", ["figure_id", "quote"]]
    assert unreviewed.empty, f"decide these in seeds/syria-2024-12/{REVIEW_FILE}:\n{unreviewed.to_string()}"
    assert figures.loc[figures["review"] != "verified", "review_reason"].str.len().gt(20).all()
