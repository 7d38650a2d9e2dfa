"""Throughput of the extractor on a large synthetic corpus, next to quantulum3 on the same text.

    .venv/bin/python benchmarks/throughput.py [--mb 50] [--quantulum-mb 0.5] [--quantulum-seconds 60]

The corpus is the seed reports (seeds/syria-2024-12/) and, when it sits beside
the repository, the IDMC development excerpts (../shared/eval/idmc-dev/docs/),
repeated until it reaches ``--mb`` megabytes (10^6 bytes of UTF-8). Documents
are generated one at a time and their rows counted and dropped: the corpus is
never held, so memory must stay flat however large it grows.

quantulum3 (what one would otherwise use to pull quantities out of text) runs
in the same process, on the first documents of the same stream, until it has
read ``--quantulum-mb`` or spent ``--quantulum-seconds``; it is two orders of
magnitude slower, so it gets a prefix. The extractor is timed again on exactly
that prefix, and the ratio is taken there.

Speeds are MB per CPU second of this single process (one core); wall-clock
speeds are reported too. Peak and current resident memory are recorded at
10%, 50% and 100% of the corpus. The results go to stdout as a table and to
benchmarks/out/throughput.json, and each target is marked PASS or FAIL; the
exit status is 1 when one fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds" / "syria-2024-12"
DEV = REPO.parent / "shared" / "eval" / "idmc-dev" / "docs"
OUT = REPO / "benchmarks" / "out"
MB = 1_000_000
CHECKPOINTS = (0.1, 0.5, 1.0)

# Targets of the issue: at least 1 MB/s on one core, over 100 times quantulum3, memory flat as the corpus grows
# (resident memory at 100% of the corpus within FLAT_TOLERANCE of what it was at 10%).
MIN_MB_S = 1.0
MIN_RATIO = 100.0
FLAT_TOLERANCE = 0.10

sys.path.insert(0, str(REPO))


def base_documents(dev: Path = DEV) -> list[tuple[str, str, str]]:
    """(source, source_id, text) of the documents the corpus repeats: the seeds, then the dev excerpts if present."""
    docs = [("seeds", p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    if dev.is_dir():
        docs += [("idmc-dev", p.stem, p.read_text(encoding="utf-8")) for p in sorted(dev.glob("*.txt"))]
    if not docs:
        raise SystemExit(f"no documents in {SEEDS}")
    return docs


def corpus(base: list[tuple[str, str, str]], limit: int) -> Iterator[tuple[str, str, str, int]]:
    """(source, source_id, text, bytes), cycling through ``base`` until ``limit`` bytes; one document at a time."""
    sizes = [len(text.encode("utf-8")) for _, _, text in base]
    total, cycle = 0, 0
    while True:
        for (source, sid, text), size in zip(base, sizes, strict=True):
            if total >= limit:
                return
            yield source, f"{sid}~{cycle}", text, size
            total += size
        cycle += 1


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB (current from /proc where there is one)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / MB if sys.platform == "darwin" else peak * 1024 / MB
    try:
        with open("/proc/self/statm") as f:
            current_mb = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except (OSError, ValueError):
        current_mb = peak_mb
    return current_mb, max(peak_mb, current_mb)  # the two are sampled differently; the peak is never lower


def run_extractor(base, limit: int) -> dict:
    from displacement_figures.extract.figures import extract_document

    marks = [int(limit * c) for c in CHECKPOINTS]
    checkpoints, by_source = [], {}
    done = docs = rows = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for source, sid, text, size in corpus(base, limit):
        t = time.process_time()
        rows += len(extract_document(text, sid))
        s = by_source.setdefault(source, {"bytes": 0, "cpu_seconds": 0.0, "documents": 0})
        s["bytes"] += size
        s["cpu_seconds"] += time.process_time() - t
        s["documents"] += 1
        done += size
        docs += 1
        while marks and done >= marks[0]:
            current, peak = rss_mb()
            checkpoints.append({"fraction": CHECKPOINTS[len(checkpoints)], "mb_read": done / MB,
                                "rss_mb": round(current, 1), "peak_rss_mb": round(peak, 1),
                                "cpu_seconds": round(time.process_time() - cpu0, 2)})
            marks.pop(0)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    for s in by_source.values():
        s["mb_per_s"] = round(s["bytes"] / MB / s["cpu_seconds"], 3) if s["cpu_seconds"] else None
    return {"bytes": done, "documents": docs, "rows": rows, "cpu_seconds": round(cpu, 2),
            "wall_seconds": round(wall, 2), "mb_per_s": done / MB / cpu, "wall_mb_per_s": done / MB / wall,
            "by_source": by_source, "memory": checkpoints}


def run_quantulum(base, limit: int, seconds: float) -> dict:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Classifier dependencies not installed": its default, lighter mode
            from quantulum3 import parser
    except ImportError:
        return {"error": "quantulum3 is not installed (pip install -e '.[bench]')"}
    for _, _, text in base[:3]:
        parser.parse(text)  # load its unit tables before timing
    done = docs = quantities = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _, _, text, size in corpus(base, limit):
        quantities += len(parser.parse(text))
        done += size
        docs += 1
        if time.perf_counter() - wall0 > seconds:
            break
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"bytes": done, "documents": docs, "quantities": quantities, "cpu_seconds": round(cpu, 2),
            "wall_seconds": round(wall, 2), "mb_per_s": done / MB / cpu, "wall_mb_per_s": done / MB / wall}


def run_extractor_prefix(base, documents: int, limit: int) -> dict:
    """The extractor on the first ``documents`` documents of the stream: the text quantulum3 read."""
    from displacement_figures.extract.figures import extract_document

    done = 0
    cpu0 = time.process_time()
    for n, (_, sid, text, size) in enumerate(corpus(base, limit)):
        if n >= documents:
            break
        extract_document(text, sid)
        done += size
    cpu = time.process_time() - cpu0
    return {"bytes": done, "documents": documents, "cpu_seconds": round(cpu, 3), "mb_per_s": done / MB / cpu}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50, help="size of the synthetic corpus in MB (default 50)")
    ap.add_argument("--quantulum-mb", type=float, default=0.5, help="at most this much text for quantulum3 (0.5)")
    ap.add_argument("--quantulum-seconds", type=float, default=60, help="and at most this long (60)")
    ap.add_argument("--no-dev", action="store_true", help="leave out the IDMC excerpts even when present")
    ap.add_argument("--out", type=Path, default=OUT / "throughput.json", help="where to write the JSON results")
    args = ap.parse_args(argv)

    base = base_documents(Path("/nonexistent") if args.no_dev else DEV)
    limit = int(args.mb * MB)
    from displacement_figures.extract.figures import extract_document

    t = time.perf_counter()
    for _, sid, text in base:
        extract_document(text, sid)  # vocabularies and patterns, compiled once per process
    startup = time.perf_counter() - t
    sources = sorted({s for s, _, _ in base})
    print(f"corpus: {args.mb:g} MB of {len(base)} documents ({', '.join(sources)}) repeated; "
          f"warm-up {startup:.2f} s", flush=True)

    ours = run_extractor(base, limit)
    print(f"extractor: {ours['bytes'] / MB:.1f} MB in {ours['cpu_seconds']} CPU s", flush=True)
    q = run_quantulum(base, int(args.quantulum_mb * MB), args.quantulum_seconds)
    prefix = run_extractor_prefix(base, q["documents"], limit) if "error" not in q else None
    ratio = prefix["mb_per_s"] / q["mb_per_s"] if prefix and q.get("mb_per_s") else None

    first, last = ours["memory"][0], ours["memory"][-1]
    growth = (last["rss_mb"] - first["rss_mb"]) / first["rss_mb"]
    targets = [
        (f"extractor >= {MIN_MB_S:g} MB/s on one core", ours["mb_per_s"] >= MIN_MB_S,
         f"{ours['mb_per_s']:.2f} MB/s"),
        (f"extractor > {MIN_RATIO:g}x quantulum3 on the same text", ratio is not None and ratio > MIN_RATIO,
         f"{ratio:.0f}x" if ratio else q.get("error", "n/a")),
        (f"memory flat (RSS at 100% within {FLAT_TOLERANCE:.0%} of 10%)", growth <= FLAT_TOLERANCE,
         f"{first['rss_mb']:.0f} -> {last['rss_mb']:.0f} MB ({growth:+.1%})"),
    ]

    print()
    print(f"{'':34} {'MB':>8} {'docs':>8} {'CPU s':>8} {'MB/s':>8} {'wall MB/s':>10}")
    print(f"{'displacement-figures, whole corpus':34} {ours['bytes'] / MB:8.2f} {ours['documents']:8d} "
          f"{ours['cpu_seconds']:8.2f} {ours['mb_per_s']:8.3f} {ours['wall_mb_per_s']:10.3f}")
    for source, s in sorted(ours["by_source"].items()):
        print(f"{'  of which ' + source:34} {s['bytes'] / MB:8.2f} {s['documents']:8d} {s['cpu_seconds']:8.2f} "
              f"{s['mb_per_s']:8.3f}")
    if prefix:
        print(f"{'displacement-figures, prefix':34} {prefix['bytes'] / MB:8.3f} {prefix['documents']:8d} "
              f"{prefix['cpu_seconds']:8.3f} {prefix['mb_per_s']:8.3f}")
        print(f"{'quantulum3, same prefix':34} {q['bytes'] / MB:8.3f} {q['documents']:8d} {q['cpu_seconds']:8.2f} "
              f"{q['mb_per_s']:8.4f} {q['wall_mb_per_s']:10.4f}")
    else:
        print(f"quantulum3: {q['error']}")
    print()
    print(f"{'memory at':12} {'MB read':>8} {'RSS MB':>8} {'peak MB':>8}")
    for c in ours["memory"]:
        print(f"{c['fraction']:<12.0%} {c['mb_read']:8.1f} {c['rss_mb']:8.1f} {c['peak_rss_mb']:8.1f}")
    print()
    for name, ok, value in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {value}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "corpus": {"mb": args.mb, "documents_repeated": len(base), "sources": sources, "warmup_seconds": startup},
        "extractor": ours, "extractor_on_quantulum_prefix": prefix, "quantulum3": q, "ratio": ratio,
        "targets": [{"target": n, "pass": ok, "value": v} for n, ok, v in targets],
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0 if all(ok for _, ok, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
