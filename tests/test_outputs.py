"""--out never destroys what this tool did not write: one test per case, on real folders.

Each refusal exits 1 with a message naming the reason, and leaves every file where it was (a user's thesis.docx
survives); a folder the tool wrote before is replaced atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from displacement_figures import __version__
from displacement_figures.cli import main
from displacement_figures.outputs import (
    GENERATOR,
    MARKER,
    OutputRefused,
    check_output_dir,
    staged_output_dir,
    write_marker,
)

from conftest import COLLECTION, tree_digest

REPORT = "Floods in Dadu: at least 1,200 people were displaced on 3 July 2024, officials said.\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    (d / "dadu.txt").write_text(REPORT, encoding="utf-8")
    return d


def snapshot(root: Path) -> dict[str, str]:
    return tree_digest(root)


def refused(capsys, argv: list[str], why: str) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "error: --out" in err and why in err, err


def test_extract_refuses_a_folder_of_the_users_files(docs: Path, tmp_path: Path, capsys):
    out = tmp_path / "somefolder"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"my thesis")
    before = snapshot(tmp_path)
    refused(capsys, ["extract", str(docs), "--out", str(out)], "did not write")
    assert (out / "thesis.docx").read_bytes() == b"my thesis"
    assert snapshot(tmp_path) == before  # no temporary folder left either


def test_extract_refuses_the_input_folder(docs: Path, tmp_path: Path, capsys):
    before = snapshot(tmp_path)
    refused(capsys, ["extract", str(docs), "--out", str(docs)], "is the input folder")
    assert snapshot(tmp_path) == before


def test_extract_refuses_a_folder_holding_the_input(docs: Path, tmp_path: Path, capsys):
    before = snapshot(tmp_path)
    refused(capsys, ["extract", str(docs), "--out", str(tmp_path)], "holds the input")
    assert snapshot(tmp_path) == before


def test_extract_refuses_a_path_inside_the_input(docs: Path, tmp_path: Path, capsys):
    before = snapshot(tmp_path)
    refused(capsys, ["extract", str(docs), "--out", str(docs / "out")], "is inside the input")
    assert not (docs / "out").exists() and snapshot(tmp_path) == before


def test_extract_refuses_a_file(docs: Path, tmp_path: Path, capsys):
    out = tmp_path / "thesis.docx"
    out.write_bytes(b"my thesis")
    refused(capsys, ["extract", str(docs), "--out", str(out)], "is a file")
    assert out.read_bytes() == b"my thesis"


def test_extract_replaces_its_own_package_and_writes_into_an_empty_folder(docs: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["extract", str(docs), "--out", str(out)]) == 0
    assert (out / "datapackage.json").is_file() and (out / MARKER).is_file()
    assert main(["extract", str(docs), "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "reports"]  # no temporary folder left


def test_extract_refuses_its_own_package_once_a_user_file_is_in_it(docs: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(docs), "--out", str(out)]) == 0
    (out / "data" / "my-notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    refused(capsys, ["extract", str(docs), "--out", str(out)], "data/my-notes.txt")
    assert snapshot(tmp_path) == before


def test_build_refuses_a_collection_folder_it_did_not_write(seeds_copy: Path, tmp_path: Path, capsys):
    target = tmp_path / "datasets" / COLLECTION
    target.mkdir(parents=True)
    (target / "thesis.docx").write_bytes(b"my thesis")
    refused(capsys, ["build", "--seeds", str(seeds_copy.parent), "--out", str(tmp_path / "datasets")],
            "did not write")
    assert (target / "thesis.docx").read_bytes() == b"my thesis"


def test_build_refuses_its_seeds_as_output(seeds_copy: Path, capsys):
    before = snapshot(seeds_copy.parent)
    refused(capsys, ["build", "--seeds", str(seeds_copy.parent), "--out", str(seeds_copy.parent)],
            "is the input folder")
    assert snapshot(seeds_copy.parent) == before


def test_plot_refuses_a_folder_of_the_users_files_and_replaces_its_own(built: Path, tmp_path: Path, capsys):
    out = tmp_path / "charts"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"my thesis")
    refused(capsys, ["plot", "--path", str(built), "--out", str(out)], "did not write")
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]
    mine = tmp_path / "mine"
    assert main(["plot", "--path", str(built), "--out", str(mine)]) == 0
    assert main(["plot", "--path", str(built), "--out", str(mine)]) == 0
    assert sorted(p.name for p in mine.iterdir()) == [MARKER, "facts.png", "figures_by_source.png"]


def test_plot_refuses_a_folder_inside_the_package(built: Path, capsys):
    before = snapshot(built)
    refused(capsys, ["plot", "--path", str(built), "--out", str(built / "charts")], "is inside the input")
    assert snapshot(built) == before


def test_export_xlsx_refuses_a_file_it_did_not_write_and_replaces_its_own(built: Path, tmp_path: Path, capsys):
    theirs = tmp_path / "budget.xlsx"
    theirs.write_bytes(b"their workbook")
    refused(capsys, ["export", "--path", str(built), "--format", "xlsx", "--out", str(theirs)], "did not write")
    assert theirs.read_bytes() == b"their workbook"
    mine = tmp_path / "figures.xlsx"
    assert main(["export", "--path", str(built), "--format", "xlsx", "--out", str(mine)]) == 0
    assert main(["export", "--path", str(built), "--format", "xlsx", "--out", str(mine)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.xlsx", "figures.xlsx"]


def test_export_hxl_refuses_a_folder_of_the_users_files(built: Path, tmp_path: Path, capsys):
    out = tmp_path / "hxl"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"my thesis")
    refused(capsys, ["export", "--path", str(built), "--format", "hxl-csv", "--out", str(out)], "did not write")
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_a_failed_write_leaves_the_previous_output_and_no_temporary_folder(tmp_path: Path):
    out = tmp_path / "out"
    with staged_output_dir(out) as tmp:
        (tmp / "a.txt").write_text("first", encoding="utf-8")
    with pytest.raises(RuntimeError), staged_output_dir(out) as tmp:
        (tmp / "a.txt").write_text("second", encoding="utf-8")
        raise RuntimeError("the write failed")
    assert (out / "a.txt").read_text(encoding="utf-8") == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_link_as_output_is_refused(tmp_path: Path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputRefused, match="symbolic link"):
        check_output_dir(tmp_path / "link")


def test_a_table_the_marker_does_not_list_but_the_descriptor_names_is_the_tools(docs: Path, tmp_path: Path, capsys):
    """A package merged from two versions holds a table its marker does not list: its descriptor names it."""
    import json

    out = tmp_path / "out"
    assert main(["extract", str(docs), "--out", str(out)]) == 0
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    marker["files"].remove("data/facts.csv")
    (out / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    assert main(["extract", str(docs), "--out", str(out)]) == 0


def _listed_plainly(folder: Path) -> list[str]:
    """The files under ``folder`` as os.walk lists them (links to folders listed, not followed), sorted."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        rel = os.path.relpath(root, folder)
        prefix = "" if rel == os.curdir else rel.replace(os.sep, "/") + "/"
        found += [prefix + name for name in files]
        found += [prefix + d for d in dirs if os.path.islink(os.path.join(root, d))]
    return sorted(found)


@pytest.mark.parametrize("names", [[], ["a.txt"], ["a-b/x", "a/b", "a.b", "a/c/d", "a b/é\"'\\.txt", "z/y/x/w",
                                                   "data/facts.csv", "datapackage.json", "texts/0.txt", "-"]])
def test_the_marker_lists_every_file_as_json_dumps_would(tmp_path: Path, names: list[str]):
    """write_marker writes a name at a time what json.dumps of the sorted list wrote (links included)."""
    folder = tmp_path / "pkg"
    folder.mkdir()
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x", encoding="utf-8")
    if names:
        (folder / "link-to-folder").symlink_to(folder / "z" if "z/y/x/w" in names else folder)
        (folder / "broken").symlink_to(folder / "nowhere")
    write_marker(folder)
    expected = {"generator": GENERATOR, "version": __version__,
                "files": [f for f in _listed_plainly(folder) if f != MARKER]}
    assert (folder / MARKER).read_text(encoding="utf-8") == json.dumps(expected, indent=1) + "\n"
