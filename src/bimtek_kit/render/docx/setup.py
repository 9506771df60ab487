"""A new Word document dressed in the theme: paper, margins, fonts, colours, styles, footer.

Every value comes from `theme.yml` (colours, fonts, handbook sizes and margins) and the paper
from `bimtek.yml`. Fonts: the PDF uses the theme's Liberation families; a Word user has their
metric twins (Arial, Times New Roman, Courier New), which LibreOffice maps straight back, so the
DOCX breaks lines and pages like the PDF on either program.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

from bimtek_kit.render.base import RenderContext
from bimtek_kit.render.docx.ooxml import add_field, remember_style_ids, update_fields_on_open
from bimtek_kit.themes import Theme

PAPER_MM = {"A4": (210, 297), "F4": (215, 330), "Letter": (215.9, 279.4)}

WORD_FONTS = {
    "liberation sans": "Arial", "liberation serif": "Times New Roman",
    "liberation mono": "Courier New", "sans-serif": "Arial", "serif": "Times New Roman",
    "monospace": "Courier New",
}
"""Metric-compatible fonts every Word installation has, for the theme's open fonts."""
_OFFICE = {"arial", "calibri", "cambria", "georgia", "times new roman", "courier new",
           "verdana", "tahoma", "consolas", "bookman old style"}


def word_font(families: list[str]) -> str:
    """The first of `families` a Word user has (after mapping to metric twins)."""
    for family in families:
        mapped = WORD_FONTS.get(family.lower(), family)
        if mapped.lower() in _OFFICE:
            return mapped
    return families[0]


def parse_length_pt(value: object, default: float) -> float:
    """`11pt`, `25mm`, `2.5cm`, `1in` -> points."""
    text = str(value or "").strip()
    factors = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0}
    for unit, factor in factors.items():
        if text.endswith(unit):
            try:
                return float(text[: -len(unit)]) * factor
            except ValueError:
                return default
    return default


def new_document(ctx: RenderContext, title: str, footer: str) -> Any:
    """An empty document with the theme's page setup, styles and a numbered footer.

    Dressing a document takes python-docx three times as long as reading a dressed one back,
    and a build makes one per module part (issue #23): the dressed document is saved once per
    process and set of inputs, and every later one is read from those bytes.
    """
    import docx

    config = ctx.course.config
    key = (ctx.theme.fingerprint, config.paper, config.title, config.organizer,
           config.display_short_title, config.language, ctx.source_date_epoch, title, footer)
    if key not in _DRESSED:
        document = docx.Document()
        _page(document, ctx)
        _styles(document, ctx.theme)
        _footer(document, ctx.theme, footer)
        update_fields_on_open(document)
        _properties(document, ctx, title)
        saved = io.BytesIO()
        document.save(saved)
        _DRESSED[key] = saved.getvalue(), {}
    dressed, style_ids = _DRESSED[key]
    document = docx.Document(io.BytesIO(dressed))
    remember_style_ids(document, style_ids)
    return document


_DRESSED: dict[tuple[object, ...], tuple[bytes, dict]] = {}
"""Saved dressed documents by everything `new_document` reads (a few, of 40 KB each), with
the ids of their styles as looked up so far."""


def text_width_pt(ctx: RenderContext) -> float:
    width_mm, _ = PAPER_MM.get(ctx.course.config.paper, PAPER_MM["A4"])
    settings = ctx.theme.settings.get("handbook", {})
    margin = parse_length_pt(settings.get("margin"), 25 * 72 / 25.4)
    inner = parse_length_pt(settings.get("inner_margin"), margin)
    return width_mm * 72 / 25.4 - margin - inner


def _page(document: Any, ctx: RenderContext) -> None:
    from docx.shared import Mm, Pt

    width, height = PAPER_MM.get(ctx.course.config.paper, PAPER_MM["A4"])
    settings = ctx.theme.settings.get("handbook", {})
    margin = parse_length_pt(settings.get("margin"), 25 * 72 / 25.4)
    inner = parse_length_pt(settings.get("inner_margin"), margin)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = section.bottom_margin = section.right_margin = Pt(margin)
    section.left_margin = Pt(inner)
    section.footer_distance = Pt(margin * 0.45)


def _rgb(theme: Theme, name: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(theme.color(name).lstrip("#").upper())


def set_font(font: Any, name: str) -> None:
    """Set a font for every script (python-docx sets only `w:ascii`/`w:hAnsi`)."""
    from docx.oxml.ns import qn

    font.name = name
    fonts = font._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), name)
    fonts.set(qn("w:eastAsia"), name)


def _styles(document: Any, theme: Theme) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    settings = theme.settings.get("handbook", {})
    size = parse_length_pt(settings.get("body_size"), 11.0)
    line = float(settings.get("line_height", 1.4))
    body, heading = word_font(theme.fonts("body")), word_font(theme.fonts("heading"))
    styles = document.styles

    normal = styles["Normal"]
    _font(normal, body, size, theme, "text")
    normal.paragraph_format.space_after = Pt(7.4)
    normal.paragraph_format.line_spacing = Pt(size * line)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    normal.paragraph_format.widow_control = True

    # Sizes and spacing of the PDF handbook's CSS (`.chapter-title`, `.section-heading`, …).
    for level, (points, before, after) in {1: (20, 11, 34), 2: (14, 25.5, 10), 3: (11.5, 17, 7),
                                           4: (10.5, 12.8, 5.7)}.items():
        style = styles[f"Heading {level}"]
        _font(style, heading, points, theme, "primary", bold=True)
        style.font.italic = level == 4
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.line_spacing = 1.0
    styles["Heading 1"].paragraph_format.page_break_before = True

    title = styles["Title"]
    _font(title, heading, 25, theme, "primary", bold=True)
    title.paragraph_format.space_after = Pt(12)
    _rule_free(title)

    caption = _style(styles, "Caption", WD_STYLE_TYPE.PARAGRAPH)
    _font(caption, heading, 8.5, theme, "muted", italic=False)
    caption.paragraph_format.space_after = Pt(10)

    label = _style(styles, "Box Label", WD_STYLE_TYPE.PARAGRAPH)
    _font(label, heading, 8.5, theme, "primary", bold=True)
    label.font.all_caps = True
    label.paragraph_format.space_after = Pt(4)
    label.paragraph_format.keep_with_next = True

    box_title = _style(styles, "Box Title", WD_STYLE_TYPE.PARAGRAPH)
    _font(box_title, heading, 12, theme, "text", bold=True)
    box_title.paragraph_format.space_after = Pt(7)
    box_title.paragraph_format.keep_with_next = True

    code = _style(styles, "Code", WD_STYLE_TYPE.PARAGRAPH)
    _font(code, word_font(theme.fonts("mono")), size * 0.88, theme, "text")
    code.paragraph_format.space_after = Pt(0)
    code.paragraph_format.line_spacing = 1.0

    table_text = _style(styles, "Table Text", WD_STYLE_TYPE.PARAGRAPH)
    _font(table_text, heading, 8.8, theme, "text")
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = Pt(8.8 * 1.35)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST

    for name in ("TOC 1", "TOC 2"):
        toc = _style(styles, name, WD_STYLE_TYPE.PARAGRAPH)
        _font(toc, heading if name == "TOC 1" else body, 10.5, theme, "text",
              bold=name == "TOC 1")
        toc.paragraph_format.space_after = Pt(3)
        toc.paragraph_format.left_indent = Pt(0 if name == "TOC 1" else 18)

    for name in ("List Bullet", "List Number", "List Bullet 2", "List Number 2",
                 "List Continue", "List Continue 2"):
        styles[name].paragraph_format.space_after = Pt(3.4)  # `li { margin: 0 0 1.2mm }`
    styles["Quote"].font.color.rgb = _rgb(theme, "text")


def _style(styles: Any, name: str, kind: Any) -> Any:
    try:
        return styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        style.base_style = styles["Normal"]
        return style


def _font(style: Any, name: str, size: float, theme: Theme, colour: str, bold: bool = False,
          italic: bool = False) -> None:
    from docx.shared import Pt

    set_font(style.font, name)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = _rgb(theme, colour)


def _rule_free(style: Any) -> None:
    """The stock Title style draws a bottom border; the theme's cover has none."""
    p_pr = style.element.pPr
    if p_pr is not None:
        for border in p_pr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"):
            p_pr.remove(border)


def _footer(document: Any, theme: Theme, text: str) -> None:
    """`Short title · page number`, grey, centred, on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = document.sections[0]
    section.different_first_page_header_footer = True  # the cover or title page: no number
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run = paragraph.add_run(f"{text} · ")
        run.font.size = Pt(8.5)
        run.font.color.rgb = _rgb(theme, "muted")
    add_field(paragraph, "PAGE", "1")
    for run in paragraph.runs:
        run.font.size = Pt(8.5)
        run.font.color.rgb = _rgb(theme, "muted")


def _properties(document: Any, ctx: RenderContext, title: str) -> None:
    config = ctx.course.config
    stamp = dt.datetime.fromtimestamp(ctx.source_date_epoch, tz=dt.UTC).replace(tzinfo=None)
    props = document.core_properties
    props.title = title[:255]
    props.subject = config.title[:255]
    props.author = (config.organizer or config.display_short_title)[:255]
    props.last_modified_by = "bimtek-kit"
    props.language = config.language
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1


def reproducible_bytes(document: Any, source_date_epoch: int,
                       finish: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Save, then rewrite the zip with fixed timestamps and order (equal sources, equal bytes).

    `finish(name, data)` may change a file of the package on the way (the joiner puts in the
    parts' bodies)."""
    from bimtek_kit.packaging import zip_bytes

    raw = io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(raw) as source:
        files = {name: source.read(name) for name in source.namelist()}
    if finish is not None:
        files = {name: finish(name, data) for name, data in files.items()}
    order = sorted(files, key=lambda name: (name != "[Content_Types].xml", name))
    return zip_bytes(files, source_date_epoch, order)
