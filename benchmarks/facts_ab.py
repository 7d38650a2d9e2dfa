"""The CPU of reconciliation (extract/reconcile.py and extract/spill.py) at an older commit and now, interleaved in
one process.

    .venv/bin/python benchmarks/facts_ab.py CORPUS_DIR [--base REV] [--rounds 5]

The corpus is extracted once, by this checkout, and its rows kept. Then the two versions of the reconciler take
them in turn, as ``extract`` gives them: each document's sources row, then its figure rows (``Reconciler.add``:
each figure's flow/stock and revision cues, its claim spilled to disk), then every fact and its links
(``Reconciler.facts``: claims read back, grouped, estimated). Only those two files come from ``--base`` (``git
show``); everything they import is this checkout's. CPU time (user + system) of each step over the corpus, the
median and the best of ``--rounds``; the facts and links of the two must be equal. Writing and checking the facts
tables is not included (``benchmarks/writer_ab.py`` times whole runs of ``extract``).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def documents(corpus: Path) -> list[tuple[dict, list[dict]]]:
    """Each document's sources row and figure rows, as extract_folder hands them to the package writer."""
    from displacement_figures.extract import build

    tasks, _ = build._folder_tasks(corpus, {})
    out = []
    for result in map(build.process_document, tasks):
        if "error" not in result:
            out.append((build._source_row(None, result, result["file"]), result["rows"]))
    return out


def base_module(rev: str, folder: Path) -> ModuleType:
    """extract/reconcile.py of ``rev``, with its extract/spill.py, as modules of this checkout's package."""
    for name in ("spill", "reconcile"):
        text = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:extract/{name}.py"], check=True,
                              capture_output=True, text=True).stdout
        (folder / f"_base_{name}.py").write_text(text.replace("from .spill import", "from ._base_spill import"))
        spec = importlib.util.spec_from_file_location(f"displacement_figures.extract._base_{name}",
                                                      folder / f"_base_{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module


def run(module: ModuleType, docs: list[tuple[dict, list[dict]]], spill: Path) -> tuple[float, float, list]:
    """CPU of adding every row and of computing every fact; the facts and links."""
    rec = module.Reconciler(spill)
    try:
        start = cpu()
        for source, rows in docs:
            rec.add_source(source)
            for row in rows:
                rec.add(row)
        added = cpu()
        facts = list(rec.facts([]))
        return added - start, cpu() - added, facts
    finally:
        rec.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="a folder of documents, as given to extract")
    ap.add_argument("--base", default="42440d5", help="the older commit (default: before issue 18's facts work)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    from displacement_figures.extract import reconcile

    docs = documents(args.corpus)
    figures = sum(len(rows) for _, rows in docs)
    with tempfile.TemporaryDirectory(prefix="facts-ab-") as tmp:
        versions = {"base": base_module(args.base, Path(tmp)), "head": reconcile}
        gc.collect()
        gc.freeze()  # the corpus's rows: no collection need walk them (extract holds a batch of documents, not all)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
        for i in range(args.rounds + 1):  # the first round warms both up and is not counted
            facts = {}
            for name in (list(versions) if i % 2 else list(versions)[::-1]):
                add, reconciled, facts[name] = run(versions[name], docs, Path(tmp) / f"spill-{name}")
                if i:
                    times[name].append((add, reconciled))
            if facts["base"] != facts["head"]:
                print("the facts differ")
                return 1
    print(f"{args.corpus}: {len(docs)} documents, {figures} figures, {len(facts['head'])} facts; CPU s, median / best "
          f"of {args.rounds} (facts and links equal)")
    for step, k in (("add (claims)", 0), ("facts", 1), ("total", None)):
        cells = []
        for name, ts in times.items():
            values = [t[k] if k is not None else sum(t) for t in ts]
            cells.append(f"{name} {statistics.median(values):6.3f} / {min(values):6.3f}")
        print(f"  {step:14} " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
