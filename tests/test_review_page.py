"""The review page in a real browser: headless Chromium loads the written file and the test reads its DOM.

Every figure of the package must be highlighted exactly once (one element with its data-figure-id), every
fact present (data-fact-id), and the page must run without a script error (the page writes any error into
the DOM, and marks the body ready when it has drawn). Without a browser these tests are skipped with a message
saying how to install one; on CI (CI=true, where .ci/run installs Debian's chromium) they fail instead.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from displacement_figures.cli import main
from displacement_figures.extract.decisions import read_review
from displacement_figures.outputs import OutputRefused
from displacement_figures.review import ReviewPageError, _stored_text, page_data, write_review_page

import documents_made as made

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> str:
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if found:
        return found
    message = ("no headless browser (chromium) on this machine: the review page's browser tests need one; "
               "install it with `apt-get install chromium`")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (.ci/run installs it on CI)")
    pytest.skip(message)


def dump_dom(page: Path, tmp_path: Path, fragment: str = "") -> str:
    """The DOM of ``page`` after its scripts ran, as headless Chromium serialises it."""
    cmd = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom",
           page.resolve().as_uri() + fragment]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


class Elements(HTMLParser):
    """Attributes of every element (script contents are text to the parser, so code never counts)."""

    def __init__(self, dom: str):
        super().__init__()
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        self.attrs.append((tag, dict(attrs)))

    def values(self, name: str) -> list[str]:
        return [a[name] for _, a in self.attrs if name in a]

    def with_class(self, cls: str) -> list[dict]:
        return [a for _, a in self.attrs if cls in (a.get("class") or "").split()]


def _ids(package: Path, table: str, column: str) -> list[str]:
    with open(package / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return [r[column] for r in csv.DictReader(f)]


@pytest.fixture(scope="module")
def page(built: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("page") / "review.html"
    assert main(["review", "--path", str(built), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def everything(page: Path, tmp_path_factory) -> Elements:
    return Elements(dump_dom(page, tmp_path_factory.mktemp("chromium"), "#all"))


def test_every_figure_highlighted_exactly_once(everything: Elements, built: Path):
    figures = _ids(built, "figures", "figure_id")
    highlights = Counter(everything.values("data-figure-id"))
    assert highlights == Counter(figures)
    assert all("fig" in a["class"].split() for a in everything.with_class("fig"))


def test_every_fact_present_conflicts_first(everything: Elements, built: Path):
    facts = everything.with_class("fact")
    assert sorted(a["data-fact-id"] for a in facts) == sorted(_ids(built, "facts", "fact_id"))
    statuses = ["status-conflict" in a["class"] for a in facts]
    assert statuses == sorted(statuses, reverse=True)


def test_the_page_ran_without_errors(everything: Elements):
    assert not everything.with_class("js-error")
    assert ("body", {"data-ready": "true"}) in everything.attrs


def test_one_document_at_a_time_and_a_figure_by_link(page: Path, built: Path, tmp_path: Path):
    """Without #all only the first document is drawn; #figure=ID opens that figure's document and details."""
    first = Elements(dump_dom(page, tmp_path))
    sources = _ids(built, "sources", "source_id")
    assert first.values("data-source-id") == sources[:1] and not first.with_class("js-error")
    with open(built / "data" / "figures.csv", encoding="utf-8", newline="") as f:
        last = list(csv.DictReader(f))[-1]
    dom = dump_dom(page, tmp_path, f"#figure={last['figure_id']}")
    linked = Elements(dom)
    assert linked.values("data-source-id") == [last["source_id"]] and not linked.with_class("js-error")
    assert any(a.get("data-figure-id") == last["figure_id"] for a in linked.with_class("selected"))
    assert 'id="d-reason"' in dom and "copy fix line" in dom
    # The line the page offers is one the build reads: the decisions format is the page's too.
    line = re.search(r'<pre id="d-line">(.*?)</pre>', dom, flags=re.DOTALL).group(1)
    (tmp_path / "review.csv").write_text("figure_id,decision,field,value,reason\n" + html.unescape(line) + "\n",
                                         encoding="utf-8")
    (decision,) = read_review(tmp_path / "review.csv")
    assert (decision.figure_id, decision.decision) == (last["figure_id"], "verify")
    assert decision.reason.startswith("“" + last["quote"])


def _with_clicks(page: Path, tmp_path: Path, script: str) -> Path:
    """A copy of the page with ``script`` run after the page's own: clicks made as a user makes them."""
    head, tail = page.read_text(encoding="utf-8").rsplit("</body>", 1)
    clicked = tmp_path / "clicked.html"
    clicked.write_text(f"{head}<script>{script}</script>\n</body>{tail}", encoding="utf-8")
    return clicked


def test_the_copy_button_offers_a_line_the_build_reads(page: Path, built: Path, tmp_path: Path):
    """Click one figure's "copy fix line": the line lands in the page's decisions box, and review.csv reads it."""
    with open(built / "data" / "figures.csv", encoding="utf-8", newline="") as f:
        figure = next(csv.DictReader(f))
    script = ("document.getElementById('d-field').value = 'location';"
              "document.getElementById('d-value').value = 'Homs, \"old city\"';"
              "document.querySelector('#details button[data-copy=fix]').click();")
    dom = dump_dom(_with_clicks(page, tmp_path, script), tmp_path, f"#figure={figure['figure_id']}")
    assert not Elements(dom).with_class("js-error")
    box = re.search(r'<textarea id="decisions-box"[^>]*>(.*?)</textarea>', dom, flags=re.DOTALL).group(1)
    (tmp_path / "review.csv").write_text("figure_id,decision,field,value,reason\n" + html.unescape(box) + "\n",
                                         encoding="utf-8")
    (decision,) = read_review(tmp_path / "review.csv")
    assert (decision.figure_id, decision.decision, decision.field, decision.value) == (
        figure["figure_id"], "fix", "location", 'Homs, "old city"')
    assert decision.reason.startswith("“" + figure["quote"] + "”")


def test_the_page_of_an_extract_package_needs_only_the_package(tmp_path: Path):
    """A user's extraction (a web page converted, a text file): the page reads the texts the package stores."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "floods.html").write_bytes(made.html_page())
    (reports / "note.txt").write_text(" ".join(made.ARTICLE) + "\n", encoding="utf-8")
    package, out = tmp_path / "package", tmp_path / "review.html"
    assert main(["extract", str(reports), "--out", str(package)]) == 0
    shutil.rmtree(reports)  # the documents are gone: the page needs only the package
    assert main(["review", "--path", str(package), "--out", str(out)]) == 0
    data = page_data(package)
    texts = {d["source_id"]: d["text"] for d in data["docs"]}
    figures = [dict(zip(data["figures"]["columns"], row)) for row in data["figures"]["rows"]]
    assert len(texts) == 2 and figures
    assert all(texts[f["source_id"]][f["char_start"]:f["char_end"]] == f["quote"] for f in figures)
    dom = Elements(dump_dom(out, tmp_path, "#all"))
    assert Counter(dom.values("data-figure-id")) == Counter(_ids(package, "figures", "figure_id"))
    assert not dom.with_class("js-error")


def test_a_package_without_stored_texts_is_refused_with_what_to_do(tmp_path: Path):
    with pytest.raises(ReviewPageError, match="no stored text.*rebuild it"):
        _stored_text(tmp_path, {"source_id": "old", "text_path": None})
    with pytest.raises(ReviewPageError, match="cannot be read"):
        _stored_text(tmp_path, {"source_id": "crafted", "text_path": "../etc/passwd"})


def test_the_page_is_self_contained(page: Path):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", text)
    assert "<script src" not in text and "<link " not in text and "@import" not in text and "url(" not in text


def test_quotes_cannot_break_out_of_the_data(tmp_path: Path, built: Path):
    """A quote holding "</script>" stays data: the JSON escapes "<"."""
    from displacement_figures.review import _json_for_script

    assert "</script>" not in _json_for_script({"quote": "</script><script>alert(1)</script>"})
    data = page_data(built)
    assert len(data["figures"]["rows"]) == len(_ids(built, "figures", "figure_id"))


def test_out_never_overwrites_a_file_the_tool_did_not_write(built: Path, tmp_path: Path, capsys):
    mine = tmp_path / "notes.html"
    mine.write_text("<html>my notes</html>", encoding="utf-8")
    assert main(["review", "--path", str(built), "--out", str(mine)]) == 1
    assert "exists and this tool did not write it" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "<html>my notes</html>"
    ours = tmp_path / "review.html"
    write_review_page(built, ours)
    write_review_page(built, ours)  # its own page it may replace
    with pytest.raises(OutputRefused, match="is a folder"):
        write_review_page(built, tmp_path)
    with pytest.raises(OutputRefused, match="holds the input"):
        write_review_page(built, built.parent)
