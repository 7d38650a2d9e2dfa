"""What surrounds a figure: where, when, who says so, and whether it is a forecast.

Each function reads only the sentence (and, for a pronoun speaker, the few
sentences before it), and returns text as written in the document: the
dataset cites places and sources, it does not geocode or rename them beyond
the canonical short names in ``vocab/organisations.csv``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from .vocabulary import countries, fill, load, organisation_of, pattern, per_vocabulary, word_class_set, word_set
from .vocabulary import words as class_words

# Capitalised words that start no place's name: days, months, pronouns, the words of a total row ...
NOT_PLACES = word_class_set("weekday", "month", "not_place", "institution_opener", "storm_noun", "sentence_adverb")
# Words that may start a place's name no more than they start a source's, less the institutions that do start a
# source's name ("Ministry of Civil Affairs said", "Prime Minister ... said", "UN officials said").
NOT_SPEAKERS = word_class_set("weekday", "month", "not_place")
FORCES = pattern(r"\b(?:(?:[A-Z][\w-]*\s+)?(?:{armed_force}))\b")
# A word of a name may hold U+FFFD, which is what mojibake leaves of an accented letter ("Guant\ufffdnamo"), and
# "d’" joins French names ("Côte d’Ivoire").
_PLACE = pattern(r"\b[A-Z][\w’'\ufffd-]*(?:\s+(?:al-|el-|(?:{name_particle})\s+|)[A-Z][\w’'\ufffd-]*"
                    r"|\s+d[’'\ufffd][A-Z][\w’'\ufffd-]*){0,3}")
# The words of every pattern here are word classes of vocab/words.csv, named in braces; vocabulary.pattern fills them
# in, grouped by first letter (the same matches, but a word that starts no entry is turned away after one comparison).
# A locative opens a sentence in capitals ("In Dadu, 133,033 people were displaced"): its capitalised forms are
# matched too, and kept only where a sentence opens (see places). A word of direction or neighbourhood between it
# and the name is no part of the name ("in neighbouring Myanmar").
_CAPITALISED_LOCATIVE = "|".join(w[0].upper() + w[1:] for w in class_words("locative"))
_PREP_PLACE = pattern(r"\b(?P<prep>{locative}|" + _CAPITALISED_LOCATIVE + r")\s+(?:the\s+(?:{place_of_noun})\s+of\s+)?"
                      r"(?:the\s+)?(?:(?:{place_modifier})\s+)?(?=[A-Z])")
_CUE = pattern(r"\b(?:{speech_verb})\b", re.IGNORECASE)
_PRONOUN_SPEAKER = pattern(r"(?=[HSTI])\b(?:He|She|They|It)\s+(?:also\s+)?(?:{speech_verb})\b")
_ACCORDING = re.compile(r"\baccording\s+to\s+(?:the\s+)?((?:[\w’'\ufffd-]+\s+){0,6}?[\w’'\ufffd-]+)\s*(?=[,.;:)]|$)",
                        re.IGNORECASE)
# No two white-space runs meet without a word between them ("(?:past\s*)?" rather than "past?\s*"): "in" followed
# by a long run of spaces would otherwise be tried for every way of splitting the run, quadratic in its length.
# Every branch opens with one of _PERIOD_FIRST as a whole word (white space or "\b" follows each); looking ahead
# for those first, grouped by letter, turns most words away after a comparison or two. It only filters, so the
# matches are the same.
# A calendar date as news writes it: "25 October", "Oct. 25", "October 25, 2024", "3 March 2024", "2024-03-03",
# "March 2024". Its numbers are not figures, but they belong to the period ("as of Oct. 25"), so a period is
# looked for past them (see reference_period). A month opening a date is written once for what may follow it, a
# day or a year ("Oct. 25", "March 2024"): at most one way of reading the month and the white space after it can
# be followed by a digit, so the matches are those of one branch for each, and the months' alternation, four times
# in _PERIOD, costs every start its compiling four times less.
_MONTH = r"(?:{month_abbreviation+month})(?![\w-])"
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)(?![\w,.]\d)"
_DATE = (r"(?:(?:{weekday}),?\s+)?"
         r"(?:" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?:19|20)\d\d\b)?"
         r"|" + _MONTH + r"\s+(?:" + _DAY + r"(?:,?\s+(?:19|20)\d\d\b)?|(?:19|20)\d\d\b)"
         r"|(?:19|20)\d\d-[01]\d-[0-3]\d\b)")
_TIME = r"(?:[0-2]?\d(?::[0-5]\d)?\s*(?:[ap]\.\s?m\.|[ap]m\b|(?:{clock_word})\b|h\b)|[0-2]\d[0-5]\d\s*(?:{clock_word})\b)"
_PERIOD = pattern(
    r"\b(?=(?:" + fill("{period_opener}") + r")\b)(?:(?:as\s+(?:of|at)|{date_preposition})\s+" + _DATE +
    r"|(?:as\s+(?:of|at)|since|by)\s+" + _TIME + r"(?:\s+(?:on\s+|local\s+time\s+)?(?:" + _DATE +
    r"|(?:{weekday}|yesterday|today)\b))?" +
    r"|(?:between|from)\s+(?:" + _DAY + r"|" + _DATE + r")\s+(?:{date_range_joiner})\s+" + _DATE +
    r"|(?:(?:{period_preposition})\s+(?:just\s+|less\s+than\s+|more\s+than\s+)?(?:the\s+)?|over\s+the\s+)(?:(?:{period_recent})\s*)?"
    r"(?:(?:{period_count}|\d+)\s*)?(?:{time_unit})\b"
    r"|since\s+(?:the\s+)?[\w ,’'-]{3,40}?(?=[,.;]|\s+(?:{since_clause_end})\b)"
    r"|as\s+(?:of|at)\s+[\w :,]{3,30}?(?=[,.;]|\s+(?:{as_of_end})\b)"
    r"|(?:{day_opener})\s+(?:{weekday}|{calendar_unit})\b"
    r"|(?:{period_word})\b"
    r"|between\s+(?:{month})\s+and\s+"
    r"(?:{month})(?:\s+\d{4})?"
    r"|in\s+(?:{month})(?:\s+\d{4})?)",
    re.IGNORECASE,
)
_MODAL = pattern(r"\b(?:{modal})\b")


_PLACE_SUFFIX = pattern(r"\s+(?:{place_suffix})$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’'\ufffd]s\s+")
_POSSESSIVE_PLACE = pattern(r"(?<![\w’'])(?:{possessive_place})(?![\w’'])")
_APOSTROPHES = str.maketrans({"’": "'", "\ufffd": "'"})


# Both are pure functions of a name, and a document names the same places again and again.
@per_vocabulary(maxsize=65536)
def _clean_place(s: str) -> str:
    """The place a capitalised name names: "Syria’s Homs" -> "Homs", "Idlib province" -> "Idlib"; a name that
    holds a possessive itself (the ``possessive_place`` word class: "Cox's Bazar town") is kept whole."""
    s = s.strip()
    held = _POSSESSIVE_PLACE.search(s.translate(_APOSTROPHES))  # the class is written with ' (same offsets)
    cut = [m.end() for m in _POSSESSIVE.finditer(s) if not (held and held.start() <= m.start() < held.end())]
    s = s[cut[-1]:] if cut else s  # U+FFFD: a mojibake apostrophe
    s = re.sub(r"[’'\ufffd]s$", "", s)
    s = _PLACE_SUFFIX.sub("", s)
    return s.strip()


@per_vocabulary(maxsize=1)
def peoples() -> frozenset[str]:
    """Lower-cased names of peoples: the ``people`` word class, and the demonyms of the one-word countries of
    countries.txt, derived as English forms them (Syria -> Syrian, Sudan -> Sudanese, Iraq -> Iraqi, Lebanon ->
    Lebanese, Somalia -> Somali)."""
    out = set(word_class_set("people"))
    for country in countries():
        if " " in country:
            continue
        stems = {country: ("n", "an", "ian", "ese", "i")}
        if country[-1] in "aeo":
            stems[country[:-1]] = ("", "an", "ian", "ese")
        if country.endswith("on"):
            stems[country[:-2]] = ("ese",)
        out.update(stem + suffix for stem, suffixes in stems.items() for suffix in suffixes)
    return frozenset(out - countries())


@per_vocabulary(maxsize=65536)
def _is_place(s: str) -> bool:
    """Whether a capitalised name can be a place: not a stop word, an organisation, an acronym, an institution
    ("CAR Red Cross"), or a word of the figure vocabulary written in capitals ("IDPs", "Evacuated people")."""
    words = s.split()
    if not words:
        return False
    first = words[0].lower().strip("’'")
    v = load()
    return (first not in NOT_PLACES and not v.org_re.fullmatch(s) and not s.isupper()
            and words[-1].lower() not in institutions()
            and not v.noun_re.fullmatch(words[0]) and not v.term_re.fullmatch(words[0])
            and (s.lower() in countries() or not {first, words[-1].lower()} & peoples()))


def place_name(cell: str) -> str:
    """``cell`` as a place name when the whole of it is one ("Bicol", "Eastern Visayas"), else ""."""
    m = _PLACE.fullmatch(cell.strip())
    name = _clean_place(m.group(0)) if m else ""
    return name if name and _is_place(name) else ""


def institutions() -> frozenset[str]:
    """Words that make a name an institution (``vocab/institutions.txt``)."""
    return word_set("institutions.txt")


# "Syria’s third-largest city, Homs": the name the possessive's noun stands for
_APPOSED_NAME = pattern(r"(?:[’']s\s+)?(?:[\w-]+\s+){0,3}?(?:{place_apposition_noun})\s*,\s*([A-Z][\w-]+)")


def places(text: str, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """Capitalised names in [lo, hi) that follow a locative word: (start, end, name, the locative word)."""
    out = []
    for p in _PREP_PLACE.finditer(text, lo, hi):
        if p.group("prep")[0].isupper() and not _opens_sentence(text, p.start()):
            continue
        m = _PLACE.match(text, p.end(), hi)
        if m and p.group("prep") == "of" and _word_before(text, p.start()).lower() in institutions():
            continue  # "the Bureau of Meteorology"
        if m:
            appos = _APPOSED_NAME.match(text[m.end():hi]) if re.search(r"[’']s$", m.group(0)) else None
            name = appos.group(1) if appos else _clean_place(m.group(0))
            if _is_place(name):
                out.append((m.start(), m.end(), name, p.group("prep").lower()))
    return out


_OPENING = re.compile(r"(?:^|[.!?:;\n])[\s\"“‘'(*•–-]*$")


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether only white space, quotes or a bullet stand between ``pos`` and the end of the sentence before."""
    return _OPENING.search(text, max(0, pos - 12), pos) is not None


_CLAUSE_END = pattern(r",|;|\s(?:{clause_opener})\s")


_LAST_WORD = re.compile(r"([\w’'-]+)\s*$")


def _word_before(text: str, pos: int) -> str:
    m = _LAST_WORD.search(text, max(0, pos - 40), pos)
    return m.group(1) if m else ""


def location(text: str, lo: int, hi: int, m_start: int, np_end: int, pred_end: int, noun_start: int | None = None) -> str:
    """The place a figure is about, as named in its clause.

    A place inside the noun phrase ("Thousands of Homs residents") comes first,
    then one after a verb of movement or "in"/"from" ("fled Homs", "in Hunan"),
    then one after "of", then the nearest before the number. The counted noun
    itself (from ``noun_start``) is never the place: "35,326 Brus", "8,400 IDPs".
    """
    inside = [p.group(0) for p in _PLACE.finditer(text, m_start + 1, np_end if noun_start is None else noun_start)]
    inside = [_clean_place(n) for n in inside if _is_place(_clean_place(n))]
    if inside:
        return inside[0]
    end = _CLAUSE_END.search(text, pred_end, hi)
    after = places(text, np_end, end.start() if end else hi)
    for wanted in (lambda prep: prep != "of", lambda prep: True):
        for _, _, name, prep in after:
            if wanted(prep):
                return name
    before = places(text, lo, m_start)
    return before[-1][2] if before else ""


def focus_place(text: str) -> str:
    """The place below country level the document names most often: its focus."""
    counts: dict[str, int] = {}
    for name in _names(text):
        if name.lower() not in countries():
            counts[name] = counts.get(name, 0) + 1
    return max(sorted(counts), key=lambda n: counts[n]) if counts else ""


_COPULA = pattern(r"(?:{copula}|,)\s+(?:(?:{copula_hedge})\s+)*$")


def _names(seg: str) -> list[str]:
    """Places named in a stretch of text, possessives ("Syria’s third-largest city") left out."""
    out = []
    for p in _PLACE.finditer(seg):
        raw = p.group(0)
        name = _clean_place(raw)
        if _is_place(name) and not re.search(r"[’']s$", raw):
            out.append(name)
    return out


def _subject_before(text: str, s_lo: int, m_start: int) -> str:
    """Who or what a distance is measured from.

    A place linked to the number by a copula or apposition ("Homs is about 30
    miles", "Hama, located 46 km") is the origin; otherwise a force named in
    the sentence ("HTS fighters are now just 5 km from") is, since news states
    front lines that way; failing both, the nearest place before the number.
    """
    seg = text[max(s_lo, m_start - 200):m_start]
    names = _names(seg)
    if names and _COPULA.search(seg):
        return names[-1]
    forces = [f.group(0) for f in FORCES.finditer(seg)]
    if forces:
        return forces[-1]
    return names[-1] if names else ""


_DESTINATION = pattern(
    r"\s*(?:away\s+)?(?:[a-z]+(?:-[a-z]+)?\s+)?(?:{destination_preposition})\s+(?:the\s+outskirts\s+of\s+|the\s+centre\s+of\s+|the\s+center\s+of\s+)?(?:the\s+(?:{the_city_noun})\s+of\s+)?")
_THE_CITY = pattern(r"the\s+({the_city_noun})\b")
_PRONOUN_IS = pattern(r"\b({place_pronoun})\s+(?:{locating_verb})\b")
_PRONOUN_BEFORE = pattern(r"\b(?:{place_pronoun})\s+(?:{locating_verb})\b[^,.]{0,60}$")
_IT_IS = pattern(r"\b(?:It|it)\s+(?:{locating_verb})\b")
_WHICH_IS = pattern(r"\bwhich\s+(?:{locating_verb})\b")


class Sentence:
    """What the figures of one sentence ask about the text before them, found once per sentence.

    A sentence can be the whole document (10 MB without a full stop), so
    nothing here rescans it per figure: "the last place named before the
    number" is a bisection into the sentence's place names, "It is"/"which
    is" a bisection into their matches. Answers equal the per-figure scans of
    ``text[lo:pos]`` they replace.
    """

    def __init__(self, text: str, lo: int, hi: int):
        self.text, self.lo, self.hi = text, lo, hi
        self._names: tuple[list[int], list[int], list[str]] | None = None
        self._pronouns: tuple[list[int], list[str], int] | None = None

    def _name_index(self) -> tuple[list[int], list[int], list[str]]:
        if self._names is None:
            starts, ends, last, best = [], [], [], ""
            for p in _PLACE.finditer(self.text[self.lo:self.hi]):  # a slice, as _names(text[lo:pos]) sees it
                raw = p.group(0)
                name = _clean_place(raw)
                if _is_place(name) and not re.search(r"[’']s$", raw):
                    best = name
                starts.append(self.lo + p.start())
                ends.append(self.lo + p.end())
                last.append(best)
            self._names = starts, ends, last
        return self._names

    def name_before(self, pos: int) -> str:
        """``_names(text[lo:pos])[-1]``, or "" when that is empty."""
        starts, ends, last = self._name_index()
        k = bisect_right(ends, pos)
        if k < len(starts) and starts[k] < pos:  # a name cut short at pos: read the cut part as _names would
            cut = _names(self.text[starts[k]:pos])
            if cut:
                return cut[-1]
        return last[k - 1] if k else ""

    def _pronoun_index(self) -> tuple[list[int], list[str], int]:
        if self._pronouns is None:
            found = [(self.lo + m.end(), m.group(1)) for m in _PRONOUN_IS.finditer(self.text[self.lo:self.hi])]
            first_it = min((e for e, w in found if w != "which"), default=self.hi + 1)
            self._pronouns = [e for e, _ in found], [w for _, w in found], first_it
        return self._pronouns

    def pronoun_ends(self, lo: int, hi: int) -> list[int]:
        """Where the sentence's place pronoun and copula ("It is", "which lies") matches that end in [lo, hi] end."""
        ends = self._pronoun_index()[0]
        return ends[bisect_left(ends, lo):bisect_right(ends, hi)]

    def it_is_before(self, pos: int) -> bool:
        """Whether a capitalised or lower-case "it" and a copula ("It is", "it lies") end at or before ``pos``."""
        return self._pronoun_index()[2] <= pos


def _pronoun_distance(text: str, sent: Sentence, m_start: int) -> bool:
    """Whether a place pronoun ("It", "it", "which"), then "is", "was" or "lies", stand in the 60 characters before
    ``m_start`` with no comma or full stop after them: the search of the sentence before, without the scan."""
    stops = [m_start]
    if m_start > sent.lo and text[m_start - 1] == "\n":
        stops.append(m_start - 1)  # "$" also matches before a final line break
    for stop in stops:
        for e in sent.pronoun_ends(stop - 60, stop):
            if "," not in text[e:stop] and "." not in text[e:stop]:
                return True
    return False


def distance_ends(text: str, s_lo: int, s_hi: int, m_start: int, m_end: int, prev_place: str,
                  focus: str | Callable[[], str] = "", sent: Sentence | None = None) -> tuple[str, str]:
    """(origin, destination) of a distance: "Homs is about 30 miles south of Hama" -> (Homs, Hama).

    ``sent`` is the :class:`Sentence` [s_lo, s_hi), shared by the sentence's figures (made here if not given).
    ``focus`` (what "the city" means) may be given as a function: finding it scans the whole document, and
    only a destination written "the city" or "the town" needs it.
    """
    dest = ""
    d = _DESTINATION.match(text, m_end, s_hi)
    if d:
        pm = _PLACE.match(text, d.end(), s_hi)
        if pm and _is_place(_clean_place(pm.group(0))):
            dest = _clean_place(pm.group(0))
        else:
            ref = _THE_CITY.match(text, d.end(), s_hi)
            if ref:
                city = ref.group(1) in ("city", "town")
                dest = ((focus() if callable(focus) else focus) if city else "") or ref.group(0)
    if m_start > s_lo and (text[m_start - 1].isalnum() or text[m_start - 1] == "_"):
        # A word character before the number (never so for a mention): the sentence's indexes, which see the
        # word boundary after the number, may not apply; scan as before.
        seg = text[s_lo:m_start]
        if _PRONOUN_BEFORE.search(seg):
            return pronoun_origin(seg, prev_place) or _subject_before(text, s_lo, m_start), dest
        return _subject_before(text, s_lo, m_start), dest
    sent = sent if sent is not None and (sent.lo, sent.hi) == (s_lo, s_hi) else Sentence(text, s_lo, s_hi)
    if _pronoun_distance(text, sent, m_start):
        origin = _pronoun_origin(text, sent, m_start, prev_place) or _subject_before(text, s_lo, m_start)
    else:
        origin = _subject_before(text, s_lo, m_start)
    return origin, dest


def _pronoun_origin(text: str, sent: Sentence, m_start: int, prev_place: str) -> str:
    """:func:`pronoun_origin` of ``text[sent.lo:m_start]``, from the sentence's indexes."""
    if sent.it_is_before(m_start) and prev_place:
        return prev_place
    if _WHICH_IS.search(text[max(sent.lo, m_start - 80):m_start]):
        return sent.name_before(text.rfind("which", sent.lo, m_start))
    return ""


def last_place(text: str, lo: int, hi: int) -> str:
    """The last place named in [lo, hi): the antecedent of a following "It is ...km from"."""
    found = places(text, lo, hi)
    return found[-1][2] if found else ""


def nearest_name(text: str, lo: int, hi: int, sent: Sentence | None = None) -> str:
    """The last place named in [lo, hi), locative word or not ("Hama has a population of ...").

    ``sent``, a :class:`Sentence` starting at ``lo``, answers without rescanning [lo, hi).
    """
    if sent is not None and sent.lo == lo:
        return sent.name_before(hi)
    names = _names(text[lo:hi])
    return names[-1] if names else ""


def pronoun_origin(seg: str, prev_place: str) -> str:
    """What "It" or "which" stands for before a distance, or ""."""
    if _IT_IS.search(seg) and prev_place:
        return prev_place
    if _WHICH_IS.search(seg[-80:]):
        names = _names(seg.rsplit("which", 1)[0])
        return names[-1] if names else ""
    return ""


# A source starts with a capital or with one of the lower-case words of the second branch: looking ahead for those
# lets the engine leave every other position after one comparison (the same matches).
_SAID = pattern(
    r"(?=[A-Zlspgt])((?:[A-Z][\w’'-]*\s+(?:(?:of|for)\s+(?:the\s+)?)?){1,4}|(?:{official_modifier})\s+(?:\w+\s+){0,2}?"
    r"(?:{official_noun})\s+)"
    r"(?:(?:{said_adverb})\s+)?"
    r"(?:{said_verb})\b"
)
_CAPITAL_RUN = re.compile(r"[A-Z][\w’'-]*")
_CAPITAL = re.compile(r"[A-Z]")
# A word with a capital after its first character: only then does _first_capitals change anything.
_INNER_CAPITAL = re.compile(r"[A-Z][\w’'-]*[A-Z]")


def _first_capitals(sent: str) -> str:
    """``sent`` with each capital after the first of its word (a run of ``[\\w’'-]``) masked as "_".

    A word ``_SAID`` starts at runs to the word's end whichever of its capitals
    it starts at, so starting at a later one gives the same answer as at the
    first, which is tried before. Masking them spares the engine those starts:
    a 100 KB word in capitals cost a scan per letter, quadratic. The mask is a
    word character the pattern's literals do not hold, and keeps every offset.
    """
    return _CAPITAL_RUN.sub(lambda m: m.group(0)[0] + _CAPITAL.sub("_", m.group(0)[1:]), sent)


def attribution(text: str, s_lo: int, s_hi: int) -> str:
    """Who the sentence says reports its figures.

    The speaker the sentence names comes first ("according to the interior ministry", "local officials said",
    "district administrator Sheikh Rasel Hasan told Reuters"), by its canonical name when it is an organisation
    of ``vocab/organisations.csv`` ("the UN refugee agency said" -> UNHCR). Without a speaker, an organisation
    named in the sentence is the source, unless it is a publisher: a news agency in a dateline ("(Reuters)",
    "Niamey (AFP) -") published the figure, it did not give it.
    """
    sent = text[s_lo:s_hi]
    if not _CUE.search(sent):
        return ""
    v = load()
    who = _speaker(sent)
    if who:
        org = v.org_re.search(who)
        return organisation_of(org.group(0)) if org else who
    for org in v.org_re.finditer(sent):
        name = organisation_of(org.group(0))
        if name not in v.publishers:
            return name
    return ""


def _speaker(sent: str) -> str:
    """The source a sentence names with "according to" or before "said", "told", "reported" ...; or ""."""
    acc = _ACCORDING.search(sent)
    if acc:
        return re.sub(r"\s+", " ", acc.group(1)).strip()
    said = _SAID.search(_first_capitals(sent) if _INNER_CAPITAL.search(sent) else sent)
    if said:
        who = sent[said.start(1):said.end(1)].strip()
        if who.split()[0] == "The" and len(who.split()) > 1:
            who = who.split(None, 1)[1]  # "The Ministry of Civil Affairs said"
        if who.split()[0].lower() not in NOT_SPEAKERS:  # "a", "an", "some" among them
            return re.sub(r"\s+", " ", who)
    return ""


def speaker_is_pronoun(text: str, s_lo: int, s_hi: int) -> bool:
    """Whether the sentence's source is "He said", "She confirmed": resolved from earlier sentences."""
    return bool(_PRONOUN_SPEAKER.search(text, s_lo, s_hi))


def reference_period(text: str, lo: int, hi: int, m_start: int, m_end: int) -> str:
    """The period a figure refers to, as written: the nearest phrase in its clause.

    ``lo``-``hi`` is bounded by the figures around this one, not by every number: a date's own numbers ("as of
    Oct. 25", "since 7 October 2023") are inside it.
    """
    best = None
    for p in _PERIOD.finditer(text, lo, hi):
        d = p.start() - m_end if p.start() >= m_end else m_start - p.end()
        if d < 0:
            continue
        if best is None or d < best[0]:
            best = (d, p.group(0))
    return _trim_period(best[1]) if best else ""


# Month abbreviations that keep their full stop ("as of Oct."); "July." and "June." are full names.
_ABBREVIATED = frozenset(w for w in class_words("month_abbreviation")
                         if w.endswith(".") and w[:-1] not in class_words("month"))


def _trim_period(period: str) -> str:
    """A period as written, on one line and without the punctuation that ends its sentence or clause ("on 3
    July." -> "on 3 July"); an abbreviation keeps its full stop ("as of Oct.", "by 6 p.m.")."""
    period = re.sub(r"\s+", " ", period).strip(" ,;:")
    last = period.rsplit(" ", 1)[-1]
    if period.endswith(".") and last not in _ABBREVIATED and "." not in last[:-1]:
        period = period[:-1].rstrip(" ,;:")
    return period


def projected(text: str, lo: int, hi: int) -> bool:
    """Whether the clause presents the figure as a forecast or possibility."""
    return bool(_MODAL.search(text, lo, hi))
