"""What users run, timed: `displacement-figures extract DIR --out OUT` next to the extractor and quantulum3.

    .venv/bin/python benchmarks/throughput.py [--news-mb 10] [--dense-mb 2] [--quantulum-seconds 20]

Two corpora, written as folders of .txt files into a temporary directory:

- news: the seed reports (seeds/*/*.txt, about 4.4 kB each) repeated to ``--news-mb``;
- dense: the IDMC development excerpts (../shared/eval/idmc-dev/docs, about 190 bytes and two figures
  each) repeated to ``--dense-mb``; without them, the seed reports' paragraphs.

For each corpus it measures, on the same files:

1. the extractor in process: each file read, decoded and passed to ``extract_document``, only that call
   timed, after a warm-up (vocabularies and patterns compile once per process);
2. the command line, end to end, in a child process: start-up, reading, extraction, writing the package,
   validating it and swapping it in; its CPU time (user and system) and peak resident memory come from
   ``wait4``; it runs ``--runs`` times, in turn with the extractor in process, and the best run of each counts;
3. the command line on a quarter of the corpus, for memory: the peak must not grow with the corpus;
4. quantulum3 on a prefix of the corpus (it is slow: ``--quantulum-seconds``), and the extractor again on
   exactly that prefix, for the ratio.

Speeds are MB (10^6 bytes of UTF-8) per CPU second of one process; the machine is shared, so CPU time is what
compares. System time is mostly the file system creating the package's files (one stored text per document):
on some file systems the cost of a new file varies tenfold with what was deleted in the last minutes, so the
runs wait five minutes after the last benchmark deleted its files, then (``--settle-seconds``) until a new
file costs its usual; that cost is measured before and after the runs and printed. Nothing is deleted until
the end. The CLI must write exactly the figures the extractor finds (figure ids compared). Targets are printed
PASS or FAIL, the exit status is 1 when one fails, and the numbers go to benchmarks/out/throughput.json (not
committed).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DEV = REPO.parent / "shared" / "eval" / "idmc-dev" / "docs"
OUT = REPO / "benchmarks" / "out"
MB = 1_000_000
WARMUP_DOCS = 20

# Targets: issue 18 (the CLI around the extractor), and the extractor's own (1 MB/s, 100x quantulum3).
MIN_E2E_RATIO = {"news": 0.8, "dense": 0.5}
MIN_MB_S = 1.0
MIN_QUANTULUM_RATIO = 100.0
SLOW_FILE_US = 100  # a new file costs about 30-60 us of CPU here when nothing was deleted lately
# ext4 without a journal, as here, does not give out again an inode freed in the last 60 to 300 s (fs/ext4/ialloc.c,
# recently_deleted): after a benchmark deleted its tens of thousands of files, each new file costs several times the
# usual until then. The benchmark notes when it deleted its files (DELETED, in --workdir) and waits that long.
RECENTLY_DELETED_S = 300
DELETED = ".deleted"
FLAT_TOLERANCE = 0.10  # peak memory on the whole corpus within 10% of that on a quarter of it

sys.path.insert(0, str(REPO))


def base_documents(dev: Path = DEV) -> dict[str, list[tuple[str, str]]]:
    """(stem, text) of the documents each corpus repeats."""
    news = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*/*.txt"))]
    if not news:
        raise SystemExit(f"no documents in {SEEDS}")
    if dev.is_dir():
        dense = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(dev.glob("*.txt"))]
    else:  # a clean checkout alone: one-paragraph excerpts of the seeds
        dense = [(f"{stem}_p{i}", para.strip()) for stem, text in news
                 for i, para in enumerate(text.split("\n\n")) if len(para.strip()) > 80]
    return {"news": news, "dense": dense}


def write_corpus(base: list[tuple[str, str]], limit: int, folder: Path) -> tuple[int, int]:
    """Files cycling through ``base`` until ``limit`` bytes: (bytes, files)."""
    folder.mkdir(parents=True)
    total = n = 0
    while total < limit:
        for stem, text in base:
            if total >= limit:
                break
            data = text.encode("utf-8")
            (folder / f"c{n:06d}_{stem}.txt").write_bytes(data)
            total += len(data)
            n += 1
    return total, n


@functools.cache
def _source_ids(folder: Path) -> dict[str, str]:
    """Each file's source id, as ``extract`` gives it."""
    from displacement_figures.extract.documents import source_ids

    return source_ids(sorted(p.name for p in folder.glob("*.txt")))


def _files(folder: Path) -> list[Path]:
    """The folder's files in the order ``extract`` reads them."""
    ids = _source_ids(folder)
    return sorted(folder.glob("*.txt"), key=lambda p: (ids[p.name], p.name))


def rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak * 1024 / MB


def in_process(folder: Path, limit_docs: int | None = None) -> dict:
    """The extractor on the folder's files in this process: CPU seconds of ``extract_document`` alone."""
    from displacement_figures.extract.figures import extract_document
    from displacement_figures.extract.text import decode

    files = _files(folder)[:limit_docs]
    for p in files[:WARMUP_DOCS]:
        extract_document(decode(p.read_bytes(), p.name)[0], "warm-up")
    cpu = 0.0
    done, ids = 0, []
    for p in files:
        data = p.read_bytes()
        text = decode(data, p.name)[0]
        t = time.process_time()
        rows = extract_document(text, _source_ids(folder)[p.name])
        cpu += time.process_time() - t
        ids += [r["figure_id"] for r in rows]
        done += len(data)
    return {"bytes": done, "documents": len(files), "figures": len(ids), "cpu_seconds": round(cpu, 3),
            "mb_per_s": done / MB / cpu, "figure_ids": ids, "peak_rss_mb": round(rss_mb(), 1)}


# Runs the command and reports its rusage, from a small process of its own: a child's peak memory (ru_maxrss)
# starts at what its parent held when it forked (Linux copies the parent's resident size into the child, and
# with vfork takes the parent's own peak), so measured from this process, which holds the corpus and the
# extractor, every CLI run would seem to need at least as much. This launcher holds about 10 MB.
_LAUNCHER = """
import json, os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = p.stderr.read()
p.stderr.close()
_, status, u = os.wait4(p.pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "user": u.ru_utime, "system": u.ru_stime,
                  "maxrss": u.ru_maxrss, "stderr": err[-2000:].decode(errors="replace")}))
"""


# The command runs as installed, its modules compiled to bytecode once (pip compiles them when it installs a
# wheel; Python writes them on first import otherwise): with PYTHONDONTWRITEBYTECODE set, as some environments do,
# every run would compile the changed modules from source again, about 0.08 CPU s that no user pays. main() adds
# the command's own cache of compiled patterns (extract/regex_cache.py), empty until the first run fills it.
_CLI_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cli(folder: Path, out: Path) -> dict:
    """``displacement-figures extract folder --out out`` in a child process: its CPU time (user and system) and
    peak memory."""
    exe = Path(sys.executable).with_name("displacement-figures")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "displacement_figures"]
    wall0 = time.perf_counter()
    launched = subprocess.run([sys.executable, "-I", "-c", _LAUNCHER, *cmd, "extract", str(folder), "--out", str(out)],
                              capture_output=True, text=True, check=True, env=_CLI_ENVIRONMENT)
    wall = time.perf_counter() - wall0
    usage = json.loads(launched.stdout)
    if usage["code"] != 0:
        raise SystemExit(f"extract failed ({usage['code']}): {usage['stderr']}")
    cpu = usage["user"] + usage["system"]
    peak = usage["maxrss"] / MB if sys.platform == "darwin" else usage["maxrss"] * 1024 / MB
    size = sum(p.stat().st_size for p in folder.glob("*.txt"))
    return {"bytes": size, "cpu_seconds": round(cpu, 3), "user_seconds": round(usage["user"], 3),
            "system_seconds": round(usage["system"], 3), "wall_seconds": round(wall, 3), "mb_per_s": size / MB / cpu,
            "wall_mb_per_s": size / MB / wall, "peak_rss_mb": round(peak, 1)}


def best_cli(folder: Path, out: Path, runs: int) -> dict:
    """The run of least CPU time of ``runs`` (``out``-1, ``out``-2, ...), as timeit takes the best: the
    machine's noise only ever adds time. Nothing is deleted between runs, so no run pays for freeing
    another's files (see :func:`file_creation_us`)."""
    return _best([cli(folder, out.with_name(f"{out.name}-{i}")) for i in range(1, runs + 1)])


def interleaved(folder: Path, out: Path, runs: int) -> tuple[dict, dict]:
    """The extractor in process and the CLI, each run ``runs`` times in turn, the best run of each: the
    machine's load falls on both alike, and the ratio compares like with like."""
    ours, cli_runs = [], []
    for i in range(1, runs + 1):
        ours.append(in_process(folder))
        cli_runs.append(cli(folder, out.with_name(f"{out.name}-{i}")))
    return _best(ours), _best(cli_runs)


def _best(runs: list[dict]) -> dict:
    """The run of least CPU time, with the CPU time of every run (``runs_cpu_seconds``: how much the machine's
    noise added)."""
    return {**min(runs, key=lambda r: r["cpu_seconds"]), "runs_cpu_seconds": [r["cpu_seconds"] for r in runs]}


def file_creation_us(folder: Path, n: int = 1000) -> float:
    """CPU microseconds to create and write one small file in ``folder`` now.

    ``extract`` creates one file per document (its stored text), so on a corpus of short excerpts the file
    system's cost of a new file weighs as much as the extraction. That cost is not a constant: on ext4 without
    a journal, creating a file right after many were deleted scans the inode table for ones freed in the last
    minutes (``recently_deleted``), up to ten times the usual cost. The benchmark prints it beside the ratios.
    The files are left in place (deleting them would raise the cost for what follows).
    """
    folder.mkdir(parents=True)
    data = b"x" * 200
    u0 = resource.getrusage(resource.RUSAGE_SELF)
    for i in range(n):
        with open(folder / f"f{i:05d}.txt", "wb") as f:
            f.write(data)
    u1 = resource.getrusage(resource.RUSAGE_SELF)
    return 1e6 * ((u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime)) / n


def wait_after_deletion(marker: Path) -> None:
    """Wait until RECENTLY_DELETED_S after the last benchmark deleted its files (``marker``'s time), if it was
    less long ago."""
    if not marker.exists():
        return
    left = marker.stat().st_mtime + RECENTLY_DELETED_S - time.time()
    if left > 0:
        print(f"the last benchmark deleted its files {RECENTLY_DELETED_S - left:.0f} s ago: waiting {left:.0f} s, "
              "until this file system gives out their inodes again", flush=True)
        time.sleep(left)


def settled_file_system(root: Path, wait_s: float, probe: int = 300, every_s: float = 20) -> float:
    """The cost of a new file (:func:`file_creation_us`) once it is back below SLOW_FILE_US, waiting up to
    ``wait_s`` for it: right after many files were deleted (a test suite's clean-up, say) it is several times the
    usual, for minutes here, and the CLI, which creates a file per document, would be measured against the file
    system's recent history. Gives the last cost measured, settled or not."""
    deadline = time.monotonic() + wait_s
    n = 0
    while (cost := file_creation_us(root / f"probe-{n}", probe)) > SLOW_FILE_US and time.monotonic() + every_s <= deadline:
        print(f"a new file costs {cost:.0f} us (files were deleted in the last minutes): waiting {every_s:.0f} s "
              "for the file system to settle", flush=True)
        time.sleep(every_s)
        n += 1
    return cost


def figure_ids(package: Path) -> list[str]:
    import csv

    with open(package / "data" / "figures.csv", encoding="utf-8", newline="") as f:
        return [r["figure_id"] for r in csv.DictReader(f)]


def quantulum(folder: Path, seconds: float) -> dict:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Classifier dependencies not installed": its default, lighter mode
            from quantulum3 import parser
    except ImportError:
        return {"error": "quantulum3 is not installed (pip install -e '.[bench]')"}

    files = _files(folder)
    for p in files[:3]:
        parser.parse(p.read_text(encoding="utf-8"))  # load its unit tables before timing
    done = docs = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for p in files:
        data = p.read_bytes()
        parser.parse(data.decode("utf-8"))
        done += len(data)
        docs += 1
        if time.perf_counter() - wall0 > seconds:
            break
    cpu = time.process_time() - cpu0
    return {"bytes": done, "documents": docs, "cpu_seconds": round(cpu, 2), "mb_per_s": done / MB / cpu}


def startup(folder: Path) -> tuple[float, float]:
    """CPU seconds of the command on one short document (start-up, imports, patterns, an empty package): its first
    run, with an empty cache of compiled patterns, and the best of three after it, as every later run starts."""
    src = folder / "one"
    src.mkdir(parents=True)
    (src / "one.txt").write_text("Some 5,000 people fled the town, officials said.\n", encoding="utf-8")
    first = cli(src, folder / "out-0")["cpu_seconds"]
    return first, min(cli(src, folder / f"out-{i}")["cpu_seconds"] for i in range(1, 4))


def run_corpus(name: str, base, limit: int, root: Path, q_seconds: float, runs: int) -> dict:
    folder, quarter = root / name, root / f"{name}-quarter"
    size, files = write_corpus(base, limit, folder)
    write_corpus(base, limit // 4, quarter)
    print(f"{name}: {size / MB:.2f} MB in {files} files", flush=True)
    ours, e2e = interleaved(folder, root / f"{name}-pkg", runs)
    small = best_cli(quarter, root / f"{name}-quarter-pkg", runs)
    identical = sorted(figure_ids(root / f"{name}-pkg-1")) == sorted(ours.pop("figure_ids"))
    q = quantulum(folder, q_seconds)
    prefix = in_process(folder, q["documents"]) if "error" not in q else None
    if prefix:
        prefix.pop("figure_ids")
    return {"files": files, "extractor": ours, "cli": e2e, "cli_quarter": small, "identical_figures": identical,
            "ratio": e2e["mb_per_s"] / ours["mb_per_s"], "quantulum3": q, "extractor_on_quantulum_prefix": prefix,
            "quantulum_ratio": prefix["mb_per_s"] / q["mb_per_s"] if prefix else None,
            "memory_growth": (e2e["peak_rss_mb"] - small["peak_rss_mb"]) / small["peak_rss_mb"]}


def corpora(results: dict) -> dict:
    return {k: v for k, v in results.items() if not k.startswith("_")}


def report(results: dict, start_cpu: tuple[float, float]) -> list[tuple[str, bool, str]]:
    print()
    print(f"{'corpus':8} {'MB':>6} {'files':>6} {'figures':>8} {'extractor':>10} {'CLI e2e':>8} {'ratio':>6} "
          f"{'CLI sys %':>9} {'quantulum3':>10} {'x q3':>6} {'peak MB 1/4':>11} {'peak MB':>8}")
    for name, r in corpora(results).items():
        q = r["quantulum3"]
        print(f"{name:8} {r['extractor']['bytes'] / MB:6.2f} {r['files']:6d} {r['extractor']['figures']:8d} "
              f"{r['extractor']['mb_per_s']:10.3f} {r['cli']['mb_per_s']:8.3f} {r['ratio']:6.2f} "
              f"{r['cli']['system_seconds'] / r['cli']['cpu_seconds']:9.0%} {q.get('mb_per_s', float('nan')):10.4f} "
              f"{r['quantulum_ratio'] or float('nan'):6.0f} {r['cli_quarter']['peak_rss_mb']:11.1f} "
              f"{r['cli']['peak_rss_mb']:8.1f}")
    print("(MB/s per CPU second, the CLI's the best of its runs; 'CLI sys %': its share of system time, mostly files "
          "created; 'x q3': the extractor over quantulum3 on the same prefix; peak MB: the CLI's resident memory on "
          "a quarter of the corpus and on all of it)")
    print(f"CLI start-up (one short document): {start_cpu[1]:.2f} CPU s, the first run {start_cpu[0]:.2f} (it compiles "
          "the patterns the later runs read from the cache)")
    print(f"a new file on this file system: {results['_fs_us_before']:.0f} us CPU before the runs, "
          f"{results['_fs_us_after']:.0f} us after (the CLI creates one per document)")
    if max(results["_fs_us_before"], results["_fs_us_after"]) > SLOW_FILE_US:
        print(f"  more than {SLOW_FILE_US} us: the file system is slow now (files deleted in the last minutes, as the "
              "end of a previous benchmark does); the CLI's system time is inflated: run again in five minutes")
    print()
    targets = []
    for name, r in corpora(results).items():
        targets.append((f"{name}: extract end to end >= {MIN_E2E_RATIO[name]:g}x the extractor in process",
                        r["ratio"] >= MIN_E2E_RATIO[name], f"{r['ratio']:.2f}x"))
        targets.append((f"{name}: the CLI writes exactly the extractor's figures", r["identical_figures"],
                        f"{r['extractor']['figures']} figures"))
        targets.append((f"{name}: CLI memory flat (peak within {FLAT_TOLERANCE:.0%} from 1/4 to all of the corpus)",
                        r["memory_growth"] <= FLAT_TOLERANCE,
                        (f"{r['cli_quarter']['peak_rss_mb']:.0f} -> {r['cli']['peak_rss_mb']:.0f} MB "
                         f"({r['memory_growth']:+.1%})")))
    all_bytes = sum(r["extractor"]["bytes"] for r in corpora(results).values())
    all_cpu = sum(r["extractor"]["cpu_seconds"] for r in corpora(results).values())
    targets.append((f"extractor >= {MIN_MB_S:g} MB/s on one core (both corpora)", all_bytes / MB / all_cpu >= MIN_MB_S,
                    f"{all_bytes / MB / all_cpu:.2f} MB/s"))
    for name, r in corpora(results).items():
        ratio = r["quantulum_ratio"]
        targets.append((f"{name}: extractor > {MIN_QUANTULUM_RATIO:g}x quantulum3 on the same text",
                        ratio is not None and ratio > MIN_QUANTULUM_RATIO,
                        f"{ratio:.0f}x" if ratio else r["quantulum3"].get("error", "n/a")))
    for target, ok, value in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {target}: {value}")
    return targets


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--news-mb", type=float, default=10, help="size of the news corpus in MB (default 10)")
    ap.add_argument("--dense-mb", type=float, default=2, help="size of the dense corpus in MB (default 2)")
    ap.add_argument("--quantulum-seconds", type=float, default=20, help="quantulum3's time on each corpus (20)")
    ap.add_argument("--runs", type=int, default=5, help="runs of the CLI on each corpus; the best counts (5)")
    ap.add_argument("--settle-seconds", type=float, default=300,
                    help=f"how long to wait, at most, for a new file to cost less than {SLOW_FILE_US} us before "
                         "measuring (300)")
    ap.add_argument("--no-dev", action="store_true", help="dense corpus from the seeds even when the IDMC set is there")
    ap.add_argument("--dense-docs", type=Path, default=DEV,
                    help="folder of the excerpts the dense corpus repeats (default ../shared/eval/idmc-dev/docs)")
    ap.add_argument("--out", type=Path, default=OUT / "throughput.json", help="where to write the JSON results")
    ap.add_argument("--workdir", type=Path, default=OUT,
                    help="where the corpora and packages are written (default benchmarks/out: the checkout's file "
                         "system, where a user's folders are, not /tmp)")
    args = ap.parse_args(argv)

    bases = base_documents(Path("/nonexistent") if args.no_dev else args.dense_docs)
    results = {}
    args.workdir.mkdir(parents=True, exist_ok=True)
    wait_after_deletion(args.workdir / DELETED)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.workdir) as tmp:
        results["_fs_us_before"] = settled_file_system(Path(tmp) / "fs-before", args.settle_seconds)
        from displacement_figures.extract.regex_cache import ENVIRONMENT
        _CLI_ENVIRONMENT[ENVIRONMENT] = str(Path(tmp) / "pattern-cache")
        start_cpu = startup(Path(tmp) / "startup")
        for name, mb in (("news", args.news_mb), ("dense", args.dense_mb)):
            results[name] = run_corpus(name, bases[name], int(mb * MB), Path(tmp), args.quantulum_seconds,
                                       max(1, args.runs))
        results["_fs_us_after"] = file_creation_us(Path(tmp) / "fs-after")
    (args.workdir / DELETED).touch()  # the corpora and packages were just deleted
    targets = report(results, start_cpu)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "corpora": {"news_mb": args.news_mb, "dense_mb": args.dense_mb,
                    "dense_source": "seed paragraphs" if args.no_dev or not args.dense_docs.is_dir()
                    else str(args.dense_docs)},
        "results": corpora(results), "cli_startup_cpu_seconds": start_cpu[1],
        "cli_first_run_cpu_seconds": start_cpu[0],
        "file_creation_us": {"before": results["_fs_us_before"], "after": results["_fs_us_after"]},
        "targets": [{"target": n, "pass": ok, "value": v} for n, ok, v in targets],
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "load_average": os.getloadavg(), "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0 if all(ok for _, ok, _ in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
