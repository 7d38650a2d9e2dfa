"""Where a command may write: never over what this tool did not write.

Every command that writes (``build``, ``extract``, ``export``, ``plot``, ``review``) asks here first. A folder
may be (re)written only when it does not exist, is empty, or is one this tool wrote before: it holds the marker
file :data:`MARKER` (the generator's name and version, and every file it wrote) and nothing else besides the
files the marker lists. A user's ``thesis.docx`` dropped into an old output folder is therefore never deleted:
the write is refused and the file named. A path that is, holds or lies inside an input is refused too, so
``extract reports/ --out reports/`` cannot delete the documents it reads.

Writes are atomic: the new folder is assembled in a hidden temporary folder beside the target and renamed into
place (see :func:`staged_output_dir`); a refusal or a failure deletes nothing but that temporary folder.
"""

from __future__ import annotations

import heapq
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__

GENERATOR = "displacement-figures"
MARKER = ".displacement-figures"
# Files an operating system drops into any folder it shows; deleting them with the folder loses nothing.
OS_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


class OutputRefused(ValueError):
    """A ``--out`` the tool will not write to; the message says why and what to do instead."""


def _resolved(path: str | Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def _files_under(folder: Path) -> list[str]:
    """Every file, link or special file under ``folder`` (relative, "/"-separated); links are not followed."""
    return list(_sorted_files(os.fspath(folder), ""))


def _sorted_files(path: str, prefix: str) -> Iterator[str]:
    """:func:`_files_under` of the folder at ``path`` (``prefix``: its path relative to the top), in sorted order,
    one at a time: each folder's names are sorted and its subfolders' merged in, so that only the names of one
    folder at a time are held at once (a package holds one stored text per document), not every path.

    As os.walk sees a folder: a link to a folder is listed, not followed; an unreadable folder lists nothing.
    """
    names: list[str] = []
    folders: list[str] = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (folders if is_dir and not entry.is_symlink() else names).append(entry.name)
    except OSError:
        return
    names.sort()
    files = (prefix + name for name in names)
    if not folders:
        yield from files
        return
    yield from heapq.merge(files, *(_sorted_files(os.path.join(path, d), f"{prefix}{d}/") for d in sorted(folders)))


def _marker_files(folder: Path) -> set[str] | None:
    """The files the marker of ``folder`` says this tool wrote; None when there is no readable marker of ours."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("generator") != GENERATOR or not isinstance(marker.get("files"), list):
        return None
    return {str(f) for f in marker["files"]}


def _descriptor_files(folder: Path) -> set[str]:
    """Files a package's datapackage.json names (its resources and charts), and the descriptor and README.

    A package written by an older or newer version of the tool, or merged from two branches, may hold a table
    its marker does not list; its own descriptor still names it, and a user's file is named by neither.
    """
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(descriptor, dict):
        return set()
    named = [r.get("path") for r in descriptor.get("resources", []) + descriptor.get("charts", [])
             if isinstance(r, dict)]
    return {p for p in named if isinstance(p, str)} | {"datapackage.json", "README.md"}


def write_marker(folder: Path) -> None:
    """Record in ``folder`` that this tool wrote it, and which files: called last, just before the swap.

    The text ``json.dumps({"generator", "version", "files"}, indent=1)`` gives, written a file name at a time: the
    list of a package's files and its JSON, held at once, were the last peak of a large run's memory.
    """
    head = json.dumps({"generator": GENERATOR, "version": __version__}, indent=1)[:-2]  # without "\n}"
    with open(folder / MARKER, "w", encoding="utf-8", newline="\n") as f:
        f.write(head + ',\n "files": [')
        sep = "\n  "
        for name in _sorted_files(os.fspath(folder), ""):
            if name != MARKER:
                f.write(sep + json.dumps(name))
                sep = ",\n  "
        f.write(("\n ]" if sep != "\n  " else "]") + "\n}\n")


def _inside(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b)


def _check_inputs(out: Path, inputs: Iterable[str | Path], shown: str) -> None:
    for given in inputs:
        inp = _resolved(given)
        if out == inp:
            raise OutputRefused(f"{shown} is the input folder {given}; writing there would delete the input. "
                                "Choose a new folder for --out")
        if _inside(inp, out):
            raise OutputRefused(f"{shown} holds the input {given}; replacing it would delete the input. "
                                "Choose a new folder for --out, outside the input")
        if _inside(out, inp):
            raise OutputRefused(f"{shown} is inside the input {given}; the tool never writes into its input. "
                                "Choose a folder for --out outside it")


def check_output_dir(out: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse (:class:`OutputRefused`) an output folder the tool may not replace; return it resolved.

    Allowed: a path that does not exist, an empty folder, or a folder this tool wrote (marker present, nothing
    else in it). Refused: a file, any other non-empty folder, and the inputs, a folder holding one, or a path
    inside one. Nothing is touched either way.
    """
    shown = f"--out {out}"
    target = _resolved(out)
    _check_inputs(target, inputs, shown)
    if Path(out).is_symlink():
        raise OutputRefused(f"{shown} is a symbolic link; the tool replaces a folder, not what a link points to. "
                            "Give the folder itself or a new one")
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"{shown} is a file, not a folder; the tool writes a folder there. Choose a new folder")
    if not target.exists():
        return target
    present = set(_files_under(target))
    if not present:
        return target
    ours = _marker_files(target)
    if ours is None:
        raise OutputRefused(f"{shown} is a folder this tool did not write and it is not empty "
                            f"({_sample(present)}); nothing was changed. Choose a new or empty folder")
    ours |= _descriptor_files(target)
    foreign = sorted(present - ours - {MARKER} - {p for p in present if Path(p).name in OS_LITTER})
    if foreign:
        raise OutputRefused(f"{shown} was written by this tool but now also holds files it did not write "
                            f"({_sample(foreign)}); nothing was changed. Move them out, or choose a new folder")
    return target


def _sample(names: Iterable[str], n: int = 3) -> str:
    names = sorted(names)
    return ", ".join(names[:n]) + (f" and {len(names) - n} more" if len(names) > n else "")


def check_output_file(out: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse an output file the tool may not replace: a folder, an input, or an existing file it did not write.

    An existing workbook is recognised as this tool's by the creator recorded in its document properties, an
    HTML page (the review page) by its generator meta tag.
    """
    shown = f"--out {out}"
    target = _resolved(out)
    _check_inputs(target, inputs, shown)
    if target.is_dir():
        raise OutputRefused(f"{shown} is a folder; the tool writes a file there. Give a file name")
    if target.exists() and not (_written_workbook(target) or _written_page(target)):
        raise OutputRefused(f"{shown} exists and this tool did not write it; nothing was changed. "
                            "Choose a new file name")
    return target


def _written_page(path: Path) -> bool:
    """Whether ``path`` is an HTML page whose ``<meta name="generator">`` names this tool (in its first 4 KB)."""
    import re

    try:
        with open(path, "rb") as f:
            head = f.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r'<meta name="generator" content="' + re.escape(GENERATOR) + r'[ "]', head) is not None


def _written_workbook(path: Path) -> bool:
    """Whether ``path`` is an Office file whose document properties name this tool as its creator."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            core = ElementTree.fromstring(z.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return False
    return core.findtext("{http://purl.org/dc/elements/1.1/}creator") == GENERATOR


def replace_output_dir(new: Path, target: Path) -> None:
    """Put the finished folder ``new`` in place of ``target``: old renamed away, new renamed in, old deleted.

    Checks ``target`` again first, so a file a user dropped in while the tool ran is not deleted with it.
    """
    check_output_dir(target)
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def new_staging_dir(target: Path) -> Path:
    """A hidden temporary folder beside ``target`` (same file system, so the final rename is atomic)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    tmp.chmod(0o755)  # mkdtemp's 0700 would make the published folder private
    return tmp


@contextmanager
def staged_output_dir(out: str | Path, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Check ``out``, yield a staging folder to write into, then mark it and swap it in atomically.

    On an exception nothing but the staging folder is removed, and ``out`` is as it was::

        with staged_output_dir(args.out, inputs=[package]) as tmp:
            write_charts(package, tmp)
    """
    target = check_output_dir(out, inputs)
    tmp = new_staging_dir(target)
    try:
        yield tmp
        write_marker(tmp)
        replace_output_dir(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def staged_output_file(out: str | Path, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Check ``out``, yield a temporary file name beside it, then rename the written file into place."""
    target = check_output_file(out, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        check_output_file(target)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
