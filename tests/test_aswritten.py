"""Rows checked as they are written say what the same rows say when read back from the files.

`extract` and `build` check figures and its views as the writer writes them (extract/aswritten.py) and do not
read those tables back. Here rows the extractor should never produce are injected on their way to the writer,
and the package is validated both ways before it is refused: the same messages, and nothing published.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from displacement_figures.extract import build as build_mod
from displacement_figures.extract import package, validate
from displacement_figures.extract.build import build_collection, extract_folder
from displacement_figures.extract.package import PackageError

from conftest import SEEDS, read_csv_rows

Rows = list[dict[str, Any]]


def _valued(rows: Rows) -> dict[str, Any]:
    return next(r for r in rows if r.get("value") is not None)


def _set(field: str, value: Any) -> Callable[[Rows], None]:
    return lambda rows: rows[-1].__setitem__(field, value)


INJECTIONS: dict[str, Callable[[Rows], None]] = {
    "enum": _set("qualifier", "roughly"),
    "category outside every view": _set("category", "weather"),
    "pattern": _set("figure_id", "X00000000000"),
    "below its minimum": lambda rows: _valued(rows).__setitem__("value", -5),
    "low above the value": lambda rows: _valued(rows).__setitem__("value_low", _valued(rows)["value"] + 10),
    "missing required": _set("rule", None),
    "repeated figure": lambda rows: rows.append(dict(rows[0])),
    "unknown source": _set("source_id", "nosuch"),
}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    src = tmp_path / "docs"
    src.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, src / p.name)
    return src


def _both_ways(monkeypatch) -> list[tuple[list[str], list[str]]]:
    """Make the build validate each package as written and from its files; the pairs of answers."""
    real, seen = build_mod.validate_package, []

    def both(directory, **kw):
        as_written = real(directory, **kw)
        kw.pop("written")
        seen.append((as_written, real(directory, **kw)))
        return as_written

    monkeypatch.setattr(build_mod, "validate_package", both)
    return seen


def _inject(monkeypatch, edit: Callable[[Rows], None], document: int = 3) -> None:
    """``edit`` the rows of the ``document``-th document (0-based) the extractor returns."""
    real = build_mod.extract_document

    def extract(text: str, source_id: str) -> Rows:
        rows = real(text, source_id)
        if rows and source_id.startswith(f"{document:03d}_"):
            edit(rows)
        return rows

    monkeypatch.setattr(build_mod, "extract_document", extract)


@pytest.mark.parametrize("batch", [7, 512])
@pytest.mark.parametrize("case", list(INJECTIONS))
def test_a_bad_row_is_refused_with_the_messages_its_file_gives(case: str, batch: int, docs: Path, tmp_path: Path,
                                                              monkeypatch):
    monkeypatch.setattr(validate, "BATCH_ROWS", batch)
    seen = _both_ways(monkeypatch)
    _inject(monkeypatch, INJECTIONS[case])
    with pytest.raises(PackageError, match="does not validate; nothing was written"):
        extract_folder(docs, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    [(as_written, from_files)] = seen
    assert as_written and sorted(as_written) == sorted(from_files), (as_written, from_files)


def test_a_view_row_unlike_its_figure_is_named(docs: Path, tmp_path: Path, monkeypatch):
    seen = _both_ways(monkeypatch)
    real = package.TableWriter.write_columns

    def write_columns(self, columns):
        if self.name == "displacement" and self.rows == 0:  # the last cell of the first row
            columns = [*columns[:-1], ["edited", *columns[-1][1:]]]
        real(self, columns)

    monkeypatch.setattr(package.TableWriter, "write_columns", write_columns)
    with pytest.raises(PackageError):
        extract_folder(docs, tmp_path / "out")
    [(as_written, from_files)] = seen
    assert any("data/displacement.csv: row 2" in e for e in as_written), as_written
    assert sorted(as_written) == sorted(from_files)


def test_a_quote_unlike_its_text_is_named_by_the_build(seeds_copy: Path, tmp_path: Path, monkeypatch):
    """The build checks quotes in the validation (review decisions change rows after the extractor)."""
    seen = _both_ways(monkeypatch)
    monkeypatch.setattr(build_mod, "check_rows", lambda rows, text, name: [])
    _inject(monkeypatch, lambda rows: rows[-1].__setitem__("quote", rows[-1]["quote"] + "x"), document=1)
    with pytest.raises(PackageError, match="field quote"):
        build_collection(seeds_copy, tmp_path / "out")
    [(as_written, from_files)] = seen
    assert any("field quote: failed quote == text[char_start:char_end]" in e for e in as_written), as_written
    assert sorted(as_written) == sorted(from_files)


def test_valid_packages_pass_both_ways(docs: Path, seeds_copy: Path, tmp_path: Path, monkeypatch):
    seen = _both_ways(monkeypatch)
    extract_folder(docs, tmp_path / "extracted")
    build_collection(seeds_copy, tmp_path / "built")
    assert seen == [([], []), ([], [])]


FINISH_INJECTIONS: dict[str, Callable[[Rows, Rows], None]] = {
    "fact status": lambda facts, links: facts[-1].__setitem__("status", "weird"),
    "link to no fact": lambda facts, links: links[-1].__setitem__("fact_id", "Q000000000000"),
}


@pytest.mark.parametrize("batch", [7, 512])
@pytest.mark.parametrize("case", [*FINISH_INJECTIONS, "source hash"])
def test_the_other_tables_are_checked_as_written_too(case: str, batch: int, docs: Path, tmp_path: Path,
                                                     monkeypatch):
    monkeypatch.setattr(validate, "BATCH_ROWS", batch)
    seen = _both_ways(monkeypatch)
    real = package.Reconciler.facts

    def facts(self, corrections=()):
        pairs = list(real(self, corrections))
        if case in FINISH_INJECTIONS:
            FINISH_INJECTIONS[case]([f for f, _ in pairs], [link for _, its in pairs for link in its])
        return iter(pairs)

    monkeypatch.setattr(package.Reconciler, "facts", facts)
    source_row = build_mod._source_row
    monkeypatch.setattr(build_mod, "_source_row", lambda *a, **kw: {**source_row(*a, **kw), "sha256": "not-a-hash"}
                        if case == "source hash" else source_row(*a, **kw))
    with pytest.raises(PackageError, match="does not validate"):
        extract_folder(docs, tmp_path / "out")
    [(as_written, from_files)] = seen
    assert as_written and sorted(as_written) == sorted(from_files), (as_written, from_files)


def test_a_descriptor_unlike_the_tables_written_is_refused(docs: Path, tmp_path: Path, monkeypatch):
    """The rows were checked against the schemas the writer used: a descriptor saying otherwise is a problem."""
    real = package.package_descriptor

    def loosened(*args, **kwargs):
        d = real(*args, **kwargs)
        figures = next(r for r in d["resources"] if r["name"] == "figures")
        figures["schema"]["fields"][0]["constraints"].pop("pattern")
        return d

    monkeypatch.setattr(package, "package_descriptor", loosened)
    with pytest.raises(PackageError, match="resource figures: not the path and schema its rows were written"):
        extract_folder(docs, tmp_path / "out")


def test_rows_wait_for_their_check_one_batch_at_most(docs: Path, tmp_path: Path, monkeypatch):
    """Memory stays flat: a writer's rows are checked once a batch of them is there, never all at the end."""
    monkeypatch.setattr(validate, "BATCH_ROWS", 7)
    monkeypatch.setattr(build_mod, "BATCH_DOCUMENTS", 1)  # documents are written one at a time
    real, batches = validate.TableRun.rows, []

    def rows(self, batch):
        if self.t.name == "figures":
            batches.append(len(batch))
        real(self, batch)

    monkeypatch.setattr(validate.TableRun, "rows", rows)
    extract_folder(docs, tmp_path / "out")
    figures = [r[1] for r in read_csv_rows(tmp_path / "out" / "data" / "figures.csv")[1:]]
    most = max(figures.count(sid) for sid in set(figures))  # a document's figures are written together
    assert sum(batches) == len(figures) and len(batches) >= 3 and max(batches) < 7 + most, batches
