"""Command line: build, validate, extract, cite, tables.

Exit codes are part of the interface so scripts and CI can act on them:
0 success, 1 a build or validation failed, 2 bad usage (argparse), 3 extract
finished but skipped some files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXIT_FAILED = 1
EXIT_SKIPPED = 3


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from .extract.build import BuildError, build_collection, iter_collections
    from .extract.package import PackageError
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
    for name in names:
        try:
            out = build_collection(seeds / name, out_root / name)
        except (BuildError, PackageError) as e:
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
        errors = validate_package(target, docs_root=args.docs)
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

    try:
        skipped = extract_folder(args.dir, args.out, jobs=args.jobs)
    except (BuildError, PackageError) as e:
        _err(f"error: {e}")
        return EXIT_FAILED
    print(f"wrote {args.out}")
    if skipped:
        _err(f"skipped {len(skipped)} file(s) in {args.dir}:")
        for name, reason in skipped:
            _err(f"  {name}: {reason}")
        return EXIT_SKIPPED
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    from .citation import cite

    text = cite(args.format)
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
                       description="Validate a package (default: every shipped collection): Frictionless, pandera, "
                                   "hashes, foreign keys, and quotes against the documents when they are at hand.")
    v.add_argument("path", nargs="?", metavar="PATH", help="package folder holding datapackage.json")
    v.add_argument("--docs", metavar="DIR", help="folder the sources' paths are relative to, to check quotes")
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("extract", help="extract figures from a folder of .txt files",
                       description="Extract figures from every .txt in DIR into a data package at OUT. Unreadable "
                                   "files are skipped and listed on stderr (exit code 3).")
    e.add_argument("dir", metavar="DIR", help="folder of .txt documents (an optional sources.csv adds metadata)")
    e.add_argument("--out", required=True, metavar="OUT", help="package folder to write (replaced atomically)")
    e.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    e.set_defaults(func=cmd_extract)

    c = sub.add_parser("cite", help="print how to cite the dataset", description="Print the citation.")
    c.add_argument("--format", choices=["text", "apa", "bibtex", "cff"], default="text", help="default: text")
    c.set_defaults(func=cmd_cite)

    t = sub.add_parser("tables", help="list the tables of the shipped collections",
                       description="List the tables of each shipped collection (or of --collection).")
    t.add_argument("--collection", metavar="NAME", help="only this collection")
    t.set_defaults(func=cmd_tables)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "jobs", 1) < 1:
        parser().error("--jobs must be at least 1")
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
