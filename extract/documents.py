"""Find the documents of a folder, and give each a source id a person can read.

A user's folder is read recursively and case-insensitively (``REPORT.TXT``, ``notes.md``, ``sub/2024/x.pdf``);
every file found and not read is returned with its reason, so nothing is skipped without a word. Hidden files
and folders (``.git``, ``.DS_Store``) are not documents and are passed over. Links to folders are not followed
(a link to an ancestor would loop forever); links to files are read when they stay inside the folder. A
folder this tool wrote (a package, charts) is not read as documents.
"""

from __future__ import annotations

import errno
import os
import re
from collections import Counter
from pathlib import Path

from displacement_figures.outputs import MARKER

from .convert import not_read_reason, suffix_of, supported

# Files of a folder that describe its documents rather than being documents.
METADATA_FILES = frozenset({"sources.csv", "corrections.csv"})


def source_id(text: str) -> str:
    """A source id made of ``text``: runs of characters other than letters, digits, "_", "." and "-" become "_"."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).lstrip("_.-") or "document"


def _link_problem(path: Path, folder: Path) -> str | None:
    """Why a symbolic link found in ``folder`` is not read; None when it is a link to a file inside it."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop so
        return "a symbolic link that loops (it leads back to itself); not followed"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "a symbolic link that loops (it leads back to itself); not followed"
        return f"a broken symbolic link (to {os.readlink(path)}); not read"
    if target.is_dir():
        return "a symbolic link to a folder; not followed (such links can loop): copy the folder in instead"
    if not target.is_relative_to(folder.resolve()):
        return f"a symbolic link to {target}, outside {folder}; not read"
    return None


def find_documents(folder: Path, recursive: bool = True) -> tuple[list[str], list[tuple[str, str]]]:
    """``(documents, skipped)``: relative "/"-separated paths of the files to read, in a stable order, and
    ``(relative path, reason)`` for every other file found (a format not read, a link out of the folder or
    looping). The folder's sources.csv and corrections.csv are metadata, neither documents nor skipped.

    One ``scandir`` per folder: its entries already know whether they are links, files or folders, so a folder
    of ten thousand excerpts costs no system call per file.
    """
    documents: list[str] = []
    skipped: list[tuple[str, str]] = []
    _scan(folder, folder, "", recursive, documents, skipped)
    return sorted(documents), sorted(skipped)


def _links_to_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link that loops
        return False


def _scan(folder: Path, here: Path, prefix: str, recursive: bool, documents: list[str],
          skipped: list[tuple[str, str]]) -> None:
    """Add the documents and skipped files of ``here`` (``prefix``: its path relative to ``folder``, with "/").

    Entries are taken as the folder lists them (find_documents sorts what it returns), one at a time: a list of
    a large folder's entries held 270 bytes a file. Its subfolders are walked once it is closed.
    """
    folders = []
    with os.scandir(here) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            else:
                _add_entry(folder, here, prefix, recursive, entry, documents, skipped)
    for name in sorted(folders):
        rel = prefix + name
        if not recursive:
            continue
        if (here / name / MARKER).is_file():
            skipped.append((rel + "/", f"output this tool wrote (it holds {MARKER}); its files are not documents"))
        else:
            _scan(folder, here / name, rel + "/", recursive, documents, skipped)


def _add_entry(folder: Path, here: Path, prefix: str, recursive: bool, entry: os.DirEntry, documents: list[str],
               skipped: list[tuple[str, str]]) -> None:
    """A document, or a skipped file with its reason, of an entry of ``here`` that is no folder."""
    name, rel = entry.name, prefix + entry.name
    if entry.is_symlink():
        if _links_to_folder(entry):  # a link to a folder is never walked
            if recursive:
                skipped.append((rel, _link_problem(here / name, folder) or "a symbolic link"))
            return
        problem = _link_problem(here / name, folder)
    else:
        if not prefix and name in METADATA_FILES:
            return
        problem = None
    if problem is None and not supported(name):
        problem = not_read_reason(name)
    if problem:
        skipped.append((rel, problem))
    else:
        documents.append(rel)


def _without_suffix(rel: str) -> str:
    suffix = suffix_of(rel)
    return rel[: len(rel) - len(suffix)] if suffix else rel


def source_ids(documents: list[str]) -> dict[str, str]:
    """A unique, readable source id per document: its path without the suffix ("2024/report.pdf" is
    ``2024_report``; "report.txt" stays ``report``, as sources.csv rows name it). Documents that would share an
    id keep their suffix too ("report.pdf" and "report.html"); any still alike are numbered in path order.
    """
    ordered = sorted(documents)
    return dict(zip(ordered, source_id_list(ordered), strict=True))


def source_id_list(documents: list[str]) -> list[str]:
    """:func:`source_ids` of ``documents`` (sorted), as a list in their order: a folder of many files holds one
    list of ids while they are made, not a table of each document's id at each step (4 MB at once for 13,000)."""
    ids = [source_id(_without_suffix(rel).replace("/", "_")) for rel in documents]
    if len(set(ids)) == len(ids):  # the common case: no two alike
        return ids
    count = Counter(ids)
    ids = [sid if count[sid] == 1 else source_id(rel.replace("/", "_")) for rel, sid in zip(documents, ids)]
    taken: set[str] = set()
    for k, sid in enumerate(ids):
        n = 1
        while (sid if n == 1 else f"{sid}-{n}") in taken:
            n += 1
        ids[k] = sid if n == 1 else f"{sid}-{n}"
        taken.add(ids[k])
    return ids
