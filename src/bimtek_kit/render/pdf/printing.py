"""Shared page setup for the printed outputs: worksheets, tests, forms, guide and schedule.

One place decides the paper, margins, fonts, the footer and the PDF call, so the five print
renderers look like one family and none of them can forget the local-only fetcher or the fixed
PDF metadata. Templates live in the theme (`templates/print/`), the look in `css/print.css`; the
numbers (sizes, gaps, margins) come from the theme's `print:` section, never from code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bimtek_kit.hyphenation import soft_hyphenator
from bimtek_kit.model import Course, Module
from bimtek_kit.render.base import Artifact, RenderContext
from bimtek_kit.render.html.blocks import Audience, HtmlBlocks
from bimtek_kit.render.paper.lk import worksheet_labels
from bimtek_kit.render.pdf.fonts import font_face_css
from bimtek_kit.render.pdf.weasy import RenderError, render_document, root_url, write_pdf
from bimtek_kit.themes import Theme

if TYPE_CHECKING:
    from weasyprint import Document

PAPER_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "F4": (215.0, 330.0),
    "Letter": (215.9, 279.4),
}
"""Portrait width × height of every paper `bimtek.yml` accepts (F4 is the Indonesian folio)."""

_CSS_VALUE = re.compile(r"^[#\w.%\- ]+$")
"""What a theme value may look like once it is pasted into CSS: no `;`, `{`, `(` or quotes."""


@dataclass(frozen=True)
class PageSetup:
    """Paper and margins of one document, in millimetres where arithmetic is needed."""

    width: float
    height: float
    margin: float
    binding: float
    footer_gap: float
    mirrored: bool

    @property
    def content_height(self) -> float:
        return self.height - self.margin - self.footer_gap - self.margin


def settings(theme: Theme) -> dict[str, Any]:
    """The theme's `print:` section (a project theme is merged over the built-in one)."""
    return dict(theme.settings.get("print") or {})


def page_setup(ctx: RenderContext, *, mirrored: bool = False) -> PageSetup:
    """Paper from `bimtek.yml`; a binding margin on the inside edge (left, or mirrored)."""
    width, height = PAPER_MM[ctx.course.config.paper]
    values = settings(ctx.theme)
    return PageSetup(width, height, _mm(values["margin"]), _mm(values["binding_margin"]),
                     _mm(values["footer_gap"]), mirrored)


def _mm(value: Any) -> float:
    """Read a theme length written as `20mm`, `2cm` or a bare number of millimetres."""
    text = str(value).strip().lower()
    for unit, factor in (("mm", 1.0), ("cm", 10.0), ("in", 25.4), ("pt", 25.4 / 72)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def page_css(ctx: RenderContext, page: PageSetup) -> str:
    """`@page` rules and CSS variables from the theme; the rest of the look is print.css."""
    theme = ctx.theme
    values = settings(theme)
    top, bottom = page.margin, page.margin + page.footer_gap
    outer, inner = page.margin, page.binding
    if page.mirrored:
        sides = (f"@page :right {{ margin-left: {inner}mm; margin-right: {outer}mm; }}\n"
                 f"@page :left {{ margin-left: {outer}mm; margin-right: {inner}mm; }}\n")
    else:
        sides = ""
    card_gap = _mm(values["card_gap"])
    variables = {
        "primary": theme.color("primary"),
        "accent": theme.color("accent"),
        "text": theme.color("text"),
        "muted": theme.color("muted"),
        "rule": theme.color("rule"),
        "tint": theme.color("tint"),
        "font-heading": _font_stack(theme.fonts("heading")),
        "font-body": _font_stack(theme.fonts("body")),
        "font-mono": _font_stack(theme.fonts("mono")),
        "body-size": values["body_size"],
        "small-size": values["small_size"],
        "line-gap": values["write_line_gap"],
        "line-color": values["write_line_color"],
        "card-height": f"{(page.content_height - card_gap) / 2 - 0.5:.1f}mm",
        "card-gap": f"{card_gap}mm",
        "page-height": f"{page.content_height:.1f}mm",
    }
    declarations = "".join(f"--{name}: {_css_value(name, value)}; "
                           for name, value in variables.items())
    return (
        f"@page {{ size: {page.width}mm {page.height}mm; "
        f"margin: {top}mm {outer}mm {bottom}mm {inner}mm; }}\n{sides}"
        f":root {{ {declarations}}}\n"
    )


def _css_value(name: str, value: Any) -> str:
    """Refuse a theme value that would break out of its CSS declaration (a project theme is
    data too: it may set colours and sizes, not inject rules)."""
    text = str(value)
    if name.startswith("font-"):
        return text
    if not _CSS_VALUE.match(text):
        raise RenderError(f"theme value for '{name}' is not a plain CSS value: {text!r}")
    return text


def _font_stack(names: list[str]) -> str:
    """Quoted family names (quotes and backslashes dropped), generic families bare."""
    generic = {"serif", "sans-serif", "monospace"}
    return ", ".join(n if n in generic else '"' + re.sub(r'["\\;{}]', "", n) + '"'
                     for n in names)


@cache
def _read_css(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def stylesheet(theme: Theme) -> str:
    """The theme's print.css (project theme first), read once per process."""
    path = theme.find("css/print.css")
    if path is None:
        raise RenderError(f"theme '{theme.name}' has no css/print.css")
    return _read_css(path)


def blocks(ctx: RenderContext, audience: Audience, module: Module | None = None) -> HtmlBlocks:
    """An HtmlBlocks for this course: images as local file URLs, activities numbered per module."""
    return HtmlBlocks(
        audience=audience,
        labels=ctx.theme.labels,
        image_url=lambda image: root_url(image.path, roots(ctx)) if image.path else None,
        allow_html=ctx.course.config.allow_html,
        activity_prefix=module.code if module else "",
        # Soft hyphens, honoured only where print.css allows them (table cells): pyphen would
        # split acronyms such as BerAKHLAK, which `soft_hyphenator` leaves whole.
        hyphenate=soft_hyphenator(ctx.course.config.language),
        worksheet_labels=worksheet_labels(ctx.course, module) if module else {},
    )


def roots(ctx: RenderContext) -> tuple[Path, ...]:
    """The only folders a printed document may load from, in `root_url` order."""
    return (ctx.course.root, *ctx.theme.dirs)


def render_html(ctx: RenderContext, template: str, **data: Any) -> str:
    """Fill a theme template with data; module text arrives escaped or as Markup, never as code."""
    env = ctx.theme.environment()
    return env.get_template(f"print/{template}").render(
        course=ctx.course.config, language=ctx.course.config.language, **data
    )


def to_pdf(ctx: RenderContext, html: str, *, title: str, page: PageSetup) -> bytes:
    """Lay out and serialise one document with the print stylesheet and fixed metadata."""
    return serialise(ctx, layout(ctx, html, page), title)


def layout(ctx: RenderContext, html: str, page: PageSetup) -> Document:
    """Lay out one document with the print stylesheet (resources from `roots` only)."""
    return render_document(html, ctx.course.root, roots(ctx),
                           stylesheets=(font_face_css(ctx.theme, roots(ctx)), page_css(ctx, page),
                                        stylesheet(ctx.theme)))


def serialise(ctx: RenderContext, document: Document, title: str) -> bytes:
    course = ctx.course
    return write_pdf(document, title=title, author=course.config.organizer,
                     language=course.config.language, source_date_epoch=ctx.source_date_epoch)


def artifact(path: str, data: bytes, kind: str, sources: Iterable[str]) -> Artifact:
    return Artifact(path, data, kind, tuple(sorted(set(sources))))


def module_sources(modules: Iterable[Module]) -> list[str]:
    """What a module-based file was built from: the module files and `bimtek.yml`."""
    return ["bimtek.yml", *(m.loc.path for m in modules)]


def course_sources(course: Course) -> list[str]:
    return ["bimtek.yml", *(m.loc.path for m in course.modules),
            *(b.loc.path for b in course.banks), *(f.loc.path for f in course.forms)]


def footer(ctx: RenderContext, *parts: str) -> str:
    """Footer text: course short title · whatever identifies the page (module code, form)."""
    return " · ".join(p for p in (ctx.course.config.display_short_title, *parts) if p)


def warm(ctx: RenderContext) -> None:
    """Fonts of the theme, loaded once before the workers fork (see `render.warm_up`)."""
    from bimtek_kit.render.pdf.weasy import warm as warm_pdf

    warm_pdf([*ctx.theme.fonts("body"), *ctx.theme.fonts("heading")])
