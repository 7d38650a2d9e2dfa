"""Records kept on disk by partition while a run streams, so that memory does not grow with the corpus.

The reconciler spills one record per figure here and reads back one partition at a time when it computes
facts. Records are tuples of str, int, float, bool, None (and tuples of those) written with :mod:`marshal`, the
fastest serialiser of the standard library for them; the files live for one run of one Python, so marshal's
version-specific format is no concern. Version 1: the later ones record every object they write in a table of
references (version 3), which costs more than it saves on records of a few short strings (dumps 2.4 -> 0.9 us a
record of news figures); its floats are text of 17 significant digits, which read back exactly. Each partition is one file, opened on its first record; each record is
its length (4 bytes) and its bytes, so reading it back is one read and one ``marshal.loads`` (``marshal.load`` on
a file reads in small pieces, eight times slower).
"""

from __future__ import annotations

import marshal
import shutil
import struct
import tempfile
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import IO, Any

_LENGTH = struct.Struct("<I")
_VERSION = 1


class Spill:
    """Append-only files of records, one per partition key, in ``directory`` (a new temporary one when None)."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(tempfile.mkdtemp(prefix="spill-")) if directory is None else Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._files: dict[Hashable, IO[bytes]] = {}
        self._paths: dict[Hashable, Path] = {}

    def add(self, key: Hashable, record: tuple) -> None:
        f = self._files.get(key)
        if f is None:
            path = self.directory / f"{len(self._paths)}.marshal"
            f = self._files[key] = open(path, "wb")  # noqa: SIM115 - open until read() or close()
            self._paths[key] = path
        data = marshal.dumps(record, _VERSION)
        f.write(_LENGTH.pack(len(data)) + data)  # one write: each costs more than joining the few bytes

    def keys(self) -> list[Hashable]:
        """Partition keys in the order of their first record."""
        return list(self._paths)

    def read(self, key: Hashable) -> Iterator[Any]:
        """The records of one partition, in the order they were added (once every record is added)."""
        f = self._files.pop(key, None)
        if f is not None:
            f.close()
        if key not in self._paths:
            return
        with open(self._paths[key], "rb") as f:
            read, length = f.read, _LENGTH.size
            while head := read(length):
                yield marshal.loads(read(_LENGTH.unpack(head)[0]))

    def close(self) -> None:
        """Close and delete every file (and the directory)."""
        for f in self._files.values():
            f.close()
        self._files.clear()
        self._paths.clear()
        shutil.rmtree(self.directory, ignore_errors=True)
