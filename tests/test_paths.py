"""Hostile names and paths: traversal, links out of the folder, control characters. Refused or skipped, clearly.

The rules (see extract/build.py, "names and paths"):

- a curated build (``build_collection``) refuses, naming the file: a
  sources.csv source_id, a document name or a collection name that holds a
  path separator, "..", a drive, or a control or invisible character (tab,
  newline, DEL, C1, bidi overrides, zero-width marks, undecodable bytes);
  and any symbolic link, even one inside the folder: a curated collection is
  its files, byte for byte;
- ``extract_folder`` (a user's archive) skips such a document and reports it
  (the CLI exits 3), as it does an unreadable one; a link that stays inside
  the folder is read, a link out of it or a broken one is skipped;
- ``validate_package`` reports a package whose sources.path (or resource
  path) is absolute, climbs out with "..", or leads out through a link, and
  never opens it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from displacement_figures.extract.build import BuildError, build_collection, extract_folder, validate_package

from conftest import COLLECTION, REPO, SEEDS, tree_digest

HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}
BAD_NAMES = {
    "parent": "..",
    "climbs out": "../evil",
    "dots inside": "a..b",
    "slash": "a/b",
    "absolute": "/etc/passwd",
    "backslash": "a\\b",
    "windows drive": "C:evil",
    "newline": "a\nb",
    "tab": "a\tb",
    "carriage return": "a\rb",
    "NUL": "a\x00b",
    "DEL": "a\x7fb",
    "C1 control": "a\x85b",
    "bidi override": "report\u202etxt.exe",
    "bidi isolate": "a\u2066b",
    "zero-width space": "a\u200bb",
    "byte-order mark": "\ufeffa",
    "line separator": "a\u2028b",
    "undecodable byte": "bad\udcff",
    "only dots": ".",
}
# Names a file system can hold (no "/" nor NUL), for the document-name tests.
FILE_NAMES = {k: v for k, v in BAD_NAMES.items() if "/" not in v and "\x00" not in v and v not in (".", "..")}


def shown_plainly(message: str) -> bool:
    """A message a terminal shows as written: no control, bidi or invisible character gets through raw."""
    return not any(unicodedata.category(c) in HIDDEN for c in message)


def _set_first_source_id(seeds: Path, new_id: str) -> None:
    with open(seeds / "sources.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][0] = new_id
    with open(seeds / "sources.csv", "w", encoding="utf-8", newline="", errors="surrogateescape") as f:
        csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)


def _touch(folder: Path, name: str, data: bytes = b"Some 5,000 people were displaced.\n") -> None:
    """Create folder/name, a name possibly holding undecodable bytes (as surrogates)."""
    with open(os.fsencode(folder) + b"/" + os.fsencode(name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- curated builds refuse

@pytest.mark.parametrize("case", list(BAD_NAMES))
def test_unsafe_source_id_is_refused(case: str, seeds_copy: Path, tmp_path: Path):
    _set_first_source_id(seeds_copy, BAD_NAMES[case])
    with pytest.raises(BuildError) as info:
        build_collection(seeds_copy, tmp_path / "out")
    message = str(info.value)
    if case == "undecodable byte":  # a byte UTF-8 cannot decode: the whole file is refused as not UTF-8
        assert "sources.csv: not UTF-8" in message, message
    else:
        assert "sources.csv: row 2, field source_id" in message, message
    assert shown_plainly(message), message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", list(FILE_NAMES))
def test_unsafe_document_name_is_refused(case: str, seeds_copy: Path, tmp_path: Path):
    _touch(seeds_copy, FILE_NAMES[case] + ".txt")
    with pytest.raises(BuildError) as info:
        build_collection(seeds_copy, tmp_path / "out")
    message = str(info.value)
    name = FILE_NAMES[case] + ".txt"
    assert "file name" in message and (name if name.isprintable() else ascii(name)[1:-1]) in message, message
    assert shown_plainly(message), message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ["newline", "bidi override", "dots inside", "undecodable byte", "tab"])
def test_unsafe_collection_name_is_refused(case: str, tmp_path: Path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    name = os.fsencode(seeds) + b"/" + os.fsencode(BAD_NAMES[case])
    shutil.copytree(SEEDS, os.fsdecode(name))
    with pytest.raises(BuildError) as info:
        build_collection(Path(os.fsdecode(name)), tmp_path / "out")
    assert "collection name" in str(info.value) and shown_plainly(str(info.value))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["outside", "inside", "broken", "sources.csv"])
def test_symbolic_links_are_refused_in_a_curated_collection(where: str, seeds_copy: Path, tmp_path: Path):
    first = seeds_copy / min(SEEDS.glob("*.txt")).name
    if where == "outside":  # the same bytes, so only the link gives it away
        shutil.copy(first, tmp_path / "outside.txt")
        first.unlink()
        os.symlink(tmp_path / "outside.txt", first)
        link = first
    elif where == "inside":
        link = seeds_copy / "zz_link.txt"
        os.symlink(first, link)
    elif where == "broken":
        link = seeds_copy / "zz_broken.txt"
        os.symlink(tmp_path / "gone.txt", link)
    else:
        link = seeds_copy / "sources.csv"
        link.rename(tmp_path / "sources.csv")
        os.symlink(tmp_path / "sources.csv", link)
    with pytest.raises(BuildError) as info:
        build_collection(seeds_copy, tmp_path / "out")
    assert link.name in str(info.value) and "symbolic link" in str(info.value), str(info.value)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- extract skips and reports

def _archive(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "archive"
    src.mkdir()
    good = min(SEEDS.glob("*.txt"))
    shutil.copy(good, src / "good.txt")
    outside = tmp_path / "outside.txt"
    outside.write_bytes(good.read_bytes())
    return src, outside


def test_extract_skips_badly_named_documents_and_links_out(tmp_path: Path):
    src, outside = _archive(tmp_path)
    for name in FILE_NAMES.values():
        _touch(src, name + ".txt")
    os.symlink(outside, src / "link_out.txt")
    os.symlink(tmp_path / "gone.txt", src / "link_broken.txt")
    os.symlink(src / "good.txt", src / "link_in.txt")  # stays in the folder: read like any file
    skipped = dict(extract_folder(src, tmp_path / "out"))
    for name in FILE_NAMES.values():
        assert name + ".txt" in skipped or ascii(name + ".txt") in skipped, (name, skipped)
    assert "symbolic link" in skipped["link_out.txt"] and "outside" in skipped["link_out.txt"]
    assert "link_broken.txt" in skipped
    assert "good.txt" not in skipped and "link_in.txt" not in skipped
    assert all(shown_plainly(k + v) for k, v in skipped.items()), skipped
    with open(tmp_path / "out" / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        assert sorted(r["path"] for r in csv.DictReader(f)) == ["good.txt", "link_in.txt"]
    assert validate_package(tmp_path / "out", docs_root=src) == []


def test_extract_cli_reports_bad_names_and_exits_3(tmp_path: Path):
    src, outside = _archive(tmp_path)
    _touch(src, "evil\u202etxt.exe.txt")
    _touch(src, "two\nlines.txt")
    os.symlink(outside, src / "link_out.txt")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    r = subprocess.run([sys.executable, "-m", "displacement_figures", "extract", str(src), "--out", str(tmp_path / "o")],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 3, r.stderr
    assert "\\u202e" in r.stderr and "two\\nlines.txt" in r.stderr and "link_out.txt" in r.stderr, r.stderr
    assert shown_plainly(r.stderr.replace("\n", "")), r.stderr


def test_extract_refuses_a_sources_csv_that_links_out(tmp_path: Path):
    src, _ = _archive(tmp_path)
    (tmp_path / "elsewhere.csv").write_text("source_id\ngood\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere.csv", src / "sources.csv")
    with pytest.raises(BuildError, match="sources.csv.*symbolic link"):
        extract_folder(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_extract_refuses_an_unsafe_source_id_in_its_sources_csv(tmp_path: Path):
    src, _ = _archive(tmp_path)
    (src / "sources.csv").write_text('source_id\n"../../good"\n', encoding="utf-8")
    with pytest.raises(BuildError, match=r"sources.csv: row 2, field source_id"):
        extract_folder(src, tmp_path / "out")


# ---------------------------------------------------------------- validate never reads outside

def _package(tmp_path: Path) -> tuple[Path, Path]:
    src, _ = _archive(tmp_path)
    pkg = tmp_path / "pkg"
    assert extract_folder(src, pkg) == []
    return pkg, src


def _set_source_path(pkg: Path, new_path: str) -> None:
    sources = pkg / "data" / "sources.csv"
    with open(sources, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["path"] = new_path
    with open(sources, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize("crafted", ["../outside.txt", "../../outside.txt", "ARCHIVE_ABSOLUTE", "a/../../outside.txt",
                                     "..\\outside.txt", "C:\\outside.txt", "good\n.txt", "\u202egood.txt"])
def test_validate_does_not_read_a_crafted_document_path(crafted: str, tmp_path: Path, monkeypatch):
    pkg, src = _package(tmp_path)
    crafted = str(tmp_path / "outside.txt") if crafted == "ARCHIVE_ABSOLUTE" else crafted
    _set_source_path(pkg, crafted)
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.resolve()) or real(self))
    errors = validate_package(pkg, docs_root=src)
    assert any("data/sources.csv: row 2, field path" in e and "not read" in e for e in errors), errors
    assert (tmp_path / "outside.txt").resolve() not in read
    assert all(shown_plainly(e) for e in errors), errors


def test_validate_does_not_follow_a_document_link_out_of_the_folder(tmp_path: Path, monkeypatch):
    pkg, src = _package(tmp_path)
    (src / "good.txt").unlink()
    os.symlink(tmp_path / "outside.txt", src / "good.txt")  # same bytes: reading it would pass silently
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.resolve()) or real(self))
    errors = validate_package(pkg, docs_root=src)
    assert any("field path" in e and "outside" in e and "not read" in e for e in errors), errors
    assert (tmp_path / "outside.txt").resolve() not in read


@pytest.mark.parametrize("crafted", ["../../outside.txt", "/etc/passwd", "data/../../outside.txt"])
def test_validate_does_not_read_a_crafted_resource_path(crafted: str, tmp_path: Path):
    pkg, src = _package(tmp_path)
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = crafted
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    before = tree_digest(pkg)
    errors = validate_package(pkg, docs_root=src)
    assert any("datapackage.json: resource" in e and "not read" in e for e in errors), errors
    assert tree_digest(pkg) == before


def test_the_shipped_collection_passes_the_name_rules():
    """The rules refuse nothing real: the seeds' names, ids and paths are plain."""
    from displacement_figures.extract.build import read_sources_csv, unsafe_name

    assert unsafe_name(COLLECTION) is None
    assert all(unsafe_name(p.name) is None for p in SEEDS.iterdir())
    assert all(unsafe_name(sid) is None for sid in read_sources_csv(SEEDS / "sources.csv"))
