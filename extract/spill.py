"""Records kept on disk by partition while a run streams, so that memory does not grow with the corpus.

The reconciler spills one record per figure here and reads back one partition at a time when it computes
facts. Records are tuples of str, int, float, bool, None (and tuples of those) written with :mod:`marshal`, the
fastest serialiser of the standard library for them; the files live for one run of one Python, so marshal's
version-specific format is no concern. Version 1: the later ones record every object they write in a table of
references (version 3), which costs more than it saves on records of a few short strings (dumps 2.4 -> 0.9 us a
record of news figures); its floats are text of 17 significant digits, which read back exactly. Each partition is one file, opened on its first record; each record is
its length (4 bytes) and its bytes, so reading it back is one read and one ``marshal.loads`` (``marshal.load`` on
a file reads in small pieces, eight times slower).

A record can also be read back alone, by the position :meth:`Spill.positioned` gave it (its file's number and
its offset in one int): facts are made a group of claims at a time, each group's claims read back when its turn
comes, so that only what grouping needs of a claim is held meanwhile (see extract/reconcile.py).
"""

from __future__ import annotations

import marshal
import os
import shutil
import struct
import tempfile
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

_LENGTH = struct.Struct("<I")
_VERSION = 1
_AHEAD = 1024  # bytes read at once for a record read by position: most records are a few hundred
_STRETCH = 1 << 16  # at most this many bytes read at once for records read back together (records_at)
_FILE_BITS = 20  # a position is its record's offset << _FILE_BITS | its file's number: a million partitions at most
_FILE_MASK = (1 << _FILE_BITS) - 1


def _seek_read(fd: int, size: int, offset: int) -> bytes:
    """os.pread where there is none (Windows)."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


_READ_AT = getattr(os, "pread", _seek_read)  # up to size bytes of a file from offset: one system call with pread
_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)


class Spill:
    """Append-only files of records, one per partition key, in ``directory`` (a new temporary one when None)."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(tempfile.mkdtemp(prefix="spill-")) if directory is None else Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._files: dict[Hashable, IO[bytes]] = {}
        self._paths: dict[Hashable, Path] = {}
        self._readers: dict[int, int] = {}  # descriptors of the files read by position, opened once each

    def add(self, key: Hashable, record: tuple) -> None:
        f = self._files.get(key)
        if f is None:
            if len(self._paths) >> _FILE_BITS:
                raise ValueError(f"more than {1 << _FILE_BITS} partitions")
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

    def positioned(self, key: Hashable) -> Iterator[tuple[int, Any]]:
        """The records of one partition as :meth:`read` gives them, each with its position (for :meth:`at`)."""
        f = self._files.pop(key, None)
        if f is not None:
            f.close()
        if key not in self._paths:
            return
        number = int(self._paths[key].stem)
        with open(self._paths[key], "rb") as f:
            read, length, offset = f.read, _LENGTH.size, 0
            while head := read(length):
                size = _LENGTH.unpack(head)[0]
                yield offset << _FILE_BITS | number, marshal.loads(read(size))
                offset += length + size

    def at(self, position: int) -> Any:
        """The record at ``position`` (from :meth:`positioned`; every record added by then).

        Read with seek and read, not mapped: pages of a mapped file count in the process's resident memory.
        """
        fd = self._reader(position & _FILE_MASK)
        offset = position >> _FILE_BITS
        data = _READ_AT(fd, _AHEAD, offset)
        end = _LENGTH.size + _LENGTH.unpack_from(data)[0]
        if len(data) < end:
            data += _READ_AT(fd, end - len(data), offset + len(data))
        return marshal.loads(memoryview(data)[_LENGTH.size:end])

    def records_at(self, positions: Sequence[int]) -> Iterator[Any]:
        """The records at ``positions``, in their order, as :meth:`at` gives each.

        A run of positions that follow each other in one file, within _STRETCH bytes of the run's first, is read
        with one system call: a fact that every document of a corpus states reads back a claim per document, in
        the order they were spilled, and one read each cost more than decoding them. Only one stretch is held.
        """
        i, n = 0, len(positions)
        while i < n:
            number, start = positions[i] & _FILE_MASK, positions[i] >> _FILE_BITS
            j, last = i + 1, start
            while j < n and positions[j] & _FILE_MASK == number and last < positions[j] >> _FILE_BITS < start + _STRETCH:
                last = positions[j] >> _FILE_BITS
                j += 1
            if j - i == 1:
                yield self.at(positions[i])
                i = j
                continue
            fd = self._reader(number)
            data = _READ_AT(fd, last - start + _AHEAD, start)
            for k in range(i, j):
                head = (positions[k] >> _FILE_BITS) - start
                end = head + _LENGTH.size + _LENGTH.unpack_from(data, head)[0]
                if len(data) < end:  # the last record, longer than what was read past its start
                    data += _READ_AT(fd, end - len(data), start + len(data))
                yield marshal.loads(memoryview(data)[head + _LENGTH.size:end])
            i = j

    def _reader(self, number: int) -> int:
        """A descriptor of file ``number``, opened once for every record read back from it."""
        fd = self._readers.get(number)
        if fd is None:
            fd = self._readers[number] = os.open(self.directory / f"{number}.marshal", _READ)
        return fd

    def close(self) -> None:
        """Close and delete every file (and the directory)."""
        for fd in self._readers.values():
            os.close(fd)
        self._readers.clear()
        for f in self._files.values():
            f.close()
        self._files.clear()
        self._paths.clear()
        shutil.rmtree(self.directory, ignore_errors=True)
