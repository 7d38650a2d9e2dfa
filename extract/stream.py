"""The extractor as a function of a stream of documents, for corpora that outgrow one machine.

:func:`~.figures.extract_document` is pure: a document's rows depend on its
text and source id alone. So a corpus of any size can be split into
partitions anywhere, each partition extracted on its own (a Dask or Spark
worker, a batch job), and the results concatenated: they are the rows
``displacement-figures extract`` writes for the same documents.

- :func:`extract_records` turns ``(source_id, text)`` pairs into figure rows,
  lazily, one document at a time;
- :func:`extract_partition` does the same for a pandas DataFrame with
  columns ``source_id`` and ``text`` and returns the ``figures`` table, typed
  by its schema exactly as :func:`displacement_figures.load` reads it: use it
  with Dask's ``map_partitions`` or Spark's ``mapInPandas``;
- :func:`figures_meta` and :func:`spark_schema` describe that output without
  computing it, as those engines ask.

The columns come from ``schemas/`` (the figures Table Schema), never from a
list kept here. No extra dependency: Dask and Spark are the caller's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from displacement_figures import schema as tschema

from .figures import extract_document
from .package import format_cell

if TYPE_CHECKING:
    import pandas as pd

TABLE = "figures"
# Table Schema type -> Spark SQL type, for spark_schema().
SPARK_TYPES = {"string": "string", "number": "double", "integer": "bigint", "boolean": "boolean", "date": "date",
               "datetime": "timestamp"}


def _fields() -> list[dict[str, Any]]:
    return tschema.table_schema(TABLE)["fields"]


def extract_records(records: Iterable[tuple[str, str]]) -> Iterator[dict[str, Any]]:
    """Figure rows of each ``(source_id, text)``, in input order, each document's rows by offset.

    Rows carry exactly the columns of the figures table, in schema order. The
    input is consumed lazily, so a generator over a corpus of any size runs
    in the memory of its largest document.
    """
    names = [f["name"] for f in _fields()]
    for source_id, text in records:
        for row in extract_document(text, source_id):
            yield {n: row.get(n) for n in names}


def figures_frame(rows: Iterable[dict[str, Any]], categories: bool = True) -> pd.DataFrame:
    """Figure rows as a DataFrame typed like the figures table of a package.

    The rows go through the same cell formatting as the package's CSV, so the
    frame equals what :func:`displacement_figures.load` returns for that CSV:
    an empty string is missing, categories are categorical (plain strings when
    ``categories`` is false, for engines without a categorical type).
    """
    schema = tschema.table_schema(TABLE)
    fields = [(f["name"], f.get("type", "string")) for f in schema["fields"]]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([n for n, _ in fields])
    for row in rows:
        writer.writerow([format_cell(row.get(n), t) for n, t in fields])
    buf.seek(0)
    frame = tschema.read_table(buf, schema)
    if not categories:
        frame = frame.astype({c: "string" for c in frame.columns if frame[c].dtype == "category"})
    return frame


def extract_partition(df: pd.DataFrame, categories: bool = True) -> pd.DataFrame:
    """The figures table of a partition of documents: a DataFrame with columns ``source_id`` and ``text``.

    Concatenating the results over any split of a corpus gives the rows of
    one partition holding all of it, in the same order when the partitions
    keep the documents' order.
    """
    return figures_frame(extract_records(zip(df["source_id"], df["text"], strict=True)), categories=categories)


def figures_meta(categories: bool = True) -> pd.DataFrame:
    """An empty figures table with the column names and dtypes of :func:`extract_partition` (Dask's ``meta``)."""
    return figures_frame([], categories=categories)


def spark_schema() -> str:
    """The figures table as a Spark DDL schema string, for ``mapInPandas(..., schema=spark_schema())``."""
    return ", ".join(f"`{f['name']}` {SPARK_TYPES.get(f.get('type', 'string'), 'string')}" for f in _fields())
