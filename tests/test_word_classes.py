"""The word classes of ``extract/vocab/words.csv``: each written once, each read by the code, each compiled.

A class nobody reads is a list that drifted out of use; a word listed twice in a class, or a class the code names
but the file lacks, is a typing slip. Every class must also compile as the regex alternation the patterns use.
"""

from __future__ import annotations

import ast
import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from displacement_figures.extract.vocabulary import alternation, fill, word_classes

EXTRACT = Path(__file__).resolve().parent.parent / "extract"
CODE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(EXTRACT.glob("*.py")))


def _rows() -> list[dict[str, str]]:
    with open(EXTRACT / "vocab" / "words.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_no_word_twice_in_a_class():
    counts = Counter((r["class"], r["word"]) for r in _rows())
    assert [k for k, n in counts.items() if n > 1] == []


def test_every_row_has_a_class_and_a_word():
    assert all(re.fullmatch(r"[a-z_]+", r["class"]) and r["word"].strip() == r["word"] != "" for r in _rows())


@pytest.mark.parametrize("name", sorted(word_classes()))
def test_every_class_is_read_by_the_code(name):
    assert re.search(r"\{(?:[a-z_]+\+)*" + name + r"(?:\+[a-z_]+)*\}|[\"']" + name + r"[\"']", CODE), (
        f"word class {name} is not used in extract/*.py")


@pytest.mark.parametrize("name", sorted(word_classes()))
def test_every_class_compiles_to_its_words(name):
    for ignorecase, flags in ((True, re.IGNORECASE), (False, 0)):
        rx = re.compile(r"(?:" + alternation(name, ignorecase) + r")", flags)
        for word in word_classes()[name]:
            assert rx.fullmatch(word.replace(" ", "\n")), (name, word)


def _plain_strings() -> str:
    """The regex literals of extract/*.py (holding a group, an escape or a lone slot), outside f-strings (whose braces
    are fields) and docstrings."""
    out = []
    for p in sorted(EXTRACT.glob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        in_f = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        in_f |= {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}  # docstrings
        out += [n.value for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in in_f
                and ("(?" in n.value or "\\" in n.value or re.fullmatch(r"\{[a-z_+]+\}", n.value))]
    return "\n".join(out)


def test_every_class_the_code_names_exists():
    named = {c for m in re.finditer(r"\{([a-z_]+(?:\+[a-z_]+)*)\}", _plain_strings()) for c in m.group(1).split("+")}
    assert named - set(word_classes()) == set()


def test_quantifiers_are_left_alone():
    assert fill(r"a{2}b{0,3}") == r"a{2}b{0,3}"
