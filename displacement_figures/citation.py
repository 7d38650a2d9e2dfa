"""How to cite the dataset, rendered from CITATION.cff so there is one citation record.

CITATION.cff is parsed with a few lines of code rather than a YAML library:
it is our own file, flat apart from the author list, and a dependency only to
read a title would be out of proportion. The version always comes from the
package, and a test keeps CITATION.cff's copy equal to it.

The repository's address is typed in one place, ``[project.urls]`` of
pyproject.toml (in an installed wheel: its ``Project-URL`` metadata).
CITATION.cff's ``repository-code`` and ``url`` must equal its ``Source`` and
``Homepage`` (a test proves it), and when no address is set, none of the
three names one: a citation never points at a guessed address.
"""

from __future__ import annotations

import re

from . import DEFAULT_COLLECTION, __version__
from .paths import data_path, repo_root

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


def project_urls() -> dict[str, str]:
    """``[project.urls]`` of pyproject.toml in a checkout, else the installed ``Project-URL`` metadata."""
    root = repo_root()
    if root is not None:
        import tomllib

        with open(root / "pyproject.toml", "rb") as f:
            return dict(tomllib.load(f).get("project", {}).get("urls", {}))
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("displacement-figures").get_all("Project-URL") or []
    except PackageNotFoundError:  # pragma: no cover - neither installed nor a checkout
        return {}
    return dict(tuple(part.strip() for part in e.split(",", 1)) for e in entries if "," in e)


def _author_names(fields: dict) -> list[str]:
    out = []
    for a in fields["authors"]:
        if "name" in a:
            out.append(a["name"])
        else:
            out.append(", ".join(x for x in (a.get("family-names"), a.get("given-names")) if x))
    return out


def collection_version(collection: str | None) -> str:
    """The version a shipped collection's datapackage.json states; the package's own for ``None``."""
    if not collection:
        return __version__
    from . import metadata

    return str(metadata(collection).get("version", __version__))  # LookupError names the shipped collections


def _cff_for(collection: str | None, version: str) -> str:
    """CITATION.cff with the collection in its title and the collection's version, when one is named."""
    text = cff_text()
    if collection:
        text = re.sub(r'^title: "?(.*?)"?$', lambda m: f'title: "{m.group(1)}, collection {collection}"', text,
                      count=1, flags=re.MULTILINE)
    return re.sub(r"^version: .*$", f"version: {version}", text, count=1, flags=re.MULTILINE)


def cite(format: str = "text", collection: str | None = DEFAULT_COLLECTION, version: str | None = None) -> str:
    """The citation in one of :data:`FORMATS`, naming the collection and its version (``collection=None``: the
    software and data as a whole), and the repository when ``[project.urls]`` sets one. ``version`` skips looking
    the collection up (the build cites a package before it is in place)."""
    if format not in FORMATS:
        raise ValueError(f"unknown citation format {format!r}; choose one of {', '.join(FORMATS)}")
    version = version or collection_version(collection)
    if format == "cff":
        return _cff_for(collection, version)
    f = cff_fields()
    authors = _author_names(f)
    year = f.get("date-released", "")[:4]
    title, license_ = f["title"], f.get("license", "")
    what = f"collection {collection}, version {version}" if collection else f"version {version}"
    url = project_urls().get("Source") or project_urls().get("Homepage")
    if format == "bibtex":
        key = "displacement_figures_" + (f"{collection}_" if collection else "") + version
        lines = [
            f"@misc{{{re.sub(r'[^A-Za-z0-9_]', '_', key)},",
            "  author = {" + " and ".join(f"{{{a}}}" for a in authors) + "},",
            f"  title = {{{{{title}}}}},",
            f"  year = {{{year}}},",
            f"  version = {{{version}}},",
            f"  note = {{Data set, {what}, license {license_}}},",
        ]
        if url:
            lines.append(f"  url = {{{url}}},")
        return "\n".join([*lines, "}"]) + "\n"
    who = ", ".join(authors)
    where = f" {url}" if url else ""
    if format == "apa":
        named = f"{title}, collection {collection}" if collection else title
        return f"{who}. ({year}). *{named}* (Version {version}) [Data set].{where}"
    return f"{who} ({year}). {title}. {what.capitalize()} [data set]. License: {license_}.{where}"


def cite_package(descriptor: dict, format: str = "text") -> str:
    """How to cite a package from its datapackage.json: a shipped or curated collection by its name and version;
    a package a user extracted from their own documents by its own title, naming the tool that made it and no
    author or licence of this project's dataset (the texts, and so the package, are not ours)."""
    from . import list_collections
    from .paths import seeds_dir

    name, seeds = str(descriptor.get("name")), seeds_dir()
    curated = name in list_collections() or (seeds is not None and (seeds / name / "sources.csv").is_file())
    if curated:
        return cite(format, name, version=descriptor.get("version"))
    return _cite_extraction(descriptor, format)


def _cite_extraction(descriptor: dict, format: str) -> str:
    """A user's extraction, cited neutrally: its title, when it was made, and by which tool."""
    if format not in FORMATS:
        raise ValueError(f"unknown citation format {format!r}; choose one of {', '.join(FORMATS)}")
    title = str(descriptor.get("title") or descriptor.get("name") or "Untitled data package")
    tool = str(descriptor.get("generator") or f"displacement-figures {descriptor.get('version', __version__)}")
    created = str(descriptor.get("created") or "")[:10]
    made = f"Figures extracted with {tool}" + (f" on {created}" if created else "")
    if format == "bibtex":
        key = re.sub(r"[^A-Za-z0-9_]", "_", str(descriptor.get("name") or "package"))
        lines = [f"@misc{{{key},", f"  title = {{{{{title}}}}},", f"  note = {{Data package. {made}}},"]
        if created:
            lines.append(f"  year = {{{created[:4]}}},")
        return "\n".join([*lines, "}"]) + "\n"
    if format == "cff":
        lines = ["cff-version: 1.2.0", "message: Cite the documents listed in this package's sources table.",
                 f'title: "{title}"', "type: dataset", f'abstract: "{made}."']
        if created:
            lines.append(f"date-released: {created}")
        return "\n".join(lines) + "\n"
    return f"{title}. {made}. Sources: the documents listed in its sources table."
