"""Command line: build, validate, extract, cite, tables, plot, export, diff, review.

Exit codes are part of the interface so scripts and CI can act on them:
0 success, 1 a build or validation failed, 2 bad usage (argparse), 3 extract
finished but skipped some files.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__

EXIT_FAILED = 1
EXIT_SKIPPED = 3


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .extract.build import BuildError, build_collection, iter_collections
    from .extract.package import PackageError
    from .outputs import OutputRefused
    from .paths import repo_root, seeds_dir

    seeds = Path(args.seeds) if args.seeds else seeds_dir()
    if seeds is None:
        _err("error: no seeds/ folder; `build` runs in a source checkout (or pass --seeds DIR)")
        return EXIT_FAILED
    out_root = Path(args.out) if args.out else (repo_root() or Path.cwd()) / "datasets"
    names = args.collection or [p.name for p in iter_collections(seeds)]
    if not names:
        _err(f"error: no collections (folders with a sources.csv) in {seeds}")
        return EXIT_FAILED
    from .extract.build import unsafe_name

    for name in names:
        if unsafe_name(name):
            _err(f"error: collection {name!a} {unsafe_name(name)}")
            return EXIT_FAILED
    for name in names:
        try:
            out = build_collection(seeds / name, out_root / name)
        except (BuildError, PackageError, OutputRefused) as e:
            _err(f"error: {e}")
            return EXIT_FAILED
        print(f"built {out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from . import list_collections
    from .extract.build import validate_package
    from .paths import datasets_dir

    if args.path:
        targets = [Path(args.path)]
    else:
        root = datasets_dir()
        targets = [root / c for c in list_collections()] if root else []
        if not targets:
            _err("error: no built collections to validate; run `displacement-figures build` first")
            return EXIT_FAILED
    status = 0
    for target in targets:
        errors = validate_package(target, docs_root=args.docs, frictionless=True)
        if errors:
            status = EXIT_FAILED
            _err(f"{target}: {len(errors)} problem(s)")
            for e in errors:
                _err(f"  {e}")
        else:
            print(f"{target}: valid")
    return status


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract.build import BuildError, extract_folder
    from .extract.package import PackageError
    from .outputs import OutputRefused

    notes: list[tuple[str, str]] = []
    stats: dict = {}
    try:
        skipped = extract_folder(args.dir, args.out, jobs=args.jobs, notes=notes, one_event=args.one_event,
                                 title=args.title, stats=stats)
    except (BuildError, PackageError, OutputRefused) as e:
        _err(f"error: {e}")
        return EXIT_FAILED
    print(f"wrote {args.out}")
    for name, note in notes:  # extracted, so not an error: said on stdout with what was done
        print(f"note: {name}: {note}")
    if skipped:
        _err(f"skipped {len(skipped)} file(s) in {args.dir}, not extracted:")
        for name, reason in skipped:
            _err(f"  {name}: {reason}")
    print(summary_line(stats, len(skipped)))
    return EXIT_SKIPPED if skipped else 0


def summary_line(stats: dict, skipped: int) -> str:
    """One closing line: documents read by format, figures written, files skipped."""
    formats = stats.get("formats", {})
    n = sum(formats.values())
    by = ", ".join(f"{count} {kind}" for kind, count in sorted(formats.items(), key=lambda kv: (-kv[1], kv[0])))
    figures = stats.get("figures", 0)
    return (f"read {n} document{'s' * (n != 1)}" + (f" ({by})" if by else "")
            + f", wrote {figures} figure{'s' * (figures != 1)}, skipped {skipped} file{'s' * (skipped != 1)}")


def cmd_cite(args: argparse.Namespace) -> int:
    from .citation import cite

    try:
        text = cite(args.format, args.collection)
    except LookupError as e:
        _err(f"error: {e.args[0]}")
        return 1
    print(text, end="" if text.endswith("\n") else "\n")
    return 0


def cmd_tables(args: argparse.Namespace) -> int:
    from . import list_collections, metadata

    collections = [args.collection] if args.collection else list_collections()
    if not collections:
        from .schema import tables

        for t in tables():
            print(f"{t['name']}\t{t.get('title', '')}")
        return 0
    for c in collections:
        for r in metadata(c)["resources"]:
            print(f"{c}\t{r['name']}\t{r.get('title', '')}")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    import json

    from .diff import DiffError, diff_packages, format_report, version_problem

    try:
        result = diff_packages(args.old, args.new)
    except DiffError as e:
        _err(f"error: {e}")
        return EXIT_FAILED
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_report(result), end="")
    if args.check_version is not None:
        problem = version_problem(result, args.check_version or None)
        if problem:
            _err(f"error: {problem}")
            return EXIT_FAILED
    return 0


def _package(args: argparse.Namespace) -> Path | None:
    """The package folder a command works on: --path, else the shipped --collection."""
    from . import DEFAULT_COLLECTION, _package_dir

    try:
        return _package_dir(args.collection or DEFAULT_COLLECTION, args.path)
    except (LookupError, FileNotFoundError, ValueError) as e:
        _err(f"error: {e}")
        return None


def _write_from_package(args: argparse.Namespace, write: Callable[[Path], list[Path]],
                        errors: tuple[type[Exception], ...] = ()) -> int:
    """Run ``write`` on the package a command names and say each file it wrote; a refused --out, or one of
    ``errors``, is an error (exit 1) with nothing written."""
    from .outputs import OutputRefused

    package = _package(args)
    if package is None:
        return EXIT_FAILED
    try:
        written = write(package)
    except (OutputRefused, *errors) as e:
        _err(f"error: {e}")
        return EXIT_FAILED
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from .outputs import staged_output_dir
    from .plot import write_charts

    def charts(package: Path) -> list[Path]:
        with staged_output_dir(args.out, inputs=[package]) as tmp:
            drawn = write_charts(package, tmp)
        return [Path(args.out) / (chart["name"] + ".png") for chart in drawn]

    return _write_from_package(args, charts)


def cmd_export(args: argparse.Namespace) -> int:
    from .export import ExportError, to_hxl_csv, to_xlsx
    from .outputs import staged_output_dir, staged_output_file

    def export(package: Path) -> list[Path]:
        if args.format == "xlsx":
            with staged_output_file(args.out, inputs=[package]) as tmp:
                to_xlsx(package, tmp)
            return [Path(args.out)]
        with staged_output_dir(args.out, inputs=[package]) as tmp:
            written = to_hxl_csv(package, tmp)
        return [Path(args.out) / path.name for path in written]

    return _write_from_package(args, export, (ExportError,))


def cmd_review(args: argparse.Namespace) -> int:
    from .review import ReviewPageError, write_review_page

    return _write_from_package(args, lambda package: [write_review_page(package, args.out)], (ReviewPageError,))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="displacement-figures",
        description="Figures from news reports as Frictionless data packages, with a citation per value.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build datasets/<collection>/ from seeds/<collection>/",
                       description="Build each collection's data package from its seeds (all collections by "
                                   "default). Refuses changed, unlisted or non-UTF-8 documents.")
    b.add_argument("--collection", action="append", metavar="NAME", help="collection to build (repeatable)")
    b.add_argument("--seeds", metavar="DIR", help="seeds folder (default: seeds/ of the checkout)")
    b.add_argument("--out", metavar="DIR", help="datasets folder (default: datasets/ of the checkout)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="validate a data package",
                       description="Validate a package (default: every shipped collection): the build's own streaming "
                                   "checks (types, constraints, keys, foreign keys, hashes, and quotes against the "
                                   "documents when they are at hand), then Frictionless's.")
    v.add_argument("path", nargs="?", metavar="PATH", help="package folder holding datapackage.json")
    v.add_argument("--docs", metavar="DIR", help="folder the sources' paths are relative to, to check quotes")
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("extract", help="extract figures from a folder of documents",
                       description="Extract figures from every document under DIR (.txt, .md, .html, .htm, .pdf, "
                                   ".docx, in subfolders too) into a data package at OUT. Files that cannot be read "
                                   "are skipped and listed on stderr with their reason (exit code 3).")
    e.add_argument("dir", metavar="DIR", help="folder of documents (an optional sources.csv adds metadata)")
    e.add_argument("--title", metavar="TEXT", help="title of the package (default: the folder's name)")
    e.add_argument("--out", required=True, metavar="OUT",
                   help="package folder to write: new, empty, or one this tool wrote (replaced atomically)")
    e.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    e.add_argument("--one-event", action="store_true",
                   help="the documents report one event: figures that state no place may join across documents "
                        "(default: only figures stating the same place, or documents of one sources.csv event)")
    e.set_defaults(func=cmd_extract)

    c = sub.add_parser("cite", help="print how to cite the dataset", description="Print the citation.")
    c.add_argument("--format", choices=["text", "apa", "bibtex", "cff"], default="text", help="default: text")
    c.add_argument("--collection", default="syria-2024-12", metavar="NAME", help="collection to cite (default: syria-2024-12)")
    c.set_defaults(func=cmd_cite)

    t = sub.add_parser("tables", help="list the tables of the shipped collections",
                       description="List the tables of each shipped collection (or of --collection).")
    t.add_argument("--collection", metavar="NAME", help="only this collection")
    t.set_defaults(func=cmd_tables)

    pl = sub.add_parser("plot", help="draw the charts of a package as PNGs",
                        description="Draw facts.png (every fact's range, claims coloured by outlet) and "
                                    "figures_by_source.png into OUT.")
    pl.add_argument("--out", required=True, metavar="OUT", help="folder to write the PNGs into")
    x = sub.add_parser("export", help="export a package as an Excel workbook or HXL-tagged CSVs",
                       description="xlsx: one workbook with an About sheet and a sheet per table. hxl-csv: one CSV "
                                   "per table with the HXL hashtag row under the header.")
    x.add_argument("--format", required=True, choices=["xlsx", "hxl-csv"], help="xlsx or hxl-csv")
    x.add_argument("--out", required=True, metavar="OUT", help="workbook file (xlsx) or folder (hxl-csv)")
    rv = sub.add_parser("review", help="write the review page of a package (one self-contained HTML file)",
                        description="Write one HTML file (no network needed) showing each document with its "
                                    "figures highlighted, a filterable table of figures, the facts with conflicts "
                                    "first, and per figure the decision line for the collection's review.csv.")
    rv.add_argument("--out", required=True, metavar="FILE", help="HTML file to write (never over a file this tool "
                                                                  "did not write)")
    for sp, func in ((pl, cmd_plot), (x, cmd_export), (rv, cmd_review)):
        where = sp.add_mutually_exclusive_group()
        where.add_argument("--collection", metavar="NAME", help="a shipped collection (default: syria-2024-12)")
        where.add_argument("--path", metavar="DIR", help="a package folder holding datapackage.json")
        sp.set_defaults(func=func)

    d = sub.add_parser("diff", help="compare two built packages and say which version bump the change needs",
                       description="Compare two data packages (folders or zips): resources, fields, types, "
                                   "constraints, metadata, and rows matched by primary key. Says whether the change "
                                   "needs a MAJOR, MINOR or PATCH version (Data Package Version recipe).")
    d.add_argument("old", metavar="OLD", help="the earlier package: folder with datapackage.json, or zip")
    d.add_argument("new", metavar="NEW", help="the later package: folder with datapackage.json, or zip")
    d.add_argument("--json", action="store_true", help="print the comparison as JSON")
    d.add_argument("--check-version", nargs="?", const="", metavar="X.Y.Z",
                   help="exit 1 when X.Y.Z (default: NEW's version) is too low for the change since OLD's version")
    d.set_defaults(func=cmd_diff)
    return p


# The cyclic garbage collector's first threshold while a command runs (Python's default: 700). A command makes
# container objects by the hundred thousand (rows, cells, claims), nearly all freed by reference counting when their
# batch is written; at 700 the collector ran about 400 times on 10 MB of news, traversing the live ones each time,
# 1.5% of the run. At 10,000 it runs about 20 times; the pipeline makes no reference cycles to wait for.
COLLECT_EVERY = 10_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's thresholds for a command's run, the caller's again after it (tests call :func:`main`)."""
    before = gc.get_threshold()
    gc.set_threshold(COLLECT_EVERY, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "jobs", 1) < 1:
        parser().error("--jobs must be at least 1")
    with _fewer_collections():
        return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
