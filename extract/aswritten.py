"""The validation of a package's tables as their rows are written, so that none is read back.

A :class:`~.package.TableWriter` hands each row's cells to its CSV exactly as a reader gets them back (it quotes
every cell that needs it, a lone "\\r" included), so checking those cells is checking the file: the package
validation (:func:`~.validate.validate_package` with ``written=``) does not read the tables back. Rows are
checked a batch at a time by the same :class:`~.validate.TableRun` that checks a file, with the same messages.
What needs the whole package is checked at the end: the foreign keys to tables written later (figures, streamed
first, refer to ``sources``, written at the end), the rows a view lacks, the descriptor (that it describes the tables
with the schemas their rows were checked against) and the hash of every file on disk.

A view's row must come after the figure it repeats (``PackageWriter.add_documents`` writes them so): the view is
checked against the figures checked so far.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path

from displacement_figures import schema as tschema

from . import validate
from .columns import Columns
from .validate import Documents, Table, TableRun, Validation, _Errors, _header_errors


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
        """Forget the texts of the rows checked, all but the last given: its document's rows may be still to come."""
        last = next(reversed(self.texts), None)
        kept = {last: self.texts.pop(last)} if last is not None else {}
        self.gone.update(self.texts)
        self.texts = kept


class Pending:
    """The rows a writer handed over since the last check, as it gave them: a batch a column at a time (as it
    formatted them, :meth:`extend_columns`) or one row at a time; ``len`` counts rows, iteration gives them."""

    __slots__ = ("_count", "_parts")

    def __init__(self) -> None:
        self._parts: list[Columns | list[Sequence[str]]] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Sequence[str]]:
        return chain.from_iterable(self._parts)

    def append(self, cells: Sequence[str]) -> None:
        if not self._parts or isinstance(self._parts[-1], Columns):
            self._parts.append([])
        self._parts[-1].append(cells)
        self._count += 1

    def extend_columns(self, columns: Sequence[Sequence[str]], rows: int) -> None:
        """``rows`` rows given by their columns, each of ``rows`` cells."""
        self._parts.append(Columns(columns, rows))
        self._count += rows

    def batch(self) -> Columns | list[Sequence[str]]:
        """The rows as one batch: their columns joined when every part is columns (one part: as it is)."""
        parts = self._parts
        if len(parts) == 1 or not all(isinstance(p, Columns) for p in parts):
            return parts[0] if len(parts) == 1 else list(self)
        return Columns([list(chain.from_iterable(c)) for c in zip(*(p.columns for p in parts))], self._count)

    def clear(self) -> None:
        self._parts = []
        self._count = 0


class AsWritten:
    """Checks the rows of the tables of a package assembled in ``directory`` as they are written.

    :meth:`start` begins a table (its writer then appends each row's cells to the list it returns);
    :meth:`flush` checks the rows appended since. ``quotes`` checks every quote against the text given to
    :meth:`text` (the build); ``extract`` checked them in each worker already.
    """

    def __init__(self, directory: Path, quotes: bool = True) -> None:
        self.tables = {e["name"]: Table(e["name"], f"data/{e['name']}.csv", directory / "data" / f"{e['name']}.csv",
                                        tschema.table_schema(e["name"])) for e in tschema.tables()}
        self.texts = _WrittenTexts(quotes)
        self.validation = Validation(self.tables, self.texts)  # type: ignore[arg-type] - a texts source like Documents
        self.errors: dict[str, _Errors] = {}
        self.runs: dict[str, TableRun] = {}  # in the order the tables were started
        self.pending: dict[str, Pending] = {}

    def start(self, name: str, header: list[str], sync: Callable[[], None] | None = None) -> Pending:
        """Begin checking table ``name`` with the header its writer wrote; where its rows' cells go.

        ``sync`` writes out to the table's file what its writer holds: a row whose key's hash was seen before is
        compared with the rows of the file (see ``TableRun._repeated``).

        A table refers to tables started before it as a file refers to tables read before it; its foreign keys
        to the others are checked at the end. A view is started after the table it repeats.
        """
        t = self.tables[name]
        later = set(self.tables) - set(self.runs) - {name}
        self.errors[name] = errors = _Errors(t.rel)
        for e in _header_errors(header, t.names, t.rel):
            errors.add(e)
        self.runs[name] = run = TableRun(self.validation, t, errors, later)
        run.sync = sync
        self.pending[name] = Pending()
        return self.pending[name]

    def text(self, source_id: str, text: str) -> None:
        if self.texts.active:
            self.texts.texts[source_id] = text

    def flush(self, *leads: str) -> None:
        """Check the rows written since the last flush: once one of ``leads`` has a batch of them, or now."""
        if leads:  # called for every document: a plain loop, no generator
            for lead in leads:
                if len(self.pending[lead]) >= validate.BATCH_ROWS:
                    break
            else:
                return
        for name, run in self.runs.items():  # a repeated table first: its rows are what the views are held to
            rows = self.pending[name]  # the writer's own: emptied, not replaced
            if rows:
                run.rows(rows.batch())
                rows.clear()
        self.texts.clear()

    def adopt(self, tables: Mapping[str, Table], documents: Documents) -> tuple[Validation, list[str]]:
        """The validation to continue with the package's descriptor (``tables``): the state of the rows checked,
        and the problems of a descriptor that does not describe the tables as they were written and checked."""
        self.flush()
        errors = []
        for name in self.runs:
            theirs, mine = tables.get(name), self.tables[name]
            if theirs is None:
                errors.append(f"datapackage.json: no readable resource {name}, whose rows were written")
            elif theirs.rel != mine.rel or theirs.schema != mine.schema:
                errors.append(f"datapackage.json: resource {name}: not the path and schema its rows were written "
                              "and checked against")
        self.validation.tables, self.validation.documents = dict(tables), documents
        return self.validation, errors + self.texts.errors

    def table_errors(self, name: str) -> list[str]:
        """The problems of a table checked as written, once every table it refers to is checked."""
        self.runs[name].end()
        return self.errors[name].done()
