"""Every subcommand, run as a user would: python -m displacement_figures ..."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

import displacement_figures as dfig

from conftest import COLLECTION, REPO, SEEDS


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "displacement_figures", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("command", ["build", "validate", "extract", "cite", "tables", "plot", "export", "diff"])
def test_help(command: str):
    r = run(command, "--help")
    assert r.returncode == 0 and r.stdout.startswith("usage:")


def test_build_and_validate(seeds_copy: Path, tmp_path: Path):
    out = tmp_path / "datasets"
    r = run("build", "--seeds", str(seeds_copy.parent), "--out", str(out), "--collection", COLLECTION)
    assert r.returncode == 0, r.stderr
    assert (out / COLLECTION / "datapackage.json").is_file()
    r = run("validate", str(out / COLLECTION), "--docs", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "valid" in r.stdout


def test_build_error_exit_code(seeds_copy: Path, tmp_path: Path):
    (seeds_copy / "stray.txt").write_text("Some 5,000 people fled.", encoding="utf-8")
    r = run("build", "--seeds", str(seeds_copy.parent), "--out", str(tmp_path / "datasets"))
    assert r.returncode == 1 and "stray.txt" in r.stderr
    assert not (tmp_path / "datasets" / COLLECTION).exists()


def test_validate_reports_problems(built: Path, tmp_path: Path):
    import shutil

    pkg = tmp_path / "pkg"
    shutil.copytree(built, pkg)
    with open(pkg / "data" / "sources.csv", "a", encoding="utf-8") as f:
        f.write("extra,,,,,,,,,,\n")
    r = run("validate", str(pkg))
    assert r.returncode == 1 and "data/sources.csv" in r.stderr


def test_extract_reports_skipped_files(tmp_path: Path):
    src = tmp_path / "docs"
    src.mkdir()
    good = min(SEEDS.glob("*.txt"))
    (src / "good.txt").write_bytes(good.read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (src / "latin.txt").write_bytes("Some 5,000 people fled Alep in the past week, café owners said.\n"
                                    .encode("latin-1"))
    out = tmp_path / "out"
    r = run("extract", str(src), "--out", str(out), "--jobs", "2")
    assert r.returncode == 3, r.stderr
    assert "empty.txt" in r.stderr and "binary.txt" in r.stderr
    assert "good.txt" not in r.stderr and "latin.txt" not in r.stderr
    with open(out / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        sources = {row["source_id"]: row for row in csv.DictReader(f)}
    assert sorted(sources) == ["good", "latin"]
    assert sources["latin"]["encoding"] == "cp1252" and sources["good"]["encoding"] == "utf-8"
    figures = dfig.load("figures", path=out)
    assert set(figures["source_id"]) == {"good", "latin"}
    text = (src / "latin.txt").read_bytes().decode("cp1252")
    for row in figures[figures["source_id"] == "latin"].itertuples():
        assert text[row.char_start:row.char_end] == row.quote
    assert run("validate", str(out), "--docs", str(src)).returncode == 0


def test_extract_all_good_exits_0(tmp_path: Path):
    src = tmp_path / "docs"
    src.mkdir()
    (src / "a.txt").write_text("Some 5,000 people fled the town.\n", encoding="utf-8")
    r = run("extract", str(src), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("fmt", ["text", "apa", "bibtex", "cff"])
def test_cite(fmt: str):
    r = run("cite", "--format", fmt)
    assert r.returncode == 0 and dfig.__version__ in r.stdout


def test_tables():
    r = run("tables")
    assert r.returncode == 0
    assert {line.split("\t")[1] for line in r.stdout.splitlines()} >= {"sources", "figures", "distance"}


def test_build_refuses_a_collection_name_that_leaves_datasets(tmp_path: Path):
    r = run("build", "--collection", "../../escape", "--out", str(tmp_path / "datasets"))
    assert r.returncode == 1 and "escape" in r.stderr and ".." in r.stderr
    assert not (tmp_path / "escape").exists()
