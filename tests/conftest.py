"""Shared fixtures: every test builds into temporary folders, never into the checkout."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COLLECTION = "syria-2024-12"
SEEDS = REPO / "seeds" / COLLECTION


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under root."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


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
