"""Bad input: a folder with an empty file, a binary file, a Latin-1 file, a 20 MB file and a file of only numbers.

Every good document is extracted, every bad one is named with a reason a user understands, and the exit code says
whether anything was skipped (3) or not (0). The folder is extracted once, by the command line as a user runs it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from displacement_figures import schema as tschema

from conftest import REPO, SEEDS

BIG_BYTES = 20_000_000
SEED = min(SEEDS.glob("*.txt"))
LATIN1 = (
    "GENEVA, 12 March - Médecins Sans Frontières said on Tuesday that about 4,500 people had fled their homes in "
    "the Région de Kayes after two days of clashes.\n\n"
    "José Ramírez, a spokesman for the Société Nationale, said at least 37 civilians were killed and that "
    "1,200 families were sheltering in schools near Nioro du Sahel, some 90 km north of the town.\n"
)
NUMBERS = "12345\n2024-03-01\n+44 20 7946 0958\n3.14159\n1,000,000\n42\n0800 123 456\n07/08/2023\n99 98 97\n"
BAD = {  # file -> what the report must say about it
    "empty.txt": "empty file",
    "blank.txt": "no text (only white space)",
    "binary.txt": "binary data (NUL bytes)",
    "utf16.txt": "UTF-16 text",
    "photo.jpg": "format .jpg is not read",
}
GOOD = ["big", "good-1", "good-2", "latin1", "numbers"]


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "displacement_figures", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def repeats() -> int:
    """Copies of the seed (each followed by a blank line) in big.txt: just over 20 MB."""
    return BIG_BYTES // (len(SEED.read_bytes()) + 2) + 1


def make_folder(src: Path, bad: bool = True, big: bool = True) -> Path:
    src.mkdir(parents=True)
    seed = SEED.read_bytes()
    (src / "good-1.txt").write_bytes(seed)
    (src / "good-2.txt").write_bytes(max(SEEDS.glob("*.txt")).read_bytes())
    (src / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (src / "numbers.txt").write_text(NUMBERS, encoding="utf-8")
    if big:
        with open(src / "big.txt", "wb") as f:
            f.writelines(seed + b"\n\n" for _ in range(repeats()))
    if bad:
        (src / "empty.txt").write_bytes(b"")
        (src / "blank.txt").write_bytes(b" \n\t\r\n  \n")
        (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8)
        (src / "utf16.txt").write_bytes("Some 5,000 people fled the town.\n".encode("utf-16"))
        (src / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a document")
    return src


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The bad folder extracted by `displacement-figures extract --jobs 2`: (folder, package, process)."""
    root = tmp_path_factory.mktemp("bad")
    src = make_folder(root / "docs")
    out = root / "out"
    result = run("extract", str(src), "--out", str(out), "--jobs", "2")
    return src, out, result


def test_exit_code_3_when_files_were_skipped(extracted):
    _, out, r = extracted
    assert r.returncode == 3, r.stderr
    assert (out / "datapackage.json").is_file()  # validated before it replaced anything, or the code would be 1


def test_every_bad_file_is_named_with_its_reason(extracted):
    _, _, r = extracted
    skipped = r.stderr.split("not extracted:\n", 1)[1].splitlines()
    assert sorted(line.split(":")[0].strip() for line in skipped) == sorted(BAD)
    for name, reason in BAD.items():
        assert any(line.strip().startswith(f"{name}: ") and reason in line for line in skipped), (name, r.stderr)
    assert "skipped 5 file(s)" in r.stderr


def test_good_documents_are_extracted_and_noted(extracted):
    _, out, r = extracted
    schema = tschema.table_schema("sources")
    sources = tschema.read_table(out / "data" / "sources.csv", schema).set_index("source_id")
    assert sorted(sources.index) == GOOD
    figures = pd.read_csv(out / "data" / "figures.csv", dtype=str, keep_default_na=False)
    counts = figures["source_id"].value_counts()
    assert all(counts.get(sid, 0) > 0 for sid in ["big", "good-1", "good-2", "latin1"]), counts
    assert counts.get("numbers", 0) == 0
    assert "note: numbers.txt: no figures found" in r.stdout
    assert "note: latin1.txt: not UTF-8: read as Windows-1252" in r.stdout
    assert not any(f"{g}.txt" in r.stderr for g in GOOD)  # stderr is for what went wrong
    assert sources.loc["latin1", "encoding"] == "cp1252"
    assert sources.loc["big", "bytes"] >= BIG_BYTES


def test_every_quote_is_its_span_of_the_decoded_document(extracted):
    src, out, _ = extracted
    sources = pd.read_csv(out / "data" / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    figures = pd.read_csv(out / "data" / "figures.csv", dtype=str, keep_default_na=False)
    texts = {sid: (src / row["path"]).read_bytes().decode(row["encoding"], errors="replace")
             for sid, row in sources.iterrows()}
    bad = [r for r in figures.itertuples()
           if texts[r.source_id][int(r.char_start):int(r.char_end)] != r.quote
           or texts[r.source_id][int(r.sentence_start):int(r.sentence_end)] != r.sentence]
    assert bad == []
    latin = figures[figures["source_id"] == "latin1"]
    assert set(latin["quote"]) >= {"about 4,500 people had fled", "at least 37 civilians were killed"}
    assert "Médecins Sans Frontières" in set(latin["attributed_to"])
    assert latin["sentence"].str.contains("Médecins Sans Frontières").any()
    assert latin["sentence"].str.contains("José Ramírez").any()


def test_the_big_document_gives_the_rows_of_its_seed_repeated(extracted):
    _, out, _ = extracted
    figures = pd.read_csv(out / "data" / "figures.csv", dtype=str, keep_default_na=False)
    seed = len(SEED.read_text(encoding="utf-8")) + 2  # characters of one copy and its blank line
    big = figures[figures["source_id"] == "big"]
    one = figures[figures["source_id"] == "good-1"]
    assert len(big) == repeats() * len(one)
    first = big[big["char_end"].astype(int) <= seed]
    columns = ["char_start", "char_end", "category", "term", "value", "quote"]
    assert first[columns].reset_index(drop=True).equals(one[columns].reset_index(drop=True))


def test_memory_stays_reasonable_for_a_20_mb_document(extracted):
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    assert peak < 1024 ** 3  # about 14 bytes per byte of text; a leak or a quadratic copy would show here


def test_exit_code_0_when_nothing_was_skipped(tmp_path: Path):
    src = make_folder(tmp_path / "docs", bad=False, big=False)
    r = run("extract", str(src), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "skipped" not in r.stderr
    assert "note: numbers.txt: no figures found" in r.stdout  # said, but not an error


def test_a_folder_without_documents_is_an_error(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "figures.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    r = run("extract", str(tmp_path / "docs"), "--out", str(tmp_path / "out"))
    assert r.returncode == 1 and "no documents" in r.stderr and "figures.xlsx" in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_sentence_that_starts_like_a_formula_does_not_cost_the_document(tmp_path: Path):
    """"@UNHCR: ..." or a long table cut at "|---|": the cited sentence starts after those characters, so the
    document's figures are kept (the guard against spreadsheet formulas would refuse the whole document)."""
    from displacement_figures.extract.build import extract_folder

    src = tmp_path / "docs"
    src.mkdir()
    (src / "post.txt").write_text("@UNHCR: 5,000 people were displaced in Goma.\n= 300 homes were destroyed.\n",
                                  encoding="utf-8")
    table = "| Area | Displaced | Deaths |\n" + "|---|---|---|\n" * 200 + "| Aa | 1,200 | 5 |\n"
    (src / "table.txt").write_text(table, encoding="utf-8")
    assert extract_folder(src, tmp_path / "pkg") == []
    rows = pd.read_csv(tmp_path / "pkg" / "data" / "figures.csv")
    assert sorted(rows["value"]) == [5, 300, 1200, 5000]
    assert rows["sentence"].str[0].isin(list("=+-@")).sum() == 0
