"""Everything typed about a table, derived from schemas/*.json and nowhere else.

The Frictionless Table Schemas are the single source of truth: the package's
inline schemas, the loader's pandas dtypes and the pandera checks are all
computed here from them, so a constraint added to a schema file is enforced by
the build, published in datapackage.json and honoured by ``load()`` at once.
"""

from __future__ import annotations

import json
import marshal
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .paths import data_path, schemas_dir

# Words for unit suffixes in renamed view columns ("value_km").
UNIT_WORDS = {"km": "kilometres"}


def _copied(data: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, strings, numbers, booleans, None), for callers free to change what
    they get: marshal's round trip, exact for these types and about ten times faster than ``copy.deepcopy`` (a
    run asks for every table's schema, 44 copies, 10 ms of its start)."""
    return marshal.loads(marshal.dumps(data))


@cache
def _tables_json() -> dict[str, Any]:
    with open(schemas_dir() / "tables.json", encoding="utf-8") as f:
        return json.load(f)


@cache
def _schema_file(name: str) -> dict[str, Any]:
    with open(schemas_dir() / name, encoding="utf-8") as f:
        schema = json.load(f)
    schema.pop("$comment", None)
    return schema


def tables() -> list[dict[str, Any]]:
    """Table entries of tables.json, in package order."""
    return _copied(_tables_json()["tables"])


def table_names() -> list[str]:
    return [t["name"] for t in _tables_json()["tables"]]


def table_entry(name: str) -> dict[str, Any]:
    for t in _tables_json()["tables"]:
        if t["name"] == name:
            return _copied(t)
    raise LookupError(f"no table {name!r} in schemas/tables.json; tables: {', '.join(table_names())}")


def view_columns(name: str) -> list[tuple[str, str]]:
    """``(column, figures field)`` pairs of a view, in column order."""
    out = []
    for f in table_entry(name).get("fields", []):
        if isinstance(f, str):
            out.append((f, f))
        else:
            out.append((f["name"], f["from"]))
    return out


@cache
def category_terms(category: str) -> frozenset[str]:
    """The reporting terms of a category, as extract/vocab/terms.csv assigns them (and a term named as its
    category, such as ``population``): the vocabulary is the one place that says which term is whose."""
    import csv

    vocab = data_path("extract")
    terms = {category}
    if vocab is not None and (vocab / "vocab" / "terms.csv").is_file():
        with open(vocab / "vocab" / "terms.csv", encoding="utf-8", newline="") as f:
            terms |= {r["term"] for r in csv.DictReader(f) if r.get("category") == category and r.get("term")}
    return frozenset(terms)


def _narrowed_to_category(field: dict[str, Any], category: str | None) -> dict[str, Any]:
    """A view's ``term`` field lists only its category's terms, in the order of the figures schema."""
    enum = field.get("constraints", {}).get("enum")
    if field["name"] == "term" and category and enum:
        field["constraints"]["enum"] = [t for t in enum if t in category_terms(category)]
    return field


def _renamed_field(base: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """A figures field under a new name: same type and constraints, unit said in title and description."""
    field = _copied(base)
    field["name"] = spec["name"]
    unit = "_".join(p for p in spec["name"].split("_") if p not in spec["from"].split("_"))
    word = UNIT_WORDS.get(unit, unit)
    field["title"] = spec.get("title") or (f"{base.get('title', base['name'])} ({unit})" if unit else base.get("title"))
    if "description" in spec:
        field["description"] = spec["description"]
    elif unit:
        field["description"] = f"{base.get('description', '')} In {word} (column {spec['from']!r} of figures).".strip()
    return field


def table_schema(name: str) -> dict[str, Any]:
    """The full Table Schema of a table, as published inline in datapackage.json (a copy of its own)."""
    return _copied(_table_schema(name))


@cache
def _table_schema(name: str) -> dict[str, Any]:
    entry = table_entry(name)
    if "schema" in entry:
        return _schema_file(entry["schema"])
    base = _table_schema(entry["from"])
    by_name = {f["name"]: f for f in base["fields"]}
    fields = []
    for f in entry["fields"]:
        spec = {"name": f, "from": f} if isinstance(f, str) else f
        if spec["from"] not in by_name:
            raise ValueError(f"schemas/tables.json: view {name!r} picks unknown field {spec['from']!r}")
        src = by_name[spec["from"]]
        f = _copied(src) if spec["name"] == spec["from"] else _renamed_field(src, spec)
        if "hxl" in spec:
            f["hxl"] = spec["hxl"]
        fields.append(_narrowed_to_category(f, entry.get("category")))
    schema: dict[str, Any] = {"fields": fields}
    names = [f["name"] for f in fields]
    pk = base.get("primaryKey", [])
    if pk and all(k in names for k in pk):
        schema["primaryKey"] = list(pk)
        schema["foreignKeys"] = [{"fields": list(pk), "reference": {"resource": entry["from"], "fields": list(pk)}}]
    return schema


# ---------------------------------------------------------------- pandas dtypes

def pandas_dtypes(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Read dtype per field; dates read as strings and are parsed by :func:`read_table`."""
    import pandas as pd

    out: dict[str, Any] = {}
    for f in schema["fields"]:
        t, enum = f.get("type", "string"), f.get("constraints", {}).get("enum")
        if t == "string" and enum:
            out[f["name"]] = pd.CategoricalDtype(categories=list(enum), ordered=False)
        elif t == "integer":
            out[f["name"]] = "Int64"
        elif t == "number":
            out[f["name"]] = "Float64"
        elif t == "boolean":
            out[f["name"]] = "boolean"
        else:
            out[f["name"]] = "string"
    return out


def read_table(path: str | Path, schema: Mapping[str, Any]):
    """A package CSV as a DataFrame typed from its schema (empty cell -> missing, nothing else is)."""
    import pandas as pd

    dtypes = pandas_dtypes(schema)
    df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8",
                     true_values=["true"], false_values=["false"])
    names = [f["name"] for f in schema["fields"]]
    if list(df.columns) != names:
        raise ValueError(f"{path}: header {list(df.columns)} does not match the schema fields {names}")
    for f in schema["fields"]:
        if f.get("type") in ("date", "datetime"):
            fmt = "%Y-%m-%d" if f["type"] == "date" else "ISO8601"
            df[f["name"]] = pd.to_datetime(df[f["name"]], format=fmt)
    return df


# ---------------------------------------------------------------- pandera

def _field_checks(field: Mapping[str, Any]) -> list:
    import pandera.pandas as pa

    c = field.get("constraints", {})
    checks = []
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"]))
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"]))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"]))
    if "pattern" in c:
        # Table Schema patterns match the whole value.
        checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})$"))
    if "minLength" in c or "maxLength" in c:
        checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength")))
    if field.get("type") in ("date", "datetime"):
        checks.append(pa.Check(_is_datetime, name="is_datetime"))
    return checks


def _is_datetime(s) -> bool:
    import pandas as pd

    return bool(pd.api.types.is_datetime64_any_dtype(s))


def _ordered(df, lo: str, hi: str, strict: bool):
    both = df[lo].notna() & df[hi].notna()
    ok = df[lo] < df[hi] if strict else df[lo] <= df[hi]
    return (~both | ok.fillna(True)).astype(bool)


def _cross_checks(names: list[str], texts: Mapping[str, str] | None) -> list:
    """Checks between fields, found by naming convention so views with renamed columns get them too."""
    import pandera.pandas as pa

    checks = []
    for n in names:
        low, high = f"{n}_low", f"{n}_high"
        if n.endswith(("_low", "_high")):
            continue
        for a, b in ((low, n), (n, high), (low, high)):
            if a in names and b in names:
                checks.append(pa.Check(lambda df, a=a, b=b: _ordered(df, a, b, False), name=f"{a} <= {b}"))
    for prefix in ("char", "sentence"):
        a, b = f"{prefix}_start", f"{prefix}_end"
        if a in names and b in names:
            checks.append(pa.Check(lambda df, a=a, b=b: _ordered(df, a, b, True), name=f"{a} < {b}"))
    if texts is not None and {"source_id", "quote", "char_start", "char_end"} <= set(names):
        checks.append(pa.Check(lambda df: _spans_match(df, texts, "quote", "char"), name="quote == text[char_start:char_end]"))
    if texts is not None and {"source_id", "sentence", "sentence_start", "sentence_end"} <= set(names):
        checks.append(pa.Check(lambda df: _spans_match(df, texts, "sentence", "sentence"),
                               name="sentence == text[sentence_start:sentence_end]"))
    return checks


def _spans_match(df, texts: Mapping[str, str], column: str, prefix: str):
    import pandas as pd

    def ok(row) -> bool:
        text = texts.get(row["source_id"])
        if text is None:
            return False
        return text[int(row[f"{prefix}_start"]):int(row[f"{prefix}_end"])] == row[column]

    if df.empty:
        return pd.Series([], dtype=bool)
    return df.apply(ok, axis=1).astype(bool)


def pandera_schema(name_or_schema: str | Mapping[str, Any], texts: Mapping[str, str] | None = None):
    """A pandera DataFrameSchema derived from a Table Schema, plus the checks between fields.

    ``texts`` maps source_id to the decoded document; when given, every quote
    (and sentence) must equal its span of the text, which is the promise the
    whole dataset makes.
    """
    import pandera.pandas as pa

    schema = table_schema(name_or_schema) if isinstance(name_or_schema, str) else name_or_schema
    dtypes = pandas_dtypes(schema)
    columns = {}
    for f in schema["fields"]:
        c = f.get("constraints", {})
        dtype = None if f.get("type") in ("date", "datetime") else dtypes[f["name"]]
        columns[f["name"]] = pa.Column(dtype, nullable=not c.get("required", False), unique=bool(c.get("unique")),
                                       checks=_field_checks(f), title=f.get("title"),
                                       description=f.get("description"))
    names = [f["name"] for f in schema["fields"]]
    pk = schema.get("primaryKey") or None
    return pa.DataFrameSchema(columns, checks=_cross_checks(names, texts), strict=True, ordered=True,
                              unique=pk if pk and len(pk) > 1 else None)
