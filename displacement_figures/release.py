"""Release artefacts: wheel, sdist and one zip per data package, with SHA-256 sums (``make release``).

``python -m displacement_figures.release`` (what ``make release`` runs) writes
into ``dist/``:

- the wheel and the sdist (``python -m build``);
- ``<collection>-<version>.zip`` for every ``datasets/<collection>/``: a folder
  ``<collection>-<version>/`` holding ``datapackage.json``, the resources'
  CSVs, ``README.md`` and ``CITATION.cff``. The zips are deterministic (sorted
  entries, fixed timestamps: the release date of CITATION.cff, fixed modes), so
  the same package always gives the same bytes;
- ``SHA256SUMS`` for all of them (``sha256sum -c SHA256SUMS`` checks them).

Before building anything it refuses to release when a package does not
validate, when a package's version is not the project's, when CHANGELOG.md has
no section for the version, when ``datasets/`` holds anything but packages
(e.g. a folder left by a killed build, which the wheel would ship), or when the
version is lower than the change since the last release requires
(:mod:`displacement_figures.diff`). Afterwards each collection's zip replaces
the previous one in ``releases/``: the repository keeps the last released
package of each collection, which the tests compare the next build with.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from .extract.package import sha256_file

DEFAULT_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold


class ReleaseError(RuntimeError):
    """A release refused; the message says what to fix."""


def project_version(root: Path) -> str:
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def release_date(citation: Path | None) -> tuple[int, int, int, int, int, int]:
    """Zip timestamp: CITATION.cff's date-released, else 1980-01-01."""
    from .citation import cff_fields

    fields = cff_fields(citation.read_text(encoding="utf-8")) if citation is not None and citation.is_file() else {}
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(fields.get("date-released", "")))
    if m and int(m.group(1)) >= 1980:
        return int(m.group(1)), int(m.group(2)), int(m.group(3)), 0, 0, 0
    return DEFAULT_DATE


def package_files(package_dir: Path) -> list[str]:
    """Relative (POSIX) paths a package zip holds: every file of the package folder (datapackage.json, the
    resources' CSVs, README.md and anything else the build wrote there), hidden files excepted.
    """
    with open(package_dir / "datapackage.json", encoding="utf-8") as f:
        descriptor = json.load(f)
    files = sorted(p.relative_to(package_dir).as_posix() for p in package_dir.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(package_dir).parts))
    for rel in (r["path"] for r in descriptor["resources"]):
        if rel.startswith("/") or ".." in Path(rel).parts:
            raise ReleaseError(f"{package_dir}: resource path {rel!r} leaves the package")
        if rel not in files:
            raise ReleaseError(f"{package_dir / rel}: missing")
    return files


def zip_package(package_dir: str | Path, out: str | Path, folder: str, citation: str | Path | None = None) -> Path:
    """Write a deterministic zip of a package, inside ``folder/``, with CITATION.cff beside datapackage.json."""
    package_dir, out = Path(package_dir), Path(out)
    citation = Path(citation) if citation is not None else None
    entries = [(rel, package_dir / rel) for rel in package_files(package_dir)]
    if citation is not None:
        entries.append(("CITATION.cff", citation))
    date = release_date(citation)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w") as z:
        for rel, src in sorted(entries):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, so the mode above is honoured everywhere
            z.writestr(info, src.read_bytes(), compresslevel=9)
    os.replace(tmp, out)
    return out


def write_sums(files: list[Path], out: Path) -> Path:
    """SHA256SUMS in the format ``sha256sum -c`` reads."""
    out.write_text("".join(f"{sha256_file(p)}  {p.name}\n" for p in sorted(files, key=lambda p: p.name)),
                   encoding="utf-8")
    return out


def released_zips(releases: Path, collection: str) -> list[tuple[tuple[int, int, int], Path]]:
    """``(version, zip)`` of every release of a collection kept in ``releases/``, oldest first."""
    from .diff import parse_version

    found = []
    for p in releases.glob(f"{collection}-*.zip") if releases.is_dir() else []:
        m = re.fullmatch(re.escape(collection) + r"-(\d+\.\d+\.\d+)\.zip", p.name)
        if m:
            found.append((parse_version(m.group(1)), p))
    return sorted(found)


def last_release(releases: Path, collection: str) -> Path | None:
    found = released_zips(releases, collection)
    return found[-1][1] if found else None


def changelog_has(changelog: str, version: str) -> bool:
    """Whether CHANGELOG.md has the dated section of a release: ``## [X.Y.Z] - YYYY-MM-DD``."""
    return re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog,
                     flags=re.MULTILINE) is not None


def version_problems(package_dir: Path, released: Path | None, version: str, changelog: str) -> list[str]:
    """Why ``version`` cannot be released for this package given the last release; empty when it can.

    The version must be at least what the change since ``released`` needs, and
    a version other than the released one needs a CHANGELOG section.
    """
    from .diff import diff_packages, parse_version, version_problem

    problems = []
    if released is None:
        return [] if changelog_has(changelog, version) else [
            f"CHANGELOG.md: no dated '## [{version}] - YYYY-MM-DD' section"]
    diff = diff_packages(released, package_dir)
    old = diff["old"]["version"]
    problem = version_problem(diff, version)
    if problem:
        problems.append(f"{package_dir.name}: {problem} (compared with {released}; run "
                        f"`displacement-figures diff {released} {package_dir}` for the details)")
    elif parse_version(version) < parse_version(old):
        problems.append(f"{package_dir.name}: version {version} is lower than the released {old}")
    if version != old and not changelog_has(changelog, version):
        problems.append(f"CHANGELOG.md: no dated '## [{version}] - YYYY-MM-DD' section for the new version "
                        f"(released: {old})")
    return problems


def collections(datasets: Path) -> tuple[list[Path], list[Path]]:
    """Package folders of ``datasets/``, and everything else found there (which must not ship)."""
    packages, stray = [], []
    for p in sorted(datasets.iterdir()) if datasets.is_dir() else []:
        if p.is_dir() and not p.name.startswith(".") and (p / "datapackage.json").is_file():
            packages.append(p)
        else:
            stray.append(p)
    return packages, stray


def check(root: Path, version: str) -> list[Path]:
    """The packages to release; raises :class:`ReleaseError` listing every reason not to."""
    from .extract.build import validate_package

    packages, stray = collections(root / "datasets")
    problems = [f"{p}: not a data package (left by an interrupted build?); delete it, the wheel would ship it"
                for p in stray]
    if not packages:
        problems.append(f"{root / 'datasets'}: no data packages; run `make dataset`")
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    if not changelog_has(changelog, version):
        problems.append(f"CHANGELOG.md: no dated '## [{version}] - YYYY-MM-DD' section")
    for pkg in packages:
        with open(pkg / "datapackage.json", encoding="utf-8") as f:
            pkg_version = json.load(f).get("version")
        if pkg_version != version:
            problems.append(f"{pkg}: version {pkg_version}, pyproject.toml says {version}; run `make dataset`")
        problems += [f"{pkg}: {e}" for e in validate_package(pkg)]
        problems += version_problems(pkg, last_release(root / "releases", pkg.name), version, changelog)
    if problems:
        raise ReleaseError("not releasing:\n  " + "\n  ".join(problems))
    return packages


def build_distributions(root: Path, outdir: Path, citation: Path) -> list[Path]:
    """Wheel and sdist of ``root`` into ``outdir`` (offline when the build backend is installed)."""
    env = dict(os.environ)
    if "SOURCE_DATE_EPOCH" not in env:
        import calendar

        env["SOURCE_DATE_EPOCH"] = str(calendar.timegm((*release_date(citation), 0, 0, 0)))
    isolation = ["--no-isolation"] if importlib.util.find_spec("hatchling") is not None else []
    before = set(outdir.iterdir()) if outdir.is_dir() else set()
    r = subprocess.run([sys.executable, "-m", "build", *isolation, "--outdir", str(outdir), str(root)],
                       env=env, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise ReleaseError(f"python -m build failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    return sorted(set(outdir.iterdir()) - before)


def release(root: str | Path, outdir: str | Path | None = None, *, checks: bool = True,
            update_releases: bool = True) -> list[Path]:
    """Build every release artefact of the checkout at ``root`` into ``outdir``; returns them with SHA256SUMS last."""
    root = Path(root).resolve()
    outdir = Path(outdir) if outdir is not None else root / "dist"
    version = project_version(root)
    packages = check(root, version) if checks else collections(root / "datasets")[0]
    if outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True)
    citation = root / "CITATION.cff"
    artefacts = build_distributions(root, outdir, citation)
    zips = [zip_package(pkg, outdir / f"{pkg.name}-{version}.zip", f"{pkg.name}-{version}", citation)
            for pkg in packages]
    artefacts += zips
    sums = write_sums(artefacts, outdir / "SHA256SUMS")
    if update_releases:
        releases = root / "releases"
        releases.mkdir(exist_ok=True)
        for pkg, z in zip(packages, zips, strict=True):
            for _, old in released_zips(releases, pkg.name):
                if old.name != z.name:
                    old.unlink()
            shutil.copyfile(z, releases / z.name)
    return [*artefacts, sums]


def main(argv: list[str] | None = None) -> int:
    from .paths import repo_root

    p = argparse.ArgumentParser(prog="python -m displacement_figures.release", description=__doc__.split("\n")[0])
    p.add_argument("--root", default=repo_root(), type=Path, help="the checkout to release (default: this one)")
    p.add_argument("--outdir", type=Path, help="where to write the artefacts (default: ROOT/dist, emptied first)")
    p.add_argument("--no-releases", action="store_true", help="do not replace the zips kept in ROOT/releases/")
    args = p.parse_args(argv)
    if args.root is None:
        p.error("not in a source checkout: pass --root")
    try:
        files = release(args.root, args.outdir, update_releases=not args.no_releases)
    except ReleaseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for f in files:
        print(f)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
