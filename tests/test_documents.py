"""Documents users have: text, Markdown, web pages, PDFs and Word files, found recursively, each stored as the
text its citations index."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_figures.cli import main
from displacement_figures.extract.convert import convert
from displacement_figures.extract.documents import find_documents, source_id_list, source_ids
from displacement_figures.extract.stored import source_text
from displacement_figures.extract.text import UnreadableDocument

import documents_made as made
from conftest import tree_digest


def test_folders_are_read_recursively_and_case_insensitively(tmp_path: Path):
    (tmp_path / "sub" / "2024").mkdir(parents=True)
    (tmp_path / "REPORT.TXT").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "2024" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "Page.HTM").write_bytes(made.html_page())
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "sources.csv").write_text("source_id\n", encoding="utf-8")
    docs, skipped = find_documents(tmp_path)
    assert docs == ["Page.HTM", "REPORT.TXT", "notes.md", "sub/2024/x.txt"]
    assert [name for name, _ in skipped] == ["old.doc", "photo.jpg"]
    assert "save it as .docx" in dict(skipped)["old.doc"] and ".jpg is not read" in dict(skipped)["photo.jpg"]


def test_source_ids_are_unique_and_readable():
    ids = source_ids(["2024/report.txt", "2025/report.txt", "report.pdf", "report.html", "Dadu floods.md"])
    assert ids == {"2024/report.txt": "2024_report", "2025/report.txt": "2025_report", "report.pdf": "report.pdf",
                   "report.html": "report.html", "Dadu floods.md": "Dadu_floods"}
    assert len(set(source_ids(["a b.txt", "a_b.txt", "a-b.txt"]).values())) == 3


def test_a_web_page_gives_its_article_without_menus_links_shares_comments_or_footer():
    text = convert(made.html_page(), "page.html").text
    assert made.ARTICLE[0] in text and made.ARTICLE[1] in text
    for junk in ("24 updates", "bus crash", "1.2k", "5,000 people", "12 offices", "cookies"):
        assert junk not in text, junk


def test_a_pdf_gives_its_pages_in_order():
    c = convert(made.pdf(), "report.pdf")
    assert c.media_type == "application/pdf" and c.converter.startswith("pypdfium2 ")
    flat = " ".join(c.text.split())
    assert flat.index("1,200 people were displaced") < flat.index("45 people were killed")


def test_a_word_file_gives_paragraphs_and_table_rows():
    c = convert(made.docx(), "report.docx")
    assert c.converter.startswith("python-docx ")
    assert made.ARTICLE[0] in c.text and "Sindh\t1,200" in c.text


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("scan.pdf", made.pdf(pages=("",)), "no text layer"),
    ("locked.pdf", made.pdf(password="secret"), "password"),
    ("cut.pdf", made.pdf()[:600], "truncated"),
    ("wall.html", made.COOKIE_WALL.encode(), "cookie"),
    ("empty.html", b"", "empty file"),
    ("fake.docx", made.zip_of_something_else(), "not a Word document"),
])
def test_an_unreadable_document_is_named_with_its_reason(name: str, data: bytes, reason: str):
    with pytest.raises(UnreadableDocument, match=reason):
        convert(data, name)


def test_extract_stores_the_text_every_quote_indexes(tmp_path: Path, capsys):
    src = tmp_path / "reports"
    (src / "2024").mkdir(parents=True)
    (src / "page.html").write_bytes(made.html_page())
    (src / "report.pdf").write_bytes(made.pdf())
    (src / "2024" / "brief.docx").write_bytes(made.docx())
    (src / "2024" / "NOTES.TXT").write_text(made.ARTICLE[0] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(src), "--out", str(out)]) == 0
    with open(out / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        sources = {r["source_id"]: r for r in csv.DictReader(f)}
    assert set(sources) == {"page", "report", "2024_brief", "2024_NOTES"}
    assert sources["report"]["media_type"] == "application/pdf" and sources["report"]["converter"].startswith("pyp")
    with open(out / "data" / "figures.csv", encoding="utf-8", newline="") as f:
        figures = list(csv.DictReader(f))
    assert {r["source_id"] for r in figures} == set(sources)
    for r in figures:
        text = source_text(out, sources[r["source_id"]])
        assert text[int(r["char_start"]):int(r["char_end"])] == r["quote"]
    assert main(["validate", str(out)]) == 0


def test_bad_input_is_named_each_with_its_reason_and_the_good_documents_are_extracted(tmp_path: Path, capsys):
    """Issue 15, "Bad input": every bad file named with its reason, every good one extracted, exit 3."""
    src = tmp_path / "reports"
    src.mkdir()
    bad = {
        "scan.pdf": (made.pdf(pages=("", "")), "no text layer"),
        "locked.pdf": (made.pdf(password="secret"), "password"),
        "cut.pdf": (made.pdf()[:700], "truncated"),
        "wall.html": (made.COOKIE_WALL.encode(), "cookie"),
        "empty.html": (b"", "empty file"),
        "fake.docx": (made.zip_of_something_else(), "not a Word document"),
    }
    for name, (data, _) in bad.items():
        (src / name).write_bytes(data)
    (src / "cycle").symlink_to(src, target_is_directory=True)  # a folder that holds itself
    (src / "a.txt").symlink_to(src / "b.txt")
    (src / "b.txt").symlink_to(src / "a.txt")
    (src / "page.html").write_bytes(made.html_page())
    (src / "report.pdf").write_bytes(made.pdf())
    (src / "brief.docx").write_bytes(made.docx())
    (tmp_path / "thesis.docx").write_bytes(b"my thesis")
    before = tree_digest(tmp_path)
    out = tmp_path / "out"
    assert main(["extract", str(src), "--out", str(out)]) == 3
    captured = capsys.readouterr()
    reasons = dict(line.strip().split(": ", 1) for line in captured.err.splitlines()[1:])
    for name, (_, reason) in bad.items():
        assert reason in reasons[name], (name, reasons.get(name))
    assert "loops" in reasons["a.txt"] and "loops" in reasons["b.txt"] and "not followed" in reasons["cycle"]
    assert len(reasons) == 9
    assert "read 3 documents (1 docx, 1 html, 1 pdf)" in captured.out and "skipped 9 files" in captured.out
    with open(out / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        assert sorted(r["source_id"] for r in csv.DictReader(f)) == ["brief", "page", "report"]
    assert {k: v for k, v in tree_digest(tmp_path).items() if not k.startswith("out/")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "reports", "thesis.docx"]


def test_a_users_extraction_carries_neutral_metadata(tmp_path: Path):
    import json

    src = tmp_path / "Pakistan floods"
    src.mkdir()
    (src / "report.pdf").write_bytes(made.pdf())
    assert main(["extract", str(src), "--out", str(tmp_path / "a")]) == 0
    assert main(["extract", str(src), "--out", str(tmp_path / "b"), "--title", "My thesis corpus"]) == 0
    a = json.loads((tmp_path / "a" / "datapackage.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "datapackage.json").read_text(encoding="utf-8"))
    assert a["title"] == "Pakistan floods" and b["title"] == "My thesis corpus"
    for d in (a, b):
        assert "licenses" not in d and "contributors" not in d and d["generator"].startswith("displacement-figures ")
    readme = (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    assert "CC-BY" not in readme and "displacement-figures contributors" not in readme


def test_a_users_extraction_is_cited_as_theirs(tmp_path: Path):
    """cite_package and the xlsx About sheet name the package's title and the tool, never this project's
    licence or authors."""
    import json

    from openpyxl import load_workbook

    from displacement_figures.citation import FORMATS, cite_package

    src = tmp_path / "Pakistan floods"
    src.mkdir()
    (src / "report.pdf").write_bytes(made.pdf())
    assert main(["extract", str(src), "--out", str(tmp_path / "pkg")]) == 0
    d = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    for form in FORMATS:
        text = cite_package(d, form)
        assert "Pakistan floods" in text and d["generator"] in text, form
        assert not any(w in text for w in ("CC-BY", "icense", "displacement-figures contributors")), form
    assert main(["export", "--path", str(tmp_path / "pkg"), "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")]) == 0
    about = " ".join(str(c) for row in load_workbook(tmp_path / "x.xlsx")["About"].iter_rows(values_only=True)
                     for c in row if c is not None)
    assert cite_package(d) in about and "CC-BY" not in about and "contributors" not in about
    assert "Licence" not in about
    assert f"> {cite_package(d)}" in (tmp_path / "pkg" / "README.md").read_text(encoding="utf-8")


def test_sources_csv_may_give_a_url_and_a_bad_one_is_refused(tmp_path: Path, capsys):
    src = tmp_path / "reports"
    src.mkdir()
    (src / "page.html").write_bytes(made.html_page())
    (src / "sources.csv").write_text("source_id,url\npage,https://example.org/news/dadu-floods?id=3\n",
                                     encoding="utf-8")
    assert main(["extract", str(src), "--out", str(tmp_path / "out")]) == 0
    with open(tmp_path / "out" / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        assert next(csv.DictReader(f))["url"] == "https://example.org/news/dadu-floods?id=3"
    (src / "sources.csv").write_text("source_id,url\npage,example.org/news dadu\n", encoding="utf-8")
    assert main(["extract", str(src), "--out", str(tmp_path / "out2")]) == 1
    assert "field url" in capsys.readouterr().err and not (tmp_path / "out2").exists()


def test_a_web_pages_metadata_fills_its_sources_row(tmp_path: Path):
    """Headline, outlet, date and address from the page's <meta> tags; a sources.csv cell wins over the page."""
    src = tmp_path / "reports"
    src.mkdir()
    (src / "dadu.html").write_bytes(made.html_page(head=made.PAGE_METADATA))
    (src / "sindh.html").write_bytes(made.html_page(head=made.PAGE_METADATA))
    (src / "plain.txt").write_text(made.ARTICLE[0] + "\n", encoding="utf-8")
    (src / "sources.csv").write_text("source_id,outlet\nsindh,Sindh Herald\n", encoding="utf-8")
    assert main(["extract", str(src), "--out", str(tmp_path / "out")]) == 0
    with open(tmp_path / "out" / "data" / "sources.csv", encoding="utf-8", newline="") as f:
        rows = {r["source_id"]: r for r in csv.DictReader(f)}
    page = {k: rows["dadu"][k] for k in ("headline", "outlet", "published", "url")}
    assert page == {"headline": "Floods hit Dadu: 1,200 displaced", "outlet": "Daily News",
                    "published": "2024-07-04", "url": "https://news.example.org/2024/07/04/dadu-floods"}
    assert rows["sindh"]["outlet"] == "Sindh Herald" and rows["sindh"]["published"] == "2024-07-04"
    assert all(rows["plain"][k] == "" for k in ("headline", "outlet", "published", "url"))


def test_a_page_states_only_what_it_has_in_the_schemas_shape():
    """No <meta> tags: the <title> and the dated byline are what the page states, the outlet is left empty;
    a malformed date or a formula-like title is left out, never guessed or written."""
    from displacement_figures.extract.convert import convert

    assert convert(made.html_page(), "page.html").metadata == {"headline": "Floods hit Dadu",
                                                               "published": "2024-07-04"}
    odd = ('<meta property="og:title" content="=HYPERLINK(1)"><meta property="article:published_time" '
           'content="sometime last week">')
    assert "headline" not in convert(made.html_page(head=odd), "page.html").metadata


def test_a_curated_collection_accepts_the_same_formats(tmp_path: Path):
    import hashlib

    from displacement_figures.extract.build import build_collection, validate_package

    seeds = tmp_path / "seeds" / "mini"
    seeds.mkdir(parents=True)
    files = {"page.html": made.html_page(), "report.pdf": made.pdf(), "brief.docx": made.docx()}
    rows = ["source_id,outlet,author,headline,published,language,sha256,notes"]
    for name, data in files.items():
        (seeds / name).write_bytes(data)
        rows.append(f"{name.split('.')[0]},Daily News,,,2024-07-04,en,{hashlib.sha256(data).hexdigest()},")
    (seeds / "sources.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = build_collection(seeds, tmp_path / "datasets" / "mini")
    assert sorted(p.name for p in (out / "texts").iterdir()) == ["brief.txt", "page.txt", "report.txt"]
    assert validate_package(out, docs_root=tmp_path) == []


def test_a_package_inside_the_folder_is_not_read_as_documents(tmp_path: Path):
    src = tmp_path / "reports"
    src.mkdir()
    (src / "notes.txt").write_text(made.ARTICLE[0] + "\n", encoding="utf-8")
    assert main(["extract", str(src), "--out", str(tmp_path / "pkg")]) == 0
    (tmp_path / "pkg").rename(src / "pkg")
    docs, skipped = find_documents(src)
    assert docs == ["notes.txt"] and [n for n, _ in skipped] == ["pkg/"]


def test_the_progress_bar_stays_on_screen(tmp_path: Path, monkeypatch):
    """On a terminal a run longer than the delay leaves its finished bar; elsewhere (pipes, CI) nothing is drawn."""
    import io
    import sys

    from displacement_figures.extract import build

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    src = tmp_path / "reports"
    src.mkdir()
    (src / "notes.txt").write_text(made.ARTICLE[0] + "\n", encoding="utf-8")
    tasks, _ = build._folder_tasks(src, {})
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(build, "PROGRESS_DELAY_S", 0)
    assert [r["source_id"] for batch in build._run(tasks, jobs=1) for r in batch] == ["notes"]
    assert "100%" in screen.getvalue() and screen.getvalue().endswith("\n")


def _source_ids_plainly(documents: list[str]) -> dict[str, str]:
    """source_ids as it was first written: a table of each document's id at each step."""
    from displacement_figures.extract.documents import _without_suffix, source_id

    first = {rel: source_id(_without_suffix(rel).replace("/", "_")) for rel in documents}
    count: dict[str, int] = {}
    for sid in first.values():
        count[sid] = count.get(sid, 0) + 1
    second = {rel: (sid if count[sid] == 1 else source_id(rel.replace("/", "_"))) for rel, sid in first.items()}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for rel in sorted(documents):
        sid, n = second[rel], 1
        while (sid if n == 1 else f"{sid}-{n}") in taken:
            n += 1
        ids[rel] = sid if n == 1 else f"{sid}-{n}"
        taken.add(ids[rel])
    return ids


@settings(max_examples=300, deadline=None)
@given(st.sets(st.builds("".join, st.lists(st.sampled_from(["a", "b", " ", "-", "_", ".", "/", "2", "é"]),
                                           min_size=1, max_size=6)).map(lambda s: s + ".txt")
               | st.sampled_from(["a.txt", "a.md", "a-2.txt", "a_2.txt", "b/a.txt", "b_a.txt"]), max_size=12))
def test_source_ids_as_a_list_are_the_ids_of_the_table(names):
    documents = sorted(names)
    assert source_ids(documents) == _source_ids_plainly(documents)
    assert list(source_ids(documents).values()) == source_id_list(documents)
