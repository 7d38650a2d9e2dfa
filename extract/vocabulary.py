"""Load the vocabularies in ``vocab/`` and compile them into matchers.

The extractor's knowledge of English news lives in those CSV and JSON files,
not in code, so a new reporting term or unit noun is a one-line data change
(see ``extract/README.md`` for their formats). Everything here is computed
once per process and shared read-only, which is what keeps per-document
extraction a pure function that parallelises freely.
"""

from __future__ import annotations

import csv
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

from . import regex_cache

VOCAB_DIR = Path(__file__).with_name("vocab")
# The vocabulary folder the extraction under way reads: the shipped one unless a caller passes its own
# (``extract_document(..., vocabulary=folder)``). What is computed from it is cached by :func:`per_vocabulary`,
# whose caches are emptied when the folder changes: a test's folder never sees the shipped one's results, and the
# shipped folder's extraction pays nothing per call for the choice. One folder at a time in a process.
_IN_USE = [VOCAB_DIR]
_CACHES: list = []
_SWITCH = threading.RLock()
_F = TypeVar("_F", bound=Callable)


def folder() -> Path:
    """The vocabulary folder in use (``extract/vocab/`` unless :func:`using` chose another)."""
    return _IN_USE[0]


def _switch_to(path: Path) -> None:
    if _IN_USE[0] != path:
        for cached in _CACHES:
            cached.cache_clear()
        _IN_USE[0] = path


@contextmanager
def using(vocabulary: str | Path | None) -> Iterator[Path]:
    """Read the vocabulary of ``vocabulary`` (a folder laid out as ``extract/vocab/``; None: that one) inside the
    ``with`` block, then the folder in use before it again; threads choosing folders wait for each other."""
    path = VOCAB_DIR if vocabulary is None else Path(vocabulary).resolve()
    if not (path / "terms.csv").is_file():
        raise FileNotFoundError(f"{path} is no vocabulary folder: it has no terms.csv (see extract/README.md)")
    with _SWITCH:
        previous = _IN_USE[0]
        _switch_to(path)
        try:
            yield path
        finally:
            _switch_to(previous)


def per_vocabulary(f: _F | None = None, *, maxsize: int | None = None) -> _F:
    """``functools.lru_cache`` for what a function computes from the vocabulary: emptied when :func:`using`
    changes the folder in use, so every result is the folder's own."""
    if f is None:
        return lambda g: per_vocabulary(g, maxsize=maxsize)  # type: ignore[return-value]
    cached = lru_cache(maxsize=maxsize)(f)
    _CACHES.append(cached)
    return cached  # type: ignore[return-value]


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a vocabulary CSV, each a dict of its header's names to its cells stripped of white space, as
    ``csv.DictReader`` gives them (blank lines skipped, cells a row lacks empty) in half the time."""
    with open(folder() / name, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        rows = []
        for row in reader:
            if len(row) > len(header):
                raise ValueError(f"{f.name}, line {reader.line_num}: {len(row)} cells, the header names {len(header)}")
            if row:
                rows.append(dict(zip(header, [*map(str.strip, row), *[""] * (len(header) - len(row))])))
        return rows


def phrase_regex(phrase: str) -> str:
    """Turn a vocabulary phrase into a regex fragment.

    Tokens are separated by white space (any run of white space or line breaks
    matches); a token may list alternatives with ``|`` and may end in ``*`` to
    match any word ending. Everything else is literal, except that an accented
    letter also matches the marks mojibake leaves in its place (U+FFFD, "?",
    "_"), so "famílias" is still read in a text that lost its encoding.
    """
    parts = []
    for token in phrase.split():
        alts = []
        for alt in token.split("|"):
            stem = alt.endswith("*") and len(alt) > 1
            body = alt[:-1] if stem else alt
            lit = (re.escape(body) if body.isascii() else "".join(  # re.escape escapes character by character
                f"(?:{re.escape(ch)}|[\ufffd?_])" if ch.isalpha() and not ch.isascii() else re.escape(ch) for ch in body
            )).replace("’", "['’]").replace("\\'", "['’]")
            alts.append(lit + (r"\w*" if stem else ""))
        parts.append(alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")")
    return r"\s+".join(parts)


def first_chars(phrase: str) -> set[str] | None:
    """The characters :func:`phrase_regex` of ``phrase`` can start with (as written; the flags decide the case)."""
    tokens = phrase.split()
    out: set[str] = set()
    for alt in tokens[0].split("|") if tokens else [""]:
        ch = alt[:1]
        if not ch:
            return None  # an empty alternative matches anywhere
        if ch in "'’":
            out |= {"'", "’"}
        elif ch.isalpha() and not ch.isascii():
            out |= {ch, "\ufffd", "?", "_"}
        else:
            out.add(ch)
    return out


# The characters besides its two cases that an ASCII letter matches ignoring case (tests/test_scale.py checks this
# against the regex engine for every ASCII character).
CASE_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def case_variants(c: str) -> list[str]:
    """Every character an ASCII character ``c`` matches in a pattern compiled with ``re.IGNORECASE``."""
    low = c.lower()
    return sorted({low, low.upper(), *CASE_FOLDS.get(low, "")})


def dispatch(alternatives: list[tuple[str, set[str] | None]], ignorecase: bool = True, depth: int = 3,
             spelt: int = 1) -> str:
    r"""``a|b|c`` for regex fragments, each given with the characters it can start with, grouped by that character.

    Python's regex engine tries every branch of an alternation in turn at every
    position; with a hundred phrases that was most of the extractor's time. It
    skips a branch that starts with a case-sensitive literal character in one
    comparison, so each group becomes such a branch per case of its character
    (``(?-i:d)(?:isplac\w*|...)|(?-i:D)(?:isplac\w*|...)``); the groups whose
    character is not ASCII share one branch behind a one-character look-ahead. The result
    matches exactly what the plain alternation matches (``ignorecase`` says
    whether the pattern is compiled with ``re.IGNORECASE``): the groups'
    characters differ even ignoring case, so at most one group applies at a
    position, and it holds, in their original order, every branch that can
    start there. The branches of a group are grouped again by their next
    character, ``depth`` characters deep; past the first ``spelt`` characters,
    a character's cases share one branch, a set (``(?-i:[Ss])``): spelt out
    at every depth, the pattern doubled in size with each character (the
    terms' took 0.1 s to compile), while the words that get that far are few:
    spelt out past the first character, the extractor read no faster and took
    longer to start. A group's rest that is no alternation is written without
    the ``(?:...)`` around it (``(?-i:D)isplac\w*``): the parser unpacks such a
    group anyway, so the compiled pattern is the same and parses sooner.
    Fragments that start with a run of white space and then a letter
    (``\s+few``, as the rest of "a few" has it) share one branch that takes
    the run once. Any other fragment whose first characters are unknown
    (None) gives the plain alternation.
    """
    lettered = [(f, chars) for f, chars in alternatives if chars]
    runs = [split for f, chars in alternatives if not chars and (split := _after_run(f)) is not None]
    heads = frozenset().union(*[chars for _, chars in lettered])
    if (len(lettered) + len(runs) < len(alternatives) or any(len(c) != 1 for c in heads)
            or len({run for run, _ in runs}) > 1 or runs and any(_takes(runs[0][0], c) for c in heads)):
        return "|".join(f for f, _ in alternatives)
    # Characters that match each other ignoring case share a group ("U" and "u", "k" and the Kelvin sign).
    classes = _classes(heads, ignorecase)
    if len(classes) + bool(runs) < 2:
        return "|".join(f for f, _ in alternatives)
    at: dict[str, list[int]] = {}  # each character's fragments, by their place in ``lettered``
    for i, (_, chars) in enumerate(lettered):
        for c in chars:
            at.setdefault(c, []).append(i)
    literal, other = [], set()
    for k in classes:
        places = at[k[0]] if len(k) == 1 else sorted({i for c in k for i in at[c]})
        rests = _after_first([lettered[i][0] for i in places], k)
        if rests is not None:
            variants = case_variants(k[0]) if ignorecase else k
            if len(rests) == 1:
                inner = rests[0]  # no alternation: its fragment was none (see _after_first)
            elif depth > 1:
                inner = dispatch([(r, _literal_head(r)) for r in rests], ignorecase, depth - 1, spelt - 1)
                inner = f"(?:{inner})" if _top_level_bar(inner) else inner
            else:
                inner = "(?:" + "|".join(rests) + ")"
            if spelt > 0:
                literal += [f"(?-i:{_escaped(x)}){inner}" for x in variants]
            else:  # one branch for the cases of a character: a set, tested a little slower than one literal
                literal += [f"(?-i:{_one_of(part)}){inner}" for part in _latin1_apart(variants)]
        else:
            other.update(k)
    if runs:
        # "a few", "a dozen", "a hundred": the white space once, then the next word by its letters; the branch
        # starts with a character set, which the engine passes over in one test where it does not apply
        one = runs[0][0][:-1]
        literal.append(one + one + "*(?:" + dispatch([(r, _literal_head(r)) for _, r in runs], ignorecase, 2, 0) + ")")
    return "|".join(literal + ([_behind_lookahead(lettered, other)] if other else []))


@cache
def _escaped(c: str) -> str:
    """``re.escape`` of one character, asked once per character."""
    return re.escape(c)


@cache
def _takes(run: str, c: str) -> bool:
    """Whether the run of white space ``run`` (``\\s+``) can take the character ``c``."""
    return re.fullmatch(run, c) is not None


@cache
def _classes(chars: frozenset[str], ignorecase: bool) -> tuple[tuple[str, ...], ...]:
    """``chars`` in groups of characters that match one another as regex literals (ignoring case, with
    ``ignorecase``): found once per set of characters, as a pattern's groups repeat in many patterns. Each group
    comes where its last character comes in ``sorted(chars)``."""
    if all(c.isascii() for c in chars):  # an ASCII character matches itself and its other case only (see _same)
        groups: dict[str, list[str]] = {}
        for c in sorted(chars):
            groups.setdefault(c.lower() if ignorecase else c, []).append(c)
        return tuple(sorted((tuple(g) for g in groups.values()), key=lambda g: g[-1]))
    classes: list[tuple[str, ...]] = []
    for c in sorted(chars):
        same = [k for k in classes if any(_same(c, x, ignorecase) for x in k)]
        for k in same:
            classes.remove(k)
        classes.append(tuple(sorted({c}.union(*same))))
    return tuple(classes)


@cache
def _same(c: str, x: str, ignorecase: bool) -> bool:
    """Whether the one-character texts ``c`` and ``x`` match each other as regex literals."""
    if c.isascii() and x.isascii():  # an ASCII character matches itself and its other case only (see CASE_FOLDS)
        return c.lower() == x.lower() if ignorecase else c == x
    flags = re.IGNORECASE if ignorecase else 0
    return bool(re.fullmatch(re.escape(c), x, flags) or re.fullmatch(re.escape(x), c, flags))


# The runs of white space a fragment may start with (see _after_run).
_RUNS = (r"\s+", r"[\s-]+")


def _after_run(fragment: str) -> tuple[str, str] | None:
    r"""(``\s+`` or ``[\s-]+``, what follows it) for a fragment that starts with such a run and then a literal
    character the run cannot take ("\s+few"), else None. The run then takes all of itself there is, so
    ``\s\s*(?:a|b)`` matches what ``\s+a|\s+b`` does."""
    run = next((r for r in _RUNS if fragment.startswith(r)), None)
    if run is None or _top_level_bar(fragment):
        return None
    rest = fragment[len(run):]
    head = _literal_head(rest)
    return (run, rest) if head and not any(re.fullmatch(run, c) for c in head) else None


def _latin1_apart(chars: list[str]) -> list[list[str]]:
    """``chars`` in two sets, those of Latin-1 and the others ("I", "i" and "İ", "ı"): a set that mixes them is
    compiled to a table of the whole Unicode range, slow to build (0.1 ms each) and to test."""
    parts = [[c for c in chars if ord(c) < 256], [c for c in chars if ord(c) >= 256]]
    return [p for p in parts if p]


def _one_of(chars: list[str]) -> str:
    """A regex for one character of ``chars``: ``d`` or the set ``[Dd]``."""
    return _escaped(chars[0]) if len(chars) == 1 else "[" + "".join(map(_escaped, chars)) + "]"


def _behind_lookahead(alternatives: list[tuple[str, set[str]]], chars: set[str]) -> str:
    """One branch for the fragments that start with one of ``chars`` (not as a plain ASCII literal: "é" and the
    marks that stand for it), in their order, behind one look-ahead: the engine runs a look-ahead at every position
    it tries, so one for all of them ("évacu*" starts with four characters) rather than one for each."""
    frags = [f for f, first in alternatives if first & chars]
    head = "".join(re.escape(c) for c in sorted(chars))
    return f"(?={head if len(chars) == 1 else '[' + head + ']'})(?:{'|'.join(frags)})"


def _after_first(frags: list[str], chars: list[str]) -> list[str] | None:
    """Each fragment without its first character, when every one starts with one of ``chars`` (ASCII) as a literal."""
    if not all(c.isascii() for c in chars):
        return None
    # a character escaped is a backslash and itself: at most one of them starts a fragment
    leads = {_escaped(c) for c in chars}
    rests = []
    for f in frags:
        lead = f[:2] if f[:2] in leads else f[:1] if f[:1] in leads else None
        if lead is None or f[len(lead):len(lead) + 1] in ("?", "*", "+", "{") or "|" in f and _top_level_bar(f):
            return None
        rests.append(f[len(lead):])
    return rests


# The characters that are regex syntax at the start of a fragment; any other character there is itself.
_SYNTAX = set(".^$*+?{}[]\\|()#") | set(" \t\n\r\f\v")


def _literal_head(fragment: str) -> set[str] | None:
    """{first character} of a fragment that starts with a literal character (not made optional), else None: a
    letter, digit or sign ("=", "º"), or a sign escaped (``\\.``, ``\\$``; not ``\\d``, ``\\s``)."""
    first = fragment[:1]
    if first == "\\" and fragment[1:2] and not fragment[1:2].isalnum():
        first, fragment = fragment[1], fragment[1:]
    elif not first or first in _SYNTAX:
        return None
    return {first} if fragment[1:2] not in ("?", "*", "+", "{") else None


def _top_level_bar(fragment: str) -> bool:
    """Whether a regex fragment is itself an alternation ("ab|cd"), outside any group or set."""
    if "|" not in fragment:
        return False
    depth = 0
    for ch in _STRUCTURE.findall(_INERT.sub("", fragment)):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            return True
    return False


# What cannot open or close a group or be a bar of an alternation: an escaped character, a character set (up to its
# first "]" not escaped, or the end); and what can.
_INERT = re.compile(r"\\.|\[(?:\\.|[^\\\]])*(?:\]|\\?$)", re.DOTALL)
_STRUCTURE = re.compile(r"[()|]")


def word_alternation(alternatives: str, ignorecase: bool = True) -> str:
    """A regex alternation ``"said|says|told"`` of words (or fragments starting with a literal letter or digit),
    grouped by first character as :func:`dispatch` does (``ignorecase``: for a pattern compiled with
    ``re.IGNORECASE``)."""
    frags = alternatives.split("|")
    if any(c in alternatives for c in "()[]") or "\\|" in alternatives:
        return alternatives  # nested groups: splitting on "|" would not give the alternatives
    return dispatch([(f, _literal_head(f)) for f in frags], ignorecase)


def phrase_alternatives(phrase: str) -> list[tuple[str, set[str] | None]]:
    """``(regex, first characters)`` whose alternation is :func:`phrase_regex` of ``phrase``, for :func:`dispatch`.

    A first token with alternatives is spelt out ("took|taken shelter" as "took shelter", "taken shelter", in that
    order: the same matches), so that each alternative starts with its literal first letter.
    """
    tokens = phrase.split()
    heads = tokens[0].split("|") if tokens else []
    if len(heads) < 2 or not all(heads):
        return [(phrase_regex(phrase), first_chars(phrase))]
    return [(phrase_regex(q), first_chars(q)) for q in (" ".join([h, *tokens[1:]]) for h in heads)]


def phrase_alternation(phrases: list[str]) -> str:
    """:func:`phrase_regex` of each phrase, as one alternation in the given order (see :func:`dispatch`)."""
    return dispatch([a for p in phrases for a in phrase_alternatives(p)])


def _alternation(phrases: list[str]) -> str:
    # Longest phrases first so that "internally displaced" wins over "displac*".
    return phrase_alternation(sorted(set(phrases), key=lambda p: (-len(p), p)))


@per_vocabulary
def word_classes() -> dict[str, tuple[str, ...]]:
    """The closed word classes of ``vocab/words.csv`` (``class,word,notes``): each class's words in file order.

    A class is a set of words the grammar treats alike (verbs of change, months, settlement nouns); a regex in
    code names it as ``{class}`` (see :func:`pattern`) and a set in code reads it with :func:`words`, so every
    word is written once, here in the data, however many rules use it.
    """
    out: dict[str, list[str]] = {}
    for r in _rows("words.csv"):
        out.setdefault(r["class"], []).append(r["word"])
    return {k: tuple(v) for k, v in out.items()}


def words(*classes: str) -> tuple[str, ...]:
    """The words of one or more classes, in file order (a word listed in two of them once)."""
    table = word_classes()
    missing = [c for c in classes if c not in table]
    if missing:
        raise KeyError(f"no word class {', '.join(missing)} in vocab/words.csv")
    return tuple(dict.fromkeys(w for c in classes for w in table[c]))


def word_class_set(*classes: str) -> frozenset[str]:
    """The lower-cased words of one or more classes, for membership tests."""
    return frozenset(w.lower() for w in words(*classes))


_SLOT = re.compile(r"\{([a-z_]+(?:\+[a-z_]+)*)\}")


@per_vocabulary
def alternation(classes: str, ignorecase: bool = True) -> str:
    """One regex alternation of the words of ``classes`` ("speech_verb" or "month+month_abbreviation"), in file
    order, each word compiled as a vocabulary phrase (:func:`phrase_regex`: white space between tokens, ``a|b``,
    a trailing ``*``) and grouped by first character (:func:`dispatch`: the same matches, faster)."""
    return dispatch([a for w in words(*classes.split("+")) for a in phrase_alternatives(w)], ignorecase)


def fill(template: str, ignorecase: bool = True) -> str:
    """``template`` with each ``{class}`` (or ``{class+class}``) replaced by ``(?:`` its :func:`alternation` ``)``.

    Regex quantifiers (``{2}``, ``{0,3}``) hold digits and are left alone."""
    return _SLOT.sub(lambda m: "(?:" + alternation(m.group(1), ignorecase) + ")", template)


def pattern(template: str, flags: int = 0) -> re.Pattern:
    r"""A compiled regex whose structure is ``template`` and whose lexicon is the word classes it names:
    ``pattern(r"\b{update_verb}\s+(?:to\s+)?$", re.IGNORECASE)``; ``flags`` as for ``re.compile``. The one place
    code turns word classes into regexes."""
    return regex_cache.compile(fill(template, bool(flags & re.IGNORECASE)), flags)


def pattern_later(template: str, flags: int = 0) -> Callable[[], re.Pattern]:
    """:func:`pattern` of ``template`` as a function that compiles it when first called (once per vocabulary folder,
    as :func:`per_vocabulary` caches): for a pattern few documents need (a quarter of the extractor's were never
    used on 558 news reports), whose compiling would cost every run's start."""
    return per_vocabulary(lambda: pattern(template, flags))


@dataclass(frozen=True, slots=True)
class Term:
    category: str  # "" for words that claim a number but are not a figure kind
    term: str
    strong: bool


@dataclass(frozen=True, slots=True)
class Noun:
    unit: str  # person, household, dwelling, km or other
    group: str
    term: str


# After a noun: a footnote mark may follow it ("273,844 damaged homes²"); any other letter or digit makes another word.
_NOUN_END = r"(?!-|(?![\u00b9\u00b2\u00b3\u2070\u2074-\u2079])\w)"


@dataclass(frozen=True)
class Vocabulary:
    terms: dict[str, Term]
    # each term's regex (not compiled: see term_of), its Term, and the characters it can start with (None: any)
    term_sources: list[tuple[str, Term, set[str] | None]]
    term_re: re.Pattern
    nouns: dict[str, Noun]
    noun_re: re.Pattern
    qualifiers_before: list[tuple[str, str]]
    qualifiers_after: list[tuple[str, str]]
    number_words: dict
    distance_units: dict[str, str]
    organisations: list[tuple[str, str]]
    org_re: re.Pattern
    publishers: frozenset[str]  # canonical names of news agencies: they publish figures, they are not their source


@per_vocabulary
def load() -> Vocabulary:
    term_rows = _rows("terms.csv")
    terms = {r["phrase"].lower(): Term(r["category"], r["term"], r["strength"] != "weak") for r in term_rows}
    term_sources = [(r"(?<!\w)(?:" + phrase_regex(p) + r")(?!\w)", t, first_chars(p)) for p, t in terms.items()]
    term_re = regex_cache.compile(r"(?<![\w-])(?:" + _alternation(list(terms)) + r")(?![\w-])", re.IGNORECASE)

    nouns = {r["word"].lower(): Noun(r["unit"], r["group"], r["term"]) for r in _rows("nouns.csv")}
    # A noun starts a word (no letter or digit before it: "today" holds no "day"); in a scan the engine turns every
    # other position away after one look back (see nouns_starting_words).
    noun_re = regex_cache.compile(r"(?<![^\W_])(?:" + _alternation(list(nouns)) + r")" + _NOUN_END, re.IGNORECASE)

    quals = _rows("qualifiers.csv")
    before = sorted(((q["phrase"].lower(), q["qualifier"]) for q in quals if q["side"] == "before"),
                    key=lambda x: -len(x[0]))
    after = sorted(((q["phrase"].lower(), q["qualifier"]) for q in quals if q["side"] == "after"),
                   key=lambda x: -len(x[0]))

    with open(folder() / "numbers.json", encoding="utf-8") as f:
        number_words = json.load(f)

    dist = {r["word"].lower(): r["pint_unit"] for r in _rows("distance_units.csv")}

    org_rows = _rows("organisations.csv")
    orgs = sorted(((r["alias"], r["canonical"]) for r in org_rows), key=lambda x: -len(x[0]))
    publishers = frozenset(r["canonical"] for r in org_rows if r["role"] == "publisher")
    # An acronym is matched as written in capitals, or capitalised when it has four letters or more ("Ocha",
    # "Unicef"): in lower case "who", "un" and "echo" are words, and "Who", "Un" start sentences.
    acronyms = [a for a, _ in orgs if a.isupper()]
    names = [a for a, _ in orgs if not a.isupper()]
    written = [v for a in acronyms for v in ([a, a.capitalize()] if len(a) >= 4 else [a])]
    org_re = regex_cache.compile(
        r"(?<!\w)(?:" + phrase_alternation(names) + r"|(?-i:" + "|".join(map(re.escape, written)) + r"))(?!\w)",
        re.IGNORECASE,
    )
    return Vocabulary(terms, term_sources, term_re, nouns, noun_re, before, after, number_words, dist, orgs, org_re,
                      publishers)


@per_vocabulary(maxsize=4096)
def term_of(matched: str) -> Term | None:
    """Which vocabulary entry a text matched by ``term_re`` belongs to (longest entry first)."""
    best = None
    for pattern, term in _term_patterns(matched[:1]):
        m = pattern.fullmatch(matched)
        if m and (best is None or len(pattern.pattern) > len(best[0].pattern)):
            best = (pattern, term)
    return best[1] if best else None


@per_vocabulary
def _term_patterns(first: str) -> list[tuple[re.Pattern, Term]]:
    """The terms' patterns that can match a text starting with ``first`` (as ``re.IGNORECASE`` matches it), in
    vocabulary order: compiled when a text starting so is first looked up, so a run compiles the few initials its
    texts use, not the 308 patterns (15 ms of every start)."""
    return [(_term_pattern(source), term) for source, term, chars in load().term_sources
            if chars is None or any(re.match(re.escape(c), first, re.IGNORECASE) for c in chars)]


@per_vocabulary
def _term_pattern(source: str) -> re.Pattern:
    return regex_cache.compile(source, re.IGNORECASE)


@per_vocabulary
def word_set(name: str) -> frozenset[str]:
    """A one-entry-per-line vocabulary (``vocab/<name>``, "#" starts a comment line), lower-cased."""
    lines = (folder() / name).read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def countries() -> frozenset[str]:
    """Lower-cased country names from ``vocab/countries.txt``."""
    return word_set("countries.txt")


@per_vocabulary
def nouns_anywhere() -> re.Pattern:
    """``noun_re`` without its look-behind: a noun inside a word too ("today" holds "day"); compiled when first
    asked for (a table header's nouns, see classify)."""
    return regex_cache.compile(r"(?:" + _alternation(list(load().nouns)) + r")" + _NOUN_END, re.IGNORECASE)


@per_vocabulary
def _crossing_nouns() -> re.Pattern | None:
    """The nouns that can match something other than letters and digits ("housing units", "asylum-seekers", the
    mojibake marks of "ménages"), anywhere; None when the vocabulary has none."""
    crossing = [w for w in load().nouns if not (w.isascii() and w.isalnum())]
    return regex_cache.compile(r"(?:" + _alternation(crossing) + r")", re.IGNORECASE) if crossing else None


def nouns_starting_words(text: str, lo: int, hi: int) -> list[re.Match]:
    """The nouns in ``text[lo:hi]`` that start a word: the matches of ``nouns_anywhere().finditer(text, lo, hi)``
    with no letter or digit before them, found with ``noun_re``, which is tried at the starts of words only.

    The two scans agree unless a noun found inside a word runs on into the next one and so hides a noun that starts
    there ("rehousing units"); only a noun holding a space, a hyphen or a mojibake mark can, and where one is found
    the scan of every position is made."""
    crossing = _crossing_nouns()
    if crossing is None or crossing.search(text, lo, hi) is None:
        return list(load().noun_re.finditer(text, lo, hi))
    return [x for x in nouns_anywhere().finditer(text, lo, hi) if not text[x.start() - 1:x.start()].isalnum()]


@per_vocabulary(maxsize=4096)
def noun_of(matched: str) -> Noun:
    """Which vocabulary noun a text matched by ``noun_re`` is (tolerating mojibake and line breaks)."""
    nouns = load().nouns
    key = re.sub(r"\s+", " ", matched.lower())
    if key in nouns:
        return nouns[key]
    for word, noun in nouns.items():
        if re.fullmatch(phrase_regex(word), key, re.IGNORECASE):
            return noun
    raise KeyError(matched)


@per_vocabulary(maxsize=1024)
def organisation_of(matched: str) -> str:
    """Canonical short name of an organisation alias matched by ``org_re``."""
    norm = re.sub(r"\s+", " ", matched).replace("’", "'").lower()
    for alias, canonical in load().organisations:
        if alias.replace("’", "'").lower() == norm:
            return canonical
    return matched
