"""Text as PDF converters and old web archives leave it, repaired once before the grammar reads it.

Four repairs, each only where it yields a word the extractor knows, so that good text is left as it is:

* mojibake: text decoded with the wrong code page ("familyâ€™s") is fixed with ``ftfy``; a run of such marks that
  no decoding explains, glued to a word ("familiesŠ—È homes", "countryŠ—Ès"), is read as the apostrophe it was;
* a word hyphenated inside a line ("fami-lies", "parti-ally") is joined when the joined word is a counted noun, a
  reporting term or a glue word of the vocabulary ("well-being" stays);
* words glued together ("houseswere", "hadevacuated", "January2016") are split when one part is a counted noun or
  a reporting term and the other a short word of the ``glue_word`` class (auxiliaries, "and", "totally"), or a
  month and a year: a real word of that shape is rare ("households" stays: "holds" is no glue word);
* a typo of a counted noun right after a number ("1,200 familis") is read as the noun when it is one letter away
  from the nouns of one kind only (not the noun's other number or spelling: "civilian", "kilometers");
* a PDF symbol-font bullet (U+F0B7 and its kin) is read as the paragraph break it stands for.

The repaired text may differ in length, so :class:`Reading` keeps each repaired piece's span in both texts: a span
read in the repaired text is cited from the original by widening its ends to the pieces they fall in. Rows cite the
text as written (``text[char_start:char_end] == quote`` of the original).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from . import regex_cache
from .vocabulary import dispatch, load, per_vocabulary, phrase_alternatives, word_class_set, words

# The marks of Windows-1252/Mac Roman mojibake: Latin-1 letters and symbols, and the typographic marks of
# Windows-1252's 0x80-0x9F row.
_MOJIBAKE_MARK = "\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e" \
                 "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u00a1-\u00bf"
# A word holding a character that starts UTF-8 read as Windows-1252 or Latin-1 ("Ã", "Â", "â€", "Š"): only such
# words are given to ftfy.
_SUSPECT = re.compile(r"[\u00c2\u00c3\u00c5\u00e2\u00ef\u0160\u00d0\u00d1\u00cb]")
_WORD_BACK = re.compile(r"\S*$")
_NOT_SPACE = re.compile(r"\S*")
# A run of two or more marks glued to a lower-case word, holding a symbol (not only accented letters): "Š—È".
_GLUED_MARKS = re.compile(r"(?<=[a-z])[" + _MOJIBAKE_MARK + r"]{2,4}(?=s\b|\s|[.,;:]|$)")
_SYMBOL = re.compile(r"[\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\u00a1-\u00bf\u00d7]")
_PDF_BULLETS = re.compile(r"[\uf0a7\uf0b7\uf0d8\uf076\uf0fc\uf0a8]")
_HYPHEN = re.compile(r"-(?=[a-z]{2})")  # a hyphen inside a line before two lower-case letters ("fami-lies")
_WORD_BEFORE_ANY = re.compile(r"\b[A-Za-z][a-z]*$")
_WORD_AFTER = re.compile(r"[a-z]+")


@dataclass
class Reading:
    """The text the grammar reads and, for each repaired piece, its span there and in the original."""

    original: str
    text: str
    read_starts: list[int] = field(default_factory=list)
    pieces: list[tuple[int, int, int, int]] = field(default_factory=list)  # (read lo, read hi, orig lo, orig hi)

    def to_original(self, pos: int, end: bool = False) -> int:
        """The original offset of read offset ``pos``; inside a repaired piece, the piece's start (or its end when
        ``end``)."""
        if not self.pieces:
            return pos
        k = bisect_right(self.read_starts, pos) - 1
        if k < 0:
            return pos
        r_lo, r_hi, o_lo, o_hi = self.pieces[k]
        if pos >= r_hi:
            return o_hi + (pos - r_hi)
        if pos == r_lo:
            return o_lo
        return o_hi if end else o_lo

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """The original span of read span ``lo``-``hi``, widened to whole repaired pieces."""
        return self.to_original(lo), self.to_original(hi, end=True)


def read(text: str) -> Reading:
    """The repaired reading of ``text`` (the text itself when nothing needs repair)."""
    edits = sorted(_edits(text))
    if not edits:
        return Reading(text, text)
    out, pieces, last, shift = [], [], 0, 0
    for lo, hi, new in edits:
        if lo < last:
            continue  # overlapping repairs: the first wins
        out.append(text[last:lo])
        r_lo = lo + shift
        out.append(new)
        pieces.append((r_lo, r_lo + len(new), lo, hi))
        shift += len(new) - (hi - lo)
        last = hi
    out.append(text[last:])
    return Reading(text, "".join(out), [p[0] for p in pieces], pieces)


def _edits(text: str):
    """(start, end, replacement) of every repair of ``text``."""
    if not text.isascii():
        yield from _mojibake(text)
        for m in _PDF_BULLETS.finditer(text):
            yield m.start(), m.end(), "\n\n"  # a new item: a paragraph of its own
    if "-" in text:
        yield from _hyphenated(text)
    yield from _glued_or_misspelt(text)


def _mojibake(text: str):
    end = 0
    for c in _SUSPECT.finditer(text):
        if c.start() < end:
            continue  # in the word already looked at
        import ftfy  # only for a text with a suspect word (0.1 s to import)

        start = _WORD_BACK.search(text, max(0, c.start() - 80), c.start()).start()
        end = _NOT_SPACE.match(text, c.start()).end()
        token = text[start:end]
        fixed = ftfy.fix_text(token, unescape_html=False, fix_latin_ligatures=False, fix_character_width=False,
                              uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False,
                              normalization=None, explain=False)
        if fixed != token:
            yield start, end, fixed
            continue
        for g in _GLUED_MARKS.finditer(token):
            if _SYMBOL.search(g.group(0)):
                yield start + g.start(), start + g.end(), "’"


@per_vocabulary
def _nouns() -> frozenset[str]:
    """The counted nouns of one word, lower-cased."""
    return frozenset(w.lower() for w in load().nouns if " " not in w and w.isalpha())


def _known(word: str) -> bool:
    """Whether ``word`` is a counted noun or, whole, a reporting term ("evacuated", "displaced")."""
    return word.lower() in _nouns() or load().term_re.fullmatch(word) is not None


@per_vocabulary
def _nouns_by_start() -> dict[str, frozenset[str]]:
    """The counted nouns of six letters or more, by their first two letters (a typo keeps them, mostly)."""
    out: dict[str, set[str]] = {}
    for w in _nouns():
        if len(w) >= 6:
            out.setdefault(w[:2], set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


@per_vocabulary
def _glue_words() -> frozenset[str]:
    return word_class_set("glue_word")


def _hyphenated(text: str):
    for h in _HYPHEN.finditer(text):
        left = _WORD_BEFORE_ANY.search(text, max(0, h.start() - 40), h.start())
        if left is None or len(left.group(0)) < 2:
            continue
        right = _WORD_AFTER.match(text, h.end())
        joined = left.group(0) + right.group(0)
        if joined not in _JOINS:
            if len(_JOINS) > _MEMO_LIMIT:
                _JOINS.clear()
            _JOINS[joined] = _known(joined) or joined.lower() in _glue_words()
        if _JOINS[joined]:
            yield left.start(), right.end(), joined




@per_vocabulary
def _glued() -> re.Pattern:
    """A counted noun glued to a glue word after it ("houseswere"), a glue word glued to a word of four letters or
    more (checked to be a noun or term: "hadevacuated"), in lower case, or a month glued to a year ("January2016").
    Alternatives grouped by first letter (vocabulary.dispatch)."""
    nouns = dispatch([a for w in sorted(_nouns(), key=len, reverse=True) for a in phrase_alternatives(w)], False)
    glue = dispatch([a for w in sorted(word_class_set("glue_word"), key=len, reverse=True)
                     for a in phrase_alternatives(w)], False)
    months = dispatch([a for w in words("month") for a in phrase_alternatives(w)], False)
    return regex_cache.compile(r"(?<![A-Za-z])(?:(?P<noun>" + nouns + r")(?P<glue_after>" + glue + r")|(?P<glue>" + glue
                               + r")(?P<word>[a-z]{4,})|(?P<month>" + months + r")(?P<year>\d{4}))(?![A-Za-z0-9])")


GLUED_MIN = 7  # "menwere": the shortest glued pair worth looking at
# A white-space separated token of GLUED_MIN characters or more: the tokens of str.split() that long (both
# read white space as str.isspace does).
_LONG_TOKEN = re.compile(rf"\S{{{GLUED_MIN},}}")
_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?*"


# Tokens already found to hold no glued pair, and words after numbers already looked up for a typo: both checks
# are pure functions of the word, and a corpus repeats its words, so each word is looked at once per process.
_CLEAN: set[str] = set()
_TYPOS: dict[str, str | None] = {}
_JOINS: dict[str, bool] = {}  # words hyphenated inside a line, and whether they are joined
_MEMO_LIMIT = 500_000  # words remembered before the memos start afresh (bounded memory on any corpus)


def _glued_or_misspelt(text: str):
    if len(_CLEAN) > _MEMO_LIMIT:
        _CLEAN.clear()
    # Only long white-space separated tokens can hold two words: found once each with set arithmetic, far cheaper
    # than the glued-pair regex tried at every position of every document. The short ones are never made: most
    # tokens are short, and splitting and hashing every one of them cost more than the rest of the repair.
    tokens = _LONG_TOKEN.findall(text)
    if _CLEAN.issuperset(tokens):
        return  # every token already looked at: the common case in a corpus of one kind
    glued = _glued()
    for token in set(tokens) - _CLEAN:
        word = token.strip(_PUNCTUATION)
        m = glued.match(word)
        fixed = _glued_fix(m) if m is not None else None
        if fixed is not None:
            for at in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(m.group(0)) + r"(?![A-Za-z0-9])", text):
                yield at.start(), at.end(), fixed
        elif word.isalpha() and word.islower() and (noun := _typo_of(word)) is not None:
            # "1,200 familis": only right after a number, where the counted noun stands
            for at in re.finditer(r"\d[ \t]+(" + word + r")\b", text):
                yield at.start(1), at.end(1), noun
        else:
            _CLEAN.add(token)


def _typo_of(word: str) -> str | None:
    """The counted noun ``word`` misspells, or None (looked up once per word)."""
    if len(_TYPOS) > _MEMO_LIMIT:
        _TYPOS.clear()
    if word not in _TYPOS:
        _TYPOS[word] = None if word in _nouns() or _known(word) else _one_letter_off(word)
    return _TYPOS[word]


def _glued_fix(m: re.Match) -> str | None:
    """The two words a glued token is read as, or None when it is no glued pair."""
    if m.group("noun"):
        return m.group("noun") + " " + m.group("glue_after")  # "houses were"
    if m.group("month"):
        return m.group("month") + " " + m.group("year")  # "January 2016"
    if _known(m.group("word")) and m.group(0) not in _nouns():
        return m.group("glue") + " " + m.group("word")  # "had evacuated"
    return None


def _one_letter_off(word: str) -> str | None:
    """The counted noun of six letters or more that ``word`` misspells by one letter left out, added or changed,
    or two swapped, when there is exactly one."""
    found = sorted(n for n in _nouns_by_start().get(word[:2], ())
                   if abs(len(n) - len(word)) <= 1 and _one_edit(word, n) and not _variant(word, n))
    kinds = {(load().nouns[n].unit, load().nouns[n].term) for n in found}
    return found[-1] if len(kinds) == 1 else None  # "familis": families or familias, households either way


def _variant(word: str, noun: str) -> bool:
    """Whether ``word`` is the noun in the other number ("civilian", "migrant") or its other spelling
    ("kilometers", "liters"): a word of its own, not a typo."""
    return word + "s" == noun or noun + "s" == word or word.replace("er", "re") == noun.replace("er", "re")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one edit (a letter left out, added or changed, or two neighbours swapped)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    return a[i:] == b[i + 1:] if len(a) < len(b) else a[i + 1:] == b[i:]
