"""Rules of English reporting that make a number no figure although a term reaches it.

Humanitarian reports count many things besides people displaced, killed or living somewhere: cases of a disease
listed by camp, rates per 1,000, parts of a population, a term that names a subset. Each rule is one named function
``rule(text, m, row, sentence_start) -> bool``, true when the number ``m`` that ``row`` reads as a figure is none;
:func:`vetoed` asks them in order and names the first that applies (rows read from a table cell are not asked: a
column header says what its numbers count).
"""

from __future__ import annotations

import re

from . import regex_cache
from .vocabulary import load, noun_of, nouns_starting_words, per_vocabulary

# A number standing alone before where its items are from or in: "3 from camp 1E", "263 were from ICRC Clinic",
# "88 from Rohingya refugees", "one among Teknaf Host Community".
_BARE_ITEM = re.compile(r"[ \t]*(?:\(\d{1,3}\)[ \t]*)?(?:(?:were|was|are|is)[ \t]+)?(?:from|in|among|at)\s",
                        re.IGNORECASE)
# What a place or group after a preposition is: where the items are from, not what is counted ("cases from camp 3").
_PLACE_PREPOSITION = re.compile(r"\b(?:from|among|in|at|near|to)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)


@per_vocabulary
def _counted_before() -> re.Pattern:
    """What makes a noun counted: a number ("3 cases", "three cases", "three (3) cases") or a partitive ("Of the
    reported cases,") before it, up to three words away."""
    words = load().number_words
    numbers = "|".join(sorted((*words["units"], *words["tens"]), key=len, reverse=True))
    return regex_cache.compile(r"(?:\d|\)|\b(?:" + numbers + r")|\bof\s+(?:the|these|those|all))\s+"
                               r"(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)

_SPACE = re.compile(r"[ \t]+")
_NAME_GOES_ON = re.compile(r"[ \t]+(?-i:[A-Z])")


def lists_things(text: str, m, row: dict, s_lo: int) -> bool:
    """A bare number before "from"/"in" is an item of a list that breaks down the last thing the sentence counted:
    in "101 cases have been reported: 3 cases from Kutupalong RC, 3 from camp 1E" and "Of the reported cases, 263
    were from ICRC Clinic" the items are cases, not people in a camp, because cases are what came before."""
    if row.get("_noun") is not None or row.get("unit_as_written") or not _BARE_ITEM.match(text, m.end):
        return False
    last = None
    for x in nouns_starting_words(text, s_lo, m.start):
        if text[x.end():x.end() + 1].isalnum():
            continue
        if _PLACE_PREPOSITION.search(text, max(s_lo, x.start() - 40), x.start()):
            continue  # "among Rohingya", "from Rohingya refugees": whom the items are from
        if not _counted_before().search(text, max(s_lo, x.start() - 60), x.start()):
            continue  # "Floods kill 23, displace 4,000 in Assam": only a counted noun heads a list
        if _NAME_GOES_ON.match(text, x.end()):
            continue  # "ISS IDP Camp Clinic", "1000 Housing Estate": a word of a name
        last = x
    return last is not None and noun_of(last.group(0)).unit == "other"


# "21.1 deaths per 1,000 live births", "32.4 per 100,000 inhabitants": a rate and its base are no counts.
_PER_BEFORE = re.compile(r"\bper\s+$", re.IGNORECASE)
_PER_AFTER = re.compile(r"(?:\s+[\w-]+){0,2}\s+per\s+(?:\d|one\b|every\b|hundred\b|thousand\b|capita\b)",
                        re.IGNORECASE)


def rate(text: str, m, row: dict, s_lo: int) -> bool:
    """A number after "per", or a count followed by "per" and another number, is a rate, not a count."""
    if text.find("per", max(s_lo, m.start - 8), m.end + 40) < 0:
        return False  # no "per" near: most numbers
    return bool(_PER_BEFORE.search(text, max(s_lo, m.start - 8), m.start) or _PER_AFTER.match(text, m.end))


# "nearly 200,000 people including IDPs": the term after "including" names a part of the group, not the group.
_INCLUDING_TERM = re.compile(r"\b(?:including|incl\.?|among\s+them)\s+(?:[\w-]+\s+){0,2}[\w-]+$", re.IGNORECASE)


def term_names_a_part(text: str, m, row: dict, s_lo: int) -> bool:
    """A term that follows "including" right after the number's group names some of the group only."""
    return (row["rule"].endswith(":right") and text.find("in", m.end, row["quote_end"]) >= 0
            and _INCLUDING_TERM.search(text, m.end, row["quote_end"]) is not None)


def term_in_closed_aside(text: str, m, row: dict, s_lo: int) -> bool:
    """A term inside brackets that close before the number does not govern it: "(... IOM's displacement tracking
    matrix), humanitarian actors estimate that 1.1 million people" are not displaced by the matrix."""
    if not row["rule"].endswith(":left") or text.find(")", row["quote_start"], m.start) < 0:
        return False
    between = text[row["quote_start"]:m.start]
    close = between.find(")")
    return close >= 0 and "(" not in between[:close] and text.rfind("(", max(s_lo, row["quote_start"] - 200),
                                                                     row["quote_start"]) >= 0


# "17 per cent of the population (about 5 million people)", "about 20 million people of the total population": a
# part of a population is no population figure.
_OF_THE_POPULATION = re.compile(r"\bof\s+(?:the\s+|its\s+|their\s+)?(?:total\s+|whole\s+|entire\s+|overall\s+|"
                                r"national\s+|rural\s+|urban\s+)?populations?\b", re.IGNORECASE)


def part_of_population(text: str, m, row: dict, s_lo: int) -> bool:
    """A population read from "of the (total) population" around the number is a part of it."""
    if row["category"] != "population":
        return False
    lo, hi = min(row["quote_start"], m.start), max(row["quote_end"], m.end)
    return _OF_THE_POPULATION.search(text, max(s_lo, lo - 40), hi) is not None


# An abbreviation after a number names what is counted: "two UHCs", "one DTC", "3 PHCs" are facilities or bodies.
_ABBREVIATION_AFTER = re.compile(r"[ \t]+(?:[\w-]+[ \t]+)?(?-i:(?P<abbr>[A-Z]{2,}s?))\b")


def counts_an_abbreviation(text: str, m, row: dict, s_lo: int) -> bool:
    """A number right before an abbreviation that is no counted noun of the vocabulary counts what the abbreviation
    names (a health centre, a committee), not people: "two UHCs and one DTC" ("300 IDPs" are people)."""
    if not text[m.end + 1:m.end + 2].isupper() and not text[m.end:m.end + 40].split(" ", 2)[-1][:1].isupper():
        return False  # no capital in the next two words: most numbers
    a = _ABBREVIATION_AFTER.match(text, m.end)
    if a is None or row["rule"].split(":")[1] == "noun" or load().noun_re.fullmatch(a.group("abbr")):
        return False
    head = _SPACE.match(text, a.end())
    return not (head and load().noun_re.match(text, head.end()))  # "5,000 HIV patients": a modifier


# "1000 Housing Estate clinic", "400 Housing Estate Camp": a counted noun written with a capital and followed by
# another capitalised word is a word of a name.
_NAMED_NOUN_AFTER = re.compile(r"[ \t]+(?P<noun>(?-i:[A-Z])[\w'’-]*)[ \t]+(?-i:[A-Z])")


def noun_in_a_name(text: str, m, row: dict, s_lo: int) -> bool:
    """The number's noun begins a proper name ("from 1000 Housing Estate clinic"): the number is part of it."""
    written = row.get("unit_as_written") or ""
    if not written[:1].isupper() or written.isupper() or written[:-1].isupper():
        return False
    after = _NAMED_NOUN_AFTER.match(text, m.end)
    # "3,030 People Evacuated": a heading in title case, its capitalised term is no name
    return after is not None and after.group("noun") == written and not load().term_re.match(text, after.end() - 1)


RULES = (lists_things, rate, term_names_a_part, term_in_closed_aside, part_of_population, counts_an_abbreviation,
         noun_in_a_name)


def vetoed(text: str, m, row: dict, s_lo: int) -> str | None:
    """The name of the first rule by which ``row`` is no figure, or None."""
    for rule in RULES:
        if rule(text, m, row, s_lo):
            return rule.__name__
    return None
