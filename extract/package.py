"""Write a Frictionless data package: CSVs, datapackage.json and README, atomically.

Everything a package holds is a function of its rows and the schemas, written
with fixed formatting (UTF-8, "\\n", shortest numbers, sorted rows), so two
builds of the same input are byte-identical and CI can diff them. The package
is assembled in a temporary directory beside the target and only swapped in
once it has been validated: a failed build never leaves a half-written or
unvalidated dataset behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import math
import operator
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Self

from displacement_figures import __version__
from displacement_figures import schema as tschema
from displacement_figures.outputs import check_output_dir, new_staging_dir, write_marker
from displacement_figures.outputs import replace_output_dir as replace_dir

from .aswritten import AsWritten, Pending
from .reconcile import Reconciler
from .text import FORMULA_LEADS

LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}
CONTRIBUTOR = "displacement-figures contributors"
KEYWORDS = ["humanitarian", "displacement", "casualties", "population", "distance", "news", "figures", "citations"]
# What this project's published collections carry and a user's own extraction does not: the project's licence and
# authors belong to the project's data, not to someone else's documents.
PROJECT_METADATA = {"licenses": [LICENSE], "contributors": [{"title": CONTRIBUTOR, "role": "author"}],
                    "keywords": KEYWORDS}
GENERATOR = f"displacement-figures {__version__}"
LISTED_SOURCES = 100  # datapackage.json and the README name each document of a package of up to this many


class PackageError(ValueError):
    """A package that cannot be written or does not validate; the message says where."""


def unsafe_cell(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def format_cell(value: Any, ftype: str) -> str:
    """One CSV cell: empty for missing, integers without ".0", floats in their shortest repr."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if ftype in ("number", "integer"):
        if isinstance(value, bool):
            raise TypeError(f"boolean {value!r} in a {ftype} field")
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        if ftype == "integer" and not isinstance(value, int):
            raise TypeError(f"{value!r} in an integer field")
        return str(value) if isinstance(value, int) else repr(float(value))
    if ftype == "boolean":
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def csv_line(cells: list[str]) -> str:
    """One CSV line (RFC 4180) with every cell holding a comma, a quote, "\\r" or "\\n" quoted, ended by "\\n"."""
    return ",".join(map(_quoted, cells)) + "\n"


def _quoted(cell: str) -> str:
    """A cell as RFC 4180 writes it: quoted when it holds a comma, a quote, "\\r" or "\\n", its quotes doubled."""
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    return f'"{cell}"' if "," in cell or "\n" in cell or "\r" in cell else cell


def _quoted_column(column: Sequence[str]) -> Sequence[str]:
    """The cells of ``column`` as :func:`csv_line` writes them; a column without a comma, quote or line break (most:
    ids, numbers, categories) is found so in four scans of its joined text, not a test per cell."""
    joined = "".join(column)
    if '"' in joined or "," in joined or "\n" in joined or "\r" in joined:
        return list(map(_quoted, column))
    return column


def csv_lines(columns: Sequence[Sequence[str]]) -> str:
    """The lines of :func:`csv_line` for rows given a column at a time; the csv module's writer writes the same
    text for rows without a lone "\r", at a third of the cost: it looks at each character of each cell."""
    return "\n".join(map(",".join, zip(*map(_quoted_column, columns)))) + "\n"


def sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _open_folder(folder: Path) -> int | None:
    """A descriptor of ``folder`` to create files in (None where the system cannot: Windows)."""
    if os.open not in os.supports_dir_fd:
        return None
    return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))


def write_new_file(path: str, data: bytes, folder: int | None = None) -> None:
    """Write ``data`` to the file ``path`` as ``open(path, "wb")`` would, without the io objects open() builds.

    With ``folder``, a descriptor of the folder ``path`` is in (see :func:`_open_folder`), only its name is looked
    up, not every folder along the path. A package of short documents is mostly these files (one stored text
    each): a new file costs about 36 us of CPU so, 51 us through open() in text mode.
    """
    fd = os.open(os.path.basename(path) if folder is not None else path, _NEW_FILE, 0o666, dir_fd=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write_json(path: Path, obj: Any) -> None:
    # Streamed (json.dump): the text of a large descriptor, and the list of its pieces json.dumps joins, are never
    # held whole (a corpus of 13,000 files has 13,000 sources). Same bytes as json.dumps.
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False, sort_keys=False)
        f.write("\n")


class TableWriter:
    """Streams rows of one table into its CSV, refusing cells a spreadsheet would execute."""

    def __init__(self, directory: Path, name: str):
        self.name = name
        self.schema = tschema.table_schema(name)
        self.fields = [(f["name"], f.get("type", "string")) for f in self.schema["fields"]]
        self.relpath = f"data/{name}.csv"
        self.rows = 0
        self.last: list[str] = []
        self.last_cr = False
        self.checked: Pending | None = None  # where the validation takes each row's cells (streamed tables)
        names = [n for n, _ in self.fields]
        self._values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        self._file = open(directory / self.relpath, "w", encoding="utf-8", newline="")  # noqa: SIM115 - streamed
        self._csv = csv.writer(self._file, lineterminator="\n")
        self._csv.writerow(names)

    def write(self, row: Mapping[str, Any]) -> None:
        """Format and write one row; its cells stay in ``last`` for the tables that repeat it (the views)."""
        cells: list[str] = []
        append = cells.append
        cr = False
        for name, ftype in self.fields:
            value = row.get(name)
            if value is None:
                append("")
            elif type(value) is str and ftype == "string":  # the common cases first, as format_cell gives them
                if value.startswith(FORMULA_LEADS):
                    raise PackageError(
                        f"{self.relpath}: row {self.rows + 2}, field {name}: value starts with {value[:1]!r}, which "
                        f"spreadsheets run as a formula ({value[:40]!r}); fix the source rather than alter the text")
                cr = cr or "\r" in value
                append(value)
            elif type(value) is int and ftype in ("integer", "number"):
                append(str(value))
            else:
                cell = format_cell(value, ftype)
                cr = cr or "\r" in cell
                append(cell)
        self.last, self.last_cr = cells, cr
        self.write_cells(cells, cr)

    def write_rows(self, rows: Sequence[Mapping[str, Any]]) -> list[Sequence[str]]:
        """Format and write a batch of rows, as :meth:`write` would one by one; their cells a column at a time, for
        the tables that repeat them."""
        columns = format_columns(rows, self.fields, self._values)
        if columns is None:  # a cell the columns do not cover (a formula, a boolean...): row by row, and its message
            cells = []
            for row in rows:
                self.write(row)
                cells.append(self.last)
            return list(zip(*cells))
        self.write_columns(columns)
        return columns

    def write_cells(self, cells: Sequence[str], cr: bool | None = None) -> None:
        """Write cells already formatted (and checked) for a table with the same field types.

        ``cr`` says whether a cell holds a carriage return (None: look). The csv module quotes a cell holding the
        line terminator ("\n") but not a lone "\r", which every CSV reader takes for the end of a line: such a
        row (a document with old Mac line endings) is written with those cells quoted.
        """
        self.rows += 1
        if cr or (cr is None and any("\r" in c for c in cells)):
            self._file.write(csv_line(cells))
        else:
            self._csv.writerow(cells)
        if self.checked is not None:
            self.checked.append(cells)

    def write_columns(self, columns: Sequence[Sequence[str]]) -> None:
        """Write rows already formatted, given a column at a time: :meth:`write_cells` of each row, in one piece.
        The validation takes them a column at a time too."""
        if len(columns) < 2:  # a row of one empty cell is written '""'
            for cells in zip(*columns):
                self.write_cells(cells)
            return
        rows = min(map(len, columns))
        if any(len(c) != rows for c in columns):  # the rows zip gives
            columns = [c[:rows] for c in columns]
        self._file.write(csv_lines(columns))
        self.rows += rows
        if self.checked is not None:
            self.checked.extend_columns(columns, rows)

    def flush(self) -> None:
        """Write out the rows written so far (the validation reads them back to confirm a repeated key)."""
        if not self._file.closed:  # closed: written out
            self._file.flush()

    def close(self) -> None:
        self._file.close()


_NONE = type(None)
_STRINGS, _INTEGERS, _NUMBERS = frozenset({str, _NONE}), frozenset({int, _NONE}), frozenset({int, float, _NONE})
_EMPTY = {None: ""}  # _EMPTY.get(v, v): "" for None, else v
_CONVERTED = ("integer", "number", "boolean")  # fields whose cells format_cell makes of a string otherwise
# A cell starting a formula, in a column's cells joined by NUL (a NUL inside a cell, if ever, is a false alarm: the
# batch is then written row by row, which says the truth).
_FORMULA_AFTER_NUL = re.compile("\x00[" + re.escape("".join(FORMULA_LEADS)) + "]")


def _string_cells(column: Sequence[Any]) -> list[str] | None:
    """The cells of a string field's column (None as ""); None when a value is not a string or a cell would start a
    formula. The values are joined once: a join refuses what is not a string, and one scan of the joined text finds
    a formula, instead of a test per value (a batch of figures has 20 string columns)."""
    try:
        cells = list(map(_EMPTY.get, column, column))
        formula = any_formula(cells)
    except TypeError:  # a number, a boolean, a list...: row by row, as format_cell gives it
        return None
    return None if formula else cells


def any_formula(cells: Iterable[str]) -> bool:
    """Whether a cell may start a formula (one NUL inside a cell, if ever, is a false alarm); TypeError when a cell
    is not a string. One join and one scan of its text, not a test per cell."""
    joined = "\x00".join(cells)
    return joined.startswith(FORMULA_LEADS) or _FORMULA_AFTER_NUL.search(joined) is not None


def _number_cells(column: Sequence[float | None]) -> list[str]:
    """format_cell of each int, float or None of a number field's column: the ints (most) by one map, the floats
    one by one (20000.0 is "20000", nan "")."""
    cells = list(map(_EMPTY.get, column, map(str, column)))
    for i in compress(range(len(column)), map(operator.is_, map(type, column), repeat(float))):
        cells[i] = format_cell(column[i], "number")
    return cells


def format_columns(rows: Sequence[Mapping[str, Any]], fields: Sequence[tuple[str, str]],
                   values: Callable[[Mapping[str, Any]], tuple]) -> list[Sequence[str]] | None:
    """The cells of a batch of rows as :meth:`TableWriter.write` formats them, a column at a time; None for a batch
    with a cell the columns do not cover (a value of another type than its field's usual one, a cell that would
    start a formula), which is written row by row.

    ``values`` gives a row's values in field order (an ``itemgetter``; a row without some field is read with ``get``).
    """
    try:
        columns = list(zip(*map(values, rows), strict=True))
    except KeyError:
        columns = list(zip(*(tuple(map(row.get, (n for n, _ in fields))) for row in rows), strict=True))
    if not columns:
        return []
    cells: list[Sequence[str]] = []
    for (_, ftype), column in zip(fields, columns, strict=True):
        if ftype == "string":
            column = _string_cells(column)
            if column is None:
                return None
            cells.append(column)
            continue
        types = set(map(type, column))
        if types <= _STRINGS and ftype not in _CONVERTED:  # a date as text is its own cell (format_cell: str(value))
            column = tuple(map(_EMPTY.get, column, column))
        elif ftype in ("integer", "number") and types <= _INTEGERS:
            column = tuple(map(_EMPTY.get, column, map(str, column)))
        elif ftype == "number" and types <= _NUMBERS:
            column = _number_cells(column)
        else:
            column = tuple(format_cell(v, ftype) for v in column)
        cells.append(column)
    return cells


def streamed(entry: Mapping[str, Any]) -> bool:
    """Tables written row by row as figures arrive: figures and its views; the rest are written at the end."""
    return entry["name"] == "figures" or entry.get("from") == "figures"


class PackageWriter:
    """Assembles a package in a temporary directory beside ``out_dir``; :meth:`commit` swaps it in.

    Rows are streamed: a document's sources row goes to its CSV as it arrives,
    each figure row to the figures CSV and to the view of its category, and its
    claim to the reconciler's files on disk, so no table is held in memory.
    Every table is checked as it is written (``written``, extract/aswritten.py),
    so the validation does not read the tables back: pass ``written`` to
    ``validate_package``.
    """

    def __init__(self, out_dir: Path, inputs: Iterable[str | Path] = (), check_quotes: bool = True):
        """Refuses (``OutputRefused``) an ``out_dir`` this tool did not write or that is, holds or lies in an input.

        ``check_quotes=False`` when the caller checked every row's quotes against the text it stores
        (``extract``: each worker does, see ``build.check_rows``).
        """
        restore_interrupted(Path(out_dir).resolve())
        self.out_dir = check_output_dir(out_dir, inputs)
        self.tmp = new_staging_dir(self.out_dir)
        (self.tmp / "data").mkdir()
        self.writers: dict[str, TableWriter] = {}
        self.views: dict[str, list[tuple[TableWriter, list[int]]]] = {}  # category -> its writers, the cells they take
        self.reconciler = Reconciler(self.tmp / ".claims")  # deleted once the facts are written
        self._texts: Path | None = None
        self._texts_fd: int | None = None  # texts/ opened once: each new file's name is looked up in it alone
        self.written = AsWritten(self.tmp, quotes=check_quotes)
        sources = self.writers["sources"] = TableWriter(self.tmp, "sources")
        sources.checked = self.written.start("sources", [n for n, _ in sources.fields], sources.flush)  # figures refer to it
        for entry in tschema.tables():
            if not streamed(entry):
                continue
            w = TableWriter(self.tmp, entry["name"])
            self.writers[entry["name"]] = w
            w.checked = self.written.start(w.name, [n for n, _ in w.fields], w.flush)
            if "from" in entry:
                figures = [n for n, _ in self.writers[entry["from"]].fields]
                columns = [figures.index(f) for _, f in tschema.view_columns(entry["name"])]
                self.views.setdefault(entry["category"], []).append((w, columns))
        self._category_at = [n for n, _ in self.writers["figures"].fields].index("category")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._close()
        if self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _close(self) -> None:
        for w in self.writers.values():
            w.close()
        if self._texts_fd is not None:
            os.close(self._texts_fd)
            self._texts_fd = None

    def add_documents(self, documents: Sequence[tuple[Mapping[str, Any], str, Sequence[Mapping[str, Any]]]]) -> None:
        """A batch of documents, each ``(sources row, text, figure rows)``, in order.

        Written a table at a time, so each table's code runs over the whole batch while it is in the processor's
        caches: the texts, then the sources rows, then the figures with their views and claims. A document's
        sources row still reaches the reconciler just before its figures (their facts take its date, outlet and
        event). The validation checks the rows once a table holds a batch of them (extract/aswritten.py).
        """
        for source, text, _ in documents:
            self.add_text(source["source_id"], text)
        self.writers["sources"].write_rows([source for source, _, _ in documents])
        add_source, add = self.reconciler.add_source, self.reconciler.add
        for source, _, rows in documents:
            add_source(source)
            for row in rows:
                add(row)
        self._write_views(self.writers["figures"].write_rows([row for _, _, rows in documents for row in rows]))
        self.written.flush("sources", "figures")

    def _write_views(self, columns: list[Sequence[str]]) -> None:
        """Each figure's cells in the views of its category: a view's fields are figures fields, formatted once."""
        if not columns or not columns[0]:
            return
        categories = columns[self._category_at]
        for category, views in self.views.items():
            mine = list(map(category.__eq__, categories))
            if True in mine:
                for w, fields in views:
                    w.write_columns([list(compress(columns[i], mine)) for i in fields])

    def add_text(self, source_id: str, text: str) -> None:
        """Store the text a document's offsets index, byte for byte, as ``texts/<source_id>.txt`` (UTF-8)."""
        if self._texts is None:  # made by the first text: a package without documents has no texts/ folder
            self._texts = self.tmp / "texts"
            self._texts.mkdir(exist_ok=True)
            self._texts_fd = _open_folder(self._texts)
        # os.path.join, not Path /: pathlib interns every name it parses, a table that grows with the corpus
        write_new_file(os.path.join(self._texts, f"{source_id}.txt"), text.encode("utf-8"), self._texts_fd)
        self.written.text(source_id, text)

    def _write_table(self, name: str, rows: Iterable[Mapping[str, Any]]) -> None:
        w = TableWriter(self.tmp, name)
        self.writers[name] = w
        w.checked = self.written.start(name, [n for n, _ in w.fields], w.flush)
        for row in rows:
            w.write(row)
            self.written.flush(name)
        w.close()

    FACTS_BATCH = 256  # facts formatted and written at once (with their links), as many as the validation checks
    LINKS_BATCH = 2048  # or fewer facts, once their links are this many: a fact every report states has one a report

    def _write_facts(self, corrections: list[Mapping[str, Any]]) -> None:
        """facts and fact_figures, each fact's links as it comes (see Reconciler), written a batch of facts at a time
        (:meth:`TableWriter.write_rows`); then the claims are deleted."""
        facts, links = TableWriter(self.tmp, "facts"), TableWriter(self.tmp, "fact_figures")
        self.writers.update(facts=facts, fact_figures=links)
        for w in (facts, links):  # a fact before its links, which refer to it
            w.checked = self.written.start(w.name, [n for n, _ in w.fields], w.flush)
        batch: list[Mapping[str, Any]] = []
        batch_links: list[Mapping[str, Any]] = []
        try:
            for fact, its in self.reconciler.facts(list(corrections)):
                batch.append(fact)
                batch_links += its
                if len(batch) == self.FACTS_BATCH or len(batch_links) >= self.LINKS_BATCH:
                    facts.write_rows(batch)
                    links.write_rows(batch_links)
                    self.written.flush("facts", "fact_figures")
                    batch, batch_links = [], []
            facts.write_rows(batch)
            links.write_rows(batch_links)
            self.written.flush("facts", "fact_figures")
        finally:
            facts.close()
            links.close()
            self.reconciler.close()

    def finish(self, meta: Mapping[str, Any], validate: Callable[[Path], list[str]],
               corrections: list[Mapping[str, Any]] = (),
               charts: Callable[[Path], list[dict[str, str]]] | None = None,
               decisions: Iterable[Mapping[str, Any]] = ()) -> None:
        """Write facts, corrections, review decisions, charts, datapackage.json and README (sources and figures are
        written as they arrive); validate; replace ``out_dir``.

        Raises :class:`~extract.reconcile.CorrectionError` when a correction no longer matches a figure.
        """
        self._close()
        self._write_facts(corrections)
        self._write_table("corrections", ({k: v for k, v in c.items() if not k.startswith("_")} for c in corrections))
        self._write_table("decisions", decisions)
        meta = dict(meta)
        if charts is not None:
            meta["charts"] = charts(self.tmp)
        documents = self.writers["sources"].rows
        listed = read_sources(self.tmp) if documents <= LISTED_SOURCES else ()
        descriptor = package_descriptor(self.tmp, meta, listed, documents)
        write_json(self.tmp / "datapackage.json", descriptor)
        with open(self.tmp / "README.md", "w", encoding="utf-8", newline="\n") as f:
            f.writelines(_joined(readme_lines(descriptor)))
        del descriptor  # validation reads its own copy
        errors = validate(self.tmp)
        if errors:
            shown = "\n  ".join(errors[:30]) + (f"\n  ... and {len(errors) - 30} more" if len(errors) > 30 else "")
            raise PackageError(f"the package for {self.out_dir} does not validate; nothing was written:\n  {shown}")
        write_marker(self.tmp)
        replace_dir(self.tmp, self.out_dir)


def _joined(lines: Iterable[str]) -> Iterator[str]:
    """``"\\n".join(lines)`` in pieces, for ``writelines``: the text is never held whole."""
    for i, line in enumerate(lines):
        yield f"\n{line}" if i else line


def restore_interrupted(target: Path) -> Path | None:
    """Undo a swap that was killed between its two renames: put the moved-away package back.

    :func:`replace_dir` moves the old package to ``.<name>.old-*`` and then moves the new one in; a kill
    between the two leaves ``target`` missing and the old package complete beside it. The next build calls
    this first, so the previous package is never lost, only briefly out of place.
    """
    if target.exists():
        return None
    candidates = sorted((p for p in target.parent.glob(f".{target.name}.old-*") if (p / "datapackage.json").is_file()),
                        key=lambda p: p.stat().st_mtime)
    if not candidates:
        return None
    os.replace(candidates[-1], target)
    return target


def created_timestamp() -> str | None:
    """Deterministic creation time: SOURCE_DATE_EPOCH if set, else the release date of this version
    (CITATION.cff's ``date-released``). Not the news date: ``created`` dates the package, and the package of a
    version is made by that version's code."""
    from displacement_figures.citation import cff_fields

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    released = cff_fields().get("date-released")
    return f"{released}T00:00:00Z" if released else None


def sources_entries(sources: Iterable[Mapping[str, Any]], documents: int | None = None) -> list[dict[str, str]]:
    """The descriptor's ``sources``: each document (outlet, headline, date) up to LISTED_SOURCES of them; past
    that, one entry pointing at the sources table, which lists them all. Thousands of entries would make
    datapackage.json and the README hard to read and hold the whole list in memory twice more (written, then
    validated), for what data/sources.csv already says."""
    if documents is not None and documents > LISTED_SOURCES:
        return [{"title": f"{documents:,} documents, each with its outlet, date, headline and SHA-256 in the sources "
                          "table", "path": "data/sources.csv"}]
    return [_source_entry(s) for s in sources]


def _source_entry(s: Mapping[str, Any]) -> dict[str, str]:
    outlet = s.get("outlet") or "Outlet not named"
    what = s.get("headline") or f"document {s['source_id']}"
    when = f", {s['published']}" if s.get("published") else ""
    return {"title": f"{outlet}: {what}{when}", "path": s["path"]}


def read_sources(directory: Path) -> Iterator[dict[str, str | None]]:
    """The fields of each row of the sources table written in ``directory`` that its entry in the descriptor
    names (:func:`_source_entry`), as text (empty cells None), one row at a time."""
    with open(directory / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        cells = itemgetter(*(header.index(k) for k in _SOURCE_ENTRY))
        for row in rows:
            yield dict(zip(_SOURCE_ENTRY, [v or None for v in cells(row)], strict=True))


_SOURCE_ENTRY = ("source_id", "outlet", "headline", "published", "path")


def package_descriptor(directory: Path, meta: Mapping[str, Any], sources: Iterable[Mapping[str, Any]],
                       documents: int | None = None) -> dict[str, Any]:
    """datapackage.json: package metadata, then one inline-schema resource per table with its hash.

    ``sources`` are the sources rows, each listed (see :func:`sources_entries`); ``documents`` is how many
    there are, when more than LISTED_SOURCES and so not read."""
    d: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"],
        "version": __version__,
        "generator": GENERATOR,
    }
    created = created_timestamp()
    if created:
        d["created"] = created
    for key in ("keywords", "licenses", "contributors"):  # the project's collections only (PROJECT_METADATA)
        if meta.get(key):
            d[key] = [dict(v) if isinstance(v, Mapping) else v for v in meta[key]]
    d["sources"] = sources_entries(sources, documents)
    if meta.get("charts"):
        d["charts"] = [dict(c) for c in meta["charts"]]
    d["resources"] = []
    for entry in tschema.tables():
        path = directory / "data" / f"{entry['name']}.csv"
        d["resources"].append({
            "name": entry["name"],
            "title": entry.get("title", entry["name"]),
            "description": entry.get("description", ""),
            "profile": "tabular-data-resource",
            "path": f"data/{entry['name']}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": path.stat().st_size,
            "hash": f"sha256:{sha256_file(path)}",
            "schema": tschema.table_schema(entry["name"]),
        })
    return d


# ---------------------------------------------------------------- README

README_DESCRIPTION = (
    "Each row of `figures` is one mention of a figure in one document, in long format: what is counted "
    "(`category`, `term`, `unit`), the value with its bounds (`value`, `value_low`, `value_high`) and how the "
    "text qualifies it (`qualifier`, `modality`), where and when it applies, and who the document says reports "
    "it (`attributed_to`). The per-category tables are views of `figures`, filtered by category, with the unit "
    "in the column name where it matters (`value_km`). Values are never invented: vague quantities keep only "
    "their bounds.")
README_CITATIONS = (
    "Every value cites its source: `source_id` names the document, and `quote` is exactly the document's text "
    "from character `char_start` to `char_end` (0-based, end exclusive). That text is stored in the package as "
    "`texts/<source_id>.txt` (the source's `text_path`): for a web page, PDF or Word file it is what the converter "
    "named in `sources.converter` produced, for a text file the file decoded.")
README_PREPARATION = (
    "Generated by `displacement-figures` {version}. Each document was read byte for byte and its SHA-256 "
    "recorded (for curated collections, checked against `sources.csv`), decoded or converted to text (stored in "
    "`texts/`), and passed through the "
    "extractor; the rows were sorted by `source_id`, `char_start` and `category`. Before the package replaced the "
    "previous one it was validated against its Table Schemas (types, constraints, primary and foreign keys, "
    "hashes, value_low ≤ value ≤ value_high, char_start < char_end, every per-category table equal to `figures`, "
    "and every quote equal to its span of the document); it also passes `frictionless validate`. This README is "
    "generated from `datapackage.json`.")
README_FACTS = (
    "`facts` reconciles the claims: one row per quantity that one or more figures report (same category, term, "
    "unit, modality, flow or stock, group, place or pair of places, and period), with UCDP-style `best`, `low` "
    "and `high`, the number of mentions and sources, and a `status`: `single_source`, `agree`, `consistent` "
    "(stated differently but compatible), `conflict` (sources disagree), or, inside one document, `revised` or "
    "`inconsistent_within_source`. Claims that state no place join only claims of the same `event` (see "
    "`sources`). `grouping` and `estimate` name the rule behind each row; "
    "`fact_figures` links every fact to the figures (and so the quotes) behind it, and `corrections` lists the "
    "hand decisions applied, each with its reason. A projection is never merged with an observation, nor a "
    "displacement flow with a stock.")
README_LICENSE = (
    "The data are licensed under [CC-BY-4.0](https://creativecommons.org/licenses/by/4.0/). Quotes are short "
    "excerpts of the cited documents, which remain the work of their publishers. The code that produced the "
    "data is MIT-licensed.")


def _md(text: Any) -> str:
    text = str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ")


def _constraints(field: Mapping[str, Any]) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "minimum" in c:
        parts.append(f"≥ {c['minimum']}")
    if "pattern" in c:
        parts.append(f"pattern `{c['pattern']}`")
    return "; ".join(parts)


def render_readme(d: Mapping[str, Any]) -> str:
    """The dataset README, a pure function of datapackage.json so CI can tell when it is stale."""
    return "\n".join(readme_lines(d))


def readme_lines(d: Mapping[str, Any]) -> Iterator[str]:
    """The lines of :func:`render_readme`, one at a time: a package of many documents lists one line per source."""
    from displacement_figures.citation import cite_package

    yield from [f"# {d['title']}", "", d["description"], "",
                f"Version {d['version']}" + (f", created {d['created']}" if d.get("created") else "") + ".", "",
                "## Data", "",
                "| Table | File | Description |", "| --- | --- | --- |"]
    for r in d["resources"]:
        yield f"| `{r['name']}` | [`{r['path']}`]({r['path']}) | {_md(r.get('description'))} |"
    yield ""
    for r in d["resources"]:
        yield from [f"### {r['name']}", "", _md(r.get("description")), "",
                    "| Field | Type | Title | Description | Constraints |", "| --- | --- | --- | --- | --- |"]
        for f in r["schema"]["fields"]:
            yield (f"| `{f['name']}` | {f.get('type', 'string')} | {_md(f.get('title'))} | "
                   f"{_md(f.get('description'))} | {_md(_constraints(f))} |")
        keys = r["schema"].get("foreignKeys", [])
        for fk in keys:
            ref = fk["reference"]
            yield ""
            yield f"`{', '.join(fk['fields'])}` refers to `{ref['resource']}.{', '.join(ref['fields'])}`."
        yield ""
    yield from ["## Description", "", README_DESCRIPTION, "", README_FACTS, ""]
    if d.get("charts"):
        yield from ["## Charts", ""]
        for c in d["charts"]:
            yield from [f"![{_md(c['title'])}]({c['path']})", ""]
    yield from ["## Citations", "", README_CITATIONS, ""]
    # A user's own extraction is cited by its title and the tool, never as this project's dataset (cite_package).
    yield from ["To cite this dataset:", "", f"> {cite_package(d)}", ""]
    yield from ["## Sources", ""]
    yield from (f"- {_md(s['title'])} (`{s['path']}`)" for s in d.get("sources", []))
    yield from ["", "## Preparation", "", README_PREPARATION.format(version=d["version"]), ""]
    if d.get("licenses"):
        yield from ["## License", "", README_LICENSE, ""]

