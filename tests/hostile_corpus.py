"""Hostile text for the extractor, generated in code (nothing large is committed).

Three kinds of input, used by ``tests/test_hostile.py``:

- :func:`nasty_corpus`: named documents a newsroom never writes but a scraper,
  a PDF converter or an attacker can produce: every Unicode digit and space,
  right-to-left text and bidi controls, control characters, 40-digit numbers,
  "1e308", nested parentheses, huge lines;
- :data:`FAMILIES`: for each construct a regex of the extractor could
  backtrack on, a generator of a long run of it, to time against news text of
  the same size;
- :func:`seed_text`: the real seed documents, to splice junk into and to time
  against.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "syria-2024-12"


@cache
def seed_text() -> str:
    """All seed documents of the collection, one after another."""
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


@cache
def seed_sentences() -> tuple[str, ...]:
    """The seed documents cut at line breaks and full stops: material to splice junk into."""
    out = []
    for line in seed_text().splitlines():
        out += [s.strip() + "." for s in line.split(". ") if s.strip()]
    return tuple(out)


def repeat(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def normal(size: int) -> str:
    """News text of ``size`` characters: the seed documents, repeated."""
    return repeat(seed_text() + "\n\n", size)


def _category(cat: str) -> str:
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == cat)


@cache
def unicode_digits() -> str:
    """Every decimal digit of Unicode (category Nd, 660 of them): all of them are ``\\d`` to Python's re."""
    return _category("Nd")


@cache
def unicode_spaces() -> str:
    """Every space separator of Unicode (category Zs)."""
    return _category("Zs")


@cache
def digit_scripts() -> list[str]:
    """The ten digits 0-9 of each script that has them, as 10-character strings ("٠١٢٣٤٥٦٧٨٩", "０１...")."""
    out, digits = [], unicode_digits()
    for i, ch in enumerate(digits):
        if unicodedata.digit(ch) == 0 and digits[i:i + 10] and len(digits[i:i + 10]) == 10 and all(
                unicodedata.digit(c) == k for k, c in enumerate(digits[i:i + 10])):
            out.append(digits[i:i + 10])
    return out


def in_script(n: int, script: str, group: str = ",") -> str:
    """``n`` written with a script's digits, grouped by thousands with ``group``."""
    return f"{n:,}".replace(",", "\0").translate(str.maketrans("0123456789", script)).replace("\0", group)


BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
CONTROLS = "".join(chr(c) for c in [*range(32), 127, *range(0x80, 0xA0)])
COMBINING = "\u0300\u0301\u0308\u0327\u0338\u20dd\u0e31\u064b\u05b4\u093c"
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

SENTENCE = "Some 5,000 people were displaced and 12 killed in Homs, 30 km from Hama, the UN said."


def nasty_corpus(size: int = 20_000) -> dict[str, str]:
    """Named hostile documents of about ``size`` characters (a few are short by nature)."""
    digits, spaces = unicode_digits(), unicode_spaces()
    scripts = digit_scripts()
    corpus = {
        "every unicode digit": digits,
        "every unicode digit, grouped": " ".join(digits[i:i + 3] for i in range(0, len(digits), 3)),
        "every script's 5,000 people were displaced": " ".join(
            f"{in_script(5000, s)} people were displaced from Homs, {in_script(30, s)} km from Hama." for s in scripts),
        "every script's digits, grouped by every space": " ".join(
            f"{in_script(158000, s, sp)} people fled" for s in scripts[:12] for sp in spaces),
        "every unicode space around a figure": " ".join(
            f"Some{sp}5{sp}000{sp}people{sp}were{sp}displaced{sp}30{sp}km{sp}from{sp}Hama." for sp in spaces),
        "every unicode space, repeated": repeat(spaces, size),
        "line breaks of every kind": repeat("5,000 people" + LINE_BREAKS + "were displaced" + LINE_BREAKS, size),
        "right-to-left arabic with figures": repeat(
            "نزح حوالي ٥٠٠٠ شخص من حمص، على بعد ٣٠ كم من حماة. Some 5,000 people fled Homs. ", size),
        "right-to-left hebrew": repeat("כ-5,000 איש נעקרו מבתיהם, 30 ק\"מ מחיפה. ", size),
        "bidi controls inside numbers": repeat(
            "Some 5" + BIDI[7] + ",000 people were displaced, 3" + BIDI[2] + "0 km from Hama" + BIDI, size),
        "bidi override over a sentence": repeat("\u202e" + SENTENCE + "\u202c ", size),
        "zero-width characters": repeat("".join(c + ch for c, ch in zip(SENTENCE, ZERO_WIDTH * 20)), size),
        "control characters": repeat(CONTROLS + SENTENCE, size),
        "control characters inside a figure": repeat("Some 5\x00,000\x1b[31m people\x7f were \x85displaced. ", size),
        "combining marks on digits and words": repeat(
            "".join(c + COMBINING[i % len(COMBINING)] for i, c in enumerate(SENTENCE)), size),
        "emoji and astral digits": repeat("Some 𝟓,𝟎𝟎𝟎 👨‍👩‍👧 people were displaced 🏚️, 𝟑𝟎 km from Hama. ", size),
        "fullwidth forms": repeat("Ｓｏｍｅ ５，０００ ｐｅｏｐｌｅ were displaced, ３０ ｋｍ from Hama. ", size),
        "nested parentheses": "(" * (size // 2) + SENTENCE + ")" * (size // 2),
        "parenthesised conversions, nested": repeat("5 km ((((((3 miles)))))) from Hama and 5,000 (((people))) fled ",
                                                    size),
        "unbalanced parentheses": repeat("5,000 people (about 3 (families were displaced ", size),
        "40-digit numbers": repeat("1234567890123456789012345678901234567890 people were displaced, ", size),
        "40-digit numbers, grouped": repeat(f"{10**39 + 7:,} people were displaced and {10**39:,} km from Hama. ",
                                            size),
        "400-digit number": "9" * 400 + " people were displaced, " + "9" * 400 + " km from Hama.",
        "floats that overflow": repeat("1e308 people were displaced, 1.7976931348623157e308 km from Hama, "
                                       "inf people killed, NaN people fled, 1e-308 km away. ", size),
        "number words that multiply": "Some one" + " hundred" * 3000 + " people were displaced.",
        "number words, repeated": repeat("one ", size) + " people were displaced.",
        "scales stacked": "Some 5 " + "million " * 2000 + "people were displaced, " + "9 " * 100 + "billion km away.",
        "vague quantities nested": repeat("tens of ", size // 2) + "thousands of people were displaced.",
        "hedges repeated": repeat("about ", size // 2) + "5,000 people were displaced.",
        "capitalised words": repeat("Aa ", size) + " 5,000 people fled and 30 km from Hama.",
        "one long word": "a" * size + " 5,000 people were displaced.",
        "one long capitalised word before a source": "A" * size + " x said 5,000 people were displaced.",
        "no spaces at all": repeat("5,000people-were-displaced30km-from-Hama", size),
        "punctuation only": repeat("!?.,;:()[]{}\"'“”‘’«»–—-…/\\|@#$%^&*+=~`", size),
        "digits with every separator": repeat("1,1.1 1\u00a01\u202f1\u20091'1’1_1-1/1:1;", size),
        "digits and spaces": repeat("1 ", size),
        "digits and line breaks": repeat("1\n", size),
        "distances in one sentence": repeat("It is 5 km from Hama which is 3 miles from Homs, ", size),
        "populations in one sentence": repeat("a town of 5,000 people in Homs and ", size),
        "inserted clauses": repeat("5,000 people (about 1,000 families) and 3,000 people, including 5 children, fled ",
                                   size),
        "reference periods": repeat("in the past " + " " * 50 + "week since the war as of Monday ", size) + SENTENCE,
        "attribution cues": repeat("according to the the the officials said told reported ", size) + SENTENCE,
        "whitespace runs between words": repeat("5,000" + " " * 300 + "people" + "\t" * 300 + "were displaced ", size),
        "lone surrogate-free mojibake": repeat("Some 5,000 famÃ\u00adlias fueron desplazadas \ufffd\ufffd 30 km de Hama. ",
                                               size),
        "a Markdown table, repeated": ("| District | Displaced families | Deaths |\n|---|---|---|\n"
                                       + repeat("| Sylhet | 1,200 | 5 |\n", size)),
        "a flattened table on one line": "Region | Displaced | Deaths — " + repeat("Bicol | 1,200 | 5; ", size),
        "table bars without a table": repeat("| 1 | a |\n|", size),
        "an aligned table, repeated": "District   Displaced   Deaths\n" + repeat("Sylhet     1,200       5\n", size),
        "labelled lines under a heading": "DISPLACED BY DISTRICT\n" + repeat("Sylhet: 1,200\n", size),
        "colons and digits on one line": repeat("1:2: 3 ", size),
        "sentence of a single figure": "5",
        "empty": "",
        "only spaces": " " * size,
    }
    return corpus


# Families of constructs a regex could backtrack on, each with the character budget that keeps its timing run
# short: text dense with numbers does more work per character than news, legitimately, but linearly. The bound is
# on extraction time relative to news text of the same size; a quadratic pattern exceeds it by orders of magnitude
# at these sizes (before the fixes, "Mr. A " was 60x at 20 KB, "5 km (" + spaces over 600x).
FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    "news text itself": (normal, 3),
    "comma-grouped digit runs 1,1,1": (lambda n: repeat("1,", n), 10),
    "comma-space-grouped 100, 100, 100,": (lambda n: repeat("100, ", n) + ",", 10),
    # Every number here is read in full: since 1.1.0 also for places counted after it, a toll subject, a
    # bracketed list or a subset (about 15% more per number, the doubling test still holds): 33x and 37x on a
    # quiet machine, so 50, not 40, leaves room for a loaded one.
    "space-separated digits 1 1 1": (lambda n: repeat("1 ", n), 50),
    "no-break-space-grouped digits": (lambda n: repeat("1\u00a0000\u00a0", n), 40),
    "digits and line breaks 1\\n1\\n": (lambda n: repeat("1\n", n), 50),
    "long run of spaces": (lambda n: "5 people" + " " * n + "x", 10),
    "long run of spaces after a unit and (": (lambda n: "5 km (" + " " * n + "x", 10),
    "long run of spaces after 'in'": (lambda n: repeat("5 people fled in" + " " * 200 + "x ", n), 10),
    "open parentheses ((((": (lambda n: "(" * n, 10),
    "parenthesised numbers (1)(1)": (lambda n: repeat("(1)", n), 40),
    "hedge words about about": (lambda n: repeat("about ", n) + "5 people fled", 10),
    "capitalised words Aa Aa": (lambda n: repeat("Aa ", n), 10),
    "places after prepositions": (lambda n: repeat("fled Aa ", n), 10),
    "one long word": (lambda n: "a" * n, 10),
    "one long capitalised word before 'said'": (lambda n: "A" * n + " x said 5 people were displaced.", 10),
    "hyphenated capitals A-A-A before 'said'": (lambda n: repeat("A-", n) + " x said 5 people were displaced.", 10),
    "number words one one one": (lambda n: repeat("one ", n), 10),
    "vague quantities tens of tens of": (lambda n: repeat("tens of ", n), 10),
    "abbreviations Mr. A Mr. A": (lambda n: repeat("Mr. A ", n), 10),
    "a word then a line break": (lambda n: "a" * n + "!b\nC", 10),
    "distances in one sentence": (lambda n: repeat("5 km from Aa ", n), 40),
    "'which is' distances in one sentence": (lambda n: "Intro. " + repeat("Homs which is 5 km from Hama ", n), 40),
    "populations in one sentence": (lambda n: "Intro. " + repeat("a town of 5 people ", n), 40),
    "inserted clauses": (lambda n: repeat("5 people (about 4 families) fled ", n), 40),
    "Markdown table rows": (lambda n: "| Area | Displaced | Deaths |\n" + repeat("| Aa | 1,200 | 5 |\n", n), 40),
    "flattened table rows": (lambda n: "Area | Displaced | Deaths — " + repeat("Aa | 1,200 | 5; ", n), 40),
    "aligned table rows": (lambda n: "Area   Displaced   Deaths\n" + repeat("Aa     1,200       5\n", n), 40),
    "labelled lines": (lambda n: "DISPLACED BY AREA\n" + repeat("Aa: 1,200\n", n), 40),
    "colons before digits": (lambda n: repeat("a: 1:", n), 40),
    "words broken at line ends": (lambda n: repeat("5 people were dis-\nplaced, 3 homes dam- \n  aged; ", n), 40),
    "bracketed lists of places": (lambda n: "12 deaths (" + repeat("Aa 1, ", n) + ")", 40),
    "dates after periods": (lambda n: repeat("as of Oct. 25, 5 people fled since 7 October 2023 ", n), 40),
}
