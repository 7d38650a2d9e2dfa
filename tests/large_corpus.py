"""A generated corpus of many short reports, for checking that exports and charts stay bounded as packages grow.

Each document reports figures about invented towns in plain news sentences, so `extract` gives many facts (most
of them conflicts across documents) and many sources without outlets: the hard case for charts and workbooks.
Used by tests/test_export.py (shape and size, never time) and benchmarks/export_scale.py (time).
"""

from __future__ import annotations

import random
from pathlib import Path

STEMS = ["Alba", "Borin", "Cadra", "Delmo", "Esker", "Farin", "Golan", "Hadda", "Istra", "Jebel", "Kasso", "Lumen",
         "Marra", "Nodra", "Orsk", "Pella", "Quora", "Rasso", "Selma", "Tarra"]
ENDINGS = ["ville", "burg", "abad", "pur", " City"]
VERBS = ["fled", "were displaced from", "were evacuated from", "were killed in"]
LONG_QUOTE = ("Officials who spoke on condition of anonymity said the convoy, which had waited for several days at "
              "the checkpoint, was finally allowed to pass after negotiations that lasted well into the night")


def write_corpus(folder: Path, documents: int, sentences: int = 6, seed: int = 1) -> Path:
    """``documents`` .txt files of ``sentences`` figures each (about one figure per sentence) in ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(documents):
        lines = []
        for _ in range(sentences):
            place = rng.choice(STEMS) + rng.choice(ENDINGS)
            n = rng.randrange(100, 90000)
            lines.append(f"About {n:,} people {rng.choice(VERBS)} {place} on Monday, officials said.")
        if i % 5 == 0:
            lines.append(f"{LONG_QUOTE}, and {rng.randrange(100, 9000):,} people fled {rng.choice(STEMS)}pur.")
        (folder / f"d{i:05d}.txt").write_text(" ".join(lines) + "\n", encoding="utf-8")
    return folder
