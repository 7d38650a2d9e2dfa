"""Document text -> figure rows: the one pure function the whole dataset rests on.

:func:`extract_document` takes a decoded text and its source id and returns
plain dicts, one per figure mention, in text order, with no I/O and no
global state, so it can run on one core, on all cores (``--jobs``), or inside
a Dask or Spark partition and give the same rows.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from . import classify, context, mentions, nonfigures, normalise, regex_cache, tables
from .numbers import as_plain
from .text import FORMULA_LEADS, join_broken_words, read_ocr_digits, sentences
from .vocabulary import Noun, Term, _rows, pattern, pattern_later, per_vocabulary, using, word_class_set

_DISTANCE_RELATION = pattern(
    r"\s*(?:(?:{distance_relation})\b|"
    r"(?:to\s+the\s+)?(?:{compass_direction})\b|(?:up|down|along)\s+the\b|"
    r"(?:further|farther)\s+(?:{further_direction})|"
    r"(?-i:[NSEW]|[NS][EW]|[NS][NS][EW]|[EW][NS][EW])\s+of\b|"  # "100 km NW of Sittwe"
    r"(?:{journey_noun})\s+(?:to|from)\b|"  # "the 1,500-kilometre drive to Edmonton"
    r"(?:{route_noun})\s+(?:{route_joiner})\b|"  # "the 185 km road between"
    r"by\s+(?:{means_of_travel})\b|"  # "some 230 km by road to the south-west"
    r"across\s+the\b)",  # "about 1 km across the Dnipro River from Russian positions"
    re.IGNORECASE,
)
# "between Napier and Wairoa, a distance of some 120 km": two places, then the distance (not "a road runs for a
# distance of 40 km", a length)
_DISTANCE_BEFORE = re.compile(r"\bbetween\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*){0,3}\s+and\s+(?-i:[A-Z])[\w'’-]*"
                              r"(?:\s+(?-i:[A-Z])[\w'’-]*){0,3},?\s+(?:a\s+|the\s+)?distance\s+of\s+$", re.IGNORECASE)
# "900 km and 1,000 km north respectively": a distance coordinated with the next shares its relation
_NEXT_DISTANCE = re.compile(r"\s*(?:and|or|to)\s+\d[\d,.]*\s*(?:km|kilomet(?:re|er)s|miles)\b", re.IGNORECASE)
# "The families we meet have walked 200-250 km": how far people went
_travelled = pattern_later(r"\b(?:{travel_verb})\s+(?:for\s+)?$", re.IGNORECASE)
_NOT_DISTANCE = pattern(r"\s*(?:(?:{length_word})\b|{length_prefix}|/|of\s+(?:{length_noun}))", re.IGNORECASE)


@per_vocabulary
def _km_per_unit() -> dict[str, float]:
    """Kilometres in one of each unit of length (distance_units.csv; exact by definition, 1 mile = 1.609344 km)."""
    return {r["pint_unit"]: float(r["km"]) for r in _rows("distance_units.csv")}


def figure_id(source_id: str, start: int, end: int, category: str) -> str:
    """Stable id from the document, the span of the number itself and the category.

    The number's span, not the quote's: the quote is how much wording the extractor cites around the number,
    and a better rule that cites "Thousands evacuate" instead of "Thousands" must not change the id a user
    cited. A figure keeps its id as long as the same number of the same document is read as the same category.
    """
    return "F" + hashlib.sha1(f"{source_id}|{start}|{end}|{category}".encode()).hexdigest()[:12]


def _num(v: Decimal | float | None, unit: str = "") -> int | float | None:
    if v is None:
        return None
    if unit:
        return _km(float(v), unit)
    return as_plain(v)


def _km(value: float, unit: str) -> float:
    """``value`` ``unit`` in km to the metre. Equal to pint's conversion (value times the factor, then rounded) on
    240,000 values tried, without the half second pint takes to load its registry."""
    return round(value * _km_per_unit()[unit], 3)


class _Doc:
    """Per-document indexes shared by all of its figures."""

    def __init__(self, text: str):
        self.text = text
        self.sents = sentences(text)
        self.sent_starts = [s for s, _ in self.sents]
        self.mentions = mentions.find(text)
        self.triggers, self.trigger_starts = classify.find_triggers(text)
        self.mention_starts = [m.start for m in self.mentions]
        self._attr: dict[int, str] = {}
        self._focus: str | None = None
        self._sentence: dict[int, context.Sentence] = {}
        self._last_place: dict[int, str] = {}
        self._noun_ends: dict[tuple[int, int], int] = {}
        # Mentions read as figures so far, by start (see _remember)
        self.figure_starts: dict[int, ReadFigure] = {}
        self.counted_unit: dict[int, str | None] = {}  # mention index -> unit of the noun it counts (_counted_unit)
        self.table_cells = tables.number_cells(text)
        self.last_noun: tuple[int, Noun] | None = None  # (sentence, noun) of the last figure read with a noun

    @property
    def focus(self) -> str:
        """The place the document is mostly about: what "the city" refers to when no other antecedent is given."""
        if self._focus is None:
            self._focus = context.focus_place(self.text)
        return self._focus

    def noun_end(self, mention: mentions.Mention, limit: int) -> int:
        """Where the noun phrase of ``mention`` (read up to ``limit``) ends; asked by several rules of a count."""
        key = (mention.start, limit)
        if key not in self._noun_ends:
            self._noun_ends[key] = classify.noun_phrase(self.text, mention, limit).end
        return self._noun_ends[key]

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def sentence(self, si: int) -> context.Sentence:
        """Sentence ``si``'s place names and pronouns, found once for all its figures (a sentence may be 10 MB)."""
        if si not in self._sentence:
            self._sentence[si] = context.Sentence(self.text, *self.sents[si])
        return self._sentence[si]

    def last_place(self, si: int) -> str:
        if si not in self._last_place:
            self._last_place[si] = context.last_place(self.text, *self.sents[si])
        return self._last_place[si]

    def attribution(self, si: int) -> str:
        if si not in self._attr:
            s_lo, s_hi = self.sents[si]
            who = context.attribution(self.text, s_lo, s_hi)
            # "He said", or a source named only by a common noun ("according to the ministry", "the statement"):
            # the speaker is the one an earlier sentence names.
            generic = bool(who) and who == who.lower()
            if generic or context.speaker_is_pronoun(self.text, s_lo, s_hi):
                for back in range(si - 1, max(-1, si - 4), -1):
                    prev = self.attribution(back)
                    if prev and not (generic and prev == prev.lower()):
                        who = prev
                        break
            self._attr[si] = who
        return self._attr[si]


# ", a city of", ", home to", ", a town of some": a population set beside a place's name
_APPOSED_PLACE = pattern(r",\s+(?:{article})?\s*(?:[\w-]+\s+){0,2}(?:of|to)\s+(?:\w+\s+)?$", re.IGNORECASE)
# ", which has about", ", where some": a population in a relative clause on a place
_relative_place = pattern_later(r",\s+(?:{relative_pronoun})\s+(?:{place_has_verb})\s+"
                                   r"(?:[\w-]+\s+)?$", re.IGNORECASE)
# "23 citizens among them 9 children": a subset right after the figure it is part of
_subset = pattern_later(r"(?:\s+[\w'’-]+){0,2}?\s*,?\s*(?:" + classify.SUBSET_JOINERS + r")\s+", re.IGNORECASE)
# Numbers that are no figure and stand in a clause without ending it: "one woman, 57, died", "spent at least one
# night in shelters".
_NO_CLAUSE = frozenset({"age", "pronoun 'one'"})
# A date, then at most its month, an aside and the colon of a label: "since 1 June: ", "in 2024 (flood, storm): ";
# or "to" and the number the subject before the date rose to
_DATES = frozenset({"year", mentions.DATE_REASON})
_DATED_LABEL = re.compile(r"(?:[ \t]+[A-Za-z]{3,9}\.?)?[ \t]*(?:\([^()\n]{0,60}\))?[ \t]*:[ \t]*"
                          r"|[ \t]+to[ \t]+")  # "bringing the death toll since October 2023 to more than 2,400"
# The preposition before places counted: "in 58 shelters", "residents of 12 villages".
_PLACE_FRONT = pattern(r"\b(?:{place_front})\s+$", re.IGNORECASE)


def _counts_places(doc: _Doc, j: int) -> bool:
    """Whether mention ``j`` counts the places where people are ("in 28 evacuation centres", "across 20 villages").

    Such a count does not end the reach of the number before it: in "4,156 families are staying in 28 evacuation
    centres" the families' term is the centres'.
    """
    m = doc.mentions[j]
    # "in 58 shelters", "into 300 houses": buildings after a preposition are where people are (see classify.choose);
    # "residents of 12 villages": the places people are from
    front = _PLACE_FRONT.search(doc.text, max(0, m.start - 12), m.start)
    if front is None:
        return False
    unit = _counted_unit(doc, j)
    return unit == "other" or (unit == "dwelling" and not _is_of(front))


def _is_of(front: re.Match) -> bool:
    return front.group(0)[:2].lower() == "of"


_WORD_NEXT = re.compile(r"\W{0,3}[^\W\d_]")


def _counted_unit(doc: _Doc, j: int) -> str | None:
    """The unit of the noun mention ``j`` counts, if it has one ("other" for villages, schools, trucks)."""
    if j not in doc.counted_unit:
        m = doc.mentions[j]
        unit = None
        if _WORD_NEXT.match(doc.text, m.end):  # a noun needs a letter within the next few characters
            np = classify.noun_phrase(doc.text, m, min(len(doc.text), m.end + classify.WINDOW))
            unit = np.noun.unit if np.noun is not None else None
        doc.counted_unit[j] = unit
    return doc.counted_unit[j]


def _counts_things(doc: _Doc, j: int) -> bool:
    """Whether mention ``j`` counts something that is never a figure (villages, schools, trucks)."""
    return _counted_unit(doc, j) == "other"


# "95 of 233 camps"
_PARTITIVE = regex_cache.compile(r"\s+(?:out\s+)?of\s+(?:(?:" + classify.PARTITIVE_DETERMINERS + r")\s+)?",
                                 re.IGNORECASE)


def _is_part(doc: _Doc, i: int) -> bool:
    """Whether mention ``i`` is a part of the next one: "some 90 of its 200 residents had died", "53 of the 160
    passengers". The part counts the whole's noun and takes the predicate after it; the whole only names the group."""
    ms = doc.mentions
    return i + 1 < len(ms) and _PARTITIVE.fullmatch(doc.text, ms[i].end, ms[i + 1].start) is not None


def _last_break(text: str, lo: int, hi: int) -> int:
    """The last ";" or "|" in ``lo``-``hi``, or -1: a clause ends there ("Deaths 285 | Injured 2,540")."""
    a = text.rfind(";", lo, hi)
    return max(a, text.rfind("|", max(lo, a), hi))


def _first_break(text: str, lo: int, hi: int) -> int:
    """The first ";" or "|" in ``lo``-``hi``, or -1."""
    a = text.find(";", lo, hi)
    b = text.find("|", lo, a if a >= 0 else hi)
    return b if b >= 0 else a


def _window(doc: _Doc, i: int, s_lo: int, s_hi: int) -> tuple[int, int]:
    text, m = doc.text, doc.mentions[i]
    lo = max(s_lo, m.start - classify.WINDOW)
    prv = i - 1
    if prv >= 0 and _counts_things(doc, prv):
        prv -= 1  # "the evacuation of 12 villages and 2,500 residents": the villages do not end the verb's reach
    while prv >= 0 and doc.mentions[prv].reason in _NO_CLAUSE and doc.mentions[prv].start > s_lo:
        prv -= 1  # "one woman, 57, died": an age in apposition is not a clause of its own
    if prv >= 0 and doc.mentions[prv].reason in _DATES and _DATED_LABEL.fullmatch(text, doc.mentions[prv].end, m.start):
        # "Deaths since 1 June: 52", "Lives lost in 2024 (flood and landslide): 52": the date is the label's
        while prv >= 0 and doc.mentions[prv].reason in _DATES and doc.mentions[prv].start > s_lo:
            prv -= 1
    if prv >= 0:
        lo = max(lo, doc.mentions[prv].end)
    semi = _last_break(text, lo, m.start)
    lo = semi + 1 if semi >= 0 else lo
    hi = min(s_hi, m.end + classify.WINDOW)
    nxt = i + 1
    if nxt < len(doc.mentions) and (_counts_places(doc, nxt) or _is_part(doc, i)):
        nxt += 1
    while nxt < len(doc.mentions) and doc.mentions[nxt].reason in _NO_CLAUSE and doc.mentions[nxt].start < s_hi:
        nxt += 1  # "Two residents, a 67-year-old man and his nine-year-old grandson, died"
    if nxt < len(doc.mentions):
        hi = min(hi, max(doc.mentions[nxt].start, m.end))
    semi = _first_break(text, m.end, hi)
    return lo, (semi if semi >= 0 else hi)


def _period_window(doc: _Doc, i: int, s_lo: int, s_hi: int, lo: int, hi: int) -> tuple[int, int]:
    """``lo``-``hi`` widened past the numbers that are no figures: a date's day and year ("as of Oct. 25", "since
    7 October 2023") end a figure's window, but they are its period's words."""
    ms, text, m = doc.mentions, doc.text, doc.mentions[i]
    if (i == 0 or ms[i - 1].accepted) and (i + 1 == len(ms) or ms[i + 1].accepted):
        return lo, hi  # no number that is no figure beside it: the clause is the window
    j = i - 1
    while j >= 0 and not ms[j].accepted and ms[j].end > s_lo:
        j -= 1
    p_lo = max(s_lo, m.start - classify.WINDOW, ms[j].end if j >= 0 else s_lo)
    semi = _last_break(text, p_lo, m.start)
    p_lo = semi + 1 if semi >= 0 else p_lo
    k = i + 1
    while k < len(ms) and not ms[k].accepted and ms[k].start < s_hi:
        k += 1
    p_hi = min(s_hi, m.end + classify.WINDOW, ms[k].start if k < len(ms) else s_hi)
    semi = _first_break(text, m.end, p_hi)
    p_hi = semi if semi >= 0 else p_hi
    return min(lo, p_lo), max(hi, p_hi)


def _distance(doc: _Doc, m, si: int, lo: int, hi: int) -> dict | None:
    text = doc.text
    after = text[m.end:min(len(text), m.end + 40)]
    if not _NOT_DISTANCE.match(after) and (coordinated := _NEXT_DISTANCE.match(text, m.end)):
        after = text[coordinated.end():coordinated.end() + 40]
    if _NOT_DISTANCE.match(after) or not (_DISTANCE_RELATION.match(after)
                                          or _DISTANCE_BEFORE.search(text, max(0, m.start - 120), m.start)
                                          or _travelled().search(text, max(0, m.start - 16), m.start)):
        return None
    s_lo, s_hi = doc.sents[si]
    prev = doc.last_place(si - 1) if si > 0 else ""
    origin, dest = context.distance_ends(text, s_lo, s_hi, m.start, m.end, prev, lambda: doc.focus,
                                         doc.sentence(si))
    row = {
        "category": "distance", "term": "distance", "group": "", "unit": "km",
        "value": _num(m.value, m.length_unit), "value_low": _num(m.low, m.length_unit),
        "value_high": _num(m.high, m.length_unit), "unit_as_written": m.length_written, "location": "",
        "origin": origin, "destination": dest, "quote_start": m.start, "quote_end": m.end,
        "rule": "distance:unit+relation",
    }
    if m.stated_km is not None:
        # "22 miles (35 kilometers)": the text gives the distance in km itself, to the precision it chose; converting
        # the miles would invent a precision it does not state (35.406). Its bounds follow the hedge of the miles.
        km, written, unit = m.stated_km
        value = _num(km)
        row.update({"value": value, "value_low": value if m.low is not None else None,
                    "value_high": value if m.high is not None else None, "unit_as_written": unit,
                    "_value_as_written": written, "rule": "distance:stated_conversion"})
    return row


def _in_brackets(doc: _Doc, m, np: classify.NounPhrase, lo: int, hi: int) -> classify.Choice | None:
    """The term a bracket around the number gives it ("Sittwe (pop. 150,000) was evacuated" is a population):
    an aside is read on its own first; a bracket without a term ("(around 460 families)") takes the clause's."""
    text = doc.text
    opening = text.rfind("(", lo, m.start)
    if opening < 0 or text.find(")", opening, m.start) >= 0:
        return None
    closing = text.find(")", m.end, hi)
    if closing < 0:
        return None
    return classify.choose(text, m, np, opening + 1, closing, doc.triggers, doc.trigger_starts)


def _placed_in(doc: _Doc, i: int, np: classify.NounPhrase, verb: classify.Choice | None = None) -> classify.Choice | None:
    """The term the places counted right after mention ``i`` give it: "3,740 people were in 58 shelters" are
    people in shelters, as "people in shelters" would be; the count of places only stands between the words.
    With ``verb``, the term the verb right before the places and the places make together ("took shelter in six
    camps" is "took shelter in camps"), if they make one."""
    j = i + 1
    if j < len(doc.mentions) and not doc.mentions[j].accepted:
        resume = classify.skip_insert(doc.text, np.end, len(doc.text))
        while j < len(doc.mentions) and not doc.mentions[j].accepted and doc.mentions[j].end <= resume:
            j += 1  # "2,415 individuals (38%) are staying in 9 spontaneous sites": the aside's numbers stand aside
    if j >= len(doc.mentions) or not _counts_places(doc, j):
        return None
    text, mj = doc.text, doc.mentions[j]
    prep = _PLACE_FRONT.search(text, max(0, mj.start - 12), mj.start)
    place = classify.noun_phrase(text, mj, min(len(text), mj.end + classify.WINDOW))
    if prep is None or _is_of(prep) or not 0 <= mj.start - np.end <= 40 or place.noun is None:
        return None
    words = prep.group(0) + text[mj.end:place.end]
    if verb is not None:
        if not 0 <= prep.start() - verb.trigger_end <= 1:
            return None
        words = text[verb.trigger_start:verb.trigger_end] + " " + words
    term = classify.term_of_words(words, whole=verb is not None)
    if term is None and verb is None:
        term = classify.term_of_words(prep.group(0) + place.written)  # "in 45 Red Cross shelters": in shelters
    unit = classify.unit_for(term, np.noun) if term is not None and term.category else None
    if unit is None:
        return None
    return classify.Choice(term.category, term.term, unit, "right", prep.start(), place.end)


_PARTICIPLE_GAP = re.compile(r"[ \t]+")
# Verbs whose past form after a noun is a passive participle ("the 216 people killed"), not the clause's verb as
# "died" or "fled" would be ("90 of the 200 passengers died": the 90 died).
_PASSIVE_PARTICIPLES = word_class_set("passive_participle")


def _participle_end(doc: _Doc, pos: int) -> int | None:
    """The end of a strong reporting term right after ``pos`` ("people| killed"), if there is one."""
    gap = _PARTICIPLE_GAP.match(doc.text, pos)
    if gap is None:
        return None
    k = bisect_left(doc.trigger_starts, gap.end())
    if k < len(doc.triggers) and doc.triggers[k][0] == gap.end() \
            and doc.text[gap.end():doc.triggers[k][1]].lower() in _PASSIVE_PARTICIPLES:
        return doc.triggers[k][1]
    return None


class ReadFigure(NamedTuple):
    """What a number was read as, for the numbers after it: its kind, and the noun it counts (or None)."""
    category: str
    term: str
    unit: str
    noun: Noun | None


class Clause(NamedTuple):
    """What the rules of a count read, fixed before the first one runs: the document, the number ``m`` (mention
    ``i`` of sentence ``si``, which starts at ``s_lo``) and its window ``lo``-``hi``, the previous number of its
    sentence and the last row. A tuple: made once per number, it must cost little."""
    doc: _Doc
    text: str
    i: int
    m: mentions.Mention
    si: int
    s_lo: int
    lo: int
    hi: int
    part: bool  # the number is a part of the next one ("90 of its 200 residents")
    prev: mentions.Mention | None
    previous: dict | None  # the last row made, in any sentence
    implied: bool  # the number has no noun of its own

    @property
    def prev_end(self) -> int:
        """Where the previous number's noun phrase ends (found once, for the rules that ask)."""
        return self.doc.noun_end(self.prev, self.m.start)


_new = tuple.__new__


class Reading(NamedTuple):
    """A count as the rules have read it so far: the term chosen, the noun phrase, and the figure it continues."""
    choice: classify.Choice | None
    np: classify.NounPhrase
    prev_figure: ReadFigure | None


def _clause(doc: _Doc, i: int, m, si: int, lo: int, hi: int,
            previous: dict | None) -> tuple[Clause, classify.NounPhrase, ReadFigure | None]:
    """The clause of a count and its first reading: the noun phrase, the number's reach, the number before it."""
    text, (s_lo, s_hi) = doc.text, doc.sents[si]
    part = _is_part(doc, i)
    whole = i > 0 and _is_part(doc, i - 1)
    np = classify.noun_phrase(text, doc.mentions[i + 1] if part else m, max(hi, m.end))
    # An inserted clause after the noun ("(around 460 families)", ", including three children,") does not end
    # the number's reach: its predicate comes after the insert.
    resume = classify.skip_insert(text, np.end, s_hi)
    if resume > np.end:
        nxt = bisect_left(doc.mention_starts, resume, i + 1)  # the first mention from resume on
        hi = min([s_hi, resume + classify.WINDOW] + doc.mention_starts[nxt:nxt + 1])
        semi = _first_break(text, resume, hi)
        hi = semi if semi >= 0 else hi
    # The predicate after "90 of its 200 residents" is the part's; a participle right on the whole's noun is its
    # own ("45 of the 216 people killed by the storm": 216 were killed).
    hi = (_participle_end(doc, np.end) or np.end) if whole else max(hi, np.end)
    prev = doc.mentions[i - 1] if i > 0 and doc.mentions[i - 1].start >= s_lo else None
    if prev is not None and i > 1 and doc.mentions[i - 2].start >= s_lo and _counts_things(doc, i - 1) \
            and doc.mentions[i - 2].start in doc.figure_starts:
        # "3,812 houses had been submerged across seven local government areas, while another 640 were washed
        # away": the areas are no figure; the 640 leave out the houses before them
        prev = doc.mentions[i - 2]
    # what the previous number of the sentence was read as, when it was read as a figure
    prev_figure = doc.figure_starts.get(prev.start) if prev is not None else None
    implied = np.noun is None
    if implied:
        np = classify.implied_noun(text, m, prev, lo, prev_figure is not None,
                                   prev_figure.noun if prev_figure else None) or np
    if (np.noun is None and doc.last_noun is not None and doc.last_noun[0] == si - 1
            and _FURTHER_OPENS.fullmatch(text, s_lo, m.start)):
        # "1,852 houses had collapsed. A further 6,040 were damaged": the further ones are the same houses
        np = classify.NounPhrase(m.end, doc.last_noun[1], "", np.group)
    # tuple.__new__: a NamedTuple's own constructor costs a Python call more, once per number
    return _new(Clause, (doc, text, i, m, si, s_lo, lo, hi, part, prev, previous, implied)), np, prev_figure


def _list_item(c: Clause, np: classify.NounPhrase, f: ReadFigure) -> dict | None:
    """"153 deaths (Jajarkot 101, Rukum West 52)": a list of places breaks the figure before it down."""
    text, m = c.text, c.m
    if f.category == "distance":
        return None
    if not (text.rfind("(", max(c.s_lo, c.prev.end - 80), m.start) >= 0
            or text.rfind(":", max(c.s_lo, c.prev.end - 80), m.start) >= 0):
        return None
    item = classify.listed(text, c.prev_end, m, c.s_lo)
    if not item:
        return None
    return _count_row(m, np, f.category, f.term, f.unit, context.place_name(text[slice(*item)]), item[0], np.end,
                      "ellipsis", False)


def _nearest_term(c: Clause, np: classify.NounPhrase) -> classify.Choice | None:
    """The first rule: an update of the row before ("this number could swell to"), else the nearest term that fits
    (see :func:`classify.choose`)."""
    m, doc = c.m, c.doc
    if c.previous and c.previous["category"] != "distance" and classify.anaphor(c.text, m, c.lo):
        p = c.previous
        return classify.Choice(p["category"], p["term"], p["unit"], "anaphor", m.start, m.start)
    return _in_brackets(doc, m, np, c.lo, c.hi) or classify.choose(c.text, m, np, c.lo, c.hi, doc.triggers,
                                                                  doc.trigger_starts)


def _toll_subject(c: Clause, r: Reading) -> Reading | None:
    """The subject "death toll" before numbers that cut the window (a magnitude, a date)."""
    if r.choice is not None or c.part or classify.verb_before(c.text, c.m, c.lo) is None:
        return None
    lo = _period_window(c.doc, c.i, c.s_lo, c.doc.sents[c.si][1], c.lo, c.hi)[0]
    choice = classify.toll_subject(c.text, c.m, r.np, lo, c.doc.triggers, c.doc.trigger_starts)
    return Reading(choice, r.np, r.prev_figure)


def _places_counted(c: Clause, r: Reading) -> Reading | None:
    """"1,727 moved to 3 camps": the places say more than a weak verb between them and the number; "took shelter
    in six camps" says where a strong one put them."""
    choice = r.choice
    if c.part:
        return None
    if choice is None or choice.rule == "right" and not classify.strong(c.text, choice):
        placed = _placed_in(c.doc, c.i, r.np)
    elif choice.rule == "right":
        placed = _placed_in(c.doc, c.i, r.np, choice)
        placed = placed if placed is not None and placed.term != choice.term else None
    else:
        return None
    return Reading(placed, r.np, r.prev_figure) if placed is not None else None


def _subset_of_previous(c: Clause, r: Reading) -> Reading | None:
    """"the martyrdom of 23 citizens among them 9 children, and the injury of 61 others": a subset of the figure
    before it is that figure's kind, unless a term of its own clause follows it ("of whom 27,600 remain in
    temporary accommodation")."""
    f, choice, np = r.prev_figure, r.choice, r.np
    if f is None or f.category not in ("casualties", "displacement") or c.part:
        return None
    if not (choice is None or ((choice.category, choice.term) != (f.category, f.term) and choice.rule == "right"
                               and classify.coordinated_after(c.text, np.end, choice.trigger_start))):
        return None
    if not _subset().fullmatch(c.text, c.prev_end, c.m.start):
        return None
    unit = classify.unit_for(Term(f.category, f.term, True), np.noun)
    if unit is None:
        return None
    return Reading(classify.Choice(f.category, f.term, unit, "ellipsis", c.m.start, c.m.start), r.np, r.prev_figure)


def _subset_further_back(c: Clause, r: Reading) -> Reading | None:
    """"196 people are confirmed dead. Among them are 121 men", ", including 256,000": see :func:`_distant_subset`."""
    if r.choice is not None or c.part or c.previous is None or c.previous["category"] not in ("casualties",
                                                                                               "displacement"):
        return None
    return Reading(_distant_subset(c.doc, c.i, c.m, r.np, c.si, c.previous), r.np, r.prev_figure)


def _what_a_place_holds(c: Clause, r: Reading) -> Reading | None:
    """"Zamzam camp ... shelters some 500,000 people": see :func:`classify.place_holds`."""
    if r.choice is not None or c.part:
        return None
    return Reading(classify.place_holds(c.text, c.m, r.np, c.s_lo), r.np, r.prev_figure)


def _past_a_population_aside(c: Clause, r: Reading) -> Reading | None:
    """"98 were in Wajima, a city of roughly 23,000 people, and 101 in Suzu": a population in apposition to a place
    is an aside; the number leaves out what the figure before the aside says."""
    f, np, text = r.prev_figure, r.np, c.text
    if r.choice is not None or f is None or f.category != "population" or c.i <= 1:
        return None
    before = c.doc.mentions[c.i - 2]
    earlier = c.doc.figure_starts.get(before.start) if before.start >= c.s_lo else None
    if earlier is None or earlier.category == "population" or not (
            _APPOSED_PLACE.search(text, before.end, c.prev.start) or _relative_place().search(text, before.end,
                                                                                             c.prev.start)):
        return None
    r = Reading(r.choice, np, earlier)  # the aside's own end still bounds the ellipsis
    if c.implied and np.noun is not None and earlier.noun is not None and np.noun.unit != earlier.noun.unit:
        # "312 homes had been destroyed in the commune, which has about 13,000 inhabitants, and another 80 were
        # damaged": the 80 borrowed the aside's noun; they are the earlier figure's homes
        borrowed = classify.NounPhrase(np.end, earlier.noun, np.written, np.group)
        choice, np = _with_noun(c.doc, c.m, borrowed, np, c.lo, c.hi)
        r = Reading(choice, np, earlier)
    return r


def _same_kind_as_previous(c: Clause, r: Reading) -> Reading | None:
    """"101 were in Jajarkot and 52 in West Rukum": the second number is the first one's kind of figure (ellipsis);
    "Evacuated: 16,200 (4,310 households)": the same figure counted in another unit (apposition)."""
    f, np, text, m = r.prev_figure, r.np, c.text, c.m
    if r.choice is not None or f is None or f.category == "distance":
        return None
    if (classify.coordinated_bare(text, c.prev_end, m) or classify.of_them(text, m, c.prev_end)
            or classify.changed_to(text, c.prev, m)
            or np.noun is not None and _AND_ONLY.fullmatch(text, c.prev_end, m.start)
            and classify.unit_for(Term(f.category, f.term, True), np.noun) == f.unit):
        return Reading(classify.Choice(f.category, f.term, f.unit, "ellipsis", m.start, m.start), r.np, r.prev_figure)
    if np.noun is not None and classify.bracketed(text, c.prev_end, m, np):
        unit = classify.unit_for(Term(f.category, f.term, True), np.noun)
        # "(9,424 shelters opened)" after people in shelters counts the places, not the same people
        sheltering = np.noun.unit == "dwelling" and f.term not in classify.HOUSING_TERMS
        if unit is not None and unit != f.unit and not sheltering:
            return Reading(classify.Choice(f.category, f.term, unit, "apposition", m.start, m.start), r.np, r.prev_figure)
    return None


def _label_after_break(c: Clause, r: Reading) -> Reading | None:
    """"Houses destroyed: 6,300; damaged: 9,850": a label after a break counts the noun of the figure before it."""
    f, np, m = r.prev_figure, r.np, c.m
    if (r.choice is not None or np.noun is not None or f is None or f.noun is None or f.category == "distance"
            or not 0 <= m.start - c.prev.end <= 40 or _last_break(c.text, c.prev.end, m.start) < 0):
        return None
    choice, np = _with_noun(c.doc, m, classify.NounPhrase(m.end, f.noun, "", np.group), np, c.lo, c.hi)
    return Reading(choice, np, f)


def _degree_of_more_houses(c: Clause, r: Reading) -> Reading | None:
    """"Houses damaged: fully 7,181, partially 38,220": a degree after the houses counts more houses."""
    f, np, m, text = r.prev_figure, r.np, c.m, c.text
    if (r.choice is not None or np.noun is not None or f is None or f.term not in _DEGREE_TERMS
            or not 0 <= m.start - c.prev.end <= 30):
        return None
    how = classify.degree(text, m, m.end)
    if how is None or how[1] <= c.prev.end or not _DEGREE_ITEM.fullmatch(text, c.prev_end, how[1]):
        return None
    return Reading(classify.Choice("displacement", how[0], "dwelling", "left", how[1], how[2]),
                   classify.NounPhrase(m.end, f.noun, "", np.group), f)


# The rules of a count, in the order they are tried: each reads the clause and the reading so far, and returns a
# new reading when it applies. After _nearest_term, they refine its term or find one where it found none; the
# last (FALLBACK_RULES) apply only to a number still without a term, so they are not even called for the others.
COUNT_RULES = (_toll_subject, _places_counted, _subset_of_previous)
FALLBACK_RULES = (_subset_further_back, _what_a_place_holds, _past_a_population_aside, _same_kind_as_previous,
                  _label_after_break, _degree_of_more_houses)


def _count(doc: _Doc, i: int, m, si: int, lo: int, hi: int, previous: dict | None) -> dict | None:
    """A number that counts people or houses, read by :data:`COUNT_RULES`, or None when no term fits it."""
    c, np, prev_figure = _clause(doc, i, m, si, lo, hi, previous)
    if prev_figure is not None and (row := _list_item(c, np, prev_figure)) is not None:
        return row
    r = _new(Reading, (_nearest_term(c, np), np, prev_figure))
    for rule in COUNT_RULES:
        r = rule(c, r) or r
    if r.choice is None:
        for rule in FALLBACK_RULES:
            r = rule(c, r) or r
    return _count_row_of(c, r) if r.choice is not None else None


def _count_row_of(c: Clause, r: Reading) -> dict:
    """The row of a count the rules chose a term for: its degree, quote, place and modality."""
    text, m, np, choice = c.text, c.m, r.np, r.choice
    if choice.term in _DEGREE_TERMS and (how := classify.degree(text, m, np.end)) is not None \
            and how[0] != choice.term and (how[1] > choice.trigger_end or how[2] < choice.trigger_start):
        # "Houses damaged: fully – 7,181": the degree says how badly the label's houses were damaged
        choice = classify.Choice(choice.category, how[0], choice.unit, choice.rule, choice.trigger_start,
                                 choice.trigger_end)
    rule = choice.rule
    qs, qe = m.start, np.end
    if rule in ("left", "label") and 0 <= m.start - choice.trigger_end <= 60:
        qs = choice.trigger_start
    elif rule == "left" and (verb := classify.verb_before(text, m, max(c.lo, choice.trigger_end))) is not None:
        qs = verb  # a subject too far to quote ("The death toll from ..., ... rose to 143"): its verb is cited
    elif rule == "right" and 0 <= choice.trigger_start - np.end <= 60:
        qe = choice.trigger_end
    modal_hi = choice.trigger_end if rule == "right" else np.end
    location = ((choice.category == "population" and context.nearest_name(text, c.s_lo, m.start, c.doc.sentence(c.si)))
                or context.location(text, c.lo, c.hi, m.start, np.end, max(np.end, choice.trigger_end),
                                    np.end - len(np.written)))
    projected = (context.projected(text, c.lo, max(modal_hi, m.start))
                 or (rule == "anaphor" and context.projected(text, c.lo, m.start)))
    return _count_row(m, np, choice.category, choice.term, choice.unit, location, qs, qe, rule, projected)


def _with_noun(doc: _Doc, m, borrowed: classify.NounPhrase, np: classify.NounPhrase, lo: int,
               hi: int) -> tuple[classify.Choice | None, classify.NounPhrase]:
    """The term ``m`` takes when it counts the noun it ``borrowed`` from a figure before it, and the noun phrase
    it then has (``np`` unchanged when no term fits the borrowed noun either)."""
    choice = classify.choose(doc.text, m, borrowed, lo, hi, doc.triggers, doc.trigger_starts)
    return choice, (borrowed if choice is not None else np)


_DEGREE_TERMS = classify.HOUSING_TERMS - {"uninhabitable_housing"}  # the terms a degree chooses between
# what may stand between one figure of houses and the degree of the next: "fully 7,181, partially 38,220"
_DEGREE_ITEM = re.compile(r"\s*[,;|/]?\s*(?:and\s+)?")
_FURTHER_OPENS = re.compile(r"\W*(?:a\s+further|another)\s+", re.IGNORECASE)
# "121 men and 75 women": a second count of the same kind, joined to the first with nothing else
_AND_ONLY = re.compile(r"\s*,?\s*(?:and|&)\s+")
# ", including 256,000": a subset, however far its figure is
_SUBSET_BEFORE = regex_cache.compile(r",\s*(?:" + classify.SUBSET_JOINERS + r")\s+$", re.IGNORECASE)
# "196 people are confirmed dead. Among them are 121 men": a subset of the figure of the sentence before
_SUBSET_OPENS = pattern(r"\W*(?:among|of)\s+(?:{subset_whole})\s*(?:,|{be_form})?\s*", re.IGNORECASE)


def _distant_subset(doc: _Doc, i: int, m, np: classify.NounPhrase, si: int, previous: dict) -> classify.Choice | None:
    """The kind of the figure a subset belongs to when more than a word or two stands between them: numbers that
    are no figures ("450,000 Afghans returned between 1 June and 12 July, including 256,000 in July"), words with
    no other term ("killed 327 people across Pakistan since late June, including 142 children"), or a sentence
    break ("196 people are confirmed dead. Among them are 121 men")."""
    text, ms, s_lo = doc.text, doc.mentions, doc.sents[si][0]
    if _SUBSET_OPENS.fullmatch(text, s_lo, m.start):
        if previous["char_start"] < s_lo and si > 0 and previous["char_start"] >= doc.sents[si - 1][0]:
            kind = (previous["category"], previous["term"])
        else:
            return None
    elif i > 0 and _SUBSET_BEFORE.search(text, max(s_lo, m.start - 16), m.start):
        k = i - 1
        while k >= 0 and not ms[k].accepted and ms[k].start >= s_lo:
            k -= 1
        fig = doc.figure_starts.get(ms[k].start) if k >= 0 and ms[k].start >= s_lo else None
        if fig is None or fig.category not in ("casualties", "displacement") or m.start - ms[k].end > 120:
            return None
        between = doc.triggers[bisect_left(doc.trigger_starts, ms[k].end):bisect_left(doc.trigger_starts, m.start)]
        if any(term.category and term.category != fig.category for _, _, term in between):
            return None  # a term of another kind opens a clause of its own between them
        kind = (fig.category, fig.term)
    else:
        return None
    unit = classify.unit_for(Term(kind[0], kind[1], True), np.noun)
    return classify.Choice(kind[0], kind[1], unit, "ellipsis", m.start, m.start) if unit is not None else None


def _caption(text: str, header_start: int) -> tuple[int, int] | None:
    """The line right above a table's header row, if it has words: where a caption names what the table counts."""
    end = text.rfind("\n", 0, header_start)
    if end <= 0:
        return None
    start = text.rfind("\n", 0, end) + 1
    return (start, end) if text[start:end].strip() else None


def _table(doc: _Doc, m, si: int, cell: tables.Cell) -> dict | None:
    """A number alone in a table cell, read with its column's header and its row's first cell (see tables.py)."""
    text = doc.text
    hs, he = cell.header
    found = classify.header_choice(text, hs, he, m.end, doc.triggers, doc.trigger_starts)
    if found is None:
        caption = _caption(text, cell.header_row[0])
        found = caption and classify.caption_choice(text, hs, he, *caption, m.end, doc.triggers, doc.trigger_starts)
    if not found:
        return None
    choice, np = found
    location, qs = "", m.start
    if cell.row_label is not None:
        ls, le = cell.row_label
        location = context.place_name(text[ls:le])
        if ls >= doc.sents[si][0] and m.end - ls <= 60:
            qs = ls  # "Bicol | 289,454": the row as a reader finds it, when that is short
    return _count_row(m, np, choice.category, choice.term, choice.unit, location, qs, m.end, "table", False)


def _count_row(m, np: classify.NounPhrase, category: str, term: str, unit: str, location: str, qs: int, qe: int,
               rule: str, projected: bool) -> dict:
    """A count's row before :func:`_finish` adds what every row has."""
    return {
        "category": category, "term": term, "group": np.group, "unit": unit,
        "value": _num(m.value), "value_low": _num(m.low), "value_high": _num(m.high),
        "unit_as_written": np.written, "origin": "", "destination": "", "location": location,
        "quote_start": qs, "quote_end": qe, "rule": f"{category}:{rule}", "_projected": projected,
        "_noun": np.noun,
    }


# The most of a sentence a row cites. News sentences are a few hundred characters, but a file without full stops
# is one sentence, and citing all of it in each of its rows made the output quadratic in the input (10 MB times
# every figure in it). Longer sentences are cited by the stretch around the figure, still text[start:end].
SENTENCE_CITED = 2000


def _cited_sentence(text: str, s_lo: int, s_hi: int, qs: int, qe: int) -> tuple[int, int]:
    """The span of the sentence a row cites: all of it, or the stretch around the quote of a long one.

    It never starts with a character a spreadsheet runs as a formula ("@UNHCR: 5,000 people ...", a cut into
    "|---|---|"), which would refuse the whole document: the cited span starts after such characters instead,
    still ``text[start:end]``, never before the quote.
    """
    if s_hi - s_lo > SENTENCE_CITED:
        half = SENTENCE_CITED // 2
        s_lo, s_hi = max(s_lo, qs - half), min(s_hi, qe + half)
    while s_lo < qs and (text[s_lo] in FORMULA_LEADS or text[s_lo].isspace()):
        s_lo += 1
    return s_lo, s_hi


_APPOSED = re.compile(r"\s*(?:,\s*or|or|—|–|-|,|\(|from|in)\s*$")  # ", or about 83,000 people,"


def _apposed(doc: _Doc, j: int, second: dict) -> dict | None:
    """A row for number ``j`` when the same count follows in another unit and only that one has a predicate:
    "4,893 families or 18,274 individuals have been evacuated", "8,017 people from 2,328 families had been
    moved", "11,000 families — about 80,000 people — have been left homeless"; or when another count with a noun
    of its own is joined to it by "and": "121 men and 75 women were killed". Each keeps its own noun."""
    text, m, nxt = doc.text, doc.mentions[j], doc.mentions[j + 1]
    if second["category"] not in ("displacement", "casualties") or doc.sentence_of(m.start) != doc.sentence_of(nxt.start):
        return None
    np = classify.noun_phrase(text, m, nxt.start)
    if np.noun is None:
        return None
    unit = classify.unit_for(Term(second["category"], second["term"], True), np.noun)
    if unit is None:
        return None
    if unit != second["unit"] and _APPOSED.fullmatch(text, np.end, nxt.start):
        rule = "apposition"
    elif np.written and _AND_ONLY.fullmatch(text, np.end, nxt.start):
        rule = "ellipsis"  # "121 men and 75 women were killed": two subjects of one predicate
    else:
        return None
    return _count_row(m, np, second["category"], second["term"], unit, second["location"], m.start, np.end,
                      rule, second["_projected"])


def _remember(doc: _Doc, m, si: int, row: dict) -> None:
    """Record what ``m`` was read as, for the numbers after it (the one place the document's state changes)."""
    noun = row.pop("_noun", None)
    doc.figure_starts[m.start] = ReadFigure(row["category"], row["term"], row["unit"], noun)
    if noun is not None:
        doc.last_noun = (si, noun)


def _finish(doc: _Doc, source_id: str, m, si: int, lo: int, hi: int, row: dict,
            period: tuple[int, int] | None = None) -> dict:
    """The row with its id, hedge, modality, period (looked for in ``period``, else ``lo``-``hi``), source and
    citation. It changes nothing the next figure reads (see :func:`_remember`)."""
    text = doc.text
    s_lo, s_hi = doc.sents[si] if doc.sents else (0, len(text))
    projected = row.pop("_projected", False)
    qs, qe = row.pop("quote_start"), row.pop("quote_end")
    row.update({
        "figure_id": figure_id(source_id, m.num_start, m.num_end, row["category"]),
        "source_id": source_id,
        "qualifier": m.qualifier,
        "modality": "projected" if projected else "observed",
        "value_as_written": row.pop("_value_as_written", m.written),
        "reference_period": "" if row["category"] == "distance" else
        context.reference_period(text, *(period or (lo, hi)), m.start, m.end),
        "attributed_to": doc.attribution(si),
        "quote": text[qs:qe],
        "char_start": qs,
        "char_end": qe,
    })
    c_lo, c_hi = _cited_sentence(text, s_lo, s_hi, qs, qe)
    row.update({"sentence_start": c_lo, "sentence_end": c_hi, "sentence": text[c_lo:c_hi]})
    return row


def extract_document(text: str, source_id: str, vocabulary: str | Path | None = None) -> list[dict]:
    """Every figure of the four categories in one document, in citation order (char_start, then category), read
    with the vocabulary of the folder ``vocabulary`` (laid out as ``extract/vocab/``; None: the folder in use,
    ``extract/vocab/`` itself unless a caller chose another with ``vocabulary.using``). A test, or another
    language, passes its own folder; what is computed from a vocabulary is recomputed when the folder changes.
    """
    if vocabulary is None:
        return _document_rows(text, source_id)
    with using(vocabulary):
        return _document_rows(text, source_id)


def _document_rows(text: str, source_id: str) -> list[dict]:
    """The rows of :func:`extract_document`, with the vocabulary in use.

    Rows are made in the order of their numbers, but a quote may start before its number ("people displaced:
    5,000" cites from "people"), so they are sorted here, once, for every caller: the package, the stream API.
    Words a PDF converter broke at line ends ("dis-\nplaced") are read joined, digits an OCR engine read as
    letters ("4O,OOO") as digits, and mojibake, glued words and typos of a counted noun repaired (normalise.py);
    citations and values as written stay the text's, widened to whole words.
    """
    reading = normalise.read(text)
    joined, broken = join_broken_words(reading.text)
    read = read_ocr_digits(joined)
    rows = _extract(read, source_id)
    for row in rows:  # nobody has checked a row yet: review decisions (extract/decisions.py) change this
        row.update(review="extracted", review_reason=None)
    if read is not text:  # cite the text as written, widened to whole words where words were joined or repaired
        starts = [a for a, _ in broken]
        for row in rows:
            written = row["value_as_written"]  # the number as written, not as read ("4O,OOO")
            at = read.find(written, row["char_start"], row["char_end"]) if written else -1
            if at >= 0:
                w_lo, w_hi = reading.span(at, at + len(written))
                row["value_as_written"] = text[w_lo:w_hi]
            for start_key, end_key, text_key in (("char_start", "char_end", "quote"),
                                                 ("sentence_start", "sentence_end", "sentence")):
                lo, hi = reading.span(*_widen(broken, starts, row[start_key], row[end_key]))
                row.update({start_key: lo, end_key: hi, text_key: text[lo:hi]})
        if reading.pieces:
            rows.sort(key=lambda r: (r["char_start"], r["category"]))
    return rows


def _widen(broken: list[tuple[int, int]], starts: list[int], lo: int, hi: int) -> tuple[int, int]:
    """``lo``-``hi`` widened so that neither end falls inside a joined word."""
    k = bisect_right(starts, lo) - 1
    if k >= 0 and broken[k][0] < lo < broken[k][1]:
        lo = broken[k][0]
    k = bisect_right(starts, hi) - 1
    if k >= 0 and broken[k][0] < hi < broken[k][1]:
        hi = broken[k][1]
    return lo, hi


def _extract(text: str, source_id: str) -> list[dict]:
    doc = _Doc(text)
    rows: list[dict] = []
    previous = None
    unread = None  # (mention index, window) of the last number read as no figure
    for i, m in enumerate(doc.mentions):
        if not m.accepted:
            continue
        si = doc.sentence_of(m.start)
        s_lo, s_hi = doc.sents[si] if doc.sents else (0, len(text))
        lo, hi = _window(doc, i, s_lo, s_hi)
        cell = doc.table_cells.get(m.num_start) if not m.length_unit else None
        if cell is not None and cell.labelled and not context.place_name(text[slice(*cell.row_label)]):
            cell = None  # "Deaths: 10" names its figure itself: read as prose
        if cell is not None:
            row = _table(doc, m, si, cell)
            lo, hi = cell.header_row  # a cell has no clause around it: a period is the table's caption's
            period = None
        else:
            row = _distance(doc, m, si, lo, hi) if m.length_unit else _count(doc, i, m, si, lo, hi, previous)
            if row is not None and not m.length_unit and nonfigures.vetoed(text, m, row, s_lo):
                row = None
            period = _period_window(doc, i, s_lo, s_hi, lo, hi)
        if row is None:
            unread = (i, lo, hi)
            continue
        if unread is not None and unread[0] == i - 1 and row["rule"].endswith(":right"):
            first = _apposed(doc, i - 1, row)
            if first is not None:
                _remember(doc, doc.mentions[i - 1], si, first)
                rows.append(_finish(doc, source_id, doc.mentions[i - 1], si, *unread[1:], first))
        unread = None
        _remember(doc, m, si, row)
        rows.append(_finish(doc, source_id, m, si, lo, hi, row, period))
        previous = rows[-1]
    rows.sort(key=lambda r: (r["char_start"], r["category"]))
    return rows
