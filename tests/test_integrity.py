"""Integrity: tampering is found and named (file, row, field), loading checks hashes, and builds are atomic.

Every test tampers with a private copy of the built package, never the checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import displacement_figures as dfig
from displacement_figures import paths
from displacement_figures import schema as tschema
from displacement_figures.extract.build import build_collection, validate_package
from displacement_figures.extract.package import sha256_file

from conftest import COLLECTION, REPO, read_csv_rows, rehash, tree_digest, write_csv_rows


@pytest.fixture
def pkg(built: Path, tmp_path: Path) -> Path:
    """A copy of the built package at <tmp>/datasets/<collection>, its seeds at <tmp>/seeds/<collection>."""
    out = tmp_path / "datasets" / COLLECTION
    shutil.copytree(built, out)
    shutil.copytree(built.parent.parent / "seeds", tmp_path / "seeds")
    return out


def _edit_everywhere(pkg: Path, figure_id: str, field: str, value: str) -> None:
    """Set ``field`` of one figure in every table that repeats it (figures and its view)."""
    for csv_path in sorted((pkg / "data").glob("*.csv")):
        rows = read_csv_rows(csv_path)
        if "figure_id" not in rows[0] or field not in rows[0]:
            continue
        i, f = rows[0].index("figure_id"), rows[0].index(field)
        for row in rows[1:]:
            if row[i] == figure_id:
                row[f] = value
        write_csv_rows(csv_path, rows)


def _figure(pkg: Path, with_value: bool = False) -> tuple[int, dict[str, str]]:
    """(CSV row number, row) of a figure of figures.csv."""
    rows = read_csv_rows(pkg / "data" / "figures.csv")
    for n, row in enumerate(rows[1:], start=2):
        r = dict(zip(rows[0], row, strict=True))
        if not with_value or r["value"]:
            return n, r
    raise AssertionError("no figure with a value")


# ---------------------------------------------------------------- validate

def test_untouched_copy_is_valid(pkg: Path):
    assert validate_package(pkg, docs_root=pkg.parent.parent) == []


def test_edited_cell_is_named_by_hash_bytes_row_and_field(pkg: Path):
    n, row = _figure(pkg, with_value=True)
    rows = read_csv_rows(pkg / "data" / "figures.csv")
    rows[n - 1][rows[0].index("value")] = row["value"] + "1"  # one byte more
    write_csv_rows(pkg / "data" / "figures.csv", rows)
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    recorded = json.loads((pkg / "datapackage.json").read_text())["resources"]
    expected = next(r["hash"] for r in recorded if r["path"] == "data/figures.csv")
    assert any(e.startswith("data/figures.csv: SHA-256") and expected in e and sha256_file(pkg / "data/figures.csv")
               in e for e in errors), errors
    assert any(e.startswith("data/figures.csv:") and "bytes, datapackage.json says" in e for e in errors), errors
    # The per-category view still holds the built value: the edited row and field are named.
    assert any(f"data/figures.csv row {n}, field value " in e for e in errors), errors


def test_edit_keeping_the_size_is_caught_by_the_hash(pkg: Path):
    n, row = _figure(pkg)
    rows = read_csv_rows(pkg / "data" / "figures.csv")
    col = rows[0].index("rule")
    rows[n - 1][col] = ("x" if row["rule"][0] != "x" else "y") + row["rule"][1:]
    write_csv_rows(pkg / "data" / "figures.csv", rows)
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    assert any(e.startswith("data/figures.csv: SHA-256") for e in errors), errors
    assert not any("bytes, datapackage.json says" in e for e in errors), errors


def test_missing_column(pkg: Path):
    rows = read_csv_rows(pkg / "data" / "figures.csv")
    last = rows[0][-1]
    write_csv_rows(pkg / "data" / "figures.csv", [r[:-1] for r in rows])
    rehash(pkg)
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    assert any(e.startswith(f"data/figures.csv: row 1 (header), field {last}: column missing") for e in errors), errors
    assert not any("missing table" in e for e in errors), errors  # the table is there, only unreadable


def test_extra_column(pkg: Path):
    rows = read_csv_rows(pkg / "data" / "figures.csv")
    write_csv_rows(pkg / "data" / "figures.csv", [[*r, "extra" if i == 0 else "x"] for i, r in enumerate(rows)])
    rehash(pkg)
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    assert any(e.startswith("data/figures.csv: row 1 (header), field extra: column not in the schema")
               for e in errors), errors


def test_quote_that_no_longer_matches_its_seed(pkg: Path):
    n, row = _figure(pkg)
    _edit_everywhere(pkg, row["figure_id"], "quote", row["quote"] + "x")
    rehash(pkg)  # hashes agree: only the quote check can tell
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    assert errors, "a quote that is not its span of the document passed"
    assert all("failed quote == text[char_start:char_end]" in e for e in errors), errors
    assert f"data/figures.csv: row {n}, field quote: failed quote == text[char_start:char_end]" in "\n".join(errors)


def test_seed_whose_sha256_changed(pkg: Path):
    seeds = pkg.parent.parent / "seeds" / COLLECTION
    doc = min(seeds.glob("*.txt"))
    doc.write_bytes(doc.read_bytes() + b"\n")
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    sources = read_csv_rows(pkg / "data" / "sources.csv")
    n = 1 + [r[0] for r in sources].index(doc.stem)
    assert len(errors) == 1, errors  # and no flood of quote failures for that document's figures
    assert errors[0].startswith(f"data/sources.csv: row {n}, field sha256: document ") and doc.name in errors[0]
    assert hashlib.sha256(doc.read_bytes()).hexdigest() in errors[0]


def test_foreign_key_to_a_missing_source(pkg: Path):
    n, row = _figure(pkg)
    _edit_everywhere(pkg, row["figure_id"], "source_id", "no_such_source")
    rehash(pkg)
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    assert f"data/figures.csv: row {n}, field source_id: 'no_such_source' not in sources" in errors, errors


def test_view_row_missing(pkg: Path):
    names = {t["name"] for t in tschema.tables() if t.get("from") == "figures"}
    views = [p for p in (pkg / "data").glob("*.csv") if p.stem in names]
    view = next(v for v in sorted(views) if len(read_csv_rows(v)) > 1)
    rows = read_csv_rows(view)
    gone = rows.pop(1)[rows[0].index("figure_id")]
    write_csv_rows(view, rows)
    rehash(pkg)
    errors = validate_package(pkg, docs_root=pkg.parent.parent)
    assert any(e.startswith(f"data/{view.name}: no row for {gone}") for e in errors), errors


# ---------------------------------------------------------------- load(verify=True)

def test_load_verifies_hashes(pkg: Path):
    assert len(dfig.load("figures", path=pkg)) > 0
    n, row = _figure(pkg, with_value=True)
    rows = read_csv_rows(pkg / "data" / "figures.csv")
    rows[n - 1][rows[0].index("value")] = "1" + row["value"]
    write_csv_rows(pkg / "data" / "figures.csv", rows)
    with pytest.raises(dfig.IntegrityError) as info:
        dfig.load("figures", path=pkg)
    message = str(info.value)
    recorded = next(r for r in dfig.metadata(path=pkg)["resources"] if r["name"] == "figures")
    assert str(pkg / "data" / "figures.csv") in message and recorded["hash"] in message
    assert sha256_file(pkg / "data" / "figures.csv") in message
    assert "verify=False" in message and "no longer the ones" in message  # how to load anyway, and why not to
    assert isinstance(info.value, ValueError) and "IntegrityError" in dfig.__all__
    # Explicitly unverified, the altered table is read; other tables still verify.
    df = dfig.load("figures", path=pkg, verify=False)
    assert str(df.iloc[n - 2]["value"]).startswith("1")
    assert len(dfig.load("sources", path=pkg)) > 0


def test_load_without_recorded_hash(pkg: Path):
    d = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    for r in d["resources"]:
        r.pop("hash")
        r.pop("bytes")
    (pkg / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    assert len(dfig.load("figures", path=pkg)) > 0


def test_shipped_collections_verify():
    for c in dfig.list_collections():
        for name in dfig.list_tables(c):
            dfig.load(name, c, verify=True)


# ---------------------------------------------------------------- atomic build

KILL = r"""
import sys, time
from pathlib import Path
from displacement_figures import outputs
from displacement_figures.extract import build, package

point = sys.argv[3]


def pause(*args, **kwargs):
    print("PAUSED", point, flush=True)
    time.sleep(300)


if point == "csv":  # the first figure rows are on disk, the rest is not
    real = package.TableWriter.write_columns

    def write_columns(self, columns):
        real(self, columns)
        if self.name == "figures" and self.rows:
            self._file.flush()
            pause()

    package.TableWriter.write_columns = write_columns
elif point == "validate":  # every file is written into the temporary folder, validation under way
    build.validate_package = pause
elif point == "swap":  # validated, about to replace the published package
    package.replace_dir = pause
elif point == "between_renames":  # the old package moved away, the new one not yet moved in
    real_os = outputs.os

    class _Os:
        def __getattr__(self, name):
            return getattr(real_os, name)

        def replace(self, src, dst):
            real_os.replace(src, dst)
            if ".old-" in str(dst):
                pause()

    outputs.os = _Os()
build.build_collection(Path(sys.argv[1]), Path(sys.argv[2]))
print("FINISHED", flush=True)
"""


@pytest.mark.parametrize("point", ["csv", "validate", "swap"])
def test_killed_build_leaves_the_package_intact(point: str, pkg: Path, monkeypatch):
    seeds, out = pkg.parent.parent / "seeds" / COLLECTION, pkg
    before = tree_digest(out)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", KILL, str(seeds), str(out), point], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"PAUSED {point}", line + proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        watchdog.cancel()
        proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert tree_digest(out) == before
    # The killed build's temporary folder stays beside the package; it is hidden and never taken for a collection.
    stale = [p.name for p in out.parent.iterdir() if p.name != COLLECTION]
    assert stale and all(s.startswith(f".{COLLECTION}.tmp-") for s in stale), stale
    monkeypatch.setattr(paths, "datasets_dir", lambda: out.parent)
    assert dfig.list_collections() == [COLLECTION]
    assert dfig.load("figures").shape[0] > 0
    # The next build works and, from the same seeds, gives the same package.
    build_collection(seeds, out)
    assert tree_digest(out) == before
    assert validate_package(out, docs_root=pkg.parent.parent) == []


def test_build_killed_between_its_two_renames_is_repaired_by_the_next(pkg: Path):
    """The one instant the package is out of place: the next build puts it back first."""
    seeds, out = pkg.parent.parent / "seeds" / COLLECTION, pkg
    before = tree_digest(out)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", KILL, str(seeds), str(out), "between_renames"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "PAUSED between_renames", line + proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    assert not out.exists()
    moved = [p for p in out.parent.iterdir() if p.name.startswith(f".{COLLECTION}.old-")]
    assert len(moved) == 1 and tree_digest(moved[0]) == before
    build_collection(seeds, out)  # puts the old package back first, then builds and swaps as usual
    assert tree_digest(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{COLLECTION}.old-")]
