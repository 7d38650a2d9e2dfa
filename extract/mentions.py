"""Find every number a document states, with its hedge and any unit of length.

A *mention* is the span a reader would underline: "some 280,000", "at least
100", "Tens of thousands", "46 km (29 miles)", "100,000 to 120,000",
"200,000+". A parenthesised conversion belongs to the mention it converts, so
it never becomes a second figure. Mentions that are dates, years, times, ages,
ordinals, percentages, money, or part of a name ("COVID-19", "M5") are kept
only as *boundaries*: they separate clauses but are never figures.

Every pattern here is a bounded alternation or a fixed-width look-around, so
matching time is linear in the text (no nested quantifiers to backtrack over).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from . import numbers, regex_cache
from .vocabulary import (
    dispatch,
    fill,
    first_chars,
    load,
    pattern,
    pattern_later,
    per_vocabulary,
    phrase_alternation,
    phrase_regex,
    word_alternation,
    words,
)

# Months as a number's neighbour reads them: English in full and abbreviated (without the full stop), Spanish, French
_FULL_MONTHS = [w.lower() for w in words("month")]
_MONTH_ABBREVIATIONS = "|".join(dict.fromkeys(a for w in words("month_abbreviation")
                                              if (a := w.rstrip(".").lower()) not in _FULL_MONTHS))
MONTHS = "|".join([*_FULL_MONTHS, _MONTH_ABBREVIATIONS, *words("month_foreign")])
SP = r"[\u0020\u00a0\u2009\u202f\u2007]"
# Groups of thousands are counted up to twelve. A longer chain (40 digits or more: never a count, see _decide) is
# taken whole, possessively, by its own branch. Unbounded, a comma-grouped number was read to its end again from
# each of its groups ("1, 000, 000, ..." may start a mention at every group: quadratic), and the engine kept a
# backtracking entry per group (500 MB for a 5 MB number). The first group's digits are taken possessively: fewer
# would leave a digit where the separator must follow, so giving one back never helps, and trying it cost time.
DIGITS = (
    r"\d{1,2}+(?:,\d{2}){1,6},\d{3}(?![\d,])(?!\.\d)"  # 1,15,992 (Indian grouping)
    # One grouping throughout: "Dec. 6, 280,000 people" is a day and a count, not 6,280,000.
    r"|\d{1,3}+(?:,\d{3}){1,12}(?![\d,])(?!\.\d)"  # 280,000
    r"|\d{1,3}+(?:,\s\d{3}){1,12}(?![\d,])(?!\.\d)"  # 61, 000
    r"|\d{1,3}+(?:,\s?\d{3}){13,}+"
    r"|\d{1,3}+(?:" + SP + r"\d{3}){13,}+"
    r"|\d{1,3}+(?:" + SP + r"\d{3}){1,12}(?!\d)(?![.,]\d)"  # 9 300  158 000
    r"|\d{1,3}+(?:\.\d{3}){1,12}(?![\d.])"  # 2.000 (continental grouping; decided in numbers)
    r"|\d{1,3}+(?:\.\d{3}){13,}+"
    r"|\d+(?:[.,]\d+)?"  # 1000  1.5  2,14
)


# A count has at most 15 digits (see _decide); a value this large, however written, is not one.
TOO_LARGE = Decimal(10) ** 15


@dataclass(slots=True)
class Mention:
    start: int  # span of the whole mention: hedge, number, range, unit, conversion
    end: int
    num_start: int  # span of the number itself
    num_end: int
    written: str  # the number as written (incl. scale and range)
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    kind: str  # digits, words, vague, range
    length_unit: str = ""  # pint unit name when a unit of length follows
    length_written: str = ""
    # The same length in kilometres as the text converts it ("22 miles (35 km)"): (value, number, unit) as written.
    stated_km: tuple[Decimal, str, str] | None = None
    accepted: bool = True
    reason: str = ""


def _heads(qualifiers: list[tuple[str, str]], phrases: list[str], scales: list[str]) -> str:
    r"""A look-ahead that holds wherever a mention can start (after its look-behinds), and at few other places.

    A mention opens with a digit, "between"/"from" and white space, a hedge (``qualifiers``), a number phrase
    (``phrases``: vague quantities, number words, "half a ..."), or "a"/"an" before "hundred" or a scale
    (``scales``). A phrase of several words is looked for by its first two ("at least", "a few", "in excess"):
    by its first word alone, every "a", "in", "as" and "at" passed and the whole mention pattern was tried there.
    The first word of a number phrase of one word must be a whole word, ``(?!\w)``, as its end must be; only a
    hedge of one word may run straight into its number ("about5,000"), so it stays a bare prefix.
    """
    bounded: dict[str, bool] = {"between": True, "from": True}
    chars: dict[str, set[str] | None] = {"between": {"b"}, "from": {"f"}}

    def add(regex: str, first: set[str] | None, whole_word: bool) -> None:
        bounded[regex] = bounded.get(regex, True) and whole_word  # one bare use makes it bare
        chars[regex] = first

    def first_two(t: list[str]) -> str:
        # "[\s-]+", not "\s+": one run for all (see vocabulary.dispatch), and "a-hundred" is one too
        return phrase_regex(t[0]) + (r"[\s-]+" + phrase_regex(t[1]) if len(t) > 1 else "")

    for p, _ in qualifiers:
        t = p.split()
        if not p[-1].isalnum():
            add(re.escape(t[0]), {t[0][0]}, False)
        else:
            add(first_two(t), first_chars(p), False)
    for p in phrases:
        t = p.split()
        add(first_two(t), first_chars(p), len(t) == 1)
    for article in ("a", "an"):
        for w in ("hundred", *scales):
            add(first_two([article, w]), {"a"}, False)

    def covered(r: str) -> bool:
        """Whether another head holds wherever ``r`` does: only one ``r`` starts with can (see _admits), so its
        prefixes are looked up, not every head."""
        return any(r[:k] in bounded and _admits(r[:k], bounded[r[:k]], r) for k in range(len(r)))

    return dispatch([(r + (r"(?!\w)" if whole else ""), chars[r]) for r, whole in bounded.items() if not covered(r)])


def _admits(head: str, whole: bool, other: str) -> bool:
    r"""Whether the head ``head`` already holds wherever ``other`` does: a bare literal is a prefix of it ("over"
    and "overnight"), or a whole word is followed in it by white space ("several" and "several\s+hundred")."""
    if not other.startswith(head):
        return False
    if whole:
        return other[len(head):].startswith(r"\s")
    return head.isascii() and head.isalnum()


@per_vocabulary
def _mention_re() -> re.Pattern:
    v = load()
    nw = v.number_words
    # Alternations of phrases are grouped by first character (see vocabulary.dispatch): same matches, faster.
    qual = dispatch([(phrase_regex(p), first_chars(p)) if p[-1].isalnum() else (re.escape(p), {p[0]})
                     for p, _ in v.qualifiers_before])
    vague = phrase_alternation(sorted(nw["vague"], key=len, reverse=True))
    word_atoms = sorted(list(nw["units"]) + list(nw["tens"]), key=len, reverse=True)
    atom = "(?:" + phrase_alternation(word_atoms) + ")"
    scale_words = sorted(nw["scales"], key=len, reverse=True)
    scale = "(?:" + "|".join(re.escape(w) for w in scale_words) + ")"
    # At most 24 words after the first: "nine hundred and ninety-nine billion nine hundred ..." needs 18. An
    # unbounded loop kept a backtracking entry per word, about 200 bytes a character: 2 GB for 10 MB of "one one".
    words = (
        r"(?:" + "|".join(phrase_regex(h) for h in nw["half"]) + r")"
        r"|(?:" + atom + r"(?:[\s-]+(?:and\s+)?(?:" + atom + r"|hundred|" + scale + r")){0,24})"
        r"|(?:an?[\s-]+(?:hundred|" + scale + r")(?:[\s-]+(?:and\s+)?(?:" + atom + r"|hundred|" + scale + r")){0,24})"
    )
    num = (
        r"(?P<vague>(?:" + vague + r"))(?![\w])"
        r"|(?P<digits>" + DIGITS + r")(?:" + SP + r"?(?P<scale>" + scale + r")(?![\w\ufffd])|(?P<sfx>[km])(?![\w\ufffd'’]))?"
        r"|(?P<words>" + words + r")(?![\w])"
    )
    num2 = (r"(?P<digits2>" + DIGITS + r")(?:" + SP + r"?(?P<scale2>" + scale + r")(?![\w\ufffd])|(?P<sfx2>[km])(?![\w\ufffd'’]))?"
            r"|(?P<words2>" + words + r")(?![\w])")
    # Every mention opens with a digit or with the first word of one of the phrases above. Looking ahead for them
    # lets the engine leave most words after one test; it only filters, so the matches are the same.
    heads = _heads(v.qualifiers_before, [*nw["vague"], *word_atoms, *nw["half"]], scale_words)
    pattern = (
        r"(?<![\w$£€¥#@/])(?<!\d[.,:])"
        r"(?=\d|" + heads + r")"
        r"(?:(?P<between>" + word_alternation("between|from") + r")\s+)?"
        r"(?:(?P<qual>" + qual + r")\s*)?"
        r"(?P<num>" + num + r")"
        r"(?P<plus>\+)?"
        r"(?:\s*(?P<sep>" + word_alternation(r"to|\-|–|—|or|and") + r")\s*(?P<num2>" + num2 + r"))?"
    )
    return regex_cache.compile(pattern, re.IGNORECASE)


@per_vocabulary
def _length_re() -> re.Pattern:
    # grouped by first letter (vocabulary.dispatch): tried after every number, a plain list costs a step per unit
    units = word_alternation("|".join(re.escape(u) for u in sorted(load().distance_units, key=len, reverse=True)))
    # "\(\s*(?:about\s*)?", not "\(\s*(?:about)?\s*": two white-space runs side by side split a long run of
    # spaces every possible way before failing, quadratic in its length.
    conv = fill(r"(?:\s*\(\s*(?:(?:{conversion_hedge}|~|c\.)\s*)?(?P<conv>") + DIGITS + r")\s*(?P<conv_unit>" + units + r")\.?\s*\))?"
    return regex_cache.compile(r"(?:\s?|-)(?P<unit>" + units + r")(?![\w])" + conv, re.IGNORECASE)


# A designation, not a count: "round 4", "Camp 11", "Table 3", "Flash Update 7", "Group 2", "n=14"; and what else
# before a number makes it money, a reference, an age or a rank ("USD 5", "aged 12", "Resolution 2254"). The words
# of vocab/words.csv are literal, one white space between tokens; an influenza strain ("H5N1 12") is structure.


def _literal_alternation(*classes: str) -> str:
    return "|".join(r"\s".join(re.escape(t) for t in w.split()) for w in words(*classes))


_DESIGNATION_WORDS = _literal_alternation("designation_word")
_STRAIN = r"h\dn\d"  # an influenza strain before a number ("H5N1 12")
_BEFORE_WORDS = _literal_alternation("before_number", "designation_word") + "|" + _STRAIN
_ATOM = re.compile(r"(?:\\.|[^\\])\??")


def _reversed(fragment: str) -> str:
    r"""A regex fragment read backwards: ``rs\.?`` -> ``\.?sr``. Only for the fragments here: literal characters
    and escapes, each optionally followed by ``?``."""
    atoms = _ATOM.findall(fragment)
    assert "".join(atoms) == fragment, fragment
    return "".join(reversed(atoms))


def _reversed_alternation(alternatives: str) -> str:
    r"""The literal words of ``alternatives``, each read backwards, grouped by their last letter (see
    vocabulary.dispatch). A word that starts with a structure such as ``\d`` would leave the whole alternation
    plain, tried word after word (3 us a number): the callers add such a regex beside it."""
    return word_alternation("|".join(_reversed(w) for w in alternatives.split("|")))


# What before a number makes it a date or money or a reference ("on March 3", "$5", "aged 12", "Resolution 2254"):
# one of these, then only white space up to the number, the word starting a word (``\b``). The window before the
# number is read backwards, so the one place a match can end is where the match starts, and the engine tries one
# position instead of every one of the window.
# A month, read backwards; a full stop after an abbreviated month only ("Oct. 25"): "on 8 January. Seventeen people
# died" ends a sentence.
_MONTH_REVERSED = (r"(?:\.(?:" + _reversed_alternation(_MONTH_ABBREVIATIONS) + r")|(?:" + _reversed_alternation(MONTHS)
                   + r"))(?!\w)")
_BEFORE_REVERSED = regex_cache.compile(
    r"(?:" + _MONTH_REVERSED + r"|[$£€¥₹₦₱₨₩₺₽]|(?:" + _reversed_alternation(_BEFORE_WORDS.removesuffix("|" + _STRAIN)) + "|"
    + _reversed(_STRAIN) + r")(?!\w))",
    re.IGNORECASE,
)
_month_before_reversed = pattern_later(_MONTH_REVERSED, re.IGNORECASE)
_DESIGNATION_REVERSED = regex_cache.compile(r"(?:" + _reversed_alternation(_DESIGNATION_WORDS) + r")(?!\w)", re.IGNORECASE)
_SPACED_COMMA = re.compile(r",\s")


def _after_month(before: str) -> bool:
    """Whether ``before`` ends with a month, then white space only ("aged 71" is an age whatever its value)."""
    return _month_before_reversed().match(before.rstrip()[::-1]) is not None


def _day_before_count(text: str, m: re.Match, digits: str | None) -> int | None:
    """Where the count starts in "Jan. 5, 300 people fled", read as one number "5, 300" (the grouping of "61, 000"):
    after a month, a first group that can be a day is the date's, and the count starts after its comma."""
    if not digits or m.group("qual") or m.group("between"):
        return None
    comma = _SPACED_COMMA.search(digits)
    if comma is None or comma.start() > 2 or not 1 <= int(digits[:comma.start()]) <= 31:
        return None
    s = m.start("num")
    if not _after_month(text[max(0, s - 30):s]):
        return None
    return s + comma.end()


def _rejected_before(before: str) -> bool:
    """Whether ``before`` (the text before a number) ends with a month, a currency or a word of _BEFORE_WORDS,
    then white space on the same line: a heading ("Situation update", "Table") ends at its line break."""
    stripped = before.rstrip()
    return "\n" not in before[len(stripped):] and _BEFORE_REVERSED.match(stripped[::-1]) is not None


def _designated(before: str) -> bool:
    """Whether ``before`` ends with a designation word ("Round 24 to 373,709 IDPs": the 24 numbers a round; what
    follows "to" is a number of its own, not the top of a range)."""
    stripped = before.rstrip(" \t")
    return len(stripped) < len(before) and _DESIGNATION_REVERSED.match(stripped[::-1]) is not None


_UNIT_AFTER = re.compile(r"(?:km|kms|mi)\b", re.IGNORECASE)
_PRONOUN_ONE = pattern(r"\s+(?:{after_pronoun_one})\b", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"\d+(?:[.,]\d+)?|" + DIGITS)


@per_vocabulary
def _qualifier_after() -> tuple[re.Pattern, dict[str, str]]:
    """The hedges of vocab/qualifiers.csv written after a number in words ("or more", "or so"), and their
    qualifiers by phrase; "+" is part of the number pattern."""
    after = [(p, q) for p, q in load().qualifiers_after if p[-1].isalnum()]
    rx = regex_cache.compile(r"\s+(" + phrase_alternation([p for p, _ in after]) + r")\b", re.IGNORECASE)
    return rx, dict(after)
_NOT_DIGIT = re.compile(r"\D")
_SPACES = re.compile(r"\s+")
# What after a number makes it a date, time, money, percentage, age or ordinal. Only ever asked yes or no, so the
# words are grouped by first character (vocabulary.dispatch), and "\s*+" keeps its spaces: no word starts with
# white space, so giving some back never helps, and "\s*" tried the whole list again for each one it gave back.
# (regex, first characters) of each: "two thirds of families" is a fraction, "12 January" a date
_AFTER_WORDS = [
    *((phrase_regex(w) + r"\b", first_chars(w)) for w in (*words("after_number_word"), *MONTHS.split("|"))),
    *((phrase_regex(w), first_chars(w)) for w in words("after_number_prefix")),
]
_AFTER_REJECT = regex_cache.compile(
    r"^(?:\s*+(?:" + dispatch(_AFTER_WORDS
                              + [(r"-?years?-old", {"-", "y"}), (r":\d", {":"}), (r"/\d", {"/"}), (r"\.\d", {"."}),
                                 (r"(?-i:ha)\b", {"h"})])  # hectares in lower case: "Ha Giang" is a place
    + r"))",
    re.IGNORECASE,
)
# Verbs of a change in a count: after them "from A to B" is an earlier figure and the current one, not a range.
CHANGE_VERBS = fill("{change_up+change_down+change_revised}")
# Why a number is no figure when it is a date, a time, money, a percentage or an ordinal (figures.py reads dates
# inside labels by it)
DATE_REASON = "date, time, money, percentage, age or ordinal"
_changed = pattern_later(r"\b(?:" + CHANGE_VERBS + r")\s+$", re.IGNORECASE)
_LIST_MARK = re.compile(r"(?:/|\))[ \t]|[.:][ \t]+(?-i:[A-Z])")
# "said Shigeko Tanaka, 81.", "said elder Abdul Ghafar, 60.": a speaker's age ending the sentence (not "Deaths:
# Sylhet, 12.")
_speaker_name_before = pattern_later(r"\b(?:{speaker_age_verb})\s+(?:(?-i:[a-z]+)\s+)?(?-i:[A-Z][\w'’-]*)(?:\s+(?-i:[A-Z][\w'’-]*)){0,2},"
                                        r"[ \t]?$", re.IGNORECASE)
_PHONE_BEFORE = pattern(r"(?:{phone_word})"
                           r"\s*[,:]\s*$", re.IGNORECASE)
_YEARS_OLD = re.compile(r"\s*-?\s*years?[\s-]+old\b", re.IGNORECASE)
_STREET = pattern(r" (?-i:[A-Z][a-z]+)(?: (?-i:[A-Z][a-z]+)){0,2} (?:{street_suffix})\b")
_CALL_SIGN = re.compile(r"\b(?-i:[KW][A-Z]{2,3})[ -]$")
_DESIGNATED = pattern(r" (?:{designation_noun})\b")  # capitalised: part of a name
_AGED = re.compile(r"\baged?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# After a month, a number is its day or its year; "as of 8 February 131 people have died" is neither.
_NO_DAY = re.compile(r"3[2-9]|[4-9]\d|[1-9]\d\d|\d{1,3}(?:,\d{3})+")
_name_before = pattern_later(r"(?:(?-i:\b[A-Z][a-z]+)|\b(?i:" + fill("{person_noun}") + r")),[ \t]?$")  # "said Pepa, 67, who", "one woman, 57, died"
_RESTATED = re.compile(r" \((\d{1,3})\)")
_WEEK_NUMBER = re.compile(r"(?<!\bthis\s)(?<!\blast\s)(?<!\bnext\s)(?<!\bthat\s)(?<!\bper\s)(?<!\beach\s)(?<!\bthe\s)"
                          r"(?<!\ba\s)\bweek\s$", re.IGNORECASE)
_ODD = re.compile(r"-odd\b", re.IGNORECASE)  # "20,000-odd residents": about 20,000
_SECTION = re.compile(r"\d{1,2}(?:\.\d{1,2})+\.?")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
_HEADING_AFTER = re.compile(r"[ \t]+[A-Z][a-z]")
_FLIGHT_CODE = re.compile(r"\bflights?\b\W{0,3}(?-i:[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?$", re.IGNORECASE)
_SPACED_GROUP = re.compile(SP)
_LEADING_ZERO = re.compile(r"0" + SP + r"?\d")
_MORE_DIGITS = re.compile(SP + r"\d")


# A footnote mark a PDF converter glued to the word or bracket before it: "weakened.27 In", "(2019)539, with".
_FOOTNOTE_AFTER = re.compile(r"(?:\s|[,;:]|$)")
# A year and a footnote mark after the sentence's full stop, read as a decimal: "inhabitants since 2009.7 The".
_YEAR_MARK = re.compile(r"(?:19|20)\d\d\.\d{1,2}")
_SENTENCE_NEXT = re.compile(r"[ \t]+(?-i:[A-Z])")


def footnote_mark(text: str, s: int, e: int) -> bool:
    """Whether the digits at ``s``-``e`` are a footnote mark: at most three digits glued, with no space, to a word's
    full stop or to a closing bracket or quote, and followed by a space or a clause mark. A count is never written
    against the word before it; the extractor already reads "shelter.[8]" as a footnote. A year with a mark after
    its full stop ("since 2009.7 The") is a year, not a decimal."""
    if _YEAR_MARK.fullmatch(text, s, e):
        return e == len(text) or text[e:e + 1] == "\n" or _SENTENCE_NEXT.match(text, e) is not None
    if e - s > 3 or s < 2 or not text[s:e].isdigit() or not _FOOTNOTE_AFTER.match(text, e):
        return False
    glue, word = text[s - 1], text[s - 2]
    return (glue == "." and word.isalpha() and word.islower()) or (glue in _FOOTNOTE_GLUE[1:] and word.isalnum())


# What a footnote mark is glued to: a word's full stop, a closing bracket or quote. _decide calls footnote_mark only
# after one of them or for a number long enough to be a year with its mark ("2009.7"): most numbers are neither.
_FOOTNOTE_GLUE = ".)]”’\""


# A number inside a name: a capitalised word, the number, then an abbreviation or a settlement noun ("Gwange 3 PHC",
# "Dalori 1 camp", "Group 2 + 3").
_CAPITAL_BEFORE = re.compile(r"(?<![.!?:;]\s)(?<!^)\b(?-i:[A-Z][a-z]+)[ \t]$")
_NAME_AFTER = pattern(r"[ \t]+(?:(?-i:[A-Z]{2,})\b(?!(?-i:s)\b)|{designation_noun}\b|\+[ \t]*\d)", re.IGNORECASE)


def numbered_name(text: str, s: int, e: int) -> bool:
    """Whether the number at ``s``-``e`` (one or two digits) stands between a capitalised word that does not open
    the sentence and an abbreviation or a settlement noun: it numbers a place or a group, it counts nothing."""
    return (e - s <= 2 and text[s:e].isdigit() and _NAME_AFTER.match(text, e) is not None
            and _CAPITAL_BEFORE.search(text, max(0, s - 30), s) is not None)


def _decide(m: re.Match, text: str, digits: str | None, scaled: bool, qual: str | None) -> tuple[bool, str]:
    """Whether a number match can be a figure, and if not, why (``digits``, ``scaled``, ``qual``: its groups).

    The number's own shape and the characters glued to it are read first, then the words around it."""
    s, e = m.start("num"), m.end()
    after = text[e:e + 24]
    reason = _shape_reason(text, s, e, digits, scaled, after) or _context_reason(m, text, s, digits, scaled, qual,
                                                                                 after)
    return not reason, reason


def _shape_reason(text: str, s: int, e: int, digits: str | None, scaled: bool, after: str) -> str:
    """Why the number at ``s``-``e`` is no count by how it is written and what is glued to it; "" if nothing."""
    if s > 0 and text[s - 1] == "-" and s > 1 and text[s - 2].isalnum():
        return "part of a name"
    if s > 0 and text[s - 1] in "+":
        return "phone or sign"
    if (scaled and digits and len(digits) <= 2 and s >= 3 and text[s - 2:s] == ". " and text[s - 3].isdigit()
            and not text[s - 4:s - 3].isdigit()):
        return "broken decimal"  # "1. 5 million" (a PDF's "1.5 million"): not 5 million, and not a guess
    if s > 0 and text[s - 1] == "[" and after[:1] == "]" and e - s <= 3:
        return "footnote"  # "were left without shelter.[8]"
    if (e - s <= 2 and after[:1] in "/).:" and _LIST_MARK.match(after) and digits
            and _LINE_START.search(text, max(0, s - 8), s)):
        return "list number"  # a thread's "3/ Mai Mahiu: ...", "1) The official toll", "13. Within hours"
    if after[:1] == " " and after[1:2].isupper() and _DESIGNATED.match(after):
        return "designation"  # "Kabarto 3 Camp", "Sector 4 Site"
    if digits and (e - s > 5 or text[s - 1:s] in _FOOTNOTE_GLUE) and footnote_mark(text, s, e):
        return "footnote"  # "severely weakened.27 In", "in 2019)539, with"
    if digits and e - s <= 2 and numbered_name(text, s, e):
        return "designation"  # "Gwange 3 PHC", "Dalori 1 camp"
    if after[:1] == " " and after[1:2].isupper() and _STREET.match(after):
        return "street address"  # "Middletown High School, 20932 Big Canyon Rd."
    if after[:1] == ")" and e - s <= 2 and _CALL_SIGN.search(text, max(0, s - 6), s):
        return "part of a name"  # a broadcaster's call sign: "GALVESTON, Texas (KHOU 11)"
    if after[:1].isalpha() and not _UNIT_AFTER.match(after):
        return "attached to a word"
    return ""


def _context_reason(m: re.Match, text: str, s: int, digits: str | None, scaled: bool, qual: str | None,
                    after: str) -> str:
    """Why the number starting at ``s`` is no count by the words around it (dates, ages, codes, numbers of
    sections, weeks, phones and flights); "" if nothing."""
    before = text[max(0, s - 30):s]
    if (_rejected_before(before) and not (_NO_DAY.fullmatch(digits or "") and _after_month(before))
            or _AFTER_REJECT.match(after)):
        if _AGED.search(before) or _YEARS_OLD.match(after):
            return "age"  # "One man, aged 71, died": an age in apposition ends no clause (see figures)
        return DATE_REASON
    if after[:1] == "-" and after[1:2].isalpha() and not _ODD.match(after):
        return "attached to a word"  # "COVID-19-related", "10-year", but "a 1,500-kilometre drive": see find
    if digits and len(digits) == 4 and not scaled and not qual and _YEAR.fullmatch(digits):
        return "year"
    if digits and digits[0] == "0" and _LEADING_ZERO.match(digits):
        return "code or phone number"  # "0300-1234567", "0 800 332 614": no count starts with a zero
    if digits and len(digits) > 4 and _SPACED_GROUP.search(digits) and _MORE_DIGITS.match(after):
        return "phone number"  # "600 586 8000": groups of digits that go on
    if digits and "." in digits and not scaled and _SECTION.fullmatch(digits) \
            and _LINE_START.search(text, max(0, s - 8), s) and _HEADING_AFTER.match(after):
        return "section number"  # "2.1 Displacement overview" at the start of a line
    if (after[:1] in ",.)" and digits and len(digits) <= 3 and digits.isdigit() and int(digits) <= 110
            and (_name_before().search(text, max(0, s - 24), s) if after[:1] == ","
                 else _speaker_name_before().search(text, max(0, s - 48), s))):
        return "age"  # "said Pepa, 67, who spent the night on the roof"
    if (text.find("eek", max(0, s - 6), s) >= 0 and _WEEK_NUMBER.search(text, max(0, s - 24), s)
            and digits and digits.isdigit() and int(digits) <= 53):
        return "week number"  # "New arrivals from Sudan, week 22", "epidemiological week 12"
    if (text[s - 2:s - 1] in (",", ":") or text[s - 1:s] in (",", ":")) and _PHONE_BEFORE.search(text, max(0, s - 24), s):
        return "phone number"  # "call its toll-free line, 1199,"
    if text.find("light", max(0, s - 24), s) >= 0 and _FLIGHT_CODE.search(text, max(0, s - 24), s):
        return "flight number"  # "evacuation flight AC 8829"
    if digits and len(digits) > 15 and len(_NOT_DIGIT.sub("", digits)) > 15:
        return "too many digits to be a count"
    if not digits and m.group("num").lower() in ("one", "a", "an") and _PRONOUN_ONE.match(after):
        return "pronoun 'one'"
    return ""


def _value(digits: str | None, scale: str | None, words: str | None) -> Decimal:
    if digits:
        if not scale and digits.isdecimal():
            return Decimal(digits)  # most numbers: what parse_digits returns for them, without its checks
        mult = numbers.scale_of(scale) if scale else None
        v = numbers.parse_digits(digits, scaled=mult is not None)
        return v * mult if mult else v
    return numbers.parse_words(words)


@per_vocabulary
def _qualifiers() -> dict[str, str]:
    return dict(load().qualifiers_before)


# The groups find() reads, fetched in one call.
_GROUPS = ("vague", "digits", "scale", "sfx", "words", "qual", "plus", "num2", "sep", "between", "digits2", "scale2",
           "sfx2", "words2")


def find(text: str) -> list[Mention]:
    """All number mentions in ``text``, accepted ones and the ones kept only as boundaries."""
    out: list[Mention] = []
    length_re = _length_re()
    qualifiers = _qualifiers()
    last_end = pos = 0
    pattern = _mention_re()
    while (m := pattern.search(text, pos)) is not None:
        pos = m.end()
        if m.start() < last_end:
            continue  # inside the previous mention's unit or conversion "(3 miles)"
        vague, digits, scale, sfx, words, q, plus, num2, sep, between, digits2, scale2, sfx2, words2 = m.group(*_GROUPS)
        if num2 and between and between.lower() == "from" and _changed().search(text, max(0, m.start() - 30), m.start()):
            num2 = None  # "the toll rose from 12 to 19": an earlier figure and the current one, not a range
            pos = m.end("plus") if plus else m.end("num")
        if digits and "," in digits and (count_start := _day_before_count(text, m, digits)) is not None:
            out.append(_day(text, m.start("num"), m.start("num") + digits.index(",")))
            last_end, pos = out[-1].end, count_start
            continue
        ok, reason = _decide(m, text, digits, bool(scale or sfx), q)
        if not ok and num2 and not between and _designated(text[max(0, m.start("num") - 30):m.start("num")]):
            num2 = None  # "in Round 24 to 373,709 IDPs": a designation, then a number read on its own
            pos = m.start("num2")
        read = _read_value(vague, digits, scale or sfx, words)
        if read is None:
            continue
        value, low, high, kind = read
        qualifier = _qualifier_of(q, kind, qualifiers)
        num_start = m.start("num")
        start = m.start("qual") if q else num_start
        end = m.end("num")
        written_end = end
        if plus:
            qualifier = "more_than" if qualifier in ("exact", "vague") else qualifier
            end = m.end("plus")
        if num2 and kind != "vague" and (sep.lower() not in ("and",) or between):
            try:
                scale2 = scale2 or sfx2
                v2 = _value(digits2, scale2, words2)
                if scale2 and not (scale or sfx):
                    value = value * numbers.scale_of(scale2)
                if v2 > value:
                    low, high, value, kind, qualifier = value, v2, None, "range", "range"
                    end = written_end = m.end("num2")
                    if between:
                        start = m.start("between")
            except (numbers.NotANumber, TypeError):
                pass
        low, high = _hedged(qualifier, low, high)
        end = _past_restating_digits(text, end, kind, value)
        mention = Mention(start, end, num_start, written_end, text[num_start:written_end],
                          value, low, high, qualifier, kind, accepted=ok, reason=reason)
        _read_after(text, mention, length_re, ok, reason)
        out.append(mention)
        last_end = mention.end
    _mark_ratios(text, out)
    return out


def _qualifier_of(q: str | None, kind: str, qualifiers: dict[str, str]) -> str:
    """The hedge written before a number, as the qualifiers table names it; a vague quantity is its own hedge."""
    if q:
        return qualifiers.get(_SPACES.sub(" ", q.lower()), "approximate")
    return "vague" if kind == "vague" else "exact"


def _past_restating_digits(text: str, end: int, kind: str, value) -> int:
    """"three (3) fatalities": digits in brackets that restate a number in words are part of the one figure."""
    restated = _RESTATED.match(text, end) if kind == "words" and text.startswith(" (", end) else None
    return restated.end() if restated and Decimal(restated.group(1)) == value else end


def _day(text: str, start: int, end: int) -> Mention:
    """The day of "Jan. 5, 300 people fled", kept as a boundary (see _day_before_count)."""
    return Mention(start, end, start, end, text[start:end], Decimal(text[start:end]), None, None, "exact", "digits",
                   accepted=False, reason=DATE_REASON)


def _read_value(vague: str | None, digits: str | None, scale: str | None,
                words: str | None) -> tuple[Decimal | None, Decimal, Decimal, str] | None:
    """(value, low, high, kind) of a number as matched, or None when it reads as no number."""
    try:
        if vague:
            lo, hi = numbers.vague_bounds(vague)
            return None, Decimal(lo), Decimal(hi), "vague"
        value = _value(digits, scale, words)
        return value, value, value, "digits" if digits else "words"
    except (numbers.NotANumber, TypeError):
        return None


def _hedged(qualifier: str, low: Decimal | None, high: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """The bounds a hedge leaves: "at least" keeps only the low one, "up to" the high one, "about" neither."""
    if qualifier in ("at_least", "more_than"):
        return low, None
    if qualifier in ("up_to", "less_than"):
        return None, high
    if qualifier == "approximate":
        return None, None
    return low, high


def _read_after(text: str, mention: Mention, length_re: re.Pattern, ok: bool, reason: str) -> None:
    """What follows a new mention and belongs to it: a unit of length and the conversion in brackets, an odd
    suffix ("40,000-odd"), a hedge after it ("or more"); and whether it is too large to be a count. Changes
    ``mention`` (``ok``, ``reason``: what _decide said of the bare number)."""
    end, kind = mention.end, mention.kind
    lm = length_re.match(text, end)
    if lm and not text[end:end + 1].isalpha() or (lm and _UNIT_AFTER.match(text[end:end + 4])):
        units = load().distance_units
        mention.length_unit = units[lm.group("unit").lower()]
        mention.length_written = lm.group("unit")
        mention.end = lm.end()
        conv, conv_unit = lm.group("conv", "conv_unit")
        if (conv and units[conv_unit.lower()] == "kilometer" != mention.length_unit
                and kind in ("digits", "words")):
            try:
                mention.stated_km = (numbers.parse_digits(conv), conv, conv_unit)
            except numbers.NotANumber:
                pass
        mention.accepted = bool(_PLAIN_NUMBER.fullmatch(mention.written) or kind in ("words", "vague", "range")) and (
            ok or reason == "attached to a word")
    odd = (_ODD.match(text, mention.end) if mention.accepted and kind == "digits" and text.startswith("-", mention.end)
           else None)
    if odd:
        mention.qualifier, mention.low, mention.high, mention.end = "approximate", None, None, odd.end()
    after_re, after_qualifiers = _qualifier_after()
    am = after_re.match(text, mention.end, mention.end + 10)
    if am and mention.accepted:
        mention.qualifier = after_qualifiers[_SPACES.sub(" ", am.group(1).lower())]
        if mention.qualifier == "at_least":
            mention.high = None
        mention.end = am.end()
    if mention.accepted and _too_large(mention):
        # "one hundred hundred hundred ...", "9 billion billion": no count or distance is this large, and a
        # value past the float range (or 4,300 digits) could not even be written to the CSV.
        mention.accepted, mention.reason = False, "too large to be a count"


_RATIO_JOIN = re.compile(r"\s+in\s+(?:every\s+)?", re.IGNORECASE)


def _mark_ratios(text: str, found: list[Mention]) -> None:
    """"one in ten", "1 in 5 children", "one in every four": a ratio, neither of its numbers a count.

    A small number (ten at most) "in" a larger one; "killed 5 in 3 villages" (the first larger) stays a count.
    """
    for a, b in pairwise(found):
        if (a.accepted and b.accepted and a.value is not None and b.value is not None and a.value <= 10
                and a.value < b.value and not a.length_unit and _RATIO_JOIN.fullmatch(text, a.end, b.start)):
            a.accepted = b.accepted = False
            a.reason = b.reason = "ratio"


def _too_large(m: Mention) -> bool:
    if len(m.written) <= 15 and m.written.isdecimal():
        return False  # at most 15 digits and no scale word: below TOO_LARGE, without comparing Decimals
    return any(v is not None and v >= TOO_LARGE for v in (m.value, m.low, m.high))
