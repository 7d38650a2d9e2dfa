"""Read a number the way a newsroom writes it.

"280,000", "9 300", "61, 000", "2.000" (continental grouping), "1.5 million",
"2.14 lakh", "one million", "twenty-one", "half a million": each becomes one
exact :class:`~decimal.Decimal`, so 1.16 million is 1160000 and not
1159999.9999999998. Vague quantities ("tens of thousands") are never given a
point value here: :func:`vague_bounds` returns their lexical bounds only.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .vocabulary import load

_SPACES = "\u0020\u00a0\u2009\u202f\u2007"
# Possessive ("++"): only used whole (fullmatch), where giving a group back never helps, and a plain "+" keeps a
# backtracking entry per group (hundreds of MB for a number megabytes long).
GROUPED_COMMA = re.compile(r"\d{1,3}(?:,[" + _SPACES + r"]?\d{3})++")
# Indian grouping: lakhs and crores in pairs of digits before the last three ("1,15,992", "3,75,00,000").
GROUPED_INDIAN = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}")
GROUPED_SPACE = re.compile(r"\d{1,3}(?:[" + _SPACES + r"]\d{3})++")
GROUPED_DOT = re.compile(r"\d{1,3}(?:\.\d{3})++")
DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_SEPARATOR = re.compile(r"[," + _SPACES + "]")


class NotANumber(ValueError):
    """Raised for text that is not a number this module can read."""


def parse_digits(text: str, scaled: bool = False) -> Decimal:
    """Value of a numeral written with digits and separators.

    ``scaled`` says a scale word follows ("1.500 million"), in which case a
    lone ``.ddd`` group is a decimal point rather than continental grouping.
    """
    s = text.strip()
    if not s:
        raise NotANumber(text)
    if GROUPED_COMMA.fullmatch(s) or GROUPED_SPACE.fullmatch(s) or GROUPED_INDIAN.fullmatch(s):
        s = _SEPARATOR.sub("", s)
    elif GROUPED_DOT.fullmatch(s) and (s.count(".") > 1 or not scaled):
        s = s.replace(".", "")
    elif DECIMAL_COMMA.fullmatch(s) and scaled:
        s = s.replace(",", ".")
    try:
        value = Decimal(s)
    except InvalidOperation as e:
        raise NotANumber(text) from e
    if not value.is_finite():
        raise NotANumber(text)
    return value


def scale_of(word: str) -> int | None:
    """Multiplier of a scale word ("million", "lakh", "k", "m"), or None."""
    w = word.lower().strip(".")
    scales = load().number_words["scales"]
    if w in scales:
        return scales[w]
    return {"k": 1000, "m": 1_000_000, "thousand": 1000}.get(w)


def parse_words(text: str) -> Decimal:
    """Value of a number in words: "six", "twenty-one", "one hundred and twenty", "two million"."""
    nw = load().number_words
    s = re.sub(r"\s+", " ", text.lower().strip())
    if s in nw["half"]:
        return Decimal(nw["half"][s])
    if s in nw["units"]:
        return Decimal(nw["units"][s])
    total = 0
    current = None
    for tok in re.split(r"[\s-]+", s):
        if tok == "and":
            continue
        if tok == "dozen":
            current = (current or 1) * 12  # "two dozen" is 24, not two and twelve
        elif tok in nw["units"]:
            current = (current or 0) + nw["units"][tok]
        elif tok in nw["tens"]:
            current = (current or 0) + nw["tens"][tok]
        elif tok in nw["articles_as_one"]:
            current = (current or 0) + 1
        elif tok == "hundred":
            current = (current or 1) * 100
        elif (mult := scale_of(tok)) is not None:
            total += (current or 1) * mult
            current = None
        else:
            raise NotANumber(text)
    if current is None and total == 0:
        raise NotANumber(text)
    return Decimal(total + (current or 0))


def vague_bounds(text: str) -> tuple[int, int] | None:
    """Lexical bounds of a vague quantity ("tens of thousands" -> 20000..99999), or None."""
    s = re.sub(r"\s+", " ", text.lower().strip())
    bounds = load().number_words["vague"].get(s)
    return (bounds[0], bounds[1]) if bounds else None


def as_plain(value: Decimal) -> int | float:
    """An int when the value is whole, else a float: what a CSV cell should show."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
