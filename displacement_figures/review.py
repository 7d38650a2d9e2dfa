"""The review page: one self-contained HTML file to check every figure of a package against its text.

``displacement-figures review [--path PACKAGE] --out review.html`` writes each document's text with every
figure highlighted at its quote (coloured by category; value, unit, term, hedge, place, period, attribution,
rule, review status and id on hover or click), a filterable table of the figures, the facts with conflicts
first, and per figure the decision line (verify, reject, fix) to paste into the collection's review.csv
(:mod:`extract.decisions`). Scripts, styles and data are inline: the page works offline, from a file or an
e-mail attachment. Large packages stay usable because only one document, one page of the table and the first
facts are drawn at a time; ``review.html#all`` draws everything (for printing, and for the browser tests).
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path
from typing import Any

from . import __version__

GENERATOR = f"displacement-figures {__version__} review"  # outputs.py recognises its own page by this tag
ASSETS = Path(__file__).resolve().parent
# Colours of the four categories, in the order of the figures schema's category enum.
PALETTE = ("#bbdefb", "#ffcdd2", "#c8e6c9", "#ffe0b2", "#e1bee7", "#d7ccc8")
# Figure columns the page needs (the sentence is the document's text around the quote: not repeated).
LEFT_OUT = ("sentence", "sentence_start", "sentence_end")


class ReviewPageError(ValueError):
    """A package the page cannot be made from, or an --out it may not write; the message says what to do."""


# ---------------------------------------------------------------- reading the package

def _descriptor(package: Path) -> dict[str, Any]:
    try:
        return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ReviewPageError(f"{package}: no readable datapackage.json ({e})") from None


def _table(package: Path, descriptor: dict[str, Any], name: str) -> tuple[list[dict[str, Any]], list[dict]]:
    """Rows (typed numbers, None for empty) and fields of one resource; no rows when the package lacks it."""
    resource = next((r for r in descriptor["resources"] if r["name"] == name), None)
    if resource is None:
        return [], []
    fields = resource["schema"]["fields"]
    types = {f["name"]: f.get("type", "string") for f in fields}
    with open(package / resource["path"], encoding="utf-8", newline="") as f:
        rows = [{k: _typed(v, types.get(k, "string")) for k, v in r.items()} for r in csv.DictReader(f)]
    return rows, fields


def _typed(value: str, ftype: str) -> Any:
    if value == "":
        return None
    if ftype == "integer":
        return int(value)
    if ftype == "number":
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def _stored_text(package: Path, source: dict[str, Any]) -> str:
    """The text a source's quotes index, as the package stores it (:func:`extract.stored.source_text`)."""
    from .extract.stored import source_text

    if not source.get("text_path"):
        raise ReviewPageError(f"{package}: source {source['source_id']} has no stored text (sources.text_path: "
                              "a package built before 2.0.0); rebuild it with this version")
    try:
        return source_text(package, source)
    except (ValueError, OSError) as e:
        raise ReviewPageError(f"{package}: the text of source {source['source_id']} cannot be read ({e})") from None


def page_data(package: Path) -> dict[str, Any]:
    """What the page shows, as plain JSON: documents with their text, figures, facts and the decisions format."""
    from .extract.decisions import REVIEW_FILE, fixable_fields

    descriptor = _descriptor(package)
    sources, _ = _table(package, descriptor, "sources")
    figures, fields = _table(package, descriptor, "figures")
    facts, _ = _table(package, descriptor, "facts")
    links, _ = _table(package, descriptor, "fact_figures")
    by_fact: dict[str, list[str]] = {}
    for link in links:
        by_fact.setdefault(link["fact_id"], []).append(link["figure_id"])
    columns = [f["name"] for f in fields if f["name"] not in LEFT_OUT]
    enum = {f["name"]: f.get("constraints", {}).get("enum", []) for f in fields}
    return {
        "title": descriptor.get("title") or descriptor.get("name"), "version": descriptor.get("version"),
        "docs": [{"source_id": s["source_id"], "label": _label(s), "text": _stored_text(package, s)}
                 for s in sources],
        "figures": {"columns": columns, "rows": [[r.get(c) for c in columns] for r in figures]},
        "facts": [{**q, "rank": i, "figures": by_fact.get(q["fact_id"], [])} for i, q in enumerate(facts)],
        "categories": enum.get("category", []), "statuses": enum.get("review", []),
        "fixable": list(fixable_fields()), "decisionsFile": f"seeds/<collection>/{REVIEW_FILE}",
    }


def _label(source: dict[str, Any]) -> str:
    parts = [source.get("outlet"), source.get("headline")]
    return ": ".join(p for p in parts if p) or source["source_id"]


# ---------------------------------------------------------------- the page

def _json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> element early ("</script>" in a quote) or break a JS string."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _category_css(categories: list[str]) -> str:
    return "\n".join(f".cat-{c} {{ background: {PALETTE[i % len(PALETTE)]}; }}" for i, c in enumerate(categories))


def render_page(data: dict[str, Any]) -> str:
    title = html.escape(f"Review: {data['title']} {data['version'] or ''}".strip())
    css = (ASSETS / "review_page.css").read_text(encoding="utf-8") + _category_css(data["categories"])
    js = (ASSETS / "review_page.js").read_text(encoding="utf-8")
    legend = "".join(f'<span class="cat-{html.escape(c)}">{html.escape(c)}</span>' for c in data["categories"])
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="generator" content="{html.escape(GENERATOR)}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>\n'
            f"<style>\n{css}\n</style>\n</head>\n<body>\n"
            f'<header><h1>{title}</h1><nav><button data-tab="documents">Documents</button>'
            f'<button data-tab="figures">Figures</button><button data-tab="facts">Facts</button></nav>'
            f'<span class="legend">{legend}</span> <small id="counts"></small></header>\n'
            f'<main><div id="view"></div><aside id="details"><p class="muted">Click a highlighted figure to see it '
            f"and copy its decision line.</p></aside></main>\n"
            f'<script type="application/json" id="review-data">{_json_for_script(data)}</script>\n'
            f"<script>\n{js}\n</script>\n</body>\n</html>\n")


def write_review_page(package: str | Path, out: str | Path) -> Path:
    """Write the review page of ``package`` to ``out``, atomically, never over a file this tool did not write.

    Raises :class:`~displacement_figures.outputs.OutputRefused` for such an ``out``.
    """
    from .outputs import staged_output_file

    package = Path(package)
    page = render_page(page_data(package))
    with staged_output_file(out, inputs=[package]) as tmp:
        tmp.write_text(page, encoding="utf-8", newline="\n")
    return Path(out)
