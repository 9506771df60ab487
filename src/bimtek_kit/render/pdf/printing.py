"""Page setup of the printed outputs: worksheets, tests, forms, guide and schedule.

Built on the print stack (`stack.py`, shared with the handbook): one place decides margins,
the footer and the audience mark, so the five print renderers look like one family and none
of them can forget the local-only fetcher or the fixed PDF metadata. Templates live in the
theme (`templates/print/`), the look in `css/print.css`; the numbers (sizes, gaps, margins)
come from the theme's `print:` section, never from code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bimtek_kit.hyphenation import soft_hyphenator
from bimtek_kit.model import Course, Module
from bimtek_kit.render.base import Artifact, Audience, RenderContext
from bimtek_kit.render.html.blocks import Audience as BlockAudience
from bimtek_kit.render.html.blocks import HtmlBlocks
from bimtek_kit.render.paper.lk import worksheet_labels
from bimtek_kit.render.pdf import stack
from bimtek_kit.render.pdf.stack import (
    COLOR,
    LENGTH,
    PAPER_MM,
    audience_mark,
    checked,
    mark_css,
    markdown_css,
    page_number_samples,
    root_url,
    roots,
    stylesheet,
    theme_variables,
    variables_css,
    write,
)
from bimtek_kit.themes import Theme

if TYPE_CHECKING:
    from weasyprint import Document


@dataclass(frozen=True)
class PageSetup:
    """Paper and margins of one document, in millimetres where arithmetic is needed."""

    paper: str
    width: float
    height: float
    margin: float
    binding: float
    footer_gap: float
    mirrored: bool
    mark: str = ""
    """Printed at the top of every page (the facilitators' "do not hand out")."""

    @property
    def content_height(self) -> float:
        return self.height - self.margin - self.footer_gap - self.margin


def settings(theme: Theme) -> dict[str, Any]:
    """The theme's `print:` section (a project theme is merged over the built-in one)."""
    return dict(theme.settings.get("print") or {})


def page_setup(ctx: RenderContext, audience: Audience, *, mirrored: bool = False) -> PageSetup:
    """Paper from `bimtek.yml`; a binding margin on the inside edge (left, or mirrored);
    the audience's mark on every page (see `stack.audience_mark`)."""
    paper = ctx.course.config.paper
    width, height = PAPER_MM[paper]
    values = settings(ctx.theme)
    return PageSetup(paper, width, height, _mm(values["margin"]), _mm(values["binding_margin"]),
                     _mm(values["footer_gap"]), mirrored, audience_mark(ctx, audience))


def _mm(value: Any) -> float:
    """Read a theme length written as `20mm`, `2cm` or a bare number of millimetres."""
    text = str(value).strip().lower()
    for unit, factor in (("mm", 1.0), ("cm", 10.0), ("in", 25.4), ("pt", 25.4 / 72)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def print_variables(theme: Theme, page: PageSetup) -> list[tuple[str, str]]:
    """`--print-*`: the sizes and gaps of the theme's `print:` section, checked."""
    values = settings(theme)
    card_gap = _mm(values["card_gap"])
    return [
        ("--print-body-size", checked(LENGTH, values["body_size"], "print.body_size")),
        ("--print-small-size", checked(LENGTH, values["small_size"], "print.small_size")),
        ("--print-line-gap", checked(LENGTH, values["write_line_gap"], "print.write_line_gap")),
        ("--print-line-color",
         checked(COLOR, values["write_line_color"], "print.write_line_color")),
        ("--print-card-height", f"{(page.content_height - card_gap) / 2 - 0.5:.1f}mm"),
        ("--print-card-gap", f"{card_gap}mm"),
        ("--print-page-height", f"{page.content_height:.1f}mm"),
    ]


def page_css(ctx: RenderContext, page: PageSetup) -> str:
    """Paper, margins, the theme's variables and the audience mark; the look is print.css."""
    top, bottom = page.margin, page.margin + page.footer_gap
    outer, inner = page.margin, page.binding
    margins = f"  margin: {top}mm {outer}mm {bottom}mm {inner}mm;\n"
    sides = ""
    if page.mirrored:
        sides = (f"@page :right {{ margin-left: {inner}mm; margin-right: {outer}mm; }}\n"
                 f"@page :left {{ margin-left: {outer}mm; margin-right: {inner}mm; }}\n")
    variables = [*theme_variables(ctx.theme), *print_variables(ctx.theme, page)]
    return variables_css(variables, page.paper, margins) + sides + mark_css(page.mark)


def blocks(ctx: RenderContext, audience: BlockAudience,
           module: Module | None = None) -> HtmlBlocks:
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
        colors=dict(ctx.theme.settings.get("colors") or {}),
        diagram_font=ctx.theme.fonts("slides")[0],
        worksheet_labels=worksheet_labels(ctx.course, module) if module else {},
    )


def render_html(ctx: RenderContext, template: str, **data: Any) -> str:
    """Fill a theme template with data; module text arrives escaped or as Markup, never as code."""
    env = ctx.theme.environment()
    return env.get_template(f"print/{template}").render(
        course=ctx.course.config, language=ctx.course.config.language, **data
    )


def print_pdf(ctx: RenderContext, audience: Audience, template: str, *, title: str,
              **data: Any) -> bytes:
    """Fill `print/<template>` and print it on the course's paper for `audience` (its mark)."""
    html = render_html(ctx, template, title=title, **data)
    return to_pdf(ctx, html, title=title, page=page_setup(ctx, audience))


def to_pdf(ctx: RenderContext, html: str, *, title: str, page: PageSetup,
           theme_fonts_only: bool = False) -> bytes:
    """Lay out and serialise one document with the print stylesheet and fixed metadata."""
    return write(ctx, layout(ctx, html, page, theme_fonts_only=theme_fonts_only), title)


def layout(ctx: RenderContext, html: str, page: PageSetup, *,
           theme_fonts_only: bool = False, images: dict | None = None) -> Document:
    """Lay out one document with the print stylesheet (resources from `roots` only).

    `theme_fonts_only`: its text prints with the theme's font files even where the machine
    has fonts of the same names (`fonts.theme_font_variables`; the slide PDFs use it);
    `images`: images known before layout, by URL (the printed slides' `place.SlidePages`)."""
    from bimtek_kit.render.pdf.fonts import theme_font_variables

    _path, css = stylesheet(ctx.theme, "print.css")
    fonts = theme_font_variables(ctx.theme) if theme_fonts_only else ""
    return stack.layout(ctx, html, (page_css(ctx, page), fonts, css, markdown_css(ctx.theme)),
                        private_fonts=theme_fonts_only, images=images)


def number_samples(ctx: RenderContext, page: PageSetup, title: str) -> bytes:
    """The digits a join stamps "Halaman n" from (`stack.page_number_samples`), laid out where
    print.css puts the page number; for a document laid out in parts and numbered through."""
    html = page_number_samples("bottom-right", ctx.theme.labels.page)
    return write(ctx, layout(ctx, html, page), title)


def module_bookmarks(modules: Iterable[Module], files: Iterable[bytes]) -> list[tuple[str, int]]:
    """A bookmark at the first page of each module's file in a join of the files, in order."""
    from bimtek_kit.render.pdf.merge import page_count  # pypdf: only when joining

    bookmarks, page = [], 0
    for module, data in zip(modules, files, strict=True):
        bookmarks.append((f"{module.code} · {module.title}", page))
        page += page_count(data)
    return bookmarks


def blank_page(ctx: RenderContext, page: PageSetup, title: str) -> bytes:
    """The page put before a part so it opens on the right: no footer, but the audience mark."""
    html = '<!DOCTYPE html><html><body><div style="page: cover"></div></body></html>'
    return to_pdf(ctx, html, title=title, page=page)


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
