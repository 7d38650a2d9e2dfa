"""The README is for users and stays true: short, every command in it, its quickstart prints what it shows, and
its links lead somewhere (sqlite-utils' test_docs.py does the same for its docs)."""

from __future__ import annotations

import re
import subprocess
import sys

from displacement_figures.cli import parser

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _subcommands() -> list[str]:
    action = next(a for a in parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(action.choices)


def test_readme_is_short():
    assert len(README.encode("utf-8")) <= 15_000, "README.md is for users: move detail into docs/"


def test_every_command_is_in_the_readme_command_table():
    table = README[README.index("## Command line"):]
    table = table[:table.index("\n## ", 1)]
    missing = [c for c in _subcommands() if f"| `displacement-figures {c}" not in table]
    assert not missing, f"add a row to the README's command table for: {', '.join(missing)}"


def test_readme_names_the_setup_and_test_commands():
    """CI runs `make test`; `make dataset` and `make test` are the two set-up commands the README gives."""
    assert "make dataset" in README and "make test" in README and "pip install" in README


def test_quickstart_prints_what_the_readme_shows():
    quick = README[README.index("## Quickstart"):]
    code = re.search(r"```python\n(.*?)```", quick, re.DOTALL).group(1)
    shown = re.search(r"prints\n\n```\n(.*?)```", quick, re.DOTALL).group(1)
    assert len(code.strip().splitlines()) <= 5
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert run.stdout.rstrip() == shown.rstrip(), (
        "the README's quickstart output is stale; paste what it prints now:\n" + run.stdout)


def test_relative_links_lead_to_files():
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README)
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    assert local and not [link for link in local if not (REPO / link).exists()]


def test_the_collection_is_described_with_its_real_counts():
    import displacement_figures as dfig

    figures, facts = dfig.load("figures"), dfig.load("facts")
    counts, review = figures["category"].value_counts(), figures["review"].value_counts()
    text = " ".join(README.split())
    stated = [(f"**{len(figures)} figures** ({counts['displacement']} displacement, {counts['casualties']} casualties, "
              f"{counts['population']} population, {counts['distance']} distances) reconciled into "
              f"**{len(facts)} facts**"),
              f"({review['verified']} verified as extracted, {review['corrected']} corrected)"]
    missing = [s for s in stated if s not in text]
    assert not missing, "update the README's description of the shipped collection: " + " / ".join(missing)


def test_the_install_line_names_this_version():
    import displacement_figures as dfig

    assert f"pip install displacement_figures-{dfig.__version__}-py3-none-any.whl" in README
