"""Compare two built data packages and say which version bump the change needs.

``diff_packages(old, new)`` reads both ``datapackage.json`` files and their
CSVs (a package folder, or a zip holding the package at its top level or in
one subfolder) and compares *content*, never the recorded hashes: resources
added and removed, every field's name, order, type and constraints, descriptive
metadata, and the rows of every resource with a primary key, matched by that
key (``figure_id``, ``source_id``...). Nothing is specific to one resource, so
a resource added to ``schemas/tables.json`` is compared like the others.

:func:`required_bump` turns the comparison into the bump the Data Package
Version recipe (https://datapackage.org/recipes/data-package-version/) asks
for, with one decision of ours where the recipe is silent on rows:

- MAJOR: a resource or field removed or renamed, a field added or fields
  reordered, a type or format changed, a constraint tightened, a primary key
  changed, a foreign key added, **a published row removed** (its key, e.g. a
  cited ``figure_id``, no longer resolves);
- MINOR: a resource added, **rows added**, a constraint loosened, a foreign
  key changed or removed, other non-descriptive metadata (licenses, sources);
- PATCH: **values of an existing row changed** (a correction: the key still
  resolves), descriptive metadata (title, description, keywords).

Review decisions (``figures.review``, the ``decisions`` table) are listed on
their own: a figure verified or corrected is a changed row (PATCH), one added
a new row (MINOR), one rejected a removed row (MAJOR).

Changes of ``version``, ``created``, ``bytes``, ``hash`` and ``path`` need no
bump of their own.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

BUMPS = ("none", "patch", "minor", "major")

# Package properties: those that change with every build, and the descriptive ones.
PACKAGE_IGNORED = {"resources", "version", "created"}
PACKAGE_DESCRIPTIVE = {"title", "description", "keywords", "contributors", "homepage", "image"}
PACKAGE_IDENTITY = {"name", "id", "profile"}
# Resource properties: computed from the bytes, descriptive, and those that change how the bytes are read.
RESOURCE_IGNORED = {"name", "schema", "bytes", "hash"}
RESOURCE_DESCRIPTIVE = {"title", "description"}
RESOURCE_READING = {"format", "mediatype", "encoding", "dialect", "compression"}
FIELD_DESCRIPTIVE = {"title", "description", "example"}
# Constraints where a larger value is stricter, and where a smaller one is.
STRICTER_WHEN_HIGHER = {"minimum", "exclusiveMinimum", "minLength"}
STRICTER_WHEN_LOWER = {"maximum", "exclusiveMaximum", "maxLength"}
BOOLEAN_CONSTRAINTS = {"required", "unique"}
REPORT_ITEMS = 5


class DiffError(ValueError):
    """A path that is not a readable data package; the message names it."""


# ---------------------------------------------------------------- reading

class PackageSource:
    """A package's files, read from a folder or from a zip without extracting it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        if self.path.is_dir():
            if not (self.path / "datapackage.json").is_file():
                raise DiffError(f"{self.path}: no datapackage.json in this folder")
        elif self.path.is_file() and zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            names = set(self._zip.namelist())
            if "datapackage.json" not in names:
                inner = sorted(n for n in names if re.fullmatch(r"[^/]+/datapackage\.json", n))
                if len(inner) != 1:
                    raise DiffError(f"{self.path}: expected datapackage.json at the top of the zip or in exactly one "
                                    f"folder; found {len(inner)}")
                self._prefix = inner[0].removesuffix("datapackage.json")
        else:
            raise DiffError(f"{self.path}: not a package folder or a zip file")
        try:
            self.descriptor: dict[str, Any] = json.loads(self.read("datapackage.json"))
        except (ValueError, UnicodeDecodeError) as e:
            raise DiffError(f"{self.path}: datapackage.json is not valid JSON: {e}") from e
        if not isinstance(self.descriptor.get("resources"), list):
            raise DiffError(f"{self.path}: datapackage.json has no resources list")

    def read(self, relpath: str) -> bytes:
        parts = PurePosixPath(relpath).parts
        if PurePosixPath(relpath).is_absolute() or ".." in parts:
            raise DiffError(f"{self.path}: resource path {relpath!r} leaves the package")
        try:
            if self._zip is not None:
                return self._zip.read(self._prefix + relpath)
            return (self.path / relpath).read_bytes()
        except (KeyError, FileNotFoundError) as e:
            raise DiffError(f"{self.path}: {relpath} is missing") from e

    def table(self, resource: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
        """Header and rows of a resource's CSV, as strings."""
        encoding = resource.get("encoding") or "utf-8"
        if encoding.lower().replace("_", "-") == "utf-8":
            encoding = "utf-8-sig"
        text = self.read(resource["path"]).decode(encoding)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            return [], []
        return rows[0], rows[1:]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


# ---------------------------------------------------------------- comparing

def _bump(*levels: str) -> str:
    return max(levels, key=BUMPS.index, default="none")


def _constraint_change(key: str, old: Any, new: Any) -> str | None:
    """"tightened", "loosened", "reordered" (same enum, other order) or None when equal."""
    if key in BOOLEAN_CONSTRAINTS:
        old, new = bool(old), bool(new)
        if old == new:
            return None
        return "tightened" if new else "loosened"
    if old == new:
        return None
    if old is None:
        return "tightened"
    if new is None:
        return "loosened"
    if key == "enum":
        if set(map(str, old)) - set(map(str, new)):
            return "tightened"
        if set(map(str, new)) - set(map(str, old)):
            return "loosened"
        return "reordered"
    if key in STRICTER_WHEN_HIGHER | STRICTER_WHEN_LOWER:
        try:
            higher = Decimal(str(new)) > Decimal(str(old))
        except InvalidOperation:
            higher = str(new) > str(old)  # ISO dates and times order as strings
        return "tightened" if higher == (key in STRICTER_WHEN_HIGHER) else "loosened"
    return "tightened"  # a pattern or any other constraint changed: assume the worst


def _props(old: dict, new: dict, skip: set[str]) -> list[tuple[str, Any, Any]]:
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in skip]
    return [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def _fk_key(fk: dict) -> str:
    return ",".join(fk.get("fields", [])) if isinstance(fk.get("fields"), list) else str(fk.get("fields"))


def _compare_schemas(old_r: dict, new_r: dict) -> dict[str, Any]:
    old_s, new_s = old_r.get("schema") or {}, new_r.get("schema") or {}
    old_f = {f["name"]: f for f in old_s.get("fields", [])}
    new_f = {f["name"]: f for f in new_s.get("fields", [])}
    out: dict[str, Any] = {
        "fields_added": [n for n in new_f if n not in old_f],
        "fields_removed": [n for n in old_f if n not in new_f],
        "fields_reordered": None, "renamed": [], "types": [], "constraints": [],
        "field_metadata": [], "schema_properties": [], "resource_metadata": [],
    }
    common_old = [n for n in old_f if n in new_f]
    common_new = [n for n in new_f if n in old_f]
    if common_old != common_new:
        out["fields_reordered"] = {"old": common_old, "new": common_new}
    if len(out["fields_added"]) == len(out["fields_removed"]) == 1:
        a, r = out["fields_added"][0], out["fields_removed"][0]
        if list(old_f).index(r) == list(new_f).index(a):
            out["renamed"].append({"old": r, "new": a})
    for name in common_new:
        o, n = old_f[name], new_f[name]
        for key in ("type", "format"):
            default = "string" if key == "type" else "default"
            if o.get(key, default) != n.get(key, default):
                out["types"].append({"field": name, "property": key, "old": o.get(key, default),
                                     "new": n.get(key, default)})
        oc, nc = o.get("constraints") or {}, n.get("constraints") or {}
        for key in dict.fromkeys([*oc, *nc]):
            change = _constraint_change(key, oc.get(key), nc.get(key))
            if change:
                item = {"field": name, "constraint": key, "old": oc.get(key), "new": nc.get(key), "change": change}
                if key == "enum" and oc.get(key) is not None and nc.get(key) is not None:
                    item["values_added"] = [v for v in nc[key] if v not in oc[key]]
                    item["values_removed"] = [v for v in oc[key] if v not in nc[key]]
                out["constraints"].append(item)
        for key, ov, nv in _props(o, n, {"name", "type", "format", "constraints"}):
            out["field_metadata"].append({"field": name, "property": key, "old": ov, "new": nv,
                                          "bump": "patch" if key in FIELD_DESCRIPTIVE else "minor"})
    for key, ov, nv in _props(old_s, new_s, {"fields", "foreignKeys"}):
        bump = "major" if key in ("primaryKey", "missingValues") else "minor"
        out["schema_properties"].append({"property": key, "old": ov, "new": nv, "bump": bump})
    old_fk = {_fk_key(fk): fk for fk in old_s.get("foreignKeys", [])}
    new_fk = {_fk_key(fk): fk for fk in new_s.get("foreignKeys", [])}
    for k in dict.fromkeys([*old_fk, *new_fk]):
        o, n = old_fk.get(k), new_fk.get(k)
        if o == n:
            continue
        # A new foreign key constrains the data (tightened); dropping or re-pointing one is "updating a reference".
        bump = "major" if o is None else "minor"
        out["schema_properties"].append({"property": f"foreignKeys[{k}]", "old": o, "new": n, "bump": bump})
    for key, ov, nv in _props(old_r, new_r, RESOURCE_IGNORED):
        bump = ("none" if key == "path" else "patch" if key in RESOURCE_DESCRIPTIVE
                else "major" if key in RESOURCE_READING else "minor")
        out["resource_metadata"].append({"property": key, "old": ov, "new": nv, "bump": bump})
    return out


def _normal(value: str, ftype: str) -> Any:
    """A cell in a form where equal values compare equal ("20000" and "20000.0")."""
    if value == "":
        return None
    if ftype in ("number", "integer"):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if ftype == "boolean":
        return value.strip().lower()
    return value


def _key_repr(key: tuple[str, ...]) -> str | list[str]:
    return key[0] if len(key) == 1 else list(key)


def _compare_rows(old: PackageSource, new: PackageSource, old_r: dict, new_r: dict) -> dict[str, Any]:
    old_header, old_rows = old.table(old_r)
    new_header, new_rows = new.table(new_r)
    old_types = {f["name"]: f.get("type", "string") for f in (old_r.get("schema") or {}).get("fields", [])}
    new_types = {f["name"]: f.get("type", "string") for f in (new_r.get("schema") or {}).get("fields", [])}
    common = [c for c in new_header if c in old_header]
    oi = {c: old_header.index(c) for c in common}
    ni = {c: new_header.index(c) for c in common}

    def cells(row: list[str], idx: dict[str, int], types: dict[str, str]) -> dict[str, tuple[str, Any]]:
        return {c: (row[i] if i < len(row) else "", _normal(row[i] if i < len(row) else "", types.get(c, "string")))
                for c, i in idx.items()}

    pk_old = (old_r.get("schema") or {}).get("primaryKey")
    pk_new = (new_r.get("schema") or {}).get("primaryKey")
    pk_old = [pk_old] if isinstance(pk_old, str) else pk_old
    pk_new = [pk_new] if isinstance(pk_new, str) else pk_new
    out: dict[str, Any] = {"key": None, "rows_old": len(old_rows), "rows_new": len(new_rows),
                           "added": [], "removed": [], "changed": [], "duplicate_keys": []}
    if pk_new and pk_old == pk_new and all(k in common for k in pk_new):
        out["key"] = list(pk_new)

        def keyed(rows, idx, types, side):
            found: dict[tuple[str, ...], dict] = {}
            for row in rows:
                c = cells(row, idx, types)
                key = tuple(c[k][0] for k in pk_new)
                if key in found:
                    out["duplicate_keys"].append({"side": side, "key": _key_repr(key)})
                found[key] = c
            return found

        a, b = keyed(old_rows, oi, old_types, "old"), keyed(new_rows, ni, new_types, "new")
        out["added"] = [_key_repr(k) for k in sorted(b.keys() - a.keys())]
        out["removed"] = [_key_repr(k) for k in sorted(a.keys() - b.keys())]
        for k in sorted(a.keys() & b.keys()):
            fields = {c: {"old": a[k][c][0], "new": b[k][c][0]} for c in common
                      if c not in pk_new and a[k][c][1] != b[k][c][1]}
            if fields:
                out["changed"].append({"key": _key_repr(k), "fields": fields})
    else:
        # No key to match rows by: compare as multisets of rows over the shared columns.
        def bag(rows, idx, types):
            return Counter(tuple(v[1] for v in cells(row, idx, types).values()) for row in rows)

        a, b = bag(old_rows, oi, old_types), bag(new_rows, ni, new_types)
        out["added"] = [dict(zip(common, map(_cell_text, r), strict=True)) for r in sorted((b - a).elements(), key=str)]
        out["removed"] = [dict(zip(common, map(_cell_text, r), strict=True))
                          for r in sorted((a - b).elements(), key=str)]
    return out


def _tabular(resource: dict[str, Any]) -> bool:
    fmt = str(resource.get("format") or PurePosixPath(str(resource.get("path", ""))).suffix.lstrip(".")).lower()
    return isinstance(resource.get("path"), str) and fmt == "csv" and bool((resource.get("schema") or {}).get("fields"))


def _cell_text(v: Any) -> str:
    return "" if v is None else str(v)


def diff_packages(old: str | Path, new: str | Path) -> dict[str, Any]:
    """Everything that differs between two packages (folders or zips), as a JSON-ready dict.

    ``bump`` is :func:`required_bump` of the result and ``changes`` the list of
    reasons, each with the bump it needs.
    """
    a, b = PackageSource(old), PackageSource(new)
    try:
        da, db = a.descriptor, b.descriptor
        ra = {r["name"]: r for r in da["resources"]}
        rb = {r["name"]: r for r in db["resources"]}
        result: dict[str, Any] = {
            "old": {"path": str(old), "name": da.get("name"), "version": da.get("version")},
            "new": {"path": str(new), "name": db.get("name"), "version": db.get("version")},
            "package": [{"property": k, "old": ov, "new": nv,
                         "bump": "patch" if k in PACKAGE_DESCRIPTIVE else "major" if k in PACKAGE_IDENTITY
                         else "minor"} for k, ov, nv in _props(da, db, PACKAGE_IGNORED)],
            "resources": {"added": [n for n in rb if n not in ra], "removed": [n for n in ra if n not in rb],
                          "reordered": None},
            "schemas": {}, "data": {},
        }
        common_a = [n for n in ra if n in rb]
        common_b = [n for n in rb if n in ra]
        if common_a != common_b:
            result["resources"]["reordered"] = {"old": common_a, "new": common_b}
        for name in common_b:
            s = _compare_schemas(ra[name], rb[name])
            if any(s.values()):
                result["schemas"][name] = s
            if _tabular(ra[name]) and _tabular(rb[name]):
                d = _compare_rows(a, b, ra[name], rb[name])
                if d["added"] or d["removed"] or d["changed"] or d["duplicate_keys"]:
                    result["data"][name] = d
            elif a.read(ra[name]["path"]) != b.read(rb[name]["path"]):
                result["data"][name] = {"key": None, "rows_old": None, "rows_new": None, "added": [], "removed": [],
                                        "changed": [], "duplicate_keys": [], "bytes_changed": True}
    finally:
        a.close()
        b.close()
    result["review"] = review_changes(old, new)
    result["changes"] = changes(result)
    result["bump"] = required_bump(result)
    return result


def review_changes(old: str | Path, new: str | Path) -> dict[str, list[str]]:
    """Figures whose review status changed: ``{status: [figure_id, ...]}``, and ``rejected`` for figures the new
    package's decisions reject that the old one published. Empty for packages without review columns."""
    statuses: list[dict[str, str]] = []
    rejected: set[str] = set()
    for path in (old, new):
        source = PackageSource(path)
        try:
            by_name = {r["name"]: r for r in source.descriptor["resources"]}
            status = {}
            if "figures" in by_name:
                header, rows = source.table(by_name["figures"])
                if "figure_id" in header and "review" in header:
                    i, j = header.index("figure_id"), header.index("review")
                    status = {r[i]: r[j] for r in rows if len(r) > max(i, j)}
                elif "figure_id" in header:
                    i = header.index("figure_id")
                    status = {r[i]: "extracted" for r in rows if len(r) > i}
            statuses.append(status)
            if path is new and "decisions" in by_name:
                header, rows = source.table(by_name["decisions"])
                if "figure_id" in header and "decision" in header:
                    i, j = header.index("figure_id"), header.index("decision")
                    rejected = {r[i] for r in rows if len(r) > max(i, j) and r[j] == "reject"}
        finally:
            source.close()
    before, after = statuses
    out: dict[str, list[str]] = {}
    for fid, status in sorted(after.items()):
        if status != "extracted" and before.get(fid, "extracted") != status:
            out.setdefault(status, []).append(fid)
    gone = sorted(fid for fid in rejected if fid in before and fid not in after)
    if gone:
        out["rejected"] = gone
    return out


# ---------------------------------------------------------------- rules

def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _changed(what: str, old: Any, new: Any) -> str:
    if old is None:
        return f"{what} added: {_short(new)}"
    if new is None:
        return f"{what} removed (was {_short(old)})"
    return f"{what} changed: {_short(old, 40)} → {_short(new, 40)}"


def _some(items: list, n: int = REPORT_ITEMS) -> str:
    shown = ", ".join(_short(i, 40) if not isinstance(i, str) else i for i in items[:n])
    return shown + (f" and {len(items) - n} more" if len(items) > n else "")


def changes(diff: dict[str, Any]) -> list[dict[str, str]]:
    """Every difference as ``{"bump", "where", "what"}``: the rules of the version recipe, in one place."""
    out: list[dict[str, str]] = []

    def add(bump: str, where: str, what: str) -> None:
        out.append({"bump": bump, "where": where, "what": what})

    for p in diff.get("package", []):
        add(p["bump"], "package", _changed(p["property"], p["old"], p["new"]))
    res = diff.get("resources", {})
    for name in res.get("added", []):
        add("minor", name, "resource added")
    for name in res.get("removed", []):
        add("major", name, "resource removed")
    if res.get("reordered"):
        add("patch", "package", "resources listed in another order")
    for name, s in diff.get("schemas", {}).items():
        for r in s.get("renamed", []):
            add("major", name, f"field {r['old']!r} renamed to {r['new']!r}?")
        renamed_old = {r["old"] for r in s.get("renamed", [])}
        renamed_new = {r["new"] for r in s.get("renamed", [])}
        for f in s.get("fields_removed", []):
            if f not in renamed_old:
                add("major", name, f"field {f!r} removed")
        for f in s.get("fields_added", []):
            if f not in renamed_new:
                add("major", name, f"field {f!r} added")
        if s.get("fields_reordered"):
            add("major", name, "fields reordered")
        for t in s.get("types", []):
            add("major", name, f"field {t['field']!r}: {t['property']} {t['old']} → {t['new']}")
        for c in s.get("constraints", []):
            bump = {"tightened": "major", "loosened": "minor", "reordered": "minor"}[c["change"]]
            what = f"{_short(c['old'], 40)} → {_short(c['new'], 40)}"
            if c.get("values_added") or c.get("values_removed"):
                what = " ".join(x for x in (
                    f"+{c['values_added']}" if c.get("values_added") else "",
                    f"-{c['values_removed']}" if c.get("values_removed") else "") if x)
            add(bump, name, f"field {c['field']!r}: constraint {c['constraint']} {c['change']} ({what})")
        grouped: dict[tuple[str, str], list[str]] = {}
        for m in s.get("field_metadata", []):
            grouped.setdefault((m["bump"], m["property"]), []).append(m["field"])
        for (bump, prop), fields in grouped.items():
            add(bump, name, f"{prop} of field(s) {_some(fields, 8)} changed")
        for m in s.get("schema_properties", []):
            add(m["bump"], name, _changed(f"schema {m['property']}", m["old"], m["new"]))
        for m in s.get("resource_metadata", []):
            add(m["bump"], name, _changed(m["property"], m["old"], m["new"]))
    for status, ids in diff.get("review", {}).items():
        # A reviewed row is a changed row (PATCH), an added one a new row (MINOR), a rejected one a removed row.
        bump = {"added": "minor", "rejected": "major"}.get(status, "patch")
        add(bump, "figures", f"review: {len(ids)} figure(s) {status}: {_some(ids)}")
    for name, d in diff.get("data", {}).items():
        by = f" ({', '.join(d['key'])})" if d.get("key") else ""
        if d.get("removed"):
            add("major", name, f"{len(d['removed'])} row(s) removed{by}: {_some(d['removed'])}")
        if d.get("added"):
            add("minor", name, f"{len(d['added'])} row(s) added{by}: {_some(d['added'])}")
        if d.get("changed"):
            details = [f"{_short(c['key'], 40)} " + ", ".join(
                f"{f} {_short(v['old'], 30)!r}→{_short(v['new'], 30)!r}" for f, v in c["fields"].items())
                for c in d["changed"]]
            add("patch", name, f"{len(d['changed'])} row(s) changed: " + "; ".join(details[:REPORT_ITEMS])
                + (f"; and {len(details) - REPORT_ITEMS} more" if len(details) > REPORT_ITEMS else ""))
        if d.get("bytes_changed"):
            add("patch", name, "content changed (not a table: compared byte for byte)")
        if d.get("duplicate_keys"):
            # The package validation refuses duplicate keys; listed here only to explain odd row counts.
            add("none", name, f"duplicate keys: {_some([k['key'] for k in d['duplicate_keys']])}")
    return out


def required_bump(diff: dict[str, Any]) -> str:
    """"major", "minor", "patch" or "none": the largest bump any difference needs."""
    return _bump(*(c["bump"] for c in changes(diff)))


# ---------------------------------------------------------------- versions

def parse_version(version: str) -> tuple[int, int, int]:
    m = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", str(version or "").strip())
    if not m:
        raise ValueError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def minimum_version(released: str, bump: str) -> str:
    """The lowest version a change of ``bump`` may be released as after ``released``.

    0.x versions get no special treatment: a MAJOR change after 0.1.0 needs 1.0.0.
    """
    major, minor, patch = parse_version(released)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


def version_problem(diff: dict[str, Any], version: str | None = None) -> str | None:
    """Why ``version`` (default: the new package's) is too low for the change since the old package, or None."""
    version = version or diff["new"].get("version")
    released = diff["old"].get("version")
    bump = required_bump(diff)
    try:
        least = minimum_version(released, bump)
        too_low = parse_version(version) < parse_version(least)
    except ValueError as e:
        return f"cannot compare versions: {e}"
    if too_low:
        return (f"version {version} is too low: the change since {released} is {bump.upper()}, so the version must be "
                f"at least {least}")
    return None


# ---------------------------------------------------------------- report

def format_report(diff: dict[str, Any]) -> str:
    """A short text report: what changed, grouped by the bump each change needs."""
    o, n = diff["old"], diff["new"]
    bump = required_bump(diff)
    lines = [f"old: {o.get('name')} {o.get('version')} ({o['path']})",
             f"new: {n.get('name')} {n.get('version')} ({n['path']})"]
    items = changes(diff)
    if bump == "none":
        lines.append("no change that needs a new version" + (" (only: " + "; ".join(
            f"{c['where']}: {c['what']}" for c in items) + ")" if items else ""))
        return "\n".join(lines) + "\n"
    try:
        least = f"; version at least {minimum_version(o.get('version'), bump)}"
    except ValueError:
        least = ""
    lines.append(f"required bump: {bump.upper()}{least}")
    rows = [f"{name} {d['rows_old']}→{d['rows_new']} rows" for name, d in diff.get("data", {}).items()
            if d.get("rows_old") is not None]
    if rows:
        lines.append("rows: " + ", ".join(rows))
    for level in reversed(BUMPS):
        group = [c for c in items if c["bump"] == level]
        if not group:
            continue
        lines.append("")
        lines.append(f"{level.upper()}" if level != "none" else "NO BUMP NEEDED")
        lines += [f"  - {c['where']}: {c['what']}" for c in group]
    return "\n".join(lines) + "\n"
