"""Shared fixtures: every test builds into temporary folders, never into the checkout."""

from __future__ import annotations

import csv
import faulthandler
import hashlib
import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COLLECTION = "syria-2024-12"
SEEDS = REPO / "seeds" / COLLECTION
HANG_SECONDS = 600  # far above any test's normal time (the slowest take seconds): only a run without end gets here


@pytest.fixture
def hang_guard():
    """Ends the whole test run, with every thread's traceback, when a test has not finished in HANG_SECONDS.

    For input a regex could backtrack on without end: the regex engine does not see signals, so a timer inside the
    test could not stop it, and a hung test would hold CI until its own limit. This is a guard against hanging,
    not a measure of speed: speed and linear time are measured in benchmarks/ (linear.py, throughput.py).
    """
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under root."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def read_csv_rows(path: Path) -> list[list[str]]:
    """A package CSV as lists of cells, header first: what tampering tests edit."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_csv_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def rehash(pkg: Path) -> None:
    """Record the current bytes and hash of every resource, as if the tampering had been built: only the row
    checks can tell."""
    from displacement_figures.extract.package import sha256_file

    d = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    for r in d["resources"]:
        r["bytes"] = (pkg / r["path"]).stat().st_size
        r["hash"] = f"sha256:{sha256_file(pkg / r['path'])}"
    (pkg / "datapackage.json").write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the collection's seeds at <tmp>/seeds/<collection>."""
    dst = tmp_path / "seeds" / COLLECTION
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The collection built once from a copy of its seeds: <root>/datasets/<collection>."""
    from displacement_figures.extract.build import build_collection

    root = tmp_path_factory.mktemp("built")
    shutil.copytree(SEEDS, root / "seeds" / COLLECTION)
    return build_collection(root / "seeds" / COLLECTION, root / "datasets" / COLLECTION)


def install_wheel(wheel: Path, tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    """A fresh venv in ``tmp_path`` with ``wheel`` installed: ``(python, env, purelib)``.

    The wheel goes in with pip, offline and without its dependencies, which the venv borrows from the test
    environment through a .pth file, so the test needs no network yet installs the real wheel.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    purelib = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    r = subprocess.run([py, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                       capture_output=True, text=True, env=env, timeout=300, check=False)
    assert r.returncode == 0, r.stderr
    return py, env, purelib
