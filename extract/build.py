"""Build, extract and validate packages: the I/O around :func:`extract_document`.

Three entry points, all ending in the same validated, atomic package write:

- :func:`build_collection` turns a curated ``seeds/<collection>/`` into
  ``datasets/<collection>/`` and refuses anything doubtful (a changed hash, a
  document without provenance, bytes that are not UTF-8), because a published
  dataset must be reproducible from its seeds;
- :func:`extract_folder` runs on any folder of .txt files and skips what it
  cannot read, reporting it, because one bad file in a user's archive should
  not cost them the rest;
- :func:`validate_package` re-checks a written package from scratch.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from displacement_figures import schema as tschema

from .figures import extract_document
from .package import PackageWriter, format_cell, sha256_file, unsafe_cell
from .reconcile import CorrectionError, read_corrections
from .text import UnreadableDocument, decode

# Columns of sources.csv: the sources schema minus what the build computes from the file.
COMPUTED = ("bytes", "encoding", "path")
PROGRESS_MIN_DOCS = 20


class BuildError(ValueError):
    """Input the build refuses; the message names the file and what to do about it."""


# ---------------------------------------------------------------- names and paths
#
# A source id, a document's or a collection's name ends up in a path (seeds/<collection>/<source_id>.txt, a
# package's sources.path, which validate_package joins to a folder and reads), in CSV cells and in messages. So it
# must be one plain path component: no separator, no "..", no drive, nothing a terminal or an editor would not show
# as written (control characters, bidi overrides, zero-width marks, undecodable bytes).
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # controls (incl. tab, DEL, C1), formatting (bidi, zero-width),
#                                                    surrogates (bytes a file name could not decode), line breaks


def unsafe_name(name: str) -> str | None:
    """Why ``name`` cannot name a source, document or collection; None when it can."""
    if ".." in name:
        return 'holds ".." (a path out of its folder)'
    if not name.strip("."):
        return "is empty or a dot"
    if "/" in name or "\\" in name:
        return "holds a path separator (/ or \\)"
    if re.match(r"[A-Za-z]:", name):
        return "starts with a drive (an absolute path on Windows)"
    hidden = sorted({ascii(c)[1:-1] for c in name if unicodedata.category(c) in _HIDDEN_CATEGORIES})
    if hidden:
        return f"holds control, invisible or undecodable characters ({', '.join(hidden)})"
    return None


def _unsafe_path(path: str) -> str | None:
    """Why a relative path recorded in a package (``a/b/c.txt``) may not be read; None when it may."""
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return "is absolute"
    for part in path.split("/"):
        reason = unsafe_name(part)
        if reason:
            return f"has a part that {reason}" if part != path else reason
    return None


def _shown(name: str | Path) -> str:
    """``name`` for a message: as is when printable, else escaped so that every character shows."""
    name = str(name)
    return name if name.isprintable() and not any(unicodedata.category(c) in _HIDDEN_CATEGORIES for c in name) \
        else ascii(name)


def _outside(path: Path, folder: Path) -> str | None:
    """Why ``path``, found in ``folder``, is not a document of it (a link leading out of it); None when it is."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "is a broken or looping symbolic link" if path.is_symlink() else None  # unreadable: reported later
    if not target.is_relative_to(folder.resolve()):
        return f"is a symbolic link to {_shown(target)}, outside {_shown(folder)}"
    return None


def curated_columns() -> list[str]:
    return [f["name"] for f in tschema.table_schema("sources")["fields"] if f["name"] not in COMPUTED]


def read_sources_csv(path: Path, required: bool = True) -> dict[str, dict[str, Any]]:
    """sources.csv rows keyed by source_id; empty cells become None."""
    if not path.is_file():
        if required:
            raise BuildError(f"{path}: missing; every collection needs a sources.csv with columns "
                             f"{','.join(curated_columns())}")
        return {}
    try:
        return _read_sources_csv(path, required)
    except UnicodeDecodeError as e:
        raise BuildError(f"{_shown(path)}: not UTF-8 (a byte {e.object[e.start:e.start + 1]!r}); save it as UTF-8") \
            from None


def _read_sources_csv(path: Path, required: bool) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        allowed = curated_columns()
        unknown = [c for c in header if c not in allowed]
        missing = [c for c in allowed if c not in header] if required else []
        if unknown or missing or "source_id" not in header:
            raise BuildError(f"{path}: header must be {','.join(allowed)}"
                             + (f"; unknown {unknown}" if unknown else "") + (f"; missing {missing}" if missing else ""))
        rows: dict[str, dict[str, Any]] = {}
        for n, raw in enumerate(reader, start=2):
            row = {k: (v if v != "" else None) for k, v in raw.items()}
            sid = row.get("source_id")
            where = f"{path}: row {n}"
            if not sid:
                raise BuildError(f"{where}: empty source_id")
            if unsafe_name(sid):
                raise BuildError(f"{where}, field source_id: {_shown(sid)} {unsafe_name(sid)}; a source id names "
                                 "its document (<source_id>.txt), so it must be a plain file name")
            if sid in rows:
                raise BuildError(f"{where}: duplicate source_id {sid!r}")
            if row.get("published") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["published"]):
                raise BuildError(f"{where}: published {row['published']!r} is not a date (YYYY-MM-DD)")
            for k, v in row.items():
                if unsafe_cell(v):
                    raise BuildError(f"{where}, field {k}: value starts with {v[:1]!r}, which spreadsheets run as "
                                     "a formula; reword it")
            rows[sid] = row
    return rows


@cache
def _string_fields() -> frozenset[str]:
    """String fields of the figures table (read once: the schema is copied on every read, 0.1 ms a document)."""
    return frozenset(f["name"] for f in tschema.table_schema("figures")["fields"] if f.get("type", "string") == "string")


def check_rows(rows: list[dict[str, Any]], text: str, name: str) -> list[str]:
    """Problems with one document's rows: a quote or sentence that is not its span, a formula-like cell."""
    problems = []
    strings = _string_fields()
    for r in rows:
        at = f"{name}: figure {r.get('figure_id')} at {r.get('char_start')}-{r.get('char_end')}"
        if text[r["char_start"]:r["char_end"]] != r["quote"]:
            problems.append(f"{at}: quote {r['quote']!r} is not text[char_start:char_end]")
        if text[r["sentence_start"]:r["sentence_end"]] != r["sentence"]:
            problems.append(f"{at}: sentence is not text[sentence_start:sentence_end]")
        for k in sorted(strings):
            if unsafe_cell(r.get(k)):
                problems.append(f"{at}, field {k}: value starts with {r[k][:1]!r}, which spreadsheets run as a "
                                f"formula ({r[k][:40]!r})")
    return problems


def process_document(task: tuple[str, str, bool, str | None, bool]) -> dict[str, Any]:
    """Read, check, decode and extract one document; errors are returned, not raised, so workers can report them.

    Runs in worker processes: takes and returns plain picklable data.
    """
    path, source_id, strict, expected_sha, keep_text = task
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as e:  # a folder named *.txt, a file without read permission, a broken link
        return {"source_id": source_id, "file": name, "error": f"{name}: cannot be read ({e.strerror or e})"}
    sha = hashlib.sha256(data).hexdigest()
    out: dict[str, Any] = {"source_id": source_id, "file": name, "bytes": len(data), "sha256": sha}
    if expected_sha and sha != expected_sha:
        out["error"] = (f"{name}: SHA-256 is {sha} but sources.csv records {expected_sha}; the document changed: "
                        "restore it, or update sources.csv deliberately")
        return out
    try:
        text, encoding = decode(data, name, strict=strict)
    except UnreadableDocument as e:
        out["error"] = str(e)
        return out
    try:
        rows = extract_document(text, source_id)
    except Exception as e:  # noqa: BLE001 - one document's failure is reported, not fatal
        out["error"] = f"{name}: extractor failed: {type(e).__name__}: {e}"
        return out
    problems = check_rows(rows, text, name)
    if problems:
        out["error"] = "; ".join(problems)
        return out
    out.update(encoding=encoding, rows=rows, text=text if keep_text else None)
    return out


def _run(tasks: list[tuple], jobs: int) -> Iterator[dict[str, Any]]:
    """Results in task order whatever ``jobs`` is, with a progress bar on a terminal."""
    from tqdm import tqdm

    bar = tqdm(total=len(tasks), unit="doc", file=sys.stderr, leave=False,
               disable=not (sys.stderr.isatty() and len(tasks) >= PROGRESS_MIN_DOCS))
    try:
        if jobs > 1 and len(tasks) > 1:
            from concurrent.futures import ProcessPoolExecutor

            chunksize = max(1, len(tasks) // (jobs * 8))
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for result in pool.map(process_document, tasks, chunksize=chunksize):
                    bar.update()
                    yield result
        else:
            for task in tasks:
                result = process_document(task)
                bar.update()
                yield result
    finally:
        bar.close()


def _source_row(curated: Mapping[str, Any] | None, result: Mapping[str, Any], path: str) -> dict[str, Any]:
    row = {c: None for c in curated_columns()}
    row.update(curated or {})
    row.update(source_id=result["source_id"], sha256=result["sha256"], bytes=result["bytes"],
               encoding=result["encoding"], path=path)
    return row


def _describe(n_docs: int, sources: list[Mapping[str, Any]]) -> str:
    dates = sorted(s["published"] for s in sources if s.get("published"))
    span = ""
    if dates:
        span = f" published on {dates[0]}" if dates[0] == dates[-1] else f" published {dates[0]} to {dates[-1]}"
    docs = "news report" if n_docs == 1 else "news reports"
    return (f"Displacement, casualty, population and distance figures from {n_docs} {docs}{span}, one row per "
            "mention, each citing the document, character offsets and exact quote it comes from.")


def build_collection(seeds_dir: str | Path, out_dir: str | Path) -> Path:
    """Build ``out_dir`` from a curated seeds folder; raises :class:`BuildError` and leaves ``out_dir`` alone."""
    seeds_dir, out_dir = Path(seeds_dir), Path(out_dir)
    collection = seeds_dir.name
    if unsafe_name(collection):
        raise BuildError(f"{_shown(seeds_dir)}: the collection name {unsafe_name(collection)}; rename the folder")
    # A curated collection is its files, byte for byte: a link (even one inside the folder) is refused, not followed.
    for p in [seeds_dir / "sources.csv", *sorted(seeds_dir.glob("*.txt"))]:
        if unsafe_name(p.name):
            raise BuildError(f"{_shown(p)}: the file name {unsafe_name(p.name)}; rename the file")
        if p.is_symlink():
            raise BuildError(f"{_shown(p)}: a symbolic link (to {_shown(p.readlink())}); a curated collection holds "
                             "its documents as files: copy the file in")
    curated = read_sources_csv(seeds_dir / "sources.csv")
    corrections = _corrections(seeds_dir / "corrections.csv")
    docs = {p.stem: p for p in sorted(seeds_dir.glob("*.txt"))}
    for sid, p in docs.items():
        if sid not in curated:
            raise BuildError(f"{p}: no row in {seeds_dir / 'sources.csv'}; add one (source_id {sid}) with its sha256")
    for sid in curated:
        if sid not in docs:
            raise BuildError(f"{seeds_dir / 'sources.csv'}: row {sid!r} has no document {seeds_dir / (sid + '.txt')}")
    if not docs:
        raise BuildError(f"{seeds_dir}: no .txt documents")
    tasks = [(str(docs[sid]), sid, True, curated[sid].get("sha256") or "", True) for sid in sorted(docs)]
    sources, texts = [], {}
    with PackageWriter(out_dir) as writer:
        for result in _run(tasks, jobs=1):
            if "error" in result:
                raise BuildError(f"{seeds_dir}/{result['error']}")
            texts[result["source_id"]] = result["text"]
            writer.add_figures(result["rows"])
            sources.append(_source_row(curated[result["source_id"]], result,
                                       f"seeds/{collection}/{result['file']}"))
        meta = {"name": _package_name(collection), "title": f"Figures from news reports: {collection}",
                "description": _describe(len(sources), sources)}
        try:
            writer.finish(sources, meta, lambda d: validate_package(d, texts=texts), corrections=corrections,
                          charts=_draw_charts)
        except CorrectionError as e:
            raise BuildError(str(e)) from None
    return out_dir


def _corrections(path: Path) -> list[dict[str, Any]]:
    try:
        return read_corrections(path)
    except CorrectionError as e:
        raise BuildError(str(e)) from None


def _draw_charts(package_dir: Path) -> list[dict[str, str]]:
    """The package's charts, drawn into its charts/ folder (see displacement_figures.plot)."""
    from displacement_figures.plot import write_charts

    return write_charts(package_dir, package_dir / "charts")


def _package_name(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.") or "figures"


def _source_id(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).lstrip("_.-") or "document"


def extract_folder(in_dir: str | Path, out_dir: str | Path, jobs: int = 1,
                   notes: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """Extract every .txt of a folder into a package; returns ``(file, reason)`` for each skipped file.

    A file that cannot be read as text (empty, binary, unreadable) is skipped with a reason, never fatal, so one
    bad file does not cost the rest. ``notes``, when given, receives ``(file, note)`` for documents that were
    extracted but deserve a word: no figures found, or decoded as Windows-1252 because they are not UTF-8.
    """
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if not in_dir.is_dir():
        raise BuildError(f"{in_dir}: not a folder")
    if not any(in_dir.glob("*.txt")):
        raise BuildError(f"{in_dir}: no .txt documents")
    outside = _outside(in_dir / "sources.csv", in_dir)
    if outside:
        raise BuildError(f"{_shown(in_dir / 'sources.csv')}: {outside}; not read")
    curated = read_sources_csv(in_dir / "sources.csv", required=False)
    corrections = _corrections(in_dir / "corrections.csv")
    skipped: list[tuple[str, str]] = []
    tasks, seen = [], set()
    for p in sorted(in_dir.glob("*.txt"), key=lambda p: (_source_id(p.stem), p.name)):
        # A badly named file, or a link out of the folder, is skipped and reported like an unreadable one.
        bad = (unsafe_name(p.name) and f"the file name {unsafe_name(p.name)}; rename it") or _outside(p, in_dir)
        if bad:
            skipped.append((_shown(p.name), bad))
            continue
        sid = _source_id(p.stem)
        if sid in seen:
            skipped.append((p.name, f"source id {sid!r} already used by another file"))
            continue
        seen.add(sid)
        tasks.append((str(p), sid, False, (curated.get(sid) or {}).get("sha256") or "", False))
    sources = []
    with PackageWriter(out_dir) as writer:
        for result in _run(tasks, jobs=max(1, jobs)):
            if "error" in result:
                reason = result["error"].removeprefix(f"{result['file']}: ")
                skipped.append((result["file"], reason))
                continue
            writer.add_figures(result["rows"])
            sources.append(_source_row(curated.get(result["source_id"]), result, result["file"]))
            if notes is not None and result["encoding"] == "cp1252":
                notes.append((result["file"], "not UTF-8: read as Windows-1252 (Latin-1)"))
            if notes is not None and not result["rows"]:
                notes.append((result["file"], "no figures found"))
        meta = {"name": _package_name(out_dir.name), "title": f"Figures extracted from {in_dir.name}",
                "description": _describe(len(sources), sources)}
        try:
            writer.finish(sources, meta, validate_package, corrections=corrections)
        except CorrectionError as e:
            raise BuildError(str(e)) from None
    return skipped


# ---------------------------------------------------------------- validation

def _frictionless_errors(descriptor: Path) -> list[str]:
    import frictionless

    report = frictionless.validate(str(descriptor))
    out = [f"{descriptor}: {e.message}" for e in report.errors]
    for task in report.tasks:
        for e in task.errors:
            where = f"{task.place or task.name}"
            if getattr(e, "row_number", None):
                where += f": row {e.row_number}"
            if getattr(e, "field_name", None):
                where += f", field {e.field_name}"
            out.append(f"{where}: {e.message}")
    return out


def _pandera_errors(csv_path: Path, schema: Mapping[str, Any], texts: Mapping[str, str] | None, rel: str):
    import pandera.pandas as pa

    try:
        df = tschema.read_table(csv_path, schema)
    except Exception as e:  # noqa: BLE001 - unreadable CSV is a validation error
        return [f"{rel}: cannot be read as typed by its schema: {e}"], None
    try:
        tschema.pandera_schema(schema, texts).validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        return _failure_messages(e.failure_cases, df, texts, rel), df
    return [], df


def _failure_messages(failures, df, texts: Mapping[str, str] | None, rel: str, limit: int = 50) -> list[str]:
    """One message per failed cell, or per failed row for checks between fields (pandera lists every column).

    A check between fields names the first field it mentions ("quote" for quote == text[char_start:char_end]).
    Quote checks of a source whose document could not be read are left out: that document is reported instead.
    """
    out, seen = [], set()
    for fc in failures.itertuples():
        has_row = fc.index is not None and fc.index == fc.index
        if fc.schema_context == "DataFrameSchema" and has_row:
            i, check = int(fc.index), str(fc.check)
            if (i, check) in seen:
                continue
            seen.add((i, check))
            named = [t for t in re.findall(r"[A-Za-z_]\w*", check) if t in df.columns]
            field = named[0] if named else fc.column
            if (texts is not None and "text[" in check and "source_id" in df.columns
                    and df.at[i, "source_id"] not in texts):
                continue
            value = df.at[i, field] if field in df.columns else fc.failure_case
            out.append(f"{rel}: row {i + 2}, field {field}: failed {check} (value {value!r})")
        else:
            row = f"row {int(fc.index) + 2}" if has_row else "table"
            out.append(f"{rel}: {row}, field {fc.column}: failed {fc.check} (value {fc.failure_case!r})")
        if len(out) >= limit:
            break
    return out


def _header_errors(path: Path, schema: Mapping[str, Any], rel: str) -> list[str]:
    """Columns missing, extra or out of order, each named; the table is not read further when there are any."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f), [])
    except UnicodeDecodeError as e:
        return [f"{rel}: not UTF-8 ({e})"]
    names = [f["name"] for f in schema["fields"]]
    errors = [f"{rel}: row 1 (header), field {n}: column missing (the schema has it at position {i + 1})"
              for i, n in enumerate(names) if n not in header]
    errors += [f"{rel}: row 1 (header), field {n}: column not in the schema (position {i + 1})"
               for i, n in enumerate(header) if n not in names]
    if not errors and header != names:
        errors.append(f"{rel}: row 1 (header): columns {header} are not in the schema's order {names}")
    return errors


def _document_texts(sources, docs_root: Path) -> tuple[dict[str, str], list[str]]:
    import pandas as pd

    texts, errors = {}, []
    for row in sources.itertuples():
        if any(pd.isna(v) for v in (row.source_id, row.path, row.sha256, row.bytes, row.encoding)):
            continue  # reported by the schema checks
        at = f"data/sources.csv: row {row.Index + 2}"
        # The package names the file to read: a crafted path ("../../etc/passwd", "/etc/passwd", a link out of
        # docs_root) is reported, never opened.
        bad = _unsafe_path(str(row.path))
        if bad:
            errors.append(f"{at}, field path: {_shown(row.path)} {bad}; document of source {row.source_id} not read")
            continue
        path = docs_root / row.path
        if path.exists() and not path.resolve().is_relative_to(docs_root.resolve()):
            errors.append(f"{at}, field path: {_shown(path)} leads outside {_shown(docs_root)} (a symbolic link); "
                          f"document of source {row.source_id} not read")
            continue
        if not path.is_file():
            errors.append(f"{at}, field path: document {path} of source {row.source_id} not found")
            continue
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha != row.sha256:
            errors.append(f"{at}, field sha256: document {path} has SHA-256 {sha}, the package records {row.sha256}: "
                          f"it changed after the build, so the quotes of source {row.source_id} were not checked")
            continue
        if len(data) != row.bytes:
            errors.append(f"{at}, field bytes: document {path} has {len(data)} bytes, the package records {row.bytes}")
        enc = str(row.encoding)
        texts[row.source_id] = data.decode(enc, errors="replace") if enc == "cp1252" else data.decode(enc)
    return texts, errors


def validate_package(directory: str | Path, docs_root: str | Path | None = None,
                     texts: Mapping[str, str] | None = None) -> list[str]:
    """Every problem of a package, each naming file, row and field; empty when valid.

    Quotes are checked against the documents when ``texts`` is given, or when
    they can be read from ``docs_root`` (by default the checkout, for packages
    built from seeds/).
    """
    directory = Path(directory)
    descriptor_path = directory / "datapackage.json"
    if not descriptor_path.is_file():
        return [f"{descriptor_path}: missing"]
    import json

    with open(descriptor_path, encoding="utf-8") as f:
        descriptor = json.load(f)
    errors = _frictionless_errors(descriptor_path)
    frames = {}
    for r in descriptor["resources"]:
        bad = _unsafe_path(r["path"]) if isinstance(r.get("path"), str) else "is not one file's path"
        if bad or not (directory / r["path"]).resolve().is_relative_to(directory.resolve()):
            errors.append(f"datapackage.json: resource {_shown(r.get('name', '?'))}: path {_shown(r.get('path'))} "
                          f"{bad or 'leads outside the package (a symbolic link)'}; not read")
            continue
        path = directory / r["path"]
        if not path.is_file():
            errors.append(f"{r['path']}: missing")
            continue
        if path.stat().st_size != r.get("bytes"):
            errors.append(f"{r['path']}: {path.stat().st_size} bytes, datapackage.json says {r.get('bytes')}: "
                          "the file changed after the build")
        actual = sha256_file(path)
        if f"sha256:{actual}" != r.get("hash"):
            errors.append(f"{r['path']}: SHA-256 {actual} does not match datapackage.json ({r.get('hash')}): "
                          "the file changed after the build")
        frames[r["name"]] = (r, path)
    if texts is None and "sources" in frames:
        try:
            sources = tschema.read_table(frames["sources"][1], frames["sources"][0]["schema"])
        except Exception:  # noqa: BLE001 - reported below by the schema checks
            sources = None
        from_seeds = sources is not None and len(sources) and sources["path"].fillna("").str.startswith("seeds/").all()
        if docs_root is None and from_seeds:
            from displacement_figures.paths import repo_root

            docs_root = repo_root()
        if docs_root is not None and sources is not None:
            texts, doc_errors = _document_texts(sources, Path(docs_root))
            errors += doc_errors
    loaded = {}
    for name, (r, path) in frames.items():
        errs = _header_errors(path, r["schema"], r["path"])
        df = None
        if not errs:
            errs, df = _pandera_errors(path, r["schema"], texts, r["path"])
        errors += errs
        loaded[name] = (r, df)
    errors += _foreign_key_errors(loaded)
    errors += _view_errors(loaded)
    return errors


def _foreign_key_errors(loaded: Mapping[str, tuple[Mapping[str, Any], Any]]) -> list[str]:
    errors = []
    for r, df in loaded.values():
        if df is None:
            continue
        for fk in r["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            target = loaded.get(ref["resource"], (None, None))[1]
            if target is None:
                if ref["resource"] not in loaded:  # else the table is there but unreadable, which is reported
                    errors.append(f"{r['path']}: foreign key to missing table {ref['resource']!r}")
                continue
            keys = set(map(tuple, target[ref["fields"]].astype(object).itertuples(index=False)))
            for i, key in enumerate(df[fk["fields"]].astype(object).itertuples(index=False)):
                if tuple(key) not in keys:
                    errors.append(f"{r['path']}: row {i + 2}, field {','.join(fk['fields'])}: "
                                  f"{format_cell(key[0], 'string')!r} not in {ref['resource']}")
    return errors


def _same(a: Any, b: Any) -> bool:
    import pandas as pd

    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return bool(a == b)


def _view_errors(loaded: Mapping[str, tuple[Mapping[str, Any], Any]]) -> list[str]:
    """A table whose primary key is a foreign key to another table's primary key repeats that table's rows
    (the per-category views of figures): every value must equal the one it repeats, and, for a view filtered by
    category, every row of that category must be there. A cell edited in one file shows up here by row and field.
    """
    errors: list[str] = []
    for name, (r, df) in loaded.items():
        pk = r["schema"].get("primaryKey") or []
        pk = [pk] if isinstance(pk, str) else list(pk)
        for fk in r["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            target_r, target = loaded.get(ref["resource"], (None, None))
            if df is None or target is None or not pk or list(fk["fields"]) != pk:
                continue
            if list(ref["fields"]) != list(target_r["schema"].get("primaryKey") or []):
                continue
            entry = tschema.table_entry(name) if name in tschema.table_names() else {}
            if entry.get("from") == ref["resource"]:
                columns = [(c, s) for c, s in tschema.view_columns(name) if c in df.columns and s in target.columns]
            else:
                columns = [(c, c) for c in df.columns if c in target.columns]
            columns = [(c, s) for c, s in columns if c not in pk]
            where = {tuple(k): j for j, k in enumerate(target[list(ref["fields"])].astype(object)
                                                       .itertuples(index=False))}
            seen = set()
            mine, theirs = df.astype(object), target.astype(object)
            # Columns as lists: indexing a DataFrame per cell took seconds on a package of 30,000 rows.
            mine_cols = {c: mine[c].tolist() for c, _ in columns}
            their_cols = {s: theirs[s].tolist() for _, s in columns}
            for i, key in enumerate(df[pk].astype(object).itertuples(index=False)):
                j = where.get(tuple(key))
                if j is None:
                    continue  # reported as a foreign key error
                seen.add(j)
                for c, s in columns:
                    a, b = mine_cols[c][i], their_cols[s][j]
                    if not _same(a, b):
                        errors.append(f"{r['path']}: row {i + 2}, field {c}: {a!r}, but {target_r['path']} row "
                                      f"{j + 2}, field {s} has {b!r} ({', '.join(map(str, key))}); one of the two "
                                      "files changed after the build")
            category = entry.get("category")
            if category is not None and entry.get("from") == ref["resource"] and "category" in target.columns:
                for j in range(len(target)):
                    if j not in seen and theirs["category"].iat[j] == category:
                        key = ", ".join(str(theirs[k].iat[j]) for k in ref["fields"])
                        errors.append(f"{r['path']}: no row for {key}, which {target_r['path']} row {j + 2} "
                                      f"(field category: {category}) says belongs here")
    return errors


def iter_collections(seeds_root: Path) -> Iterable[Path]:
    """Collections of a seeds/ folder: subfolders holding a sources.csv."""
    return sorted(p.parent for p in seeds_root.glob("*/sources.csv"))
