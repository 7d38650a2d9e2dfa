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
from hypothesis import example, given, settings
from hypothesis import strategies as st

from displacement_figures.extract import validate
from displacement_figures.extract.build import extract_folder, validate_package
from displacement_figures.extract.columns import column_check, order_clear

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
def _other_source(rows: list[list[str]], n: int) -> None:
    """Give row ``n`` of fact_figures the source of another row: a real source, not its figure's."""
    at = rows[0].index("source_id")
    rows[n][at] = next(r[at] for r in rows[1:] if r[at] != rows[n][at])


ONLY_OURS: dict[str, Callable[[Path], None]] = {
    "quote mismatch": lambda p: _set(p, "quote", "Some words"),
    "view differs from figures": lambda p: _table(
        p, "displacement", lambda rows: rows[1].__setitem__(rows[0].index("location"), "Atlantis")),
    "link differs from its figure": lambda p: _table(p, "fact_figures", lambda rows: _other_source(rows, 1)),
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


def test_a_link_unlike_its_figure_names_the_figure_row(written, tmp_path: Path):
    """fact_figures repeats its figure's source: a link naming another is told with the figures row it differs
    from, found by its figure id; a link repeated is told once, as a repeated key, whichever copy differs."""
    def edit(pkg: Path) -> None:
        def links(rows: list[list[str]]) -> None:
            rows.append(list(rows[3]))  # repeated, the first copy changed
            _other_source(rows, 1)
            _other_source(rows, 3)
        _table(pkg, "fact_figures", links)

    pkg = _broken(written, tmp_path, edit, hashes_agree=True)
    links, figures = read_csv_rows(pkg / "data/fact_figures.csv"), read_csv_rows(pkg / "data/figures.csv")
    fid, sid = links[0].index("figure_id"), links[0].index("source_id")
    at = {r[0]: j for j, r in enumerate(figures) if j}  # the file's row j + 1

    def differs(n: int) -> str:
        j = at[links[n][fid]]
        return (f"data/fact_figures.csv: row {n + 1}, field source_id: {links[n][sid]!r}, but data/figures.csv "
                f"row {j + 1}, field source_id has {figures[j][1]!r} ({links[n][fid]}); one of the two files "
                "changed after the build")

    in_figures_order = sorted((1, 3), key=lambda n: at[links[n][fid]])
    assert validate_package(pkg) == [
        f"data/fact_figures.csv: row {len(links)}, field figure_id: primary key {links[3][fid]} repeated",
        *map(differs, in_figures_order)]


def test_validate_command_runs_frictionless_too(written, tmp_path: Path):
    pkg = _broken(written, tmp_path, BREAKAGES["enum"], hashes_agree=True)
    errors = validate_package(pkg, docs_root=written[1], frictionless=True)
    assert any(e.startswith("frictionless: ") for e in errors), errors
    assert any(e.startswith("data/figures.csv: row 2, field qualifier: 'roughly' is not one of") for e in errors)


@pytest.mark.parametrize("case", [*BREAKAGES, *ONLY_OURS])
@pytest.mark.parametrize("batch", [7, 512])
def test_fast_path_says_what_the_row_by_row_pass_says(case: str, batch: int, written, tmp_path: Path, monkeypatch):
    """The whole-column fast path only clears batches: on any package, the messages are those of the rows alone."""
    pkg = _broken(written, tmp_path, {**BREAKAGES, **ONLY_OURS}[case], hashes_agree=True)
    monkeypatch.setattr(validate, "BATCH_ROWS", batch)
    ours = validate_package(pkg, docs_root=written[1])
    monkeypatch.setattr(validate.TableRun, "_clear", lambda self, rows, n0: False)
    assert ours == validate_package(pkg, docs_root=written[1])
    assert ours


def test_fast_path_clears_every_batch_of_a_valid_package(written, monkeypatch):
    cleared = []
    real = validate.TableRun._clear
    monkeypatch.setattr(validate, "BATCH_ROWS", 7)
    monkeypatch.setattr(validate.TableRun, "_clear", lambda self, rows, n0: cleared.append(real(self, rows, n0))
                        or cleared[-1])
    assert validate_package(written[0], docs_root=written[1]) == []
    assert len(cleared) > 20 and all(cleared)


FIELDS = [
    {"name": "n", "type": "integer", "constraints": {"required": True, "minimum": 0}},
    {"name": "x", "type": "number", "constraints": {"minimum": 0, "maximum": 1000}},
    {"name": "s", "type": "string", "constraints": {"required": True, "pattern": "F[0-9a-f]{2}", "minLength": 3}},
    {"name": "q", "type": "string", "constraints": {"minLength": 2, "maxLength": 4}},
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FIELDS), st.lists(st.text(alphabet="0123456789-+.eE Fa", max_size=6), max_size=6))
def test_a_column_is_cleared_only_when_each_cell_passes(field, col):
    check = validate.field_check(field)
    try:
        cleared = column_check(field, check)(col)
    except (ValueError, OverflowError):
        cleared = False  # the caller checks the rows one by one
    assert cleared == all(check(c) is None for c in col)


NUMBER_CELLS = st.one_of(st.just(""), st.integers(0, 10**20).map(str), st.floats(0, 1e20).map(repr),
                         st.sampled_from(["9007199254740992", "9007199254740993", "1e3", "0.5", "007"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(NUMBER_CELLS, NUMBER_CELLS, NUMBER_CELLS), max_size=6), st.booleans())
@example([("9007199254740992", "9007199254740993", "9007199254740994")], True)  # 2**53: equal as floats
def test_bounds_are_cleared_only_when_each_row_is_in_order(rows, strict):
    """low <= value <= high (or start < end) over whole columns, ints read as ints where floats hold them exactly."""
    pairs = [(0, 1, "value_low", "value", strict), (1, 2, "value", "value_high", strict),
             (0, 2, "value_low", "value_high", strict)]
    try:
        cleared = order_clear(list(zip(*rows)) or [(), (), ()], pairs)
    except (ValueError, OverflowError):
        cleared = False  # the caller checks the rows one by one
    errors = validate._Errors("t")
    for n, cells in enumerate(rows):
        validate._check_order(list(cells), pairs, "t", n, errors)
    assert not cleared or not errors, errors
