"""Charts of the laporan: matplotlib (Agg backend, no display), PNG at 200 dpi for print.

Colours come from the theme (primary, accent, muted); every chart is also readable in black
and white (bars are labelled with their values, the two tests differ in hatch as well).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bimtek_kit.results.analysis import Rating, Rekap
    from bimtek_kit.themes import Labels

DPI = 200
WIDTH_IN = 6.3
"""Text width of an A4 page with 2.5 cm margins, so the chart prints at 100 %."""


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "sans-serif",
                         "font.sans-serif": ["Liberation Sans", "DejaVu Sans"], "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False,
                         "svg.hashsalt": "bimtek", "path.simplify": True})
    return plt


@dataclass(frozen=True)
class Chart:
    png: bytes
    """For the DOCX and as a file of its own."""
    svg: str
    """Inline in the PDF's HTML (the print stack loads no file outside the project)."""


def _png(figure) -> Chart:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight",
                   metadata={"Software": None})
    vector = io.StringIO()
    figure.savefig(vector, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(figure)
    svg = vector.getvalue()
    return Chart(buffer.getvalue(), svg[svg.index("<svg"):])


def scores_chart(rekap: Rekap, colors: dict[str, str], t: Labels) -> Chart:
    """Pre- and post-test score of every participant (by number, not name)."""
    plt = _pyplot()
    rows = rekap.rows
    figure, axes = plt.subplots(figsize=(WIDTH_IN, 2.8))
    xs = range(len(rows))
    width = 0.4
    axes.bar([x - width / 2 for x in xs], [r.pre or 0 for r in rows], width,
             label="Pre-test", color=colors["muted"])
    axes.bar([x + width / 2 for x in xs], [r.post or 0 for r in rows], width,
             label="Post-test", color=colors["primary"], hatch="///", edgecolor="white",
             linewidth=0)
    axes.set_xticks(list(xs), [str(r.number) for r in rows],
                    fontsize=7 if len(rows) > 25 else 9)
    axes.set_xlabel(t.axis_participant)
    axes.set_ylabel(t.axis_score)
    axes.set_ylim(0, 105)
    if rekap.mean_pre is not None:
        axes.axhline(rekap.mean_pre, color=colors["muted"], linestyle="--", linewidth=0.8)
    if rekap.mean_post is not None:
        axes.axhline(rekap.mean_post, color=colors["primary"], linestyle="--", linewidth=0.8)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, ncols=2)
    return _png(figure)


def gain_chart(rekap: Rekap, colors: dict[str, str], t: Labels) -> Chart:
    """How many participants reached each N-gain category."""
    plt = _pyplot()
    counts = rekap.counts()
    figure, axes = plt.subplots(figsize=(WIDTH_IN * 0.6, 2.4))
    labels = list(t.gain_bars)
    values = [counts["rendah"], counts["sedang"], counts["tinggi"]]
    bars = axes.bar(labels, values, color=[colors["muted"], colors["accent"], colors["primary"]])
    axes.bar_label(bars, padding=2)
    axes.set_ylabel(t.axis_count)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylim(0, max(values + [1]) * 1.2)
    return _png(figure)


def rating_chart(ratings: list[Rating], scale_max: int, colors: dict[str, str],
                 t: Labels, language: str) -> Chart:
    """Mean rating per aspect (or per narasumber), on the form's own scale."""
    from bimtek_kit.results.report import number

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(WIDTH_IN, 0.45 * len(ratings) + 0.8))
    labels = [_wrap(r.label) for r in ratings][::-1]
    bars = axes.barh(labels, [r.mean for r in ratings][::-1], color=colors["primary"])
    axes.bar_label(bars, labels=[number(r.mean, language=language) for r in ratings][::-1],
                   padding=3)
    axes.set_xlim(0, scale_max + 0.5)
    axes.set_xticks(range(1, scale_max + 1))
    axes.set_xlabel(t.axis_rating)
    return _png(figure)


def scoped(chart: Chart, prefix: str) -> Chart:
    """The same chart ready to inline in HTML: its ids prefixed (matplotlib numbers them from
    1 in every figure, and two figures in one page must not share an id), its styles as
    attributes."""
    svg = re.sub(r'(id="|href="#|url\(#)', lambda m: f"{m.group(1)}{prefix}-", chart.svg)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.DOTALL)
    return Chart(chart.png, re.sub(r'style="([^"]*)"', _attributes, svg))


def _attributes(match: re.Match[str]) -> str:
    """`style="fill: #1b3a5c; stroke: none"` as SVG presentation attributes, which mean the
    same to the SVG renderer and which the HTML style parser then leaves alone."""
    pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _wrap(text: str, width: int = 34) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)[:2])
