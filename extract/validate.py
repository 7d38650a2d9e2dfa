"""Validate a package in one streaming pass: the check `build` and `extract` run before publishing, and `validate`.

A package is published only when this returns no problem. It reads every
table once, a batch of rows at a time, with checks compiled once from the
Table Schemas, so its cost is proportional to the rows and its memory to the
keys (one set of primary keys per referenced table, one hash per repeated
row), never to the rows themselves. A batch is first offered to whole-column
checks (extract/columns.py) that only clear it; a batch they do not clear is
checked row by row, the pass that names each problem (:class:`TableRun`).
`build` and `extract` feed the same checks each table's rows as they write
them (extract/aswritten.py) and read nothing back. What is checked:

- the descriptor's resources: a safe path, the bytes and SHA-256 recorded;
- each table's header against its schema, each row's length, blank rows;
- each cell's type (integer, number, boolean, date, datetime, string) and
  constraints (required, enum, minimum, maximum, pattern, minLength,
  maxLength, unique), primary keys and foreign keys;
- the checks between fields: ``x_low <= x <= x_high``, ``char_start <
  char_end``, and every quote (and sentence) equal to its span of the
  document, whose bytes must still have the SHA-256 ``sources.csv`` records;
- the repeated tables (the per-category views of figures, fact_figures):
  every value equal to the one it repeats, no row of a category missing.

This is everything Frictionless's row pass checks and what pandera added on
top (``tests/test_validate.py`` feeds both the same broken packages).
Frictionless itself stays where users expect it: ``displacement-figures
validate`` runs it as well (``frictionless=True``), and so does CI.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from displacement_figures import schema as tschema

from .columns import INTEGER as _INTEGER
from .columns import NUMBER as _NUMBER
from .columns import Columns, cells_clear, column_check, order_clear, unique_clear
from .hashed import HashedKeys, HashedRows
from .names import _shown, _unsafe_path

if TYPE_CHECKING:
    from .aswritten import AsWritten

BATCH_ROWS = 512  # rows the fast path clears at once (extract/columns.py)
MAX_ERRORS_PER_TABLE = 100  # a table broken throughout says so in a hundred messages, then counts the rest

# Cells as Table Schema reads them (missingValues [""]); stricter than Frictionless where it is lenient
# (no spaces, no "+", no "1_000"): the writer formats every cell canonically.
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _integer(cell: str) -> int:
    if not _INTEGER.fullmatch(cell):
        raise ValueError
    return int(cell)


def _number(cell: str) -> float:
    if not _NUMBER.fullmatch(cell):
        raise ValueError
    return float(cell)


def _date(cell: str) -> dt.date:
    if not _DATE.fullmatch(cell):
        raise ValueError
    return dt.date.fromisoformat(cell)


def _datetime(cell: str) -> dt.datetime:
    return dt.datetime.fromisoformat(cell.removesuffix("Z") + ("+00:00" if cell.endswith("Z") else ""))


def _boolean(f: Mapping[str, Any]) -> Callable[[str], bool]:
    true = set(f.get("trueValues", ["true", "True", "TRUE", "1"]))
    false = set(f.get("falseValues", ["false", "False", "FALSE", "0"]))

    def cast(cell: str) -> bool:
        if cell in true:
            return True
        if cell in false:
            return False
        raise ValueError

    return cast


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def _uri(cell: str) -> str:
    if not _URI.fullmatch(cell):
        raise ValueError(cell)
    return cell


def _caster(f: Mapping[str, Any]) -> Callable[[str], Any] | None:
    """How a cell of this field is read; None for a string (read as it is)."""
    ftype, fmt = f.get("type", "string"), f.get("format", "default")
    if ftype == "string" and fmt in ("default", None):
        return None
    if ftype == "string" and fmt == "uri":
        return _uri
    casts = {"integer": _integer, "number": _number, "date": _date, "datetime": _datetime}
    if ftype in casts and fmt in ("default", "any", None):
        return casts[ftype]
    if ftype == "boolean":
        return _boolean(f)
    # A schema that grows a type or format nobody taught this module fails loudly rather than going unchecked.
    raise NotImplementedError(f"field {f['name']!r}: type {ftype!r} format {fmt!r} is not validated; add it here")


def field_check(f: Mapping[str, Any]) -> Callable[[str], str | None] | None:
    """A function from a cell to what is wrong with it (None when nothing is); None for a field without checks."""
    cast, c = _caster(f), f.get("constraints", {})
    required, ftype = bool(c.get("required")), f.get("type", "string")
    tests: list[tuple[Callable[[Any], bool], str]] = []
    if "enum" in c:
        allowed = {cast(str(v)) if cast and isinstance(v, str) else v for v in c["enum"]}
        tests.append((allowed.__contains__, f"is not one of {', '.join(map(str, c['enum']))}"))
    if "minimum" in c:
        lo = cast(str(c["minimum"])) if cast and isinstance(c["minimum"], str) else c["minimum"]
        tests.append((lambda v: v >= lo, f"is below the minimum {c['minimum']}"))
    if "maximum" in c:
        hi = cast(str(c["maximum"])) if cast and isinstance(c["maximum"], str) else c["maximum"]
        tests.append((lambda v: v <= hi, f"is above the maximum {c['maximum']}"))
    if "pattern" in c:
        whole = re.compile(f"(?:{c['pattern']})\\Z")  # Table Schema patterns match the whole value
        tests.append((lambda v: whole.match(v) is not None, f"does not match the pattern {c['pattern']}"))
    if "minLength" in c:
        tests.append((lambda v: len(v) >= c["minLength"], f"is shorter than {c['minLength']}"))
    if "maxLength" in c:
        tests.append((lambda v: len(v) <= c["maxLength"], f"is longer than {c['maxLength']}"))
    if cast is None and not tests and not required:
        return None

    def check(cell: str) -> str | None:
        if cell == "":
            return "is missing (the field is required)" if required else None
        try:
            value = cell if cast is None else cast(cell)
        except (ValueError, OverflowError):
            return f"{cell!r} is not of type {ftype}"
        for ok, why in tests:
            if not ok(value):
                return f"{cell!r} {why}"
        return None

    return check


def compiled_checks(fields: list[Mapping[str, Any]], skip: set[str] = frozenset()
                    ) -> tuple[list[tuple[int, str]], list[tuple[int, str, frozenset, bool, str]], list[tuple]]:
    """The cell checks of a table, cheapest kinds apart: (required strings, enum strings, the rest as functions).

    Fields named in ``skip`` are left out (columns already checked in the table a row repeats).
    """
    required, enums, general = [], [], []
    for i, f in enumerate(fields):
        if f["name"] in skip:
            continue
        c = f.get("constraints", {})
        plain = _caster(f) is None and not set(c) - {"required", "enum"}
        if plain and "enum" in c:
            enums.append((i, f["name"], frozenset(c["enum"]), bool(c.get("required")), ", ".join(map(str, c["enum"]))))
        elif plain and c.get("required"):
            required.append((i, f["name"]))
        elif (check := field_check(f)) is not None:
            general.append((i, f["name"], check))
    return required, enums, general


def _same_checks(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two fields that accept the same cells (names, titles, descriptions and tags aside)."""
    words = ("name", "title", "description", "hxl", "example", "rdfType")
    return {k: v for k, v in a.items() if k not in words} == {k: v for k, v in b.items() if k not in words}


def _pairs(names: list[str]) -> list[tuple[str, str, bool]]:
    """Fields that must be ordered, found by naming convention so renamed view columns get them too."""
    pairs = []
    for n in names:
        if n.endswith(("_low", "_high")):
            continue
        low, high = f"{n}_low", f"{n}_high"
        pairs += [(a, b, False) for a, b in ((low, n), (n, high), (low, high)) if a in names and b in names]
    for prefix in ("char", "sentence"):
        if f"{prefix}_start" in names and f"{prefix}_end" in names:
            pairs.append((f"{prefix}_start", f"{prefix}_end", True))
    return pairs


SPANS = (("quote", "char_start", "char_end"), ("sentence", "sentence_start", "sentence_end"))


def span_errors(row: Mapping[str, Any], text: str) -> list[tuple[str, str]]:
    """``(field, check)`` for each quote or sentence of ``row`` that is not its span of ``text``.

    The one place the promise of the dataset is checked: the extraction runs it on each document's rows, the
    package validation on every row of a written package, with offsets and strings as read from its CSV.
    """
    out = []
    for column, start, end in SPANS:
        if column in row and text[int(row[start]):int(row[end])] != row[column]:
            out.append((column, f"{column} == text[{start}:{end}]"))
    return out


# ---------------------------------------------------------------- the plan: what each table is checked against

@dataclass
class Repeat:
    """Table ``name`` repeats rows of ``target`` (same primary key): ``columns`` pairs (own, target's) must agree."""

    name: str
    target: str
    columns: list[tuple[str, str]]
    category: str | None  # the view holds every target row of this category
    # A view: key -> the target row's number and the hash of its values, as one int (_expect), expected in the order
    # of its target's rows (HashedRows' queue), each taken as its row comes.
    expected: HashedRows = field(default_factory=HashedRows)
    # A table that repeats rows in another order, after every row of its target (fact_figures): the hash of each
    # target row's key and values (8 bytes a figure, held until then), and no entry taken: a row's key was taken
    # when an earlier row of its table had it (its primary key repeated). None for a view.
    pairs: HashedKeys | None = None


_HASH = 2**64 - 1  # hash() is a 64-bit signed int: masked, the same value as an unsigned one


def _expect(n: int, values_hash: int) -> int:
    """Row ``n`` and a hash of its values packed in one int (one object, not a tuple of two ints and the tuple)."""
    return n << 64 | values_hash & _HASH


@dataclass
class Table:
    name: str
    rel: str
    path: Path
    schema: Mapping[str, Any]
    names: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = [f["name"] for f in self.schema.get("fields", [])]

    @property
    def key(self) -> list[str]:
        pk = self.schema.get("primaryKey") or []
        return [pk] if isinstance(pk, str) else list(pk)

    def foreign_keys(self) -> list[tuple[list[str], str, list[str]]]:
        return [(list(fk["fields"]) if isinstance(fk["fields"], list) else [fk["fields"]],
                 fk["reference"]["resource"],
                 list(fk["reference"]["fields"]) if isinstance(fk["reference"]["fields"], list)
                 else [fk["reference"]["fields"]])
                for fk in self.schema.get("foreignKeys", [])]


def _repeats(tables: Mapping[str, Table]) -> list[Repeat]:
    """Tables whose primary key is a foreign key to another table's primary key: they repeat its rows."""
    out = []
    for t in tables.values():
        for fields, target, ref in t.foreign_keys():
            other = tables.get(target)
            if other is None or not t.key or fields != t.key or ref != other.key:
                continue
            entry = tschema.table_entry(t.name) if t.name in tschema.table_names() else {}
            if entry.get("from") == target:
                columns = [(c, s) for c, s in tschema.view_columns(t.name) if c in t.names and s in other.names]
            else:
                columns = [(c, c) for c in t.names if c in other.names]
            columns = [(c, s) for c, s in columns if c not in t.key]
            category = entry.get("category") if entry.get("from") == target and "category" in other.names else None
            view = entry.get("from") == target
            out.append(Repeat(t.name, target, columns, category, HashedRows(ordered=True) if view else HashedRows(),
                              None if view else HashedKeys()))
    return out


def _ordered(tables: Mapping[str, Table]) -> list[Table]:
    """Tables in descriptor order, except that a referenced table comes before the tables referring to it."""
    done: dict[str, Table] = {}

    def visit(t: Table, path: tuple[str, ...]) -> None:
        if t.name in done or t.name in path:
            return
        for _, target, _ in t.foreign_keys():
            if target in tables and target != t.name:
                visit(tables[target], (*path, t.name))
        done[t.name] = t

    for t in tables.values():
        visit(t, ())
    return list(done.values())


# ---------------------------------------------------------------- documents

class Documents:
    """The documents the quotes cite, read one at a time when a table first needs one, each read once.

    A document is found by ``documents[source_id]`` when the caller knows where it is (the build), else by its
    ``sources.path`` under ``root``. Its bytes must have the SHA-256 and size ``sources.csv`` records; a document
    that cannot be read or changed is reported once, at its sources row, and its quotes are not checked.
    """

    def __init__(self, root: Path | None, documents: Mapping[str, str | Path] | None,
                 package: Path | None = None) -> None:
        self.root, self.documents, self.package = root, documents, package
        self.recorded: dict[str, tuple[int, str, str, str, str]] = {}  # sid -> (row, path, sha256, bytes, encoding)
        self.stored: dict[str, tuple[int, dict[str, str]]] = {}  # sid -> (row, sources row naming its text_path)
        self.errors: list[str] = []
        self._done: set[str] = set()
        self._current: tuple[str | None, str | None] = (None, None)
        self._resolved: Path | None = None

    def _root(self) -> Path:
        if self._resolved is None:
            self._resolved = self.root.resolve()
        return self._resolved

    @property
    def active(self) -> bool:
        return self.root is not None or self.documents is not None or bool(self.stored)

    def record(self, n: int, row: Mapping[str, str]) -> None:
        cells = tuple(row.get(k, "") for k in ("path", "sha256", "bytes", "encoding"))
        if row.get("source_id") and all(cells[:3]):  # encoding is empty for a converted document
            self.recorded[row["source_id"]] = (n, *cells)
        if row.get("source_id") and row.get("text_path") and self.package is not None:
            self.stored[row["source_id"]] = (n, dict(row))

    def text(self, sid: str) -> str | None:
        if self._current[0] != sid:
            self._current = (sid, self._read(sid))
        return self._current[1]

    def finish(self) -> list[str]:
        """Read the documents no row cited, for their hashes; the problems of all documents."""
        for sid in [*self.recorded, *(s for s in self.stored if s not in self.recorded)]:
            if sid not in self._done:
                self._read(sid)
        return self.errors

    def _read(self, sid: str) -> str | None:
        if sid in self._done and self._current[0] != sid:
            return self._reread(sid)
        self._done.add(sid)
        decoded = self._original(sid, decode=sid not in self.stored)
        return self._stored(sid) if sid in self.stored else decoded

    def _stored(self, sid: str) -> str | None:
        """The text the package stores for ``sid`` (texts/<source_id>.txt): what its quotes index."""
        from .stored import source_text

        n, row = self.stored[sid]
        try:
            return source_text(self.package, row)
        except (ValueError, OSError) as e:
            self.errors.append(f"data/sources.csv: row {n}, field text_path: {e}; the quotes of source {sid} were "
                               "not checked")
            return None

    def _original(self, sid: str, decode: bool = True) -> str | None:
        """The original document's text, its hash and size checked; None when it is not at hand, converted, or
        not to be decoded (its stored text is the one its quotes index)."""
        if (self.root is None and self.documents is None) or sid not in self.recorded:
            return None
        n, rel, sha, size, enc = self.recorded[sid]
        at = f"data/sources.csv: row {n}"
        path = self._locate(sid, rel, at)
        if path is None:
            return None
        try:
            if isinstance(path, Path):  # a path the package names, vetted above
                data = path.read_bytes()
            else:  # where the caller read the document moments ago (extract, build)
                with open(path, "rb") as f:
                    data = f.read()
        except OSError:  # missing, a folder, unreadable: one open tried, no stat before it
            self.errors.append(f"{at}, field path: document {path} of source {sid} not found")
            return None
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha:
            self.errors.append(f"{at}, field sha256: document {path} has SHA-256 {actual}, the package records "
                               f"{sha}: it changed after the build, so the quotes of source {sid} were not checked")
            return None
        if str(len(data)) != size:
            self.errors.append(f"{at}, field bytes: document {path} has {len(data)} bytes, the package records {size}")
        if not enc or not decode:
            return None  # a web page, PDF or Word file, or a stored text: the package holds what the quotes index
        try:
            return data.decode(enc, errors="replace") if enc == "cp1252" else data.decode(enc)
        except (LookupError, UnicodeDecodeError) as e:
            self.errors.append(f"{at}, field encoding: document {path} cannot be read as {enc} ({e})")
            return None

    def _reread(self, sid: str) -> str | None:
        """A source cited again after others (rows not grouped by source): read again, reported once."""
        errors = self.errors
        self.errors = []
        try:
            self._done.discard(sid)
            return self._read(sid)
        finally:
            self.errors = errors

    def _locate(self, sid: str, rel: str, at: str) -> str | Path | None:
        if self.documents is not None:
            path = self.documents.get(sid)
            if path is None:
                self.errors.append(f"{at}, field path: document of source {sid} not found")
            return path
        # The package names the file to read: a crafted path ("../../etc/passwd", "/etc/passwd", a link out of
        # the documents' folder) is reported, never opened.
        bad = _unsafe_path(rel)
        if bad:
            self.errors.append(f"{at}, field path: {_shown(rel)} {bad}; document of source {sid} not read")
            return None
        path = self.root / rel
        # A plain file named by a plain name cannot lead out; anything else is resolved (the root once per package).
        if ("/" in rel or path.is_symlink()) and path.exists() and not path.resolve().is_relative_to(self._root()):
            self.errors.append(f"{at}, field path: {_shown(path)} leads outside {_shown(self.root)} (a symbolic "
                               f"link); document of source {sid} not read")
            return None
        return path


# ---------------------------------------------------------------- one table, streamed

class _Errors(list):
    """A table's problems, at most MAX_ERRORS_PER_TABLE kept; the rest counted."""

    def __init__(self, rel: str) -> None:
        super().__init__()
        self.rel, self.dropped = rel, 0

    def add(self, message: str) -> None:
        if len(self) < MAX_ERRORS_PER_TABLE:
            self.append(message)
        else:
            self.dropped += 1

    def done(self) -> list[str]:
        return [*self, *([f"{self.rel}: ... and {self.dropped} more problems"] if self.dropped else [])]


def _header_errors(header: list[str], names: list[str], rel: str) -> list[str]:
    """Columns missing, extra, repeated or out of order, each named; the table is not read further when any."""
    errors = [f"{rel}: row 1 (header), field {n}: column missing (the schema has it at position {i + 1})"
              for i, n in enumerate(names) if n not in header]
    errors += [f"{rel}: row 1 (header), field {n}: column not in the schema (position {i + 1})"
               for i, n in enumerate(header) if n not in names]
    errors += [f"{rel}: row 1 (header), field {n}: column repeated (position {i + 1})"
               for i, n in enumerate(header) if n in header[:i]]
    if not errors and header != names:
        errors.append(f"{rel}: row 1 (header): columns {header} are not in the schema's order {names}")
    return errors


def _rows(path: Path) -> Iterator[list[str]]:
    # A fact's claims list every claim: a cell can outgrow the csv module's default limit of 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    with open(path, encoding="utf-8", newline="") as f:
        yield from csv.reader(f)


@dataclass
class _Plan:
    """One table's checks, compiled once (see :meth:`Validation._plan`); cells are addressed by index."""

    repeats: list[tuple[Repeat, list[int]]]  # the rows this table repeats, and its cells that repeat them
    full: tuple  # compiled_checks of every field
    lean: tuple  # ... of the fields a verified repeated row had checked in its target
    unique: list[tuple[int, str, set]]
    pk: list[int]
    pk_seen: HashedKeys
    # A view's primary keys: a row cleared in a batch took its entry of the figure it repeats (Repeat.expected), so
    # no later row of its key is cleared; its key is not added to pk_seen but is among these, its target's keys,
    # where a row checked one by one looks it up too (confirmed by TableRun._repeated). None for other tables.
    pk_taken: HashedKeys | None
    own_keys: list[tuple[tuple[int, ...], HashedKeys]]  # keys other tables refer to, collected as rows pass
    fks: list[tuple[list[int], str, str, set]]
    later: list[tuple[list[int], str, str, tuple[str, ...], set]]  # foreign keys to tables not yet read: values
    pairs: list[tuple[int, int, str, str, bool]]
    lean_pairs: list[tuple[int, int, str, str, bool]]
    repeated_by: list[tuple[Repeat, list[int], int | None]]
    spans: list[tuple] | bool
    sid_at: int | None
    columns: list[tuple[int, Callable]] = field(default_factory=list)  # column_check of the general fields
    lean_columns: list[tuple[int, Callable]] = field(default_factory=list)
    # fks but those to the rows this table repeats: a batch whose every row repeats one of them refers to it
    fast_fks: list[tuple[list[int], str, str, set]] = field(default_factory=list)


def _check_cells(cells: list[str], checks: tuple, rel: str, n: int, errors: _Errors) -> None:
    """Types and constraints of each cell (``checks`` from :func:`compiled_checks`)."""
    required, enums, general = checks
    for i, name in required:
        if not cells[i]:
            errors.add(f"{rel}: row {n}, field {name}: is missing (the field is required)")
    for i, name, allowed, needed, shown in enums:
        if cells[i] not in allowed and (cells[i] or needed):
            why = f"{cells[i]!r} is not one of {shown}" if cells[i] else "is missing (the field is required)"
            errors.add(f"{rel}: row {n}, field {name}: {why}")
    for i, name, check in general:
        why = check(cells[i])
        if why is not None:
            errors.add(f"{rel}: row {n}, field {name}: {why}")


def _check_order(cells: list[str], pairs: list[tuple], rel: str, n: int, errors: _Errors) -> None:
    """``low <= value <= high`` and ``start < end`` where both cells are given."""
    for a, b, an, bn, strict in pairs:
        if cells[a] and cells[b]:
            try:
                x, y = float(cells[a]), float(cells[b])
            except ValueError:
                continue  # reported as a type error
            if (x >= y) if strict else (x > y):
                errors.add(f"{rel}: row {n}, field {an}: failed {an} {'<' if strict else '<='} {bn} "
                           f"(value {cells[a]!r})")


class Validation:
    """State across the tables of one package: the keys tables refer to, what repeated tables must hold."""

    def __init__(self, tables: Mapping[str, Table], documents: Documents) -> None:
        self.tables, self.documents = tables, documents
        self.readable: set[str] = set()
        referenced = {(target, tuple(ref)) for t in tables.values() for _, target, ref in t.foreign_keys()}
        # One per referenced key and per primary key: 8 bytes a key (extract/hashed.py), not a set of the strings.
        self.keys: dict[tuple[str, tuple[str, ...]], HashedKeys] = {k: HashedKeys() for k in referenced}
        self.repeats = _repeats(tables)
        self.bad_keys: dict[str, set] = {name: set() for name in tables}

    def table(self, t: Table) -> list[str]:
        """Check the table's file: its header, then its rows, a batch at a time."""
        errors = _Errors(t.rel)
        try:
            rows = _rows(t.path)
            header = next(rows, [])
            bad = _header_errors(header, t.names, t.rel)
            if bad:
                return bad
            self._rows(t, rows, errors)
        except (UnicodeDecodeError, csv.Error) as e:
            self.readable.discard(t.name)  # its keys are incomplete: the tables referring to it are not checked
            errors.add(f"{t.rel}: {'not UTF-8' if isinstance(e, UnicodeDecodeError) else 'not a readable CSV'} ({e})")
        return errors.done()

    def _covered(self, t: Table, repeats: list[tuple[Repeat, list[int]]]) -> set[str]:
        """Columns of ``t`` whose cells a verified repeated row had checked in the table it repeats.

        A row equal to the row it repeats (hash of the cells) had those cells checked there: they are not
        checked again when the two fields accept the same cells.
        """
        covered: set[str] = set()
        mine = {f["name"]: f for f in t.schema["fields"]}
        for r, _ in repeats:
            theirs = {f["name"]: f for f in self.tables[r.target].schema["fields"]}
            pairs_ = [*r.columns, *((k, k) for k in t.key)]
            covered |= {c for c, s_ in pairs_ if s_ in theirs and _same_checks(mine[c], theirs[s_])}
        return covered

    def _foreign_keys(self, t: Table, position: Mapping[str, int], errors: _Errors,
                      later: Collection[str]) -> tuple[list[tuple], list[tuple]]:
        """``(cell indexes, field names, target, the target's keys)`` of each foreign key that can be checked now,
        and ``(cell indexes, field names, target, its key, values seen)`` of those to tables in ``later``."""
        fks, deferred = [], []
        for fields, target, ref in t.foreign_keys():
            if target not in self.tables:
                errors.add(f"{t.rel}: foreign key to missing table {target!r}")
            elif target in later:
                deferred.append(([position[f] for f in fields], ",".join(fields), target, tuple(ref), set()))
            elif target in self.readable:  # else the target is unreadable, which is reported
                fks.append(([position[f] for f in fields], ",".join(fields), target, self.keys[(target, tuple(ref))]))
        return fks, deferred

    def _plan(self, t: Table, errors: _Errors, later: Collection[str] = ()) -> _Plan:
        """What each row of ``t`` is checked against, compiled once per table (``later``: tables read after it)."""
        position = {n: i for i, n in enumerate(t.names)}
        repeats = [(r, [position[c] for c, _ in r.columns]) for r in self.repeats
                   if r.name == t.name and r.target in self.readable]
        covered = self._covered(t, repeats)
        full = compiled_checks(t.schema["fields"])
        pk_seen = self.keys.get((t.name, tuple(t.key)))  # the same keys when others refer to them
        pk_seen = HashedKeys() if pk_seen is None else pk_seen
        pairs = [(position[a], position[b], a, b, strict) for a, b, strict in _pairs(t.names)]
        lean = compiled_checks(t.schema["fields"], covered) if covered else full
        fks, deferred = self._foreign_keys(t, position, errors, later)
        pk = [position[k] for k in t.key]
        referred = (t.name, tuple(t.key)) in self.keys
        repeated = [self.keys.get((r.target, tuple(self.tables[r.target].key))) for r, _ in repeats]
        taken = [keys for (r, _), keys in zip(repeats, repeated, strict=True) if r.pairs is None]
        fields = t.schema["fields"]
        return _Plan(
            repeats=repeats, full=full, lean=lean,
            unique=[(position[f["name"]], f["name"], set()) for f in t.schema["fields"]
                    if f.get("constraints", {}).get("unique") and [f["name"]] != t.key],
            pk=pk, pk_seen=pk_seen,
            pk_taken=taken[0] if repeats and len(taken) == len(repeats) and None not in taken and not referred else None,
            own_keys=[(tuple(position[f] for f in fields), s) for (target, fields), s in self.keys.items()
                      if target == t.name and s is not pk_seen],
            fks=fks, later=deferred,
            pairs=pairs, lean_pairs=[p for p in pairs if not (p[2] in covered and p[3] in covered)],
            # a view's rows by their values, the others' by their key and values (Repeat.pairs)
            repeated_by=[(r, [*([] if r.pairs is None else pk), *(position[s] for _, s in r.columns)],
                          position.get("category")) for r in self.repeats if r.target == t.name],
            spans=(self.documents.active and not repeats and "source_id" in position
                   and [(position[c], position[a], position[b], c, a, b) for c, a, b in SPANS
                        if c in position and a in position and b in position]),
            sid_at=position.get("source_id"),
            columns=[(i, column_check(fields[i], check)) for i, _, check in full[2]],
            lean_columns=[(i, column_check(fields[i], check)) for i, _, check in lean[2]],
            fast_fks=[fk for fk in fks if not (fk[0] == pk and any(fk[3] is keys for keys in repeated))])

    def _rows(self, t: Table, rows: Iterator[list[str]], errors: _Errors) -> None:
        run = TableRun(self, t, errors)
        for batch in _batches(rows):
            run.rows(batch)
        run.end()

    def _verified(self, p: _Plan, key: tuple, cells: list[str], n: int, mismatched: list,
                  repeated: Callable[[Any, int], bool]) -> bool:
        """Whether the row equals every row it repeats (its shared cells were checked there); mismatches noted.

        ``repeated(key, n)`` confirms that an earlier row of this table had ``key`` (see :meth:`_check_keys`)."""
        verified = bool(p.repeats)
        for r, idx in p.repeats:
            if r.pairs is not None:
                verified = self._paired(r, p, key, cells, idx, n, mismatched, repeated) and verified
                continue
            found = r.expected.pop(key, None)  # None: reported as a foreign key error
            if found is None or key in self.bad_keys[r.target]:  # a row with problems is checked everywhere
                verified = False
            elif hash(mine := tuple(cells[i] for i in idx)) & _HASH != found & _HASH:
                verified = False
                mismatched.append((r, found >> 64, n, key, mine))
        return verified

    def _paired(self, r: Repeat, p: _Plan, key: tuple, cells: list[str], idx: list[int], n: int, mismatched: list,
                repeated: Callable[[Any, int], bool]) -> bool:
        """:meth:`_verified` of one row against a target row held in ``r.pairs``: the same answers and mismatches
        as an entry taken by the first row of its key. The target row of a mismatch is found at the end
        (:meth:`_repeat_end`), by its key: a key unique in the target (a repeated one is a bad key)."""
        target_keys = self.keys.get((r.target, tuple(self.tables[r.target].key)))
        if target_keys is None or key not in target_keys or key in self.bad_keys[r.target]:
            return False  # no such row: reported as a foreign key error; a row with problems is checked everywhere
        if key in p.pk_seen and repeated(key, n):
            return False  # taken by an earlier row of the key, whose repetition is reported
        mine = tuple(cells[i] for i in idx)
        if (*(cells[i] for i in p.pk), *mine) not in r.pairs:
            mismatched.append((r, None, n, key, mine))
            return False
        return True

    @staticmethod
    def _check_keys(t: Table, p: _Plan, key: tuple, cells: list[str], n: int, errors: _Errors,
                    repeated: Callable[[Any, int], bool]) -> None:
        """Unique fields, the primary key, the keys other tables refer to, and this row's foreign keys.

        ``repeated(key, n)`` confirms a primary key whose hash was seen (:class:`~.hashed.HashedKeys`)."""
        rel = t.rel
        for i, name, seen in p.unique:
            if cells[i] in seen:
                errors.add(f"{rel}: row {n}, field {name}: {cells[i]!r} is not unique")
            seen.add(cells[i])
        if p.pk:
            if (key in p.pk_seen or (p.pk_taken is not None and key in p.pk_taken)) and repeated(key, n):
                errors.add(f"{rel}: row {n}, field {','.join(t.key)}: primary key {_shown_key(key)} repeated")
            p.pk_seen.add(key)
        for idx, s in p.own_keys:
            s.add(_key(cells, idx))
        for idx, fname, target, keys in p.fks:
            value = _key(cells, idx)
            if _complete(value) and value not in keys:
                errors.add(f"{rel}: row {n}, field {fname}: {_shown_key(value)!r} not in {target}")

    def _spans(self, cells, sid_at, spans, rel: str, n: int, errors: _Errors) -> None:
        text = self.documents.text(cells[sid_at])
        if text is None:
            return
        for c, a, b, cn, an, bn in spans:
            try:
                ok = text[int(cells[a]):int(cells[b])] == cells[c]
            except ValueError:
                continue  # reported as a type error
            if not ok:
                errors.add(f"{rel}: row {n}, field {cn}: failed {cn} == text[{an}:{bn}] (value {cells[c]!r})")

    def _repeat_end(self, r: Repeat, t: Table, errors: _Errors, mismatched: list) -> None:
        """Name each cell that differs from the row it repeats (one more read of the target, only on a mismatch),
        then every row of the view's category that is not in it."""
        target = self.tables[r.target]
        if mismatched:
            idx = [target.names.index(s) for _, s in r.columns]
            for j, cells, (n, key, mine) in _repeated_rows(target, mismatched, by_key=r.pairs is not None):
                for (c, s), a, i in zip(r.columns, mine, idx, strict=True):
                    if a != cells[i]:
                        errors.add(f"{t.rel}: row {n}, field {c}: {a!r}, but {target.rel} row {j}, field {s} "
                                   f"has {cells[i]!r} ({_shown_key(key)}); one of the two files changed after "
                                   "the build")
        if r.pairs is not None:
            r.pairs = HashedKeys()  # emptied
        if r.category is not None and r.expected:
            missing = sorted(r.expected.packed())  # by row: n is on top
            rows = {found >> 64 for found in missing}
            at = [target.names.index(k) for k in target.key]
            keys = {j: _key(cells, at) for j, cells in enumerate(_rows(target.path), start=1) if j in rows}
            for found in missing:
                j = found >> 64
                errors.add(f"{t.rel}: no row for {_shown_key(keys[j])}, which {target.rel} row {j} (field category: "
                           f"{r.category}) says belongs here")
        r.expected.clear()


def _repeated_rows(target: Table, mismatched: list, by_key: bool) -> Iterator[tuple[int, list[str], tuple]]:
    """``(j, cells, (n, key, mine))``: each row ``j`` of ``target`` that a mismatch ``(j, n, key, mine)`` names,
    in the target's order; ``by_key`` when ``j`` was not recorded (Repeat.pairs): the one row of the key."""
    wanted = {(m[2] if by_key else m[0]): m[1:] for m in mismatched}
    at, width = [target.names.index(k) for k in target.key], len(target.names)
    for j, cells in enumerate(_rows(target.path), start=1):
        if not by_key:
            found = wanted.get(j)
        else:  # a well-formed row, as only those were held
            found = wanted.get(_key(cells, at)) if j > 1 and len(cells) == width and any(cells) else None
        if found is not None:
            yield j, cells, found


def _batches(rows: Iterator[list[str]]) -> Iterator[list[list[str]]]:
    """Rows BATCH_ROWS at a time; the rows read before a file turns out unreadable are checked before it is said."""
    batch: list[list[str]] = []
    try:
        for cells in rows:
            batch.append(cells)
            if len(batch) == BATCH_ROWS:
                yield batch
                batch = []
    except (UnicodeDecodeError, csv.Error):
        if batch:
            yield batch
        raise
    if batch:
        yield batch


# A key (primary, or a foreign key's cells) of one field is that cell's string itself, of several a tuple of them:
# the key sets hold one entry per row of a table, and a 1-tuple around each string would add 48 bytes to each.
# Both sides of a foreign key have as many fields, so the two forms never meet in one set.

def _key(cells: Sequence[str], idx: Sequence[int]) -> str | tuple[str, ...]:
    """The key of one row (``idx``: the key's cells)."""
    return cells[idx[0]] if len(idx) == 1 else tuple(cells[i] for i in idx)


def _keys(cols: Sequence[Sequence[str]], idx: Sequence[int]) -> Iterable[str | tuple[str, ...]]:
    """The keys of the rows of a batch given by its columns ``cols``, in order."""
    return cols[idx[0]] if len(idx) == 1 else zip(*(cols[i] for i in idx))


def _complete(key: str | tuple[str, ...]) -> bool:
    """Every cell of the key given (a key with an empty cell refers to nothing)."""
    return bool(key) if isinstance(key, str) else all(key)


def _shown_key(key: str | tuple[str, ...]) -> str:
    return key if isinstance(key, str) else ", ".join(key)


def _given_keys(cols: list[tuple[str, ...]], idx: list[int]) -> Iterator[str | tuple[str, ...]]:
    """The keys of the rows of ``cols`` whose key cells (``idx``) are all given."""
    if len(idx) == 1:
        return filter(None, cols[idx[0]])
    return filter(all, zip(*(cols[i] for i in idx)))


class TableRun:
    """One table's rows, checked a batch at a time, whether read from its file or handed over as they are written.

    A batch is first offered to the fast path (:meth:`_clear`, with extract/columns.py), which proves with
    operations over whole columns that no row of it has a problem and then records its keys. A batch it does not
    clear is checked row by row (:meth:`_row`), the pass that names each problem's row and field: the messages
    are the same whichever path a row takes.
    """

    def __init__(self, v: Validation, t: Table, errors: _Errors, later: Collection[str] = ()) -> None:
        self.v, self.t, self.errors = v, t, errors
        self.p = v._plan(t, errors, later)
        self.width = len(t.names)
        self.mismatched: list[tuple[Repeat, int, int, tuple, tuple]] = []
        self.bad = v.bad_keys[t.name]  # keys of the rows that had a problem
        self.sync: Callable[[], None] | None = None  # writes out the rows given so far (checked as written)
        self.exact: set | None = None  # the primary keys themselves, once one is suspected repeated (_repeated)
        self.n = 2  # the number of the next row (the header is row 1)
        v.readable.add(t.name)

    def rows(self, batch: list[list[str]] | Columns) -> None:
        n0, self.n = self.n, self.n + len(batch)
        try:
            clear = self._clear(batch, n0)
        except (ValueError, OverflowError):  # a cell the columns cannot convert: the rows say which
            clear = False
        if not clear:
            for n, cells in enumerate(batch, start=n0):
                self._row(n, cells)

    def end(self) -> None:
        """What needs every row: the rows a view lacks or changed, foreign keys to tables read after this one."""
        for r, _ in self.p.repeats:
            self.v._repeat_end(r, self.t, self.errors, [m[1:] for m in self.mismatched if m[0] is r])
        for idx, fname, target, ref, values in self.p.later:
            if target not in self.v.readable:
                continue  # unreadable, which is reported
            keys = self.v.keys[(target, ref)]
            missing = {value for value in values if value not in keys}
            if missing:  # one more read of this table, only to say which rows
                for n, cells in enumerate(_rows(self.t.path), start=1):
                    value = _key(cells, idx) if n > 1 and len(cells) == self.width else None
                    if value in missing:
                        self.errors.add(f"{self.t.rel}: row {n}, field {fname}: {_shown_key(value)!r} not in {target}")

    def _clear(self, batch: list[list[str]] | Columns, n0: int) -> bool:
        """Whether no row of ``batch`` has a problem; when so, its keys are recorded as :meth:`_row` would."""
        p, v = self.p, self.v
        if isinstance(batch, Columns):  # as a writer formatted them (extract/aswritten.py)
            if len(batch.columns) != self.width or not batch.without_blank_rows():
                return False
            cols = batch.columns
        else:
            if set(map(len, batch)) != {self.width} or not all(map(any, batch)):
                return False
            cols = list(zip(*batch))
        keys = list(_keys(cols, p.pk)) if p.pk else []
        in_order = []  # for each table repeated: whether these rows are the next it expects (HashedRows' queue)
        for r, idx in p.repeats:
            if r.pairs is not None:  # every row's key and values among the target's; taken before: its key repeated
                in_order.append(None)
                if (not r.pairs.issuperset(zip(*(cols[i] for i in (*p.pk, *idx))))
                        or not v.bad_keys[r.target].isdisjoint(keys)):
                    return False
                continue
            hashes = array("q", map(hash, zip(*(cols[i] for i in idx))))
            found = r.expected.next_in_order(keys)
            in_order.append(found is not None)
            if found is None and (found := r.expected.hashes_of(keys)) is None:
                return False
            if found != hashes or not v.bad_keys[r.target].isdisjoint(keys):
                return False  # rows that do not repeat theirs are named row by row
        lean = bool(p.repeats)  # every row repeats its rows: their shared cells were checked there
        if not (cells_clear(cols, p.lean if lean else p.full, p.lean_columns if lean else p.columns)
                and order_clear(cols, p.lean_pairs if lean else p.pairs)
                and all(unique_clear(cols[i], seen) for i, _, seen in p.unique)
                and (not p.pk or unique_clear(keys, p.pk_seen))
                and all(keys_.issuperset(set(_given_keys(cols, idx))) for idx, _, _, keys_ in p.fast_fks)
                and (not p.spans or self._spans_clear(batch))):
            return False
        for i, _, seen in p.unique:
            seen.update(cols[i])
        if p.pk:
            if p.pk_taken is None:
                p.pk_seen.update(keys)
            if self.exact is not None:
                self.exact.update(keys)
        for idx, s in p.own_keys:
            s.update(_keys(cols, idx))
        for idx, _, _, _, values in p.later:
            values.update(_given_keys(cols, idx))
        for (r, _), next_ones in zip(p.repeats, in_order, strict=True):
            if next_ones:
                r.expected.take_next(len(keys))
            elif next_ones is not None:
                r.expected.take(keys)
        for r, idx, cat in p.repeated_by:  # the rows of the view's category, hashed as _row does
            if r.pairs is not None and r.category is None:
                r.pairs.update(zip(*(cols[i] for i in idx)))
                continue
            mask = [True] * len(batch) if r.category is None else list(map(r.category.__eq__, cols[cat]))
            if r.pairs is not None:
                r.pairs.update(zip(*(compress(cols[i], mask) for i in idx)))
                continue
            r.expected.extend(compress(keys, mask), compress(range(n0, n0 + len(batch)), mask),
                              map(hash, zip(*(compress(cols[i], mask) for i in idx))))
        return True

    def _repeated(self, key: Any, n: int) -> bool:
        """Whether a row before row ``n`` has the primary key ``key``, one whose hash was seen
        (:class:`~.hashed.HashedKeys`): so that two keys of one hash are never taken for a repeat, the keys of the
        rows before are read from the table's file (``sync`` first writes out what its writer holds), then kept,
        exactly, for the rest of the table (a table with a repeated key is the rare broken one)."""
        if self.exact is None:
            if self.sync is not None:
                self.sync()
            self.exact = set()
            for m, cells in enumerate(_rows(self.t.path), start=1):
                if m >= n:
                    break
                if m > 1 and len(cells) == self.width and any(cells):
                    self.exact.add(_key(cells, self.p.pk))
        return key in self.exact

    def _spans_clear(self, batch: list[list[str]] | Columns) -> bool:
        text_of, sid_at = self.v.documents.text, self.p.sid_at
        for cells in batch:
            text = text_of(cells[sid_at])
            if text is not None:
                for c, a, b, *_ in self.p.spans:
                    if text[int(cells[a]):int(cells[b])] != cells[c]:
                        return False
        return True

    def _row(self, n: int, cells: list[str]) -> None:
        """One row, each problem named: the slow path, and the definition of what the fast path clears."""
        p, v, rel, errors = self.p, self.v, self.t.rel, self.errors
        if len(cells) != self.width or not any(cells):
            errors.add(f"{rel}: row {n}: {len(cells)} cells, the header has {self.width}" if any(cells)
                       else f"{rel}: row {n}: blank row")
            return
        key = _key(cells, p.pk)
        before = len(errors) + errors.dropped
        verified = v._verified(p, key, cells, n, self.mismatched, self._repeated)
        _check_cells(cells, p.lean if verified else p.full, rel, n, errors)
        v._check_keys(self.t, p, key, cells, n, errors, self._repeated)
        if self.exact is not None:
            self.exact.add(key)
        for idx, _, _, _, values in p.later:
            value = _key(cells, idx)
            if _complete(value):
                values.add(value)
        _check_order(cells, p.lean_pairs if verified else p.pairs, rel, n, errors)
        if p.spans:
            v._spans(cells, p.sid_at, p.spans, rel, n, errors)
        for r, idx, cat in p.repeated_by:  # as _clear gives them: a view's rows stay in order for its queue
            if r.pairs is not None and (r.category is None or cells[cat] == r.category):
                r.pairs.add(tuple(cells[i] for i in idx))
            elif r.category is None or cells[cat] == r.category:
                r.expected.extend((key,), (n,), (hash(tuple(cells[i] for i in idx)),))
        if len(errors) + errors.dropped != before:
            self.bad.add(key)


# ---------------------------------------------------------------- the package

def _resources(directory: Path, descriptor: Mapping[str, Any], errors: list[str]) -> dict[str, Table]:
    """The package's tables whose files are safe to read, with their bytes and hashes checked."""
    tables = {}
    for r in descriptor.get("resources", []):
        bad = _unsafe_path(r["path"]) if isinstance(r.get("path"), str) else "is not one file's path"
        if bad or not (directory / r["path"]).resolve().is_relative_to(directory.resolve()):
            errors.append(f"datapackage.json: resource {_shown(r.get('name', '?'))}: path {_shown(r.get('path'))} "
                          f"{bad or 'leads outside the package (a symbolic link)'}; not read")
            continue
        path = directory / r["path"]
        if not path.is_file():
            errors.append(f"{r['path']}: missing")
            continue
        if not isinstance(r.get("schema"), dict) or not r.get("name"):
            errors.append(f"datapackage.json: resource {_shown(r.get('name', '?'))}: no name or inline schema")
            continue
        if path.stat().st_size != r.get("bytes"):
            errors.append(f"{r['path']}: {path.stat().st_size} bytes, datapackage.json says {r.get('bytes')}: "
                          "the file changed after the build")
        with open(path, "rb") as f:
            actual = hashlib.file_digest(f, "sha256").hexdigest()
        if f"sha256:{actual}" != r.get("hash"):
            errors.append(f"{r['path']}: SHA-256 {actual} does not match datapackage.json ({r.get('hash')}): "
                          "the file changed after the build")
        tables[r["name"]] = Table(r["name"], r["path"], path, r["schema"])
    return tables


def _sources(t: Table) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        rows = _rows(t.path)
        header = next(rows, [])
        for n, cells in enumerate(rows, start=2):
            if len(cells) == len(header):
                yield n, dict(zip(header, cells, strict=True))
    except (UnicodeDecodeError, csv.Error):
        return  # reported by the table's own validation


def validate_package(directory: str | Path, docs_root: str | Path | None = None,
                     documents: Mapping[str, str | Path] | None = None, frictionless: bool = False,
                     quotes_checked: bool = False, written: AsWritten | None = None) -> list[str]:
    """Every problem of a package, each naming file, row and field; empty when valid.

    Quotes are checked against the texts the package stores (``sources.text_path``, see extract/stored.py).
    The original documents' hashes and sizes are checked when ``documents`` (source id -> file) is given or they
    can be read from ``docs_root`` (by default the checkout, for packages built from seeds/); for a package
    without stored texts (before 2.0.0) their decoded text is what quotes are checked against. ``frictionless`` adds
    Frictionless's own validation of the package (the `validate` command does; the build does not need to).
    ``quotes_checked`` is for the writer of the package, which checked every row's quotes against the text it
    stored and hashed every document as it read it (``extract``: :func:`~.build.check_rows`): reading each
    document and stored text again would prove nothing new and cost a third of a run on short documents. The
    tables are still checked row by row. ``written`` is for the writer too: the tables it checked as it wrote
    them (extract/aswritten.py) are not read again, only their hashes and what needs the whole package.
    """
    directory = Path(directory)
    descriptor_path = directory / "datapackage.json"
    if not descriptor_path.is_file():
        return [f"{descriptor_path}: missing"]
    try:
        with open(descriptor_path, encoding="utf-8") as f:
            descriptor = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [f"{descriptor_path}: not JSON ({e})"]
    errors = frictionless_errors(descriptor_path) if frictionless else []
    tables = _resources(directory, descriptor, errors)
    del descriptor  # its sources list (one entry per document) is not needed to check the tables
    docs = (Documents(None, None) if quotes_checked else
            Documents(Path(docs_root) if docs_root is not None else None, documents, package=directory))
    if "sources" in tables and not quotes_checked:  # where the documents are: not needed when none is read
        for n, row in _sources(tables["sources"]):
            docs.record(n, row)
        paths = [p for _, p, _, _, _ in docs.recorded.values()]
        if docs_root is None and documents is None and paths and all(p.startswith("seeds/") for p in paths):
            from displacement_figures.paths import repo_root

            docs.root = repo_root()
    if written is None:
        run = Validation(tables, docs)
    else:
        run, bad = written.adopt(tables, docs)
        errors += bad
    streamed = written.runs if written is not None else {}
    table_errors = [written.table_errors(t.name) if t.name in streamed else run.table(t) for t in _ordered(tables)]
    errors += docs.finish()
    for e in table_errors:
        errors += e
    return errors


def frictionless_errors(descriptor: Path) -> list[str]:
    """Frictionless's validation of the package, each problem where it found it."""
    import frictionless

    report = frictionless.validate(str(descriptor))
    out = [f"frictionless: {descriptor}: {e.message}" for e in report.errors]
    for task in report.tasks:
        for e in task.errors:
            where = f"{task.place or task.name}"
            if getattr(e, "row_number", None):
                where += f": row {e.row_number}"
            if getattr(e, "field_name", None):
                where += f", field {e.field_name}"
            out.append(f"frictionless: {where}: {e.message}")
    return out
