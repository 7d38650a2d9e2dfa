"""Documents are extracted and written a batch at a time (extract/build.py ``_batches``): in order, none lost,
and each batch bounded, so memory stays flat whatever the corpus."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from displacement_figures.extract import build


@given(st.lists(st.one_of(st.integers(0, 150), st.none()), max_size=200), st.integers(1, 70),
       st.integers(1, 400))
def test_batches_keep_order_and_stay_bounded(lengths, size, chars):
    results = [{"source_id": str(i)} if n is None else {"source_id": str(i), "text": "x" * n}
               for i, n in enumerate(lengths)]
    batches = list(build._batches(iter(results), size, chars))
    assert [r for b in batches for r in b] == results
    for b in batches:
        assert 1 <= len(b) <= size
        held = [len(r.get("text") or "") for r in b]
        assert sum(held[:-1]) < chars  # only a batch's last document takes it past the bound
