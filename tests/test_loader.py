"""load() and friends: typed exactly as the Table Schemas say, for shipped and built packages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import displacement_figures as dfig
from displacement_figures import schema as tschema


def _check_dtypes(df: pd.DataFrame, table_schema: dict) -> None:
    assert list(df.columns) == [f["name"] for f in table_schema["fields"]]
    for f in table_schema["fields"]:
        dtype, enum = df[f["name"]].dtype, f.get("constraints", {}).get("enum")
        kind = f.get("type", "string")
        if kind == "string" and enum:
            assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == enum, f["name"]
        elif kind == "string":
            assert dtype == "string", f["name"]
        elif kind == "integer":
            assert dtype == "Int64", f["name"]
        elif kind == "number":
            assert dtype == "Float64", f["name"]
        elif kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype), f["name"]
        elif kind == "boolean":
            assert dtype == "boolean", f["name"]


def test_every_shipped_collection_loads_typed():
    collections = dfig.list_collections()
    assert collections, "no built collection in datasets/: run `make dataset`"
    for c in collections:
        assert dfig.list_tables(c) == tschema.table_names()
        for name in dfig.list_tables(c):
            df = dfig.load(name, c)
            _check_dtypes(df, tschema.table_schema(name))
            tschema.pandera_schema(name).validate(df)
        views = [t["name"] for t in tschema.tables() if t.get("from") == "figures"]
        assert len(dfig.load("figures", c)) == sum(len(dfig.load(n, c)) for n in views)


def test_load_from_a_path(built: Path):
    for name in tschema.table_names():
        _check_dtypes(dfig.load(name, path=built), tschema.table_schema(name))
    assert dfig.load("sources", path=built)["encoding"].eq("utf-8").all()


def test_metadata_version():
    for c in dfig.list_collections():
        assert dfig.metadata(c)["version"] == dfig.__version__


def test_unknown_names_raise():
    with pytest.raises(LookupError, match="no collection"):
        dfig.load("figures", "no-such-collection")
    with pytest.raises(LookupError, match="no table"):
        dfig.load("no-such-table")


def test_views_rename_with_unit():
    fields = {f["name"]: f for f in tschema.table_schema("distance")["fields"]}
    assert "value" not in fields and fields["value_km"]["type"] == "number"
    assert "(km)" in fields["value_km"]["title"] and "kilometres" in fields["value_km"]["description"]
    assert fields["value_km_low"]["constraints"] == {"minimum": 0}
    assert tschema.table_schema("distance")["foreignKeys"][0]["reference"] == {"resource": "figures",
                                                                              "fields": ["figure_id"]}
