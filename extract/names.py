"""Which names and recorded paths are safe to read or write, and how to show any name in a message.

A source id, a document's or a collection's name ends up in a path (seeds/<collection>/<source_id>.txt, a
package's sources.path, which validation joins to a folder and reads), in CSV cells and in messages. So it
must be one plain path component: no separator, no "..", no drive, nothing a terminal or an editor would not show
as written (control characters, bidi overrides, zero-width marks, undecodable bytes).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

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
    if name.isprintable():  # no character of those categories is printable: the common case, without a lookup each
        return None
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
