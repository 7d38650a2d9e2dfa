"""Exports and charts as packages grow: the xlsx workbook must be linear in rows, the charts bounded.

    .venv/bin/python benchmarks/export_scale.py [--figures 2500] [--repeats 2]

Generates two packages with `extract` from the generated corpus of tests/large_corpus.py (news-like sentences
about invented towns), one with about ``--figures`` figures and one with four times as many, then times
`export --format xlsx` (best of ``--repeats``, CPU seconds of this process) and `plot` on each, and reads back the
PNGs' size. Targets (issue 18): 4x the figures in at most 5x the time; 10,000 figures in under 15 s; no chart
wider or taller than 4,000 px. Results go to stdout and benchmarks/out/export_scale.json; the exit status is 1
when a target fails. Timing lives here, not in the tests (tests check shapes and sizes only).
"""

from __future__ import annotations

import argparse
import json
import platform
import struct
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
OUT = REPO / "benchmarks" / "out"
FIGURES_PER_DOCUMENT = 6.2  # what extract finds in one generated document, on average


def _package(root: Path, figures: int) -> tuple[Path, int]:
    from large_corpus import write_corpus

    from displacement_figures import load
    from displacement_figures.extract.build import extract_folder

    docs = write_corpus(root / f"docs-{figures}", max(1, round(figures / FIGURES_PER_DOCUMENT)))
    pkg = root / f"pkg-{figures}"
    extract_folder(docs, pkg)
    return pkg, len(load("figures", path=pkg, verify=False))


def _best(seconds: list[float]) -> float:
    return min(seconds)


def _time_xlsx(pkg: Path, out: Path, repeats: int) -> float:
    from displacement_figures.export import to_xlsx

    runs = []
    for _ in range(repeats):
        start = time.process_time()
        to_xlsx(pkg, out)
        runs.append(time.process_time() - start)
    return _best(runs)


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def _time_plot(pkg: Path, out: Path) -> tuple[float, dict[str, tuple[int, int]]]:
    from displacement_figures.plot import write_charts

    start = time.process_time()
    charts = write_charts(pkg, out)
    seconds = time.process_time() - start
    return seconds, {c["name"]: _png_size(out / f"{c['name']}.png") for c in charts}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--figures", type=int, default=2500, help="figures in the smaller package (default 2500)")
    ap.add_argument("--repeats", type=int, default=2, help="xlsx runs per package; the best is kept (default 2)")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="export-scale-") as tmp:
        root = Path(tmp)
        for target in (args.figures, 4 * args.figures):
            pkg, n = _package(root, target)
            xlsx = _time_xlsx(pkg, root / f"{target}.xlsx", args.repeats)
            plot, sizes = _time_plot(pkg, root / f"charts-{target}")
            results.append({"figures": n, "xlsx_seconds": round(xlsx, 3), "plot_seconds": round(plot, 3),
                            "xlsx_bytes": (root / f"{target}.xlsx").stat().st_size, "charts_px": sizes})
            print(f"{n:>7,} figures: xlsx {xlsx:6.2f} s ({1e6 * xlsx / n:5.0f} µs/figure), plot {plot:5.2f} s, "
                  + ", ".join(f"{k} {w}×{h} px" for k, (w, h) in sizes.items()), flush=True)
    small, large = results
    ratio = large["xlsx_seconds"] / max(small["xlsx_seconds"], 1e-9)
    per_10k = large["xlsx_seconds"] * 10_000 / large["figures"]
    widest = max(max(w, h) for r in results for (w, h) in r["charts_px"].values())
    targets = {
        f"xlsx: {large['figures'] / small['figures']:.1f}x the figures in at most 5x the time (x{ratio:.2f})":
            ratio <= 5 * (large["figures"] / small["figures"]) / 4,
        f"xlsx: 10,000 figures in under 15 s ({per_10k:.1f} s, scaled from {large['figures']:,})": per_10k < 15,
        f"charts: no side over 4,000 px (largest {widest} px)": widest <= 4000,
    }
    for text, ok in targets.items():
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    OUT.mkdir(parents=True, exist_ok=True)
    report = {"machine": platform.platform(), "python": platform.python_version(), "results": results,
              "targets": {k: bool(v) for k, v in targets.items()}}
    (OUT / "export_scale.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
