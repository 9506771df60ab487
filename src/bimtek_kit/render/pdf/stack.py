"""The one print stack (DESIGN §6): every paged output is laid out and written through here.

The handbook, the facilitator guide, worksheets, tests, forms and the schedule (and the next
paged outputs: handouts, certificates) share one paper table, one set of CSS custom properties
with one vocabulary (`--color-*`, `--font-*`, then `--hb-*` for the handbook's `handbook:`
settings and `--print-*` for the `print:` settings), one font-stack builder, one check of theme
values, one layout call confined to the project and theme folders, one PDF writer with fixed
metadata, and one way to join parts (`merge_spec` + `merge.merge_pdfs`).

A file for facilitators carries "do not hand out" at the top of every page (`audience_mark`).
Nothing here imports WeasyPrint at module level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bimtek_kit.errors import BimtekError
from bimtek_kit.render.base import Audience, RenderContext, Renderer
from bimtek_kit.themes import Theme, ThemeError

if TYPE_CHECKING:
    from weasyprint import Document

PAPER_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "F4": (215.0, 330.0),
    "Letter": (215.9, 279.4),
}
"""Portrait width × height of every paper `bimtek.yml` accepts (F4 is the Indonesian folio)."""

ROOT_SCHEME = "bimtek-root"

COLOR = re.compile(r"^(#[0-9A-Fa-f]{3,8}|[a-zA-Z]+)$")
LENGTH = re.compile(r"^\d+(\.\d+)?(pt|mm|cm|in|px|em|rem)$")
NUMBER = re.compile(r"^\d+(\.\d+)?$")
GENERIC_FONTS = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


class RenderError(BimtekError):
    """An output could not be produced from otherwise valid sources."""


def root_url(path: Path, roots: Sequence[Path]) -> str | None:
    """`bimtek-root:0/content/modules/images/x.png`: `path` named by its place in `roots[0]`.

    WeasyPrint names every image in the PDF after a hash of its URL, so with a `file:` URL the
    bytes would depend on where the project is checked out; this URL does not. Pass the same
    `roots`, in the same order, to `layout`. None when `path` is outside every root.
    """
    real = path.resolve()
    for index, root in enumerate(roots):
        if real.is_relative_to(root.resolve()):
            return f"{ROOT_SCHEME}:{index}/{quote(real.relative_to(root.resolve()).as_posix())}"
    return None


# --- theme -> CSS ------------------------------------------------------------------------------


def checked(pattern: re.Pattern[str], value: object, key: str) -> str:
    """A theme value that matches `pattern`, or a ThemeError naming its key.

    A project theme is data too: it may set colours and sizes, never inject CSS rules.
    """
    text = str(value).strip()
    if not pattern.match(text):
        raise ThemeError(f"theme.yml: '{key}' has an unusable value '{text}'")
    return text


def font_stack(names: Iterable[str]) -> str:
    """`"Liberation Serif", "DejaVu Serif", serif`: names quoted, generic families bare."""
    parts = []
    for name in names:
        clean = re.sub(r'["\\;{}<>\n\r]', "", str(name)).strip()
        if clean:
            parts.append(clean if clean in GENERIC_FONTS else f'"{clean}"')
    return ", ".join(parts) or "serif"


def css_name(key: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", str(key).lower().replace("_", "-"))


def theme_variables(theme: Theme) -> list[tuple[str, str]]:
    """`--color-primary: #1B3A5C`, `--font-heading: …`: the vocabulary of every stylesheet."""
    variables = []
    for name, value in sorted(theme.settings.get("colors", {}).items()):
        variables.append((f"--color-{css_name(name)}", checked(COLOR, value, f"colors.{name}")))
    for role in ("heading", "body", "mono"):
        variables.append((f"--font-{role}", font_stack(theme.fonts(role))))
    return variables


def handbook_variables(theme: Theme) -> list[tuple[str, str]]:
    """`--hb-body-size`, `--hb-margin`, … from the theme's `handbook:` section."""
    handbook = theme.settings.get("handbook", {})
    variables = []
    for key, default in {"body_size": "11pt", "margin": "25mm", "inner_margin": "27mm"}.items():
        value = handbook.get(key, default)
        variables.append((f"--hb-{css_name(key)}", checked(LENGTH, value, f"handbook.{key}")))
    line_height = handbook.get("line_height", 1.4)
    variables.append(("--hb-line-height", checked(NUMBER, line_height, "handbook.line_height")))
    return variables


def variables_css(variables: Sequence[tuple[str, str]], paper: str | None = None,
                  page_rules: str = "") -> str:
    """Custom properties on `:root` and again on `@page` (with the paper size if given).

    Page margin boxes (running header, page number, the facilitators' mark) do not inherit from
    the document's root element, so they get the variables on `@page` too.
    """
    body = "".join(f"  {name}: {value};\n" for name, value in variables)
    css = f":root {{\n{body}}}\n"
    if paper is not None:
        width, height = PAPER_MM.get(paper, PAPER_MM["A4"])
        css += f"@page {{\n  size: {width:g}mm {height:g}mm;\n{page_rules}{body}}}\n"
    return css


def theme_css(theme: Theme, paper: str | None = None) -> str:
    """The handbook's (and its site's) variables: theme colours, fonts and `handbook:` sizes."""
    return variables_css([*theme_variables(theme), *handbook_variables(theme)], paper)


# --- the facilitators' mark --------------------------------------------------------------------


def audience_mark(ctx: RenderContext, audience: Audience) -> str:
    """The text printed on every page of a file for `audience` ("" when it may be handed out)."""
    if audience != "facilitators":
        return ""
    return str(ctx.theme.labels.print.facilitators_only)


def mark_css(mark: str) -> str:
    """`@top-center` on every page, named or not (a named page rule cannot switch it off).

    Half the line wide, so @top-left and @top-right get a quarter each without WeasyPrint
    measuring the texts of all three on every page (see print.css's footer)."""
    if not mark:
        return ""
    text = mark.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return (
        "@page { @top-center { content: \"" + text + "\"; width: 50%;"
        " font-family: var(--font-heading);"
        " font-size: 8pt; font-weight: bold;"
        " color: var(--color-muted); vertical-align: bottom; padding-bottom: 4mm; } }\n"
    )


# --- layout and writing ------------------------------------------------------------------------


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def stylesheet(theme: Theme, name: str) -> tuple[Path, str]:
    """`css/<name>` of the theme (project theme first), read once per process."""
    path = theme.find(f"css/{name}")
    if path is None:
        raise ThemeError(f"theme '{theme.name}' has no css/{name}")
    return path, _read(path)


MARKDOWN_CSS = "paged-markdown.css"


def markdown_css(theme: Theme) -> str:
    """What Markdown means on paper (link URLs, program output), the same in every paged
    document: loaded right after the document's own stylesheet (handbook.css or print.css)."""
    return stylesheet(theme, MARKDOWN_CSS)[1]


def roots(ctx: RenderContext) -> tuple[Path, ...]:
    """The only folders a paged document may load from: the project, then the theme folders."""
    return (ctx.course.root, *ctx.theme.dirs)


def layout(ctx: RenderContext, html: str, stylesheets: Sequence[str],
           base: Path | None = None, *, private_fonts: bool = False,
           images: dict | None = None) -> Document:
    """Lay out one document; relative URLs resolve against `base` (default: the project).
    `private_fonts`: the theme's faces under private families only (`fonts.font_face_css`);
    `images`: images known before layout, by URL (`place.SlidePages`)."""
    from bimtek_kit.render.pdf.fonts import font_face_css
    from bimtek_kit.render.pdf.weasy import render_document

    # The theme's shipped fonts first (fonts.css): no PDF depends on the machine's fonts.
    fonts = font_face_css(ctx.theme, roots(ctx), private=private_fonts)
    return render_document(html, base or ctx.course.root, roots(ctx),
                           stylesheets=(fonts, *stylesheets), images=images)


def part_facts(document: Document, wanted: Iterable[str] | None = None) -> bytes:
    """What a joined document's front matter reads from a laid-out part (JSON): its page
    count and the page each anchor (`wanted` ones, default all) starts on. The front is keyed
    on these facts, not on the part's bytes, so an edit that moves no page does not lay the
    front out again (issue #7)."""
    import json

    keep = None if wanted is None else set(wanted)
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:  # an element spanning pages is listed on each: keep the first
            if keep is None or name in keep:
                anchors.setdefault(name, index)
    info = {"pages": len(document.pages), "anchors": dict(sorted(anchors.items()))}
    return json.dumps(info, sort_keys=True).encode("utf-8")


def write(ctx: RenderContext, document: Document, title: str, *, pdf_tags: bool = False,
          finisher: Any = None) -> bytes:  # noqa: ANN401 - see `weasy.write_pdf`
    """Serialise with the course's metadata and the fixed build timestamp (equal bytes)."""
    from bimtek_kit.render.pdf.weasy import write_pdf

    config = ctx.course.config
    return write_pdf(document, title=title, author=config.organizer, language=config.language,
                     source_date_epoch=ctx.source_date_epoch, pdf_tags=pdf_tags,
                     finisher=finisher)


def join(ctx: RenderContext, parts: Sequence[bytes], title: str, **options: Any) -> bytes:
    """Join laid-out parts into one PDF with `write`'s metadata; `options` are `MergeSpec`'s
    (bookmarks, page labels, page-number stamps, links between parts, right-hand starts)."""
    from bimtek_kit.render.pdf.merge import MergeSpec, merge_pdfs

    config = ctx.course.config
    spec = MergeSpec(title, config.organizer, config.language, ctx.source_date_epoch, **options)
    return merge_pdfs(parts, spec)


SAMPLE_DIGITS = 3
"""Digits of the longest sample in `page_number_samples`."""


def page_number_samples(margin_box: str, label: str = "") -> str:
    """The document a join stamps page numbers from (`merge.MergeSpec.digits`), to be laid out
    with the stylesheets of the document it numbers, so the number looks as if laid out there.

    Pages 0–9 show `label` and the digit d in `margin_box` (e.g. "bottom-center"), page 10 the
    label and three zeros (how far a longer number moves: that says its alignment; three, so it
    fits a box sized for "Halaman 100"), page 11 the label and 0 on a left-hand page (where
    mirrored margins put it)."""
    texts = [*(str(digit) for digit in range(10)), "0" * SAMPLE_DIGITS, "0"]
    prefix = f"{label} " if label else ""
    rules = "".join(
        f'@page sample{index} {{ @{margin_box} {{ content: "{_css_string(prefix + text)}"; }} }}\n'
        for index, text in enumerate(texts))
    pages = "".join(f'<div class="sample" style="page: sample{index}"></div>'
                    for index in range(len(texts)))
    style = ".sample { break-before: page; } .sample:first-child { break-before: auto; }\n"
    return (f"<!DOCTYPE html><html><head><style>{style}{rules}</style></head>"
            f"<body>{pages}</body></html>")


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def warm(ctx: RenderContext) -> None:
    """Fonts of the theme, loaded once before the workers start (see `render.warm_up`)."""
    from bimtek_kit.render.pdf.weasy import warm as warm_pdf

    warm_pdf([*ctx.theme.fonts("body"), *ctx.theme.fonts("heading")])


class PagedRenderer(Renderer):
    """A renderer of paged (PDF) outputs: it warms the fonts before the workers start."""

    def warm(self, ctx: RenderContext) -> None:
        warm(ctx)
