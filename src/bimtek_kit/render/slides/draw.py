"""Laid-out pages -> python-pptx slides: real text frames, tables and pictures, all editable.

Everything here was measured before (`slides_layout`): this module only places it. Text goes into
the layout's placeholders where one exists (title, body, subtitle, footer, slide number), so the
deck stays a proper template-based presentation; callouts, quotes, tables and pictures are drawn
inside the body frame. With the built-in look, fonts and colours are set explicitly from theme.yml;
with a project's template.pptx, placeholder text inherits the template's fonts and colours.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Pt

from bimtek_kit.model import Inline, Span
from bimtek_kit.render.base import safe_link
from bimtek_kit.render.diagram import DASH, Node, diagram_description, lay_out_diagram
from bimtek_kit.render.slides.layout import (
    BAR,
    BOX_INSETS,
    CAPTION,
    CELL_INSETS,
    PT_PER_IN,
    TEXT_INSETS,
    DiagramBox,
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
from bimtek_kit.render.slides.measure import wrapper
from bimtek_kit.render.slides.template import (
    NS_A,
    NS_P,
    BaseDeck,
    Palette,
    clone_placeholder,
    emu,
    title_frame,
)

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RPR = f"{{{NS_A}}}rPr"
_HLINK = f"{{{NS_A}}}hlinkClick"
_SOLID = f"{{{NS_A}}}solidFill"
_SRGB = f"{{{NS_A}}}srgbClr"
_LATIN = f"{{{NS_A}}}latin"
_T = f"{{{NS_A}}}t"
_R = f"{{{NS_A}}}r"
_P = f"{{{NS_A}}}p"
_BR = f"{{{NS_A}}}br"
_PPR = f"{{{NS_A}}}pPr"
_END_RPR = f"{{{NS_A}}}endParaRPr"
_BODY_PR = f"{{{NS_A}}}bodyPr"
_TC = f"{{{NS_A}}}tc"
_TR = f"{{{NS_A}}}tr"
_TC_PR = f"{{{NS_A}}}tcPr"
_FLD = f"{{{NS_A}}}fld"
_TX_BODY = f"{{{NS_P}}}txBody"
_AUTOFIT = tuple(f"{{{NS_A}}}{tag}" for tag in ("noAutofit", "normAutofit", "spAutoFit"))
_AUTOFIT_NEXT = tuple(f"{{{NS_A}}}{tag}" for tag in ("scene3d", "sp3d", "flatTx", "extLst"))
_FILLS = tuple(f"{{{NS_A}}}{tag}" for tag in ("noFill", "solidFill", "gradFill", "blipFill",
                                               "pattFill", "grpFill"))
_SPACING = tuple(f"{{{NS_A}}}{tag}" for tag in ("lnSpc", "spcBef", "spcAft"))
_SHAPE_TAGS = frozenset(f"{{{NS_P}}}{tag}" for tag in ("sp", "grpSp", "graphicFrame", "cxnSp",
                                                      "pic", "contentPart"))
_NV_PH = f"{{{NS_P}}}nvPr/{{{NS_P}}}ph"
_SP = f"{{{NS_P}}}sp"
_ANCHOR = {MSO_ANCHOR.TOP: "t", MSO_ANCHOR.MIDDLE: "ctr", MSO_ANCHOR.BOTTOM: "b"}
_ALGN = {PP_ALIGN.LEFT: "l", PP_ALIGN.CENTER: "ctr", PP_ALIGN.RIGHT: "r"}
_TITLE_PH = ("title", "ctrTitle")
_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"
_ALIGN = {"center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT, "left": PP_ALIGN.LEFT}
_PPTX_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF")
_ROLE = {"tint": "table_band"}
MIN_CAPTION_WIDTH = 300.0
"""Points: a caption under a small picture may be wider than the picture."""
"""Diagram colour roles that have another name in the slide palette."""


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
    section: int = 0
    """The `##` section the slide belongs to (notes are shared out within a section)."""
    body_size: float = 0.0
    """Body text size of a content page (0: the theme's); the layout chose it to fill the slide."""


@dataclass(frozen=True)
class TextStyle:
    """How to write the text of one frame: explicit fonts/colours or inherited ones."""

    explicit: bool
    font: str
    mono: str
    language: str


class DeckWriter:
    """Adds one slide per `PagePlan` to the base deck."""

    def __init__(self, deck: BaseDeck, pal: Palette, measure: TextMeasure, *, mono: str,
                 language: str, footer_text: str, logo: Path | None,
                 measure_at: Callable[[float], TextMeasure] | None = None) -> None:
        self.deck = deck
        self.prs = deck.prs
        self.pal = pal
        self.base = measure
        self.m = measure
        self.measure_at = measure_at
        self.mono = mono
        self.language = language
        self.footer_text = footer_text
        self.logo = logo
        self.count = 0
        self.diagram_label = "Bagan"
        self.slide: Any = None
        self._slide_shapes: dict[Any, list[Any]] = {}
        """Per layout part: the placeholders python-pptx cloned onto its first slide."""
        self._slide_id = 255
        """The largest slide id in the deck (python-pptx numbers slides from 256)."""
        self._notes_shapes: Any = None
        self._notes_master: Any = None
        self._notes_number = 0
        self._footer_phs: dict[str, tuple[Any, Any]] = {}
        self._one_lines: dict[tuple[str, int, float], str] = {}
        self._headers: dict[tuple[Any, ...], list[Any]] = {}
        self._runs_by_look: dict[tuple[Any, ...], Any] = {}
        """Header-row cells of tables already drawn: a table continued on n slides repeats its
        header n times, and a wide table has a row or two per slide, so drawing the header again
        each time would make its cost grow with columns x slides."""

    # -- styles --

    def style(self, *, placeholder: bool) -> TextStyle:
        """Placeholders of a project template inherit its fonts and colours; all else is set."""
        explicit = self.deck.styled or not placeholder
        return TextStyle(explicit, self.deck.body_font, self.mono, self.language)

    # -- slides --

    def add(self, page: PagePlan) -> Any:
        role = self.deck.roles[page.kind]
        slide = self.slide = self._new_slide(role.layout)
        self.count += 1
        self.m = self.base
        if page.body_size and self.measure_at is not None:
            self.m = self.measure_at(page.body_size)
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

    def _new_slide(self, layout: Any) -> Any:
        """A slide with its layout's placeholders. python-pptx clones them with XPath searches
        over the whole slide; the clones are the same on every slide of one layout, so the
        first slide's are copied onto the next ones (the same XML, a tenth of the time)."""
        shapes = self._slide_shapes.get(layout.part)
        id_list = self.prs.slides._sldIdLst
        if shapes is None:
            slide = self.prs.slides.add_slide(layout)
            self._slide_shapes[layout.part] = [copy.deepcopy(e) for e in _tree(slide)[2:]]
            self._slide_id = max(int(e.get("id")) for e in id_list
                                 if e.tag == f"{{{NS_P}}}sldId")
            return slide
        r_id, slide = self.prs.part.add_slide(layout)
        tree = _tree(slide)
        for element in shapes:
            tree.append(copy.deepcopy(element))
        self._slide_id += 1
        _add_slide_id(id_list, r_id, self._slide_id)
        return slide

    # -- title --

    def _title(self, slide: Any, page: PagePlan, anchor: Any, dark: bool = False) -> None:
        element = _title_element(slide)
        placeholder = element is not None
        if element is None:
            frame = title_frame(self.deck, page.kind)
            element = slide.shapes.add_textbox(emu(frame.x), emu(frame.y), emu(frame.w),
                                               emu(frame.h))._element
        style = self.style(placeholder=placeholder)
        tx_body = _tx_body(element)
        _frame_setup(tx_body, TEXT_INSETS, anchor if style.explicit else None)
        paragraph = tx_body.find(_P)
        if style.explicit:
            _p_pr(paragraph).set("algn", "l")
            _spacing(paragraph)
        color = ("dark_text" if dark else "title_text") if self.deck.styled else "primary"
        # Bold in the built-in look; a template's own title weight is kept (titles are
        # measured as bold either way, the wider case).
        self._runs(paragraph, (Span(page.title.text),), page.title.size, style,
                   bold=style.explicit, color=color)

    def _kicker(self, slide: Any, page: PagePlan) -> None:
        shape = _placeholder(slide, ("body", "subTitle"))
        if shape is None or not page.kicker:
            return
        style = self.style(placeholder=True)
        tx_body = _tx_body(shape)
        _frame_setup(tx_body, TEXT_INSETS, MSO_ANCHOR.BOTTOM if style.explicit else None)
        paragraph = tx_body.find(_P)
        _paragraph_format(paragraph, 0, 0, "", 0.0, self.pal, style)
        self._runs(paragraph, (Span(page.kicker),), page.subtitle_size, style, bold=True,
                   color="rule")

    def _subtitle(self, slide: Any, page: PagePlan) -> None:
        shape = _placeholder(slide, ("subTitle", "body"))
        placeholder = shape is not None
        if shape is None:
            title = slide.shapes.title
            top = (title.top + title.height) if title is not None else emu(self.deck.height / 2)
            bottom = emu(self.deck.height - self.deck.margin)
            height = max(min(emu(1.6 * PT_PER_IN), bottom - top), emu(0.5 * PT_PER_IN))
            top = min(top, emu(self.deck.height) - height)
            shape = slide.shapes.add_textbox(emu(self.deck.margin), top,
                                             emu(self.deck.width - 2 * self.deck.margin),
                                             height)._element
        style = self.style(placeholder=placeholder)
        tx_body = _tx_body(shape)
        _frame_setup(tx_body, TEXT_INSETS, MSO_ANCHOR.TOP if style.explicit else None)
        scale = page.subtitle_size / self.m.typo.body
        for index, para in enumerate(page.subtitle):
            paragraph = _paragraph(tx_body, index)
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
        body_ph = _placeholder(slide, ("obj", "body"), idx=1)
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
            elif isinstance(box, DiagramBox):
                self._diagram(slide, placed, box)
        if body_ph is not None:
            body_ph.getparent().remove(body_ph)

    def _text_box(self, slide: Any, placed: Placed, box: TextBox, placeholder: Any) -> None:
        frame = placed.frame
        insets = BOX_INSETS.get(box.kind, TEXT_INSETS)
        if placeholder is not None:
            shape = _shape(slide, placeholder)
            shape.left, shape.top = emu(frame.x), emu(frame.y)
            shape.width, shape.height = emu(frame.w), emu(frame.h)
        else:
            shape = slide.shapes.add_textbox(emu(frame.x), emu(frame.y), emu(frame.w),
                                             emu(frame.h))
        _name(shape._element, f"{box.kind.capitalize()} {self.count}.{_shape_count(slide)}")
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
        tx_body = _tx_body(shape._element)
        _frame_setup(tx_body, insets, MSO_ANCHOR.TOP)
        paras = [box.heading, *box.paras] if box.heading else list(box.paras)
        for index, para in enumerate(paras):
            self._para(_paragraph(tx_body, index), para, style, first=index == 0)

    def _para(self, paragraph: Any, para: Para, style: TextStyle, first: bool) -> None:
        m = self.m
        size = m.size(para)
        hang = m.hang(para)
        margin = m.margin_left(para)
        bullet = para.marker if para.list_kind == "bullet" else ""
        _paragraph_format(paragraph, margin, hang if para.marker else 0.0, bullet,
                          0.0 if first else m.space_before(para), self.pal, style)
        level = min(para.level, 8)
        if level:
            _p_pr(paragraph).set("lvl", str(level))
        if para.role == "caption":
            _p_pr(paragraph).set("algn", "ctr")
        color = {"lead": "muted", "caption": "muted", "subheading": "primary",
                 "heading": "primary", "meta": "primary", "titlelead": "primary"}.get(
            para.role, "text")
        if para.marker and para.list_kind == "number":
            # The number and a tab sit in the hanging indent; the text starts at the margin.
            self._runs(paragraph, (Span(para.marker),), size, style, bold=m.bold(para),
                       color=color)
            paragraph.findall(_R)[-1].find(_T).text = f"{para.marker}\t"
        self._runs(paragraph, para.spans, size, style, bold=m.bold(para), italic=m.italic(para),
                   color=color, code=para.role == "code")

    def _runs(self, paragraph: Any, spans: Inline, size: float, style: TextStyle, *,
              bold: bool = False, italic: bool = False, color: str = "text",
              code: bool = False) -> None:
        """Add one run per span (bold, italic, code, strike and links kept as run formatting).

        Runs are written with lxml directly: python-pptx's font setters search the XML on every
        call, and a deck has thousands of runs (see the benchmark in DESIGN §5).
        """
        p = paragraph
        for span in spans:
            parts = clean(span.text).split("\n")
            for index, text in enumerate(parts):
                if index:
                    _append(p, etree.Element(_BR))
                if not text:
                    continue
                look = (span.bold or bold, span.italic or italic, span.strike, span.code or code,
                        size, color, style)
                link = span.href if safe_link(span.href) else None
                if link:
                    from pptx.text.text import _Paragraph

                    run = _Paragraph(p, self.slide).add_run()
                    run.hyperlink.address = link
                    r = run._r
                    self._format_run(r, look)
                else:
                    r = copy.deepcopy(self._run_model(look))
                    _append(p, r)
                r.find(_T).text = text

    def _run_model(self, look: tuple[Any, ...]) -> Any:
        """An empty `a:r` with the run properties of `look` (copied for every run like it)."""
        model = self._runs_by_look.get(look)
        if model is None:
            model = etree.Element(_R)
            etree.SubElement(model, _T)
            self._format_run(model, look)
            self._runs_by_look[look] = model
        return model

    def _format_run(self, r: Any, look: tuple[Any, ...]) -> None:
        bold, italic, strike, code, size, color, style = look
        r_pr = r.find(_RPR)
        if r_pr is None:
            r_pr = etree.Element(_RPR)
            r.insert(0, r_pr)
        r_pr.set("lang", style.language)
        r_pr.set("sz", str(int(round(size * 100))))
        if bold:
            r_pr.set("b", "1")
        if italic:
            r_pr.set("i", "1")
        if strike:
            r_pr.set("strike", "sngStrike")
        if style.explicit:
            r_pr.set("cap", "none")
        typeface = style.mono if code else (style.font if style.explicit else None)
        anchor = r_pr.find(_HLINK)
        if style.explicit:
            fill = etree.Element(_SOLID)
            etree.SubElement(fill, _SRGB, val=self.pal[color])
            _insert_before(r_pr, fill, anchor)
        if typeface:
            _insert_before(r_pr, etree.Element(_LATIN, typeface=typeface), anchor)

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
        element = graphic._element
        _name(element, f"Table {self.count}.{_shape_count(slide)}")
        tbl = element.find(f".//{{{NS_A}}}tbl")
        tbl_pr = tbl.find(f"{{{NS_A}}}tblPr")
        tbl_pr.set("firstRow", "1")
        tbl_pr.attrib.pop("bandRow", None)
        widths = [emu(w) for w in layout.col_widths]
        widths[-1] = emu(frame.w) - sum(widths[:-1])
        grid = tbl.find(f"{{{NS_A}}}tblGrid").findall(f"{{{NS_A}}}gridCol")
        for column, width in zip(grid, widths, strict=False):
            column.set("w", str(width))
        heights = [emu(h) for h in (layout.header_height, *layout.row_heights)]
        for row, height in zip(tbl.iterchildren(_TR), heights, strict=False):
            row.set("h", str(height))
        ext = element.find(f"{{{NS_P}}}xfrm/{{{NS_A}}}ext")
        if grid and widths:  # as python-pptx's column and row setters resize the frame
            ext.set("cx", str(sum(int(column.get("w")) for column in grid)))
        ext.set("cy", str(sum(heights)))
        table = graphic.table
        style = self.style(placeholder=False)
        aligns = list(box.aligns) + [None] * cols
        margins = [("marL", CELL_INSETS.left), ("marR", CELL_INSETS.right),
                   ("marT", CELL_INSETS.top), ("marB", CELL_INSETS.bottom)]
        margins_emu = [(name, str(emu(value))) for name, value in margins]
        header_key = _header_key(box, layout.size, aligns, style)
        for r, (cells, tr) in enumerate(zip((box.header, *box.rows),
                                            table._tbl.iterchildren(_TR), strict=False)):
            if r == 0 and header_key in self._headers:
                _replace_cells(tr, self._headers[header_key])
                continue
            for c, tc in enumerate(tr.iterchildren(_TC)):
                spans = cells[c] if c < len(cells) else ()
                self._cell(tc, spans, r, layout.size, style, aligns[c], margins_emu)
            if r == 0 and header_key is not None:
                self._headers[header_key] = [copy.deepcopy(tc) for tc in tr.iterchildren(_TC)]

    def _cell(self, tc: Any, spans: Inline, row: int, size: float, style: TextStyle,
              align: str | None, margins: list[tuple[str, str]]) -> None:
        """One table cell, written as python-pptx's cell setters would write it."""
        tc_pr = tc.get_or_add_tcPr()
        for name, value in margins:
            tc_pr.set(name, value)
        tc_pr.set("anchor", "t")
        header = row == 0
        fill = "table_header" if header else ("table_band" if row % 2 == 0 else "table_body")
        _solid_fill(tc_pr, self.pal[fill])
        tx_body = tc.get_or_add_txBody()
        _body_pr(tx_body).set("wrap", "square")
        paragraph = tx_body.find(_P)
        _paragraph_format(paragraph, 0, 0, "", 0.0, self.pal, style)
        if align in _ALIGN:
            _p_pr(paragraph).set("algn", _ALGN[_ALIGN[align]])
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
        caption_h = CAPTION if box.caption else 0.0
        picture = slide.shapes.add_picture(source, emu(frame.x), emu(frame.y), emu(frame.w),
                                           emu(frame.h - caption_h))
        c_nv_pr = picture._element.nvPicPr.cNvPr
        c_nv_pr.set("descr", clean(image.alt or image.title or image.src))
        if image.title:
            c_nv_pr.set("title", clean(image.title))
        _name(picture._element, f"Picture {self.count}.{_shape_count(slide)}")
        if box.caption:
            self._caption(slide, Frame(frame.x, frame.bottom - caption_h, frame.w, caption_h),
                          box.caption)

    def _caption(self, slide: Any, frame: Frame, text: str) -> None:
        """One centred line under a picture or diagram (shortened with … when too long); under a
        small picture the line is wider than the picture, centred on it, inside the body."""
        body = self.deck.body
        width = max(frame.w, min(MIN_CAPTION_WIDTH, body.right - frame.x))
        left = max(body.x, min(frame.x + (frame.w - width) / 2, body.right - width))
        frame = Frame(left, frame.y, width, frame.h)
        shape = slide.shapes.add_textbox(emu(frame.x), emu(frame.y), emu(frame.w), emu(frame.h))
        _name(shape._element, f"Caption {self.count}.{_shape_count(slide)}")
        tx_body = _tx_body(shape._element)
        _frame_setup(tx_body, TEXT_INSETS, MSO_ANCHOR.BOTTOM)
        para = Para((Span(text),), role="caption", counts=False)
        size = self.m.size(para)
        line = self._one_line(text, emu(frame.w - TEXT_INSETS.left - TEXT_INSETS.right), size)
        self._para(tx_body.find(_P), replace(para, spans=(Span(line),)),
                   self.style(placeholder=False), first=True)

    # -- diagrams --

    def _diagram(self, slide: Any, placed: Placed, box: DiagramBox) -> None:
        """Grouped native shapes: editable text in theme colours, sized to fit (DESIGN §3)."""
        from pptx.enum.shapes import MSO_CONNECTOR

        frame = placed.frame
        diagram = box.diagram
        caption_h = CAPTION if diagram.title else 0.0
        typo = self.base.typo
        drawing = lay_out_diagram(diagram, frame.w, frame.h - caption_h, wrapper(self.m.fm),
                                  typo.body, typo.floor)
        group = slide.shapes.add_group_shape()
        _name(group._element, f"Diagram {self.count}.{_shape_count(slide)}")
        c_nv_pr = group._element.nvGrpSpPr.cNvPr
        c_nv_pr.set("descr", clean(diagram_description(diagram, self.diagram_label)))
        for link in drawing.links:
            for index, (start, end) in enumerate(zip(link.points, link.points[1:],
                                                     strict=False)):
                line = group.shapes.add_connector(
                    MSO_CONNECTOR.STRAIGHT, emu(frame.x + start[0]), emu(frame.y + start[1]),
                    emu(frame.x + end[0]), emu(frame.y + end[1]))
                line.line.color.rgb = self.pal.rgb("muted")
                line.line.width = Pt(1.5)
                if link.arrow and index == len(link.points) - 2:
                    etree.SubElement(line.line._get_or_add_ln(), f"{{{NS_A}}}tailEnd",
                                     type="triangle", w="med", len="med")
        for node in drawing.nodes:
            self._diagram_node(group.shapes, node, frame)
        if diagram.title:
            self._caption(slide, Frame(frame.x, frame.bottom - caption_h, frame.w, caption_h),
                          diagram.title)

    def _diagram_node(self, shapes: Any, node: Node, frame: Frame) -> None:
        x, y = emu(frame.x + node.x), emu(frame.y + node.y)
        w, h = emu(node.w), emu(node.h)
        if node.shape == "text":
            shape = shapes.add_textbox(x, y, w, h)
        else:
            kind = MSO_SHAPE.TRAPEZOID if node.shape == "trapezoid" else \
                MSO_SHAPE.ROUNDED_RECTANGLE
            shape = shapes.add_shape(kind, x, y, w, h)
            shape.adjustments[0] = (node.top_inset / min(node.w, node.h) if node.shape ==
                                    "trapezoid" else min(0.5, 6.0 / min(node.w, node.h)))
            shape.fill.solid()
            shape.fill.fore_color.rgb = self.pal.rgb(_ROLE.get(node.fill, node.fill))
            shape.shadow.inherit = False
            if node.fill in ("white", "tint"):
                shape.line.color.rgb = self.pal.rgb("primary")
                shape.line.width = Pt(1)
            else:
                shape.line.fill.background()
        shape.name = f"{node.shape.capitalize()} {node.label[:30]}".rstrip()
        if not node.lines:
            return
        tx_body = _tx_body(shape._element)
        _frame_setup(tx_body, Insets(node.pad, node.pad, node.pad, node.pad), MSO_ANCHOR.MIDDLE)
        style = self.style(placeholder=False)
        color = _ROLE.get(node.ink, node.ink)
        align = _ALIGN.get(node.align, PP_ALIGN.CENTER)
        label, rest = (Span(node.label, bold=True),), ()
        if node.description:
            rest = (Span(f" {DASH} {node.description}" if node.inline else node.description),)
        runs = [(*label, *rest)] if node.inline else [label, *([rest] if rest else [])]
        for index, spans in enumerate(runs):
            paragraph = _paragraph(tx_body, index)
            _paragraph_format(paragraph, 0, 0, "", 0.0, self.pal, style)
            _p_pr(paragraph).set("algn", _ALGN[align])
            self._runs(paragraph, spans, node.size, style, color=color)

    # -- footer and notes --

    def _footer(self, slide: Any, role: Any, dark: bool) -> None:
        color = "dark_muted" if dark and self.deck.styled else "footer"
        style = self.style(placeholder=True)
        size = self.m.typo.footer
        footer_ph, number_ph = self._footer_placeholders(role)
        text = self.footer_text
        if footer_ph is not None:
            shape = clone_placeholder(slide, footer_ph)
            text = self._one_line(text, footer_ph.width, size)
            self._footer_text(shape, text, size, style, color, PP_ALIGN.LEFT)
        else:
            drawn = self._drawn_footer(slide, left=True)
            text = self._one_line(text, drawn.width, size)
            self._footer_text(drawn._element, text, size, self.style(placeholder=False),
                              "footer", PP_ALIGN.LEFT)
        if number_ph is not None:
            shape = clone_placeholder(slide, number_ph)
            self._number(shape, size, style, color)
        else:
            drawn = self._drawn_footer(slide, left=False)
            self._number(drawn._element, size, self.style(placeholder=False), "footer")

    def _footer_placeholders(self, role: Any) -> tuple[Any, Any]:
        """The layout's footer and slide-number placeholders (looked up once per layout)."""
        found = self._footer_phs.get(id(role.layout.part))
        if found is None:
            layout_phs = {ph.placeholder_format.type: ph for ph in role.layout.placeholders}
            found = (layout_phs.get(PP_PLACEHOLDER.FOOTER),
                     layout_phs.get(PP_PLACEHOLDER.SLIDE_NUMBER))
            self._footer_phs[id(role.layout.part)] = found
        return found

    def _one_line(self, text: str, width_emu: int, size: float) -> str:
        """Shorten `text` with an ellipsis until it fits one line of `width_emu`."""
        key = (text, int(width_emu), size)
        line = self._one_lines.get(key)
        if line is None:
            line = self._one_lines[key] = self._shortened(text, width_emu, size)
        return line

    def _shortened(self, text: str, width_emu: int, size: float) -> str:
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
        tx_body = _tx_body(shape)
        for extra in tx_body.findall(_P)[1:]:
            tx_body.remove(extra)
        paragraph = tx_body.find(_P)
        for child in list(paragraph):
            if child.tag != _PPR:
                paragraph.remove(child)
        if style.explicit:
            _p_pr(paragraph).set("algn", _ALGN[align])
            _frame_setup(tx_body, Insets(0, 0, 0, 0), MSO_ANCHOR.MIDDLE)
        self._runs(paragraph, (Span(text),), size, style, color=color)

    def _number(self, shape: Any, size: float, style: TextStyle, color: str) -> None:
        tx_body = _tx_body(shape)
        paragraph = p = tx_body.find(_P)
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
            _p_pr(paragraph).set("algn", "r")
            _frame_setup(tx_body, Insets(0, 0, 0, 0), MSO_ANCHOR.MIDDLE)
        text = etree.SubElement(fld, f"{{{NS_A}}}t")
        text.text = str(self.count)

    def _notes(self, slide: Any, notes: list[str]) -> None:
        lines = [clean(line) for note in notes for line in note.split("\n") if line.strip()]
        if not lines:
            return
        tx_body = _tx_body(self._notes_body(slide))
        for index, line in enumerate(lines):
            paragraph = _paragraph(tx_body, index)
            r = etree.Element(_R)
            etree.SubElement(r, _RPR, lang=self.language)
            etree.SubElement(r, _T).text = line
            _append(paragraph, r)

    def _notes_body(self, slide: Any) -> Any:
        """The body placeholder of a new notes page for `slide`.

        The first one is python-pptx's (it adds the notes master too); the next ones copy its
        placeholders instead of cloning the master's again, and are numbered directly instead
        of by python-pptx's walk over every part of the package.
        """
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.opc.packuri import PackURI
        from pptx.parts.slide import NotesSlidePart

        if self._notes_shapes is None:
            notes = slide.notes_slide
            self._notes_shapes = copy.deepcopy(notes._element)
            self._notes_master = notes.part.part_related_by(RT.NOTES_MASTER)
            self._notes_number = int(re.findall(r"\d+", str(notes.part.partname))[-1])
            return notes.notes_placeholder._element
        self._notes_number += 1
        element = copy.deepcopy(self._notes_shapes)
        part = NotesSlidePart(PackURI(f"/ppt/notesSlides/notesSlide{self._notes_number}.xml"),
                              CT.PML_NOTES_SLIDE, self.prs.part.package, element)
        part.relate_to(self._notes_master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return _placeholder_in(element.find(f".//{{{NS_P}}}spTree"), ("body",))

    def _remove_empty_placeholders(self, slide: Any) -> None:
        """Drop placeholders we did not fill ("Click to add text" must not show in a deck)."""
        tree = _tree(slide)
        for element in list(tree):
            if element.tag != _SP or _ph(element) is None:
                continue
            tx_body = element.find(_TX_BODY)
            if tx_body is None or not _text(tx_body).strip():
                tree.remove(element)


# --- XML helpers -------------------------------------------------------------------------------


# python-pptx's shape and text-frame objects find every element by an XPath or a qualified-name
# lookup on each access; a deck writes tens of thousands of them. These helpers write the same
# XML with lxml directly (the tests compare decks before and after, byte for byte).


def _tree(slide: Any) -> Any:
    return slide.shapes._spTree


def _header_key(box: TableBox, size: float, aligns: list[str | None],
                style: TextStyle) -> tuple[Any, ...] | None:
    """What a table's header row looks like (None when a cell links somewhere: a link is a
    relationship of one slide, so its cell cannot be copied to another)."""
    if any(span.href for cell in box.header for span in cell):
        return None
    return (box.header, len(box.header), size, tuple(aligns), style.explicit, style.font,
            style.mono, style.language)


def _replace_cells(tr: Any, cells: list[Any]) -> None:
    for old, new in zip(list(tr.iterchildren(_TC)), cells, strict=True):
        tr.replace(old, copy.deepcopy(new))


def _shape_count(slide: Any) -> int:
    """`len(slide.shapes)` without python-pptx's shape proxies."""
    return sum(1 for element in _tree(slide) if element.tag in _SHAPE_TAGS)


def _name(element: Any, name: str) -> None:
    """Set a shape's name (its first child's `p:cNvPr`), as `shape.name = ...` does."""
    element[0].find(f"{{{NS_P}}}cNvPr").set("name", name)


def _add_slide_id(id_list: Any, r_id: str, number: int) -> None:
    """Add a `p:sldId` as python-pptx's `add_sldId` does, with the id the caller counts (its
    XPath over every slide id makes adding n slides quadratic)."""
    element = etree.Element(f"{{{NS_P}}}sldId", {"id": str(number), f"{{{NS_R}}}id": r_id})
    _insert_ordered(id_list, element, (f"{{{NS_P}}}extLst",))


def _ph(element: Any) -> Any | None:
    """The `p:ph` of a shape element (None when it is not a placeholder)."""
    nv_pr = element[0] if len(element) else None
    return nv_pr.find(_NV_PH) if nv_pr is not None else None


def _placeholder_in(tree: Any, kinds: tuple[str, ...], idx: int | None = None) -> Any | None:
    """The placeholder element of one of `kinds` (ST_PlaceholderType names) that python-pptx's
    `slide.placeholders` lists first (lowest idx, then document order)."""
    found, found_idx = None, 0
    for element in tree:
        if element.tag not in _SHAPE_TAGS:
            continue
        ph = _ph(element)
        if ph is None or ph.get("type", "obj") not in kinds:
            continue
        ph_idx = int(ph.get("idx", "0"))
        if (idx is None or ph_idx == idx) and (found is None or ph_idx < found_idx):
            found, found_idx = element, ph_idx
    return found


def _placeholder(slide: Any, kinds: tuple[str, ...], idx: int | None = None) -> Any | None:
    return _placeholder_in(_tree(slide), kinds, idx)


def _title_element(slide: Any) -> Any | None:
    """The title placeholder as python-pptx finds it: the first placeholder with idx 0."""
    for element in _tree(slide):
        if element.tag in _SHAPE_TAGS:
            ph = _ph(element)
            if ph is not None and int(ph.get("idx", "0")) == 0:
                return element
    return None


def _shape(slide: Any, element: Any) -> Any:
    """python-pptx's proxy for a shape element (for its position setters)."""
    from pptx.shapes.shapetree import SlideShapeFactory

    return SlideShapeFactory(element, slide.shapes)


def _tx_body(element: Any) -> Any:
    tx_body = element.find(_TX_BODY)
    return tx_body if tx_body is not None else element.get_or_add_txBody()


def _body_pr(tx_body: Any) -> Any:
    return tx_body.find(_BODY_PR)


def _paragraph(tx_body: Any, index: int) -> Any:
    """The first `a:p` for index 0, else a new one appended (as `add_paragraph` does)."""
    if index == 0:
        return tx_body.find(_P)
    return etree.SubElement(tx_body, _P)


def _p_pr(p: Any) -> Any:
    p_pr = p.find(_PPR)
    if p_pr is None:
        p_pr = etree.Element(_PPR)
        p.insert(0, p_pr)
    return p_pr


def _append(p: Any, child: Any) -> None:
    """Add a run or break to a paragraph, before its end-of-paragraph properties."""
    end = p.find(_END_RPR)
    if end is None:
        p.append(child)
    else:
        end.addprevious(child)


def _text(tx_body: Any) -> str:
    """The text of a text body as python-pptx reads it (line breaks as vertical tabs)."""
    paragraphs = []
    for p in tx_body.iterchildren(_P):
        paragraphs.append("".join("\v" if child.tag == _BR else "".join(child.itertext())
                                  for child in p if child.tag in (_R, _BR, _FLD)))
    return "\n".join(paragraphs)


def _set_length(element: Any, name: str, value: int, default: int) -> None:
    """An optional length attribute: python-pptx drops it when it equals the default."""
    if value == default:
        element.attrib.pop(name, None)
    else:
        element.set(name, str(value))


def _frame_setup(tx_body: Any, insets: Insets, anchor: Any) -> None:
    """Wrap, no autofit, insets and anchor: what the `TextFrame` setters write."""
    body_pr = _body_pr(tx_body)
    body_pr.set("wrap", "square")
    for child in list(body_pr):
        if child.tag in _AUTOFIT:
            body_pr.remove(child)
    _insert_ordered(body_pr, etree.Element(_AUTOFIT[0]), _AUTOFIT_NEXT)
    _set_length(body_pr, "lIns", emu(insets.left), 91440)
    _set_length(body_pr, "rIns", emu(insets.right), 91440)
    _set_length(body_pr, "tIns", emu(insets.top), 45720)
    _set_length(body_pr, "bIns", emu(insets.bottom), 45720)
    if anchor is not None:
        body_pr.set("anchor", _ANCHOR[anchor])


def _insert_ordered(parent: Any, element: Any, successors: tuple[str, ...]) -> None:
    """Insert `element` before the first child that must follow it (schema order)."""
    for child in parent:
        if child.tag in successors:
            child.addprevious(element)
            return
    parent.append(element)


def _solid_fill(parent: Any, color: str) -> None:
    """Replace a cell's fill with a solid colour (as `fill.solid()` and `fore_color.rgb`)."""
    for child in list(parent):
        if child.tag in _FILLS:
            parent.remove(child)
    fill = etree.Element(_SOLID)
    etree.SubElement(fill, _SRGB, val=color)
    _insert_ordered(parent, fill, (f"{{{NS_A}}}headers", f"{{{NS_A}}}extLst"))


def _spacing(paragraph: Any) -> None:
    """Single line spacing, no space before or after (written in schema order)."""
    p_pr = _p_pr(paragraph)
    for child in list(p_pr):
        if child.tag in _SPACING:
            p_pr.remove(child)
    line = etree.Element(_SPACING[0])
    etree.SubElement(line, f"{{{NS_A}}}spcPct", val="100000")
    before = etree.Element(_SPACING[1])
    etree.SubElement(before, f"{{{NS_A}}}spcPts", val="0")
    after = etree.Element(_SPACING[2])
    etree.SubElement(after, f"{{{NS_A}}}spcPts", val="0")
    p_pr.insert(0, after)
    p_pr.insert(0, before)
    p_pr.insert(0, line)


def _paragraph_format(paragraph: Any, margin: float, hang: float, bullet: str, before: float,
                      pal: Palette, style: TextStyle) -> None:
    """Indent, spacing and bullet of a paragraph, written in schema order."""
    p_pr = _p_pr(paragraph)
    for child in list(p_pr):
        p_pr.remove(child)
    p_pr.set("marL", str(emu(margin)))
    p_pr.set("indent", str(-emu(hang)))
    p_pr.set("algn", "l")
    spacing = str(int(round(before * 100)))
    key = (spacing, bullet, pal["bullet"] if bullet else "", style.font if bullet else "")
    children = _P_PR_CHILDREN.get(key)
    if children is None:
        children = _P_PR_CHILDREN[key] = _p_pr_children(*key)
    p_pr.extend(copy.deepcopy(child) for child in children)


_P_PR_CHILDREN: dict[tuple[str, str, str, str], list[Any]] = {}
"""Spacing and bullet elements by their values: a deck has a few kinds and thousands of copies."""


def _p_pr_children(spacing: str, bullet: str, color: str, font: str) -> list[Any]:
    line = etree.Element(f"{{{NS_A}}}lnSpc")
    etree.SubElement(line, f"{{{NS_A}}}spcPct", val="100000")
    space = etree.Element(f"{{{NS_A}}}spcBef")
    etree.SubElement(space, f"{{{NS_A}}}spcPts", val=spacing)
    after = etree.Element(f"{{{NS_A}}}spcAft")
    etree.SubElement(after, f"{{{NS_A}}}spcPts", val="0")
    if not bullet:
        return [line, space, after, etree.Element(f"{{{NS_A}}}buNone")]
    bullet_color = etree.Element(f"{{{NS_A}}}buClr")
    etree.SubElement(bullet_color, f"{{{NS_A}}}srgbClr", val=color)
    return [line, space, after, bullet_color,
            etree.Element(f"{{{NS_A}}}buSzPct", val="100000"),
            etree.Element(f"{{{NS_A}}}buFont", typeface=font),
            etree.Element(f"{{{NS_A}}}buChar", char=bullet)]


def _insert_before(parent: Any, element: Any, anchor: Any | None) -> None:
    """Insert `element` before `anchor` (schema order: fill, latin, then hlinkClick)."""
    if anchor is None:
        parent.append(element)
    else:
        anchor.addprevious(element)
