"""The CPU `extract` spends around the extractor, in two checkouts, interleaved: reading, checking, writing and
validating the package.

    .venv/bin/python benchmarks/writer_ab.py BASE_CHECKOUT CORPUS_DIR [--head .] [--rounds 5] [--workdir DIR]

    git worktree add /tmp/base 9d8bdf7      # an older commit (remove it after: git worktree remove /tmp/base)
    .venv/bin/python benchmarks/writer_ab.py /tmp/base ~/corpus/dense --workdir /tmp/writer-ab

Each checkout runs in a process of its own, which first extracts every document of CORPUS_DIR once and keeps its
rows. Then the two are asked in turn to run ``extract_folder`` on the corpus with the extractor answering from
those rows, so that all the rest is timed: each document read, hashed, converted and its rows checked, the tables
written and checked as written, the texts stored, the facts reconciled, the package validated and swapped in. CPU
time of the process, user + system, by phase (each phase without the phases inside it), the median and the best of
``--rounds`` runs. System time is mostly creating files (one stored text per document): it varies with what the
file system did in the last minutes, so each run writes a new package under ``--workdir`` and nothing is deleted.
The packages the two checkouts write are compared: a speed-up that changes a byte is none.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The child: imports a checkout, extracts the corpus once, then answers each line on stdin (a new output folder)
# with the CPU seconds of one extract_folder by phase.
CHILD = r"""
import functools, json, resource, sys, warnings
from pathlib import Path
sys.path.insert(0, sys.argv[1])
warnings.simplefilter("ignore")
from displacement_figures.extract import aswritten, build, package

corpus = Path(sys.argv[2])
tasks, _ = build._folder_tasks(corpus, {})
rows = {r["source_id"]: r.get("rows") for r in map(build.process_document, tasks)}
build.extract_document = lambda text, source_id: [dict(r) for r in rows[source_id]]
spent, stack = {}, []

def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime

def timed(owner, name, phase):
    real = getattr(owner, name, None)
    if real is None:  # an older checkout
        return
    @functools.wraps(real)
    def run(*args, **kwargs):
        stack.append(phase)
        start = cpu()
        try:
            return real(*args, **kwargs)
        finally:
            took = cpu() - start
            stack.pop()
            spent[phase] = spent.get(phase, 0.0) + took
            if stack:  # each phase without the phases inside it
                spent[stack[-1]] = spent.get(stack[-1], 0.0) - took
    setattr(owner, name, run)

timed(build, "process_document", "read, hash, convert, check rows")
timed(package.PackageWriter, "add_text", "store texts")
timed(package.PackageWriter, "add_documents", "write sources, figures, views, claims")
timed(aswritten.AsWritten, "flush", "check tables as written")
timed(package.PackageWriter, "_write_facts", "reconcile, write facts")
timed(package.PackageWriter, "finish", "descriptor, README, validate, swap")
for line in sys.stdin:
    spent.clear()
    start = cpu()
    build.extract_folder(corpus, Path(line.strip()))
    spent["total"] = cpu() - start
    print(json.dumps(spent), flush=True)
"""


def digests(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file under ``folder``, by its path in it."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", type=Path, help="checkout of the older commit (a git worktree)")
    ap.add_argument("corpus", type=Path, help="a folder of documents, as given to extract")
    ap.add_argument("--head", type=Path, default=REPO, help="checkout to compare (default: this one)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=None, help="where the packages go (default: a new temp folder)")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="writer-ab-"))
    work.mkdir(parents=True, exist_ok=True)
    checkouts = {"base": args.base.resolve(), "head": args.head.resolve()}
    children = {name: subprocess.Popen([sys.executable, "-c", CHILD, str(c), str(args.corpus.resolve())],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=c)
                for name, c in checkouts.items()}
    stamp = time.strftime("%Y%m%d-%H%M%S")
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in children}
    outs: dict[str, Path] = {}
    for i in range(args.rounds + 1):  # the first round warms both up and is not counted
        for name in (list(children) if i % 2 else list(children)[::-1]):
            outs[name] = work / f"{stamp}-{name}-{i}"
            children[name].stdin.write(f"{outs[name]}\n")
            children[name].stdin.flush()
            spent = json.loads(children[name].stdout.readline())
            if i:
                runs[name].append(spent)
    for child in children.values():
        child.stdin.close()
        child.wait()
    base, head = digests(outs["base"]), digests(outs["head"])
    differ = sorted(p for p in base.keys() | head.keys() if base.get(p) != head.get(p))
    print(f"{args.corpus}: CPU s (user + system) of extract with the extractor's rows cached, median / best of "
          f"{args.rounds}; packages {'DIFFER: ' + ', '.join(differ[:5]) if differ else 'identical'} ({work})")
    phases = sorted(runs["base"][0], key=lambda k: (k != "total", -runs["base"][0][k]))
    for phase in phases:
        cells = []
        for name in children:
            values = [r.get(phase, 0.0) for r in runs[name]]
            cells.append(f"{name} {statistics.median(values):6.3f} / {min(values):6.3f}")
        print(f"  {phase:40} " + "   ".join(cells))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
