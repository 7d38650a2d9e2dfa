"""The extractor's own throughput against an older commit, interleaved: ``extract_document`` of two checkouts.

    .venv/bin/python benchmarks/ab.py BASE_CHECKOUT [--head .] [--rounds 7] [--eval ../shared/eval]

    git worktree add /tmp/base 59af526      # the start of issue 14, say (remove it after: git worktree remove)
    .venv/bin/python benchmarks/ab.py /tmp/base

Each checkout is imported in a process of its own (both define the package ``extract``), kept alive for the whole
run; the two are asked in turn to extract every document of the corpus once, so that the machine's load falls on
both alike. Only ``extract_document`` is timed (CPU time of the process), after a warm-up pass; the best of
``--rounds`` passes of each is kept. The corpus: the seed reports and, when ../shared/eval is present, the
development excerpts of humset-dev and idmc-dev. Prints both times and the ratio of throughputs, head / base
(above 1: the head is faster). The figure counts of both are printed too: a speed-up that changes rows is none.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"

# The child: imports the checkout's extractor, then answers each line on stdin with one timed pass over the corpus.
CHILD = r"""
import json, sys, time, warnings
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")
from extract.figures import extract_document
docs = [(p, open(p, encoding="utf-8").read()) for p in json.loads(sys.stdin.readline())]
for _ in sys.stdin:
    t0 = time.process_time()
    n = sum(len(extract_document(text, "doc")) for _, text in docs)
    print(json.dumps([time.process_time() - t0, n]), flush=True)
"""


def corpus(eval_dir: Path) -> list[str]:
    """The documents of the benchmark: the seeds, and the development excerpts when present."""
    paths = sorted(REPO.glob("seeds/*/*.txt"))
    for name in ("humset-dev", "idmc-dev"):
        paths += sorted((eval_dir / name / "docs").glob("*.txt"))
    return [str(p) for p in paths]


def start(checkout: Path, paths: list[str]) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(checkout)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=checkout)
    child.stdin.write(json.dumps(paths) + "\n")
    return child


def one_pass(child: subprocess.Popen) -> tuple[float, int]:
    child.stdin.write("go\n")
    child.stdin.flush()
    seconds, n = json.loads(child.stdout.readline())
    return seconds, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="checkout of the older commit (a git worktree)")
    ap.add_argument("--head", type=Path, default=REPO, help="checkout to compare (default: this one)")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--eval", type=Path, default=EVAL, help="the shared development sets (default: ../shared/eval)")
    args = ap.parse_args()
    paths = corpus(args.eval.resolve())  # the children run in their checkouts: relative paths would not hold
    children = {"base": start(args.base.resolve(), paths), "head": start(args.head.resolve(), paths)}
    for child in children.values():  # warm-up: vocabularies and patterns compile once per process
        one_pass(child)
    best = {name: float("inf") for name in children}
    counts = {}
    for _ in range(args.rounds):
        for name, child in children.items():
            seconds, counts[name] = one_pass(child)
            best[name] = min(best[name], seconds)
    for child in children.values():
        child.stdin.close()
        child.wait()
    mb = sum(len(Path(p).read_text(encoding="utf-8").encode()) for p in paths) / 1e6
    for name in children:
        print(f"{name}: {best[name]:.3f} s CPU for {len(paths)} documents ({mb:.2f} MB), {counts[name]} figures")
    print(f"throughput head/base: {best['base'] / best['head']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
