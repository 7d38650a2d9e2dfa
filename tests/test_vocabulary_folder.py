"""The vocabulary is passed in, not fixed at import (issue 17): ``extract_document(..., vocabulary=folder)`` reads
a copy of ``extract/vocab/`` with one term removed or added, and only that sentence's result changes; the shipped
vocabulary, read before and after in the same process, is untouched (the caches are keyed on the folder)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from displacement_figures.extract.figures import extract_document
from displacement_figures.extract.vocabulary import VOCAB_DIR, using

REMOVED = "Some 800 people were airlifted from the town."
ADDED = "Some 800 people were marooned by the floods."
OTHER = "About 5,000 people fled the town."


def _figures(text: str, vocabulary: Path | None = None) -> list[tuple]:
    return [(r["category"], r["term"], r["value"]) for r in extract_document(text, "s", vocabulary=vocabulary)]


def _copy(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "vocab"
    shutil.copytree(VOCAB_DIR, folder)
    terms = folder / "terms.csv"
    terms.write_text(edit(terms.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def test_a_term_removed_changes_that_sentence_only(tmp_path):
    before = _figures(REMOVED), _figures(OTHER)
    assert before[0] == [("displacement", "evacuated", 800)]
    folder = _copy(tmp_path, lambda t: t.replace("airlifted,displacement,evacuated,strong,\n", ""))
    assert _figures(REMOVED, folder) == []
    assert _figures(OTHER, folder) == before[1]
    assert (_figures(REMOVED), _figures(OTHER)) == before  # the shipped vocabulary's caches are its own


def test_a_term_added_changes_that_sentence_only(tmp_path):
    assert _figures(ADDED) == []
    folder = _copy(tmp_path, lambda t: t + "marooned,displacement,displaced,strong,\n")
    assert _figures(ADDED, folder) == [("displacement", "displaced", 800)]
    assert _figures(OTHER, folder) == _figures(OTHER)
    assert _figures(ADDED) == []


def test_a_folder_without_a_vocabulary_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no vocabulary folder"):
        extract_document(OTHER, "s", vocabulary=tmp_path)


def test_using_restores_the_folder_in_use(tmp_path):
    folder = _copy(tmp_path, lambda t: t)
    with using(folder) as path:
        assert path == folder.resolve()
    assert _figures(OTHER) == _figures(OTHER, None)
