"""The streaming validation catches everything Frictionless's row pass catches, and what only it can check.

`build` and `extract` publish a package only when :func:`validate_package`
finds nothing; Frictionless runs in `displacement-figures validate` and CI, not
in every build. So this file feeds both the same broken packages: for each
breakage, every (file, row) Frictionless reports must be reported by ours too,
and what Frictionless cannot see (a quote that is not its span of the document,
a view that no longer repeats figures) must be reported by ours. Every package
the tool writes must also pass `frictionless validate` itself.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import frictionless
import pytest

from displacement_figures.extract.build import extract_folder, validate_package

from conftest import SEEDS, read_csv_rows, rehash, write_csv_rows


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, Path]:
    """(package, documents folder): the seeds, extracted like a user's folder."""
    root = tmp_path_factory.mktemp("validate")
    src = root / "docs"
    src.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, src / p.name)
    extract_folder(src, root / "pkg")
    return root / "pkg", src


def _set(pkg: Path, field: str, value: str, row: int = 1) -> None:
    """Set ``field`` of the ``row``-th figure, in figures.csv and in whichever table repeats it."""
    fid = read_csv_rows(pkg / "data" / "figures.csv")[row][0]
    for path in (pkg / "data").glob("*.csv"):
        rows = read_csv_rows(path)
        if field in rows[0] and "figure_id" in rows[0]:
            i, f = rows[0].index("figure_id"), rows[0].index(field)
            for r in rows[1:]:
                if r[i] == fid:
                    r[f] = value
            write_csv_rows(path, rows)


def _table(pkg: Path, name: str, edit: Callable[[list[list[str]]], None]) -> None:
    rows = read_csv_rows(pkg / "data" / f"{name}.csv")
    edit(rows)
    write_csv_rows(pkg / "data" / f"{name}.csv", rows)


def _figures_value_row(rows: list[list[str]]) -> int:
    return next(n for n, r in enumerate(rows) if n and r[rows[0].index("value")])


BREAKAGES: dict[str, Callable[[Path], None]] = {
    "bad type": lambda p: _set(p, "char_start", "twelve"),
    "number below its minimum": lambda p: _set(p, "value", "-5", _figures_value_row(read_csv_rows(p / "data/figures.csv"))),
    "pattern": lambda p: _table(p, "sources", lambda rows: rows[1].__setitem__(rows[0].index("sha256"), "not-a-hash")),
    "enum": lambda p: _set(p, "qualifier", "roughly"),
    "missing required": lambda p: _set(p, "quote", ""),
    "duplicate key": lambda p: _table(p, "figures", lambda rows: rows.append(list(rows[1]))),
    "dangling foreign key": lambda p: _table(
        p, "fact_figures", lambda rows: rows[1].__setitem__(rows[0].index("fact_id"), "Q000000000000")),
    "header mismatch": lambda p: _table(p, "figures", lambda rows: rows[0].__setitem__(4, "groups")),
    "extra cell": lambda p: _table(p, "facts", lambda rows: rows[1].append("x")),
    "blank row": lambda p: _table(p, "facts", lambda rows: rows.insert(2, [""] * len(rows[0]))),
    "bad date": lambda p: _table(p, "sources", lambda rows: rows[1].__setitem__(rows[0].index("published"),
                                                                              "2024-13-45")),
}
ONLY_OURS: dict[str, Callable[[Path], None]] = {
    "quote mismatch": lambda p: _set(p, "quote", "Some words"),
    "view differs from figures": lambda p: _table(
        p, "displacement", lambda rows: rows[1].__setitem__(rows[0].index("location"), "Atlantis")),
}


def _where_frictionless(pkg: Path) -> set[tuple[str, int | None]]:
    report = frictionless.validate(str(pkg / "datapackage.json"))
    out = set()
    for task in report.tasks:
        for e in task.errors:
            row = getattr(e, "row_number", None)
            if e.type in ("incorrect-label", "missing-label", "extra-label", "duplicate-label", "blank-label"):
                row = 1
            out.add((task.place, row))
    return out


def _where_ours(errors: list[str]) -> set[tuple[str, int | None]]:
    out = set()
    for e in errors:
        m = re.match(r"(data/\w+\.csv):(?: row (\d+))?", e)
        if m:
            out.add((m[1], int(m[2]) if m[2] else None))
    return out


def _broken(written: tuple[Path, Path], tmp_path: Path, breakage: Callable[[Path], None], hashes_agree: bool) -> Path:
    pkg = tmp_path / "pkg"
    shutil.copytree(written[0], pkg)
    breakage(pkg)
    if hashes_agree:
        rehash(pkg)
    return pkg


def test_every_written_package_passes_frictionless(written, built: Path):
    for pkg in (written[0], built):
        report = frictionless.validate(str(pkg / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert validate_package(written[0], docs_root=written[1]) == []


@pytest.mark.parametrize("case", list(BREAKAGES))
def test_catches_what_frictionless_catches(case: str, written, tmp_path: Path):
    pkg = _broken(written, tmp_path, BREAKAGES[case], hashes_agree=True)
    theirs = _where_frictionless(pkg)
    assert theirs, f"{case}: Frictionless saw nothing; the breakage tests nothing"
    ours = validate_package(pkg, docs_root=written[1])
    missed = theirs - _where_ours(ours)
    assert not missed, (missed, ours)


def test_catches_a_changed_file_by_its_hash(written, tmp_path: Path):
    pkg = _broken(written, tmp_path, lambda p: _set(p, "rule", "edited"), hashes_agree=False)
    assert not frictionless.validate(str(pkg / "datapackage.json")).valid
    ours = validate_package(pkg, docs_root=written[1])
    assert any(e.startswith("data/figures.csv: SHA-256") for e in ours), ours


@pytest.mark.parametrize("case", list(ONLY_OURS))
def test_catches_what_frictionless_cannot(case: str, written, tmp_path: Path):
    pkg = _broken(written, tmp_path, ONLY_OURS[case], hashes_agree=True)
    assert frictionless.validate(str(pkg / "datapackage.json")).valid
    ours = validate_package(pkg, docs_root=written[1])
    assert ours and all("row 2" in e for e in ours), ours


def test_validate_command_runs_frictionless_too(written, tmp_path: Path):
    pkg = _broken(written, tmp_path, BREAKAGES["enum"], hashes_agree=True)
    errors = validate_package(pkg, docs_root=written[1], frictionless=True)
    assert any(e.startswith("frictionless: ") for e in errors), errors
    assert any(e.startswith("data/figures.csv: row 2, field qualifier: 'roughly' is not one of") for e in errors)
