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
import math
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


def _cell(value: Any) -> Any:
    """A pandas value as what openpyxl writes natively: None, int, float, str, date."""
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _write_row(ws, values: list[Any], bold: bool = False) -> None:
    from openpyxl.styles import Font

    ws.append(values or [None])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        elif isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = Font(bold=True)


def _about(ws, d: dict[str, Any]) -> None:
    from openpyxl.styles import Font

    from .citation import cite_package

    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 100
    _write_row(ws, [d.get("title", d.get("name"))])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    lic = (d.get("licenses") or [{}])[0]
    rows = [("Package", d.get("name")), ("Version", d.get("version")), ("Created", d.get("created")),
            ("Description", d.get("description")), ("Cite as", cite_package(d)),
            ("Licence", f"{lic.get('title', lic.get('name', ''))} {lic.get('path', '')}".strip()),
            ("Tables", ", ".join(r["name"] for r in d["resources"]))]
    for label, value in rows:
        _write_row(ws, [label, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    _write_row(ws, [])
    _write_row(ws, ["Table", "Field", "Type", "Description"], bold=True)
    for r in d["resources"]:
        for f in r["schema"]["fields"]:
            desc = f.get("description", "")
            if f.get("hxl"):
                desc += f" HXL: {f['hxl']}."
            _write_row(ws, [r["name"], f["name"], f.get("type", "string"), desc.strip()])


def to_xlsx(package_dir: str | Path, out: str | Path) -> Path:
    """Write the package as one workbook at ``out``; returns the path."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from . import schema as tschema

    package_dir, out = Path(package_dir), Path(out)
    d = _descriptor(package_dir)
    wb = Workbook()
    about = wb.active
    about.title = "About"
    _about(about, d)
    for r in d["resources"]:
        df = tschema.read_table(package_dir / r["path"], r["schema"])
        ws = wb.create_sheet(r["name"][:MAX_SHEET_NAME])
        _write_row(ws, list(df.columns), bold=True)
        for values in df.itertuples(index=False, name=None):
            _write_row(ws, [_cell(v) for v in values])
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(df.columns)))}{max(1, len(df) + 1)}"
        for i, name in enumerate(df.columns, start=1):
            longest = max([len(str(name))] + [len(str(v)) for v in df[name].head(200) if v is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    if d.get("created"):
        stamp = dt.datetime.fromisoformat(d["created"]).replace(tzinfo=None)
        wb.properties.created = wb.properties.modified = stamp
    wb.properties.title = d.get("title")
    wb.properties.creator = "displacement-figures"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
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
