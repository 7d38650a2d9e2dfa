"""Build, extract and validate packages: the I/O around :func:`extract_document`.

Three entry points, all ending in the same validated, atomic package write:

- :func:`build_collection` turns a curated ``seeds/<collection>/`` into
  ``datasets/<collection>/`` and refuses anything doubtful (a changed hash, a
  document without provenance, bytes that are not UTF-8), because a published
  dataset must be reproducible from its seeds;
- :func:`extract_folder` runs on any folder of .txt files and skips what it
  cannot read, reporting it, because one bad file in a user's archive should
  not cost them the rest;
- :func:`~.validate.validate_package` (re-exported here) checks a written package from scratch, in one streaming
  pass; both entry points run it before the package replaces the previous one.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import cache
from itertools import chain, islice
from operator import itemgetter, le
from pathlib import Path
from typing import Any

from displacement_figures import schema as tschema

from .convert import convert, suffix_of, supported
from .decisions import DecisionError, Review
from .documents import find_documents, source_id_list
from .figures import extract_document
from .names import _shown, _unsafe_path, unsafe_name  # also imported from here by the CLI and tests
from .package import PROJECT_METADATA, PackageWriter, any_formula, unsafe_cell
from .reconcile import CorrectionError, read_corrections
from .text import FORMULA_LEADS, UnreadableDocument
from .validate import SPANS, span_errors, validate_package

# Columns of sources.csv: the sources schema minus what the build computes from the file.
COMPUTED = ("bytes", "encoding", "path", "text_path", "media_type", "converter")
# Columns a sources.csv may leave out, curated or not.
OPTIONAL_COLUMNS = ("event", "url")
PROGRESS_DELAY_S = 2  # a run shorter than this shows no progress bar; a longer one leaves it on screen
# Documents are extracted, then written, a batch at a time (see _batches): at most this many, or this much text.
BATCH_DOCUMENTS = 64
BATCH_CHARS = 1_000_000
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")


class BuildError(ValueError):
    """Input the build refuses; the message names the file and what to do about it."""


# ---------------------------------------------------------------- names and paths

def _outside(path: Path, folder: Path) -> str | None:
    """Why ``path``, found in ``folder``, is not a document of it (a link leading out of it); None when it is.

    Only a symbolic link can lead out: a plain entry of the folder costs one lstat, not a resolution of its path.
    """
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "is a broken or looping symbolic link"
    if not target.is_relative_to(folder.resolve()):
        return f"is a symbolic link to {_shown(target)}, outside {_shown(folder)}"
    return None


@cache
def curated_columns() -> tuple[str, ...]:
    """Columns a sources.csv may hold (read once: the schema is copied on every read, 47 µs a document)."""
    return tuple(f["name"] for f in tschema.table_schema("sources")["fields"] if f["name"] not in COMPUTED)


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
        missing = [c for c in allowed if c not in header and c not in OPTIONAL_COLUMNS] if required else []
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
            if row.get("url") and not _URL.fullmatch(row["url"]):
                raise BuildError(f"{where}, field url: {_shown(row['url'])} is not a web address (http:// or "
                                 "https://, no spaces)")
            for k, v in row.items():
                if unsafe_cell(v):
                    raise BuildError(f"{where}, field {k}: value starts with {v[:1]!r}, which spreadsheets run as "
                                     "a formula; reword it")
            rows[sid] = row
    return rows


@cache
def _string_fields() -> tuple[str, ...]:
    """String fields of the figures table, sorted (read once: the schema is copied on every read, 0.1 ms a document)."""
    return tuple(sorted(f["name"] for f in tschema.table_schema("figures")["fields"]
                        if f.get("type", "string") == "string"))


def check_rows(rows: list[dict[str, Any]], text: str, name: str) -> list[str]:
    """Problems with one document's rows: a quote or sentence that is not its span, a formula-like cell."""
    strings = _string_fields()
    if _all_clean(rows, text, strings):
        return []
    problems = []
    for r in rows:
        if _clean(r, text, strings):
            continue
        spans = span_errors(r, text)
        unsafe = [k for k in strings if unsafe_cell(r.get(k))]
        if not spans and not unsafe:
            continue
        at = f"{name}: figure {r.get('figure_id')} at {r.get('char_start')}-{r.get('char_end')}"
        for column, check in spans:
            problems.append(f"{at}: {column} {r[column][:60]!r} is not {check.split(' == ')[1]}")
        for k in unsafe:
            problems.append(f"{at}, field {k}: value starts with {r[k][:1]!r}, which spreadsheets run as a "
                            f"formula ({r[k][:40]!r})")
    return problems


def _all_clean(rows: list[dict[str, Any]], text: str, strings: tuple[str, ...]) -> bool:
    """The common case of :func:`check_rows` at a glance, for a whole document: True only when no row has a problem.

    A span is compared where it lies in the text (``startswith`` at its start), not copied out of it; the string
    cells of all rows are looked at in one scan. Anything unusual (a field missing, an offset that is not an int, a
    value that is not text) answers False, and the rows are looked at one by one.
    """
    try:
        for row in rows:
            for c, a, b in SPANS:
                start, span = row[a], row[c]
                if start < 0 or row[b] - start != len(span) or not text.startswith(span, start):
                    return False
        return not any_formula(filter(None, chain.from_iterable(map(_string_values(), rows))))
    except (KeyError, TypeError):
        return False


@cache
def _string_values() -> Callable[[Mapping[str, Any]], tuple]:
    """A row's values of the string fields (:func:`_string_fields`)."""
    strings = _string_fields()
    return itemgetter(*strings) if len(strings) > 1 else lambda row: (row[strings[0]],)


def _clean(row: Mapping[str, Any], text: str, strings: tuple[str, ...]) -> bool:
    """The common case of :func:`check_rows` at a glance: True only when neither of its checks finds a problem."""
    try:
        for c, a, b in SPANS:
            if c in row and text[row[a]:row[b]] != row[c]:
                return False
    except TypeError:  # offsets that are not ints: check_rows says what they are
        return False
    for v in map(row.get, strings):
        if isinstance(v, str) and v.startswith(FORMULA_LEADS):
            return False
    return True


_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_FIRST_READ = 1 << 16  # more than most documents: one read gives them whole, and fewer bytes than asked, its end


def read_file(path: str) -> bytes:
    """The bytes of a file, as ``open(path, "rb").read()`` gives them (and its errors: a folder raises
    IsADirectoryError), without the io objects open() builds: a corpus of short excerpts is mostly opening files.
    Nor is the file's size asked first (os.fstat, 2 us a file): a read that gives fewer bytes than asked reached
    the end of the file."""
    fd = os.open(path, _READ)
    try:
        data = os.read(fd, _FIRST_READ)
        if len(data) < _FIRST_READ:
            return data
        chunks = [data]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def process_document(task: tuple[str, str, str, bool, str | None]) -> dict[str, Any]:
    """Read, check, convert and extract one document; errors are returned, not raised, so workers can report them.

    ``task`` is ``(path, name shown in messages, source id, strict, expected sha256)``. Runs in worker
    processes: takes and returns plain picklable data, the converted text included (the package stores it).
    """
    return _checked(_extracted(read_document(task)))


def read_document(task: tuple[str, str, str, bool, str | None]) -> dict[str, Any]:
    """The first step of :func:`process_document`: the document read, hashed and converted (``sha256``,
    ``text``, ``encoding``, ``media_type``, ``converter``, ``metadata``), or its ``error``."""
    path, name, source_id, strict, expected_sha = task
    try:
        data = read_file(path)
    except OSError as e:  # a folder named *.txt, a file without read permission, a broken link
        return {"source_id": source_id, "file": name, "error": f"{name}: cannot be read ({e.strerror or e})"}
    sha = hashlib.sha256(data).hexdigest()
    out: dict[str, Any] = {"source_id": source_id, "file": name, "bytes": len(data), "sha256": sha}
    if expected_sha and sha != expected_sha:
        out["error"] = (f"{name}: SHA-256 is {sha} but sources.csv records {expected_sha}; the document changed: "
                        "restore it, or update sources.csv deliberately")
        return out
    try:
        doc = convert(data, name, strict=strict)
    except UnreadableDocument as e:
        out["error"] = str(e)
        return out
    except Exception as e:  # noqa: BLE001 - a converter's own failure on one file is reported, not fatal
        out["error"] = f"{name}: the converter failed ({type(e).__name__}: {e})"
        return out
    out.update(encoding=doc.encoding, media_type=doc.media_type, converter=doc.converter, text=doc.text,
               metadata=dict(doc.metadata))
    return out


def _extracted(out: dict[str, Any]) -> dict[str, Any]:
    """The second step: the figure rows of a document read (``rows``), or its ``error``."""
    if "error" not in out:
        try:
            out["rows"] = extract_document(out["text"], out["source_id"])
        except Exception as e:  # noqa: BLE001 - one document's failure is reported, not fatal
            out["error"] = f"{out['file']}: extractor failed: {type(e).__name__}: {e}"
    return out


def _checked(out: dict[str, Any]) -> dict[str, Any]:
    """The last step: a document whose rows quote its text wrongly, or would start a formula, is an ``error``."""
    if "error" not in out:
        problems = check_rows(out["rows"], out["text"], out["file"])
        if problems:
            out["error"] = "; ".join(problems)
    if "error" in out:  # a document refused is its error alone
        for k in ("encoding", "media_type", "converter", "rows", "text", "metadata"):
            out.pop(k, None)
    return out


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int):
    """On a terminal, a bar that shows once a run takes PROGRESS_DELAY_S and stays on screen when done; elsewhere
    nothing, and tqdm is not even imported."""
    if not sys.stderr.isatty():
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, leave=True, delay=PROGRESS_DELAY_S)


def _run(tasks: Collection[tuple], jobs: int) -> Iterator[list[dict[str, Any]]]:
    """Results in task order, a batch at a time (:func:`_batches`), whatever ``jobs`` is, with a progress bar on a
    terminal.

    In this process each step of :func:`process_document` runs over a whole batch before the next: the batch is
    read and converted, then extracted, then checked. Taking turns with the extractor document by document
    evicted each other's code and data from the processor's caches, and doubled the cost of reading, converting
    and checking a news corpus. Worker processes (``jobs`` > 1) each run whole documents.
    """
    bar = _progress(len(tasks))
    try:
        if jobs > 1 and len(tasks) > 1:
            from concurrent.futures import ProcessPoolExecutor

            chunksize = max(1, len(tasks) // (jobs * 8))
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for batch in _batches(pool.map(process_document, tasks, chunksize=chunksize)):
                    bar.update(len(batch))
                    yield batch
        else:
            for batch in _batches(map(read_document, tasks)):
                for result in batch:
                    _extracted(result)
                    bar.update()
                for result in batch:
                    _checked(result)
                yield batch
    finally:
        bar.close()


def _batches(results: Iterable[dict[str, Any]], size: int | None = None,
             chars: int = BATCH_CHARS) -> Iterator[list[dict[str, Any]]]:
    """Results in order, a batch at a time: ``size`` (BATCH_DOCUMENTS), or fewer holding ``chars`` of text.

    The extractor runs on a whole batch before any of it is written: alternating one document's extraction
    with its writing evicts each other's patterns and tables from the processor's caches, and cost about 12%
    of a run of short documents. The bound keeps memory flat whatever the corpus.
    """
    size = size or BATCH_DOCUMENTS  # read when called, so a test can set it
    batch: list[dict[str, Any]] = []
    held = 0
    for result in results:
        batch.append(result)
        held += len(result.get("text") or "")
        if len(batch) >= size or held >= chars:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _source_row(curated: Mapping[str, Any] | None, result: Mapping[str, Any], path: str,
                event: str | None = None) -> dict[str, Any]:
    """A sources row; ``event`` names the event of a document whose sources.csv row names none."""
    row = dict.fromkeys(curated_columns())
    row.update(curated or {})
    row["event"] = row.get("event") or event
    for column, value in result.get("metadata", {}).items():  # what a web page states; sources.csv wins
        if row.get(column) is None:
            row[column] = value
    row.update(source_id=result["source_id"], sha256=result["sha256"], bytes=result["bytes"],
               encoding=result["encoding"], path=path, text_path=f"texts/{result['source_id']}.txt",
               media_type=result["media_type"], converter=result["converter"])
    return row


class _Documents:
    """What the package's description says of its documents, gathered as their rows stream past: how many, and
    the first and last publication dates."""

    def __init__(self) -> None:
        self.count = 0
        self.first: Any = None
        self.last: Any = None

    def add(self, row: Mapping[str, Any]) -> None:
        self.count += 1
        date = row.get("published")
        if date:
            self.first = date if self.first is None else min(self.first, date)
            self.last = date if self.last is None else max(self.last, date)

    def describe(self, kind: str = "news report") -> str:
        span = ""
        if self.first is not None:
            span = (f" published on {self.first}" if self.first == self.last
                    else f" published {self.first} to {self.last}")
        docs = kind if self.count == 1 else f"{kind}s"
        return (f"Displacement, casualty, population and distance figures from {self.count} {docs}{span}, one row "
                "per mention, each citing the document, character offsets and exact quote it comes from.")


def build_collection(seeds_dir: str | Path, out_dir: str | Path) -> Path:
    """Build ``out_dir`` from a curated seeds folder; raises :class:`BuildError` and leaves ``out_dir`` alone."""
    seeds_dir, out_dir = Path(seeds_dir), Path(out_dir)
    collection = seeds_dir.name
    if unsafe_name(collection):
        raise BuildError(f"{_shown(seeds_dir)}: the collection name {unsafe_name(collection)}; rename the folder")
    curated = read_sources_csv(seeds_dir / "sources.csv")
    corrections = _corrections(seeds_dir / "corrections.csv")
    review = _review(seeds_dir, corrections)
    docs = _seed_documents(seeds_dir, curated)
    tasks = [(str(docs[sid]), docs[sid].name, sid, True, curated[sid].get("sha256") or "") for sid in sorted(docs)]
    documents = _Documents()
    with PackageWriter(out_dir, inputs=[seeds_dir]) as writer:
        for result in chain.from_iterable(_run(tasks, jobs=1)):
            if "error" in result:
                raise BuildError(f"{seeds_dir}/{result['error']}")
            source = _source_row(curated[result["source_id"]], result, f"seeds/{collection}/{result['file']}",
                                 event=collection)
            documents.add(source)
            writer.add_documents([(source, result["text"],
                                   list(review.apply(result["source_id"], result["text"], result["rows"])))])
        meta = {"name": _package_name(collection), "title": f"Figures from news reports: {collection}",
                "description": documents.describe(), **PROJECT_METADATA}
        try:
            writer.finish(meta, lambda d: validate_package(d, documents=docs, written=writer.written),
                          corrections=corrections, charts=_draw_charts, decisions=review.finish())
        except (CorrectionError, DecisionError) as e:
            raise BuildError(str(e)) from None
    return out_dir


def _seed_documents(seeds_dir: Path, curated: Mapping[str, Any]) -> dict[str, Path]:
    """The documents of a curated collection by source id (their file stem), each listed in sources.csv.

    A curated collection is its files, byte for byte: a link (even one inside the folder) is refused, not
    followed, and so is a document without a row, a row without a document, or two files of one stem.
    """
    files = [p for p in sorted(seeds_dir.iterdir()) if supported(p.name) and not p.name.startswith(".")]
    for p in [seeds_dir / "sources.csv", *files]:
        if unsafe_name(p.name):
            raise BuildError(f"{_shown(p)}: the file name {unsafe_name(p.name)}; rename the file")
        if p.is_symlink():
            raise BuildError(f"{_shown(p)}: a symbolic link (to {_shown(p.readlink())}); a curated collection holds "
                             "its documents as files: copy the file in")
    docs: dict[str, Path] = {}
    for p in files:
        sid = p.name[: len(p.name) - len(suffix_of(p.name))]
        if sid in docs:
            raise BuildError(f"{p}: source {sid!r} already has the document {docs[sid].name}; keep one of the two")
        if sid not in curated:
            raise BuildError(f"{p}: no row in {seeds_dir / 'sources.csv'}; add one (source_id {sid}) with its sha256")
        docs[sid] = p
    for sid in curated:
        if sid not in docs:
            raise BuildError(f"{seeds_dir / 'sources.csv'}: row {sid!r} has no document ({sid}.txt, .md, .html, "
                             ".htm, .pdf or .docx) in {seeds_dir}")
    if not docs:
        raise BuildError(f"{seeds_dir}: no documents")
    return docs


def _corrections(path: Path) -> list[dict[str, Any]]:
    try:
        return read_corrections(path)
    except CorrectionError as e:
        raise BuildError(str(e)) from None


def _review(seeds_dir: Path, corrections: list[dict[str, Any]]) -> Review:
    """The collection's review decisions (extract/decisions.py), refused early when malformed."""
    try:
        review = Review(seeds_dir)
        review.check_corrections(corrections)
    except DecisionError as e:
        raise BuildError(str(e)) from None
    return review


def _draw_charts(package_dir: Path) -> list[dict[str, str]]:
    """The package's charts, drawn into its charts/ folder (see displacement_figures.plot)."""
    from displacement_figures.plot import write_charts

    return write_charts(package_dir, package_dir / "charts")


def _package_name(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.") or "figures"


def extract_folder(in_dir: str | Path, out_dir: str | Path, jobs: int = 1,
                   notes: list[tuple[str, str]] | None = None, one_event: bool = False, title: str | None = None,
                   stats: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """Extract every document of a folder, recursively, into a package; returns ``(file, reason)`` per skipped file.

    A folder is not one crisis: its documents' figures join one fact only when they state the same place, or
    when sources.csv gives the documents the same ``event``; ``one_event`` makes the whole folder one event
    (named after it), as a curated collection is.

    A file that cannot be read (a format not read, empty, binary, a scan without text, a password) is skipped
    with a reason, never fatal, so one bad file does not cost the rest. ``notes``, when given, receives
    ``(file, note)`` for documents that were extracted but deserve a word: no figures found, or decoded as
    Windows-1252 because they are not UTF-8. ``stats``, when given, receives ``formats`` (documents read per
    suffix) and ``figures`` (rows written). The package is the user's: titled ``title`` or after the folder, with
    no licence or authors stamped on it.
    """
    in_dir, out_dir = Path(in_dir), Path(out_dir)
    if not in_dir.is_dir():
        raise BuildError(f"{in_dir}: not a folder")
    outside = _outside(in_dir / "sources.csv", in_dir)
    if outside:
        raise BuildError(f"{_shown(in_dir / 'sources.csv')}: {outside}; not read")
    curated = read_sources_csv(in_dir / "sources.csv", required=False)
    corrections = _corrections(in_dir / "corrections.csv")
    tasks, skipped = _folder_tasks(in_dir, curated)
    stats = {} if stats is None else stats
    stats.update(formats={}, figures=0)
    documents = _Documents()
    event = in_dir.resolve().name if one_event else None
    # process_document hashed each document and checked each row's quotes against the text stored.
    with PackageWriter(out_dir, inputs=[in_dir], check_quotes=False) as writer:
        for batch in _run(tasks, jobs=max(1, jobs)):
            read = []
            for result in batch:
                if "error" in result:
                    skipped.append((result["file"], result["error"].removeprefix(f"{result['file']}: ")))
                    continue
                source = _source_row(curated.get(result["source_id"]), result, result["file"], event=event)
                read.append((source, result["text"], result["rows"]))
                documents.add(source)
                kind = suffix_of(result["file"]).lstrip(".")
                stats["formats"][kind] = stats["formats"].get(kind, 0) + 1
                stats["figures"] += len(result["rows"])
                if notes is not None and result["encoding"] == "cp1252":
                    notes.append((result["file"], "not UTF-8: read as Windows-1252 (Latin-1)"))
                if notes is not None and not result["rows"]:
                    notes.append((result["file"], "no figures found"))
            writer.add_documents(read)
            del batch, read
        del tasks  # the files' names and source ids: not needed to write the facts and validate
        title = title or in_dir.resolve().name
        meta = {"name": _package_name(title), "title": title,
                "description": documents.describe(kind="document")}
        try:
            writer.finish(meta, lambda d: validate_package(d, quotes_checked=True, written=writer.written),
                          corrections=corrections)
        except CorrectionError as e:
            raise BuildError(str(e)) from None
    return sorted(skipped)


class _Tasks:
    """The tasks of a folder's documents (see :func:`process_document`), each made as it is run: a corpus of many
    small files holds only their names and source ids, each kind joined in one string (a byte or so a character,
    where a list of strings held about 75 bytes a name and as much an id, all through the run)."""

    def __init__(self, in_dir: Path, names: list[str], sids: list[str], curated: Mapping[str, Any]):
        self.in_dir, self.curated = in_dir, curated
        self._count = len(names)
        self._names, self._sids = _SEP.join(names), _SEP.join(sids)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[str, str, str, bool, str]]:
        folder = str(self.in_dir)
        for rel, sid in zip(_split(self._names, self._count), _split(self._sids, self._count), strict=True):
            # os.path.join, not Path /: the same string, without a Path object per file
            yield os.path.join(folder, rel), rel, sid, False, (self.curated.get(sid) or {}).get("sha256") or ""


_SEP = "\0"  # in no file name or source id


def _split(joined: str, count: int) -> Iterator[str]:
    """The ``count`` strings ``joined`` by _SEP, one at a time (``str.split`` would make all of them at once)."""
    start = 0
    for _ in range(count):
        end = joined.find(_SEP, start)
        end = len(joined) if end < 0 else end
        yield joined[start:end]
        start = end + 1


def _folder_tasks(in_dir: Path, curated: Mapping[str, Any]) -> tuple[_Tasks, list[tuple[str, str]]]:
    """One task per document found under ``in_dir`` (see :func:`process_document`), and the files skipped."""
    documents, found = find_documents(in_dir)
    skipped = [(_shown(name), reason) for name, reason in found]
    if not documents:
        others = f"; found only {', '.join(n for n, _ in skipped[:3])}" + (" ..." if len(skipped) > 3 else "")
        raise BuildError(f"{in_dir}: no documents (.txt, .md, .html, .htm, .pdf or .docx files, in subfolders too)"
                         + (others if skipped else ""))
    ids = source_id_list(documents)  # documents come sorted
    names, sids = [], []
    for k in _by_id(ids, documents):
        # A badly named file is skipped and reported like an unreadable one.
        bad = _unsafe_path(documents[k])
        if bad:
            skipped.append((_shown(documents[k]), f"the file name {bad}; rename it"))
            continue
        names.append(documents[k])
        sids.append(ids[k])
    return _Tasks(in_dir, names, sids, curated), skipped


def _by_id(ids: list[str], documents: list[str]) -> Iterable[int]:
    """The documents' indices in the order of (source id, path): most folders' are already (no sort key is made)."""
    pairs = zip(ids, documents)
    if all(map(le, pairs, islice(zip(ids, documents), 1, None))):
        return range(len(ids))
    return sorted(range(len(ids)), key=lambda k: (ids[k], documents[k]))


def iter_collections(seeds_root: Path) -> Iterable[Path]:
    """Collections of a seeds/ folder: subfolders holding a sources.csv."""
    return sorted(p.parent for p in seeds_root.glob("*/sources.csv"))
