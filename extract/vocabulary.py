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
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).with_name("vocab")


def _rows(name: str) -> list[dict[str, str]]:
    with open(VOCAB_DIR / name, newline="", encoding="utf-8") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


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
            lit = "".join(
                f"(?:{re.escape(ch)}|[\ufffd?_])" if ch.isalpha() and not ch.isascii() else re.escape(ch)
                for ch in (alt[:-1] if stem else alt)
            ).replace("’", "['’]").replace("\\'", "['’]")
            alts.append(lit + (r"\w*" if stem else ""))
        parts.append(alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")")
    return r"\s+".join(parts)


def _alternation(phrases: list[str]) -> str:
    # Longest phrases first so that "internally displaced" wins over "displac*".
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(phrase_regex(p) for p in ordered)


@dataclass(frozen=True)
class Term:
    category: str  # "" for words that claim a number but are not a figure kind
    term: str
    strong: bool


@dataclass(frozen=True)
class Noun:
    unit: str  # person, household, dwelling, km or other
    group: str
    term: str


@dataclass(frozen=True)
class Vocabulary:
    terms: dict[str, Term]
    term_patterns: list[tuple[re.Pattern, Term]]
    term_re: re.Pattern
    nouns: dict[str, Noun]
    noun_re: re.Pattern
    qualifiers_before: list[tuple[str, str]]
    qualifiers_after: list[tuple[str, str]]
    number_words: dict
    distance_units: dict[str, str]
    organisations: list[tuple[str, str]]
    org_re: re.Pattern


@cache
def load() -> Vocabulary:
    term_rows = _rows("terms.csv")
    terms = {r["phrase"].lower(): Term(r["category"], r["term"], r["strength"] != "weak") for r in term_rows}
    term_patterns = [
        (re.compile(r"(?<!\w)(?:" + phrase_regex(p) + r")(?!\w)", re.IGNORECASE), t) for p, t in terms.items()
    ]
    term_re = re.compile(r"(?<![\w-])(?:" + _alternation(list(terms)) + r")(?![\w-])", re.IGNORECASE)

    nouns = {r["word"].lower(): Noun(r["unit"], r["group"], r["term"]) for r in _rows("nouns.csv")}
    noun_re = re.compile(r"(?:" + _alternation(list(nouns)) + r")(?![\w-])", re.IGNORECASE)

    quals = _rows("qualifiers.csv")
    before = sorted(((q["phrase"].lower(), q["qualifier"]) for q in quals if q["side"] == "before"),
                    key=lambda x: -len(x[0]))
    after = sorted(((q["phrase"].lower(), q["qualifier"]) for q in quals if q["side"] == "after"),
                   key=lambda x: -len(x[0]))

    with open(VOCAB_DIR / "numbers.json", encoding="utf-8") as f:
        number_words = json.load(f)

    dist = {r["word"].lower(): r["pint_unit"] for r in _rows("distance_units.csv")}

    orgs = sorted(((r["alias"], r["canonical"]) for r in _rows("organisations.csv")), key=lambda x: -len(x[0]))
    org_re = re.compile(
        r"(?<!\w)(?:" + "|".join(phrase_regex(a) for a, _ in orgs) + r")(?!\w)",
        re.IGNORECASE,
    )
    return Vocabulary(terms, term_patterns, term_re, nouns, noun_re, before, after, number_words, dist, orgs, org_re)


@lru_cache(maxsize=4096)
def term_of(matched: str) -> Term | None:
    """Which vocabulary entry a text matched by ``term_re`` belongs to (longest entry first)."""
    v = load()
    best = None
    for pattern, term in v.term_patterns:
        m = pattern.fullmatch(matched)
        if m and (best is None or len(pattern.pattern) > len(best[0].pattern)):
            best = (pattern, term)
    return best[1] if best else None


@cache
def countries() -> frozenset[str]:
    """Lower-cased country names from ``vocab/countries.txt``."""
    lines = (VOCAB_DIR / "countries.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


@lru_cache(maxsize=4096)
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


@lru_cache(maxsize=1024)
def organisation_of(matched: str) -> str:
    """Canonical short name of an organisation alias matched by ``org_re``."""
    norm = re.sub(r"\s+", " ", matched).replace("’", "'").lower()
    for alias, canonical in load().organisations:
        if alias.replace("’", "'").lower() == norm:
            return canonical
    return matched
