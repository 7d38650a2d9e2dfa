"""Numbers that are not figures: ages, years, money, percentages, phone numbers, names.

Each line of negatives.txt is a sentence with no figure of the four kinds;
the extractor must report nothing for any of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from displacement_figures.extract.figures import extract_document

LINES = [ln for ln in (Path(__file__).with_name("golden") / "negatives.txt").read_text(encoding="utf-8").splitlines()
         if ln.strip() and not ln.startswith("#")]


@pytest.mark.parametrize("line", LINES, ids=[ln[:40] for ln in LINES])
def test_not_a_figure(line):
    assert extract_document(line, "neg") == []
