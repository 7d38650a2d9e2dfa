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


def test_a_batch_run_step_by_step_gives_what_each_document_run_whole_gives(tmp_path, monkeypatch):
    """In this process `_run` reads a batch, then extracts it, then checks it (extract/build.py); a worker runs each
    document whole (`process_document`). Every outcome is the same: a document read and extracted, a file that
    cannot be read, one that is not text, one whose hash changed, one the extractor fails on, one whose rows would
    not quote its text."""
    good = "Some 280,000 people were displaced in a week, the UN said.\n"
    files = {"good.txt": good, "empty.txt": "", "binary.txt": "\x00\x01\x02", "changed.txt": good,
             "crash.txt": "Some 1,000 people fled.\n", "misquoted.txt": "About 5,000 people fled the city.\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    tasks = [(str(tmp_path / name), name, name.removesuffix(".txt"), False, "0" * 64 if name == "changed.txt" else "")
             for name in files] + [(str(tmp_path / "gone.txt"), "gone.txt", "gone", False, "")]
    extract = build.extract_document

    def extract_or_fail(text: str, source_id: str) -> list[dict]:
        if source_id == "crash":
            raise RuntimeError("boom")
        rows = extract(text, source_id)
        if source_id == "misquoted":
            rows[0]["quote"] = "not in the text"
        return rows

    monkeypatch.setattr(build, "extract_document", extract_or_fail)
    monkeypatch.setattr(build, "BATCH_DOCUMENTS", 3)
    whole = [build.process_document(t) for t in tasks]
    stepped = [r for batch in build._run(tasks, jobs=1) for r in batch]
    assert stepped == whole
    assert [r["source_id"] for r in whole if "error" not in r] == ["good"]
    assert [("rows" in r, "text" in r) for r in whole if "error" in r] == [(False, False)] * 6
