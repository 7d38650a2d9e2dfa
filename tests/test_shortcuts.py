"""The speed shortcuts give what the slow way gives: each is checked against it on text built to trip it.

- measure_of skips a flow/stock cue whose words are not in the window before running its regex; the answer must
  be the one running every cue gives, whatever the case, accents or look-alike letters ("ſ", "ı", "İ", "K");
- grouping indexes only the groups another can join and skips what cannot change: the groups must be those of
  every pair compared (the plain way, as reconciliation first did it), for claims of any places, periods and events;
- fact_id puts the JSON of a fact's key together itself: it must be the text json.dumps gives, for any strings;
- term_of tries only the term patterns that can start with the text's first character: it must name the term that
  trying every pattern names, for every phrase of the vocabulary and its look-alike first letters;
- distances convert with the factor of their unit in distance_units.csv: pint, the authority on units, must give
  the same factor for every unit of the table and the same km for any value (pint is a test dependency only).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from displacement_figures.extract import reconcile
from displacement_figures.extract.figures import _km
from displacement_figures.extract.vocabulary import _rows

CUE_WORDS = sorted({w.rstrip("*") for r in _rows("measures.csv") if r["kind"] == "cue"
                    for token in r["phrase"].split() for w in token.split("|")})
ODD = ["ſ", "ı", "İ", "K", "’", "é", "\u00a0", "\n", "  "]


def _every_cue(window: str, qs: int, qe: int) -> str | None:
    """The nearest cue as measure_of finds it, running every cue's regex."""
    best = None
    for pattern, measure, _ in reconcile._measures()[1]:
        for m in pattern.finditer(window):
            a, b = m.start(), m.end()
            distance = 0 if a < qe and b > qs else (qs - b if b <= qs else a - qe)
            candidate = (distance, -(b - a), measure)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else None


def _case(word: str, flips: list[bool]) -> str:
    return "".join(c.upper() if f else c for c, f in zip(word, flips + [False] * len(word), strict=False))


words = st.builds(_case, st.sampled_from(CUE_WORDS + ["people", "the", "in", "Aleppo"]),
                  st.lists(st.booleans(), max_size=12))
odd = st.builds(lambda w, o, i: w[:i] + o + w[i:], st.sampled_from(CUE_WORDS), st.sampled_from(ODD),
                st.integers(0, 12))


@settings(max_examples=400, deadline=None)
@given(before=st.lists(st.one_of(words, odd), max_size=8), after=st.lists(st.one_of(words, odd), max_size=8))
def test_measure_cues_skipped_only_when_they_cannot_match(before, after):
    head, number = " ".join(before) + " ", "12,000"
    sentence = head + number + " " + " ".join(after)
    row = {"category": "displacement", "term": "displaced", "sentence": sentence, "sentence_start": 100,
           "char_start": 100 + len(head), "char_end": 100 + len(head) + len(number)}
    qs, qe = len(head), len(head) + len(number)
    lo, hi = max(0, qs - reconcile.CUE_WINDOW), min(len(sentence), qe + reconcile.CUE_WINDOW)
    expected = _every_cue(sentence[lo:hi], qs - lo, qe - lo) or reconcile._measures()[0].get("displaced", "flow")
    assert reconcile.measure_of(row) == expected


def _group_plainly(claims: list[reconcile.Claim]) -> list[reconcile._Group]:
    """_group without its shortcuts: every group indexed, its events gathered for each pair compared."""
    groups: dict[tuple, reconcile._Group] = {}
    for c in claims:
        exact, scope = c.exact_key(), reconcile._scope(c)
        groups.setdefault((exact, c.places, c.period, scope),
                          reconcile._Group(exact, c.places, c.period, [], scope)).claims.append(c)
    live = sorted(groups.values(), key=lambda g: (-g.stated(), repr((g.key, g.places, g.period, g.scope or ""))))
    index: dict[tuple, dict[int, reconcile._Group]] = {}
    for t in live:
        for k in [(t.key,), *((t.key, "place", p) for p in t.places), *((t.key, "event", e) for e in t.events())]:
            index.setdefault(k, {})[id(t)] = t
    removed: set[int] = set()
    for g in list(live):
        within = ((g.key, "event", g.scope) if g.scope is not None else
                  (g.key, "place", g.places[0]) if g.places else (g.key,))
        targets = [t for t in index.get(within, {}).values()
                   if t is not g and id(t) not in removed and t.refines(g, t.events())]
        if len(targets) == 1:
            targets[0].claims.extend(g.claims)
            targets[0].joined = True
            for e in g.events():
                index.setdefault((g.key, "event", e), {})[id(targets[0])] = targets[0]
            removed.add(id(g))
    live = [g for g in live if id(g) not in removed]
    for g in live:
        g.claims.sort(key=lambda c: (c.source_id, c.char_start, c.figure_id))
        g.corrected = g.corrected or any(c.corrections for c in g.claims)
    return live


def _claim(n: int, term: str, places: tuple[str, ...], period: str | None, event: str | None,
           fixed: bool) -> reconcile.Claim:
    shown = reconcile.Shown(" ".join(places) or None, None, None, None, period)
    return reconcile.Claim(f"F{n:012x}", f"s{n % 3}", n, "displacement", term, "person", "observed", "flow", None,
                           places, period, "exact", n, None, None, f"{n} people", shown,
                           corrections=("set location: checked",) if fixed else (), event=event)


claims = st.lists(st.tuples(st.sampled_from(["displaced", "evacuated"]),
                            st.sampled_from([(), ("homs",), ("hama",), ("hama", "homs")]),
                            st.sampled_from([None, "P7D/2024-12-06", "last week"]),
                            st.sampled_from([None, "e1", "e2", "e3"]), st.booleans()), max_size=40)


@settings(max_examples=300, deadline=None)
@given(claims)
def test_grouping_gives_the_groups_of_every_pair_compared(drawn):
    def made() -> list[reconcile.Claim]:
        return [_claim(n, *d) for n, d in enumerate(drawn)]

    def shown(groups: list[reconcile._Group]) -> list[tuple]:
        return [(g.key, g.places, g.period, g.scope, [c.figure_id for c in g.claims], g.joined, g.corrected)
                for g in groups]

    assert shown(reconcile._group(made())) == shown(_group_plainly(made()))


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(key=st.lists(texts, min_size=6, max_size=6), separate=st.booleans(), places=st.lists(texts, max_size=2),
       period=st.none() | texts, scope=st.none() | texts)
def test_fact_id_is_the_hash_of_what_json_dumps_gives(key, separate, places, period, scope):
    key = tuple(key) + ((("separate", "F0123456789ab"),) if separate else ())
    group = reconcile._Group(key, tuple(places), period, [], scope)
    what = [list(key), list(places), period] + ([scope] if scope is not None else [])
    blob = json.dumps(what, ensure_ascii=False)
    assert reconcile.fact_id(group) == "Q" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def test_km_conversion_gives_what_pint_gave():
    assert [_km(30.0, "mile"), _km(29.0, "mile"), _km(0.5, "mile"), _km(1500.0, "meter"), _km(12.5, "kilometer")] \
        == [48.28, 46.671, 0.805, 1.5, 12.5]


UNITS = sorted({r["pint_unit"] for r in _rows("distance_units.csv")})


@cache
def _pint():
    """pint is the authority on units: the table's factors must be what its registry gives."""
    return pytest.importorskip("pint").UnitRegistry()


@pytest.mark.parametrize("unit", UNITS)
def test_every_unit_of_the_table_is_what_pint_says(unit):
    factors = {float(r["km"]) for r in _rows("distance_units.csv") if r["pint_unit"] == unit}
    assert factors == {_pint().Quantity(1, unit).to("kilometer").magnitude}


@settings(max_examples=300, deadline=None)
@given(value=st.decimals(min_value=0, max_value=100_000, places=3).map(float), unit=st.sampled_from(UNITS))
def test_km_conversion_is_pints(value, unit):
    assert _km(value, unit) == round(_pint().Quantity(value, unit).to("kilometer").magnitude, 3)


def _term_of_every_pattern(matched: str):
    """The term trying every term pattern of the vocabulary gives (the longest pattern that matches wins)."""
    from displacement_figures.extract import vocabulary

    best = None
    for source, term, _ in vocabulary.load().term_sources:
        pattern = vocabulary._term_pattern(source)
        if pattern.fullmatch(matched) and (best is None or len(pattern.pattern) > len(best[0].pattern)):
            best = (pattern, term)
    return best[1] if best else None


def _term_texts() -> list[str]:
    from displacement_figures.extract import vocabulary

    out = []
    for phrase in vocabulary.load().terms:
        words = " ".join(alt.split("|")[0].rstrip("*") for alt in phrase.split())
        out += [words, words.upper(), *(odd + words[1:] for odd in ODD), words + "s", words[1:]]
    return out


def test_term_of_tries_only_the_patterns_a_text_can_start():
    from displacement_figures.extract import vocabulary

    for text in _term_texts():
        assert vocabulary.term_of(text) == _term_of_every_pattern(text), text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*"diskrfaeo ’-", "fled", "displaced", "kill", *ODD]), max_size=8).map("".join))
def test_term_of_any_text(text):
    from displacement_figures.extract import vocabulary

    assert vocabulary.term_of(text) == _term_of_every_pattern(text)


keys = st.lists(texts, min_size=6, max_size=6).map(tuple) | st.tuples(*[texts] * 6, st.tuples(st.just("separate"),
                                                                                              texts))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(keys, st.lists(texts, max_size=2).map(tuple), st.none() | texts, st.none() | texts),
                max_size=12))
def test_groups_meet_in_the_order_of_their_whole_repr(drawn):
    """_specific_first compares a key's repr, then the rest's: the order of repr((key, places, period, scope))."""
    groups = [reconcile._Group(key, places, period, [], scope) for key, places, period, scope in drawn]
    plain = sorted(groups, key=lambda g: (-g.stated(), repr((g.key, g.places, g.period, g.scope or ""))))
    assert sorted(groups, key=reconcile._specific_first({})) == plain
