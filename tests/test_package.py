"""The build: valid, faithful to the seeds, reproducible, and all-or-nothing on bad input."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import frictionless
import pytest

from displacement_figures import schema as tschema
from displacement_figures.citation import cff_fields
from displacement_figures.extract import build as build_mod
from displacement_figures.extract.build import BuildError, build_collection, extract_folder, validate_package
from displacement_figures.extract.package import PackageError, TableWriter, created_timestamp, format_cell

from conftest import COLLECTION, SEEDS, tree_digest


def test_frictionless_valid(built: Path):
    report = frictionless.validate(str(built / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert validate_package(built, docs_root=built.parent.parent) == []


def test_package_layout(built: Path):
    names = tschema.table_names()
    assert sorted(p.name for p in (built / "data").iterdir()) == sorted(f"{n}.csv" for n in names)
    assert sorted(p.name for p in built.iterdir()) == [".displacement-figures", "README.md", "charts", "data",
                                                   "datapackage.json", "texts"]
    assert sorted(p.name for p in (built / "texts").iterdir()) == sorted(p.stem + ".txt" for p in SEEDS.glob("*.txt"))
    for p in [*(built / "data").iterdir(), built / "datapackage.json", built / "README.md"]:
        data = p.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data.replace(b'"\r\n', b"")
        assert data.endswith(b"\n")
    readme = (built / "README.md").read_text(encoding="utf-8")
    for section in ("Data", "Description", "Citations", "Sources", "Preparation", "License"):
        assert f"\n## {section}\n" in readme
    for name in names:
        assert f"\n### {name}\n" in readme


def test_every_quote_is_its_span(built: Path):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for name in tschema.table_names():
        if "quote" not in [f["name"] for f in tschema.table_schema(name)["fields"]]:
            continue
        with open(built / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                text = texts[row["source_id"]]
                assert text[int(row["char_start"]):int(row["char_end"])] == row["quote"], (name, row["figure_id"])


def test_sources_computed_fields(built: Path):
    with open(built / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["source_id"] for r in rows] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for r in rows:
        data = (SEEDS / f"{r['source_id']}.txt").read_bytes()
        assert r["bytes"] == str(len(data)) and r["sha256"] == hashlib.sha256(data).hexdigest()
        assert r["encoding"] == "utf-8" and r["path"] == f"seeds/{COLLECTION}/{r['source_id']}.txt"


def test_rebuild_is_byte_identical(built: Path, tmp_path: Path):
    seeds = built.parent.parent / "seeds" / COLLECTION
    first = build_collection(seeds, tmp_path / "a")
    again = build_collection(seeds, tmp_path / "a")  # over an existing package
    other = build_collection(seeds, tmp_path / "b")
    assert tree_digest(first) == tree_digest(built) == tree_digest(again) == tree_digest(other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]  # no temporary folders left


def test_created_is_the_release_date_unless_source_date_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert created_timestamp() == f"{cff_fields()['date-released']}T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733443200")
    assert created_timestamp() == "2024-12-06T00:00:00Z"


def _add_document(seeds: Path, name: str, data: bytes, sha: str | None = None) -> None:
    (seeds / name).write_bytes(data)
    with open(seeds / "sources.csv", "a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            [Path(name).stem, "", "", "", "2024-12-06", "en", sha or hashlib.sha256(data).hexdigest(), ""])


def _drop_row(seeds: Path, source_id: str) -> None:
    lines = (seeds / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (seeds / "sources.csv").write_text("".join(x for x in lines if not x.startswith(source_id)), encoding="utf-8")


FIRST = min(p.stem for p in SEEDS.glob("*.txt"))
BAD_INPUTS = {
    "empty": (lambda s: _add_document(s, "zz_empty.txt", b""), "zz_empty.txt"),
    "binary": (lambda s: _add_document(s, "zz_binary.txt", bytes(range(256)) * 8), "zz_binary.txt"),
    "not utf-8": (lambda s: _add_document(s, "zz_latin1.txt", "Some 5,000 people fled Alep, café.".encode("latin-1")),
                  "zz_latin1.txt"),
    "no sources row": (lambda s: (s / "zz_orphan.txt").write_bytes(b"Some 5,000 people fled."), "zz_orphan.txt"),
    "row without document": (lambda s: (s / f"{FIRST}.txt").rename(s.parent / "elsewhere.txt"), f"{FIRST}.txt"),
    "sha mismatch": (lambda s: (s / f"{FIRST}.txt").write_bytes((s / f"{FIRST}.txt").read_bytes() + b"\n"),
                     f"{FIRST}.txt"),
    "missing sources.csv": (lambda s: (s / "sources.csv").unlink(), "sources.csv"),
    "formula in sources.csv": (lambda s: _add_document(s, "zz_formula.txt", b"Some 5,000 people fled."),
                               "sources.csv"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_fails_clearly_and_changes_nothing(case: str, built: Path, seeds_copy: Path, tmp_path: Path):
    out = tmp_path / "datasets" / COLLECTION
    shutil.copytree(built, out)
    before = tree_digest(out)
    mutate, named = BAD_INPUTS[case]
    mutate(seeds_copy)
    if case == "formula in sources.csv":
        text = (seeds_copy / "sources.csv").read_text(encoding="utf-8").replace(
            "zz_formula,,,,", 'zz_formula,,,"=HYPERLINK(""x"")",')
        (seeds_copy / "sources.csv").write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build_collection(seeds_copy, out)
    assert named in str(info.value)
    assert tree_digest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [COLLECTION]


def test_failed_validation_changes_nothing(built: Path, seeds_copy: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "datasets" / COLLECTION
    shutil.copytree(built, out)
    before = tree_digest(out)
    monkeypatch.setattr(build_mod, "validate_package", lambda d, **kw: ["data/figures.csv: row 2, field x: boom"])
    with pytest.raises(PackageError, match="boom"):
        build_collection(seeds_copy, out)
    assert tree_digest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [COLLECTION]


def test_bad_quote_is_refused(seeds_copy: Path, tmp_path: Path, monkeypatch):
    real = build_mod.extract_document

    def shifted(text, source_id):
        rows = real(text, source_id)
        for r in rows[:1]:
            r["char_start"] += 1
        return rows

    monkeypatch.setattr(build_mod, "extract_document", shifted)
    with pytest.raises(BuildError, match="is not text"):
        build_collection(seeds_copy, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_validate_package_finds_tampering(built: Path, tmp_path: Path):
    pkg = tmp_path / "pkg"
    shutil.copytree(built, pkg)
    figures = pkg / "data" / "figures.csv"
    with open(figures, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["quote"] += "x"  # no longer its span of the document
    with open(figures, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    errors = validate_package(pkg, docs_root=built.parent.parent)
    assert any("data/figures.csv" in e and "SHA-256" in e for e in errors)
    assert any("data/figures.csv" in e and "row 2" in e and "quote" in e for e in errors)


def test_cells_are_formula_safe(tmp_path: Path):
    (tmp_path / "data").mkdir()
    w = TableWriter(tmp_path, "sources")
    with pytest.raises(PackageError, match="field headline"):
        w.write({"source_id": "a", "headline": "@SUM(A1)", "sha256": "0" * 64, "bytes": 1})
    w.close()


@pytest.mark.parametrize(("value", "ftype", "cell"), [
    (None, "number", ""), (20000, "number", "20000"), (20000.0, "number", "20000"), (3.219, "number", "3.219"),
    (0.1 + 0.2, "number", "0.30000000000000004"), (7, "integer", "7"), ("x", "string", "x"), ("", "string", ""),
])
def test_format_cell(value, ftype, cell):
    assert format_cell(value, ftype) == cell


def test_extract_folder_jobs_give_identical_packages(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        for i in range(3):
            shutil.copy(p, src / f"{p.stem}_{i}.txt")
    (src / "empty.txt").write_bytes(b"")
    one, two = tmp_path / "one" / "pkg", tmp_path / "two" / "pkg"
    skipped = extract_folder(src, one, jobs=1)
    assert [name for name, _ in skipped] == ["empty.txt"]
    assert extract_folder(src, two, jobs=2) == skipped
    assert tree_digest(one) == tree_digest(two)
    assert validate_package(one, docs_root=src) == []


def test_a_category_table_lists_only_its_own_terms():
    """The displacement table's `term` categories are displacement terms (not killed, population, distance)."""
    for view in ("displacement", "casualties"):
        enum = next(f for f in tschema.table_schema(view)["fields"] if f["name"] == "term")["constraints"]["enum"]
        assert enum and set(enum) <= tschema.category_terms(view), (view, enum)
        assert not {"killed", "population", "distance"} & set(enum) or view == "casualties"
        assert not {"displaced", "population", "distance"} & set(enum) or view == "displacement"


def test_a_document_with_old_mac_line_endings_is_written_readably(tmp_path: Path):
    """csv quotes a cell holding "\\n" but not a lone "\\r", which readers take for a line end: the writer quotes it."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "mac.txt").write_bytes(b"Floods displaced 5000 people\rin the north.\rAnother 300 people were killed.")
    extract_folder(src, tmp_path / "pkg")
    with open(tmp_path / "pkg" / "data" / "figures.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert any("\r" in r["sentence"] for r in rows)
    assert validate_package(tmp_path / "pkg", docs_root=src) == []
    assert frictionless.validate(str(tmp_path / "pkg" / "datapackage.json")).valid


def test_a_large_package_points_at_its_sources_table(tmp_path: Path, monkeypatch):
    """Past LISTED_SOURCES documents, datapackage.json and the README name the sources table, not each document;
    the package stays valid, for Frictionless too."""
    from displacement_figures.extract import package

    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, src / p.name)
    n = len(list(src.iterdir()))
    listed, pointed = tmp_path / "listed", tmp_path / "pointed"
    monkeypatch.setattr(package, "LISTED_SOURCES", n)
    extract_folder(src, listed)
    monkeypatch.setattr(package, "LISTED_SOURCES", n - 1)
    extract_folder(src, pointed)
    small, large = (json.loads((d / "datapackage.json").read_text(encoding="utf-8")) for d in (listed, pointed))
    assert len(small["sources"]) == n
    assert large["sources"] == [{"title": f"{n} documents, each with its outlet, date, headline and SHA-256 in the "
                                          "sources table", "path": "data/sources.csv"}]
    assert f"{n} documents, each with" in (pointed / "README.md").read_text(encoding="utf-8")
    assert validate_package(pointed, docs_root=src) == []
    assert frictionless.validate(str(pointed / "datapackage.json")).valid
