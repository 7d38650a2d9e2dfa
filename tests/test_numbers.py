"""Property tests for the number parser: a formatted number reads back as itself."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from displacement_figures.extract import mentions, numbers
from displacement_figures.extract.figures import extract_document

counts = st.integers(min_value=1000, max_value=10**12)


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(counts, st.sampled_from([",", " ", "\u00a0", "\u202f", ", "]))
def test_grouped_digits_read_back(n, sep):
    assert numbers.parse_digits(_group(n, sep)) == n


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9),
       st.sampled_from([("million", 10**6), ("billion", 10**9), ("lakh", 10**5)]))
def test_scaled_decimals_are_exact(whole, tenth, scale):
    word, mult = scale
    text = f"{whole}.{tenth} {word} people fled"
    m = next(x for x in mentions.find(text) if x.accepted)
    assert m.value == (Decimal(whole) + Decimal(tenth) / 10) * mult


@given(st.integers(min_value=1, max_value=99))
def test_number_words_read_back(n):
    units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
             "nineteen"]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    word = units[n] if n < 10 else teens[n - 10] if n < 20 else tens[n // 10] + ("-" + units[n % 10] if n % 10 else "")
    assert numbers.parse_words(word) == n


@given(st.integers(min_value=1, max_value=19))
def test_dozens_multiply(n):
    units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    assert numbers.parse_words(f"{units[n - 1]} dozen") == 12 * n
    assert numbers.parse_words("a dozen") == numbers.parse_words("dozen") == 12


@given(counts)
def test_a_count_in_a_sentence_is_found_once(n):
    rows = extract_document(f"Floods displaced {n:,} people.", "t")
    assert [r["value"] for r in rows] == [n]


@given(st.text(max_size=300))
def test_any_text_extracts_without_error_and_cites_exactly(text):
    for r in extract_document(text, "t"):
        assert text[r["char_start"]:r["char_end"]] == r["quote"]
        assert r["value_low"] is None or r["value"] is None or r["value_low"] <= r["value"]
        assert r["value_high"] is None or r["value"] is None or r["value"] <= r["value_high"]
