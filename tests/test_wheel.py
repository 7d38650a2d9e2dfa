"""The sdist builds a wheel that installs and works away from the checkout, with no generic top-level names.

`python -m build` makes the wheel from the sdist, so a file missing from the
sdist fails here too.

Dependencies come from the test interpreter's site-packages (added by a .pth
file) so the test needs no network; the .pth lists the folder without
processing its own .pth files, so an editable install of the checkout there
cannot leak into the fresh environment.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COLLECTION, REPO, install_wheel

pytestmark = pytest.mark.slow

CHECK = """
import importlib.util, json, sys, sysconfig
from pathlib import Path
import displacement_figures as d
assert d.list_collections() == [%(collection)r], d.list_collections()
df = d.load("displacement")
assert len(df) > 0 and str(df["qualifier"].dtype) == "category"
assert d.metadata()["version"] == d.__version__
assert d.__version__ in d.cite("bibtex")
import displacement_figures.extract.figures as f
purelib = Path(sysconfig.get_paths()["purelib"]).resolve()
assert Path(f.__file__).resolve().is_relative_to(purelib / "displacement_figures"), f.__file__
assert Path(d.__file__).resolve().is_relative_to(purelib), d.__file__
for name in ("extract", "schemas", "datasets", "seeds", "tests"):
    assert importlib.util.find_spec(name) is None, name
    assert not (purelib / name).exists(), name
print("ok", d.__version__)
"""


def _copy_source(dst: Path) -> None:
    for name in ("pyproject.toml", "README.md", "CITATION.cff", "CHANGELOG.md", "Makefile"):
        shutil.copy(REPO / name, dst / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("displacement_figures", "extract", "schemas", "seeds", "tests"):
        shutil.copytree(REPO / name, dst / name, ignore=ignore)


def test_wheel_installs_and_loads(built: Path, tmp_path: Path):
    src = tmp_path / "src"
    src.mkdir()
    _copy_source(src)
    shutil.copytree(built, src / "datasets" / COLLECTION)
    dist = tmp_path / "dist"
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]
    r = subprocess.run([sys.executable, "-m", "build", *isolation, "--outdir", str(dist),
                        str(src)], capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    wheels = list(dist.glob("*.whl"))
    assert len(wheels) == 1 and len(list(dist.glob("*.tar.gz"))) == 1

    py, env, _ = install_wheel(wheels[0], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = subprocess.run([py, "-c", CHECK % {"collection": COLLECTION}], cwd=elsewhere, capture_output=True,
                       text=True, env=env, timeout=120, check=False)
    assert r.returncode == 0 and r.stdout.startswith("ok"), r.stdout + r.stderr
    r = subprocess.run([py.parent / "displacement-figures", "tables"], cwd=elsewhere, capture_output=True,
                       text=True, env=env, timeout=120, check=False)
    assert r.returncode == 0 and "distance" in r.stdout, r.stderr
    r = subprocess.run([py.parent / "displacement-figures", "validate"], cwd=elsewhere, capture_output=True,
                       text=True, env=env, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
