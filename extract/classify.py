"""Decide what a number counts: its noun, its reporting term, its unit.

English news states a figure in a few shapes, and each rule below is one of
them, named in the ``rule`` column of every row it produces:

* ``noun`` — the noun itself says it ("82,000 IDPs", "120,000 refugees");
* ``right`` — a predicate follows ("60 homes were destroyed", "800 people evacuated");
* ``left`` — a verb or noun governs it ("displaced 90,000 people", "the evacuation of 2,000 residents");
* ``label`` — a table label stands before it ("Number of displaced: 452", "IDPs total 122 387");
* ``anaphor`` — it updates an earlier figure ("this number could swell to 1.5 million");
* ``pattern`` — a population phrase ("a metropolis of two million people", "with its 200,000+ Christians").

The nearest term wins, counting content words only (auxiliaries, articles and
hedges are free, a comma costs two), so in "Fifteen people were injured, 91
homes damaged and six homes destroyed" each number takes its own predicate.
A term must fit the unit: housing terms need a building noun, casualty terms
a person. Words such as "affected" or "rescued" claim a number without making
it a figure, which is how "affected more than 1.16 million people" stays out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from . import regex_cache
from .mentions import CHANGE_VERBS, Mention
from .vocabulary import (
    Noun,
    Term,
    fill,
    load,
    noun_of,
    nouns_anywhere,
    nouns_starting_words,
    pattern,
    pattern_later,
    per_vocabulary,
    term_of,
    word_class_set,
    words,
)

WINDOW = 220  # characters scanned each side of a number: keeps work linear on huge lines
# Words free when the distance from a number to its term is counted (auxiliaries, articles, hedges)
SKIP = word_class_set("skip")
HOUSING_TERMS = frozenset(t.term for t in load().terms.values() if t.term.endswith("_housing"))  # terms of houses
PEOPLE_UNITS = {"person", "household"}
STOP_NOUN = word_class_set("stop_noun")
_WORD = re.compile(r"[\w'’-]+")
_THAN = re.compile(r"\s+than\b", re.IGNORECASE)
_COORDINATOR = pattern(r"\b(?:{coordinator})\b|;", re.IGNORECASE)
# A verb that governs two counted nouns: "the evacuation of 12 villages and about 2,500 residents".
_NP_COORDINATION = re.compile(r"\s+(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+)?\d[\d,.]*(?:\s+[\w-]+){1,3},?\s+(?:and|or)\s+")
_TOLL = re.compile(r"\btolls?$", re.IGNORECASE)
# "taking the toll in this year's floods to 52": the verb before the toll, "to" before the number.
_taking_toll = pattern_later(r"\b(?:{toll_verb})\s+(?:the\s+|its\s+)?(?:[\w'’]+\s+){0,2}$", re.IGNORECASE)
_TO_NUMBER = re.compile(r"\bto\s+$", re.IGNORECASE)
# "The number of people who died in the mudslides ... has risen to 76": the subject is a count of the term's kind.
_NUMBER_OF = pattern(r"\b(?:{figure_noun})\s+of\s+(?:[\w'’-]+\s+){0,3}$", re.IGNORECASE)
_UPDATED_TO = pattern(r"\b(?:{change_up+update_verb})\s+(?:to\s+|at\s+)?$|\b(?:{estimate_verb})\s+at\s+$", re.IGNORECASE)
# "The total number of deaths due to COVID-19 in the state is six": a copula gives a count subject its number (asked
# only after such a subject, see _candidates).
_COPULA_TO = pattern(r"\b(?:{count_copula})\s+(?:now\s+|at\s+)?$", re.IGNORECASE)
_ANAPHOR = pattern(r"\b(?:this|these|that|those|the)\s+(?:{figure_noun})\b(?!\s+of\b)[^.;]{0,60}?\b(?:{change_up+change_down+anaphor_verb})\b",
                   re.IGNORECASE)
# "6,214 people were in 412 shelters at the peak. By Thursday that had fallen to about 2,900": a pronoun opening its
# clause stands for the figure before it (not a relative "that": "floods that had reached 300 villages")
# "local monitors put the figure at more than 1,500": another count of the figure before it
_FIGURE_AT = pattern(r"\b(?:{estimate_verb})\s+(?:{figure_determiner})\s+(?:{figure_noun})\s+at\s+$", re.IGNORECASE)
_pronoun_anaphor = pattern_later(
       r"(?:^|[.;:,!?]\s*|\b(?:and|but|by\s+\w+|since\s+then)\s+)(?:that|this)\s+(?:has\s+|had\s+|have\s+)?"
       r"(?:since\s+|now\s+|already\s+|then\s+)?(?:" + CHANGE_VERBS + r")\s+to\s+$", re.IGNORECASE)


# Patterns used per number, compiled once.
_SCALED = pattern(r"(?:{round_scale})s?$", re.IGNORECASE)
_OF_THE = re.compile(r"[”\"’']?\s+of(?:\s+the)?(?=\s)")
_QUOTE = re.compile(r"[”\"’']?")
_SPACE = re.compile(r"\s+")
_APOSTROPHE = re.compile(r"['’]")
_OTHERS = re.compile(r"\s+others?\b")
_PAREN_INSERT = re.compile(r"\s*\(([^()]{0,120})\)")
# An aside may hold numbers grouped with commas or points ("of which 194,000 are women and 566,000 are children").
_COMMA_INSERT = pattern(r"\s*[,–—]\s*((?:{aside_opener})\b(?:[^,;–—.]|(?<=\d)[,.](?=\d)){0,100})[,–—]", re.IGNORECASE)
# "1.9 million people, or roughly 90 percent of the population, have been displaced": a share restating the count
_SHARE_INSERT = re.compile(r"\s*,\s*(or\s+(?:[\w-]+\s+){0,2}?(?:\d+(?:[.,]\d+)?\s*(?:%|per\s?cent\b|percent\b)|half\b|"
                           r"a\s+third\b|a\s+quarter\b|two[-\s]thirds\b|three[-\s]quarters\b)[^,;–—()\n]{0,80}),",
                           re.IGNORECASE)
# "20,000 people — nearly the town's entire population of 24,000 — have fled": a dash pair holds an aside
_DASH_INSERT = re.compile(r"[ \t]*[–—][ \t]*([^–—\n;.]{1,100}?)[ \t]*[–—]")
# The nouns of a place people live in, and of the larger units that have a population too: each population pattern
# below reads them from here.
_SETTLEMENTS = fill("{settlement}")
_ADMINISTRATIVE = fill("{administrative_unit}")
_POPULATION_OF = regex_cache.compile(r"\b(?:(?:its|their)|(?:" + _SETTLEMENTS + "|" + _ADMINISTRATIVE
                                     + "|" + fill("{population_place}") + r")\s+of)\s+$",
                                     re.IGNORECASE)
# "the island's entire population of 62 was relocated": the number is the population, whatever befell it.
_GOVERNS_NEXT = re.compile(r"[ \t:]*(?:of[ \t]+)?")
_POP_BEFORE = re.compile(r"\bpop\b\.?:?\s*(?:\w+ly\s+)?$", re.IGNORECASE)
_POPULATION_OF_N = re.compile(r"\bpopulation\s+of\s+$", re.IGNORECASE)
# "19,000 of Yellowknife's 20,000-odd residents", "all of the town's 39,000 residents": the whole a part is taken
# from is the place's population ("the town's 3,700 residents were evacuated" is 3,700 evacuated).
_POSSESSIVE = re.compile(r"\bof\s+(?:the\s+)?[\w-]+['’]s\s+$", re.IGNORECASE)
_RESIDENTS = word_class_set("resident_noun")
# Where a place's people are its population when nothing else befell them: "Mayotte's 320,000 residents have been
# without water", "the country's 12 million people"; "the village, with some 3,000 residents,"; "2 million people
# live in the Gaza Strip". A term of the clause comes first ("the town's 3,700 residents were evacuated").
_place_possessive = pattern_later(r"(?:\b(?-i:[A-Z][\w-]+)|\b(?:" + _SETTLEMENTS + "|" + _ADMINISTRATIVE + r"))['’]s\s+$",
                                  re.IGNORECASE)
_PLACE_WITH = regex_cache.compile(r"\b(?:" + _SETTLEMENTS + r"),?\s+with\s+(?:a\s+population\s+of\s+|its\s+)?$", re.IGNORECASE)
_live_in_place = pattern_later(r"\s+(?:(?:still\s+|now\s+|currently\s+)?lived?|(?:{be_form})\s+(?:still\s+)?living)\s+"
                                  r"(?:in\s+(?:the\s+)?(?-i:[A-Z])(?![\w-]*\s+(?:[Cc]amps?|[Ss]ites?|[Ss]helters?)\b)"
                                  r"|(?:here|there)\b)", re.IGNORECASE)
# "fewer than 200 residents remain", "about 53,000 people remain in the city": those still in a place, when
# nothing else is said of them ("remain displaced", "remain in shelters" are terms, and come first)
_remain = pattern_later(r"\s+(?:still\s+)?remain(?:s|ed)?(?:\s+(?:in\s+(?:the\s+)?(?:{remain_place}|(?-i:[A-Z]))|there|behind)\b"
                           r"|\s*(?:[,.;]|$))", re.IGNORECASE)
_AND_OR = re.compile(r"[\s,]*(?:and|or)[\s,]*")
# "Zamzam camp, 15 kilometres south of the city, shelters some 500,000 people", "the transit centre was built for
# 3,000 people but currently holds nearly 14,000", "Evacuation centres at ... were housing more than 900 people":
# what a camp or centre holds now, however far its verb is from it (what it was built to hold is a capacity, and no
# figure: see the vocabulary's blockers)
_place_holds = pattern_later(
          r"\b(?:(?P<camp>{camp_noun}|(?:transit|reception)\s+cent(?:re|er)s?)|(?<!detention\s)cent(?:re|er)s?)\b"
          r"(?:[^.;!?]{0,80}?(?:,|\bbut)\s+|\s+)(?:now\s+|currently\s+|already\s+|still\s+)?"
          r"(?P<verb>{hold_verb}|(?:{be_form})\s+(?:currently\s+|now\s+|still\s+)?"
          r"(?:{holding_verb}))\s+(?:an?\s+(?:additional|further|estimated)\s+)?$", re.IGNORECASE)


def place_holds(text: str, m: Mention, np: NounPhrase, s_lo: int) -> Choice | None:
    """The term of people a camp or centre holds (:data:`_place_holds`), when its verb is right before the number
    and other numbers ("15 kilometres", "built for 3,000 people") may stand between the verb and the place."""
    if np.noun is not None and np.noun.unit not in PEOPLE_UNITS:
        return None
    before = text[max(s_lo, m.start - 22):m.start]
    if "ho" not in before and "sh" not in before:  # every verb of _place_holds has one or the other
        return None
    holds = _place_holds().search(text, max(s_lo, m.start - 120), m.start)
    if holds is None:
        return None
    term = "in_relief_camp" if holds.group("camp") else "sheltered"
    return Choice("displacement", term, np.noun.unit if np.noun else "person", "left", holds.start("verb"),
                  holds.end("verb"))


@dataclass(slots=True)
class NounPhrase:
    end: int
    noun: Noun | None
    written: str
    group: str


@dataclass(slots=True)
class Choice:
    category: str
    term: str
    unit: str
    rule: str
    trigger_start: int
    trigger_end: int


@per_vocabulary(maxsize=65536)
def _is_term(word: str) -> bool:
    """Whether a word is a reporting term on its own ("evacuate", "Displaced"); news repeats its words."""
    return load().term_re.fullmatch(word) is not None


def noun_phrase(text: str, m: Mention, limit: int) -> NounPhrase:
    """The noun a number counts: up to three modifiers, then a vocabulary noun.

    "82,000 internally displaced persons", "25,000 mud-and-thatch homes",
    "tens of thousands of people", "200,000+ Christians" (a capitalised
    plural after a number names a group of people).
    """
    pos = m.end
    # Matched in place (pos, endpos) rather than on copies of text[pos:limit]: the same matches, since these
    # patterns look neither behind their start nor past ``limit``, without copying the window for every word.
    if m.kind == "vague" or _SCALED.search(m.written):
        of = _OF_THE.match(text, pos, limit)
        if of:
            pos = of.end()
    elif m.kind != "range" and (of := _PARTITIVE_OF.match(text, pos, limit)):
        # "1,300 of the destroyed homes", "200 of the city's residents": a part counts the noun of its whole
        part = _noun_after(text, of.end(), limit)
        if part is not None:
            return part
    if pos <= limit:
        pos = _QUOTE.match(text, pos, limit).end()
    return _noun_after(text, pos, limit) or NounPhrase(m.end, None, "", "")


# What stands between a part and its whole: "90 of its 200 residents", "1,300 of the destroyed homes".
# "of the", "of its", "of Yellowknife's", "of the city's": what a part is taken from
PARTITIVE_DETERMINERS = fill("{possessive_determiner}") + r"|(?:the\s+)?[\w-]+['’]s"
_PARTITIVE_OF = regex_cache.compile(r"\s+of\s+(?:" + PARTITIVE_DETERMINERS + r")(?=\s+\D)", re.IGNORECASE)


def _noun_after(text: str, cursor: int, limit: int) -> NounPhrase | None:
    """The vocabulary noun after ``cursor``, up to three modifiers on (see noun_phrase), or None."""
    v = load()
    crossed_verb = False  # a reporting term or a possessive walked over: what follows is no longer the number's noun
    for _ in range(4):
        sp = _SPACE.match(text, cursor, limit)
        if not sp:
            break
        at = sp.end()
        nm = v.noun_re.match(text, at, limit)
        if nm:
            # "500 IDP sites", "1,000 refugee families": the last of two nouns is the head
            sp2 = _SPACE.match(text, nm.end(), limit)
            head = v.noun_re.match(text, sp2.end(), limit) if sp2 and sp2.end() > nm.end() else None
            if head and not text[head.end():head.end() + 1].isalnum():
                nm = head
            noun = noun_of(nm.group(0))
            return NounPhrase(nm.end(), noun, nm.group(0), noun.group)
        wm = _WORD.match(text, at, limit)
        if not wm:
            break
        word = wm.group(0)
        low = word.lower()
        if low == "more" and not _THAN.match(text, wm.end(), limit):
            cursor = wm.end()  # "47 more settlements", "3 more people"
            continue
        if low in STOP_NOUN or low.strip("'’") in SKIP:
            break
        possessive = _APOSTROPHE.search(word) is not None
        if (word[:1].isupper() and word.endswith("s") and len(word) > 3 and not word.isupper()
                and not possessive and not crossed_verb):
            nxt = _SPACE.match(text, wm.end(), limit)
            if not (nxt and v.noun_re.match(text, nxt.end(), limit)):  # "Homs residents": a modifier
                return NounPhrase(wm.end(), Noun("person", word, ""), word, word)
        # "Thousands evacuate Syria’s Homs": "Homs" is where, not who.
        crossed_verb = crossed_verb or possessive or _is_term(word)
        cursor = wm.end()
    return None


# What may stand between two numbers when the second leaves out the first one's noun: "47,500 homes had been damaged
# and another 12,300 destroyed", "49,600 houses were partially destroyed and 12,800 totally destroyed".
_OF_THEM = pattern(r"\s+of\s+(?:{subset_whole})\b", re.IGNORECASE)
# A comma alone joins them too, as lists of figures do: "1,460 houses damaged, 390 destroyed".
# What opens a subset of the figure before: "including 81,000", "of whom 27,600", "among them 9 children".
SUBSET_JOINERS = fill("{subset_joiner}")
_JOINERS = fill("(?:{ellipsis_joiner}|") + SUBSET_JOINERS + r")\s+"
_VERB_ELLIPSIS = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?P<verb>(?:[\w-]+\s+){1,2})$", re.IGNORECASE)
_ELLIPSIS = regex_cache.compile(r"(?:,\s*(?:" + _JOINERS + r")?|\s+" + _JOINERS + r")"
                                r"(?:(?:" + fill("{another}") + r")\s+"
                                r"|(?P<verb>(?:[\w-]+\s+){1,2})(?:another|a\s+further)\s+)?$", re.IGNORECASE)


def implied_noun(text: str, m: Mention, prev: Mention | None, lo: int, prev_is_figure: bool = False,
                 prev_noun: Noun | None = None) -> NounPhrase | None:
    """The noun of a number written without one, or None.

    "killed 5 people and injured 12 others": *others* takes the previous
    number's noun. "Number of displaced families: 349", "Damaged houses 91,808":
    a table label before the number names it, unless that noun belongs to the
    previous number. "damaged 47,500 homes and destroyed another 12,300": a
    number joined by a coordinator to a previous figure (``prev_is_figure``)
    borrows its noun, before any label: in "538,000 people have been forced
    from their homes, including 81,000 staying in shelters" the 81,000 are
    people, not homes. The previous figure's noun is its own, or, when it
    was written without one, ``prev_noun``, the one it was read with
    ("Damaged houses reached 4,130, of which 612 were totally wrecked").
    "Around 9,200 of them" counts the previous figure's noun too.
    """
    before = noun_phrase(text, prev, m.start) if prev is not None else None
    others = _OTHERS.match(text[m.end:m.end + 8])
    if others and before is not None and before.noun and before.noun.unit != "other":
        return NounPhrase(m.end + others.end(), before.noun, others.group(0).strip(), before.group)
    noun = before.noun if before is not None and before.noun is not None else prev_noun
    if prev_is_figure and before is not None and noun is not None and noun.unit != "other":
        of_them = _OF_THEM.match(text, m.end)
        if of_them:
            return NounPhrase(of_them.end(), noun, "", before.group)
        ellipsis = _ELLIPSIS.search(text, before.end, m.start) if m.start - before.end <= 80 else None
        # "and partially damaged another 9,870,": with a verb of its own the number must stand alone ("and set
        # ablaze a further 12 shops" counts shops)
        if ellipsis and (not ellipsis.group("verb") or _BARE.match(text, m.end)):
            return NounPhrase(m.end, noun, "", before.group)
        if noun.unit == "dwelling" and _bare_damaged().match(text, m.end) and m.start - before.end <= 40 and (
                verb := _VERB_ELLIPSIS.search(text, before.end, m.start)) is not None:
            # "damaged 2,931 homes and destroyed 128,": a housing verb before a bare number counts the same homes
            term = term_of_words(verb.group("verb"), whole=True)
            if term is not None and term.term in HOUSING_TERMS:
                return NounPhrase(m.end, noun, "", before.group)
    label_lo = lo
    if before is not None and prev.end == lo:
        label_lo = max(lo, before.end)
    left = [x for x in nouns_starting_words(text, label_lo, m.start)  # "today" holds no "day"
            if not text[x.end():x.end() + 1].isalnum()
            and not _WITH_BEFORE.search(text, max(label_lo, x.start() - 30), x.start())
            and not (x.group(0)[:1].isupper() and (_NAME_GOES_ON.match(text, x.end())
                                                    or not _LABEL_START.search(text, max(0, x.start() - 8), x.start())))]
    if left and _CLAUSE_AND.search(text, left[-1].end(), m.start):
        left = []  # "Many homes ... were destroyed during the war, and 2 million South Sudanese": another clause's noun
    if left:
        # a label that counts things ("Relief camps operational: 2,734") gives the number their noun, so that it
        # is no figure
        noun = noun_of(left[-1].group(0))
        if noun.unit != "other" or (left[-1].group(0)[-1:] in "sS" and _LABEL_END.fullmatch(text, left[-1].end(), m.start)):
            return NounPhrase(m.end, noun, left[-1].group(0), noun.group)
    return None


# A capitalised label noun opens its line, cell, item or sentence ("Houses destroyed: 612", "| Deaths |",
# "- Evacuees 300", "5/7 Houses: 1,200 destroyed", "... 1,200. Homes damaged: 3,400"); elsewhere a capital makes
# a name ("the Home ministry said 153 deaths"), as does a capital after it ("the Ministry of Home Affairs reports
# 153 deaths").
_CLAUSE_AND = pattern(r",\s+(?:{clause_conjunction})\s")
_LABEL_START = re.compile(r"(?:(?:^|\n)[ \t]*(?:(?:[-*•–—]|\d{1,3}(?:/\d{1,3})?[/.)]?)[ \t]*)?|[|:;(\[][ \t]*"
                          r"|[.!?][ \t]+)$")
_NAME_GOES_ON = re.compile(r"[ \t]+(?-i:[A-Z])")
# "Relief camps operational: 2,734": a label's end
_LABEL_END = re.compile(r"[ \t]*(?:\w+[ \t]*)?:[ \t]*")
# Where people are or whom they are with, not who they are: "In public shelters: 76,580", "Displaced (staying with
# family or friends): 581,638", a table header "Evacuees inside centers".
_WHERE_OR_WITH = fill("{where_or_with}")
_WITH_BEFORE = re.compile(r"\b(?:" + _WHERE_OR_WITH + r")\s+(?:[\w'’-]+\s+)?$", re.IGNORECASE)
# A number with nothing after it that could be its noun: "and 52 in West Rukum", "and 52."
_BARE = pattern(r"\s*(?:(?:{bare_follower})\b|[,.;:)]|$)", re.IGNORECASE)
# How badly, written apart from the verb: "damaged 398 partially", "Houses damaged: fully – 7,181; partially – 38,220"
_DEGREES = fill(r"(?P<full>{degree_full})|(?P<part>{degree_partial})")
# ... with nothing after it that could be the number's noun: "damaged 398 partially in the centre"
_bare_damaged = pattern_later(r"(?:\s+(?:" + _DEGREES + r")\b)?" + _BARE.pattern, re.IGNORECASE)
_degree_before = pattern_later(r"(?<!\w)(?:" + _DEGREES + r")[ \t]*[:–—-]?[ \t]*$", re.IGNORECASE)
_degree_after = pattern_later(r"[ \t]+(?:" + _DEGREES + r")(?!\w)", re.IGNORECASE)


def degree(text: str, m: Mention, np_end: int) -> tuple[str, int, int] | None:
    """The housing term a degree written as a label of the number, or right after it, gives: ("destroyed_housing"
    or "partially_destroyed_housing", where the word starts, where it ends), or None. "Houses damaged: fully –
    7,181; partially – 38,220" counts 7,181 houses destroyed, and "damaged 7,181 houses fully" does too."""
    found = (_degree_before().search(text, max(0, m.start - 16), m.start)
             if text[max(0, m.start - 16):m.start].rstrip(" \t:–—-").endswith(("ly", "LY")) else None)
    if found is None and text.find("ly", np_end, np_end + 14) >= 0:
        found = _degree_after().match(text, np_end)
    if found is None:
        return None
    side = "full" if found.group("full") else "part"
    term = "destroyed_housing" if side == "full" else "partially_destroyed_housing"
    return term, found.start(side), found.end(side)


def coordinated_bare(text: str, prev_end: int, m: Mention) -> bool:
    """Whether ``m`` is a bare number coordinated with the previous number, whose noun phrase ends at ``prev_end``
    ("101 were in Jajarkot and 52 in West Rukum")."""
    return (m.start - prev_end <= 80 and _bare_damaged().match(text, m.end) is not None
            and _ELLIPSIS.search(text, prev_end, m.start) is not None)


_SHARE_OF_POSSESSIVE = pattern(r"\b(?:{share_noun})"
                                  r"\s+of\s+(?:the\s+)?[\w-]+['’]s\s+$", re.IGNORECASE)
_SHARE = Term("", "", False)
_WORDS_ONLY = re.compile(r"[\w\s'’-]*")


_LISTED = re.compile(r"\s*(?:[,;|]|(?:[\w'’-]+[ \t]+){0,2}\()\s*(?P<place>(?-i:[A-Z][\w'’-]*)(?:\s+(?-i:[A-Z][\w'’-]*)){0,3})\s*:?\s*")
_LIST_OPEN = re.compile(r"\([^()]*$|:[^:\n]*$")
_BARE_IN_LIST = re.compile(r"\s*(?:[,;.)|(\n]|$)")


def listed(text: str, prev_end: int, m: Mention, lo: int) -> tuple[int, int] | None:
    """The span of the place if ``m`` goes on a list of places after the previous number: "153 deaths (Jajarkot
    101, Rukum West 52)", "3 (Nagaon 2, Lakhimpur 1)", "IDPs by region: Sagaing 1.27 million | Magway 318,000";
    else None. A label that is a reporting term ("Deaths 285 | Injured 2,540") is no place."""
    item = _LISTED.fullmatch(text, prev_end, m.start)
    if (item is None or _BARE_IN_LIST.match(text, m.end) is None
            or not ("(" in text[prev_end:m.start]
                    or _LIST_OPEN.search(text, max(lo, prev_end - 80), prev_end))
            or any(_is_term(w) for w in item.group("place").split())):
        return None
    return item.span("place")


def coordinated_after(text: str, a: int, b: int) -> bool:
    """Whether a coordinator ("and", "while", ";") stands between ``a`` and ``b``: what follows it is another
    clause's."""
    return _COORDINATOR.search(text, a, b) is not None


_changed_from = pattern_later(r"\b(?:" + CHANGE_VERBS + r")\s+from\s+$", re.IGNORECASE)
_CHANGED_TO = re.compile(r"\s*(?:to|-|–)\s*")


def changed_to(text: str, prev: Mention, m: Mention) -> bool:
    """Whether ``m`` is the new value of a change from the previous number: "the toll rose from 12 to 19"."""
    return (_CHANGED_TO.fullmatch(text, prev.end, m.start) is not None
            and _changed_from().search(text, max(0, prev.start - 30), prev.start) is not None)


def of_them(text: str, m: Mention, prev_end: int) -> bool:
    """Whether ``m`` is "N of them" soon after the previous number ("rose to 217 on Monday, 213 of them in ...")."""
    return m.start - prev_end <= 60 and _OF_THEM.match(text, m.end) is not None


_BRACKET_OPEN = re.compile(r"\s*[(\[]\s*")


_WITH_PEOPLE = pattern(r"\s*,?\s*(?:{comprising})\s+")
_PEOPLE_WORDS = word_class_set("people_noun")


def bracketed(text: str, prev_end: int, m: Mention, np: NounPhrase | None = None) -> bool:
    """Whether ``m`` opens a bracket right after the previous number's noun phrase, which ends at ``prev_end``:
    "16,200 (4,310 households)", "350 families (1,750 people)"; or, counting people (``np``), follows "with":
    "evacuated 12,870 households with 41,225 people"."""
    return (_BRACKET_OPEN.fullmatch(text, prev_end, m.start) is not None
            or (np is not None and np.written.lower() in _PEOPLE_WORDS
                and _WITH_PEOPLE.fullmatch(text, prev_end, m.start) is not None))


_ASIDE = re.compile(r"\([^()]*\)")


def content_distance(text: str, a: int, b: int) -> float:
    """How far apart two offsets are for a reader: content words, commas cost two."""
    if b <= a:
        return 0.0
    seg = text[a:b]
    if "(" in seg and ")" in seg:
        seg = _ASIDE.sub("(", seg)  # "lives lost (flood, landslide and storm): 52": an aside costs as one
    words = sum(1 for w in _WORD.findall(seg) if (low := w.lower()) not in SKIP and not low.endswith("ly"))
    return words + 2 * seg.count(",") + 3 * seg.count(":") + 1.5 * seg.count("(")


def skip_insert(text: str, pos: int, limit: int) -> int:
    """Skip an inserted clause after a noun phrase: "(around 460 families)", ", including three children,"."""
    # Matched in place, not on text[pos:limit]: limit is the sentence's end, and copying the rest of a long
    # sentence for every number in it was quadratic.
    k = pos
    while k < limit and text[k].isspace():
        k += 1
    if k >= limit:
        return pos
    if text[k] not in "(,–—":  # every insert opens with one of these, or with a relative pronoun after a space
        return skip_relative_clause(text, pos, limit) if k > pos and text[k] in _RELATIVE_FIRST else pos
    m = (_PAREN_INSERT.match(text, pos, limit) or _COMMA_INSERT.match(text, pos, limit)
         or _DASH_INSERT.match(text, pos, limit) or _SHARE_INSERT.match(text, pos, limit))
    return m.end() if m else pos


# "3,000 families who live near the volcanoes Chiles and Cerro Negro, located in the western range, may be
# evacuated": a relative clause closed by a comma (and a place's apposition after it) stands between the counted
# noun and its predicate.
_RELATIVE_INSERT = pattern(r"\s+(?:{relative_opener})\s[^,;.()\n]{1,120},(?:\s*(?:{apposition_participle})\s"
                           r"[^,;.()\n]{1,100},)?", re.IGNORECASE)


# The first letters of the relative pronouns, both cases: where skip_insert looks for a relative clause at all.
_RELATIVE_FIRST = frozenset(c for w in words("relative_opener") for c in (w[0].lower(), w[0].upper()))


def skip_relative_clause(text: str, pos: int, limit: int) -> int:
    """Where the predicate resumes after a relative clause closed by a comma, when the clause holds no reporting
    term of its own (in "500 people who were displaced, ..." the clause is the predicate); else ``pos``."""
    m = _RELATIVE_INSERT.match(text, pos, limit)
    if m is None or load().term_re.search(text, m.start(), m.end()) is not None:
        return pos
    return m.end()


def unit_for(term: Term, noun: Noun | None) -> str | None:
    """The unit a term gives a number with this noun, or None if they do not fit together."""
    nu = noun.unit if noun else ""
    if term.category == "displacement" and term.term in HOUSING_TERMS:
        return "dwelling" if nu == "dwelling" else ("household" if nu == "household" else None)
    if term.category == "displacement":
        if nu == "dwelling":
            return "household"  # homes evacuated are households displaced
        return nu if nu in PEOPLE_UNITS else ("person" if nu in ("",) else None)
    if term.category in ("casualties", "population"):
        return "person" if nu in ("person", "") else None
    return None


def _candidates(text: str, m: Mention, np: NounPhrase, lo: int, hi: int, triggers: list[tuple[int, int, Term]],
                starts: list[int]):
    """(distance, side, trigger) for every term in the window around the number."""
    i, j = bisect_left(starts, lo), bisect_right(starts, hi)
    right_from = skip_insert(text, np.end, hi)
    noun_start = np.end - len(np.written)
    for ts, te, term in triggers[i:j]:
        if term.category == "population" and _SHARE_OF_POSSESSIVE.search(text, max(0, ts - 40), ts):
            term = _SHARE  # "about a quarter of Vanuatu's population": a share, not the population
        if ts >= m.start and te <= np.end:
            if np.noun and te > noun_start:
                continue  # "13 temporary shelters": the term names the counted thing, not what befell it
            yield 0.0, "noun", ts, te, term
        elif ts >= np.end and te <= hi:
            if np.end < ts < right_from:
                continue
            if term.category == "population" and _GOVERNS_NEXT.fullmatch(text, te, hi) and text[hi:hi + 1].isalnum():
                continue  # "..., home to about 3 million": the term is the next number's, not this one's
            yield content_distance(text, right_from, ts) + 0.1, "right", ts, te, term
        elif te <= m.start and ts >= lo:
            if _counts_subject(text, ts, te, lo) and (
                    _UPDATED_TO.search(text, max(te, m.start - 40), m.start)
                    or _COPULA_TO.search(text, max(te, m.start - 16), m.start)
                    or (_TO_NUMBER.search(text, max(te, m.start - 6), m.start)
                        and _taking_toll().search(text, max(lo, ts - 30), ts))):
                # "The death toll from Typhoon Yagi, ..., and the floods it triggered rose to 143": the toll is the
                # subject of the verb that gives the number, however long the subject is.
                yield 1.3, "left", ts, te, term
                continue
            if _COORDINATOR.search(text, te, m.start) and not _NP_COORDINATION.fullmatch(text, te, m.start) and not (
                    "(" in text[te:m.start] and not _COORDINATOR.search(_ASIDE.sub("(", text[te:m.start]))):
                # "evacuated while 721 households ...": the verb belongs to the previous conjunct (an "and" inside
                # an aside joins no clause: "lives lost (flood, landslide and storm): 52")
                continue
            yield content_distance(text, te, m.start) + 0.3, "left", ts, te, term


# "evacuated to 52 temporary shelters": see choose.
_locative_before = pattern_later(r"\b(?:{locative_before})\s+$", re.IGNORECASE)
# Verbs whose object, when it is people, is a figure of theirs, though the verb alone is none ("lost 300 jobs",
# "Delmas 24 forced"): "We lost 18 people", "we buried 47 members of my tribe" (houses buried are destroyed: the
# vocabulary's "buried" is for housing only), "the wildfire forced some 88,000 people out of Fort McMurray", "fighting
# has pushed more than 135,000 people into the city".
_may_have = pattern_later(r"\b(?:{may_have})\s+have\s+$", re.IGNORECASE)
_MISSING = Term("casualties", "missing", True)
_PEOPLE_VERB_TERMS = {"lost": Term("casualties", "killed", True), "buried": Term("casualties", "killed", True),
                      "forced": Term("displacement", "forced_to_flee", True),
                      "pushed": Term("displacement", "displaced", True)}
_VERB_BEFORE_PEOPLE = re.compile(r"\b(?P<verb>" + "|".join(_PEOPLE_VERB_TERMS) + r")(?=\s+$)", re.IGNORECASE)
# "The town had 2,558 residents", "which has some 3,700 inhabitants": a place's residents are its population.
_HAS = pattern(r"\b(?:{have_form}|once\s+(?:counted|numbered))\s+$", re.IGNORECASE)
# "the village had maybe 650 people": people a settlement has are its population too.
_PLACE_HAS = pattern(r"\b(?:" + _SETTLEMENTS + r"|camp)\s+(?:{place_have})\s+"
                        r"(?:maybe\s+|perhaps\s+|only\s+|just\s+)?$", re.IGNORECASE)


def _population_of(before: str) -> bool:
    """Whether ``before`` ends with "its", "their" or "a city of" and white space: ``_POPULATION_OF.search``, asked
    only when the last letter is one those words end with in some case (``ſ`` is an "s" ignoring case)."""
    tail = before.rstrip()
    return len(tail) < len(before) and tail[-1:] in "fFsSſrR" and _POPULATION_OF.search(before) is not None


def _noun_term(noun: Noun) -> Term:
    """The term a noun carries itself ("IDPs": displaced, "inhabitants": population)."""
    return Term("displacement" if noun.term != "population" else "population", noun.term, True)


# A candidate term of a number, from _candidates and the patterns of choose: (content-word distance, rule side,
# trigger start, trigger end, Term). Sorted by distance, a weak term three words further.
Candidate = tuple[float, str, int, int, Term]


def choose(text: str, m: Mention, np: NounPhrase, lo: int, hi: int, triggers, starts) -> Choice | None:
    """The reporting term for a number, or None when it is not a figure of the four kinds."""
    if np.noun and np.noun.unit == "other":
        return None
    cands = sorted(_candidates(text, m, np, lo, hi, triggers, starts), key=lambda c: (c[0] + (0 if c[4].strong else 3), c[2]))
    _add_pattern(text, m, np, lo, cands)
    if np.noun and np.noun.term and np.end > m.end:  # a noun named by a label before the number is a trigger there
        noun_term = _noun_term(np.noun)
        # "two returnees, an elderly man and a child, died": what befell them, not what they are
        died = noun_term.category == "displacement" and next(
            (c for c in cands if (c[1] == "right" and c[0] <= 8 or c[1] == "left" and c[0] <= 1)
             and c[4].strong and c[4].category == "casualties"), None)  # "killed at least 12 refugees"
        if not died:
            cands.insert(0, (0.0, "noun", m.start, np.end, noun_term))
    if any(not c[4].category and c[4].strong and c[1] == "left" and c[0] <= 0.3
           and _WORDS_ONLY.fullmatch(text, c[3], m.start) for c in cands):
        return None  # "designed to hold 800 students that now houses ...": a blocker right before the number rules
    return _first_fitting(text, m, np, lo, cands)


_POPULATION = Term("population", "population", True)


def _add_pattern(text: str, m: Mention, np: NounPhrase, lo: int, cands: list[Candidate]) -> None:
    """Add the candidate of a population phrase or a verb before people, when one is right before the number."""
    written = np.written.lower()
    residents = written in _RESIDENTS
    if ((np.noun is None or np.noun.unit == "person") and _population_of(text[max(lo, m.start - 16):m.start])
            or written in ("residents", "inhabitants") and _HAS.search(text, max(lo, m.start - 16), m.start)
            or residents and _POSSESSIVE.search(text, max(lo, m.start - 40), m.start)
            or written == "people" and _PLACE_HAS.search(text, max(lo, m.start - 40), m.start)):
        # "the valley with its 200,000+ Christians", "a metropolis of two million people", "a town of 35,000"
        cands.insert(0, (0.0, "pattern", m.start, m.start, _POPULATION))
    elif text.find("pop", max(lo, m.start - 20), m.start) >= 0 and (
            pop := _POP_BEFORE.search(text, max(lo, m.start - 20), m.start)):
        # "Naga City (pop ~210k)", "Island pop officially ~320k": the abbreviation right before its number
        cands.insert(0, (0.0, "left", pop.start(), pop.start() + 3, _POPULATION))
    elif text.find("ulation", max(lo, m.start - 16), m.start) >= 0 and (
            pop_of := _POPULATION_OF_N.search(text, max(lo, m.start - 16), m.start)):
        cands.insert(0, (0.0, "left", pop_of.start(), pop_of.end() - 1, _POPULATION))
    elif np.written and np.noun is not None and np.noun.unit == "person" and (
            verb := _VERB_BEFORE_PEOPLE.search(text, max(lo, m.start - 10), m.start)):
        vs, ve, term = verb.start(), verb.end(), _PEOPLE_VERB_TERMS[verb.group("verb").lower()]
        if term.category == "casualties" and _may_have().search(text, max(lo, vs - 16), vs):
            term = _MISSING  # "a landslide may have buried as many as 670 people": feared, not found, dead
        # lost or buried people are dead whatever follows; those forced "to evacuate" were evacuated
        cands.insert(0 if term.category == "casualties" else len(cands), (0.0, "left", vs, ve, term))
    elif residents and (
            (text.find("s ", max(lo, m.start - 4), m.start) >= 0  # the possessive's "s" right before the number
             and _place_possessive().search(text, max(lo, m.start - 30), m.start))
            or (text.find("with", max(lo, m.start - 40), m.start) >= 0
                and _PLACE_WITH.search(text, max(lo, m.start - 40), m.start))
            or (text.find("liv", np.end, np.end + 30) >= 0 and _live_in_place().match(text, np.end))
            or (text.find("remain", np.end, np.end + 14) >= 0 and _remain().match(text, np.end))):
        cands.append((12.0, "pattern", m.start, m.start, _POPULATION))  # tried last


def _first_fitting(text: str, m: Mention, np: NounPhrase, lo: int, cands: list[Candidate]) -> Choice | None:
    """The nearest candidate whose term fits the number's noun, within twelve content words; None when a word that
    claims the number without making it a figure comes first."""
    # "evacuated to 52 temporary shelters", "moved into 300 houses": buildings after "to" or "in" are where people
    # went, counted as places; only what befell the buildings themselves (destroyed, damaged) counts them.
    placed = (np.noun is not None and np.noun.unit == "dwelling"
              and _locative_before().search(text, max(lo, m.start - 10), m.start) is not None)
    for i, (dist, side, ts, te, term) in enumerate(cands):
        if dist > 12:
            break
        if placed and term.term not in HOUSING_TERMS:
            continue
        if not term.category and side == "noun" and np.noun and any(
                c[1] == "right" and c[4].category and c[0] <= 12 for c in cands):
            continue  # "1,050 affected families were being sheltered": a blocker before the noun is its adjective
        if not term.category:
            # "affected and evacuated": a blocker coordinated with a real term yields to it
            rest = [c for c in cands[i + 1:] if c[4].category and abs(c[2] - te) < 12 and _AND_OR.fullmatch(text[te:c[2]])]
            if rest:
                dist, side, ts, te, term = rest[0]
            else:
                return None
        unit = unit_for(term, np.noun)
        if unit is None:
            continue
        return Choice(term.category, term.term, unit, side, ts, te)
    return None


def _counts_subject(text: str, ts: int, te: int, lo: int) -> bool:
    """Whether the term at ``ts``-``te`` is a count that can be the subject of "rose to": "the death toll", "the
    number of people who died"."""
    return bool(_TOLL.search(text, ts, te) or _NUMBER_OF.search(text, max(lo, ts - 40), ts))


def toll_subject(text: str, m: Mention, np: NounPhrase, lo: int, triggers, starts) -> Choice | None:
    """The term of a toll or a count that is the subject of "rose to N" however far back in the sentence it
    starts (``lo``), past numbers that are no figures ("The death toll from the 6.2-magnitude earthquake that
    jolted Jishishan County ... has risen to 131")."""
    verb = verb_before(text, m, lo)
    if verb is None:
        return None
    for ts, te, term in reversed(triggers[bisect_left(starts, lo):bisect_left(starts, verb)]):
        if term.category and _counts_subject(text, ts, te, lo):
            unit = unit_for(term, np.noun)
            return Choice(term.category, term.term, unit, "left", ts, te) if unit else None
    return None


def verb_before(text: str, m: Mention, lo: int) -> int | None:
    """Where "rose to", "has reached", "stood at" starts right before the number, or None."""
    v = _UPDATED_TO.search(text, max(lo, m.start - 40), m.start) or _COPULA_TO.search(text, max(lo, m.start - 16),
                                                                                        m.start)
    return v.start() if v else None


_header_place = pattern_later(r"(?:\b(?:" + _WHERE_OR_WITH + r")\b|\()[^()]*$", re.IGNORECASE)


def _triggers_within(triggers, starts, lo: int, hi: int) -> list[tuple[int, int, Term]]:
    """The terms that lie wholly inside [lo, hi)."""
    return [t for t in triggers[bisect_left(starts, lo):bisect_left(starts, hi)] if t[1] <= hi]


def _header_head(text: str, lo: int, hi: int) -> re.Match | None:
    """The head noun of a column header: its first noun that is not where people are or whom with."""
    return next((x for x in nouns_anywhere().finditer(text, lo, hi) if not text[x.end():x.end() + 1].isalnum()
                 and not _header_place().search(text, lo, x.start())), None)


def header_choice(text: str, lo: int, hi: int, end: int, triggers, starts) -> tuple[Choice, NounPhrase] | None:
    """The term and noun a table's column header [lo, hi) gives its numbers ("Displaced families", "Houses
    destroyed", "Evacuees", "Deaths"), or None when it names no figure ("Outside centers", "Schools"). The noun
    phrase is that of a number in the column, ending where the number does (``end``)."""
    # The first noun is the head ("Evacuees inside centers", "People in evacuation centres"), unless it is where
    # they are or who with: after a preposition or in brackets ("In public shelters", "Displaced (with family)").
    head = _header_head(text, lo, hi)
    noun = noun_of(head.group(0)) if head else None
    np = NounPhrase(end, noun, head.group(0) if head else "", noun.group if noun else "")
    if noun is not None and noun.unit == "other":
        return None
    found = _triggers_within(triggers, starts, lo, hi)
    if any(not term.category for _, _, term in found):
        return None  # "Population affected", "People in need"
    for ts, te, term in found:
        unit = unit_for(term, noun)
        if unit is not None:
            return Choice(term.category, term.term, unit, "table", ts, te), np
    if noun is not None and noun.term:
        term = _noun_term(noun)
        unit = unit_for(term, noun)
        if unit is not None:
            return Choice(term.category, term.term, unit, "table", lo, hi), np
    return None


def caption_choice(text: str, lo: int, hi: int, cap_lo: int, cap_hi: int, end: int, triggers,
                   starts) -> tuple[Choice, NounPhrase] | None:
    """The term a table's caption [cap_lo, cap_hi) gives a column whose header [lo, hi) names only who is counted
    ("Table 3. IDP sites visited" over "Households | Individuals"), or None."""
    head = _header_head(text, lo, hi)
    noun = noun_of(head.group(0)) if head else None
    if noun is None or noun.unit not in PEOPLE_UNITS or noun.term:
        return None
    found = _triggers_within(triggers, starts, cap_lo, cap_hi)
    if not found or any(not term.category for _, _, term in found):
        return None
    for ts, te, term in found:
        unit = unit_for(term, noun)
        if unit is not None and term.category == "displacement":
            return Choice(term.category, term.term, unit, "table", ts, te), NounPhrase(end, noun, head.group(0),
                                                                                        noun.group)
    return None


def anaphor(text: str, m: Mention, lo: int) -> bool:
    """Whether the number updates an earlier figure: "this number could soon swell to 1.5 million"."""
    if _ANAPHOR.search(text, max(lo, m.start - 120), m.start):
        return True
    before = text[max(0, m.start - 4):m.start]  # both patterns below end with "to" or "at" and white space
    if "to" in before:
        return bool(_pronoun_anaphor().search(text, max(0, max(lo, m.start - 50) - 2), m.start))  # the stop before
    return "at" in before and bool(_FIGURE_AT.search(text, max(lo, m.start - 40), m.start))


@per_vocabulary(maxsize=4096)
def _term_as_written(matched: str) -> Term | None:
    """The vocabulary entry of a term as the text writes it ("Displaced", "forced  to flee"): news repeats a
    few dozen of them, so their normalisation is done once, not per occurrence."""
    return term_of(_SPACE.sub(" ", matched.lower()))


def strong(text: str, choice: Choice) -> bool:
    """Whether the term a choice was read from is a strong one ("evacuated"), not a weak one ("moved to")."""
    term = _term_as_written(text[choice.trigger_start:choice.trigger_end])
    return term is None or term.strong


def term_of_words(words: str, whole: bool = False) -> Term | None:
    """The term of the longest reporting phrase in ``words`` ("in collective shelters"), if any; with ``whole``,
    only a phrase that is all of ``words`` ("took shelter in camps")."""
    words = _SPACE.sub(" ", words.strip(" +"))
    if whole:
        t = load().term_re.fullmatch(words)
        return _term_as_written(t.group(0)) if t else None
    found = [t.group(0) for t in load().term_re.finditer(words)]
    return _term_as_written(max(found, key=len)) if found else None


def find_triggers(text: str) -> tuple[list[tuple[int, int, Term]], list[int]]:
    """Every reporting term in the text, in order, with its vocabulary entry."""
    out = []
    for t in load().term_re.finditer(text):
        term = _term_as_written(t.group(0))
        if term is not None:
            out.append((t.start(), t.end(), term))
    return out, [s for s, _, _ in out]
