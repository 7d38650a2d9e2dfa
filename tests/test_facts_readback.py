"""Facts made a group at a time, each group's claims read back from the spill, are the facts of every claim held.

Reconciliation groups a unit's claims as members (what grouping needs of each) and reads a group's whole claims
back by position when its fact is written (extract/reconcile.py, ``Reconciler._facts``). The reference here is the
plain way it replaced: every claim of a unit held as a Claim, sorted, grouped, each fact made from them. On random
claims (documents, places, periods, groups, events, figures out of document order, corrections of every kind) both
give the same facts and links, or the same error.
"""

from __future__ import annotations

import heapq
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_figures.extract import reconcile as rc
from displacement_figures.extract.spill import Spill

KINDS = [("displacement", "displaced", "person"), ("displacement", "evacuated", "person"),
         ("casualties", "killed", "person"), ("distance", "distance", "km")]
PLACES = [None, "Homs", "Hama", "the Homs"]
PERIODS = [None, "last week", "in the past 7 days", "2024"]
GROUPS = [None, "civilians", "residents", "children"]


def _row(n: int, source: str, kind: int, modality: str, at: int, value: int, qualifier: str, place: str | None,
         period: str | None, group: str | None) -> dict:
    category, term, unit = KINDS[kind]
    quote = f"{value} people"
    sentence = "x" * at + quote
    row = {"figure_id": f"F{n:012x}", "source_id": source, "category": category, "term": term, "unit": unit,
           "modality": modality, "qualifier": qualifier, "value": value if qualifier != "at_least" else None,
           "value_low": value, "value_high": None, "quote": quote, "sentence": sentence, "sentence_start": 0,
           "char_start": at, "char_end": at + len(quote), "group": group, "reference_period": period,
           "location": None, "origin": None, "destination": None}
    if category == "distance":
        row.update(origin=place, destination="Aleppo" if place else None)
    else:
        row["location"] = place
    return row


rows_drawn = st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, len(KINDS) - 1),
                                st.sampled_from(["observed", "projected"]), st.integers(0, 6),
                                st.sampled_from([100, 102, 500, 5000]), st.sampled_from(["exact", "approximate",
                                                                                         "at_least"]),
                                st.sampled_from(PLACES), st.sampled_from(PERIODS), st.sampled_from(GROUPS)),
                      min_size=1, max_size=30)
fixes = st.lists(st.tuples(st.sampled_from(["exclude", "separate", "join", "set"]), st.integers(0, 29),
                           st.integers(0, 29), st.sampled_from(PLACES[1:])), max_size=4)


def _corrections(drawn: list[tuple], fixes: list[tuple]) -> list[dict]:
    out = []
    for k, (action, a, b, place) in enumerate(fixes):
        row = {"figure_id": f"F{a % len(drawn):012x}", "action": action, "field": None, "value": None,
               "reason": f"reason {k}", "_where": f"corrections.csv: row {k + 2}"}
        if action == "join":
            row["value"] = f"F{b % len(drawn):012x}"
        elif action == "set":
            row.update(field="location", value=place)
        out.append(row)
    return out


def _spilled(tmp: Path, sources: list[dict], rows: list[dict]) -> rc.Reconciler:
    r = rc.Reconciler(tmp)
    for s in sources:
        r.add_source(s)
        for row in rows:
            if row["source_id"] == s["source_id"]:
                r.add(row)
    return r


def _held(r: rc.Reconciler, corrections: list[dict]) -> tuple[list[dict], list[dict]]:
    """The reference: each unit's claims all held as Claims, sorted in document order, grouped, made facts."""
    corrected, named, units = r._correct(list(corrections))
    facts, links, pending = [], [], []
    for n, unit in enumerate(units):
        claims, strings, keys = [], {}, {}
        for part in unit:
            for rec in r._spill.read(part):
                c = corrected.get(rec[0]) if rec[0] in named else rc.Claim.from_record(rec, r._several, strings)
                if c is not None:
                    c.rekey(c.published, keys)
                    claims.append(c)
        claims.sort(key=rc._in_document)
        for g in rc._group(claims):
            heapq.heappush(pending, (rc._sort_key(g, rc.fact_id(g)), g))
        upto = units[n + 1][0] if n + 1 < len(units) else None
        while pending and (upto is None or pending[0][0][:3] < upto):
            key, g = heapq.heappop(pending)
            facts.append(rc._fact_row(g, key[-1]))
            its = g.claims if len(g.claims) == 1 else sorted(g.claims, key=rc._by_source)
            links += [rc._link(key[-1], c) for c in its]
    return facts, links


def _outcome(make) -> tuple:
    """The facts and links, or the error (a stale correction)."""
    try:
        return "facts", make()
    except rc.CorrectionError as e:
        return type(e).__name__, str(e)


def _read_back_and_held(tmp: Path, rows: list[dict], events: list[str | None], corrections: list[dict]) -> tuple:
    """The facts read back from the spill and those of every claim held (or the error of each), for four
    documents a-d of the given events."""
    sources = [{"source_id": s, "published": "2024-12-06", "outlet": s.upper(), "event": e}
               for s, e in zip("abcd", events, strict=True)]
    held, read_back = _spilled(tmp / "held", sources, rows), _spilled(tmp / "read", sources, rows)
    try:
        return _outcome(lambda: _list(read_back.facts(corrections))), _outcome(lambda: _held(held, corrections))
    finally:
        held.close()
        read_back.close()


@settings(max_examples=200, deadline=None)
@given(drawn=rows_drawn, order=st.randoms(use_true_random=False), events=st.lists(st.sampled_from([None, "e1", "e2"]),
       min_size=4, max_size=4), fixes=fixes)
def test_facts_read_back_are_the_facts_of_every_claim_held(tmp_path_factory, drawn, order, events, fixes):
    rows = [_row(n, *d) for n, d in enumerate(drawn)]
    order.shuffle(rows)  # a document's figures out of document order: the members are sorted
    corrections = _corrections(drawn, fixes)
    got, expected = _read_back_and_held(tmp_path_factory.mktemp("spill"), rows, events, corrections)
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(drawn=rows_drawn, events=st.lists(st.sampled_from([None, "e1", "e2"]), min_size=4, max_size=4), fixes=fixes,
       corrected=st.booleans())
def test_facts_grouped_as_the_spill_streams_are_the_facts_of_every_claim_held(tmp_path_factory, drawn, events, fixes,
                                                                               corrected):
    """Figures in document order, as extract gives them: a partition no correction touches is grouped as its
    records stream from the spill (Reconciler._stream), no member made."""
    rows = sorted((_row(n, *d) for n, d in enumerate(drawn)), key=lambda r: (r["char_start"], r["figure_id"]))
    corrections = _corrections(drawn, fixes) if corrected else []
    got, expected = _read_back_and_held(tmp_path_factory.mktemp("spill"), rows, events, corrections)
    assert got == expected


def test_a_place_every_document_states_is_one_fact_of_their_events(tmp_path: Path):
    """A group streamed from the spill keeps the events of its documents (one, then a set of several) and counts
    them; a claim that states nothing joins its document's fact."""
    rows = [_row(n, s, 0, "observed", n, 100 + n, "exact", place, None, None)
            for n, (s, place) in enumerate([("a", "Homs"), ("a", None), ("b", "Homs"), ("c", "Homs"), ("c", "Homs"),
                                            ("d", "Homs"), ("d", None)])]
    sources = [{"source_id": s, "published": "2024-12-06", "outlet": s.upper(), "event": None} for s in "abcd"]
    held, read_back = _spilled(tmp_path / "held", sources, rows), _spilled(tmp_path / "read", sources, rows)
    try:
        expected, got = _held(held, []), _list(read_back.facts([]))
    finally:
        held.close()
        read_back.close()
    assert got == expected
    assert [(f["n_figures"], f["n_sources"], f["grouping"]) for f in got[0]] == [(7, 4, "joined_unstated")]


def _list(pairs) -> tuple[list[dict], list[dict]]:
    facts, links = [], []
    for fact, its in pairs:
        facts.append(fact)
        links += its
    return facts, links


def test_a_record_is_read_back_by_its_position(tmp_path: Path):
    spill = Spill(tmp_path / "spill")
    records = {key: [(f"F{n}", key, "é" * (n * 37 % 3000), n / 7) for n in range(200)] for key in ("a", "b")}
    for n in range(200):
        for key in ("a", "b"):
            spill.add(key, records[key][n])
    positions = {key: list(spill.positioned(key)) for key in ("a", "b")}
    for key in ("a", "b"):
        assert [r for _, r in positions[key]] == records[key] == list(spill.read(key))
    for key in ("b", "a"):  # in any order, records longer than one read ahead too
        for at, r in reversed(positions[key]):
            assert spill.at(at) == r
    spill.close()
    assert not (tmp_path / "spill").exists()


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.tuples(st.sampled_from("ab"), st.integers(0, 199)), max_size=80),
       sort=st.booleans())
def test_records_read_back_together_are_those_read_one_by_one(tmp_path_factory, picks, sort):
    """records_at reads runs of positions close together in one file with one read: the records must be those
    at() gives, in the order asked, whatever the order (ascending runs, repeats, both files mixed) and lengths
    (some longer than a read ahead, some past the stretch)."""
    tmp = tmp_path_factory.mktemp("spill")
    spill = Spill(tmp / "spill")
    for n in range(200):
        for key in ("a", "b"):
            spill.add(key, (f"F{n}", key, "é" * (n * 37 % 3000), n / 7))
    at = {key: [p for p, _ in spill.positioned(key)] for key in ("a", "b")}
    positions = [at[key][n] for key, n in (sorted(picks) if sort else picks)]
    assert list(spill.records_at(positions)) == [spill.at(p) for p in positions]
    spill.close()
