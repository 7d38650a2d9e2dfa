"""Keys held as 64-bit hashes in sorted arrays: the validation's memory per key of a large package.

The validation holds one key per row of the tables others refer to (each figure id, source id, fact id) and what
each repeated row must hold until it comes (:class:`~.validate.Repeat`). As a set of strings that is about 100
bytes a key (the string, the set's slots); here it is 8 bytes a key in a sorted ``array`` (16 with a row's
number and hash), plus the keys added since the last merge in a set (a 32nd as many) or dict (an eighth).

A key is its ``hash()``: for strings SipHash with a key drawn per process, so no input can aim at a collision.
Two different keys share a hash with a probability of about n / 2**64 per key looked up (1e-15 for 20,000 keys):
so "not in" is exact, and "in" is confirmed against the table's file where it would report a problem (a
repeated primary key: :meth:`~.validate.TableRun._repeated`). A foreign key whose hash is among the target's is
taken as found.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import chain, compress, repeat
from operator import and_, eq, itemgetter, lshift, or_

MERGE = 1024  # keys added before the first merge into the sorted arrays; from then on an eighth of those merged
# HashedKeys merges once its recent keys are 1/32 of those merged: a set holds about 100 bytes a key, the array 8,
# and a merge costs the new keys' bisects and a copy of the array (by slices): the set stays a few bytes a key.
_RECENT_SHIFT = 5
_MASK = 2**64 - 1
_SIGN = 2**63
_ALIVE = (-1).__lt__  # an entry's row number: taken when -1
_TOP = 2**63 - 1  # ends every sorted array, so a bisect never runs past its end (a key of this hash is taken as found)
_SORTED_MERGE = 4  # see _merged


def _found(sorted_: array, hashes: list[int]) -> Iterator[bool]:
    """Whether ``sorted_`` (ended by _TOP) holds each of ``hashes``: maps of built-ins, no Python call per hash."""
    return map(eq, map(sorted_.__getitem__, map(bisect_left, repeat(sorted_), hashes)), hashes)


class HashedKeys:
    """A set of keys as their hashes: ``in``, ``add``, ``update``, ``isdisjoint``, ``issuperset``.

    ``in`` answers True for a key never added with the probability of a collision (see the module's docstring).
    """

    __slots__ = ("_merge_at", "_recent", "_sorted")

    def __init__(self, merge: int | None = None) -> None:
        self._merge_at = MERGE if merge is None else merge
        self._sorted = array("q", [_TOP])
        self._recent: set[int] = set()

    def __contains__(self, key: Hashable) -> bool:
        h = hash(key)
        return h in self._recent or self._sorted[bisect_left(self._sorted, h)] == h

    def add(self, key: Hashable) -> None:
        self._recent.add(hash(key))
        self._merge()

    def update(self, keys: Iterable[Hashable]) -> None:
        self._recent.update(map(hash, keys))
        self._merge()

    def isdisjoint(self, keys: Iterable[Hashable]) -> bool:
        hashes = list(map(hash, keys))
        return self._recent.isdisjoint(hashes) and (len(self._sorted) == 1 or not any(_found(self._sorted, hashes)))

    def issuperset(self, keys: Iterable[Hashable]) -> bool:
        rest = list(set(map(hash, keys)).difference(self._recent))  # most keys just added: no bisect for them
        return not rest or all(_found(self._sorted, rest))

    def _merge(self) -> None:
        recent, sorted_ = self._recent, self._sorted
        if len(recent) >= max(self._merge_at, len(sorted_) >> _RECENT_SHIFT):
            self._sorted = _merged(sorted_, sorted(recent))  # ends with _TOP still; a key added again twice
            self._recent = set()


def _merged(sorted_: array, new: list[int]) -> array:
    """The sorted array of ``sorted_`` and ``new`` (sorted), by slices of ``sorted_``: sorting a list of every key
    made a Python int of each, 40 bytes a key held at once (the validation's largest allocation on a corpus of
    many small files). An array at most _SORTED_MERGE times as long as ``new`` is sorted with it all the same: that
    is up to three times faster than a slice a new key, and holds a few thousand ints at most."""
    if len(sorted_) <= _SORTED_MERGE * len(new):
        return array("q", sorted(chain(sorted_, new)))
    out = array("q")
    lo = 0
    for h in new:
        i = bisect_left(sorted_, h, lo)
        out += sorted_[lo:i]
        out.append(h)
        lo = i
    out += sorted_[lo:]
    return out


class HashedRows:
    """What each repeated row must hold, by its key's hash: ``(row number, hash of its values)`` packed in one int
    as :func:`~.validate._expect` packs it, with the operations of a dict the validation uses.

    Recent entries are in a dict; merged ones in three sorted arrays (key hash, row number, values hash), a taken
    entry's row number set to -1. A recent entry replaces a merged one of the same key, as in a dict.

    ``ordered``: the entries are expected in the order they are given (a view repeats its table's rows in the order
    they were written): given by :meth:`extend`, they first wait in a queue, and rows that are the next ones are
    taken from its head (:meth:`next_in_order`, :meth:`take_next`), one comparison of arrays a batch instead of a
    lookup and a deletion a row. The first operation of a dict moves what waits into the arrays, for good. A table
    that repeats rows in another order (fact_figures) is not ``ordered``: its entries never wait.
    """

    __slots__ = ("_keys", "_live", "_merge_at", "_queue", "_recent", "_rows", "_values")

    def __init__(self, merge: int | None = None, ordered: bool = False) -> None:
        self._merge_at = MERGE if merge is None else merge
        self._keys, self._rows, self._values = array("q"), array("q"), array("q")
        self._live = 0  # entries of the arrays not taken: none, and the arrays are emptied (no bisect to make)
        self._recent: dict[int, int] = {}
        # in row order, not taken: key hashes, row numbers, values hashes, from index _queue[3]; None: no queue
        self._queue: list | None = [array("q"), array("q"), array("q"), 0] if ordered else None

    def extend(self, keys: Iterable[Hashable], rows: Iterable[int], hashes: Iterable[int]) -> None:
        """Entries in row order: each key with its row's number and the ``hash()`` of its values."""
        q = self._queue
        if q is None:
            self._recent.update(zip(map(hash, keys), _packed(rows, hashes)))
            self._merge()
            return
        q[0].extend(map(hash, keys))
        q[1].extend(rows)
        q[2].extend(hashes)

    def next_in_order(self, keys: Sequence[Hashable]) -> array | None:
        """The values hashes of the next entries of the queue when their keys are ``keys``, in that order (nothing
        is taken: see :meth:`take_next`); else None."""
        q = self._queue
        if q is None:
            return None
        head, n = q[3], len(keys)
        if q[0][head:head + n] != array("q", map(hash, keys)):
            return None
        return q[2][head:head + n]

    def take_next(self, n: int) -> None:
        """Take the next ``n`` entries of the queue (those :meth:`next_in_order` answered)."""
        q = self._queue
        q[3] += n
        if q[3] >= self._merge_at and 2 * q[3] >= len(q[0]):  # what was taken goes, now and then
            for a in q[:3]:
                del a[:q[3]]
            q[3] = 0

    def _settle(self) -> None:
        """Move the entries waiting in the queue into the dict and arrays, a merge's worth at a time."""
        q, self._queue = self._queue, None
        if q is None:
            return
        keys, rows, values, head = q
        for start in range(head, len(keys), self._merge_at):
            stop = start + self._merge_at
            self._recent.update(zip(keys[start:stop], _packed(rows[start:stop], values[start:stop])))
            self._merge()

    def __len__(self) -> int:
        self._settle()
        recent = self._recent
        return len(recent) + sum(1 for h, n in zip(self._keys, self._rows) if n >= 0 and h not in recent)

    def __bool__(self) -> bool:
        self._settle()
        return bool(self._recent) or any(n >= 0 for n in self._rows)

    def _at(self, h: int) -> int:
        """The arrays' index of the entry of hash ``h`` not taken, or -1."""
        keys = self._keys
        i = bisect_left(keys, h)
        return i if i < len(keys) and keys[i] == h and self._rows[i] >= 0 else -1

    def get(self, key: Hashable, default: int | None = None) -> int | None:
        self._settle()
        h = hash(key)
        found = self._recent.get(h)
        if found is not None or not self._live:
            return default if found is None else found
        i = self._at(h)
        return default if i < 0 else self._rows[i] << 64 | self._values[i] & _MASK

    def pop(self, key: Hashable, default: int | None = None) -> int | None:
        self._settle()
        h = hash(key)
        found = self._recent.pop(h, None)
        i = self._at(h) if self._live else -1  # an older entry of the key, replaced by the recent one
        if found is not None:
            if i >= 0:
                self._take(i)
            return found
        if i < 0:
            return default
        found = self._rows[i] << 64 | self._values[i] & _MASK
        self._take(i)
        return found

    def _live_at(self, hashes: list[int]) -> list[int]:
        """:meth:`_at` of each of ``hashes``, in one pass of maps over built-ins."""
        keys, rows = self._keys, self._rows
        at = list(map(min, map(bisect_left, repeat(keys), hashes), repeat(len(keys) - 1)))
        return [i if k == h and n >= 0 else -1
                for i, k, h, n in zip(at, map(keys.__getitem__, at), hashes, map(rows.__getitem__, at))]

    def hashes_of(self, keys: Sequence[Hashable]) -> array | None:
        """The values hash (signed, as ``hash()`` gave it) of the entry :meth:`get` finds for each of ``keys``, in
        their order, nothing taken; None when a key has none. A batch at once: a lookup a key costs a Python call."""
        self._settle()
        hashes = list(map(hash, keys))
        recent = list(map(self._recent.get, hashes))
        if None not in recent:
            return array("q", (signed(r & _MASK) for r in recent))
        if not self._live:
            return None
        values = self._values
        found = [values[i] if r is None else signed(r & _MASK) for r, i in zip(recent, self._live_at(hashes))
                 if r is not None or i >= 0]
        return array("q", found) if len(found) == len(hashes) else None

    def take(self, keys: Iterable[Hashable]) -> None:
        """``del self[key]`` of each of ``keys``, all with an entry (:meth:`hashes_of` found them), at once."""
        self._settle()
        hashes = list(map(hash, keys))
        deque(map(self._recent.pop, hashes, repeat(None)), 0)
        if self._live:  # and the older entries of those the dict held (see pop)
            taken = {i for i in self._live_at(hashes) if i >= 0}
            deque(map(self._rows.__setitem__, taken, repeat(-1)), 0)
            self._live -= len(taken)
            if not self._live:
                self._keys, self._rows, self._values = array("q"), array("q"), array("q")

    def _take(self, i: int) -> None:
        self._rows[i] = -1
        self._live -= 1
        if not self._live:
            self._keys, self._rows, self._values = array("q"), array("q"), array("q")

    def __delitem__(self, key: Hashable) -> None:
        if self.pop(key) is None:
            raise KeyError(key)

    def __setitem__(self, key: Hashable, packed: int) -> None:
        self._settle()
        self._recent[hash(key)] = packed  # replaces an older entry of the key: see get and _merge
        self._merge()

    def update(self, entries: Iterable[tuple[Hashable, int]]) -> None:
        self._settle()
        entries = list(entries)  # maps of built-ins, no Python call per entry
        self._recent.update(zip(map(hash, map(itemgetter(0), entries)), map(itemgetter(1), entries)))
        self._merge()

    def packed(self) -> Iterator[int]:
        """Every entry's packed row number and values hash (its key is the row's: read it there)."""
        self._settle()
        recent = self._recent
        yield from recent.values()
        for h, n, v in zip(self._keys, self._rows, self._values):
            if n >= 0 and h not in recent:
                yield n << 64 | v & _MASK

    def clear(self) -> None:
        self._keys, self._rows, self._values = array("q"), array("q"), array("q")
        self._recent, self._live = {}, 0
        self._queue = None

    def _merge(self) -> None:
        recent = self._recent
        if len(recent) < max(self._merge_at, len(self._keys) >> 3):
            return
        keys, rows, values = self._untaken()
        nk, nr, nv = array("q"), array("q"), array("q")  # as _merged: slices, no list of every entry
        lo = 0
        for h in sorted(recent):
            packed = recent[h]
            i = bisect_left(keys, h, lo)
            nk += keys[lo:i]
            nr += rows[lo:i]
            nv += values[lo:i]
            nk.append(h)
            nr.append(packed >> 64)
            nv.append(signed(packed & _MASK))
            if i < len(keys) and keys[i] == h:  # the recent entry replaces the merged one
                self._live -= rows[i] >= 0
                i += 1
            lo = i
        nk += keys[lo:]
        nr += rows[lo:]
        nv += values[lo:]
        self._keys, self._rows, self._values = nk, nr, nv
        self._live += len(recent)
        self._recent = {}

    def _untaken(self) -> tuple[array, array, array]:
        """The arrays without their taken entries: the rows a view has repeated are not held until the last one
        comes (that grew with the corpus, 24 bytes a figure)."""
        keys, rows, values = self._keys, self._rows, self._values
        if self._live == len(keys):
            return keys, rows, values
        alive = list(map(_ALIVE, rows))
        return array("q", compress(keys, alive)), array("q", compress(rows, alive)), array("q", compress(values, alive))


def _packed(rows: Iterable[int], hashes: Iterable[int]) -> Iterator[int]:
    """Each row number and values hash packed in one int, as :func:`~.validate._expect` packs one."""
    return map(or_, map(lshift, rows, repeat(64)), map(and_, hashes, repeat(_MASK)))


def signed(v: int) -> int:
    """An unsigned 64-bit value as the signed one of the same bits (what an array of "q" holds)."""
    return v - 2**64 if v & _SIGN else v
