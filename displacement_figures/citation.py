"""How to cite the dataset, rendered from CITATION.cff so there is one citation record.

CITATION.cff is parsed with a few lines of code rather than a YAML library:
it is our own file, flat apart from the author list, and a dependency only to
read a title would be out of proportion. The version always comes from the
package, and a test keeps CITATION.cff's copy equal to it.
"""

from __future__ import annotations

import re

from . import __version__
from .paths import data_path

FORMATS = ("text", "apa", "bibtex", "cff")


def cff_text() -> str:
    path = data_path("CITATION.cff")
    if path is None:  # pragma: no cover - a broken install
        raise FileNotFoundError("CITATION.cff not found beside the package or in the checkout")
    return path.read_text(encoding="utf-8")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def cff_fields(text: str | None = None) -> dict:
    """Top-level scalar keys of CITATION.cff, plus ``authors`` as a list of names."""
    text = cff_text() if text is None else text
    fields: dict = {"authors": []}
    key = None
    for line in text.splitlines():
        top = re.match(r"^([A-Za-z][\w-]*):\s*(.*)$", line)
        if top:
            key, value = top.group(1), top.group(2)
            if value:
                fields[key] = _unquote(value)
            continue
        item = re.match(r"^\s+-?\s*(name|family-names|given-names):\s*(.+)$", line)
        if key == "authors" and item:
            if line.lstrip().startswith("-"):
                fields["authors"].append({})
            fields["authors"][-1][item.group(1)] = _unquote(item.group(2))
    return fields


def _author_names(fields: dict) -> list[str]:
    out = []
    for a in fields["authors"]:
        if "name" in a:
            out.append(a["name"])
        else:
            out.append(", ".join(x for x in (a.get("family-names"), a.get("given-names")) if x))
    return out


def cite(format: str = "text") -> str:
    """The citation in one of :data:`FORMATS`; every format states the exact version."""
    if format not in FORMATS:
        raise ValueError(f"unknown citation format {format!r}; choose one of {', '.join(FORMATS)}")
    if format == "cff":
        return cff_text()
    f = cff_fields()
    authors = _author_names(f)
    year = f.get("date-released", "")[:4]
    title, license_ = f["title"], f.get("license", "")
    if format == "bibtex":
        key = "displacement_figures_" + __version__.replace(".", "_")
        return "\n".join([
            f"@misc{{{key},",
            "  author = {" + " and ".join(f"{{{a}}}" for a in authors) + "},",
            f"  title = {{{{{title}}}}},",
            f"  year = {{{year}}},",
            f"  version = {{{__version__}}},",
            f"  note = {{Data set, version {__version__}, license {license_}}},",
            "}",
        ]) + "\n"
    who = ", ".join(authors)
    if format == "apa":
        return f"{who}. ({year}). *{title}* (Version {__version__}) [Data set]."
    return f"{who} ({year}). {title}. Version {__version__} [data set]. License: {license_}."
