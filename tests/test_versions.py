"""One version everywhere: pyproject.toml is typed, everything else must follow it."""

from __future__ import annotations

import json
import re
import tomllib

import displacement_figures as dfig
from displacement_figures.citation import cff_fields

from conftest import REPO


def _pyproject_version() -> str:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_package_version():
    assert dfig.__version__ == _pyproject_version()


def test_citation_cff():
    fields = cff_fields((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert fields["version"] == _pyproject_version()
    assert fields["cff-version"] == "1.2.0" and fields["type"] == "dataset"


def test_changelog_top_release():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", text, flags=re.MULTILINE)
    assert releases and releases[0][0] == _pyproject_version()
    assert text.index("## [Unreleased]") < text.index(f"## [{releases[0][0]}]")
    assert releases[0][1] == cff_fields((REPO / "CITATION.cff").read_text(encoding="utf-8"))["date-released"]


def test_every_built_collection():
    seeds = sorted(p.parent.name for p in (REPO / "seeds").glob("*/sources.csv"))
    built = sorted(p.parent.name for p in (REPO / "datasets").glob("*/datapackage.json"))
    assert built == seeds, "datasets/ does not match seeds/: run `make dataset`"
    for name in built:
        with open(REPO / "datasets" / name / "datapackage.json", encoding="utf-8") as f:
            assert json.load(f)["version"] == _pyproject_version()


def test_citations_state_the_version():
    for fmt in ("text", "apa", "bibtex", "cff"):
        assert _pyproject_version() in dfig.cite(fmt)


def test_created_is_the_release_date():
    """`created` dates the package (the release that made it), not the news it reads."""
    released = cff_fields((REPO / "CITATION.cff").read_text(encoding="utf-8"))["date-released"]
    for path in sorted((REPO / "datasets").glob("*/datapackage.json")):
        with open(path, encoding="utf-8") as f:
            assert json.load(f)["created"] == f"{released}T00:00:00Z", path


def test_the_repository_address_is_typed_only_in_pyproject():
    """CITATION.cff's addresses are [project.urls]' Source and Homepage, or absent when those are not set."""
    with open(REPO / "pyproject.toml", "rb") as f:
        urls = tomllib.load(f)["project"].get("urls", {})
    fields = cff_fields((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    for cff_key, url_key in (("repository-code", "Source"), ("url", "Homepage")):
        assert fields.get(cff_key) == urls.get(url_key), (
            f"CITATION.cff {cff_key}: must be [project.urls] {url_key} ({urls.get(url_key)!r}), or absent with it")
    for fmt in ("text", "apa", "bibtex"):
        cited = dfig.cite(fmt)
        assert all(u in cited for u in urls.get("Source", urls.get("Homepage", "")).split())
        assert "http" not in cited or urls, "a citation names an address pyproject.toml does not set"


def test_citations_name_the_collection_and_its_version():
    for name in dfig.list_collections():
        version = dfig.metadata(name)["version"]
        for fmt in ("text", "apa", "bibtex", "cff"):
            cited = dfig.cite(fmt, name)
            assert name in cited and version in cited, (fmt, cited)
