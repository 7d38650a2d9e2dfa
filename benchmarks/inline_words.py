"""How much lexicon the extractor's code still spells out, and how long its functions are (issue 17).

Counts, over ``extract/*.py``:

- inline words: the words of every alternation of three or more words in a string literal (``"said|says|told"``,
  ``r"(?:rose|risen|rises)\\s+to"``), plus every set, list or tuple of three or more word strings;
- functions longer than 60 lines.

Words belong in ``extract/vocab/`` (see extract/README.md); a regex in code carries structure. Run from the
repository root: ``python benchmarks/inline_words.py [-v]``.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

EXTRACT = Path(__file__).resolve().parent.parent / "extract"
WORD = r"[A-Za-z\u00c0-\u024f][\w'’\u00c0-\u024f-]*(?:(?:\\s\+|\\s\*| )[\w'’\u00c0-\u024f-]+)*"
# a run of alternatives that are words, possibly ending in "s?" or ".", between regex punctuation
ALTERNATION = re.compile(rf"(?<![\w\\]){WORD}s?\??\\?\.?(?:\|{WORD}s?\??\\?\.?)+(?![\w\\])")
MAX_LINES = 60


def _strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node
        elif isinstance(node, ast.JoinedStr):
            for v in node.values:
                if isinstance(v, ast.Constant):
                    yield v


def _word_collections(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)) and len(node.elts) >= 3:
            vals = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(vals) == len(node.elts) and all(re.fullmatch(r"[^\W\d_][\w'’ -]*", v) for v in vals):
                yield node, vals


def count(path: Path, verbose: bool = False) -> tuple[int, list[tuple[str, int]]]:
    """(inline words, [(function, lines) over MAX_LINES]) of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    words = 0
    seen_lines = set()
    for node in _strings(tree):
        for m in ALTERNATION.finditer(node.value):
            alts = m.group(0).split("|")
            if len(alts) >= 3:
                words += len(alts)
                if verbose:
                    seen_lines.add((node.lineno, m.group(0)[:100]))
    for node, vals in _word_collections(tree):
        words += len(vals)
        if verbose:
            seen_lines.add((node.lineno, "{" + ", ".join(vals)[:98] + "}"))
    if verbose:
        for line, text in sorted(seen_lines):
            print(f"  {path.name}:{line}: {text}")
    long = [(f.name, f.end_lineno - f.lineno + 1) for f in ast.walk(tree)
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.end_lineno - f.lineno + 1 > MAX_LINES]
    return words, long


def main() -> None:
    verbose = "-v" in sys.argv
    total, longs = 0, []
    for path in sorted(EXTRACT.glob("*.py")):
        words, long = count(path, verbose)
        total += words
        longs += [(f"{path.name}:{name}", n) for name, n in long]
        print(f"{path.name:16} {words:5d} inline words, {len(long)} functions over {MAX_LINES} lines")
    print(f"{'total':16} {total:5d} inline words, {len(longs)} functions over {MAX_LINES} lines")
    for name, n in sorted(longs, key=lambda x: -x[1]):
        print(f"  {name} {n} lines")


if __name__ == "__main__":
    main()
