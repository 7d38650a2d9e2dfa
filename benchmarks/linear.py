"""Linear time on input a regex could backtrack on: the extractor's complexity, measured here, not in tests.

    .venv/bin/python benchmarks/linear.py [--family NAME]

For each family of ``tests/hostile_corpus.py`` (runs of digits, spaces, parentheses, capitalised words, number
words, table rows...), the extractor is timed on a long run of it and on twice that run. Quadratic work takes
four times as long at twice the size; linear work twice. Each family is also compared with news text of the same
size, within a bound of its own (text dense with numbers does more work per character, legitimately). Then 10 MB
of news without one line break, against its first megabyte.

Each size is timed at the length where one run takes about 30 ms (8 kB to 1 MB), the best of a few runs, and
measured again with more runs before a family is called a failure, so a loaded machine does not fail it. Prints
PASS or FAIL per family and exits 1 when one fails. ``make bench`` runs it; the tests keep only a guard against
hanging (tests/conftest.py ``hang_guard``).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from hostile_corpus import FAMILIES, LINE_BREAKS, nasty_corpus, normal, seed_text

from displacement_figures.extract.figures import extract_document

MIN_SIZE, MAX_SIZE, TARGET_SECONDS = 8_000, 1_100_000, 0.030
MAX_DOUBLING = 3.0  # time at twice the size over time at the size: 2 when linear, 4 when quadratic
MAX_TEN_MB = 25.0  # 10 MB over its first MB: 10 when linear, 100 when quadratic


def best_of(text: str, repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        extract_document(text, "linear")
        best = min(best, time.perf_counter() - t0)
    return best


def news_seconds_per_character() -> float:
    extract_document(normal(2000), "warm-up")
    return best_of(normal(128_000), 3) / 128_000


def family(name: str, per_char: float) -> tuple[bool, str]:
    """Whether one family is linear and within its bound of news text, and the numbers that say so."""
    make, bound = FAMILIES[name]
    probe = best_of(make(MIN_SIZE), 2)
    size = min(MAX_SIZE, max(MIN_SIZE, int(MIN_SIZE * TARGET_SECONDS / max(probe, 1e-5)) // 1000 * 1000))
    for repeats in (2, 4):
        once = best_of(make(size), repeats)
        twice = best_of(make(2 * size), repeats)
        news = per_char * size
        ok = twice / once < MAX_DOUBLING and once / news < bound
        if ok:
            break
    return ok, (f"{once * 1000:.0f} ms for {size:,} characters, x{twice / once:.2f} at twice that (< {MAX_DOUBLING:g}); "
                f"x{once / news:.1f} news text of that size (< {bound})")


def ten_megabytes_on_one_line() -> tuple[bool, str]:
    """News with hostile fragments every few kB, 10 MB without a line break, against its first MB."""
    unit = seed_text() + " " + " ".join(list(nasty_corpus().values())[i][:300] for i in range(0, 40, 4))
    unit = unit.translate({ord(c): " " for c in LINE_BREAKS})
    text = (unit * (10_000_000 // len(unit) + 1))[:10_000_000]
    small = best_of(text[:1_000_000], 1)
    large = best_of(text, 1)
    return large < MAX_TEN_MB * small, f"{large:.1f} s for 10 MB, {small:.2f} s for its first MB (x{large / small:.1f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--family", action="append", choices=list(FAMILIES), help="only this family (repeatable)")
    ap.add_argument("--no-ten-mb", action="store_true", help="skip the 10 MB line")
    args = ap.parse_args(argv)
    per_char = news_seconds_per_character()
    results = [(name, *family(name, per_char)) for name in (args.family or FAMILIES)]
    if not args.no_ten_mb:
        results.append(("10 MB without a line break", *ten_megabytes_on_one_line()))
    for name, ok, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
