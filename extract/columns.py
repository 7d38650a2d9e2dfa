"""Whole-column checks: the validation's fast path, which proves a batch of rows has no problem.

The validation (extract/validate.py) checks a table a batch of rows at a time. These functions take the batch's
columns and answer one question: does every cell pass? They answer with operations over whole columns (set
inclusion, ``map`` of a compiled pattern, ``min``), without a Python call per cell where they can. They may say
no for a batch that is fine (a cell they do not understand); they never say yes for one that is not: a batch they
do not clear is checked again row by row, and that pass alone says what is wrong and where. So every check here
restates, over a column, one check of the row-by-row pass (``field_check``, ``_check_order``, ``_check_keys``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

Column = Sequence[str]


class Columns:
    """A batch of rows given a column at a time, as a writer formats them: ``len`` and iteration give its rows
    (tuples of cells), so the row-by-row pass reads it as any batch, and the whole-column checks take ``columns``
    as they are, without turning rows into columns again. Every column has ``len`` cells."""

    __slots__ = ("_len", "columns")

    def __init__(self, columns: Sequence[Column], rows: int) -> None:
        self.columns, self._len = columns, rows

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return zip(*self.columns)

    def without_blank_rows(self) -> bool:
        """No row whose cells are all empty: found in one column without an empty cell (most tables have one)."""
        return any("" not in c for c in self.columns) or all(map(any, self))

INTEGER = re.compile(r"-?\d+")
NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
# Constraints the fast checks below understand for each kind of field ("unique" is checked with the keys).
_NUMERIC = {"required", "minimum", "maximum", "unique"}
_STRING = {"required", "pattern", "minLength", "maxLength", "unique"}


def _given(col: Column, required: bool) -> Column | None:
    """The cells of ``col`` that hold a value; None when a required cell is empty."""
    if "" not in col:
        return col
    return None if required else list(filter(None, col))


def _numeric(f: Mapping[str, Any]) -> Callable[[Column], bool] | None:
    c = f.get("constraints", {})
    lo, hi = c.get("minimum"), c.get("maximum")
    if set(c) - _NUMERIC or isinstance(lo, str) or isinstance(hi, str):
        return None
    pattern, cast = (INTEGER, int) if f.get("type") == "integer" else (NUMBER, float)
    required = bool(c.get("required"))

    def ok(col: Column) -> bool:
        given = _given(col, required)
        # str.isdecimal is \d+ (Unicode decimal digits), the common case, cheaper than the pattern
        if given is None:
            return False
        decimal = all(map(str.isdecimal, given))
        if not (decimal or all(map(pattern.fullmatch, given))):
            return False
        if not given or (lo is None and hi is None):
            return True
        # ValueError (an integer of 4,300 digits) is the caller's to catch
        values = list(map(int if decimal and _exact(given) else cast, given))
        return (lo is None or min(values) >= lo) and (hi is None or max(values) <= hi)

    return ok


def _string(f: Mapping[str, Any]) -> Callable[[Column], bool] | None:
    c = f.get("constraints", {})
    if set(c) - _STRING:
        return None
    required = bool(c.get("required"))
    whole = re.compile(f"(?:{c['pattern']})\\Z").match if "pattern" in c else None
    shortest, longest = c.get("minLength"), c.get("maxLength")

    def ok(col: Column) -> bool:
        given = _given(col, required)
        if given is None or (whole is not None and not all(map(whole, given))):
            return False
        if not given:
            return True
        lengths = list(map(len, given)) if shortest is not None or longest is not None else ()
        return ((shortest is None or min(lengths) >= shortest)
                and (longest is None or max(lengths) <= longest))

    return ok


def column_check(f: Mapping[str, Any], check: Callable[[str], str | None]) -> Callable[[Column], bool]:
    """Whether every cell of a column passes ``check`` (``field_check(f)``), over the whole column where the field
    is a plain number, integer or string; else ``check`` on each cell."""
    ftype, fmt = f.get("type", "string"), f.get("format", "default")
    fast = None
    if fmt in ("default", None) and ftype in ("integer", "number"):
        fast = _numeric(f)
    elif fmt in ("default", None) and ftype == "string":
        fast = _string(f)
    return fast or (lambda col: not any(map(check, col)))


def cells_clear(cols: Sequence[Column], checks: tuple, columns: Sequence[tuple[int, Callable]]) -> bool:
    """Every cell passes its type and constraints: ``checks`` as ``compiled_checks`` gives them, ``columns`` the
    :func:`column_check` of each of its general fields."""
    required, enums, _ = checks
    for i, _ in required:
        if "" in cols[i]:
            return False
    for i, _, allowed, needed, _ in enums:
        if not allowed.issuperset(cols[i]) and (needed or not allowed.issuperset(filter(None, cols[i]))):
            return False
    return all(ok(cols[i]) for i, ok in columns)


def order_clear(cols: Sequence[Column], pairs: Sequence[tuple]) -> bool:
    """``low <= value <= high`` and ``start < end`` wherever both cells are given (pairs as ``_check_order``)."""
    bounds: dict[tuple[int, int], list[float]] = {}  # a column read as numbers once per side (value: low and high)

    def read(i: int, empty: dict[str, str]) -> list[float]:
        # An empty cell is no bound: -inf on the low side, inf on the high side, so its pair passes (strict pairs
        # of two infinities fail here and are looked at row by row).
        got = bounds.get((i, id(empty)))
        if got is None:
            col = cols[i]
            if "" not in col and all(map(str.isdecimal, col)) and _exact(col):  # offsets, counts: int() is 3x faster
                got = list(map(int, col))
            else:
                got = list(map(float, map(empty.get, col, col) if "" in col else col))
            bounds[(i, id(empty))] = got
        return got

    for a, b, _, _, strict in pairs:
        if not all(map(operator.lt if strict else operator.le, read(a, _LOW), read(b, _HIGH))):
            return False
    return True


_LOW, _HIGH = {"": "-inf"}, {"": "inf"}


def _exact(col: Column) -> bool:
    """Whether the decimal cells of ``col`` are short enough to be floats exactly (below 2**53): read as ints, they
    compare as the row-by-row pass, which reads floats, compares them."""
    return max(map(len, col), default=0) <= 15


def unique_clear(values: Column, seen: set) -> bool:
    """No value repeated in ``values`` nor among those ``seen`` before."""
    return len(set(values)) == len(values) and seen.isdisjoint(values)
