"""The compiled-pattern cache changes how fast the extractor's patterns are made, never what they match."""

from __future__ import annotations

import _sre
import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from displacement_figures.extract import regex_cache

from conftest import REPO, SEEDS

# Extracts the seeds with the cache of $DISPLACEMENT_FIGURES_CACHE and prints the figures found.
EXTRACT_SEEDS = """
import json, sys
from pathlib import Path
from displacement_figures.extract.figures import extract_document
rows = [extract_document(p.read_text(encoding="utf-8"), p.stem) for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
print(json.dumps(rows, sort_keys=True, default=str))
"""


def _extracted_seeds(cache: str) -> str:
    env = {**os.environ, regex_cache.ENVIRONMENT: cache}
    return subprocess.run([sys.executable, "-c", EXTRACT_SEEDS, str(SEEDS)], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True).stdout


def _engine_arguments(source: str, flags: int) -> tuple:
    """What ``re.compile`` itself hands the engine for ``source``: the reference the cache must equal."""
    seen = []
    real = _sre.compile

    def spy(*args):
        seen.append(args[1:])
        return real(*args)

    re.purge()
    _sre.compile = spy
    try:
        re.compile(source, flags)
    finally:
        _sre.compile = real
    return seen[0]


@pytest.fixture(scope="module")
def kept(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A cache filled by extracting the seeds, and the figures extracted cold, warm and without the cache."""
    folder = tmp_path_factory.mktemp("regex-cache")
    runs = {"off": _extracted_seeds("off"), "cold": _extracted_seeds(str(folder)),
            "warm": _extracted_seeds(str(folder))}
    return folder, runs


def test_extraction_is_the_same_with_and_without_the_cache(kept):
    _, runs = kept
    assert json.loads(runs["off"]), "the seeds have figures"
    assert runs["cold"] == runs["off"]
    assert runs["warm"] == runs["off"]


def test_every_kept_pattern_is_what_re_compile_makes(kept):
    folder, _ = kept
    files = sorted(folder.rglob("*.marshal"))
    assert len(files) > 20, "the extractor's vocabulary patterns are kept"
    for path in files:
        source, flags, *arguments = marshal.loads(path.read_bytes())
        assert tuple(arguments) == _engine_arguments(source, flags), source[:80]


def test_a_warm_pattern_matches_as_re_compile_does(tmp_path, monkeypatch):
    monkeypatch.setattr(regex_cache, "folder", lambda: tmp_path)
    source, flags = r"(?P<number>\d[\d,]*)\s+(?P<noun>people|famil(?:y|ies))\b", re.IGNORECASE
    made, reused = regex_cache.compile(source, flags), regex_cache.compile(source, flags)
    reference = re.compile(source, flags)
    text = "Some 280,000 People fled; 1,200 families and 3 FAMILY members stayed."
    for pattern in (made, reused):
        assert (pattern.pattern, pattern.flags, pattern.groupindex) == (reference.pattern, reference.flags,
                                                                        reference.groupindex)
        assert [m.groupdict() | {"span": m.span()} for m in pattern.finditer(text)] == \
               [m.groupdict() | {"span": m.span()} for m in reference.finditer(text)]
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("damage", ["truncated", "garbage", "another pattern"])
def test_a_damaged_or_foreign_file_is_compiled_afresh_and_replaced(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(regex_cache, "folder", lambda: tmp_path)
    regex_cache.compile(r"\d+ people", re.IGNORECASE)
    (path,) = tmp_path.iterdir()
    good = path.read_bytes()
    path.write_bytes({"truncated": good[: len(good) // 2], "garbage": b"\x00not marshal",
                      "another pattern": marshal.dumps((r"\d+ homes", int(re.IGNORECASE), *marshal.loads(good)[2:]))
                      }[damage])
    pattern = regex_cache.compile(r"\d+ people", re.IGNORECASE)
    assert pattern.search("about 40 PEOPLE left").group() == "40 PEOPLE"
    assert path.read_bytes() == good


def test_nothing_is_kept_when_the_cache_is_off_or_cannot_be_written(tmp_path, monkeypatch):
    monkeypatch.setattr(regex_cache, "folder", lambda: None)
    assert regex_cache.compile(r"\d+ km").search("30 km").group() == "30 km"
    in_the_way = tmp_path / "a file where the folder would be"  # a folder no one can make, root included
    in_the_way.write_text("")
    monkeypatch.setattr(regex_cache, "folder", lambda: in_the_way / "regex")
    assert regex_cache.compile(r"\d+ miles").search("30 miles").group() == "30 miles"
    assert [p.name for p in tmp_path.iterdir()] == [in_the_way.name]


def test_the_folder_is_named_by_this_python_and_its_regex_engine(monkeypatch, tmp_path):
    regex_cache.folder.cache_clear()
    try:
        monkeypatch.setenv(regex_cache.ENVIRONMENT, str(tmp_path))
        named = regex_cache.folder()
        assert named.parent == tmp_path / "regex"
        assert str(_sre.MAGIC) in named.name and ".".join(map(str, sys.version_info[:3])) in named.name
        regex_cache.folder.cache_clear()
        monkeypatch.setenv(regex_cache.ENVIRONMENT, "off")
        assert regex_cache.folder() is None
    finally:
        regex_cache.folder.cache_clear()
