"""Laid-out pages -> python-pptx slides: real text frames, tables and pictures, all editable.

Everything here was measured before (`slides_layout`): this module only places it. Text goes into
the layout's placeholders where one exists (title, body, subtitle, footer, slide number), so the
deck stays a proper template-based presentation; callouts, quotes, tables and pictures are drawn
inside the body frame. With the built-in look, fonts and colours are set explicitly from theme.yml;
with a project's template.pptx, placeholder text inherits the template's fonts and colours.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from bimtek_kit.model import Inline, Span
from bimtek_kit.render.base import safe_link
from bimtek_kit.render.slides.layout import (
    BAR,
    BOX_INSETS,
    CELL_INSETS,
    PT_PER_IN,
    TEXT_INSETS,
    Frame,
    Insets,
    Para,
    PictureBox,
    Placed,
    TableBox,
    TextBox,
    TextMeasure,
    TitleFit,
)
from bimtek_kit.render.slides.template import (
    NS_A,
    BaseDeck,
    Palette,
    clone_placeholder,
    emu,
    title_frame,
)

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RPR = f"{{{NS_A}}}rPr"
_HLINK = f"{{{NS_A}}}hlinkClick"
_SOLID = f"{{{NS_A}}}solidFill"
_SRGB = f"{{{NS_A}}}srgbClr"
_LATIN = f"{{{NS_A}}}latin"
_T = f"{{{NS_A}}}t"
_R = f"{{{NS_A}}}r"
_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_ALIGN = {"center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT, "left": PP_ALIGN.LEFT}
_PPTX_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


def clean(text: str) -> str:
    """Remove characters XML cannot hold (they would make python-pptx fail on user text) and
    turn tabs into spaces (a tab in a slide paragraph jumps to the next tab stop)."""
    return _ILLEGAL.sub("", text).replace("\t", " ")


@dataclass
class PagePlan:
    """One slide, ready to draw."""

    kind: str
    """cover | divider | content | closing"""
    title: TitleFit
    placed: list[Placed] = field(default_factory=list)
    kicker: str = ""
    subtitle: list[Para] = field(default_factory=list)
    subtitle_size: float = 20.0
    notes: list[str] = field(default_factory=list)
    footer: bool = True


@dataclass
class TextStyle:
    """How to write the text of one frame: explicit fonts/colours or inherited ones."""

    explicit: bool
    font: str
    mono: str
    language: str


class DeckWriter:
    """Adds one slide per `PagePlan` to the base deck."""

    def __init__(self, deck: BaseDeck, pal: Palette, measure: TextMeasure, *, mono: str,
                 language: str, footer_text: str, logo: Path | None) -> None:
        self.deck = deck
        self.prs = deck.prs
        self.pal = pal
        self.m = measure
        self.mono = mono
        self.language = language
        self.footer_text = footer_text
        self.logo = logo
        self.count = 0

    # -- styles --

    def style(self, *, placeholder: bool) -> TextStyle:
        """Placeholders of a project template inherit its fonts and colours; all else is set."""
        explicit = self.deck.styled or not placeholder
        return TextStyle(explicit, self.deck.body_font, self.mono, self.language)

    # -- slides --

    def add(self, page: PagePlan) -> Any:
        role = self.deck.roles[page.kind]
        slide = self.prs.slides.add_slide(role.layout)
        self.count += 1
        if page.kind == "content":
            self._title(slide, page, anchor=MSO_ANCHOR.MIDDLE)
            self._body(slide, page)
        elif page.kind == "divider":
            self._title(slide, page, anchor=MSO_ANCHOR.TOP, dark=True)
            self._kicker(slide, page)
        else:
            self._title(slide, page, anchor=MSO_ANCHOR.BOTTOM, dark=True)
            self._subtitle(slide, page)
            if self.logo is not None:
                self._logo(slide)
        self._remove_empty_placeholders(slide)
        if page.footer:
            self._footer(slide, role, dark=page.kind != "content")
        self._notes(slide, page.notes)
        return slide

    # -- title --

    def _title(self, slide: Any, page: PagePlan, anchor: Any, dark: bool = False) -> None:
        shape = slide.shapes.title
        placeholder = shape is not None
        if shape is None:
            frame = title_frame(self.deck, page.kind)
            shape = slide.shapes.add_textbox(emu(frame.x), emu(frame.y), emu(frame.w),
                                             emu(frame.h))
        style = self.style(placeholder=placeholder)
        tf = shape.text_frame
        _frame_setup(tf, TEXT_INSETS, anchor if style.explicit else None)
        paragraph = tf.paragraphs[0]
        if style.explicit:
            paragraph.alignment = PP_ALIGN.LEFT
            _spacing(paragraph, 0.0)
        color = ("dark_text" if dark else "title_text") if self.deck.styled else "primary"
        # Bold in the built-in look; a template's own title weight is kept (titles are
        # measured as bold either way, the wider case).
        self._runs(paragraph, (Span(page.title.text),), page.title.size, style,
                   bold=style.explicit, color=color)

    def _kicker(self, slide: Any, page: PagePlan) -> None:
        shape = _placeholder(slide, (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.SUBTITLE))
        if shape is None or not page.kicker:
            return
        style = self.style(placeholder=True)
        tf = shape.text_frame
        _frame_setup(tf, TEXT_INSETS, MSO_ANCHOR.BOTTOM if style.explicit else None)
        paragraph = tf.paragraphs[0]
        _paragraph_format(paragraph, 0, 0, "", 0.0, self.pal, style)
        self._runs(paragraph, (Span(page.kicker),), page.subtitle_size, style, bold=True,
                   color="rule")

    def _subtitle(self, slide: Any, page: PagePlan) -> None:
        shape = _placeholder(slide, (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY))
        placeholder = shape is not None
        if shape is None:
            title = slide.shapes.title
            top = (title.top + title.height) if title is not None else emu(self.deck.height / 2)
            bottom = emu(self.deck.height - self.deck.margin)
            height = max(min(emu(1.6 * PT_PER_IN), bottom - top), emu(0.5 * PT_PER_IN))
            top = min(top, emu(self.deck.height) - height)
            shape = slide.shapes.add_textbox(emu(self.deck.margin), top,
                                             emu(self.deck.width - 2 * self.deck.margin), height)
        style = self.style(placeholder=placeholder)
        tf = shape.text_frame
        _frame_setup(tf, TEXT_INSETS, MSO_ANCHOR.TOP if style.explicit else None)
        scale = page.subtitle_size / self.m.typo.body
        for index, para in enumerate(page.subtitle):
            paragraph = tf.paragraphs[0] if index == 0 else tf.add_paragraph()
            size = max(self.m.size(para) * scale, self.m.typo.floor)
            space = 0.0 if index == 0 else self.m.space_before(para) * scale
            _paragraph_format(paragraph, 0, 0, "", space, self.pal, style)
            color = "rule" if para.role == "meta" else "dark_muted"
            self._runs(paragraph, para.spans, size, style, bold=para.role == "meta", color=color)

    def _logo(self, slide: Any) -> None:
        from PIL import Image as PILImage

        assert self.logo is not None
        with PILImage.open(self.logo) as img:
            px_w, px_h = img.size
        height = 0.75 * PT_PER_IN
        width = min(height * px_w / max(px_h, 1), 2.5 * PT_PER_IN)
        height = width * px_h / max(px_w, 1)
        left = self.deck.width - self.deck.margin - width
        picture = slide.shapes.add_picture(str(self.logo), emu(left), emu(self.deck.margin * 0.9),
                                           emu(width), emu(height))
        picture._element.nvPicPr.cNvPr.set("descr", "Logo")

    # -- body --

    def _body(self, slide: Any, page: PagePlan) -> None:
        body_ph = _placeholder(slide, (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY), idx=1)
        for index, placed in enumerate(page.placed):
            box = placed.box
            if isinstance(box, TextBox):
                use_ph = index == 0 and box.kind == "text" and body_ph is not None
                self._text_box(slide, placed, box, body_ph if use_ph else None)
                if use_ph:
                    body_ph = None
            elif isinstance(box, TableBox):
                self._table(slide, placed, box)
            elif isinstance(box, PictureBox):
                self._picture(slide, placed, box)
        if body_ph is not None:
            body_ph._element.getparent().remove(body_ph._element)

    def _text_box(self, slide: Any, placed: Placed, box: TextBox, placeholder: Any) -> None:
        frame = placed.frame
        insets = BOX_INSETS.get(box.kind, TEXT_INSETS)
        if placeholder is not None:
            shape = placeholder
            shape.left, shape.top = emu(frame.x), emu(frame.y)
            shape.width, shape.height = emu(frame.w), emu(frame.h)
        else:
            shape = slide.shapes.add_textbox(emu(frame.x), emu(frame.y), emu(frame.w),
                                             emu(frame.h))
        shape.name = f"{box.kind.capitalize()} {self.count}.{len(slide.shapes)}"
        fill = {"callout": "callout", "code": "code"}.get(box.kind)
        if fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = self.pal.rgb(fill)
        if box.kind in BAR:
            bar_color = "quote_bar"
            if box.kind == "callout":
                bar_color = f"callout_bar_{box.tone}" if f"callout_bar_{box.tone}" in \
                    self.pal.values else "callout_bar"
            self._rect(slide, Frame(frame.x - BAR[box.kind], frame.y, BAR[box.kind], frame.h),
                       bar_color, f"{box.kind.capitalize()} bar")
        style = self.style(placeholder=placeholder is not None)
        tf = shape.text_frame
        _frame_setup(tf, insets, MSO_ANCHOR.TOP)
        paras = [box.heading, *box.paras] if box.heading else list(box.paras)
        for index, para in enumerate(paras):
            paragraph = tf.paragraphs[0] if index == 0 else tf.add_paragraph()
            self._para(paragraph, para, style, first=index == 0)

    def _para(self, paragraph: Any, para: Para, style: TextStyle, first: bool) -> None:
        m = self.m
        size = m.size(para)
        hang = m.hang(para)
        margin = m.margin_left(para)
        bullet = para.marker if para.list_kind == "bullet" else ""
        _paragraph_format(paragraph, margin, hang if para.marker else 0.0, bullet,
                          0.0 if first else m.space_before(para), self.pal, style)
        paragraph.level = min(para.level, 8)
        if para.role == "caption":
            paragraph.alignment = PP_ALIGN.CENTER
        color = {"lead": "muted", "caption": "muted", "subheading": "primary",
                 "heading": "primary", "meta": "primary", "titlelead": "primary"}.get(
            para.role, "text")
        if para.marker and para.list_kind == "number":
            # The number and a tab sit in the hanging indent; the text starts at the margin.
            self._runs(paragraph, (Span(para.marker),), size, style, bold=m.bold(para),
                       color=color)
            paragraph._p.findall(_R)[-1].find(_T).text = f"{para.marker}\t"
        self._runs(paragraph, para.spans, size, style, bold=m.bold(para), italic=m.italic(para),
                   color=color, code=para.role == "code")

    def _runs(self, paragraph: Any, spans: Inline, size: float, style: TextStyle, *,
              bold: bool = False, italic: bool = False, color: str = "text",
              code: bool = False) -> None:
        """Add one run per span (bold, italic, code, strike and links kept as run formatting).

        Runs are written with lxml directly: python-pptx's font setters search the XML on every
        call, and a deck has thousands of runs (see the benchmark in DESIGN §5).
        """
        p = paragraph._p
        for span in spans:
            parts = clean(span.text).split("\n")
            for index, text in enumerate(parts):
                if index:
                    paragraph.add_line_break()
                if not text:
                    continue
                link = span.href if safe_link(span.href) else None
                if link:
                    run = paragraph.add_run()
                    run.hyperlink.address = link
                    r = run._r
                else:
                    r = p.add_r()
                r_pr = r.find(_RPR)
                if r_pr is None:
                    r_pr = etree.Element(_RPR)
                    r.insert(0, r_pr)
                r_pr.set("lang", style.language)
                r_pr.set("sz", str(int(round(size * 100))))
                if span.bold or bold:
                    r_pr.set("b", "1")
                if span.italic or italic:
                    r_pr.set("i", "1")
                if span.strike:
                    r_pr.set("strike", "sngStrike")
                if style.explicit:
                    r_pr.set("cap", "none")
                typeface = style.mono if (span.code or code) else (
                    style.font if style.explicit else None)
                anchor = r_pr.find(_HLINK)
                if style.explicit:
                    fill = etree.Element(_SOLID)
                    etree.SubElement(fill, _SRGB, val=self.pal[color])
                    _insert_before(r_pr, fill, anchor)
                if typeface:
                    _insert_before(r_pr, etree.Element(_LATIN, typeface=typeface), anchor)
                r.find(_T).text = text

    def _rect(self, slide: Any, frame: Frame, color: str, name: str) -> Any:
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(frame.x), emu(frame.y),
                                       emu(frame.w), emu(frame.h))
        shape.fill.solid()
        shape.fill.fore_color.rgb = self.pal.rgb(color)
        shape.line.fill.background()
        shape.shadow.inherit = False
        shape.name = name
        return shape

    # -- tables --

    def _table(self, slide: Any, placed: Placed, box: TableBox) -> None:
        layout = placed.table
        assert layout is not None
        frame = placed.frame
        rows, cols = len(box.rows) + 1, len(box.header)
        graphic = slide.shapes.add_table(rows, cols, emu(frame.x), emu(frame.y), emu(frame.w),
                                         emu(frame.h))
        graphic.name = f"Table {self.count}.{len(slide.shapes)}"
        table = graphic.table
        table.first_row = True
        table.horz_banding = False
        widths = [emu(w) for w in layout.col_widths]
        widths[-1] = emu(frame.w) - sum(widths[:-1])
        for column, width in zip(table.columns, widths, strict=False):
            column.width = width
        heights = [layout.header_height, *layout.row_heights]
        for row, height in zip(table.rows, heights, strict=False):
            row.height = emu(height)
        graphic.height = sum(emu(h) for h in heights)
        style = self.style(placeholder=False)
        aligns = list(box.aligns) + [None] * cols
        for r, cells in enumerate((box.header, *box.rows)):
            for c in range(cols):
                cell = table.cell(r, c)
                spans = cells[c] if c < len(cells) else ()
                self._cell(cell, spans, r, layout.size, style, aligns[c])

    def _cell(self, cell: Any, spans: Inline, row: int, size: float, style: TextStyle,
              align: str | None) -> None:
        cell.margin_left, cell.margin_right = emu(CELL_INSETS.left), emu(CELL_INSETS.right)
        cell.margin_top, cell.margin_bottom = emu(CELL_INSETS.top), emu(CELL_INSETS.bottom)
        cell.vertical_anchor = MSO_ANCHOR.TOP
        cell.fill.solid()
        header = row == 0
        fill = "table_header" if header else ("table_band" if row % 2 == 0 else "table_body")
        cell.fill.fore_color.rgb = self.pal.rgb(fill)
        tf = cell.text_frame
        tf.word_wrap = True
        paragraph = tf.paragraphs[0]
        _paragraph_format(paragraph, 0, 0, "", 0.0, self.pal, style)
        if align in _ALIGN:
            paragraph.alignment = _ALIGN[align]
        color = "table_header_text" if header else "text"
        self._runs(paragraph, spans, size, style, bold=header, color=color)

    # -- pictures --

    def _picture(self, slide: Any, placed: Placed, box: PictureBox) -> None:
        frame = placed.frame
        image = box.image
        assert image.path is not None
        source: Any = str(image.path)
        from PIL import Image as PILImage

        with PILImage.open(image.path) as img:
            if img.format not in _PPTX_FORMATS:
                buffer = io.BytesIO()
                img.save(buffer, format="PNG")
                buffer.seek(0)
                source = buffer
        picture = slide.shapes.add_picture(source, emu(frame.x), emu(frame.y), emu(frame.w),
                                           emu(frame.h))
        c_nv_pr = picture._element.nvPicPr.cNvPr
        c_nv_pr.set("descr", clean(image.alt or image.title or image.src))
        if image.title:
            c_nv_pr.set("title", clean(image.title))
        picture.name = f"Picture {self.count}.{len(slide.shapes)}"

    # -- footer and notes --

    def _footer(self, slide: Any, role: Any, dark: bool) -> None:
        color = "dark_muted" if dark and self.deck.styled else "footer"
        style = self.style(placeholder=True)
        size = self.m.typo.footer
        layout_phs = {ph.placeholder_format.type: ph for ph in role.layout.placeholders}
        footer_ph = layout_phs.get(PP_PLACEHOLDER.FOOTER)
        number_ph = layout_phs.get(PP_PLACEHOLDER.SLIDE_NUMBER)
        text = self.footer_text
        if footer_ph is not None:
            shape = clone_placeholder(slide, footer_ph)
            text = self._one_line(text, footer_ph.width, size)
            self._footer_text(shape, text, size, style, color, PP_ALIGN.LEFT)
        else:
            shape = self._drawn_footer(slide, left=True)
            text = self._one_line(text, shape.width, size)
            self._footer_text(shape, text, size, self.style(placeholder=False), "footer",
                              PP_ALIGN.LEFT)
        if number_ph is not None:
            shape = clone_placeholder(slide, number_ph)
            self._number(shape, size, style, color)
        else:
            shape = self._drawn_footer(slide, left=False)
            self._number(shape, size, self.style(placeholder=False), "footer")

    def _one_line(self, text: str, width_emu: int, size: float) -> str:
        """Shorten `text` with an ellipsis until it fits one line of `width_emu`."""
        fm = self.m.fm
        available = (width_emu / 12700 - 2.0) / size

        def fits(candidate: str) -> bool:
            return fm.em(candidate, (False, False, False)) <= available

        if fits(text):
            return text
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if fits(text[:middle].rstrip() + "…"):
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"

    def _drawn_footer(self, slide: Any, left: bool) -> Any:
        deck = self.deck
        height = 0.3 * PT_PER_IN
        top = deck.height - deck.margin - height
        width = (deck.width - 2 * deck.margin) * (0.75 if left else 0.2)
        x = deck.margin if left else deck.width - deck.margin - width
        return slide.shapes.add_textbox(emu(x), emu(top), emu(width), emu(height))

    def _footer_text(self, shape: Any, text: str, size: float, style: TextStyle, color: str,
                     align: Any) -> None:
        tf = shape.text_frame
        for paragraph in list(tf.paragraphs)[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        paragraph = tf.paragraphs[0]
        for child in list(paragraph._p):
            if child.tag != f"{{{NS_A}}}pPr":
                paragraph._p.remove(child)
        if style.explicit:
            paragraph.alignment = align
            _frame_setup(tf, Insets(0, 0, 0, 0), MSO_ANCHOR.MIDDLE)
        self._runs(paragraph, (Span(text),), size, style, color=color)

    def _number(self, shape: Any, size: float, style: TextStyle, color: str) -> None:
        tf = shape.text_frame
        paragraph = tf.paragraphs[0]
        p = paragraph._p
        fld = p.find(f".//{{{NS_A}}}fld")
        for child in list(p):
            if child.tag not in (f"{{{NS_A}}}pPr",) and child is not fld:
                p.remove(child)
        if fld is None:
            fld = etree.SubElement(p, f"{{{NS_A}}}fld", id=_FIELD_ID, type="slidenum")
        for child in list(fld):
            fld.remove(child)
        r_pr = etree.SubElement(fld, f"{{{NS_A}}}rPr", lang=style.language)
        if style.explicit:
            r_pr.set("sz", str(int(size * 100)))
            fill = etree.SubElement(r_pr, f"{{{NS_A}}}solidFill")
            etree.SubElement(fill, f"{{{NS_A}}}srgbClr", val=self.pal[color])
            etree.SubElement(r_pr, f"{{{NS_A}}}latin", typeface=style.font)
            paragraph.alignment = PP_ALIGN.RIGHT
            _frame_setup(tf, Insets(0, 0, 0, 0), MSO_ANCHOR.MIDDLE)
        text = etree.SubElement(fld, f"{{{NS_A}}}t")
        text.text = str(self.count)

    def _notes(self, slide: Any, notes: list[str]) -> None:
        lines = [clean(line) for line in notes if line and line.strip()]
        if not lines:
            return
        tf = slide.notes_slide.notes_text_frame
        for index, line in enumerate(lines):
            paragraph = tf.paragraphs[0] if index == 0 else tf.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run._r.get_or_add_rPr().set("lang", self.language)

    def _remove_empty_placeholders(self, slide: Any) -> None:
        """Drop placeholders we did not fill ("Click to add text" must not show in a deck)."""
        for shape in list(slide.placeholders):
            if shape.has_text_frame and not shape.text_frame.text.strip():
                shape._element.getparent().remove(shape._element)


# --- XML helpers -------------------------------------------------------------------------------


def _placeholder(slide: Any, kinds: tuple[Any, ...], idx: int | None = None) -> Any | None:
    for shape in slide.placeholders:
        fmt = shape.placeholder_format
        if fmt.type in kinds and (idx is None or fmt.idx == idx):
            return shape
    return None


def _frame_setup(tf: Any, insets: Insets, anchor: Any) -> None:
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left, tf.margin_right = emu(insets.left), emu(insets.right)
    tf.margin_top, tf.margin_bottom = emu(insets.top), emu(insets.bottom)
    if anchor is not None:
        tf.vertical_anchor = anchor


def _spacing(paragraph: Any, before: float) -> None:
    paragraph.space_before = Pt(before)
    paragraph.space_after = Pt(0)
    paragraph.line_spacing = 1.0


def _paragraph_format(paragraph: Any, margin: float, hang: float, bullet: str, before: float,
                      pal: Palette, style: TextStyle) -> None:
    """Indent, spacing and bullet of a paragraph, written in schema order."""
    p_pr = paragraph._p.get_or_add_pPr()
    for child in list(p_pr):
        p_pr.remove(child)
    p_pr.set("marL", str(emu(margin)))
    p_pr.set("indent", str(-emu(hang)))
    p_pr.set("algn", "l")
    line = etree.SubElement(p_pr, f"{{{NS_A}}}lnSpc")
    etree.SubElement(line, f"{{{NS_A}}}spcPct", val="100000")
    space = etree.SubElement(p_pr, f"{{{NS_A}}}spcBef")
    etree.SubElement(space, f"{{{NS_A}}}spcPts", val=str(int(round(before * 100))))
    after = etree.SubElement(p_pr, f"{{{NS_A}}}spcAft")
    etree.SubElement(after, f"{{{NS_A}}}spcPts", val="0")
    if bullet:
        color = etree.SubElement(p_pr, f"{{{NS_A}}}buClr")
        etree.SubElement(color, f"{{{NS_A}}}srgbClr", val=pal["bullet"])
        etree.SubElement(p_pr, f"{{{NS_A}}}buSzPct", val="100000")
        etree.SubElement(p_pr, f"{{{NS_A}}}buFont", typeface=style.font)
        etree.SubElement(p_pr, f"{{{NS_A}}}buChar", char=bullet)
    else:
        etree.SubElement(p_pr, f"{{{NS_A}}}buNone")


def _insert_before(parent: Any, element: Any, anchor: Any | None) -> None:
    """Insert `element` before `anchor` (schema order: fill, latin, then hlinkClick)."""
    if anchor is None:
        parent.append(element)
    else:
        anchor.addprevious(element)
