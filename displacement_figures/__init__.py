"""Figures from news reports on humanitarian crises, with a citation per value.

``load()`` returns a table of a shipped collection as a typed DataFrame; the
dtypes come from the Frictionless schemas, so the loader never disagrees with
the published ``datapackage.json``. Heavy imports (pandas, frictionless) are
deferred so that ``import displacement_figures`` and the CLI's ``--help`` stay
fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_ROOT = Path(__file__).resolve().parent.parent
# In a source checkout extract/ sits at the top of the repository; in the wheel
# it is installed as displacement_figures/extract. Extending __path__ makes
# `displacement_figures.extract` resolve the same way in both.
if (_ROOT / "extract" / "__init__.py").is_file() and not (Path(__file__).parent / "extract").is_dir():
    __path__.append(str(_ROOT))


def _version() -> str:
    """Version from pyproject.toml in a checkout, else from installed metadata.

    The checkout comes first because an editable install's metadata keeps the
    version it was installed with, while pyproject.toml is the one place the
    version is typed.
    """
    pyproject = _ROOT / "pyproject.toml"
    if (_ROOT / "extract" / "__init__.py").is_file() and pyproject.is_file():
        import tomllib

        with open(pyproject, "rb") as f:
            project = tomllib.load(f).get("project", {})
        if project.get("name") == "displacement-figures":
            return project["version"]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("displacement-figures")
    except PackageNotFoundError:  # pragma: no cover - neither installed nor a checkout
        return "0+unknown"


__version__ = _version()

DEFAULT_COLLECTION = "syria-2024-12"


def list_collections() -> list[str]:
    """Names of the collections shipped with the package (built datasets)."""
    from .paths import datasets_dir

    root = datasets_dir()
    if root is None:
        return []
    # A dot-folder is never a collection: a build killed halfway leaves its .<collection>.tmp-* folder behind.
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".") and (p / "datapackage.json").is_file())


def _package_dir(collection: str | None, path: str | Path | None) -> Path:
    if path is not None:
        return Path(path)
    from .paths import datasets_dir

    collection = collection or DEFAULT_COLLECTION
    root = datasets_dir()
    if root is None or not (root / collection / "datapackage.json").is_file():
        known = ", ".join(list_collections()) or "none (run `make dataset` in a checkout)"
        raise LookupError(f"no collection {collection!r}; collections: {known}")
    return root / collection


def metadata(collection: str = DEFAULT_COLLECTION, *, path: str | Path | None = None) -> dict[str, Any]:
    """The collection's datapackage.json as a dict."""
    import json

    with open(_package_dir(collection, path) / "datapackage.json", encoding="utf-8") as f:
        return json.load(f)


def list_tables(collection: str = DEFAULT_COLLECTION, *, path: str | Path | None = None) -> list[str]:
    """Names of the tables (resources) of a collection, in package order."""
    return [r["name"] for r in metadata(collection, path=path)["resources"]]


class IntegrityError(ValueError):
    """A table file whose bytes are not the ones its datapackage.json records (size and hash)."""


def _check_file(file: Path, resource: dict[str, Any], descriptor: Path) -> None:
    """Raise :class:`IntegrityError` unless ``file`` has the bytes and hash the descriptor records."""
    import hashlib

    recorded = resource.get("hash")
    if not recorded:
        return  # nothing recorded, nothing to check against
    algorithm, _, expected = str(recorded).rpartition(":")
    algorithm = algorithm or "md5"  # Frictionless: a hash without a prefix is MD5
    with open(file, "rb") as f:
        actual = hashlib.file_digest(f, algorithm).hexdigest()
    size = file.stat().st_size
    expected_size = resource.get("bytes")
    if actual != expected.lower() or (expected_size is not None and size != expected_size):
        raise IntegrityError(
            f"{file}: {algorithm.upper()} {actual} ({size} bytes) does not match {recorded} ({expected_size} bytes) "
            f"recorded in {descriptor}: the file changed after the package was built. Rebuild or reinstall the "
            "package. load(..., verify=False) reads it anyway, but then the values are no longer the ones the "
            "package's citations and quotes vouch for: use it only to inspect a file you changed on purpose.")


def load(name: str = "figures", collection: str = DEFAULT_COLLECTION, *, path: str | Path | None = None,
         verify: bool = True) -> pd.DataFrame:
    """One table of a collection as a DataFrame typed from its Table Schema.

    ``path`` loads from any package directory instead (e.g. the output of
    ``displacement-figures extract``). With ``verify`` (the default) the file's
    size and hash must be those datapackage.json records, else
    :class:`IntegrityError` is raised rather than altered data returned; it
    costs one read of the file.
    """
    from .schema import read_table

    pkg = _package_dir(collection, path)
    resources = {r["name"]: r for r in metadata(collection, path=path)["resources"]}
    if name not in resources:
        raise LookupError(f"no table {name!r} in {pkg}; tables: {', '.join(resources)}")
    resource = resources[name]
    if verify:
        _check_file(pkg / resource["path"], resource, pkg / "datapackage.json")
    return read_table(pkg / resource["path"], resource["schema"])


def cite(format: str = "text", collection: str | None = DEFAULT_COLLECTION) -> str:
    """How to cite a collection (its name and version): "apa", "bibtex", "cff" or "text"."""
    from .citation import cite as _cite

    return _cite(format, collection)


__all__ = ["IntegrityError", "__version__", "cite", "list_collections", "list_tables", "load", "metadata"]
