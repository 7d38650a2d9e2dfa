"""The texts a package stores: what every source's ``char_start``/``char_end`` index.

A converted document's quotes index the converter's output, not the file, so the package keeps that text as
``texts/<source_id>.txt`` and ``sources.text_path`` names it. :func:`source_text` is the one reader: validation
and the review page both cut quotes from what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TEXT_PATH = re.compile(r"texts/[A-Za-z0-9][A-Za-z0-9_.-]*\.txt")


def source_text(package_dir: str | Path, source: Mapping[str, Any]) -> str:
    """The stored text of one ``sources`` row (a mapping with ``text_path``), exactly as its offsets count it.

    Raises ``ValueError`` for a path that is not ``texts/<file>.txt`` or leads out of the package (a crafted
    package is never read outside itself), ``OSError`` when the file cannot be read.
    """
    package_dir = Path(package_dir)
    rel = source.get("text_path")
    if not isinstance(rel, str) or not TEXT_PATH.fullmatch(rel):
        raise ValueError(f"text_path {rel!r} is not texts/<name>.txt")
    path = package_dir / rel
    if not path.resolve().is_relative_to((package_dir / "texts").resolve()):
        raise ValueError(f"text_path {rel!r} leads outside the package (a symbolic link)")
    with open(path, encoding="utf-8", newline="") as f:  # newline="": offsets count "\r\n" as two characters
        return f.read()
