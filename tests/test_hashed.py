"""The validation's keys as 64-bit hashes (extract/hashed.py): they answer as a set and a dict would, and a key
whose hash was seen is confirmed against the rows before it is reported repeated."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validate import BREAKAGES, ONLY_OURS, _broken, written  # noqa: F401 - the fixture

from displacement_figures.extract import hashed, validate
from displacement_figures.extract.build import validate_package

KEYS = st.one_of(st.text(alphabet="Fab0123", max_size=4), st.tuples(st.text(max_size=2), st.text(max_size=2)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "update", "in", "disjoint", "superset"]),
                          st.lists(KEYS, min_size=1, max_size=5)), max_size=60))
def test_hashed_keys_answer_as_a_set(ops):
    keys, mine = set(), hashed.HashedKeys(merge=3)  # merged into the sorted array often
    for op, ks in ops:
        if op == "add":
            keys.add(ks[0])
            mine.add(ks[0])
        elif op == "update":
            keys.update(ks)
            mine.update(ks)
        elif op == "in":
            assert (ks[0] in keys) == (ks[0] in mine)
        elif op == "disjoint":
            assert keys.isdisjoint(ks) == mine.isdisjoint(ks)
        else:
            assert keys.issuperset(ks) == mine.issuperset(ks)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-2**63, 2**63 - 2)), st.lists(st.integers(-2**63, 2**63 - 2), min_size=1))
def test_merged_arrays_are_sorted_whatever_their_sizes(old, new):
    """Merged by one sort when the array is short next to the new keys, else by slices: the same array."""
    merged = hashed._merged(array("q", [*sorted(old), hashed._TOP]), sorted(new))
    assert list(merged) == [*sorted(old + new), hashed._TOP]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["set", "update", "get", "pop", "del", "hashes_of", "take"]), KEYS,
                          st.integers(0, 2**20), st.integers(-2**63, 2**63 - 1)), max_size=80))
def test_hashed_rows_answer_as_a_dict(ops):
    rows, mine = {}, hashed.HashedRows(merge=3)
    for op, key, n, h in ops:
        packed = validate._expect(n, h)
        some = [key, *list(rows)[n % 3: n % 3 + n % 4]]  # this key and a few of those held
        if op == "hashes_of":
            expected = [hashed.signed(rows[k] & (2**64 - 1)) for k in some] if all(k in rows for k in some) else None
            found = mine.hashes_of(some)
            assert (None if found is None else list(found)) == expected
        elif op == "take":
            some = list(dict.fromkeys(k for k in some if k in rows))
            mine.take(some)
            for k in some:
                del rows[k]
        elif op == "set":
            rows[key] = packed
            mine[key] = packed
        elif op == "update":
            rows.update([(key, packed)])
            mine.update([(key, packed)])
        elif op == "get":
            assert rows.get(key) == mine.get(key)
        elif op == "pop":
            assert rows.pop(key, None) == mine.pop(key, None)
        elif key in rows:
            del rows[key]
            del mine[key]
        else:
            with pytest.raises(KeyError):
                del mine[key]
        assert len(rows) == len(mine) and bool(rows) == bool(mine)
        assert sorted(rows.values()) == sorted(mine.packed())
    mine.clear()
    assert not mine


@settings(max_examples=200, deadline=None)
@given(st.booleans(), st.lists(st.tuples(st.sampled_from(["extend", "extend", "next", "next", "get", "pop", "set"]),
                                         st.integers(1, 4), st.integers(-2**63, 2**63 - 1)), max_size=60))
def test_rows_given_in_order_are_taken_in_order_or_answer_as_a_dict(ordered, ops):
    """extend() queues entries in order (``ordered``); a view's rows that are the next ones are taken from the
    queue; any dict operation makes the entries waiting answer as a dict's, and the queue is done with."""
    rows, mine = {}, hashed.HashedRows(merge=3, ordered=ordered)
    queue, settled, made = [], not ordered, 0
    for op, n, h in ops:
        if op == "extend":  # new keys: a table's rows have unique keys
            keys = [f"F{made + i}" for i in range(n)]
            made += n
            nums, hashes = [made + i for i in range(n)], [h ^ i for i in range(n)]
            mine.extend(keys, nums, hashes)
            rows.update((k, validate._expect(r, v)) for k, r, v in zip(keys, nums, hashes))
            if not settled:
                queue += keys
        elif op == "next":
            keys = queue[:n]
            found = mine.next_in_order(keys)
            if settled or not keys:
                assert found is None or not keys
                continue
            assert list(found) == [hashed.signed(rows[k] & (2**64 - 1)) for k in keys]
            mine.take_next(len(keys))
            for k in keys:
                del rows[k]
            del queue[:len(keys)]
        else:
            settled = True
            key = f"F{h % (made + 1)}"
            if op == "get":
                assert mine.get(key) == rows.get(key)
            elif op == "pop":
                assert mine.pop(key, None) == rows.pop(key, None)
            else:
                rows[key] = mine[key] = validate._expect(n, h)
    assert len(mine) == len(rows) and sorted(mine.packed()) == sorted(rows.values())


def test_hashed_rows_hold_no_taken_entry_after_a_merge():
    """A view takes the rows its figures left as it comes: what it took is dropped at the next merge, so the
    arrays follow the rows still expected, not every row ever written."""
    mine = hashed.HashedRows(merge=8)
    for n in range(1000):
        mine[f"F{n}"] = validate._expect(n + 2, n)
        if n >= 4:
            del mine[f"F{n - 4}"]  # the view's row comes four rows behind
    assert len(mine) == 4 and len(mine._keys) <= 16


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-2**63, 2**63 - 2)), st.lists(st.integers(-2**63, 2**63 - 1)))
def test_a_merge_gives_the_keys_sorted(merged, new):
    """What a merge of HashedKeys makes by slices is the sorted array of every hash, the same ones twice too."""
    before = array("q", sorted(merged) + [hashed._TOP])
    assert hashed._merged(before, sorted(new)) == array("q", sorted([*before, *new]))


@pytest.mark.parametrize("case", [*BREAKAGES, *ONLY_OURS])
def test_merged_keys_give_the_same_messages(case: str, written, tmp_path: Path, monkeypatch):  # noqa: F811
    """Keys merged into the sorted arrays after every few rows: the same problems, named the same way."""
    pkg = _broken(written, tmp_path, {**BREAKAGES, **ONLY_OURS}[case], hashes_agree=True)
    ours = validate_package(pkg, docs_root=written[1])
    monkeypatch.setattr(hashed, "MERGE", 2)
    monkeypatch.setattr(validate, "BATCH_ROWS", 7)
    assert validate_package(pkg, docs_root=written[1]) == ours
    assert ours


def test_a_seen_hash_is_confirmed_before_a_key_is_called_repeated(written, tmp_path: Path, monkeypatch):  # noqa: F811
    """As if every key's hash had been seen (two keys of one hash): no key is reported repeated unless it is."""
    monkeypatch.setattr(hashed.HashedKeys, "__contains__", lambda self, key: True)
    monkeypatch.setattr(hashed.HashedKeys, "isdisjoint", lambda self, keys: False)
    assert validate_package(written[0], docs_root=written[1]) == []
    pkg = _broken(written, tmp_path, BREAKAGES["duplicate key"], hashes_agree=True)
    errors = validate_package(pkg, docs_root=written[1])
    assert [e for e in errors if "repeated" in e] == [e for e in errors if "primary key" in e]
    assert len([e for e in errors if "data/figures.csv" in e and "repeated" in e]) == 1
