"""Exports for the tools people already use: one Excel workbook, and HXL-tagged CSVs.

Both are written from a built package (its datapackage.json and CSVs), typed
by the package's own schemas, so an export never disagrees with the package:

- ``xlsx``: an "About" sheet (title, version, citation, licence, and every
  field's description and unit) then one sheet per table, numbers as numbers
  and dates as dates, header frozen and filterable;
- ``hxl-csv``: one CSV per table with the HXL hashtag row under the header, the
  hashtags taken from each field's ``hxl`` property in ``schemas/``.

No cell can run as a formula: the build already refuses text starting with
``=``, ``+``, ``-`` or ``@``, and the workbook writer stores every text cell
as text regardless.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

FORMATS = ("xlsx", "hxl-csv")
MAX_SHEET_NAME = 31  # Excel's limit


class ExportError(ValueError):
    """A package that cannot be exported; the message names it."""


def _descriptor(package_dir: Path) -> dict[str, Any]:
    path = package_dir / "datapackage.json"
    if not path.is_file():
        raise ExportError(f"{path}: missing; export works on a built package folder")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


WRAPPED = {"quote", "sentence", "claims", "description", "headline", "notes", "reason"}  # long text, wrapped
WRAPPED_WIDTH = 60
COUNT_FORMAT = "#,##0"  # thousands separators on counts
DECIMAL_FORMAT = "#,##0.0##"  # and on the rare value with decimals (a distance of 48.28 km)
DATE_FORMAT = "yyyy-mm-dd"


def _is_offset(name: str) -> bool:
    """Character offsets are positions, not counts: no thousands separator."""
    return name.endswith(("_start", "_end"))


def _column_values(series) -> list[Any]:
    """A pandas column as what openpyxl writes natively (None, int, float, str, date), converted once per column."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        return [None if pd.isna(v) else (v.date() if v == v.normalize() else v.to_pydatetime()) for v in series]
    out = series.astype(object).where(series.notna(), None).tolist()
    if pd.api.types.is_float_dtype(series):
        out = [int(v) if v is not None and float(v).is_integer() and abs(v) < 2**53 else v for v in out]
    elif pd.api.types.is_integer_dtype(series):
        out = [None if v is None else int(v) for v in out]
    return out


class _SheetStyle:
    """How each column of a table is written: shared style objects, made once per sheet (styles per cell would
    make the workbook grow with its rows)."""

    def __init__(self, fields: list[dict[str, Any]]):
        from openpyxl.styles import Alignment

        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.kinds = []
        for f in fields:
            t = f.get("type", "string")
            if f["name"] in WRAPPED:
                self.kinds.append("wrap")
            elif t in ("number", "integer") and not _is_offset(f["name"]):
                self.kinds.append("count")
            elif t in ("date", "datetime"):
                self.kinds.append("date")
            else:
                self.kinds.append("plain")

    def row(self, ws, values: tuple[Any, ...]) -> list[Any]:
        from openpyxl.cell import WriteOnlyCell

        out = []
        for kind, v in zip(self.kinds, values, strict=True):
            if v is None:
                out.append(None)
                continue
            if kind == "plain" and not (isinstance(v, str) and v.startswith("=")):
                out.append(v)
                continue
            c = WriteOnlyCell(ws, v)
            if isinstance(v, str):
                c.data_type = "s"  # never a formula, whatever the text starts with
                if kind == "wrap":
                    c.alignment = self.wrap
            elif kind == "count":
                c.number_format = COUNT_FORMAT if isinstance(v, int) else DECIMAL_FORMAT
            elif kind == "date":
                c.number_format = DATE_FORMAT
            out.append(c)
        return out


def _header(ws, names: list[str]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    cells = []
    for name in names:
        c = WriteOnlyCell(ws, name)
        c.font = bold
        cells.append(c)
    return cells


def _about(wb, d: dict[str, Any]) -> None:
    """The About sheet: what the workbook is, how to cite it, and every field; readable without resizing (long
    values wrap in a wide column)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    from .citation import cite_package

    ws = wb.create_sheet("About")
    for col, width in zip("ABCD", (16, 22, 12, 100), strict=True):
        ws.column_dimensions[col].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value: Any, font=None, wrapped: bool = False):
        c = WriteOnlyCell(ws, value)
        if isinstance(value, str):
            c.data_type = "s"
        if font is not None:
            c.font = font
        if wrapped:
            c.alignment = wrap
        return c

    ws.append([cell(d.get("title", d.get("name")), Font(bold=True, size=14))])
    lic = (d.get("licenses") or [{}])[0]
    rows = [("Package", d.get("name")), ("Version", d.get("version")), ("Created", d.get("created")),
            ("Description", d.get("description")), ("Cite as", cite_package(d)),
            ("Licence", f"{lic.get('title', lic.get('name', ''))} {lic.get('path', '')}".strip()),
            ("Tables", ", ".join(r["name"] for r in d["resources"]))]
    rows = [r for r in rows if r[0] != "Licence" or r[1]]  # a user's extraction states no licence of ours
    for n, (label, value) in enumerate(rows, start=2):
        ws.merged_cells.add(f"B{n}:D{n}")  # the value spans the sheet's width and wraps there
        ws.append([cell(label, bold), cell(value, wrapped=True)])
    ws.append([])
    ws.append([cell(h, bold) for h in ("Table", "Field", "Type", "Description")])
    for r in d["resources"]:
        for f in r["schema"]["fields"]:
            desc = f.get("description", "")
            if f.get("hxl"):
                desc += f" HXL: {f['hxl']}."
            ws.append([cell(r["name"]), cell(f["name"]), cell(f.get("type", "string")),
                       cell(desc.strip(), wrapped=True)])


def _widths(names: list[str], df) -> list[float]:
    """Column widths from the header and the first rows: wide and wrapped for long text, else fitted."""
    out = []
    for name in names:
        if name in WRAPPED:
            out.append(WRAPPED_WIDTH)
            continue
        longest = max([len(str(name))] + [len(f"{v:,}" if isinstance(v, int | float) and not isinstance(v, bool)
                                              else str(v)) for v in df[name].head(200).dropna()])
        out.append(min(40, max(8, longest + 2)))
    return out


def to_xlsx(package_dir: str | Path, out: str | Path) -> Path:
    """Write the package as one workbook at ``out``; returns the path.

    Streamed (openpyxl ``write_only``): each row is written once and never looked up again, so time and memory
    grow linearly with the rows; the workbook is written beside ``out`` and moved into place when complete."""
    import os

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from . import schema as tschema

    package_dir, out = Path(package_dir), Path(out)
    d = _descriptor(package_dir)
    wb = Workbook(write_only=True)
    _about(wb, d)
    for r in d["resources"]:
        df = tschema.read_table(package_dir / r["path"], r["schema"])
        ws = wb.create_sheet(r["name"][:MAX_SHEET_NAME])
        names = list(df.columns)
        for i, width in enumerate(_widths(names, df), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(names)))}{max(1, len(df) + 1)}"
        style = _SheetStyle(r["schema"]["fields"])
        ws.append(_header(ws, names) or [None])
        columns = [_column_values(df[n]) for n in names]
        for values in zip(*columns, strict=True):
            ws.append(style.row(ws, values))
    if d.get("created"):
        stamp = dt.datetime.fromisoformat(d["created"]).replace(tzinfo=None)
        wb.properties.created = wb.properties.modified = stamp
    wb.properties.title = d.get("title")
    wb.properties.creator = "displacement-figures"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    try:
        wb.save(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _hxl_tags_for_unit(tags: list[str], fields: list[dict[str, Any]], unit_tag: str) -> list[str]:
    """The value columns' hashtags for rows of another unit: the view's base tag (``#affected+displaced+ind``)
    replaced by ``unit_tag``, keeping the ``+min``/``+max`` that mark bounds."""
    out = []
    for tag, f in zip(tags, fields, strict=True):
        if f["name"].startswith("value") and tag:
            bound = next((b for b in ("+min", "+max") if tag.endswith(b)), "")
            tag = unit_tag + bound
        out.append(tag)
    return out


def to_hxl_csv(package_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write each table as ``out_dir/<table>.csv`` with the HXL hashtag row under the header.

    An HXL column has one hashtag, so a view whose values mix units (people, households, dwellings) writes the
    rows of each unit its ``hxl_by_unit`` names to ``<table>_<unit>.csv`` under that unit's tag: a sum over
    ``#affected+displaced`` never adds houses to people."""
    from . import schema as tschema

    package_dir, out_dir = Path(package_dir), Path(out_dir)
    d = _descriptor(package_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for r in d["resources"]:
        fields = r["schema"]["fields"]
        tags = [f.get("hxl", "") for f in fields]
        by_unit = tschema.table_entry(r["name"]).get("hxl_by_unit", {}) if r["name"] in tschema.table_names() else {}
        with open(package_dir / r["path"], encoding="utf-8", newline="") as src:
            reader = csv.reader(src)
            header = next(reader)
            if header != [f["name"] for f in fields]:
                raise ExportError(f"{r['path']}: header does not match datapackage.json; run validate")
            unit_col = header.index("unit") if by_unit and "unit" in header else None
            targets = {None: (out_dir / f"{r['name']}.csv", tags)}
            for unit, tag in by_unit.items():
                targets[unit] = (out_dir / f"{r['name']}_{unit}.csv", _hxl_tags_for_unit(tags, fields, tag))
            with contextlib.ExitStack() as stack:
                writers = {k: csv.writer(stack.enter_context(open(path, "w", encoding="utf-8", newline="")),
                                         lineterminator="\n") for k, (path, _) in targets.items()}
                for k, w in writers.items():
                    w.writerow(header)
                    w.writerow(targets[k][1])
                for row in reader:
                    unit = row[unit_col] if unit_col is not None and row[unit_col] in by_unit else None
                    writers[unit].writerow(row)
        written += [path for path, _ in targets.values()]
    return written
