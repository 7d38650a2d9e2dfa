"""Charts, the Excel workbook and HXL CSVs, each read back by the tool a user would open it with."""

from __future__ import annotations

import csv
import itertools
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import displacement_figures as dfig
from displacement_figures import schema as tschema
from displacement_figures.cli import main
from displacement_figures.export import to_hxl_csv, to_xlsx
from displacement_figures.plot import write_charts

HXL_TAG = re.compile(r"#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*")


# ---------------------------------------------------------------- charts

def test_build_draws_and_lists_the_charts(built: Path):
    d = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in d["charts"]] == ["facts", "figures_by_source"]
    readme = (built / "README.md").read_text(encoding="utf-8")
    for c in d["charts"]:
        assert (built / c["path"]).read_bytes().startswith(b"\x89PNG")
        assert f"]({c['path']})" in readme


def test_charts_are_deterministic_and_fit_a_readme(built: Path, tmp_path: Path):
    from matplotlib import image

    write_charts(built, tmp_path / "a")
    write_charts(built, tmp_path / "b")
    for name in ("facts", "figures_by_source"):
        data = (tmp_path / "a" / f"{name}.png").read_bytes()
        assert data == (tmp_path / "b" / f"{name}.png").read_bytes() == (built / "charts" / f"{name}.png").read_bytes()
        height, width = image.imread(tmp_path / "a" / f"{name}.png").shape[:2]
        assert 600 <= width <= 1000 and height <= 1400, (name, width, height)


def test_facts_chart_labels_do_not_overlap(built: Path):
    from displacement_figures.plot import _read, facts_chart

    frames = {n: _read(built, n) for n in ("facts", "fact_figures", "figures", "sources")}
    fig = facts_chart(frames["facts"], frames["fact_figures"], frames["figures"], frames["sources"])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
        for a, b in itertools.pairwise(boxes):
            assert not a.overlaps(b)
        assert ax.get_xlabel()  # every axis says its unit
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_plot_command(built: Path, tmp_path: Path, capsys):
    assert main(["plot", "--path", str(built), "--out", str(tmp_path / "charts")]) == 0
    assert sorted(p.name for p in (tmp_path / "charts").iterdir() if p.name != ".displacement-figures") == [
        "facts.png", "figures_by_source.png"]


# ---------------------------------------------------------------- xlsx

def test_xlsx_has_an_about_sheet_and_every_table(built: Path, tmp_path: Path):
    from openpyxl import load_workbook

    out = tmp_path / "figures.xlsx"
    assert main(["export", "--path", str(built), "--format", "xlsx", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["About", *tschema.table_names()]
    about = [[c for c in row if c is not None] for row in wb["About"].iter_rows(values_only=True)]
    text = "\n".join(" ".join(str(c) for c in row) for row in about)
    assert f"Version {dfig.__version__}" in text and "CC-BY-4.0" in text and dfig.cite("text") in text
    for name in tschema.table_names():
        for f in tschema.table_schema(name)["fields"]:
            assert [name, f["name"], f.get("type", "string")] == next(
                r[:3] for r in about if r[:2] == [name, f["name"]])
    sheets = pd.read_excel(out, sheet_name=None)
    for name in tschema.table_names():
        csv_df = pd.read_csv(built / "data" / f"{name}.csv", keep_default_na=False, na_values=[""])
        assert list(sheets[name].columns) == list(csv_df.columns)
        assert len(sheets[name]) == len(csv_df)
    facts = sheets["facts"]
    assert pd.api.types.is_numeric_dtype(facts["high"]) and pd.api.types.is_integer_dtype(facts["n_sources"])
    assert pd.api.types.is_datetime64_any_dtype(sheets["sources"]["published"])


def test_no_xlsx_cell_is_a_formula(built: Path, tmp_path: Path):
    """Even a tampered package whose text starts with '=' gives text cells, never formulas."""
    from openpyxl import load_workbook

    pkg = tmp_path / "pkg"
    shutil.copytree(built, pkg)
    figures = pkg / "data" / "figures.csv"
    rows = list(csv.reader(figures.open(encoding="utf-8", newline="")))
    col = rows[0].index("attributed_to")
    rows[1][col] = "=HYPERLINK(\"http://example.org\")"
    rows[2][col] = "@SUM(1)"
    with figures.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    wb = load_workbook(to_xlsx(pkg, tmp_path / "x.xlsx"))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    assert wb["figures"].cell(2, col + 1).value.startswith("=HYPERLINK")


# ---------------------------------------------------------------- HXL

def test_every_field_has_a_valid_hxl_hashtag():
    for name in tschema.table_names():
        for f in tschema.table_schema(name)["fields"]:
            assert "hxl" in f and HXL_TAG.fullmatch(f["hxl"]), (name, f["name"], f.get("hxl"))


@pytest.mark.parametrize("table, tags", [
    ("sources", ["#meta+source", "#date+reported"]),
    ("displacement", ["#affected+displaced+ind", "#loc+name"]),
    ("casualties", ["#affected+casualties"]),
    ("population", ["#population"]),
    ("facts", ["#indicator+num+best", "#status"]),
])
def test_hxl_csv_reads_in_libhxl(built: Path, tmp_path: Path, table: str, tags: list[str]):
    import hxl

    assert main(["export", "--path", str(built), "--format", "hxl-csv", "--out", str(tmp_path)]) == 0
    source = hxl.data(str(tmp_path / f"{table}.csv"), hxl.InputOptions(allow_local=True))
    columns = [c.display_tag for c in source.columns]
    header = [c.header for c in source.columns]
    assert header == [f["name"] for f in tschema.table_schema(table)["fields"]]
    for tag in tags:
        assert any(hxl.TagPattern.parse(tag).match(c) for c in source.columns), (tag, columns)
    rows = list(source)
    expected = dfig.load(table, path=built)
    if "unit" in expected and table == "displacement":
        expected = expected[expected["unit"] == "person"]
    assert len(rows) == len(expected)


def test_hxl_tags_dwellings_and_households_apart_from_people(tmp_path: Path):
    """An HXL column has one tag: houses and households are written apart, never summed as displaced people."""
    import hxl

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The storm destroyed 1,200 houses. Some 300 families were evacuated. About 5,000 "
                                "people fled the town.\n", encoding="utf-8")
    assert main(["extract", str(docs), "--out", str(tmp_path / "pkg")]) == 0
    to_hxl_csv(tmp_path / "pkg", tmp_path)
    table = dfig.load("displacement", path=tmp_path / "pkg")
    tags = {"person": "#affected+displaced+ind", "household": "#affected+displaced+hh", "dwelling": "#indicator+dwellings"}
    total = 0
    for unit, tag in tags.items():
        path = tmp_path / ("displacement.csv" if unit == "person" else f"displacement_{unit}.csv")
        source = hxl.data(str(path), hxl.InputOptions(allow_local=True))
        value = next(c for c in source.columns if c.header == "value")
        assert value.display_tag == tag, (unit, value.display_tag)
        rows = list(source)
        assert {r.get("#indicator+unit") for r in rows} <= {unit}
        total += len(rows)
    assert total == len(table) and set(table["unit"]) == {"person", "household", "dwelling"}


def test_hxl_values_match_the_package(built: Path, tmp_path: Path):
    import hxl

    to_hxl_csv(built, tmp_path)
    rows = list(hxl.data(str(tmp_path / "population.csv"), hxl.InputOptions(allow_local=True)))
    expected = dfig.load("population", path=built)
    got = [r.get("#population") for r in rows]
    assert [float(v) if v else None for v in got] == [
        None if pd.isna(v) else float(v) for v in expected["value"]]


def test_no_csv_cell_of_any_table_starts_like_a_formula(built: Path):
    for path in sorted((built / "data").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.reader(f), start=1):
                for cell in row:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, n, cell)


def test_a_correction_reason_starting_like_a_formula_is_refused(seeds_copy: Path):
    from displacement_figures.extract.build import build_collection
    from displacement_figures.extract.package import PackageError

    fig = dfig.load("figures")["figure_id"].iloc[0]
    (seeds_copy / "corrections.csv").write_text(
        f"figure_id,action,field,value,reason\n{fig},separate,,,=HYPERLINK(\"x\")\n", encoding="utf-8")
    with pytest.raises(PackageError, match="formula"):
        build_collection(seeds_copy, seeds_copy.parent.parent / "datasets" / seeds_copy.name)


# ---------------------------------------------------------------- a large package

@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    """A package of 300 generated reports: about 1,900 figures, 400 facts, 300 sources without outlets."""
    from large_corpus import write_corpus

    root = tmp_path_factory.mktemp("large")
    assert main(["extract", str(write_corpus(root / "docs", 300)), "--out", str(root / "pkg")]) == 0
    return root / "pkg"


def test_charts_of_a_large_package_stay_bounded_and_readable(large: Path, tmp_path: Path):
    from matplotlib import image

    from displacement_figures.plot import MAX_FACTS, MAX_OUTLETS, MAX_PIXELS, _read, facts_chart

    assert len(dfig.load("facts", path=large)) > 2 * MAX_FACTS and len(dfig.load("sources", path=large)) > 2 * MAX_OUTLETS
    write_charts(large, tmp_path)
    for name in ("facts", "figures_by_source"):
        height, width = image.imread(tmp_path / f"{name}.png").shape[:2]
        assert width <= MAX_PIXELS and height <= MAX_PIXELS, (name, width, height)
    frames = {n: _read(large, n) for n in ("facts", "fact_figures", "figures", "sources")}
    fig = facts_chart(frames["facts"], frames["fact_figures"], frames["figures"], frames["sources"], large)
    rows = sum(len([t for t in ax.get_yticklabels() if t.get_text()]) for ax in fig.axes)
    assert rows == MAX_FACTS and f"of {len(frames['facts']):,} facts" in fig.axes[0].get_title(loc="left")


def test_bars_are_labelled_by_outlet_or_headline_never_by_id(built: Path):
    import matplotlib.pyplot as plt

    from displacement_figures.plot import _read, figures_by_source_chart

    sources = _read(built, "sources")
    fig = figures_by_source_chart(_read(built, "figures"), sources, built)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    assert len(labels) == len(sources)
    assert "News Mania Desk" in labels and any(label.startswith("Tens of thousands flee") for label in labels)
    assert not any(sid in label or sid[4:] in label for sid in sources["source_id"] for label in labels)


def test_xlsx_wraps_long_text_and_groups_thousands(large: Path, tmp_path: Path):
    """Streamed workbook of a large package: long text wraps, counts show thousands separators, offsets do not,
    and the About sheet's values span a wide wrapped column."""
    from openpyxl import load_workbook

    wb = load_workbook(to_xlsx(large, tmp_path / "large.xlsx"))
    figures = wb["figures"]
    header = [c.value for c in figures[1]]
    row = {name: cell for name, cell in zip(header, figures[2], strict=True)}
    for name in ("quote", "sentence"):
        assert row[name].alignment.wrap_text, name
        assert figures.column_dimensions[row[name].column_letter].width >= 50
    assert row["value"].number_format == "#,##0" and row["value"].value >= 100
    assert row["char_start"].number_format == "General"
    assert figures.freeze_panes == "A2" and figures.auto_filter.ref.endswith(str(figures.max_row))
    facts = wb["facts"]
    claims = next(c for c in facts[1] if c.value == "claims").column_letter
    assert facts[f"{claims}2"].alignment.wrap_text
    about = wb["About"]
    assert "B5:D5" in {str(r) for r in about.merged_cells.ranges}  # Description spans B:D
    assert about["B5"].alignment.wrap_text and about.column_dimensions["D"].width >= 80
    assert len(list(wb["figures"].iter_rows())) == len(dfig.load("figures", path=large)) + 1
