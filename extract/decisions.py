"""Review decisions: what a person who read the text decided about each figure, applied when a collection is built.

An extractor alone never makes a trusted dataset. A curator records, per collection, a decision about each
figure, every one with its reason:

- ``seeds/<collection>/review.csv`` (columns of ``schemas/decisions.schema.json``): ``verify`` a figure
  (checked, correct as extracted), ``fix`` one field of it (one line per field, the correct value in
  ``value``), or ``reject`` it (not a figure of these kinds, or wrong beyond fixing);
- ``seeds/<collection>/added.csv``: figures the extractor missed, one per line with every field a figure row
  states (the figures schema minus what the build computes) and a reason; the quote must be the document's
  text at ``char_start``-``char_end``, and ``value_as_written`` must stand in it, because the added figure's id
  is the same hash of its number's span as an extracted figure's.

Decisions are declarative and fail loudly when stale, like the corrections of owid/etl: the build refuses a
decision naming a figure that no longer exists, a fix that changes nothing, an added span that is not the
text, or a value the schema refuses, naming file, line and field, and builds nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from displacement_figures import schema as tschema

from .figures import _cited_sentence, figure_id
from .text import FORMULA_LEADS, sentences
from .vocabulary import _rows

REVIEW_FILE = "review.csv"
ADDED_FILE = "added.csv"
ADDED_RULE = "added"
# Figure fields the build computes for an added figure: its id, its sentence, the rule and the review status.
COMPUTED = ("figure_id", "sentence_start", "sentence_end", "sentence", "rule", "review", "review_reason")
STATUS = {"verify": "verified", "fix": "corrected"}
FIGURE_ID = re.compile(r"F[0-9a-f]{12}")


class DecisionError(ValueError):
    """Review decisions that are malformed or no longer match the figures; the message names file, line, field."""


@dataclass
class Decision:
    """One line of review.csv."""

    where: str
    figure_id: str
    decision: str
    field: str | None
    value: str | None
    reason: str

    def published(self) -> dict[str, Any]:
        return {"figure_id": self.figure_id, "decision": self.decision, "field": self.field, "value": self.value,
                "reason": self.reason}


# ---------------------------------------------------------------- schema facts

@cache
def _figure_fields() -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in tschema.table_schema("figures")["fields"]}


@cache
def decision_columns() -> tuple[str, ...]:
    return tuple(f["name"] for f in tschema.table_schema("decisions")["fields"])


@cache
def fixable_fields() -> tuple[str, ...]:
    field = next(f for f in tschema.table_schema("decisions")["fields"] if f["name"] == "field")
    return tuple(field["constraints"]["enum"])


@cache
def added_columns() -> tuple[str, ...]:
    """The header of added.csv: every figures field a reviewer states, then the reason."""
    return (*(n for n in _figure_fields() if n not in COMPUTED), "reason")


@cache
def category_of_term() -> dict[str, str]:
    """The category each term counts in (terms.csv; a term named like its category, "distance", is its own)."""
    out = {r["term"]: r["category"] for r in _rows("terms.csv") if r.get("term")}
    categories = _figure_fields()["category"]["constraints"]["enum"]
    out.update({t: t for t in _figure_fields()["term"]["constraints"]["enum"] if t in categories})
    return out


def typed(name: str, raw: str | None) -> Any:
    """A cell of a figures field as the extractor would hold it; raises ValueError with what is wrong."""
    if raw is None or raw == "":
        return None
    ftype = _figure_fields()[name].get("type", "string")
    if ftype not in ("number", "integer"):
        return raw
    try:
        number = Decimal(raw.replace(",", "") if ftype == "integer" else raw)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number (write it plain: 12000, 3.5)") from None
    if not number.is_finite():
        raise ValueError(f"{raw!r} is not a finite number")
    if number == number.to_integral_value():
        return int(number)
    if ftype == "integer":
        raise ValueError(f"{raw!r} is not a whole number")
    return float(number)


def _field_problem(name: str, value: Any) -> str | None:
    """Why ``value`` breaks the figures schema's constraints for field ``name``; None when it does not."""
    c = _figure_fields()[name].get("constraints", {})
    if value is None:
        return "is required" if c.get("required") else None
    if "enum" in c and value not in c["enum"]:
        return f"{value!r} is not one of {', '.join(c['enum'])}"
    if "minimum" in c and value < c["minimum"]:
        return f"{value!r} is below the minimum {c['minimum']}"
    if "minLength" in c and len(value) < c["minLength"]:
        return "is empty"
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return f"{value!r} starts with {value[:1]!r}, which spreadsheets run as a formula; reword it"
    return None


def row_problems(row: Mapping[str, Any], fields: list[str]) -> list[tuple[str, str]]:
    """``(field, problem)`` for a whole figure row after review: field constraints, bounds, term and unit."""
    out = [(f, p) for f in fields if (p := _field_problem(f, row.get(f)))]
    low, value, high = row.get("value_low"), row.get("value"), row.get("value_high")
    if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
        out.append(("value", f"{value} is outside value_low-value_high ({low}-{high}); fix the bounds too"))
    if low is not None and high is not None and low > high:
        out.append(("value_low", f"{low} is above value_high {high}"))
    category = category_of_term().get(row.get("term"))
    if row.get("term") and category and category != row.get("category"):
        out.append(("term", (f"{row['term']!r} counts {category}, but the figure is {row.get('category')}: a "
                            "figure changes category only by reject and add (its id hashes the category)")))
    if (row.get("unit") == "km") != (row.get("category") == "distance") and row.get("unit"):
        out.append(("unit", f"{row['unit']!r} is not a unit of {row.get('category')}"))
    return out


# ---------------------------------------------------------------- reading

def _read(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str | None]]]:
    """``(line, row)`` of a decisions CSV, cells stripped and empty ones None; the header must be ``columns``."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = tuple(reader.fieldnames or ())
            if header != columns:
                raise DecisionError(f"{path}: line 1 (header) must be {','.join(columns)}, not {','.join(header)}")
            out = []
            for raw in reader:
                if None in raw or any(v is None for v in raw.values()):
                    raise DecisionError(f"{path}: line {reader.line_num}: {len(columns)} cells expected")
                out.append((reader.line_num, {k: (v.strip() or None) for k, v in raw.items()}))
            return out
    except UnicodeDecodeError as e:
        raise DecisionError(f"{path}: not UTF-8 ({e.reason} at byte {e.start}); save it as UTF-8") from None


def read_review(path: Path) -> list[Decision]:
    """The verify, fix and reject lines of a review.csv (none when absent), checked for shape."""
    if not path.is_file():
        return []
    out, problems = [], []
    for line, row in _read(path, decision_columns()):
        d = Decision(f"{path}: line {line}", row["figure_id"] or "", row["decision"] or "", row["field"],
                     row["value"], row["reason"] or "")
        problem = _line_problem(d) or _clash(d, out)
        if problem:
            problems.append(f"{d.where}, field {problem[0]}: {problem[1]}")
        else:
            out.append(d)
    if problems:
        raise DecisionError("review decisions are malformed:\n  " + "\n  ".join(problems))
    return out


def _clash(d: Decision, earlier: list[Decision]) -> tuple[str, str] | None:
    """A second decision about a figure: only fixes of different fields go together."""
    for e in earlier:
        if e.figure_id == d.figure_id and not (e.decision == d.decision == "fix" and e.field != d.field):
            return "figure_id", (f"{d.figure_id} is already decided at line {e.where.rsplit(' ', 1)[-1]} "
                                 f"({e.decision}{' ' + e.field if e.field else ''}); one verify or reject per "
                                 "figure, or one fix per field")
    return None


def _line_problem(d: Decision) -> tuple[str, str] | None:
    if not FIGURE_ID.fullmatch(d.figure_id):
        return "figure_id", f"{d.figure_id!r} is not a figure id (F and 12 hex digits)"
    if d.decision == "add":
        return "decision", f"figures to add go in {ADDED_FILE}, beside {REVIEW_FILE}, with every field stated"
    if d.decision not in ("verify", "fix", "reject"):
        return "decision", f"{d.decision!r} is not one of verify, fix, reject"
    if not d.reason:
        return "reason", "every decision needs a reason a reviewer can check against the quote"
    if d.reason.startswith(FORMULA_LEADS):
        return "reason", f"starts with {d.reason[:1]!r}, which spreadsheets run as a formula; reword it"
    if d.decision != "fix":
        return ("field", f"only fix takes a field and a value, not {d.decision}") if d.field or d.value else None
    if d.field not in fixable_fields():
        return "field", f"{d.field!r} cannot be fixed; one of {', '.join(fixable_fields())}"
    try:
        typed(d.field, d.value)
    except ValueError as e:
        return "value", str(e)
    return None


def read_added(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """``(where, row)`` of an added.csv (none when absent), values typed; spans are checked when applied."""
    if not path.is_file():
        return []
    out, problems = [], []
    for line, raw in _read(path, added_columns()):
        where = f"{path}: line {line}"
        row: dict[str, Any] = {}
        for k, v in raw.items():
            try:
                row[k] = typed(k, v) if k != "reason" else v
            except ValueError as e:
                problems.append(f"{where}, field {k}: {e}")
        if not raw["reason"]:
            problems.append(f"{where}, field reason: every decision needs a reason")
        out.append((where, row))
    if problems:
        raise DecisionError("added figures are malformed:\n  " + "\n  ".join(problems))
    return out


# ---------------------------------------------------------------- applying

def _same(a: Any, b: Any) -> bool:
    a, b = (None if v == "" else v for v in (a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


class Review:
    """The decisions of one collection, applied document by document as the build streams its rows.

    :meth:`apply` returns a document's rows as published (rejected ones gone, fixes made, added ones in
    place, every row with its ``review`` status); :meth:`finish` raises for every decision that matched
    nothing, and returns the published decisions table.
    """

    def __init__(self, seeds_dir: Path):
        self.decisions = read_review(seeds_dir / REVIEW_FILE)
        self.added = read_added(seeds_dir / ADDED_FILE)
        self.by_figure: dict[str, list[Decision]] = {}
        for d in self.decisions:
            self.by_figure.setdefault(d.figure_id, []).append(d)
        self.used: set[int] = set()
        self.added_ids: dict[int, str] = {}
        self.problems: list[str] = []

    def adds_to(self, source_id: str) -> bool:
        """Whether figures are added to this document (the build then keeps its text to check their quotes)."""
        return any(row.get("source_id") == source_id for _, row in self.added)

    def rejected(self) -> dict[str, Decision]:
        return {d.figure_id: d for d in self.decisions if d.decision == "reject"}

    def check_corrections(self, corrections: list[Mapping[str, Any]]) -> None:
        """A reconciliation correction about a rejected figure is a contradiction: refuse it."""
        rejected = self.rejected()
        bad = [f"{c['_where']}: figure {fid} is rejected at {rejected[fid].where}; delete the correction"
               for c in corrections for fid in (c["figure_id"], c.get("value") if c["action"] == "join" else None)
               if fid in rejected]
        if bad:
            raise DecisionError("corrections name rejected figures:\n  " + "\n  ".join(bad))

    def apply(self, source_id: str, text: str | None, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A document's rows as published; ``text`` is needed only when :meth:`adds_to` the document."""
        out = []
        for row in rows:
            decided = self.by_figure.get(row["figure_id"], [])
            self.used.update(id(d) for d in decided)
            row = self._decide(dict(row), decided)
            if row is not None:
                out.append(row)
        added = [self._add(i, where, row, text, {r["figure_id"] for r in rows})
                 for i, (where, row) in enumerate(self.added) if row.get("source_id") == source_id]
        added = [r for r in added if r is not None]
        if added:
            out = sorted(out + added, key=lambda r: (r["char_start"], r["category"]))
        return out

    def _decide(self, row: dict[str, Any], decided: list[Decision]) -> dict[str, Any] | None:
        if any(d.decision == "reject" for d in decided):
            return None
        row["review"], row["review_reason"] = "extracted", None
        if not decided:
            return row
        if decided[0].decision == "verify":
            row["review"], row["review_reason"] = "verified", decided[0].reason
            return row
        reasons = []
        for d in decided:
            new = typed(d.field, d.value)
            if _same(row.get(d.field), new):
                self.problems.append(f"{d.where}, field value: figure {d.figure_id} already has {d.field} "
                                     f"{row.get(d.field)!r}; the fix changes nothing: delete it")
            row[d.field] = new
            reasons.append(f"{d.field}: {d.reason}")
        for field, problem in row_problems(row, [d.field for d in decided]):
            where = next((d.where for d in decided if d.field == field), decided[0].where)
            self.problems.append(f"{where}, field {field}: after review, figure {row['figure_id']} {field} "
                                 f"{problem}")
        row["review"], row["review_reason"] = "corrected", "; ".join(reasons)
        return row

    def _add(self, i: int, where: str, row: dict[str, Any], text: str, extracted: set[str]) -> dict[str, Any] | None:
        start, end, quote = row.get("char_start"), row.get("char_end"), row.get("quote") or ""
        problems = [(f, p) for f, p in row_problems(row, [c for c in added_columns() if c != "reason"])]
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            if text[start:end] != quote:
                problems.append(("quote", (f"{quote!r} is not the text at {start}-{end}, which reads "
                                          f"{text[start:end]!r}")))
        elif not problems:
            problems.append(("char_end", f"{start}-{end} is not a span of the document ({len(text)} characters)"))
        written = row.get("value_as_written") or ""
        at = quote.find(written) if written else -1
        if at < 0 and not any(f == "quote" for f, _ in problems):
            problems.append(("value_as_written", (f"{written!r} is not in the quote {quote!r}; the id hashes the "
                                                 "number's span")))
        if problems:
            self.problems += [f"{where}, field {f}: {p}" for f, p in problems]
            return None
        fid = figure_id(row["source_id"], start + at, start + at + len(written), row["category"])
        if fid in extracted:
            self.problems.append(f"{where}, field quote: the extractor already has this figure ({fid}); verify or "
                                 f"fix it in {REVIEW_FILE} instead")
            return None
        self.added_ids[i] = fid
        s_lo, s_hi = next(((a, b) for a, b in sentences(text) if a <= start < b), (start, end))
        s_lo, s_hi = _cited_sentence(text, min(s_lo, start), max(s_hi, end), start, end)
        out = {k: v for k, v in row.items() if k != "reason"}
        out.update(figure_id=fid, sentence_start=s_lo, sentence_end=s_hi, sentence=text[s_lo:s_hi], rule=ADDED_RULE,
                   review="added", review_reason=row["reason"])
        return out

    def finish(self) -> list[dict[str, Any]]:
        """The published decisions table; raises :class:`DecisionError` naming every decision that failed."""
        problems = list(self.problems)
        for d in self.decisions:
            if id(d) not in self.used:
                problems.append(f"{d.where}, field figure_id: figure {d.figure_id} no longer exists (the extraction "
                                "or the document changed): find the figure's new id, or delete the decision")
        for i, (where, row) in enumerate(self.added):
            if i not in self.added_ids and not any(p.startswith(where + ",") for p in self.problems):
                problems.append(f"{where}, field source_id: no document {row.get('source_id')!r} in the collection")
        if problems:
            raise DecisionError("review decisions do not apply:\n  " + "\n  ".join(problems))
        published = [d.published() for d in self.decisions]
        published += [{"figure_id": self.added_ids[i], "decision": "add", "field": None, "value": None,
                       "reason": row["reason"]} for i, (_, row) in enumerate(self.added)]
        return published
