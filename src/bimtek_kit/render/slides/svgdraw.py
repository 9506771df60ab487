"""Laid-out pages -> one SVG per slide: the second drawer of the slide layout (DESIGN §6).

The PPTX drawer (`draw.py`) hands text to PowerPoint, which wraps it; this drawer wraps it itself,
with the same measurement and greedy line breaking the layout used, and puts every line at its
position in points. Frames, sizes, colours and fonts are the ones the PPTX gets, so the bahan
tayang PDF shows the same slides (text stays text: selectable and searchable). Notes are never
drawn: what this module draws is for participants.
"""

from __future__ import annotations

import base64
from pathlib import Path

from markupsafe import escape

from bimtek_kit.model import Inline, Span, plain
from bimtek_kit.render.diagram import diagram_description, lay_out_diagram, svg
from bimtek_kit.render.slides.draw import PagePlan
from bimtek_kit.render.slides.layout import (
    BAR,
    BOX_INSETS,
    CAPTION,
    CELL_INSETS,
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
)
from bimtek_kit.render.slides.measure import (
    LINE_HEIGHT,
    WIDTH_SAFETY,
    break_lines,
    slice_spans,
    tokens,
    wrapper,
)
from bimtek_kit.render.slides.template import _BAR_H, _FOOTER_H, _FOOTER_TOP, PT_PER_IN, title_frame

ASCENT = 0.905
"""Arial's (and Liberation Sans') ascent in em: the first baseline sits this far below the top."""
_ROLE_COLORS = {"lead": "muted", "caption": "muted", "subheading": "primary", "heading": "primary",
                "meta": "primary", "titlelead": "primary"}


class SlideSvg:
    """Draws the pages of one laid-out deck (`renderer.LaidDeck`)."""

    def __init__(self, laid, diagram_label: str = "Bagan",  # noqa: ANN001 - LaidDeck
                 shipped: tuple[str | None, str | None] = (None, None)) -> None:
        """`shipped`: the theme's own families for the body font and the mono font
        (`pdf.fonts.theme_family`); where the theme ships none, the machine's fonts print."""
        self.laid = laid
        self.deck = laid.deck
        self.pal = laid.pal
        sans, mono = shipped
        self.font = svg_font_family(sans, laid.deck.body_font, "Liberation Sans, Arial, sans-serif")
        self.mono = svg_font_family(mono, laid.mono, "Liberation Mono, monospace")
        self.diagram_label = diagram_label
        self.m: TextMeasure = laid.measure

    def color(self, role: str) -> str:
        return "#" + self.pal[{"tint": "table_band"}.get(role, role)]

    # -- a page --

    def page(self, page: PagePlan, number: int) -> str:
        width, height = self.deck.width, self.deck.height
        self.m = self.laid.measure_at(page.body_size) if page.body_size else self.laid.measure
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="slide" '
                 f'viewBox="0 0 {width:.2f} {height:.2f}" width="{width:.2f}pt" '
                 f'height="{height:.2f}pt" font-family="{escape(self.font)}">']
        parts += self.background(page)
        parts += self.title(page)
        if page.kind == "content":
            for placed in page.placed:
                parts += self.box(placed)
        elif page.kind == "divider":
            parts += self.kicker(page)
        else:
            parts += self.subtitle(page)
        if page.footer:
            parts += self.footer(page, number)
        parts.append("</svg>")
        return "".join(parts)

    def background(self, page: PagePlan) -> list[str]:
        width, height = self.deck.width, self.deck.height
        if not self.deck.styled:
            return [rect(Frame(0, 0, width, height), "#FFFFFF")]
        if page.kind == "content":
            inner = width - 2 * self.deck.margin
            return [rect(Frame(0, 0, width, height), self.color("white")),
                    rect(Frame(0, 0, width, _BAR_H * PT_PER_IN), self.color("title_bar")),
                    rect(Frame(0, _BAR_H * PT_PER_IN, width, 0.05 * PT_PER_IN),
                         self.color("rule")),
                    rect(Frame(self.deck.margin, (_FOOTER_TOP - 0.06) * PT_PER_IN, inner,
                               0.01 * PT_PER_IN), self.color("footer_rule"))]
        top = 2.55 if page.kind == "divider" else 4.22
        return [rect(Frame(0, 0, width, height), self.color("dark_background")),
                rect(Frame(0.6 * PT_PER_IN, top * PT_PER_IN, 1.6 * PT_PER_IN,
                           0.07 * PT_PER_IN), self.color("rule"))]

    # -- text --

    def lines(self, spans: Inline, size: float, width: float, bold: bool = False,
              italic: bool = False, code: bool = False) -> list[Inline]:
        """`spans` wrapped at `width` points with the fonts' real widths, as PowerPoint and
        LibreOffice wrap them (the layout measured with `WIDTH_SAFETY`, so it always fits)."""
        toks = tokens(self.m.fm, spans, bold, italic, code)
        if not toks:
            return [()]
        text_end = len(plain(spans))
        result = []
        for first, last in break_lines(toks, width * WIDTH_SAFETY / size):
            if last <= first:
                result.append(())
                continue
            end = toks[last - 1].end if last - 1 < len(toks) else text_end
            result.append(slice_spans(spans, toks[first].start, end))
        return result

    def text_lines(self, lines: list[Inline], x: float, top: float, size: float, color: str, *,
                   bold: bool = False, italic: bool = False, code: bool = False,
                   anchor: str = "start") -> tuple[list[str], float]:
        """Draw wrapped lines from `top`; return the parts and the y below the last line."""
        parts = []
        pitch = size * LINE_HEIGHT
        for index, line in enumerate(lines):
            baseline = top + pitch * index + size * ASCENT
            # A line of one run is one element: the PDFs' SVG renderer cascades and sets up
            # every element, and most lines (bullets, titles) are a single run.
            own, runs = "", "".join(tspan(span, bold, italic, code, self.mono) for span in line)
            if len(line) == 1:
                own = run_attributes(line[0], bold, italic, code, self.mono)
                runs = run_text(line[0])
            parts.append(f'<text x="{x:.2f}" y="{baseline:.2f}" font-size="{size:.2f}" '
                         f'fill="{color}" text-anchor="{anchor}"{own} xml:space="preserve">'
                         f"{runs}</text>")
        return parts, top + pitch * len(lines)

    def title(self, page: PagePlan) -> list[str]:
        frame = title_frame(self.deck, page.kind)
        insets = TEXT_INSETS
        width = frame.w - insets.left - insets.right
        fit = page.title
        lines = self.lines((Span(fit.text),), fit.size, width, bold=True)
        block = len(lines) * fit.size * LINE_HEIGHT
        inner_top, inner_h = frame.y + insets.top, frame.h - insets.top - insets.bottom
        if page.kind == "content":
            top = inner_top + (inner_h - block) / 2
        elif page.kind == "divider":
            top = inner_top
        else:
            top = inner_top + inner_h - block
        dark = page.kind != "content"
        color = self.color(("dark_text" if dark else "title_text") if self.deck.styled
                           else "primary")
        parts, _ = self.text_lines(lines, frame.x + insets.left, top, fit.size, color, bold=True)
        return parts

    def kicker(self, page: PagePlan) -> list[str]:
        frame = self.deck.roles["divider"].body
        if frame is None or not page.kicker:
            return []
        size = page.subtitle_size
        top = frame.bottom - TEXT_INSETS.bottom - size * LINE_HEIGHT
        parts, _ = self.text_lines([(Span(page.kicker),)], frame.x + TEXT_INSETS.left, top, size,
                                   self.color("rule"), bold=True)
        return parts

    def subtitle(self, page: PagePlan) -> list[str]:
        frame = self.deck.roles[page.kind].subtitle
        if frame is None:
            return []
        parts: list[str] = []
        top = frame.y + TEXT_INSETS.top
        scale = page.subtitle_size / self.m.typo.body
        width = frame.w - TEXT_INSETS.left - TEXT_INSETS.right
        for index, para in enumerate(page.subtitle):
            size = max(self.m.size(para) * scale, self.m.typo.floor)
            top += 0.0 if index == 0 else self.m.space_before(para) * scale
            color = self.color("rule" if para.role == "meta" else "dark_muted")
            drawn, top = self.text_lines(self.lines(para.spans, size, width, para.role == "meta"),
                                         frame.x + TEXT_INSETS.left, top, size, color,
                                         bold=para.role == "meta")
            parts += drawn
        return parts

    def footer(self, page: PagePlan, number: int) -> list[str]:
        deck = self.deck
        size = self.m.typo.footer
        color = self.color("dark_muted" if page.kind != "content" and deck.styled else "footer")
        top = _FOOTER_TOP * PT_PER_IN + (_FOOTER_H * PT_PER_IN - size * LINE_HEIGHT) / 2
        left, _ = self.text_lines([(Span(self.laid.footer_text),)], deck.margin, top, size, color)
        right, _ = self.text_lines([(Span(str(number)),)], deck.width - 0.5 * PT_PER_IN, top,
                                   size, color, anchor="end")
        return left + right

    # -- body boxes --

    def box(self, placed: Placed) -> list[str]:
        box = placed.box
        if isinstance(box, TextBox):
            return self.text_box(placed.frame, box)
        if isinstance(box, TableBox):
            return self.table(placed)
        if isinstance(box, PictureBox):
            return self.picture(placed.frame, box)
        if isinstance(box, DiagramBox):
            return self.diagram(placed.frame, box)
        return []

    def text_box(self, frame: Frame, box: TextBox) -> list[str]:
        parts: list[str] = []
        fill = {"callout": "callout", "code": "code"}.get(box.kind)
        if fill:
            parts.append(rect(frame, self.color(fill)))
        if box.kind in BAR:
            bar = "quote_bar"
            if box.kind == "callout":
                bar = f"callout_bar_{box.tone}" if f"callout_bar_{box.tone}" in \
                    self.pal.values else "callout_bar"
            parts.append(rect(Frame(frame.x - BAR[box.kind], frame.y, BAR[box.kind], frame.h),
                              self.color(bar)))
        insets: Insets = BOX_INSETS.get(box.kind, TEXT_INSETS)
        inner = frame.w - insets.left - insets.right
        top = frame.y + insets.top
        paras = [box.heading, *box.paras] if box.heading else list(box.paras)
        for index, para in enumerate(paras):
            drawn, top = self.para(para, frame.x + insets.left, top, inner, first=index == 0)
            parts += drawn
        return parts

    def para(self, para: Para, x: float, top: float, inner: float,
             first: bool) -> tuple[list[str], float]:
        m = self.m
        size = m.size(para)
        top += 0.0 if first else m.space_before(para)
        margin = m.margin_left(para)
        color = self.color(_ROLE_COLORS.get(para.role, "text"))
        bold, italic, code = m.bold(para), m.italic(para), para.role == "code"
        parts: list[str] = []
        if para.marker:
            marker_color = self.color("bullet") if para.list_kind == "bullet" else color
            drawn, _ = self.text_lines([(Span(para.marker),)], x + margin - m.hang(para), top,
                                       size, marker_color, bold=bold)
            parts += drawn
        lines = self.lines(para.spans, size, inner - margin, bold, italic, code)
        anchor, left = ("middle", x + inner / 2) if para.role == "caption" else \
            ("start", x + margin)
        drawn, bottom = self.text_lines(lines, left, top, size, color, bold=bold, italic=italic,
                                        code=code, anchor=anchor)
        return parts + drawn, bottom

    def table(self, placed: Placed) -> list[str]:
        box, layout, frame = placed.box, placed.table, placed.frame
        assert isinstance(box, TableBox) and layout is not None
        parts: list[str] = []
        top = frame.y
        heights = [layout.header_height, *layout.row_heights]
        for r, (cells, height) in enumerate(zip((box.header, *box.rows), heights, strict=False)):
            x = frame.x
            header = r == 0
            fill = "table_header" if header else ("table_band" if r % 2 == 0 else "table_body")
            for c, width in enumerate(layout.col_widths):
                parts.append(rect(Frame(x, top, width, height), self.color(fill),
                                  self.color("table_border")))
                spans = cells[c] if c < len(cells) else ()
                inner = width - CELL_INSETS.left - CELL_INSETS.right
                lines = self.lines(spans, layout.size, inner, bold=header)
                color = self.color("table_header_text" if header else "text")
                drawn, _ = self.text_lines(lines, x + CELL_INSETS.left, top + CELL_INSETS.top,
                                           layout.size, color, bold=header)
                parts += drawn
                x += width
            top += height
        return parts

    def picture(self, frame: Frame, box: PictureBox) -> list[str]:
        caption_h = CAPTION if box.caption else 0.0
        path = box.image.path
        parts = []
        if path is not None:
            parts.append(f'<image x="{frame.x:.2f}" y="{frame.y:.2f}" width="{frame.w:.2f}" '
                         f'height="{frame.h - caption_h:.2f}" preserveAspectRatio="none" '
                         f'href="{data_uri(path)}"><title>{escape(box.image.alt)}</title>'
                         f"</image>")
        if box.caption:
            parts += self.caption(Frame(frame.x, frame.bottom - caption_h, frame.w, caption_h),
                                  box.caption)
        return parts

    def caption(self, frame: Frame, text: str) -> list[str]:
        para = Para((Span(text),), role="caption", counts=False)
        size = self.m.size(para)
        top = frame.bottom - TEXT_INSETS.bottom - size * LINE_HEIGHT
        drawn, _ = self.text_lines([(Span(text),)], frame.x + frame.w / 2, top, size,
                                   self.color("muted"), italic=True, anchor="middle")
        return drawn

    def diagram(self, frame: Frame, box: DiagramBox) -> list[str]:
        diagram = box.diagram
        caption_h = CAPTION if diagram.title else 0.0
        typo = self.laid.measure.typo
        drawing = lay_out_diagram(diagram, frame.w, frame.h - caption_h, wrapper(self.m.fm),
                                  typo.body, typo.floor)
        colors = {role: self.color(role) for role in
                  ("primary", "accent", "text", "muted", "tint", "white")}
        inner = str(svg(drawing, colors, self.font,
                        diagram_description(diagram, self.diagram_label)))
        # Nested in the slide, whose user unit is already the point: no "pt" on its size.
        inner = inner.replace(f'width="{drawing.w:.1f}pt" height="{drawing.h:.1f}pt"',
                              f'x="{frame.x:.2f}" y="{frame.y:.2f}" width="{drawing.w:.1f}" '
                              f'height="{drawing.h:.1f}"', 1)
        parts = [inner]
        if diagram.title:
            parts += self.caption(Frame(frame.x, frame.bottom - caption_h, frame.w, caption_h),
                                  diagram.title)
        return parts


def svg_font_family(shipped: str | None, named: str, fallbacks: str) -> str:
    """An SVG `font-family`: only the theme's own family when it ships one (a glyph it lacks
    still falls back to the machine's fonts, as any missing glyph does), else the font the
    PPTX names and the usual stand-ins."""
    if shipped:
        return f"{shipped}, {fallbacks.rsplit(', ', 1)[-1]}"
    return f"{named}, {fallbacks}"


def rect(frame: Frame, fill: str, stroke: str = "none") -> str:
    line = f' stroke="{stroke}" stroke-width="0.75"' if stroke != "none" else ""
    return (f'<rect x="{frame.x:.2f}" y="{frame.y:.2f}" width="{frame.w:.2f}" '
            f'height="{frame.h:.2f}" fill="{fill}"{line}/>')


def tspan(span: Span, bold: bool, italic: bool, code: bool, mono: str) -> str:
    return f"<tspan{run_attributes(span, bold, italic, code, mono)}>{run_text(span)}</tspan>"


def run_text(span: Span) -> str:
    return escape(span.text.replace(chr(10), " "))


def run_attributes(span: Span, bold: bool, italic: bool, code: bool, mono: str) -> str:
    """The SVG attributes of a run's look (on its `<tspan>`, or on its line's `<text>`)."""
    attributes = ""
    if span.bold or bold:
        attributes += ' font-weight="bold"'
    if span.italic or italic:
        attributes += ' font-style="italic"'
    if span.code or code:
        attributes += f' font-family="{escape(mono)}"'
    if span.strike:
        attributes += ' text-decoration="line-through"'
    return attributes


def data_uri(path: Path) -> str:
    """The picture inline (a PDF page must not fetch anything)."""
    kind = {".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif"}.get(path.suffix.lower(), "png")
    if kind == "png" and path.suffix.lower() != ".png":
        import io

        from PIL import Image as PILImage

        buffer = io.BytesIO()
        with PILImage.open(path) as img:
            img.save(buffer, format="PNG")
        data = buffer.getvalue()
    else:
        data = path.read_bytes()
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"
