"""Versioning like a library: `diff`, the version the change needs, and the release artefacts.

The repository keeps the last released package of each collection in
releases/<collection>-<version>.zip; the build of the current seeds is compared
with it, and the version in pyproject.toml must be at least what the change
requires (Data Package Version recipe), with a CHANGELOG section for it.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from displacement_figures.diff import (
    DiffError,
    diff_packages,
    format_report,
    minimum_version,
    required_bump,
    version_problem,
)
from displacement_figures.extract.package import sha256_file
from displacement_figures.release import (
    ReleaseError,
    check,
    last_release,
    release,
    released_zips,
    version_problems,
    zip_package,
)

from conftest import COLLECTION, REPO, install_wheel

RELEASES = REPO / "releases"


def _pyproject_version() -> str:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


# ---------------------------------------------------------------- the real thing

def test_version_covers_the_changes_since_the_last_release(built: Path):
    """CI fails when the version is lower than the change needs, or has no CHANGELOG section."""
    if not RELEASES.is_dir():
        pytest.skip("no releases/ folder (e.g. tests run from an sdist)")
    released = last_release(RELEASES, COLLECTION)
    assert released is not None, f"no {COLLECTION}-X.Y.Z.zip in {RELEASES}"
    version = _pyproject_version()
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    problems = version_problems(built, released, version, changelog)
    assert not problems, "\n".join(problems) + "\n\n" + format_report(diff_packages(released, built))


def test_kept_releases_are_intact():
    """Each zip in releases/ is one package, named with the version it holds, with its recorded hashes."""
    zips = sorted(RELEASES.glob("*.zip")) if RELEASES.is_dir() else []
    if not zips:
        pytest.skip("no releases/ folder (e.g. tests run from an sdist)")
    collections = {}
    for z in zips:
        with zipfile.ZipFile(z) as zf:
            names = zf.namelist()
            folder = z.name.removesuffix(".zip")
            assert all(n.startswith(folder + "/") for n in names), (z, names[:3])
            descriptor = json.loads(zf.read(f"{folder}/datapackage.json"))
            assert folder == f"{descriptor['name']}-{descriptor['version']}"
            assert f"\nversion: {descriptor['version']}\n" in zf.read(f"{folder}/CITATION.cff").decode("utf-8")
            for r in descriptor["resources"]:
                data = zf.read(f"{folder}/{r['path']}")
                assert len(data) == r["bytes"] and r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), r["path"]
        collections.setdefault(descriptor["name"], []).append(z)
    # Only the last release of each collection is kept.
    assert all(len(v) == 1 for v in collections.values()), collections


# ---------------------------------------------------------------- diff on synthetic changes

def _copy(built: Path, dst: Path) -> Path:
    shutil.copytree(built, dst)
    return dst


def _descriptor(pkg: Path) -> dict:
    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def _save(pkg: Path, d: dict) -> None:
    (pkg / "datapackage.json").write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _resource(d: dict, name: str) -> dict:
    return next(r for r in d["resources"] if r["name"] == name)


def _field(d: dict, resource: str, field: str) -> dict:
    return next(f for f in _resource(d, resource)["schema"]["fields"] if f["name"] == field)


def _rows(pkg: Path, name: str = "figures") -> list[list[str]]:
    with open(pkg / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write_rows(pkg: Path, rows: list[list[str]], name: str = "figures") -> None:
    with open(pkg / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture
def pair(built: Path, tmp_path: Path) -> tuple[Path, Path]:
    return _copy(built, tmp_path / "old"), _copy(built, tmp_path / "new")


def test_identical_packages_need_no_bump(pair, tmp_path: Path):
    old, new = pair
    d = diff_packages(old, new)
    assert d["bump"] == required_bump(d) == "none"
    assert d["changes"] == [] and d["schemas"] == {} and d["data"] == {}
    # A zip of the same package (in a folder, as released) compares equal too.
    z = zip_package(new, tmp_path / "pkg.zip", "pkg-1.0.0")
    assert diff_packages(old, z)["bump"] == "none"
    assert "no change" in format_report(d)


def test_hashes_are_not_compared(pair):
    old, new = pair
    d = _descriptor(new)
    for r in d["resources"]:
        r["hash"], r["bytes"] = "sha256:" + "0" * 64, 1
    d["version"], d["created"] = "9.9.9", "2030-01-01T00:00:00Z"
    _save(new, d)
    assert diff_packages(old, new)["bump"] == "none"


def test_rename_field_is_major(pair):
    old, new = pair
    d = _descriptor(new)
    _field(d, "figures", "rule")["name"] = "extraction_rule"
    _save(new, d)
    rows = _rows(new)
    rows[0][rows[0].index("rule")] = "extraction_rule"
    _write_rows(new, rows)
    diff = diff_packages(old, new)
    assert diff["bump"] == "major"
    assert diff["schemas"]["figures"]["renamed"] == [{"old": "rule", "new": "extraction_rule"}]
    assert "renamed" in format_report(diff) and "MAJOR" in format_report(diff)


def test_reorder_fields_is_major(pair):
    old, new = pair
    d = _descriptor(new)
    fields = _resource(d, "figures")["schema"]["fields"]
    fields[-1], fields[-2] = fields[-2], fields[-1]
    _save(new, d)
    _write_rows(new, [[*r[:-2], r[-1], r[-2]] for r in _rows(new)])
    diff = diff_packages(old, new)
    assert diff["bump"] == "major" and diff["schemas"]["figures"]["fields_reordered"]
    assert "data" not in diff or "figures" not in diff["data"]  # rows matched by name, not position


def test_add_field_is_major(pair):
    old, new = pair
    d = _descriptor(new)
    _resource(d, "figures")["schema"]["fields"].append({"name": "extra", "type": "string"})
    _save(new, d)
    _write_rows(new, [[*r, "extra" if i == 0 else ""] for i, r in enumerate(_rows(new))])
    diff = diff_packages(old, new)
    assert diff["bump"] == "major" and diff["schemas"]["figures"]["fields_added"] == ["extra"]


def test_type_change_is_major(pair):
    old, new = pair
    d = _descriptor(new)
    _field(d, "figures", "char_start")["type"] = "number"
    _save(new, d)
    diff = diff_packages(old, new)
    assert diff["bump"] == "major"
    assert diff["schemas"]["figures"]["types"] == [{"field": "char_start", "property": "type", "old": "integer",
                                                   "new": "number"}]
    assert "figures" not in diff["data"]  # "661" and "661.0" are the same value


def test_add_resource_is_minor(pair):
    old, new = pair
    d = _descriptor(new)
    extra = json.loads(json.dumps(_resource(d, "sources")))
    extra["name"], extra["path"] = "sources_again", "data/sources_again.csv"
    d["resources"].append(extra)
    _save(new, d)
    shutil.copy(new / "data" / "sources.csv", new / "data" / "sources_again.csv")
    diff = diff_packages(old, new)
    assert diff["bump"] == "minor" and diff["resources"]["added"] == ["sources_again"]


def test_remove_resource_is_major(pair):
    old, new = pair
    d = _descriptor(new)
    last = d["resources"].pop()
    _save(new, d)
    diff = diff_packages(old, new)
    assert diff["bump"] == "major" and diff["resources"]["removed"] == [last["name"]]


def test_changed_value_is_patch(pair):
    old, new = pair
    rows = _rows(new)
    col = rows[0].index("attributed_to")
    before, rows[1][col] = rows[1][col], "Somebody Else"
    _write_rows(new, rows)
    diff = diff_packages(old, new)
    assert diff["bump"] == "patch"
    fid = rows[1][rows[0].index("figure_id")]
    assert diff["data"]["figures"]["changed"] == [
        {"key": fid, "fields": {"attributed_to": {"old": before, "new": "Somebody Else"}}}]
    assert fid in format_report(diff)


def test_added_row_is_minor(pair):
    old, new = pair
    rows = _rows(new)
    extra = list(rows[-1])
    extra[rows[0].index("figure_id")] = "F000000000000"
    _write_rows(new, [*rows, extra])
    diff = diff_packages(old, new)
    assert diff["bump"] == "minor" and diff["data"]["figures"]["added"] == ["F000000000000"]


def test_removed_row_is_major(pair):
    old, new = pair
    rows = _rows(new)
    gone = rows.pop(1)[rows[0].index("figure_id")]
    _write_rows(new, rows)
    diff = diff_packages(old, new)
    assert diff["bump"] == "major" and diff["data"]["figures"]["removed"] == [gone]
    assert gone in format_report(diff)


def test_rows_without_a_key_compare_as_a_multiset(pair):
    old, new = pair
    for pkg in (old, new):
        d = _descriptor(pkg)
        _resource(d, "figures")["schema"].pop("primaryKey")
        _save(pkg, d)
    rows = _rows(new)
    _write_rows(new, rows[:-1])
    assert diff_packages(old, new)["bump"] == "major"
    _write_rows(new, [*rows, rows[-1]])
    assert diff_packages(old, new)["bump"] == "minor"


@pytest.mark.parametrize("prop", ["description", "title", "keywords"])
def test_descriptive_metadata_is_patch(pair, prop: str):
    old, new = pair
    d = _descriptor(new)
    d[prop] = ["other"] if prop == "keywords" else "Something else"
    _save(new, d)
    diff = diff_packages(old, new)
    assert diff["bump"] == "patch" and diff["package"][0]["property"] == prop


def test_field_description_is_patch_other_metadata_minor(pair):
    old, new = pair
    d = _descriptor(new)
    _field(d, "figures", "rule")["description"] = "Changed."
    _save(new, d)
    assert diff_packages(old, new)["bump"] == "patch"
    d["licenses"] = [{"name": "CC0-1.0"}]
    _save(new, d)
    assert diff_packages(old, new)["bump"] == "minor"


CONSTRAINTS = [
    # (field, change to its constraints, expected bump)
    ("rule", lambda c: c.update(required=False), "minor"),
    ("group", lambda c: c.update(required=True), "major"),
    ("qualifier", lambda c: c["enum"].append("new_value"), "minor"),
    ("qualifier", lambda c: c["enum"].remove("vague"), "major"),
    ("qualifier", lambda c: c["enum"].reverse(), "minor"),
    ("value", lambda c: c.update(minimum=1), "major"),
    ("value", lambda c: c.update(minimum=-1), "minor"),
    ("value", lambda c: c.update(maximum=10**12), "major"),
    ("value", lambda c: c.pop("minimum"), "minor"),
    ("figure_id", lambda c: c.update(pattern="F[0-9a-f]{12,}"), "major"),
    ("quote", lambda c: c.update(maxLength=10_000), "major"),
    ("quote", lambda c: c.update(minLength=0), "minor"),
]


@pytest.mark.parametrize(("field", "change", "bump"), CONSTRAINTS,
                         ids=[f"{f}-{b}-{i}" for i, (f, _, b) in enumerate(CONSTRAINTS)])
def test_constraints_tightened_major_loosened_minor(pair, field, change, bump):
    old, new = pair
    d = _descriptor(new)
    f = _field(d, "figures", field)
    f.setdefault("constraints", {})
    change(f["constraints"])
    _save(new, d)
    assert diff_packages(old, new)["bump"] == bump


def test_foreign_key_added_major_removed_minor(pair):
    old, new = pair
    d = _descriptor(new)
    fks = _resource(d, "figures")["schema"].pop("foreignKeys")
    _save(new, d)
    assert diff_packages(old, new)["bump"] == "minor"
    assert diff_packages(new, old)["bump"] == "major"
    assert fks


def test_zip_layouts(pair, tmp_path: Path):
    old, new = pair
    flat = tmp_path / "flat.zip"
    with zipfile.ZipFile(flat, "w") as z:
        for p in sorted(new.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(new).as_posix())
    assert diff_packages(old, flat)["bump"] == "none"
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as z:
        z.writestr("a/datapackage.json", "{}")
        z.writestr("b/datapackage.json", "{}")
    with pytest.raises(DiffError, match="two.zip"):
        diff_packages(old, two)
    with pytest.raises(DiffError, match="no datapackage.json"):
        diff_packages(old, tmp_path)


@pytest.mark.parametrize(("released", "bump", "least"), [
    ("0.1.0", "major", "1.0.0"), ("0.1.0", "minor", "0.2.0"), ("0.1.0", "patch", "0.1.1"), ("0.1.0", "none", "0.1.0"),
    ("1.4.2", "major", "2.0.0"), ("1.4.2", "minor", "1.5.0"), ("1.4.2", "patch", "1.4.3"),
])
def test_minimum_version(released: str, bump: str, least: str):
    assert minimum_version(released, bump) == least


def test_version_checks(pair):
    old, new = pair
    rows = _rows(new)
    extra = list(rows[-1])
    extra[rows[0].index("figure_id")] = "F000000000000"
    _write_rows(new, [*rows, extra])  # MINOR
    d = diff_packages(old, new)
    released = d["old"]["version"]
    major, minor, _ = (int(x) for x in released.split("."))
    assert "too low" in version_problem(d, f"{major}.{minor}.9")
    assert version_problem(d, f"{major}.{minor + 1}.0") is None
    assert version_problem(d, f"{major + 1}.0.0") is None
    changelog = f"## [Unreleased]\n\n## [{major}.{minor + 1}.0] - 2030-01-01\n"
    assert version_problems(new, _zip(old, released), f"{major}.{minor + 1}.0", changelog) == []
    problems = version_problems(new, _zip(old, released), f"{major}.{minor + 1}.0", "## [Unreleased]\n")
    assert len(problems) == 1 and "CHANGELOG.md" in problems[0]
    problems = version_problems(new, _zip(old, released), released, changelog)
    assert len(problems) == 1 and "too low" in problems[0]


def _zip(pkg: Path, version: str) -> Path:
    return zip_package(pkg, pkg.parent / "releases" / f"{COLLECTION}-{version}.zip", f"{COLLECTION}-{version}")


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "displacement_figures", *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_cli_diff(pair):
    old, new = pair
    d = _descriptor(new)
    d["resources"].pop()
    _save(new, d)
    r = _cli("diff", str(old), str(new))
    assert r.returncode == 0 and "MAJOR" in r.stdout, r.stderr
    r = _cli("diff", str(old), str(new), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["bump"] == "major"
    released = d["version"]
    r = _cli("diff", str(old), str(new), "--check-version", released)
    assert r.returncode == 1 and "too low" in r.stderr
    major = int(released.split(".")[0])
    assert _cli("diff", str(old), str(new), "--check-version", f"{major + 1}.0.0").returncode == 0
    assert _cli("diff", str(old), str(new), "--check-version").returncode == 1  # NEW's own version
    r = _cli("diff", str(old), str(old.parent / "nowhere"))
    assert r.returncode == 1 and "nowhere" in r.stderr


# ---------------------------------------------------------------- release

def test_release_zips_are_deterministic(built: Path, tmp_path: Path):
    a = zip_package(built, tmp_path / "a.zip", "x-1.0.0", REPO / "CITATION.cff")
    b = zip_package(built, tmp_path / "b.zip", "x-1.0.0", REPO / "CITATION.cff")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        names = z.namelist()
        assert names == sorted(names) and "x-1.0.0/datapackage.json" in names and "x-1.0.0/CITATION.cff" in names
        assert len({i.date_time for i in z.infolist()}) == 1


def test_release_refuses_stray_folders(built: Path, tmp_path: Path):
    """A folder left by a killed build would ship in the wheel: make release names it and stops."""
    root = tmp_path / "root"
    shutil.copytree(built, root / "datasets" / COLLECTION)
    stale = root / "datasets" / f".{COLLECTION}.tmp-abc123"
    shutil.copytree(built, stale)
    shutil.copy(REPO / "CHANGELOG.md", root / "CHANGELOG.md")
    with pytest.raises(ReleaseError, match=r"\.tmp-abc123"):
        check(root, _descriptor(built)["version"])


def _copy_source(dst: Path, built: Path) -> None:
    for name in ("pyproject.toml", "README.md", "CITATION.cff", "CHANGELOG.md", "Makefile"):
        shutil.copy(REPO / name, dst / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("displacement_figures", "extract", "schemas", "seeds", "tests", "releases"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dst / name, ignore=ignore)
    shutil.copytree(built, dst / "datasets" / COLLECTION)


COMPARE = """
import json, sys
from pathlib import Path
import pandas.testing as pdt
import displacement_figures as d
unzipped = Path(sys.argv[1])
tables = d.list_tables(%(collection)r)
assert tables == d.list_tables(path=unzipped), (tables, d.list_tables(path=unzipped))
for name in tables:
    pdt.assert_frame_equal(d.load(name, %(collection)r), d.load(name, path=unzipped))
from displacement_figures.paths import datasets_dir, data_path
print(json.dumps({"datasets": str(datasets_dir()), "citation": str(data_path("CITATION.cff")), "tables": tables}))
"""


@pytest.mark.slow
def test_release_artefacts_give_identical_tables(built: Path, tmp_path: Path):
    """make release: wheel, sdist and package zip with SHA256SUMS; the installed wheel and the unzipped zip
    hold byte-identical files and load equal tables."""
    src = tmp_path / "src"
    src.mkdir()
    _copy_source(src, built)
    version = _pyproject_version()
    dist = tmp_path / "dist"
    files = release(src, dist, checks=False)
    names = sorted(p.name for p in files)
    assert names == sorted(p.name for p in dist.iterdir())
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1 and f"-{version}" in wheels[0].name
    zip_path = dist / f"{COLLECTION}-{version}.zip"
    assert zip_path.is_file()
    sums = dict(reversed(line.split("  ")) for line in (dist / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == sorted(n for n in names if n != "SHA256SUMS")
    for name, digest in sums.items():
        assert sha256_file(dist / name) == digest, name
    # releases/ keeps only this release of the collection.
    assert [p.name for _, p in released_zips(src / "releases", COLLECTION)] == [zip_path.name]
    assert (src / "releases" / zip_path.name).read_bytes() == zip_path.read_bytes()

    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(unzipped)
    package = unzipped / f"{COLLECTION}-{version}"
    assert sorted(p.name for p in unzipped.iterdir()) == [package.name]

    py, env, purelib = install_wheel(wheels[0], tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = subprocess.run([py, "-c", COMPARE % {"collection": COLLECTION}, str(package)], cwd=elsewhere,
                       capture_output=True, text=True, env=env, timeout=120, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    info = json.loads(r.stdout.strip().splitlines()[-1])
    installed = Path(info["datasets"]) / COLLECTION
    assert installed.is_relative_to(Path(purelib).resolve()) or installed.is_relative_to(Path(purelib))
    in_zip = {p.relative_to(package).as_posix(): p.read_bytes() for p in package.rglob("*") if p.is_file()}
    # The wheel also holds the build's hidden .displacement-figures marker (see outputs.py); the zip leaves it out.
    in_wheel = {p.relative_to(installed).as_posix(): p.read_bytes() for p in installed.rglob("*")
                if p.is_file() and not p.name.startswith(".")}
    in_wheel["CITATION.cff"] = Path(info["citation"]).read_bytes()
    assert sorted(in_zip) == sorted(in_wheel)
    assert all(in_zip[k] == in_wheel[k] for k in in_zip), [k for k in in_zip if in_zip[k] != in_wheel[k]]


def test_hatchling_available_for_offline_builds():
    """make release builds with --no-isolation, which needs the build backend in the environment."""
    assert importlib.util.find_spec("hatchling") is not None and importlib.util.find_spec("build") is not None
