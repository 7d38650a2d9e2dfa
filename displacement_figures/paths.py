"""Where the schemas, datasets and seeds are, installed or in a checkout.

The wheel installs schemas/ and datasets/ inside the package; a checkout keeps
them at the top of the repository. Every reader asks here, so no module
guesses a path of its own.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def data_path(name: str) -> Path | None:
    """Installed ``<package>/<name>`` if present, else ``<repo root>/<name>``, else None."""
    for candidate in (PACKAGE_DIR / name, REPO_ROOT / name):
        if candidate.exists():
            return candidate
    return None


def repo_root() -> Path | None:
    """The source checkout this package runs from, or None when installed from a wheel."""
    if (REPO_ROOT / "extract" / "__init__.py").is_file() and (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT
    return None


def schemas_dir() -> Path:
    found = data_path("schemas")
    if found is None:  # pragma: no cover - a broken install
        raise FileNotFoundError(f"schemas/ not found in {PACKAGE_DIR} or {REPO_ROOT}")
    return found


def datasets_dir() -> Path | None:
    return data_path("datasets")


def seeds_dir() -> Path | None:
    """seeds/ of the checkout; builds need it, installed packages do not ship it."""
    root = repo_root()
    return root / "seeds" if root is not None and (root / "seeds").is_dir() else None
