"""Golden sentences: each line of ``tests/golden/*.jsonl`` is a text and every figure a reader takes from it.

A case is ``{"text": ..., "figures": [{"category", "term", "value", "unit", "rule"}, ...], "note": ...}``; a vague
quantity or range has ``value`` null and its bounds ``value_low``/``value_high``; ``figures`` is empty for a text
that states numbers but no figure (``negatives.jsonl``). The extractor must give exactly those figures, in that
order, by that rule. To teach the extractor a sentence, add a line; to add a rule or a word class, add the lines
that need it: the sweep tests below fail for a documented rule or a word class no case exercises.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from displacement_figures.extract.figures import extract_document
from displacement_figures.extract.vocabulary import alternation, word_classes

GOLDEN = Path(__file__).with_name("golden")
CATEGORIES = ("displacement", "casualties", "population", "distance")


def _cases() -> list[tuple[str, int, dict]]:
    out = []
    for path in sorted(GOLDEN.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                out.append((path.name, n, json.loads(line)))
    return out


CASES = _cases()


@pytest.mark.parametrize("case", [c for _, _, c in CASES], ids=[f"{f}:{n}" for f, n, _ in CASES])
def test_golden_sentence(case):
    rows = extract_document(case["text"], "golden")
    got = [{k: r[k] for k in wanted} for r, wanted in zip(rows, case["figures"])]
    assert len(rows) == len(case["figures"]), [(r["quote"], r["term"], r["rule"]) for r in rows]
    assert got == case["figures"]


def test_at_least_250_cases():
    assert len(CASES) >= 250


def _documented_rules() -> set[str]:
    """The rules named in extract/README.md's table and the rules of the seed package's figures."""
    readme = (Path(__file__).resolve().parent.parent / "extract" / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `([<>a-z]+:[a-z+_]+)` \|", readme, re.MULTILINE))
    assert named, "extract/README.md lists no rules"
    return named


def _covered(rule: str, rules: set[str]) -> bool:
    if rule.startswith("<category>:"):
        return any(f"{c}:{rule.split(':', 1)[1]}" in rules for c in CATEGORIES)
    return rule in rules


def test_every_documented_rule_has_a_case():
    rules = {f["rule"] for _, _, c in CASES for f in c["figures"]}
    assert [r for r in sorted(_documented_rules()) if not _covered(r, rules)] == []


@pytest.mark.parametrize("name", sorted(word_classes()))
def test_every_word_class_has_a_case(name):
    """Some golden text holds a word of the class: a class no sentence exercises is visible here."""
    rx = re.compile(r"(?<!\w)(?:" + alternation(name) + r")(?!\w)", re.IGNORECASE)
    assert any(rx.search(c["text"]) for _, _, c in CASES), f"no golden case holds a word of {name}"
