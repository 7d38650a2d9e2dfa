"""From claims to facts: which figures report the same quantity, and whether their sources agree.

A figure row is one claim in one document. Analysts need the next step: the
quantity several claims speak of, with a best estimate and the spread between
sources, UCDP-style (best, low, high), without ever hiding a disagreement.
The method is a handful of rules, each named in the row it produced
(``grouping`` and ``estimate`` columns) and written out in docs/facts.md:

Grouping
  ``same_key``        claims with the same category, term, unit, modality,
                      measure (flow or stock), group, place(s) and period;
                      claims that state no place join only claims of the same
                      event (a document's ``event`` in sources; a curated
                      collection, or ``extract --one-event``, is one event; a
                      document without one is its own);
  ``joined_unstated`` a claim that leaves its place or period unstated joins
                      the one fact of its event that states everything it
                      states and more; with no such fact, or several, it stays
                      on its own;
  ``corrected``       a hand decision from ``corrections.csv`` applied.
Estimates
  ``median_of_sources`` best is the middle of the sources' stated values
                      (each source's own middle value first; with an even
                      count the lower middle, so best is always a value some
                      source stated); low and high are the lowest and highest
                      stated values;
  ``bounds_only``     no claim states a value ("tens of thousands", "at least
                      100"): no best; low and high are the widest bounds the
                      wording sets.
Status
  ``single_source``, ``agree`` (same value within rounding, or the same
  bounds), ``consistent`` (stated differently, but one value satisfies every
  claim), ``conflict`` (no value satisfies a claim of every source: a
  disagreement between sources), and, when the disagreement is inside one
  document, ``revised`` (a later statement updates an earlier one: "has risen
  to") or ``inconsistent_within_source``. Each is defined in docs/facts.md.

Projections are never merged with observations (modality is part of the key),
and displacement flows (people newly displaced over a period) never with
stocks (people displaced at a date).
"""

from __future__ import annotations

import csv
import hashlib
import heapq
import json
import math
import re
import statistics
from array import array
from bisect import bisect_right
from collections import namedtuple
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from . import numbers, regex_cache
from .spill import Spill
from .vocabulary import _rows, per_vocabulary, phrase_regex, word_alternation, word_set
from .vocabulary import pattern as word_pattern

# News rounds, and unit conversions round again ("30 miles" = 48.28 km, "29 miles" = 46.67 km):
# values within 5% of each other are the same statement.
TOLERANCE = 0.05
POINT_QUALIFIERS = ("exact", "approximate")
CORRECTION_FIELDS = ("location", "origin", "destination", "group", "reference_period", "measure")
CORRECTION_ACTIONS = ("exclude", "separate", "join", "set")
# How far either side of a quote wording is read for flow/stock cues.
CUE_WINDOW = 80
# The fields of a figure a correction may set and that facts show (``Claim.shown``).
SHOWN = ("location", "origin", "destination", "group", "reference_period")
# A claim's shown fields: a named tuple is 96 bytes, a dict of five 200 (a partition's claims are held at once).
Shown = namedtuple("Shown", SHOWN)
# The order of facts: by category in this order (others last), then term, modality, sources (most first), id.
# The event of a document that names none: this prefix and its source id.
OWN_EVENT = "source:"
CATEGORY_ORDER = {"displacement": 0, "casualties": 1, "population": 2, "distance": 3}


class CorrectionError(ValueError):
    """A corrections file that is malformed or no longer matches the figures it corrects."""


# ---------------------------------------------------------------- vocabularies

@per_vocabulary
def _measures() -> tuple[dict[str, str], list[tuple[re.Pattern, str, tuple[tuple[str, ...], ...]]]]:
    """Default measure per term, and the cues: (pattern, measure, what an ASCII window must hold to match)."""
    defaults, cues = {}, []
    for r in _rows("measures.csv"):
        if r["kind"] == "term":
            defaults[r["phrase"]] = r["measure"]
        else:
            cue = regex_cache.compile(r"(?<!\w)" + phrase_regex(r["phrase"]) + r"(?!\w)", re.IGNORECASE)
            cues.append((cue, r["measure"], _required_words(r["phrase"])))
    return defaults, cues


def _required_words(phrase: str) -> tuple[tuple[str, ...], ...]:
    """For each plain word of ``phrase``, its lower-case alternatives: a window lacking all of one cannot match.

    A cheap test before each cue's regex (most windows hold none of the cues). Words phrase_regex widens
    (accents, apostrophes) are left out of the test, which then proves less but never rejects a match.
    """
    out = []
    for token in phrase.split():
        alts = tuple(a.lower() for a in token.split("|"))  # a stem keeps its "*"
        if all(a.removesuffix("*").isascii() and a.removesuffix("*").isalpha() for a in alts):
            out.append(alts)
    return tuple(out)


@per_vocabulary
def _cue_words() -> tuple[re.Pattern, tuple[tuple[tuple[str, ...], ...], ...], tuple[tuple[tuple[str, ...], ...], ...]]:
    """What a window must hold for each cue to match: a regex finding the whole words some cue's plain tokens
    are (each token's alternatives are plain lower-case ASCII words: a match holds one as a whole word, between
    white space or the cue's ends); per cue, those tokens; and per cue, the text its other tokens must hold (a
    stem without its "*", or a plain word of a token mixed with stems). Words phrase_regex widens (accents,
    apostrophes) are in neither: the test then proves less but never rejects a match."""
    plain, loose, words = [], [], set()
    for _, _, required in _measures()[1]:
        whole = tuple(alts for alts in required if not any(a.endswith("*") for a in alts))
        plain.append(whole)
        loose.append(tuple(tuple(a.removesuffix("*") for a in alts) for alts in required if alts not in whole))
        words.update(a for alts in whole for a in alts)
    # grouped by first letter (vocabulary.dispatch; the window is in lower case): a quarter faster than a plain list
    alternation = word_alternation("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))),
                                   ignorecase=False)
    return regex_cache.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), tuple(plain), tuple(loose)


@per_vocabulary
def _cue_heads() -> tuple[tuple[str, ...] | None, ...]:
    """Per cue (in :func:`_measures`' order), what each of its matches begins with, in lower case: its first
    token's alternatives (a stem without its "*"), when they are plain ASCII words; else None."""
    out = []
    for r in _rows("measures.csv"):
        if r["kind"] != "term":
            alts = tuple(a.lower().removesuffix("*") for a in r["phrase"].split()[0].split("|"))
            out.append(alts if all(a.isascii() and a.isalpha() for a in alts) else None)
    return tuple(out)


def _found(pattern: re.Pattern, window: str, low: str, heads: tuple[str, ...]) -> list[re.Match]:
    """``pattern.finditer(window)``'s matches, tried only where one of ``heads`` (what each match begins with)
    begins in ``low`` (the window in lower case, as long): a few look-ups and matches instead of a scan of the
    window, which the pattern's leading look-behind makes position by position."""
    starts = []
    for h in heads:
        i = low.find(h)
        while i >= 0:
            starts.append(i)
            i = low.find(h, i + 1)
    if len(starts) > 1:
        starts.sort()
    out, end = [], 0
    for p in starts:
        if p >= end and (m := pattern.match(window, p)):
            out.append(m)
            end = m.end()
    return out


@per_vocabulary(maxsize=4096)
def _cues_for(found: frozenset[str]) -> tuple[int, ...]:
    """The cues whose plain tokens each have an alternative among the whole words ``found`` in a window (a few
    common words make most windows' sets, so the answer is kept)."""
    return tuple(k for k, whole in enumerate(_cue_words()[1]) if all(any(a in found for a in alts) for alts in whole))


def _holds(low: str, required: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``low`` holds one alternative of every required word (a plain loop: the cheapest test there is)."""
    for alts in required:
        for a in alts:
            if a in low:
                break
        else:
            return False
    return True


@per_vocabulary
def _revision_cue() -> re.Pattern:
    """A verb of change or a word of update ("has risen to", "the updated toll"): the statement revises an
    earlier one."""
    return word_pattern(r"(?<!\w)(?:{change_up+change_down+change_revised+revision_cue})(?!\w)", re.IGNORECASE)


def revises(row: Mapping[str, Any]) -> bool:
    """Whether a figure is worded as an update of an earlier count: a revision cue in its quote or just before."""
    sentence, s0 = row.get("sentence") or "", row.get("sentence_start") or 0
    qs, qe = row["char_start"] - s0, row["char_end"] - s0
    return bool(_revision_cue().search(sentence, max(0, qs - CUE_WINDOW), max(0, qe)))


@per_vocabulary
def _forces() -> dict[str, str]:
    return {r["noun"].lower(): r["force"] for r in _rows("forces.csv")}


@per_vocabulary
def _force_names() -> frozenset[str]:
    return frozenset(_forces().values())


# ---------------------------------------------------------------- normalisation

def _fold(text: str) -> str:
    text = text.replace("’", "'").casefold()
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"'s$", "", text)
    return re.sub(r"\s+", " ", text)


def measure_of(row: Mapping[str, Any]) -> str | None:
    """flow or stock for a displacement figure: the nearest cue in the wording, else its term's default."""
    if row.get("category") != "displacement":
        return None
    defaults, cues = _measures()
    sentence, s0 = row.get("sentence") or "", row.get("sentence_start") or 0
    qs, qe = row["char_start"] - s0, row["char_end"] - s0
    lo, hi = max(0, qs - CUE_WINDOW), min(len(sentence), qe + CUE_WINDOW)
    window = sentence[lo:hi]
    # IGNORECASE is lower() but for three letters that also match "i" or "s" (re's equivalences); without them a
    # cue one of whose words is absent is skipped, its regex not run.
    low = None if "ı" in window or "İ" in window or "ſ" in window else window.lower()
    best: tuple[int, int, str] | None = None
    if low is None:
        tried: Iterable[int] = range(len(cues))
    else:  # the cues whose plain words are whole words of the window and whose stems it holds
        words, _, loose = _cue_words()
        tried = [k for k in _cues_for(frozenset(words.findall(low))) if not loose[k] or _holds(low, loose[k])]
    heads = _cue_heads()
    for k in tried:
        pattern, measure, _ = cues[k]
        for m in (pattern.finditer(window) if low is None or heads[k] is None else
                  _found(pattern, window, low, heads[k])):
            a, b = m.start() + lo, m.end() + lo
            distance = 0 if a < qe and b > qs else (qs - b if b <= qs else a - qe)
            candidate = (distance, -(b - a), measure)
            if best is None or candidate < best:
                best = candidate
    if best is not None:
        return best[2]
    return defaults.get(row["term"], "flow")


@per_vocabulary(maxsize=4096)
def end_key(name: str | None) -> str | None:
    """An end of a distance: an armed force by the noun that heads it ("HTS fighters"), else a place (kept for
    names seen before: a fact of many reports asks it of each report's ends)."""
    if not name:
        return None
    folded = _fold(name)
    forces = _forces()
    if folded in forces:
        return forces[folded]
    head = folded.split(" ")[-1]
    return forces.get(head, folded)


_DURATION = word_pattern(
    r"(?:{duration_preposition})?\s*(?:the\s+)?(?:{duration_recent})?\s*(?P<n>\d+|[a-z]+)?\s*"
    r"(?P<unit>{duration_unit})s?", re.IGNORECASE)
_DAYS = {"day": 1, "week": 7}


def period_key(text: str | None, published: str | None) -> str | None:
    """A comparable period: a duration ending on the publication date in ISO 8601 ("P7D/2024-12-06"), else the
    wording, folded."""
    if not text:
        return None
    folded = _fold(text)
    m = _DURATION.fullmatch(folded)
    if m:
        n = m.group("n") or "a"
        try:
            count = int(n) if n.isdigit() else int(numbers.parse_words(n))
        except numbers.NotANumber:
            count = 0
        if count:
            unit = m.group("unit").lower()
            iso = f"P{count * _DAYS[unit]}D" if unit in _DAYS else f"P{count}{unit[0].upper()}"
            return f"{iso}/{published}" if published else iso
    return folded


def group_key(group: str | None, places: Iterable[str]) -> str | None:
    """A group that names nobody in particular ("residents", "people"), or repeats the place, splits nothing."""
    if not group:
        return None
    folded = _fold(group)
    if folded in word_set("generic_groups.txt") or folded in set(places):
        return None
    return folded


# ---------------------------------------------------------------- claims

@dataclass(slots=True)
class Claim:
    """What reconciliation needs of one figure row, kept small so a large extraction streams through (slots: no
    dictionary per claim, a third of its memory)."""

    figure_id: str
    source_id: str
    char_start: int
    category: str
    term: str
    unit: str
    modality: str
    measure: str | None
    group: str | None
    places: tuple[str, ...]
    period: str | None
    qualifier: str
    value: float | None
    low: float | None
    high: float | None
    quote: str
    shown: Shown
    corrections: tuple[str, ...] = ()  # a tuple: no empty list per claim
    separate: bool = False
    join: str | None = None
    revises: bool = False
    event: str | None = None  # None: the claim's event needs no telling apart (one event in the package)
    published: str | None = None  # its document's publication date
    label: str | None = None  # its document's outlet

    @staticmethod
    def record(row: Mapping[str, Any], source: tuple[str | None, str | None, str]) -> tuple:
        """What a claim needs of a figure row and its document's ``(published, outlet, event)``, as a plain tuple
        (spilled to disk until facts are computed: see :class:`Reconciler`)."""
        return (row["figure_id"], row["source_id"], row["char_start"], row["category"], row["term"], row["unit"],
                row["modality"], measure_of(row), row["qualifier"], _number(row.get("value")),
                _number(row.get("value_low")), _number(row.get("value_high")), row["quote"],
                tuple(map(row.get, SHOWN)), revises(row), *source)

    @classmethod
    def from_record(cls, r: tuple, several: bool, strings: dict[Any, Any]) -> Claim:
        """The claim of a :meth:`record`; its event kept only when the package holds ``several`` events.

        ``strings`` keeps one copy of each string many claims repeat (their category, term, document, ...):
        read back from disk, each claim would otherwise hold copies of its own, half of its memory.
        """
        one = strings.setdefault
        shown = strings.get(r[13])  # claims worded alike share their shown fields too (most: none stated)
        if shown is None:  # keyed by the record's tuple, which no string equals
            shown = strings[r[13]] = Shown._make(map(one, r[13], r[13]))
        return cls(r[0], one(r[1], r[1]), r[2], one(r[3], r[3]), one(r[4], r[4]), one(r[5], r[5]), one(r[6], r[6]),
                   one(r[7], r[7]), None, (), None, one(r[8], r[8]), r[9], r[10], r[11], r[12],
                   shown, (), False, None, r[14],
                   one(r[17], r[17]) if several else None, one(r[15], r[15]), one(r[16], r[16]))

    @classmethod
    def read_back(cls, r: tuple, several: bool, places: tuple[str, ...], period: str | None, group: str | None,
                  strings: dict[Any, Any] | None) -> Claim:
        """The claim of a record read back for its fact (:meth:`Reconciler._claims`), with the places, period and
        group it was grouped by: :meth:`from_record`'s. ``strings`` None: a claim of a fact of few, with few strings
        to share (made without a lookup per field); else the claims of a fact of many, held at once, share theirs
        (a fact every report of a corpus states holds a claim per report)."""
        if strings is not None:
            c = cls.from_record(r, several, strings)
            c.places, c.period, c.group = places, period, group
            return c
        return cls(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], group, places, period, r[8], r[9], r[10], r[11],
                   r[12], Shown._make(r[13]), (), False, None, r[14], r[17] if several else None, r[15], r[16])

    def rekey(self, published: str | None, cache: dict[tuple, tuple] | None = None) -> None:
        """Places, period and group as compared; ``cache`` shares them between claims worded alike (computed
        once, held once)."""
        distance = self.category == "distance"
        self.places, self.period, self.group = (_compared(distance, self.shown, published) if cache is None else
                                                _compared_once(distance, self.shown, published, cache))

    def exact_key(self) -> tuple:
        key = _exact_key(self.category, self.term, self.unit, self.modality, self.measure, self.group)
        return key + (("separate", self.figure_id),) if self.separate else key


    def interval(self) -> tuple[float, float]:
        if self.qualifier in POINT_QUALIFIERS and self.value is not None:
            return self.value, self.value
        low = self.low if self.low is not None else 0.0
        high = self.high if self.high is not None else math.inf
        return low, high


def _compared(distance: bool, shown: tuple, published: str | None) -> tuple[tuple[str, ...], str | None, str | None]:
    """Places, period and group as claims are compared, of a claim's shown fields (in SHOWN's order: a Shown or
    the tuple a record holds) and its document's date."""
    location, origin, destination, group, period = shown
    if distance:
        places = tuple(sorted({e for e in (end_key(origin), end_key(destination)) if e}))
    else:
        places = (_fold(location),) if location else ()
    return places, period_key(period, published), group_key(group, places)


def _compared_once(distance: bool, shown: tuple, published: str | None, cache: dict[tuple, tuple]) -> tuple:
    """:func:`_compared`, computed once and held once for the claims worded alike (``cache``)."""
    words = (distance, shown, published)  # a Shown and a plain tuple of the same fields are the same key
    known = cache.get(words)
    if known is None:
        known = cache[words] = _compared(distance, shown, published)
    return known


def _exact_key(category: str, term: str, unit: str, modality: str, measure: str | None, group: str | None) -> tuple:
    """What claims must share to be one fact (before place, period and event: see :func:`_group`)."""
    return category, term, unit, modality, measure or "", group or ""


@dataclass(slots=True)
class _Member:
    """A claim as grouping sees it (:func:`_group`), while the rest of it waits on disk: a unit's claims are all
    held while they are grouped, and a whole Claim (its figure id, quote, values, shown fields) is four times as
    large. ``at`` is its record's position in the spill (:meth:`~.spill.Spill.at`), read back when its fact is
    written; ``n`` its place in document order (:func:`_in_document`) when ``at`` does not give it (see
    :meth:`Reconciler._members`). Only a claim corrections name keeps its figure id, join and corrections
    (``figure_id`` None: a claim no correction names, whose Claim is read back). A claim whose event is its own
    document's (OWN_EVENT) keeps no source id: the event holds it (in a folder of documents of their own, a
    string a member less)."""

    n: int
    at: int
    key: tuple  # Claim.exact_key(), one tuple shared by the claims alike
    places: tuple[str, ...]
    period: str | None
    group: str | None
    event: str | None
    sid: str | None  # its document's id; None when its event is OWN_EVENT + that id
    figure_id: str | None = None
    join: str | None = None
    corrections: tuple[str, ...] = ()

    @classmethod
    def of(cls, c: Claim, at: int, keys: dict[tuple, tuple], named: bool) -> _Member:
        """The member of claim ``c`` (rekeyed); ``keys`` shares the exact keys of claims alike."""
        key = c.exact_key()
        key = keys.setdefault(key, key)
        if named:
            return cls(0, at, key, c.places, c.period, c.group, c.event, c.source_id, c.figure_id, c.join,
                       c.corrections)
        return cls(0, at, key, c.places, c.period, c.group, c.event, c.source_id)

    @classmethod
    def of_record(cls, r: tuple, at: int, several: bool, words: dict[tuple, tuple], keys: dict[tuple, tuple],
                  last: _Member | None) -> _Member:
        """The member of a record (:meth:`Claim.record`) no correction names, without making its Claim: ``words``
        and ``keys`` share what claims worded alike have in common, ``last`` (the member made before, of the same
        document when the spill is in document order) its document's id and event."""
        places, period, group = _compared_once(r[3] == "distance", r[13], r[15], words)
        key = _exact_key(r[3], r[4], r[5], r[6], r[7], group)
        key = keys.setdefault(key, key)
        source_id, event = r[1], r[17] if several else None
        if last is not None and event == last.event:
            event = last.event
        if event is not None and event == OWN_EVENT + source_id:
            return cls(0, at, key, places, period, group, event, None)
        if last is not None and source_id == last.sid:
            source_id = last.sid
        return cls(0, at, key, places, period, group, event, source_id)

    def exact_key(self) -> tuple:
        return self.key

    @property
    def source_id(self) -> str:
        return self.sid if self.sid is not None else self.event[len(OWN_EVENT):]


_EXACT = 2**53  # integers a float holds exactly, and that format_cell writes as integers


def _number(v: Any) -> float | None:
    """A figure's value as facts compare and show it: a whole number as an int (a float of it is written the same,
    compares the same, and costs the writer a conversion back), any other as a float; None when missing (NaN)."""
    if v is None:
        return None
    if type(v) is int:
        return v if -_EXACT < v < _EXACT else float(v)
    v = float(v)
    if v.is_integer() and -_EXACT < v < _EXACT:
        return int(v)
    return None if math.isnan(v) else v


# ---------------------------------------------------------------- corrections

def read_corrections(path: Path) -> list[dict[str, Any]]:
    """Rows of a corrections.csv (absent file: none), checked for shape; matching is checked when applied."""
    if not path.is_file():
        return []
    from displacement_figures import schema as tschema

    names = [f["name"] for f in tschema.table_schema("corrections")["fields"]]
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != names:
            raise CorrectionError(f"{path}: header must be {','.join(names)}, not {','.join(reader.fieldnames or [])}")
        for n, raw in enumerate(reader, start=2):
            row = {k: (v.strip() or None) for k, v in raw.items()}
            where = f"{path}: row {n}"
            if row["action"] not in CORRECTION_ACTIONS:
                raise CorrectionError(f"{where}, field action: {row['action']!r} is not one of "
                                      f"{', '.join(CORRECTION_ACTIONS)}")
            if not row["reason"]:
                raise CorrectionError(f"{where}, field reason: every correction needs a reason")
            if not row["figure_id"] or not re.fullmatch(r"F[0-9a-f]{12}", row["figure_id"]):
                raise CorrectionError(f"{where}, field figure_id: {row['figure_id']!r} is not a figure id")
            if row["action"] == "set" and row["field"] not in CORRECTION_FIELDS:
                raise CorrectionError(f"{where}, field field: 'set' needs one of {', '.join(CORRECTION_FIELDS)}")
            if row["action"] == "join" and not (row["value"] and re.fullmatch(r"F[0-9a-f]{12}", row["value"])):
                raise CorrectionError(f"{where}, field value: 'join' needs the figure id to join")
            if row["action"] != "set" and row["field"]:
                raise CorrectionError(f"{where}, field field: only 'set' takes a field")
            row["_where"] = where
            out.append(row)
    return out


def _apply_corrections(claims: dict[str, Claim], corrections: list[dict[str, Any]]) -> None:
    stale = []
    for c in corrections:
        claim = claims.get(c["figure_id"])
        if claim is None:
            stale.append(f"{c['_where']}: figure {c['figure_id']} no longer exists; the extraction changed: "
                         "find the figure's new id or delete the correction")
            continue
        action = c["action"]
        if action == "exclude":
            del claims[c["figure_id"]]
            continue
        if action == "separate":
            claim.separate = True
        elif action == "join":
            if c["value"] not in claims:
                stale.append(f"{c['_where']}: figure {c['value']} to join no longer exists")
                continue
            claim.join = c["value"]
        else:
            fname = c["field"]
            if fname == "measure":
                if claim.measure == c["value"]:
                    stale.append(f"{c['_where']}: figure {claim.figure_id} already has measure {c['value']!r}; "
                                 "the correction changes nothing: delete it")
                    continue
                claim.measure = c["value"]
            else:
                if (getattr(claim.shown, fname, None) or None) == c["value"]:
                    stale.append(f"{c['_where']}: figure {claim.figure_id} already has {fname} {c['value']!r}; "
                                 "the correction changes nothing: delete it")
                    continue
                claim.shown = claim.shown._replace(**{fname: c["value"]})
        claim.corrections = (*claim.corrections, f"{action}{' ' + c['field'] if c['field'] else ''}: {c['reason']}")
    if stale:
        raise CorrectionError("corrections no longer match the figures:\n  " + "\n  ".join(stale))


# ---------------------------------------------------------------- grouping

@dataclass(slots=True)
class _Group:
    key: tuple
    places: tuple[str, ...]
    period: str | None
    claims: list[Claim]
    scope: str | None = None  # the event of claims that state no place; None when they state one (or one event)
    joined: bool = False
    corrected: bool = False
    held: Collection[str | None] | None = None  # while grouped, the events of an indexed group (see _group)

    def stated(self) -> int:
        return len(self.places) + (self.period is not None)

    def events(self) -> set[str | None]:
        return {c.event for c in self.claims}

    def take(self, other: _Group) -> None:
        """Take in the claims of ``other``, which states less (see :func:`_merge`)."""
        self.claims.extend(other.claims)
        self.joined = True

    def refines(self, other: _Group, events: set[str | None]) -> bool:
        """True when self states everything ``other`` states, and more, and holds claims of ``other``'s event
        (``events``: :meth:`events`, which _group keeps rather than gathers again for each pair)."""
        return (set(other.places) <= set(self.places)
                and (other.period is None or other.period == self.period)
                and self.stated() > other.stated()
                and (other.scope is None or other.scope in events))


@dataclass(slots=True)
class _Spilled(_Group):
    """A group made as a partition's records stream from the spill (:meth:`Reconciler._stream`), its claims
    never made: ``claims`` holds their positions in the spill in document order (an int for one claim, else an
    array), ``event`` their events, ``sources`` how many documents state them. Once it took in groups that state
    less (``joined``), ``claims`` is each claim's ``(position, places, period, group)``, for reading it back."""

    event: str | None | set[str | None] = None  # its claims' one event, or the set of several
    sources: int = 1
    fid: int | None = None  # its fact's id once grouped, as a number: fact_id's hexadecimal digits

    def events(self) -> set[str | None]:
        return self.event if type(self.event) is set else {self.event}

    def take(self, other: _Group) -> None:
        self._joining().extend(other._refs())

    def take_lone(self, at: int) -> None:
        """Take in the lone claim at ``at``, which states nothing (see :func:`_settle_lone`)."""
        self._joining().append((at, (), None, self.key[5] or None))

    def _joining(self) -> list[tuple[int, tuple[str, ...], str | None, str | None]]:
        """Its claims as read-back references (:meth:`_refs`), which claims that join it are added to."""
        if not self.joined:
            self.claims = self._refs()
            self.joined = True
        return self.claims

    def _refs(self) -> list[tuple[int, tuple[str, ...], str | None, str | None]]:
        """Its claims' read-back references, with the places, period and group it was made by."""
        group = self.key[5] or None
        if type(self.claims) is int:
            return [(self.claims, self.places, self.period, group)]
        return [(at, self.places, self.period, group) for at in self.claims]


def _grouped(live: list[_Spilled], starts: array) -> list[_Spilled]:
    """Groups as :meth:`Reconciler._stream` gives them: their claims in document order, their count of documents
    (``starts``: the position of each document's first claim, in order) and their fact id (an int: the hexadecimal
    digits of :func:`fact_id`), and no events held."""
    for g in live:
        if g.joined:
            g.claims.sort()  # by position (positions differ): document order
            g.sources = len({bisect_right(starts, ref[0]) for ref in g.claims})
        g.fid = int(fact_id(g)[1:], 16)
        g.held = g.event = g.scope = None  # only its fact id needs them: a string per document less
    return live


def _scope(c: Claim) -> str | None:
    """What keeps a claim apart from other events' claims: its event when it states no place (a stated place is
    what lets claims of different events meet)."""
    return None if c.places else c.event


def _in_document(c: Claim) -> tuple[str, int, str]:
    """A claim's place among a fact's claims: by document, then where in it."""
    return c.source_id, c.char_start, c.figure_id


def _in_record(r: tuple) -> tuple[str, int, str]:
    """:func:`_in_document` of the claim of a record (:meth:`Claim.record`)."""
    return r[1], r[2], r[0]


def _refs(g: _Group) -> tuple:
    """What reading a group's claims back needs of its members (:meth:`Reconciler._claims`), so that the groups
    waiting for their turn hold no member: a corrected claim's figure id; another's position in the spill, with
    its places, period and group when the group took in claims that state less (``joined``). In any other group
    they are the group's own (its key's group: a fact reads a claim's group only as said or not)."""
    if g.joined:
        return tuple(m.figure_id if m.figure_id is not None else (m.at, m.places, m.period, m.group) for m in g.claims)
    return tuple(m.figure_id if m.figure_id is not None else m.at for m in g.claims)


_fact_id = attrgetter("fid")  # a _Spilled group's fact id
_sources = attrgetter("sources")  # how many documents state its claims
_ordinal = attrgetter("n")  # a member's place in document order (:class:`_Member`)
_position = attrgetter("at")  # the same, when its unit is one partition spilled in document order


def _put(index: dict[tuple, _Group | dict[int, _Group]], k: tuple, t: _Group) -> None:
    """Index group ``t`` under ``k``. A bucket is the group alone, else a dict of its groups by id: most buckets
    hold one group (a document's event, in a folder of documents of their own), and a dict each held 230 bytes."""
    bucket = index.get(k)
    if bucket is None:
        index[k] = t
    elif type(bucket) is dict:
        bucket[id(t)] = t
    elif bucket is not t:
        index[k] = {id(bucket): bucket, id(t): t}


def _bucket(index: dict[tuple, _Group | dict[int, _Group]], k: tuple) -> Iterable[_Group]:
    """The groups indexed under ``k`` (see _put)."""
    bucket = index.get(k)
    return () if bucket is None else bucket.values() if type(bucket) is dict else (bucket,)


def _specific_first(reprs: dict[tuple, str]) -> Callable[[_Group], tuple]:
    """The order groups meet in :func:`_group`: most stated first, then by ``repr((key, places, period, scope or
    ""))``. That repr is "(", repr(key), ", " and the rest's; no key's repr (a tuple of strings, or of strings and
    one tuple of strings) begins another's, so comparing ``(repr(key), repr(rest))`` orders them alike, and a
    unit's few keys' reprs are made once each (``reprs``), not in each group's sort key."""
    def key(g: _Group) -> tuple:
        k = reprs.get(g.key)
        if k is None:
            k = reprs[g.key] = repr(g.key)
        return -g.stated(), k, repr((g.places, g.period, g.scope or ""))
    return key


def _group(claims: list[Claim] | list[_Member], order: Callable[[Any], Any] = _in_document) -> list[_Group]:
    """The groups of ``claims`` (in document order: ``order`` gives it), each a fact (see the module's docstring)."""
    groups: dict[tuple, _Group] = {}
    for c in claims:
        exact, scope = c.exact_key(), _scope(c)
        k = (exact, c.places, c.period, scope)
        g = groups.get(k)
        if g is None:
            g = groups[k] = _Group(exact, c.places, c.period, [], scope)
        g.claims.append(c)
    live = list(groups.values())
    del groups  # its keys, a tuple per group, gone before the sort keys are made
    live = _merge(live)
    if any(c.join for c in claims):
        by_figure = {c.figure_id: g for g in live for c in g.claims}
        for c in claims:
            if c.join and c.join in by_figure and by_figure[c.join] is not by_figure[c.figure_id]:
                src, dst = by_figure[c.figure_id], by_figure[c.join]
                src.claims.remove(c)
                dst.claims.append(c)
                dst.corrected = True
                by_figure[c.figure_id] = dst
                if not src.claims:
                    live.remove(src)
    corrected = any(c.corrections for c in claims)
    for g in live:
        g.held = None  # not needed once grouped: the groups wait for their facts
        if len(g.claims) > 1:
            g.claims.sort(key=order)
            g.corrected = g.corrected or (corrected and any(c.corrections for c in g.claims))
        else:
            g.corrected = g.corrected or bool(g.claims[0].corrections)
    return live


def _by_level(live: list[_Group]) -> None:
    """Sort groups for :func:`_merge` as :func:`_specific_first` does where it matters, with no key per group:
    most stated first, and within as much stated, the groups that state a place (no scope) first.

    Which group joins which is the same in either order. A group that states a place finds its targets by
    place: their events and ``removed`` (groups stating less than them) do not change while groups stating as
    much as it join. A scoped group's join changes nothing another group sees (its one event is one its target
    held already), and it finds its targets by event: the events unscoped groups of its key and level bring to
    their targets, which _specific_first orders before it ("()" after any place's repr). Only the order of the
    groups returned differs, which facts do not follow (their own order is by sources and fact id)."""
    live.sort(key=_unscoped_last)
    live.sort(key=_most_stated_first)


def _unscoped_last(g: _Group) -> bool:
    return g.scope is not None


def _most_stated_first(g: _Group) -> int:
    return -g.stated()


def _merge(live: list[_Group], arrange: Callable[[list[_Group]], None] | None = None) -> list[_Group]:
    """Groups of the same key that state less joined to the one group of their event that states more (see the
    module's docstring), the rest left as they are: ``live`` less the groups that joined another. ``arrange``
    sorts them (default: :func:`_specific_first`'s order, the order of the groups returned)."""
    return _merged(live, arrange)[0]


def _merged(live: list[_Group], arrange: Callable[[list[_Group]], None] | None = None, least: int | None = None
            ) -> tuple[list[_Group], dict[tuple, _Group | dict[int, _Group]], set[int]]:
    """:func:`_merge`, with the index of the groups that state more than ``least`` (default: the least any of
    them states) and the ids of the groups removed, for claims that join after them (:func:`_settle_lone`)."""
    if arrange is None:
        live.sort(key=_specific_first({}))
    else:
        arrange(live)
    # Most specific first, so that a claim stating less meets groups that have already absorbed their own.
    # Only groups that can refine g are tried (same key; holding g's event, or g's first place): comparing every
    # pair was quadratic in the documents of a folder.
    index: dict[tuple, _Group | dict[int, _Group]] = {}  # a bucket: see _put
    if least is None:
        least = live[-1].stated() if live else 0  # a group stating this little refines none: it is not indexed
    for t in live:
        if t.stated() <= least:
            break  # and so do the groups after it
        events = t.events()
        t.held = tuple(events) if len(events) == 1 else events  # most hold one: a tuple is a third of a set
        for k in [(t.key,), *((t.key, "place", p) for p in t.places), *((t.key, "event", e) for e in events)]:
            _put(index, k, t)
    removed: set[int] = set()
    most = live[0].stated() if live else 0  # a group stating this much has nothing to join: none states more
    for g in list(live):
        if g.stated() >= most:
            continue
        within = ((g.key, "event", g.scope) if g.scope is not None else
                  (g.key, "place", g.places[0]) if g.places else (g.key,))
        targets = [t for t in _bucket(index, within)
                   if t is not g and id(t) not in removed and t.refines(g, t.held)]
        if len(targets) == 1:
            target, events = targets[0], g.events()  # g has joined none: a group joins one that states more
            target.take(g)
            target.held = {*target.held, *events}
            for e in events:
                _put(index, (g.key, "event", e), target)
            removed.add(id(g))
    return [g for g in live if id(g) not in removed], index, removed


def _settle_lone(groups: dict[tuple, Any], index: dict[tuple, Any], removed: set[int]
                 ) -> tuple[array, array, list[tuple]]:
    """The lone claims of a partition streamed (:meth:`Reconciler._stream`: a claim that states no place and no
    period, alone of its key and event, held as its position) once the groups are merged (:func:`_merged`, every
    group that states something indexed): each joins the one group of its event that states more, as
    :func:`_merge` would join it; the others are their own facts, given as their fact ids (ints, see
    :func:`_grouped`), positions and keys (in no order: see :func:`_largest_first`). A lone claim's join changes
    nothing another's sees, and none states more than another: their order does not matter."""
    fids, ats, keys = array("q"), array("q"), []
    for (key, _, _), found in groups.items():
        for event, at in found.items() if type(found) is dict else ():
            if type(at) is not int:
                continue
            targets = [t for t in _bucket(index, (key, "event", event))
                       if id(t) not in removed and t.stated() > 0 and event in t.held]
            if len(targets) == 1:
                targets[0].take_lone(at)
            else:
                fids.append(int(fact_id(_Group(key, (), None, [], event))[1:], 16))
                ats.append(at)
                keys.append(key)
    return fids, ats, keys


def _largest_first(fids: array, ats: array, keys: list[tuple]) -> tuple[array, array, list[tuple]]:
    """Lone claims' facts (:func:`_settle_lone`) by fact id, the largest first: sorted as one int each, the fact id
    and the claim's place in the arrays (fact ids differ, as facts do)."""
    bits = len(fids).bit_length()
    order = sorted((f << bits | i for i, f in enumerate(fids)), reverse=True)
    mask = (1 << bits) - 1
    return (array("q", [fids[o & mask] for o in order]), array("q", [ats[o & mask] for o in order]),
            [keys[o & mask] for o in order])


# ---------------------------------------------------------------- estimates and status

def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def estimate(claims: list[Claim]) -> tuple[float | None, float | None, float | None, str]:
    """best, low, high and the rule that chose them."""
    if len(claims) == 1:  # most facts: what the loops below give for one claim
        c = claims[0]
        if c.qualifier in POINT_QUALIFIERS and c.value is not None:
            return c.value, c.value, c.value, "median_of_sources"
        return None, c.low, c.high, "bounds_only"
    by_source: dict[str, list[float]] = {}
    for c in claims:
        if c.qualifier in POINT_QUALIFIERS and c.value is not None:
            by_source.setdefault(c.source_id, []).append(c.value)
    if by_source:
        per_source = [statistics.median_low(sorted(v)) for _, v in sorted(by_source.items())]
        points = [v for vs in by_source.values() for v in vs]
        return statistics.median_low(sorted(per_source)), min(points), max(points), "median_of_sources"
    lows = [c.interval()[0] if c.low is not None else None for c in claims]
    highs = [c.interval()[1] if c.high is not None else None for c in claims]
    low = None if any(v is None for v in lows) else min(lows)
    high = None if any(v is None for v in highs) else max(highs)
    return None, low, high, "bounds_only"


def _meet(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float] | None:
    """The values two claims both allow (within rounding), or None."""
    floor, ceiling = max(a[0], b[0]), min(a[1], b[1])
    if floor <= ceiling or _close(floor, ceiling):
        return floor, max(floor, ceiling)
    return None


def _within_source(claims: list[Claim]) -> tuple[str | None, list[tuple[float, float]]]:
    """How one document's claims of a fact disagree, and the values it states in turn.

    In document order: ``revised`` when every value that contradicts what the document said before is worded
    as an update ("has risen to"), ``inconsistent_within_source`` otherwise, None when they agree. The values
    are the intervals the document held one after the other (one when it agrees with itself; each claim's when
    it is inconsistent), so that another source may match either an earlier or a later statement.
    """
    held: list[tuple[float, float]] = []
    found = None
    for c in sorted(claims, key=lambda c: (c.char_start, c.figure_id)):
        iv = c.interval()
        meet = _meet(held[-1], iv) if held else None
        if not held:
            held.append(iv)
        elif meet is not None:
            held[-1] = meet
        else:
            held.append(iv)
            if not c.revises:
                found = "inconsistent_within_source"
            found = found or "revised"
    if found == "inconsistent_within_source":
        held = [c.interval() for c in claims]
    return found, held


def _shared_value(held: list[list[tuple[float, float]]]) -> bool:
    """Whether one value matches a statement of every source."""
    candidates = {v for ivs in held for iv in ivs for v in iv if v != math.inf}
    return any(all(any(_meet((v, v), iv) for iv in ivs) for ivs in held) for v in candidates)


def status(claims: list[Claim]) -> str:
    """One of the statuses of docs/facts.md: a disagreement between sources first, then one inside a source."""
    if len(claims) == 1:
        return "single_source"
    by_source: dict[str, list[Claim]] = {}
    for c in claims:
        by_source.setdefault(c.source_id, []).append(c)
    inside = {sid: _within_source(cs) for sid, cs in sorted(by_source.items())}
    states = {state for state, _ in inside.values()}
    if states != {None}:
        if not _shared_value([held for _, held in inside.values()]):
            return "conflict"
        return "inconsistent_within_source" if "inconsistent_within_source" in states else "revised"
    if len(by_source) == 1:
        return "single_source"
    intervals = [c.interval() for c in claims]
    floor, ceiling = max(lo for lo, _ in intervals), min(hi for _, hi in intervals)
    if not (floor <= ceiling or _close(floor, ceiling)):
        return "conflict"
    points = [c.value for c in claims if c.qualifier in POINT_QUALIFIERS and c.value is not None]
    if len(points) == len(claims) and _close(min(points), max(points)):
        return "agree"
    if len({(c.qualifier, c.low, c.high) for c in claims}) == 1:
        return "agree"
    return "consistent"


# ---------------------------------------------------------------- facts

def _first(claims: list[Claim], name: str) -> str | None:
    """The first claim's ``name`` that is said (not empty)."""
    if len(claims) == 1:  # most facts
        return getattr(claims[0].shown, name) or None
    return next((getattr(c.shown, name) for c in claims if getattr(c.shown, name, None)), None)


_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(what, ensure_ascii=False), without a new encoder per call
_STRING = json.encoder.encode_basestring  # a string as that encoder writes it


def fact_id(group: _Group) -> str:
    try:  # the encoder's text, put together here: the encoder makes itself anew for each call, half of the cost
        blob = "".join(("[[", ", ".join(map(_STRING, group.key)), "], [", ", ".join(map(_STRING, group.places)), "], ",
                        "null" if group.period is None else _STRING(group.period),
                        "" if group.scope is None else ", " + _STRING(group.scope), "]"))
    except TypeError:  # a key holding more than strings (a claim kept apart: "separate")
        what = [list(group.key), list(group.places), group.period] + ([group.scope] if group.scope is not None else [])
        blob = _JSON.encode(what)
    return "Q" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def _fact_row(g: _Group, fid: str) -> dict[str, Any]:
    claims = g.claims
    c0 = claims[0]
    origin = destination = location = None
    if c0.category == "distance":
        origin, destination = _ends(g)
    elif g.places:
        location = next((c.shown.location for c in claims if c.places == g.places), None)
    period = g.period
    if period is not None and not period.startswith("P"):
        period = _first([c for c in claims if c.period == period], "reference_period")
    best, low, high, rule = estimate(claims)
    if len(claims) == 1:  # most facts: one claim, one source
        n_sources, quotes = 1, f"{c0.quote} ({c0.label or c0.source_id})"
    else:
        n_sources = len({c.source_id for c in claims})
        quotes = "; ".join(f"{c.quote} ({c.label or c.source_id})" for c in claims)
    return {"fact_id": fid, "category": c0.category, "term": c0.term, "measure": c0.measure,
            "group": _first(claims, "group") if c0.group else None,
            "location": location, "origin": origin, "destination": destination, "reference_period": period,
            "modality": c0.modality, "unit": c0.unit, "best": best, "low": low, "high": high,
            "status": status(claims), "n_figures": len(claims), "n_sources": n_sources, "claims": quotes,
            "grouping": "corrected" if g.corrected else ("joined_unstated" if g.joined else "same_key"),
            "estimate": rule}


def _ends(g: _Group) -> tuple[str | None, str | None]:
    """A distance's origin and destination as its claims name them (an armed force by its own name)."""
    shown: dict[str, str | None] = {}
    forces = _force_names()
    for c in g.claims:
        for end in (c.shown.origin, c.shown.destination):
            k = end_key(end)
            if k and k not in shown:
                shown[k] = k if k in forces else end
    # A place no claim left names (a `join` correction moved out the one claim naming both ends, leaving a claim
    # that joined it naming one): the place as compared, folded, rather than a KeyError.
    ends = [shown.get(k, k) for k in g.places]
    return (ends + [None, None])[0], (ends + [None, None])[1]


def _sort_key(g: _Group, fid: str) -> tuple:
    """The place of a group's fact in the facts' order (CATEGORY_ORDER); it begins with a partition's key (see
    :func:`_partition`), its first claim's (claims or members: the exact key holds category, term and modality)."""
    category, term, _, modality, *_ = g.claims[0].exact_key()
    sources = 1 if len(g.claims) == 1 else len({c.source_id for c in g.claims})
    return (CATEGORY_ORDER.get(category, 9), term, modality, -sources, fid)


def _partition(row: Mapping[str, Any]) -> tuple:
    """Which claims are reconciled together: those that begin their facts' sort key alike. No correction changes
    these fields, and claims that differ in one of them never share a fact (a ``join`` correction aside)."""
    return (CATEGORY_ORDER.get(row["category"], 9), row["term"], row["modality"])


def _by_source(c: Claim) -> tuple[str, str]:
    return c.source_id, c.figure_id


def _link(fact: str, c: Claim) -> dict[str, Any]:
    return {"fact_id": fact, "figure_id": c.figure_id, "source_id": c.source_id, "measure": c.measure,
            "correction": "; ".join(c.corrections) if c.corrections else None}


# A fact of more claims than this reads them back sharing the strings they repeat (Claim.read_back); a few are
# made faster without.
_SHARED = 16


class Reconciler:
    """Reconciles figure rows into facts without holding them all: claims are spilled to disk as the rows stream
    past, by partition (:func:`_partition`), and :meth:`facts` reads back one partition at a time, so memory
    follows the largest partition, not the corpus.

    Each document's sources row comes first (:meth:`add_source`), then its figures (:meth:`add`): a claim carries
    its document's date, outlet and event, so no table of sources is kept either.
    """

    def __init__(self, spill_dir: Path | None = None) -> None:
        self._spill = Spill(spill_dir)
        self._source: tuple[str, tuple[str | None, str | None, str]] | None = None
        self._first_event: str | None = None
        self._several = False  # whether the documents belong to more than one event

    def close(self) -> None:
        """Delete the spilled claims (once their facts are written, before the package is validated)."""
        self._spill.close()

    def add_source(self, row: Mapping[str, Any]) -> None:
        """A document's sources row, before its figures: its event is its ``event`` cell, else the document."""
        sid = row["source_id"]
        event = row.get("event") or OWN_EVENT + sid
        if self._first_event is None:
            self._first_event = event
        elif event != self._first_event:
            self._several = True
        self._source = (sid, (str(row["published"]) if row.get("published") else None, row.get("outlet"), event))

    def add(self, row: Mapping[str, Any]) -> None:
        """A figure row, after its document's sources row (a figure of no known document is an event of its own)."""
        sid = row["source_id"]
        source = self._source[1] if self._source is not None and self._source[0] == sid else (None, None, sid)
        self._spill.add(_partition(row), Claim.record(row, source))

    def facts(self, corrections: list[dict[str, Any]] = ()) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Each facts row with its fact_figures rows, in the facts' order; raises CorrectionError for stale
        corrections (now, before the first fact)."""
        corrected, named, units = self._correct(list(corrections))
        return self._facts(corrected, named, units)

    def _correct(self, corrections: list[dict[str, Any]]) -> tuple[dict[str, Claim], set[str], list[list[tuple]]]:
        """The claims corrections name, corrected (``named``: those that exist, excluded ones too), and the units
        of partitions reconciled together, in order: one partition each, unless a ``join`` crosses two."""
        keys = sorted(self._spill.keys())
        claims: dict[str, Claim] = {}
        where: dict[str, tuple] = {}
        if corrections:  # one read of the spill to find the claims named: only when there are corrections
            named = {c["figure_id"] for c in corrections} | {c["value"] for c in corrections if c["action"] == "join"}
            for key in keys:
                for r in self._spill.read(key):
                    if r[0] in named:
                        claims[r[0]] = Claim.from_record(r, self._several, {})
                        where[r[0]] = key
            _apply_corrections(claims, corrections)
        root = {k: k for k in keys}

        def find(k: tuple) -> tuple:
            while root[k] != k:
                k = root[k]
            return k

        for c in claims.values():
            if c.join in where:
                a, b = find(where[c.figure_id]), find(where[c.join])
                root[max(a, b)] = min(a, b)
        units: dict[tuple, list[tuple]] = {}
        for k in keys:
            units.setdefault(find(k), []).append(k)
        return claims, set(where), [units[k] for k in sorted(units)]

    def _facts(self, corrected: dict[str, Claim], named: set[str], units: list[list[tuple]]
               ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """Each unit's groups (:meth:`_stream`, else of its members: :class:`_Member`), then each group's fact made
        in the facts' order, its claims read back from the spill and dropped once its rows are given: memory holds
        a unit's groups (and members, in the rare units :meth:`_stream` leaves), and one fact's claims."""
        pending: list[tuple] = []  # a heap of (sort key, group of refs): a fact row is made only when it is written
        for n, unit in enumerate(units):
            if (streamed := self._stream(unit[0], named) if len(unit) == 1 else None) is not None:
                # Its facts come before any waiting (a later unit's partition follows this one): no heap, no key
                # per group. Last first: by sources (fewest first), then fact id (last first), by stable sorts;
                # the lone claims' facts (one source each) among them by fact id.
                spilled, (fids, ats, keys) = streamed
                del streamed
                spilled.sort(key=_fact_id, reverse=True)
                spilled.sort(key=_sources)
                while spilled or fids:  # each group dropped once its rows are given
                    if fids and (not spilled or (spilled[-1].sources == 1 and fids[-1] < spilled[-1].fid)):
                        yield self._made(_Spilled(keys.pop(), (), None, ats.pop(), fid=fids.pop()), None, corrected)
                    else:
                        yield self._made(spilled.pop(), None, corrected)
            else:
                for g in _group(*self._members(unit, corrected, named)):
                    key = _sort_key(g, fact_id(g))
                    g.claims = _refs(g)
                    heapq.heappush(pending, (key, g))  # keys differ in fact_id: groups never compared
            upto = units[n + 1][0] if n + 1 < len(units) else None  # no later unit holds a fact before this key
            while pending and (upto is None or pending[0][0][:3] < upto):
                key, g = heapq.heappop(pending)
                yield self._made(g, key[-1], corrected)

    def _made(self, g: _Group, fid: str | None, corrected: dict[str, Claim]) -> tuple[dict[str, Any], list[dict]]:
        """A group's facts row and links (``fid`` None: a _Spilled group's own), its claims read back for them and
        each dropped once its link is made: a fact every report states holds a claim and a link per report, and
        the writer holds the links while it writes them."""
        fid = fid or f"Q{g.fid:012x}"
        g.claims = self._claims(g, corrected)
        fact, its, g.claims = _fact_row(g, fid), g.claims, None
        if len(its) > 1:
            its.sort(key=_by_source)
            its.reverse()  # the first last, for pop()
        links = []
        while its:
            links.append(_link(fid, its.pop()))
        return fact, links

    def _stream(self, part: tuple, named: set[str]) -> tuple[list[_Spilled], tuple[array, array, list]] | None:
        """The groups of one partition's claims (:func:`_group`'s), made as its records stream from the spill,
        without a member per claim: a claim's exact key, places, period and scope find its first group, which
        keeps the claim's position, its event and a count of documents; then groups that state less join
        (:func:`_merge`). None when the partition needs members (:meth:`_members`): a claim corrections name, or
        records out of document order (the spill's order is then not the facts').

        A group of one claim holds its position as an int, of several an array (8 bytes a claim). The groups
        that state no place are found by their key, places and period, then by event in a dict of their own:
        no tuple per group (most groups of a folder of excerpts are one document's). A claim that states nothing
        is no group while it is alone of its key and event (most claims of such a folder), only its position:
        :func:`_settle_lone` joins it or makes it a fact of its own, and the second such claim makes it a group.
        Gives the groups and those lone facts (:func:`_settle_lone`)."""
        groups: dict[tuple, _Spilled | dict[str | None, _Spilled]] = {}
        words: dict[tuple, tuple] = {}
        keys: dict[tuple, tuple] = {}
        several, last, start, event, lone = self._several, None, -1, None, 0
        starts = array("q")  # where each document's claims begin: which document a position is in
        for at, r in self._spill.positioned(part):
            here = (r[1], r[2], r[0])
            if r[0] in named or (last is not None and here < last):
                return None
            if last is None or r[1] != last[0]:  # a document's first claim: one document's claims come together
                start = at
                starts.append(at)
            last = here
            if several and r[17] != event:
                event = r[17]  # one string for a document's claims
            places, period, group = _compared_once(r[3] == "distance", r[13], r[15], words)
            key = _exact_key(r[3], r[4], r[5], r[6], r[7], group)
            key = keys.setdefault(key, key)
            if places or event is None:  # no scope
                g = groups.get((key, places, period))
                if g is None:
                    groups[key, places, period] = _Spilled(key, places, period, at, None, event=event)
                    continue
            else:
                found = groups.get((key, places, period))
                if found is None:
                    found = groups[key, places, period] = {}
                g = found.get(event)
                if g is None:  # a claim that states nothing is held as its position while it is alone
                    found[event] = at if period is None else _Spilled(key, places, period, at, event, event=event)
                    lone += period is None
                    continue
                if type(g) is int:
                    g = found[event] = _Spilled(key, places, period, g, event, event=event)
                    lone -= 1
            if type(g.claims) is int:
                g.claims = array("q", (g.claims,))
            if g.claims[-1] < start:  # the group's first claim of this document
                g.sources += 1
                if type(g.event) is set:
                    g.event.add(event)
                elif event != g.event:
                    g.event = {g.event, event}
            g.claims.append(at)
        live = [g for found in groups.values() for g in (found.values() if type(found) is dict else (found,))
                if type(g) is not int]
        del words, keys
        live, index, removed = _merged(live, _by_level, 0 if lone else None)
        alone = _settle_lone(groups, index, removed) if lone else (array("q"), array("q"), [])
        del groups, index, removed  # before the lone claims' facts are sorted
        return _grouped(live, starts), _largest_first(*alone)


    def _members(self, unit: list[tuple], corrected: dict[str, Claim], named: set[str]
                 ) -> tuple[list[_Member], Callable[[_Member], int]]:
        """What grouping needs of each claim of a unit's partitions, in document order (:func:`_in_document`), the
        excluded left out; and the key that gives that order (for :func:`_group`).

        The spill holds each partition's claims in document order already (documents come in order, and each
        one's figures in the order of the text): they are sorted only when they are not, by their records read
        back, so that no sort key per claim is held in the common case. Then a member's position in the spill
        is its place in document order; otherwise (several partitions, or a sort) it is numbered.
        """
        members: list[_Member] = []
        words: dict[tuple, tuple] = {}
        keys: dict[tuple, tuple] = {}
        ordered, last = True, None
        for part in unit:
            for at, r in self._spill.positioned(part):
                here = _in_record(r)
                ordered, last = ordered and (last is None or last <= here), here
                if r[0] not in named:
                    members.append(_Member.of_record(r, at, self._several, words, keys,
                                                      members[-1] if members else None))
                elif (c := corrected.get(r[0])) is not None:  # None: excluded
                    c.rekey(c.published, words)
                    members.append(_Member.of(c, at, keys, True))
        if ordered and len(unit) == 1:
            return members, _position
        if not ordered:
            members.sort(key=lambda m: _in_record(self._spill.at(m.at)))
        for i, m in enumerate(members):
            m.n = i
        return members, _ordinal

    def _claims(self, g: _Group, corrected: dict[str, Claim]) -> list[Claim]:
        """A group's claims from its refs (:func:`_refs`): read back from the spill (a corrected one from
        ``corrected``), with the places, period and group they were grouped by."""
        claims = []
        refs = (g.claims,) if type(g.claims) is int else g.claims  # a _Spilled group of one claim: its position
        strings = {} if len(refs) > _SHARED else None
        records = self._spill.records_at([ref if type(ref) is int else ref[0] for ref in refs if type(ref) is not str])
        for ref in refs:
            if type(ref) is str:
                claims.append(corrected[ref])
                continue
            places, period, group = ref[1:] if type(ref) is tuple else (g.places, g.period, g.key[5] or None)
            claims.append(Claim.read_back(next(records), self._several, places, period, group, strings))
        return claims


def reconcile(sources: Iterable[Mapping[str, Any]], rows: Iterable[Mapping[str, Any]],
              corrections: list[dict[str, Any]] = ()) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(facts, fact_figures)`` rows of figure rows held in memory, in one call (tests, small sets): each source's
    rows are added after it, rows of no source given last."""
    by_source: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_source.setdefault(row["source_id"], []).append(row)
    r = Reconciler()
    try:
        for s in sources:
            r.add_source(s)
            for row in by_source.pop(s["source_id"], []):
                r.add(row)
        for rest in by_source.values():
            for row in rest:
                r.add(row)
        facts, links = [], []
        for fact, its in r.facts(corrections):
            facts.append(fact)
            links += its
        return facts, links
    finally:
        r.close()
