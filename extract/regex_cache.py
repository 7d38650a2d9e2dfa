"""Compiled regular expressions kept between runs, as Python keeps bytecode in ``__pycache__``.

Python parses and compiles every regex anew in each process, in Python code: the extractor's vocabulary patterns
(tens of thousands of characters of alternations) cost about 0.2 CPU s a run, a tenth of what ``extract`` spends
around the extractor on a folder of news. What the compiler makes of a pattern is a list of integers for the C
matching engine; :func:`compile` keeps that list in a file named by the pattern, and on the next run hands it to the
engine directly, as ``re.compile`` itself does after compiling (``_sre.compile``). Every regex built from the
vocabulary is compiled here; a fixed pattern of a few dozen characters is left to ``re.compile``, which makes it
in about the time reading its file would take.

Safe by construction:
- the cache folder is named by the Python version and the engine's ``MAGIC`` number, so another Python never
  reads it; each file holds its pattern and flags, compared before use;
- anything unexpected (no such private API, an unreadable or foreign file, a folder that cannot be written)
  falls back to ``re.compile``; files are written whole (a temporary file renamed) or not at all;
- the cache only ever changes how fast a pattern is made, never what it matches: ``tests/test_regex_cache.py``
  checks each of the extractor's patterns against ``re.compile``'s.

The folder is ``$DISPLACEMENT_FIGURES_CACHE`` (``off`` for none), else ``$XDG_CACHE_HOME/displacement-figures``,
else ``~/.cache/displacement-figures``; deleting it at any time is safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import platform
import re
import tempfile
from functools import cache
from pathlib import Path

try:  # CPython's regex parser and compiler, the modules re.compile runs (Python 3.11 and later)
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python: compile as usual
    _sre = None

ENVIRONMENT = "DISPLACEMENT_FIGURES_CACHE"


@cache
def folder() -> Path | None:
    """Where compiled patterns are kept for this Python, or None when nothing is to be kept."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen == "off" or _sre is None:
        return None
    try:
        base = Path(chosen) if chosen else (
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "displacement-figures")
    except RuntimeError:  # no home folder to be found
        return None
    return base / "regex" / f"{platform.python_implementation()}-{platform.python_version()}-{_sre.MAGIC}"


def compile(source: str, flags: int = 0) -> re.Pattern:
    """``re.compile(source, flags)``, from the cache when this Python compiled the same pattern before."""
    where = folder()
    if where is None or flags & re.DEBUG or not isinstance(source, str):
        return re.compile(source, flags)
    flags = int(flags)
    path = where / (hashlib.sha256(f"{flags}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()[:40] + ".marshal")
    try:
        kept = marshal.loads(path.read_bytes())
        if kept[0] == source and kept[1] == flags:
            return _sre.compile(source, *kept[2:])
    except Exception:  # noqa: BLE001, S110 - missing, unreadable or foreign: compile it afresh below
        pass
    try:
        made = _compiled(source, flags)
        compiled = _sre.compile(source, *made)
    except Exception:  # noqa: BLE001 - the private API changed: compile as usual, keep nothing
        return re.compile(source, flags)
    _keep(path, marshal.dumps((source, flags, *made)))
    return compiled


def _compiled(source: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` passes to the engine for ``source``: flags, code, groups and their names."""
    parsed = _parser.parse(source, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]
    names = dict(parsed.state.groupdict)
    by_index = [None] * parsed.state.groups
    for name, index in names.items():
        by_index[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, names, tuple(by_index)


def _keep(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole, or not at all (a read-only home, a full disk: the next run compiles)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
