"""Charts of a package: where sources agree and where they do not, at a glance.

Two charts, drawn from the package's tables only, so anyone can redraw them
from the CSVs:

- ``facts.png``: every fact as its low-high range, with each claim as a mark
  coloured by outlet (dot: a stated value; triangle: "at least" / "up to";
  bar: a vague or ranged quantity), one panel per unit, status on the right;
- ``figures_by_source.png``: how many figures each outlet reports, by category.

Both stay readable and bounded (never over :data:`MAX_PIXELS` a side) however
large the package: the facts chart draws the :data:`MAX_FACTS` facts that
matter most (conflicts first, then the most reported, then the largest) and
says how many it leaves out; the outlet chart draws the :data:`MAX_OUTLETS`
outlets with the most figures and sums the rest in one bar. Bars and claims
are labelled by outlet, else headline, else the document's opening words:
never by a hash.

PNGs are written without a timestamp or software tag, so the same tables give
the same bytes and CI can check that the charts in the repository are current.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

CHARTS = {
    "facts": "Facts: each quantity's range across sources, claims coloured by outlet",
    "figures_by_source": "Figures per outlet, by category",
}
WIDTH = 9.0  # inches; at DPI this is the README's width
DPI = 100
MAX_PIXELS = 4000  # no chart is wider or taller than this
MAX_FACTS = 30  # rows of the facts chart
MAX_OUTLETS = 15  # bars of the outlet chart; the rest are summed in one
MAX_COLOURED = 7  # outlets with a colour of their own in the facts chart; the others share grey
LABEL_CHARS = 40
UNIT_LABELS = {"person": "people", "household": "households", "dwelling": "dwellings", "km": "kilometres"}
STATUS_COLOURS = {"conflict": "#b2182b", "consistent": "#8c6d31", "agree": "#1a7837", "single_source": "#555555"}
# Colour-blind-safe qualitative palette (Okabe-Ito), cycled when there are more outlets.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CATEGORY_COLOURS = {"displacement": "#0072B2", "casualties": "#D55E00", "population": "#009E73",
                    "distance": "#CC79A7"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9})
    return plt


def _save(fig, path: Path) -> None:
    """Save without metadata that changes between runs; a figure is shrunk first if it could exceed
    :data:`MAX_PIXELS` (the tight bounding box adds only the margins and labels)."""
    width, height = fig.get_size_inches()
    limit = (MAX_PIXELS - 200) / DPI
    if width > limit or height > limit:
        fig.set_size_inches(min(width, limit), min(height, limit))
    fig.savefig(path, dpi=DPI, metadata={"Software": None}, bbox_inches="tight", pad_inches=0.15)


def _short(text: str, n: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def _opening_words(package_dir: Path | None, row: Any) -> str | None:
    """The first words of a document, for a label when sources name neither outlet nor headline. The text is
    looked for where the package stores it (``text_path``, inside the package) or where a curated collection's
    ``path`` points in this checkout (``seeds/...``): never relative to where the package happens to be written,
    so the same package draws the same chart wherever it is built."""
    from .paths import repo_root

    bases = [b for b in (package_dir, repo_root()) if b is not None]
    for column, base in (("text_path", bases[:1]), ("path", bases[1:])):
        rel = getattr(row, column, None)
        if not (isinstance(rel, str) and rel) or Path(rel).is_absolute() or ".." in Path(rel).parts:
            continue
        for candidate in (b / rel for b in base):
            if candidate.is_file():
                with open(candidate, encoding="utf-8", errors="replace") as f:
                    words = " ".join(f.read(400).split())
                return f"“{_short(words, LABEL_CHARS - 2)}”" if words else None
    return None


def _outlets(sources: pd.DataFrame, package_dir: Path | None = None) -> dict[str, str]:
    """source_id -> a short label a reader knows: the outlet, else the headline, else the document's opening
    words, else its file name. Documents of one outlet share its label, so charts count them together."""
    out = {}
    for row in sources.sort_values("source_id").itertuples():
        label = next((_short(v) for v in (getattr(row, "outlet", None), getattr(row, "headline", None))
                      if isinstance(v, str) and v.strip()), None)
        label = label or _opening_words(package_dir, row)
        if not label:
            path = getattr(row, "path", None)
            label = Path(path).name if isinstance(path, str) and path else f"document {row.source_id}"
        out[row.source_id] = label
    return out


def _most_important(facts: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` facts a reader needs first: conflicts, then the most sources and mentions, then the largest."""
    size = facts["high"].where(facts["high"].notna(), facts["best"]).fillna(0)
    ranked = facts.assign(_conflict=(facts["status"] == "conflict").astype(int), _size=size)
    ranked = ranked.sort_values(["_conflict", "n_sources", "n_figures", "_size", "fact_id"],
                                ascending=[False, False, False, False, True], kind="mergesort")
    return ranked.head(n).drop(columns=["_conflict", "_size"])


def _left_out(facts: pd.DataFrame, shown: pd.DataFrame) -> str:
    """One line that summarises the facts not drawn, by status."""
    rest = facts[~facts["fact_id"].isin(shown["fact_id"])]
    counts = rest["status"].astype(str).value_counts()
    parts = [f"{counts[s]:,} {s.replace('_', ' ')}" for s in STATUS_COLOURS if s in counts]
    return (f"Showing {len(shown):,} of {len(facts):,} facts (conflicts first, then the most reported); "
            f"not shown: {', '.join(parts)} (all in the facts table).")


def fact_label(f: Mapping[str, Any]) -> str:
    """A short row label: term, group, place(s), and the flags that keep facts apart."""
    term = str(f["term"]).replace("_", " ")
    parts = [term if f["category"] != "distance" else "distance"]
    if isinstance(f.get("group"), str):
        parts.append(f["group"])
    if isinstance(f.get("origin"), str) or isinstance(f.get("destination"), str):
        parts.append("–".join(str(x) for x in (f.get("origin"), f.get("destination")) if isinstance(x, str)))
    elif isinstance(f.get("location"), str):
        parts.append(f["location"])
    label = ", ".join(parts)
    flags = [x for x in (f.get("measure") if isinstance(f.get("measure"), str) else None,
                         "projected" if f.get("modality") == "projected" else None) if x]
    if flags:
        label += f" ({', '.join(flags)})"
    return label if len(label) <= 48 else label[:47] + "…"


def _claim_marks(ax, y: float, claim: Mapping[str, Any], colour: str) -> None:
    import math

    value, low, high, q = claim["value"], claim["value_low"], claim["value_high"], claim["qualifier"]
    has = [not math.isnan(v) for v in (value, low, high)]
    if q in ("exact", "approximate") and has[0]:
        ax.plot([value], [y], "o", ms=6, color=colour, mec="white", mew=0.6, zorder=3)
    elif q in ("at_least", "more_than") and has[1]:
        ax.plot([low], [y], ">", ms=6, color=colour, zorder=3)
    elif q in ("up_to", "less_than") and has[2]:
        ax.plot([high], [y], "<", ms=6, color=colour, zorder=3)
    elif has[1] and has[2]:
        ax.plot([low, high], [y, y], "-", lw=3, color=colour, alpha=0.8, solid_capstyle="butt", zorder=3)
    elif has[0]:
        ax.plot([value], [y], "o", ms=6, color=colour, zorder=3)


def facts_chart(facts: pd.DataFrame, links: pd.DataFrame, figures: pd.DataFrame, sources: pd.DataFrame,
                package_dir: Path | None = None):
    """Every fact (the :data:`MAX_FACTS` that matter most) as a range, claims as marks coloured by outlet; one
    panel per unit."""
    import numpy as np

    plt = _pyplot()
    from matplotlib.lines import Line2D

    all_facts = facts
    facts = _most_important(facts, MAX_FACTS)
    outlets = _outlets(sources, package_dir)
    claims = links[links["fact_id"].isin(facts["fact_id"])].merge(figures, on=["figure_id", "source_id"], how="left")
    claims = claims.assign(outlet=claims["source_id"].map(outlets))
    by_claims = claims["outlet"].value_counts()
    ranked = sorted(by_claims.index, key=lambda o: (-int(by_claims[o]), o))
    coloured = sorted(ranked[:MAX_COLOURED] if len(ranked) > MAX_COLOURED + 1 else ranked)
    colour = {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(coloured)}
    others = "#aaaaaa"
    units = [u for u in UNIT_LABELS if (facts["unit"] == u).any()]
    counts = [int((facts["unit"] == u).sum()) for u in units]
    if not units:
        fig, ax = plt.subplots(figsize=(WIDTH, 1.5))
        ax.text(0.5, 0.5, "no facts", ha="center", va="center")
        ax.set_axis_off()
        return fig
    height = 1.2 + 0.36 * sum(counts) + 0.6 * len(units)
    fig, axes = plt.subplots(len(units), 1, figsize=(WIDTH, height), squeeze=False,
                             gridspec_kw={"height_ratios": [c + 1.2 for c in counts]})
    for ax, unit in zip(axes[:, 0], units, strict=True):
        sub = facts[facts["unit"] == unit].reset_index(drop=True)
        values = []
        for i, f in sub.iterrows():
            y = len(sub) - 1 - i
            low, high = f["low"], f["high"]
            if np.isfinite(low) and np.isfinite(high):
                ax.plot([low, high], [y, y], "-", lw=8, color="#dddddd", solid_capstyle="round", zorder=1)
                values += [float(low), float(high)]
            if np.isfinite(f["best"]):
                ax.plot([f["best"]], [y], "|", ms=14, mew=2, color="#333333", zorder=2)
            mine = claims[claims["fact_id"] == f["fact_id"]]
            names = sorted(mine["outlet"].unique())
            for j, name in enumerate(names):
                offset = (j - (len(names) - 1) / 2) * min(0.16, 0.64 / max(1, len(names)))
                for c in mine[mine["outlet"] == name].to_dict("records"):
                    _claim_marks(ax, y + offset, c, colour.get(name, others))
                    values += [float(v) for v in (c["value"], c["value_low"], c["value_high"]) if np.isfinite(v)]
            ax.annotate(str(f["status"]).replace("_", " "), xy=(1.01, y), xycoords=("axes fraction", "data"),
                        va="center", fontsize=8, color=STATUS_COLOURS.get(str(f["status"]), "#333333"))
        ax.set_yticks(range(len(sub)))
        ax.set_yticklabels([fact_label(f) for f in reversed(sub.to_dict("records"))], fontsize=8)
        ax.set_ylim(-0.7, len(sub) - 0.3)
        positive = [v for v in values if v > 0]
        if positive and max(positive) / min(positive) > 50:
            ax.set_xscale("log")
        ax.set_xlabel(f"{UNIT_LABELS[unit]}" + (" (log scale)" if ax.get_xscale() == "log" else ""))
        ax.grid(axis="x", color="#eeeeee", zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [Line2D([], [], marker="o", ls="", color=colour[o], label=o) for o in coloured]
    if len(coloured) < len(by_claims):
        handles.append(Line2D([], [], marker="o", ls="", color=others,
                              label=f"{len(by_claims) - len(coloured):,} other outlets"))
    handles += [Line2D([], [], color="#dddddd", lw=8, label="fact range (low–high)"),
                Line2D([], [], marker="|", ls="", ms=12, mew=2, color="#333333", label="best")]
    title = "Facts: every claim, by outlet (dot: value; ▸ at least; ◂ up to; bar: vague or range)"
    if len(facts) < len(all_facts):
        import textwrap

        title += "\n" + "\n".join(textwrap.wrap(_left_out(all_facts, facts), 100))
    axes[0, 0].set_title(title, fontsize=10 if len(facts) == len(all_facts) else 9, loc="left")
    fig.tight_layout(rect=(0, 0, 0.93, 1))
    # Below the figure: the tight bounding box of the saved PNG takes it in, whatever the figure's height.
    fig.legend(handles=handles, loc="upper center", ncol=min(3, len(handles)), fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 0.0))
    return fig


def figures_by_source_chart(figures: pd.DataFrame, sources: pd.DataFrame, package_dir: Path | None = None):
    """Horizontal stacked bars: figures per outlet, split by category. Past :data:`MAX_OUTLETS` outlets, the
    ones with the most figures are drawn and the title says how many figures the others hold."""
    plt = _pyplot()
    outlets = _outlets(sources, package_dir)
    figures = figures.assign(outlet=figures["source_id"].map(outlets))
    counts_by = figures.groupby(["outlet", "category"], observed=True).size()
    totals = figures["outlet"].value_counts()
    names = sorted(set(outlets.values()))
    title = "Figures per outlet, by category"
    if len(names) > MAX_OUTLETS:
        ranked = sorted(names, key=lambda o: (-int(totals.get(o, 0)), o))
        names, rest = ranked[:MAX_OUTLETS], ranked[MAX_OUTLETS:]
        title += (f"\nthe {MAX_OUTLETS} outlets with the most figures; {len(rest):,} others hold "
                  f"{int(sum(totals.get(o, 0) for o in rest)):,} of {int(totals.sum()):,} figures")
    cats = [c for c in CATEGORY_COLOURS if (figures["category"] == c).any()]
    fig, ax = plt.subplots(figsize=(WIDTH, 1.2 + 0.45 * max(1, len(names))))
    left = [0] * len(names)
    ys = list(range(len(names)))[::-1]
    widest = max([int(totals.get(o, 0)) for o in names] + [1])
    for cat in cats:
        counts = [int(counts_by.get((o, cat), 0)) for o in names]
        ax.barh(ys, counts, left=left, color=CATEGORY_COLOURS[cat], label=cat, height=0.6)
        for y, lft, n in zip(ys, left, counts, strict=True):
            if n and n >= 0.04 * widest:  # a number that fits in its segment
                ax.text(lft + n / 2, y, f"{n:,}", ha="center", va="center", fontsize=8, color="white")
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(ys)
    ax.set_yticklabels(names, fontsize=8)
    ax.set_xlabel("figures (mentions)")
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def _read(directory: Path, name: str):
    """A table of the package with its numbers as plain floats (NaN for missing): what matplotlib expects."""
    from displacement_figures import schema as tschema

    df = tschema.read_table(directory / "data" / f"{name}.csv", tschema.table_schema(name))
    for c in df.columns:
        if str(df[c].dtype) == "Float64":
            df[c] = df[c].astype("float64")
    return df


def write_charts(package_dir: str | Path, out_dir: str | Path) -> list[dict[str, str]]:
    """Draw the charts of the package in ``package_dir`` (its data/*.csv) into ``out_dir``.

    Returns ``{"name", "path", "title"}`` per chart, paths relative to ``package_dir`` when inside it.
    """
    plt = _pyplot()
    package_dir, out_dir = Path(package_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {n: _read(package_dir, n) for n in ("sources", "figures", "facts", "fact_figures")}
    drawn = {
        "facts": facts_chart(frames["facts"], frames["fact_figures"], frames["figures"], frames["sources"],
                             package_dir),
        "figures_by_source": figures_by_source_chart(frames["figures"], frames["sources"], package_dir),
    }
    out = []
    for name, fig in drawn.items():
        path = out_dir / f"{name}.png"
        _save(fig, path)
        plt.close(fig)
        try:
            rel = path.resolve().relative_to(package_dir.resolve()).as_posix()
        except ValueError:
            rel = str(path)
        out.append({"name": name, "path": rel, "title": CHARTS[name]})
    return out
