"""The validation of the streamed tables (figures and its per-category views) as their rows are written.

A :class:`~.package.TableWriter` hands each row's cells to its CSV exactly as a reader gets them back (it quotes
every cell that needs it, a lone "\\r" included), so checking those cells is checking the file: the package
validation (:func:`~.validate.validate_package` with ``written=``) does not read these tables back. Rows are
checked a batch at a time by the same :class:`~.validate.TableRun` that checks a file, with the same messages;
what needs the whole package is checked at the end: the foreign keys to the tables written last (``sources``),
the rows a view lacks, the descriptor (that it describes these tables with the schemas their rows were checked
against) and the hashes of every file on disk.

A view's row must come after the figure it repeats (``PackageWriter.add_figures`` writes them so): the view is
checked against the figures checked so far.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from displacement_figures import schema as tschema

from .validate import BATCH_ROWS, Documents, Table, TableRun, Validation, _Errors, _header_errors, _ordered


class _WrittenTexts:
    """The texts the writer stored for the rows not yet checked, so their quotes are checked against them."""

    def __init__(self, active: bool) -> None:
        self.active = active
        self.texts: dict[str, str] = {}
        self.gone: set[str] = set()
        self.errors: list[str] = []

    def text(self, sid: str) -> str | None:
        text = self.texts.get(sid)
        if text is None and sid in self.gone:
            self.gone.discard(sid)  # said once
            self.errors.append(f"data/figures.csv: rows of source {sid} came after other documents' rows were "
                               "checked; their quotes were not checked")
        return text

    def clear(self) -> None:
        self.gone.update(self.texts)
        self.texts.clear()


class AsWritten:
    """Checks the rows of ``names`` (tables of the package assembled in ``directory``) as they are written.

    A writer appends each row's cells to ``pending[name]``; :meth:`flush` checks them. ``quotes`` checks every
    quote against the text given to :meth:`text` (the build); ``extract`` checked them in each worker already.
    """

    def __init__(self, directory: Path, names: Iterable[str], quotes: bool = True) -> None:
        self.tables = {e["name"]: Table(e["name"], f"data/{e['name']}.csv", directory / "data" / f"{e['name']}.csv",
                                        tschema.table_schema(e["name"])) for e in tschema.tables()}
        self.texts = _WrittenTexts(quotes)
        self.validation = Validation(self.tables, self.texts)  # type: ignore[arg-type] - a texts source like Documents
        names = set(names)
        streamed = [t for t in _ordered(self.tables) if t.name in names]  # figures before the views repeating it
        later = set(self.tables) - names
        self.errors = {t.name: _Errors(t.rel) for t in streamed}
        self.runs = {t.name: TableRun(self.validation, t, self.errors[t.name], later) for t in streamed}
        self.pending: dict[str, list[list[str]]] = {t.name: [] for t in streamed}
        self._first = streamed[0].name if streamed else None

    def header(self, name: str, cells: list[str]) -> None:
        """The header the writer wrote, checked like a file's."""
        for e in _header_errors(cells, self.tables[name].names, self.tables[name].rel):
            self.errors[name].add(e)

    def text(self, source_id: str, text: str) -> None:
        if self.texts.active:
            self.texts.texts[source_id] = text

    def flush(self, full: bool = True) -> None:
        """Check the rows written since the last flush, once a batch is there (``full``) or whatever there is."""
        if self._first is None or (full and len(self.pending[self._first]) < BATCH_ROWS):
            return
        for name, run in self.runs.items():  # the repeated table first: its rows are what the views are held to
            rows = self.pending[name]  # the writer's own list: emptied, not replaced
            if rows:
                run.rows(rows)
                rows.clear()
        self.texts.clear()

    def adopt(self, tables: Mapping[str, Table], documents: Documents) -> tuple[Validation, list[str]]:
        """The validation to continue with the package's descriptor (``tables``): the state of the rows checked,
        and the problems of a descriptor that does not describe the tables as they were written and checked."""
        self.flush(full=False)
        errors = []
        for name, t in self.tables.items():
            theirs = tables.get(name)
            if theirs is None:
                if name in self.runs:
                    errors.append(f"datapackage.json: no readable resource {name}, whose rows were written")
            elif theirs.rel != t.rel or theirs.schema != t.schema:
                errors.append(f"datapackage.json: resource {name}: not the path and schema its rows were written "
                              "and checked against")
        self.validation.tables, self.validation.documents = dict(tables), documents
        return self.validation, errors + self.texts.errors

    def table_errors(self, name: str) -> list[str]:
        """The problems of a streamed table, once every table it refers to is checked."""
        self.runs[name].end()
        return self.errors[name].done()
