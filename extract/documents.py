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
from collections import defaultdict
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
    """Add the documents and skipped files of ``here`` (``prefix``: its path relative to ``folder``, with "/")."""
    with os.scandir(here) as entries:
        ordered = sorted(entries, key=lambda e: e.name)
    for entry in ordered:
        name, rel = entry.name, prefix + entry.name
        if name.startswith("."):
            continue
        if entry.is_symlink():
            if _links_to_folder(entry):  # a link to a folder is never walked
                if recursive:
                    skipped.append((rel, _link_problem(here / name, folder) or "a symbolic link"))
                continue
            problem = _link_problem(here / name, folder)
        elif entry.is_dir(follow_symlinks=False):
            if not recursive:
                continue
            if (here / name / MARKER).is_file():
                why = f"output this tool wrote (it holds {MARKER}); its files are not documents"
                skipped.append((rel + "/", why))
            else:
                _scan(folder, here / name, rel + "/", recursive, documents, skipped)
            continue
        else:
            if not prefix and name in METADATA_FILES:
                continue
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
    first = {rel: source_id(_without_suffix(rel).replace("/", "_")) for rel in documents}
    count = defaultdict(int)
    for sid in first.values():
        count[sid] += 1
    second = {rel: (sid if count[sid] == 1 else source_id(rel.replace("/", "_"))) for rel, sid in first.items()}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for rel in sorted(documents):
        sid, n = second[rel], 1
        while (sid if n == 1 else f"{sid}-{n}") in taken:
            n += 1
        ids[rel] = sid if n == 1 else f"{sid}-{n}"
        taken.add(ids[rel])
    return ids
