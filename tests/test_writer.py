"""A batch of rows is written as its rows would be one by one: the same bytes, the same cells checked, the same
refusals (extract/package.py ``TableWriter.write_rows`` against ``TableWriter.write``); the files read and written
without open() are what open() reads and writes; and a document's rows that extract/build.py ``check_rows`` finds
clean at a glance are clean row by row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_figures import schema as tschema
from displacement_figures.extract import build
from displacement_figures.extract.aswritten import Pending
from displacement_figures.extract.build import read_file
from displacement_figures.extract.package import TableWriter, _open_folder, csv_line, csv_lines, write_new_file
from displacement_figures.extract.validate import SPANS

# Cells that need quoting, cells a spreadsheet would run, and old Mac line endings.
TEXT = st.text(alphabet=st.sampled_from(list('ab ,"\r\n=+-@\t1.é')), max_size=8)
WEIRD = st.one_of(st.none(), TEXT, st.integers(-10, 2**60), st.floats(), st.booleans(),
                  st.just(Decimal("2.50")), st.just(Decimal(3)), st.dates())
USUAL = {"string": st.one_of(st.none(), st.text(alphabet="ab ,\"\r\n'é", max_size=8)),
         "integer": st.one_of(st.none(), st.integers(0, 10**6)),
         "number": st.one_of(st.none(), st.integers(0, 10**6), st.floats(0, 1e6), st.just(2.0**60)),
         "date": st.one_of(st.none(), st.just("2024-12-08"))}


def _rows(table: str, weird: bool) -> st.SearchStrategy[list[dict]]:
    """Rows of values of each field's type (the batch path), or, ``weird``, now and then anything (row by row)."""
    fields = [(f["name"], f.get("type", "string")) for f in tschema.table_schema(table)["fields"]]
    value = {t: st.one_of(USUAL[t], WEIRD) if weird else USUAL[t] for _, t in fields}
    return st.lists(st.fixed_dictionaries({}, optional={n: value[t] for n, t in fields}), max_size=6)


def _written(table: str, rows: list[dict], batch: bool) -> tuple[str | None, bytes, list[list[str]]]:
    """(the exception's type, the file, the cells handed to the validation)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data").mkdir()
        w = TableWriter(Path(tmp), table)
        w.checked = Pending()
        error = None
        try:
            if batch:
                columns = w.write_rows(rows)
                assert [list(c) for c in zip(*columns)] == [list(c) for c in w.checked]
            else:
                for row in rows:
                    w.write(row)
        except (TypeError, ValueError) as e:
            error = type(e).__name__
        w.close()
        return error, (Path(tmp) / w.relpath).read_bytes(), [list(c) for c in w.checked]


@pytest.mark.parametrize("table", ["figures", "sources", "facts"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_batch_is_written_as_its_rows_one_by_one(table: str, data):
    rows = data.draw(_rows(table, data.draw(st.booleans())))
    batch, one_by_one = _written(table, rows, True), _written(table, rows, False)
    assert batch[0] == one_by_one[0]
    if batch[0] is None:  # a refused row ends the build, and the staging folder with it: no file to compare
        assert batch == one_by_one


@given(st.lists(st.lists(TEXT, min_size=3, max_size=3), max_size=5))
def test_csv_lines_are_the_csv_modules_lines(rows):
    """The csv module's for rows without a "\\r" (which it leaves unquoted), csv_line's for every row."""
    if not rows:
        return
    expected = "".join(map(csv_line, rows))
    assert csv_lines(list(zip(*rows))) == expected
    plain = [r for r in rows if not any("\r" in c for c in r)]
    if plain:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(plain)
        assert csv_lines(list(zip(*plain))) == out.getvalue()


def test_a_date_cell_is_its_iso_text():
    assert _written("sources", [{"source_id": "a", "published": dt.date(2024, 1, 2)}], True)[2][0][5] == "2024-01-02"


@pytest.mark.parametrize("size", [0, 1, 4096, 65_535, 65_536, 65_537, 3_000_001])
def test_files_are_read_and_written_as_open_does(size: int, tmp_path: Path):
    data = bytes(range(256)) * (size // 256) + b"\r\n\x00"[: size % 256]
    (tmp_path / "a").write_bytes(data)
    assert read_file(str(tmp_path / "a")) == data
    folder = _open_folder(tmp_path)
    try:
        write_new_file(str(tmp_path / "b"), data, folder)
    finally:
        if folder is not None:
            os.close(folder)
    write_new_file(str(tmp_path / "c"), data)
    with open(tmp_path / "d", "wb") as f:
        f.write(data)
    for name in "bc":
        assert (tmp_path / name).read_bytes() == data
        assert (tmp_path / name).stat().st_mode == (tmp_path / "d").stat().st_mode
    with pytest.raises(IsADirectoryError):
        read_file(str(tmp_path))


@st.composite
def _document(draw) -> tuple[str, list[dict]]:
    """A text and rows citing it: most spans right, some off (negative, past the end, shifted), some cells formulas."""
    text = draw(st.text(alphabet="ab =,\x00\n", max_size=30))
    strings = build._string_fields()
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        row = {k: draw(st.one_of(st.just(""), st.none(), TEXT, st.integers(0, 3))) if draw(st.booleans()) else "x"
               for k in strings}
        for column, a, b in SPANS:
            start = draw(st.integers(-3, len(text) + 2))
            end = draw(st.one_of(st.just(start + draw(st.integers(0, 5))), st.integers(-3, len(text) + 5)))
            row.update({a: start, b: end, column: text[start:end] if draw(st.booleans()) else draw(TEXT)})
        rows.append(row)
    return text, rows


@settings(max_examples=300)
@given(_document())
def test_a_document_clean_at_a_glance_is_clean_row_by_row(document):
    text, rows = document
    strings = build._string_fields()
    if build._all_clean(rows, text, strings):
        assert all(build._clean(r, text, strings) for r in rows)
        assert build.check_rows(rows, text, "doc") == []
