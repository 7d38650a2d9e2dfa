"""What "100 times quantulum3" leaves per document, next to what the extractor and a bare floor cost.

    .venv/bin/python benchmarks/budget.py [--quantulum-seconds 20] [--rounds 10]

For each source of the benchmark corpus (the seeds and, when present, the IDMC
development excerpts) it times, on one core:

- quantulum3 on the source's documents, and the time per document that 100
  times its speed allows;
- the whole extractor (``extract_document``);
- only the first of its passes, the scan for number mentions (``mentions.find``);
- a floor that does almost nothing: every run of digits found with one regex and
  one keyword looked for around it, a dict per number. No extractor that reads
  the context of its numbers can be cheaper on CPython.

It answers whether the 100x target can be met by tuning: if the floor already
takes a large share of the budget, it cannot. Best of ``--rounds`` runs; the
machine's noise is about ±20%.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import warnings

from throughput import base_documents

_DIGITS = re.compile(r"\d[\d,.]*")
_KEYWORD = re.compile(r"displac|evacu|kill|dead|died|injur|missing|homes|houses|fled|flee|shelter|population",
                      re.IGNORECASE)


def floor(text: str) -> list[dict]:
    """The least an extractor that reads context does: each number and one keyword within 60 characters of it."""
    out = []
    for m in _DIGITS.finditer(text):
        k = _KEYWORD.search(text, max(0, m.start() - 60), m.end() + 60)
        out.append({"value": m.group(), "start": m.start(), "end": m.end(), "term": k.group() if k else None})
    return out


def best_seconds(f, docs: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for text in docs:
            f(text)
        best = min(best, time.process_time() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quantulum-seconds", type=float, default=20, help="at most this long for quantulum3 a source")
    ap.add_argument("--rounds", type=int, default=10, help="best of this many runs of each pass (10)")
    args = ap.parse_args(argv)
    from displacement_figures.extract import mentions
    from displacement_figures.extract.figures import extract_document

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
            parser.parse("warm-up: 5 km")
    except ImportError:
        print("quantulum3 is not installed (pip install -e '.[bench]')", file=sys.stderr)
        return 2
    sources = {name: [text for _, text in docs] for name, docs in base_documents().items()}
    print(f"{'source':10} {'docs':>5} {'bytes/doc':>9} {'quantulum3':>11} {'100x budget':>12} {'extractor':>10} "
          f"{'number scan':>12} {'floor':>8}   (µs per document)")
    for source, docs in sources.items():
        n = len(docs)
        q_docs, t0 = 0, time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for text in docs:
                parser.parse(text)
                q_docs += 1
                if time.process_time() - t0 > args.quantulum_seconds:
                    break
        q_bytes = sum(len(t.encode("utf-8")) for t in docs[:q_docs])
        q_s_per_byte = (time.process_time() - t0) / q_bytes
        size = sum(len(t.encode("utf-8")) for t in docs) / n
        budget = q_s_per_byte * size / 100
        ours = best_seconds(lambda t: extract_document(t, "x"), docs, args.rounds) / n
        scan = best_seconds(mentions.find, docs, args.rounds) / n
        least = best_seconds(floor, docs, args.rounds) / n
        us = 1e6
        print(f"{source:10} {n:5d} {size:9.0f} {q_s_per_byte * size * us:11.0f} {budget * us:12.1f} "
              f"{ours * us:10.1f} {scan * us:12.1f} {least * us:8.1f}")
        print(f"{'':10} extractor = {q_s_per_byte * size / ours:.0f}x quantulum3; the number scan alone is "
              f"{scan / budget:.0%} of the 100x budget, the floor {least / budget:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
