"""Slide layout without python-pptx: what goes on which slide, where, and at what size.

The planner (`slides_plan`) turns a module into flows of boxes (text, tables, pictures); this
module measures every box against the body frame and cuts the flow into pages, so that no text
ever runs off a slide. Slides are filled by measured space (DESIGN §8): a flow is first set at the
body size, then shrunk toward `body_shrink` (18 pt, never below) with the space between paragraphs
and boxes tightening as it shrinks, to stay on one slide; a list of short items goes into two or
three columns, and a callout (or narrow table, or picture) beside the text it follows, when that
keeps a slide's content together. Only then does it continue on "… (lanjutan)" slides, spread
evenly (7 items -> 4 + 3). A paragraph taller than the room left is cut at a sentence end (else a
line); a table gets the column widths that make it shortest, moves whole to the next slide when it
fits one, and is split by rows with its header repeated only when it does not; titles shrink
toward a floor size before they wrap or are shortened.
All sizes are in points; the drawing code (`slides_draw`) only converts them to EMU.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from itertools import permutations
from typing import Any

from bimtek_kit.model import Diagram, Image, Inline, Span, plain
from bimtek_kit.render.slides.measure import (
    HEIGHT_SAFETY,
    LINE_HEIGHT,
    FontMetrics,
    Token,
    break_lines,
    slice_spans,
    strip_spans,
    text_height,
    tokens,
)

PT_PER_IN = 72.0
GAP = 0.16 * PT_PER_IN
"""Vertical space between two boxes on a slide (and between two columns)."""
MIN_PICTURE = 2.0 * PT_PER_IN
"""A picture never gets less height than this; it moves to the next slide instead."""
MIN_DIAGRAM = 0.6
"""A diagram gets at least this share of the body height; it moves to the next slide instead."""
CAPTION = 30.0
"""Height of a diagram's caption line under it."""
SPARSE = 0.32
"""A content slide filled below this share of the body height gets larger text."""
ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"(?<=[.!?…:;])[\"'”’)\]]*\s+")


# --- geometry and typography ------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class Insets:
    left: float = 7.2
    top: float = 3.6
    right: float = 7.2
    bottom: float = 3.6


TEXT_INSETS = Insets()
BOX_INSETS = {
    "text": Insets(),
    "caption": Insets(),
    "callout": Insets(14.4, 7.2, 12.0, 7.2),
    "quote": Insets(18.0, 4.0, 12.0, 4.0),
    "code": Insets(10.8, 7.2, 10.8, 7.2),
}
BAR = {"callout": 6.0, "quote": 4.0}
"""Width of the coloured bar drawn left of callouts and quotes (outside the text box)."""


@dataclass(frozen=True)
class Typography:
    """Sizes and budgets from the theme's `slides:` section (DESIGN §8)."""

    title: float = 32
    title_min: float = 24
    cover_title: float = 40
    cover_title_min: float = 28
    subtitle: float = 20
    body: float = 20
    body_min: float = 16
    floor: float = 14
    body_shrink: float = 18
    """Body text shrinks toward this size to keep a flow on one slide before it continues."""
    body_max: float = 24
    """Body text of a sparse slide grows toward this size until it fills `SPARSE` of the body."""
    table: float = 16
    table_min: float = 14
    code: float = 16
    footer: float = 10
    level_step: float = 0.4 * PT_PER_IN
    space: float = 0.5
    """Space before a paragraph, in em of its size (half of it inside a list item)."""
    space_tight: float = 0.3
    """The space before a paragraph once body text has shrunk to `body_shrink`."""
    gap: float = GAP
    """Vertical space between two boxes (at `body_shrink`: the space between paragraphs)."""

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Typography:
        """Read the theme's values; clamp them so nothing drops below the 14 pt floor."""
        values = {}
        names = {
            "title": "title_size", "title_min": "title_min_size", "cover_title": "cover_title_size",
            "cover_title_min": "cover_title_min_size", "subtitle": "subtitle_size",
            "body": "body_size", "body_min": "body_min_size", "floor": "min_size",
            "table": "table_size", "table_min": "table_min_size", "code": "code_size",
            "footer": "footer_size", "body_shrink": "body_shrink_size",
            "body_max": "body_max_size",
        }
        for attr, key in names.items():
            if settings.get(key) is not None:
                values[attr] = type(getattr(cls, attr))(settings[key])
        typo = cls(**values)
        floor = max(typo.floor, 8.0)
        return replace(
            typo, floor=floor, body_min=max(typo.body_min, floor),
            table_min=max(typo.table_min, floor),
            body=max(typo.body, typo.body_min, floor), table=max(typo.table, typo.table_min, floor),
            code=max(typo.code, floor), title_min=max(typo.title_min, floor),
            title=max(typo.title, typo.title_min),
            body_shrink=min(max(typo.body_shrink, typo.body_min, floor), max(typo.body, floor)),
            body_max=max(typo.body_max, typo.body, floor),
        )

    def at(self, body: float) -> Typography:
        """The same typography with body text set at `body` points.

        Shrinking tightens the space between paragraphs too (as PowerPoint's autofit reduces
        line spacing): from `space` at the theme's body size to `space_tight` at `body_shrink`,
        where boxes are as far apart as paragraphs, so a flow that shrinks to stay on one slide
        gains room before it continues.
        """
        if body >= self.body or self.body <= self.body_shrink:
            return replace(self, body=body)
        share = min(1.0, (self.body - body) / (self.body - self.body_shrink))
        tight_gap = min(self.space_tight * self.body_shrink, self.gap)
        return replace(self, body=body, space=self.space - share * (self.space - self.space_tight),
                       gap=self.gap - share * (self.gap - tight_gap))


# --- boxes: what the planner produces -----------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """One paragraph on a slide.

    `role` picks size and style (body, meta, lead, subheading, titlelead, quote, code, caption,
    heading for a callout's label); `list_kind` ("bullet", "number" or "") sets the hanging indent
    so continuation paragraphs line up with their item's text; `marker` is the bullet glyph or the
    number label ("3."), empty for continuation paragraphs.
    """

    spans: Inline
    level: int = 0
    marker: str = ""
    list_kind: str = ""
    role: str = "body"
    keep_next: bool = False
    counts: bool = True
    """An item of content (labels and lead lines are not): a continuation slide must hold more
    than one."""
    notes: tuple[str, ...] = ()
    """Speaker notes explaining this paragraph: they go on the slide that shows it."""


@dataclass(frozen=True)
class TextBox:
    kind: str
    """text | callout | quote | code | caption"""
    paras: tuple[Para, ...]
    heading: Para | None = None
    """A callout's label, repeated on every slide the callout continues on."""
    tone: str = ""
    notes: tuple[str, ...] = ()
    """Speaker-note paragraphs that lead into this box (they go on the slide it starts on)."""
    tail: tuple[str, ...] = ()
    """Speaker-note paragraphs about this box (they go on the slide it ends on)."""


@dataclass(frozen=True)
class TableBox:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    aligns: tuple[str | None, ...]
    notes: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()


@dataclass(frozen=True)
class PictureBox:
    image: Image
    pixels: tuple[int, int]
    """Width and height of the image in pixels (only the aspect ratio matters)."""
    notes: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()

    @property
    def caption(self) -> str:
        """Shown under the picture: its Markdown title, else its alt text."""
        return " ".join((self.image.title or self.image.alt).split())


@dataclass(frozen=True)
class DiagramBox:
    """A `bagan`: drawn as grouped native shapes in the room it gets (DESIGN §3)."""

    diagram: Diagram
    notes: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnsBox:
    """Text with a picture, table or callout beside it (two columns) when both then fit one
    slide."""

    left: TextBox
    right: PictureBox | TableBox | TextBox
    """A picture, a narrow table or a callout."""
    notes: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()


Box = TextBox | TableBox | PictureBox | DiagramBox | ColumnsBox


@dataclass(frozen=True)
class TableLayout:
    size: float
    col_widths: tuple[float, ...]
    header_height: float
    row_heights: tuple[float, ...]


@dataclass
class Placed:
    """A box (or the part of one that fits) at its position on a page."""

    box: Box
    frame: Frame
    table: TableLayout | None = None


@dataclass
class Page:
    placed: list[Placed] = field(default_factory=list)
    used: float = 0.0
    notes: list[str] = field(default_factory=list)
    continues: bool = False
    """The page opens with the rest of a box cut at the end of the page before."""

    @property
    def items(self) -> int:
        """Items of content on the page: counted paragraphs and table rows."""
        count = 0
        for placed in self.placed:
            box = placed.box
            if isinstance(box, TextBox):
                count += sum(1 for p in box.paras if p.counts and (p.marker or not p.list_kind))
            elif isinstance(box, TableBox):
                count += len(box.rows)
            elif isinstance(box, PictureBox):
                count += 1
        return count


# --- text measurement helpers --------------------------------------------------------------------


class TextMeasure:
    """Sizes, indents and heights of paragraphs, with per-paragraph caches."""

    def __init__(self, fm: FontMetrics, typo: Typography) -> None:
        self.fm = fm
        self.typo = typo
        self._heights: dict[tuple[Para, float, bool], float] = {}

    def size(self, para: Para) -> float:
        typo = self.typo
        if para.role == "code":
            return typo.code
        if para.role == "caption":
            return max(typo.floor, typo.body - 4)
        if para.role == "meta":
            return max(typo.body_min, typo.body - 2)
        if para.role in ("subheading", "heading", "titlelead", "lead", "quote"):
            return typo.body
        return max(typo.body_min, typo.body - 2 * min(para.level, 2))

    def bold(self, para: Para) -> bool:
        return para.role in ("subheading", "heading", "titlelead", "meta")

    def italic(self, para: Para) -> bool:
        return para.role in ("quote", "caption", "lead")

    def hang(self, para: Para) -> float:
        """Hanging indent (marker column width) in points."""
        if para.list_kind == "number":
            return 0.5 * PT_PER_IN * self.size(para) / self.typo.body
        if para.list_kind == "bullet":
            return 0.34 * PT_PER_IN * self.size(para) / self.typo.body
        return 0.0

    def margin_left(self, para: Para) -> float:
        """Where the paragraph's text starts, relative to the text frame's inner left edge."""
        return para.level * self.typo.level_step + self.hang(para)

    def space_before(self, para: Para) -> float:
        size = self.size(para)
        if para.role == "code":
            return 0.0
        if para.level > 0 or (para.list_kind and not para.marker):
            return 0.5 * self.typo.space * size
        return self.typo.space * size

    def toks(self, para: Para) -> tuple[Token, ...]:
        return tokens(self.fm, para.spans, self.bold(para), self.italic(para), para.role == "code")

    def height(self, para: Para, inner_width: float, first: bool) -> float:
        """Height of `para` in a frame of `inner_width`; the first paragraph has no space before."""
        key = (para, inner_width, first)
        height = self._heights.get(key)
        if height is None:
            size = self.size(para)
            width = (inner_width - self.margin_left(para)) / size
            lines = len(break_lines(self.toks(para), width))
            height = text_height(lines, size) + (0.0 if first else self.space_before(para))
            self._heights[key] = height
        return height

    def block_height(self, paras: list[Para] | tuple[Para, ...], inner_width: float) -> float:
        return sum(self.height(p, inner_width, i == 0) for i, p in enumerate(paras))

    def lines_that_fit(self, para: Para, inner_width: float, height: float,
                       first: bool) -> tuple[int, list[tuple[int, int]]]:
        size = self.size(para)
        lines = break_lines(self.toks(para), (inner_width - self.margin_left(para)) / size)
        available = height - (0.0 if first else self.space_before(para))
        fit = int(available // (size * LINE_HEIGHT * HEIGHT_SAFETY + 1e-9))
        return max(fit, 0), lines


# --- splitting paragraphs ------------------------------------------------------------------------


def continuation(para: Para, spans: Inline) -> Para:
    """A later piece of a split paragraph: same indent, no marker."""
    return replace(para, spans=spans, marker="", keep_next=False)


def split_height(measure: TextMeasure, para: Para, inner_width: float, height: float,
                 first: bool) -> tuple[Para, Para | None]:
    """Cut `para` where it stops fitting `height` (at least one line).

    The cut is at the last sentence end inside the lines that fit, when that keeps at least half
    of them; otherwise after the last line, marked with an ellipsis on both sides.
    """
    fit, lines = measure.lines_that_fit(para, inner_width, height, first)
    fit = max(fit, 1)
    if fit >= len(lines):
        return para, None
    toks = measure.toks(para)
    cut_token = lines[fit][0]
    if cut_token <= 0 or cut_token >= len(toks):
        return para, None
    offset = toks[cut_token].start
    text = plain(para.spans)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, offset + 1)]
    half = toks[lines[(fit + 1) // 2][0]].start if fit > 1 else offset
    if ends and ends[-1] >= half:
        cut = ends[-1]
        head = strip_spans(slice_spans(para.spans, 0, cut))
        tail = strip_spans(slice_spans(para.spans, cut, 10**9))
        return replace(para, spans=head), continuation(para, tail)
    head = strip_spans(slice_spans(para.spans, 0, offset))
    tail = strip_spans(slice_spans(para.spans, offset, 10**9))
    head = (*head, Span(" " + ELLIPSIS))
    return replace(para, spans=head), continuation(para, (Span(ELLIPSIS + " "), *tail))


# --- titles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleFit:
    text: str
    size: float
    lines: int
    shortened: bool


def fit_title(fm: FontMetrics, text: str, frame: Frame, max_size: float, min_size: float,
              *, bold: bool = True, suffix: str = "", max_lines: int = 2,
              insets: Insets = TEXT_INSETS, caps: bool = False) -> TitleFit:
    """Largest size in [min, max] that keeps the title on one line, else on `max_lines` lines.

    Shrinking comes first (a one-line title reads best); only when even the floor size needs more
    than `max_lines` lines is the title shortened at a word boundary with an ellipsis (the caller
    then shows the full title in the body).
    """
    width = frame.w - insets.left - insets.right
    height = frame.h - insets.top - insets.bottom
    full = text + suffix

    def measured(candidate: str) -> tuple[Token, ...]:
        return tokens(fm, (Span(candidate.upper() if caps else candidate),), bold)

    toks = measured(full)
    sizes = _sizes(max_size, min_size)
    for wanted in range(1, max_lines + 1):
        for size in sizes:
            lines = len(break_lines(toks, width / size))
            if lines <= wanted and text_height(lines, size) <= height:
                return TitleFit(full, size, lines, False)
    size = sizes[-1]
    max_lines = max(1, min(max_lines, int(height // (size * LINE_HEIGHT * HEIGHT_SAFETY))))
    words = text.split()
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        candidate = " ".join(words[:middle]).rstrip(",;:.") + ELLIPSIS + suffix
        lines = len(break_lines(measured(candidate), width / size))
        if lines <= max_lines:
            low = middle
        else:
            high = middle - 1
    short = " ".join(words[:low]).rstrip(",;:.") + ELLIPSIS + suffix
    lines = len(break_lines(measured(short), width / size))
    return TitleFit(short, size, lines, True)


def _sizes(max_size: float, min_size: float) -> list[float]:
    sizes = []
    size = float(max_size)
    while size > min_size:
        sizes.append(size)
        size -= 1
    sizes.append(float(min_size))
    return sizes


def fit_paragraphs(measure: TextMeasure, paras: list[Para], frame: Frame, max_size: float,
                   min_size: float, insets: Insets = TEXT_INSETS) -> float:
    """Largest uniform scale (as a body size) at which `paras` fit `frame` (cover subtitles)."""
    width = frame.w - insets.left - insets.right
    height = frame.h - insets.top - insets.bottom
    for size in _sizes(max_size, min_size):
        scaled = TextMeasure(measure.fm, replace(measure.typo, body=size, body_min=min_size))
        if scaled.block_height(paras, width) <= height:
            return size
    return min_size


# --- pagination ---------------------------------------------------------------------------------


class Paginator:
    """Cuts a flow of boxes into pages that fit `body`, by measured height only."""

    def __init__(self, measure: TextMeasure, body: Frame,
                 tables: dict[int, tuple[TableBox, TableLayout]] | None = None,
                 splits: dict[int, tuple[TableBox, TableBox]] | None = None) -> None:
        self.m = measure
        self.body = body
        self._tables: dict[int, tuple[TableBox, TableLayout]] = {} if tables is None else tables
        """Table layouts by the box's identity (hashing a box hashes every cell: a wide table is
        looked up on every pagination pass); tables are set at their own size, so the
        paginators of every body size share them."""
        self._splits: dict[int, tuple[TableBox, TableBox]] = {} if splits is None else splits
        """Each table box with its rows cut to fit a slide, by the box's identity."""

    def pages(self, boxes: list[Box]) -> list[Page]:
        """Paginate, then rebalance: 7 bullets become 4 + 3 rather than 6 + 1.

        The rebalancing searches the smallest page height that needs no more pages and splits no
        more boxes than the greedy pass: the content is then spread evenly over the same slides.
        """
        pages = self.paginate(boxes, self.body.h)
        if len(pages) < 2:
            return pages
        pieces = sum(len(page.placed) for page in pages)
        best, low, high = None, 0.3, 1.0
        for _ in range(7):
            factor = (low + high) / 2
            trial = self.paginate(boxes, self.body.h * factor)
            if len(trial) == len(pages) and sum(len(p.placed) for p in trial) <= pieces:
                best, high = trial, factor
            else:
                low = factor
        return best or pages

    def paginate(self, boxes: list[Box], limit: float) -> list[Page]:
        """Greedy pass: each page is filled up to `limit` points of height."""
        pages = [Page()]
        after = self._heights_after(boxes)
        for index, box in enumerate(boxes):
            if isinstance(box, TextBox):
                self._text(box, pages, limit, after[index])
            elif isinstance(box, TableBox):
                self._table(box, pages, limit)
            elif isinstance(box, DiagramBox):
                self._diagram(box, pages, limit)
            elif isinstance(box, ColumnsBox):
                self._columns(box, pages, limit)
            else:
                self._picture(box, pages, limit)
        if len(pages) > 1 and not pages[-1].placed:
            pages.pop()
        return pages

    # -- helpers --

    def _gap(self, page: Page) -> float:
        """Space above the next box on `page` (none above the first)."""
        return self.m.typo.gap if page.placed else 0.0

    def _room(self, page: Page, limit: float) -> float:
        return limit - page.used - self._gap(page)

    def _put(self, page: Page, placed: Placed, notes: tuple[str, ...]) -> None:
        page.used += self._gap(page) + placed.frame.h
        page.placed.append(placed)
        page.notes.extend(notes)

    def _break_before(self, pages: list[Page]) -> None:
        """Start a new page for a box; a lead-in ("… berikut:") that ended the last page moves
        along, so it is never stranded at the bottom of a slide away from what it introduces."""
        last = pages[-1]
        new = Page()
        pages.append(new)
        if not last.placed:
            return
        placed = last.placed[-1]
        box = placed.box
        if not (isinstance(box, TextBox) and box.kind == "text" and box.paras
                and box.paras[-1].keep_next) or (len(box.paras) == 1 and len(last.placed) == 1):
            return
        lead = box.paras[-1]
        _outer, inner = self.text_frame_width("text")
        pad = TEXT_INSETS.top + TEXT_INSETS.bottom
        if len(box.paras) == 1:
            last.placed.pop()
        else:
            rest = box.paras[:-1]
            height = pad + self.m.block_height(rest, inner)
            last.placed[-1] = Placed(replace(box, paras=rest), replace(placed.frame, h=height))
        fragment = TextBox("text", (lead,))
        self._put(new, Placed(fragment, self._frame(new, pad + self.m.block_height([lead], inner))),
                  ())

    def _frame(self, page: Page, height: float, indent: float = 0.0) -> Frame:
        top = self.body.y + page.used + self._gap(page)
        return Frame(self.body.x + indent, top, self.body.w - indent, height)

    def text_frame_width(self, kind: str) -> tuple[float, float]:
        """(outer width, inner width) of a text box of `kind` spanning the body."""
        outer = self.body.w - BAR.get(kind, 0.0)
        insets = BOX_INSETS.get(kind, TEXT_INSETS)
        return outer, outer - insets.left - insets.right

    # -- text --

    def _heights_after(self, boxes: list[Box]) -> list[float]:
        """For each box, the height of the text boxes and tables right after it (up to the
        next box of another kind), set whole one below the other."""
        after = [0.0] * len(boxes)
        total = 0.0
        for index in range(len(boxes) - 1, 0, -1):
            height = self._whole_height(boxes[index])
            total = height + (self.m.typo.gap + total if total else 0.0) if height else 0.0
            after[index - 1] = total
        return after

    def _whole_height(self, box: Box) -> float:
        """Height of a text box or table set whole at full width (0 for other boxes)."""
        if isinstance(box, TableBox):
            layout = self.table_layout(box)
            return layout.header_height + sum(layout.row_heights)
        if isinstance(box, TextBox):
            return self._text_height(box, self.text_frame_width(box.kind)[0])
        return 0.0

    def _text_height(self, box: TextBox, outer: float) -> float:
        """Height of a whole text box (heading, paragraphs, insets) in a frame `outer` wide."""
        insets = BOX_INSETS.get(box.kind, TEXT_INSETS)
        inner = outer - insets.left - insets.right
        paras = [box.heading, *box.paras] if box.heading else list(box.paras)
        return insets.top + insets.bottom + self.m.block_height(paras, inner)

    def _text(self, box: TextBox, pages: list[Page], limit: float, after: float = 0.0) -> None:
        """Set a text box, continuing it on new pages; `after` is the height of the boxes that
        follow (a short list goes into columns when that keeps them on its slide)."""
        if box.kind == "text" and self._list_in_columns(box, pages[-1], limit, after):
            pages[-1].notes.extend(box.tail)
            return
        m = self.m
        insets = BOX_INSETS.get(box.kind, TEXT_INSETS)
        _outer, inner = self.text_frame_width(box.kind)
        # Callouts, quotes and code are one unit: kept whole when they fit, moved to the next
        # slide when they do not fit the room left, split only when taller than a whole slide.
        atomic = box.kind in ("callout", "quote", "code", "caption")
        paras = list(box.paras)
        heading_h = m.height(box.heading, inner, True) if box.heading else 0.0
        pad = insets.top + insets.bottom
        notes = box.notes
        i = 0
        while i < len(paras):
            page = pages[-1]
            room = self._room(page, limit) - pad - heading_h
            heights: list[float] = []
            while i + len(heights) < len(paras):
                first = not heights and box.heading is None
                h = m.height(paras[i + len(heights)], inner, first)
                if sum(heights) + h > room:
                    break
                heights.append(h)
            take = len(heights)
            while 0 < take < len(paras) - i and paras[i + take - 1].keep_next:
                take -= 1
            if take and atomic and take < len(paras) - i and page.placed:
                take = 0
            if i == 0 and page.placed and 0 < take < len(paras) and _lone_item(paras[:take]) \
                    and page.used >= ORPHAN_FILL * limit:
                take = 0  # a list does not start with one item at the foot of a full slide
            if take == 0:
                if page.placed:
                    if i == 0:
                        self._break_before(pages)
                    else:
                        pages.append(Page())
                    continue
                first = box.heading is None
                head, tail = split_height(m, paras[i], inner, max(room, 1.0), first)
                paras[i:i + 1] = [head] + ([tail] if tail else [])
                take = 1
            chunk = paras[i:i + take]
            height = pad + m.block_height([box.heading, *chunk] if box.heading else chunk, inner)
            fragment = replace(box, paras=tuple(chunk), notes=(), tail=())
            explained = tuple(note for para in chunk for note in para.notes)
            self._put(page, Placed(fragment, self._frame(page, height, BAR.get(box.kind, 0.0))),
                      (*notes, *explained))
            notes = ()
            i += take
            if i < len(paras):
                pages.append(Page(continues=True))
        pages[-1].notes.extend(box.tail)

    def _list_in_columns(self, box: TextBox, page: Page, limit: float, after: float) -> bool:
        """A list of short items that does not fit the room left in one column (or leaves no
        room for the boxes after it): two or three columns side by side, read down the left one
        first, when that keeps the list whole on this slide (and the boxes after it too).

        Only items of one line each qualify (role names, channels, "Butir pendek"): their lines
        end far from the right edge, so columns share the width without new wraps. A lead-in or
        heading before the items stays above them at full width.
        """
        paras = box.paras
        lead = 0
        while lead < min(2, len(paras)) and not paras[lead].marker:
            lead += 1
        items = paras[lead:]
        if len(items) < MIN_COLUMN_ITEMS or any(p.level or not p.marker for p in items):
            return False
        m = self.m
        _outer, inner = self.text_frame_width("text")
        pad = TEXT_INSETS.top + TEXT_INSETS.bottom
        room = self._room(page, limit)
        one_column = pad + m.block_height(paras, inner)
        if one_column <= room and (not after or one_column + m.typo.gap + after <= room
                                   or after > limit):
            return False
        if one_column <= room:
            room -= m.typo.gap + after
        lead_h = pad + m.block_height(paras[:lead], inner) + m.typo.gap if lead else 0.0
        # A few items go in one row (Warga · Petugas · Pengamat), more in the fewest columns.
        row = [len(items)] if len(items) <= MAX_COLUMNS else []
        for count in [*row, *range(2, min(len(items), MAX_COLUMNS + 1))]:
            width = (self.body.w - (count - 1) * GAP) / count
            col_inner = width - TEXT_INSETS.left - TEXT_INSETS.right
            if any(m.height(p, col_inner, True) > text_height(1, m.size(p)) + 0.01
                   for p in items):
                continue
            columns = _even_columns(items, count)
            col_h = pad + max(m.block_height(column, col_inner) for column in columns)
            if lead_h + col_h <= room:
                self._put_columns(box, page, lead, columns, width, col_h)
                return True
        return False

    def _put_columns(self, box: TextBox, page: Page, lead: int,
                     columns: list[tuple[Para, ...]], width: float, height: float) -> None:
        """Place a list's lead-in (full width) and its columns of items on `page`."""
        m = self.m
        pad = TEXT_INSETS.top + TEXT_INSETS.bottom
        notes = (*box.notes, *(note for para in box.paras for note in para.notes))
        if lead:
            _outer, inner = self.text_frame_width("text")
            lead_box = replace(box, paras=box.paras[:lead], notes=(), tail=())
            self._put(page, Placed(lead_box, self._frame(
                page, pad + m.block_height(box.paras[:lead], inner))), ())
        top = self.body.y + page.used + self._gap(page)
        # Columns as wide as their longest item (plus air), not spread over the whole slide.
        longest = max(m.margin_left(p) + sum(t.width + t.space for t in m.toks(p)) * m.size(p)
                      for column in columns for p in column)
        width = min(width, longest + TEXT_INSETS.left + TEXT_INSETS.right + 2 * GAP)
        col_inner = width - TEXT_INSETS.left - TEXT_INSETS.right
        for index, column in enumerate(columns):
            frame = Frame(self.body.x + index * (width + GAP), top, width,
                          pad + m.block_height(column, col_inner))
            page.placed.append(Placed(replace(box, paras=column, notes=(), tail=()), frame))
        page.used = top - self.body.y + height
        page.notes.extend(notes)

    # -- tables --

    def table_layout(self, box: TableBox) -> TableLayout:
        found = self._tables.get(id(box))
        layout = found[1] if found is not None and found[0] is box else None
        if layout is None:
            layout = self._measure_table(box, self.m.typo.table)
            tallest = max(layout.row_heights, default=0.0) + layout.header_height
            if tallest > self.body.h and self.m.typo.table_min < self.m.typo.table:
                layout = self._measure_table(box, self.m.typo.table_min)
            self._tables[id(box)] = (box, layout)
        return layout

    def _measure_table(self, box: TableBox, size: float,
                       width: float | None = None) -> TableLayout:
        cols = len(box.header)
        width = width or self.body.w
        pad = CELL_INSETS.left + CELL_INSETS.right + 1.0  # 1 pt: EMU rounding never re-wraps
        natural = [0.0] * cols
        minimum = [0.0] * cols
        for row_index, row in enumerate((box.header, *box.rows)):
            bold = row_index == 0
            for c, cell in enumerate(row[:cols]):
                toks = tokens(self.m.fm, cell, bold)
                line = sum(t.width + t.space for t in toks) * size
                natural[c] = max(natural[c], line + pad)
                minimum[c] = max(minimum[c], max((t.width for t in toks), default=0) * size + pad)
        widths = _column_widths(natural, minimum, width)
        if sum(natural) > width:
            floor = [min(m, width / cols) for m in minimum]
            widths = self._shortest_widths(box, widths, floor, size)
        header_h = self._row_height(box.header, widths, size, True)
        rows = tuple(self._row_height(row, widths, size, False) for row in box.rows)
        return TableLayout(size, tuple(widths), header_h, rows)

    def _shortest_widths(self, box: TableBox, widths: list[float], floor: list[float],
                         size: float) -> list[float]:
        """Move width from column to column, in halving steps, while the table gets shorter.

        The split by content is a good start, not the shortest table: a column whose cells
        wrap to one line fewer with a little more width often saves a line in every row.
        """
        def height(trial: list[float]) -> float:
            return self._row_height(box.header, trial, size, True) + sum(
                self._row_height(row, trial, size, False) for row in box.rows)

        best = height(widths)
        total = sum(widths)
        step = total * TABLE_STEP
        while step >= total * TABLE_STEP / 8:
            improved = False
            for grow, give in permutations(range(len(widths)), 2):
                if widths[give] - step < floor[give]:
                    continue
                trial = list(widths)
                trial[grow] += step
                trial[give] -= step
                trial_height = height(trial)
                if trial_height < best - 0.01:
                    best, widths, improved = trial_height, trial, True
            if not improved:
                step /= 2
        return widths

    def _row_height(self, row: tuple[Inline, ...], widths: list[float], size: float,
                    bold: bool) -> float:
        tallest = 1
        for cell, width in zip(row, widths, strict=False):
            inner = width - CELL_INSETS.left - CELL_INSETS.right
            lines = len(break_lines(tokens(self.m.fm, cell, bold), inner / size))
            tallest = max(tallest, lines)
        return text_height(tallest, size) + CELL_INSETS.top + CELL_INSETS.bottom

    def _table(self, box: TableBox, pages: list[Page], limit: float) -> None:
        box = self._split_tall_rows(box)
        layout = self.table_layout(box)
        notes = box.notes
        i, n = 0, len(box.rows)
        if n == 0:
            page = pages[-1]
            if page.placed and self._room(page, limit) < layout.header_height:
                self._break_before(pages)
                page = pages[-1]
            frame = replace(self._frame(page, layout.header_height), w=sum(layout.col_widths))
            self._put(page, Placed(box, frame, layout), (*notes, *box.tail))
            return
        while i < n:
            page = pages[-1]
            room = self._room(page, limit) - layout.header_height
            take, used = 0, 0.0
            while i + take < n:
                h = layout.row_heights[i + take]
                if used + h > room:
                    break
                used += h
                take += 1
            # A table that fits a slide of its own is not cut: the header is repeated only
            # when its rows really do not fit one slide.
            whole = i == 0 and take < n and self._whole_height(box) <= limit
            if page.placed and (take < min(2, n - i) or whole):
                if i == 0:
                    self._break_before(pages)
                else:
                    pages.append(Page())
                continue
            take = max(take, 1)
            rows = box.rows[i:i + take]
            heights = layout.row_heights[i:i + take]
            part = replace(box, rows=rows, notes=(), tail=())
            part_layout = replace(layout, row_heights=heights)
            frame = self._frame(page, layout.header_height + sum(heights))
            frame = replace(frame, w=sum(layout.col_widths))
            self._put(page, Placed(part, frame, part_layout), notes)
            notes = ()
            i += take
            if i < n:
                pages.append(Page(continues=True))
        pages[-1].notes.extend(box.tail)

    def _split_tall_rows(self, box: TableBox) -> TableBox:
        """A row taller than an empty slide is cut into several rows (text continues with …)."""
        found = self._splits.get(id(box))
        if found is None or found[0] is not box:
            found = self._splits[id(box)] = (box, self._cut_tall_rows(box))
        return found[1]

    def _cut_tall_rows(self, box: TableBox) -> TableBox:
        layout = self.table_layout(box)
        room = self.body.h - layout.header_height
        if all(h <= room for h in layout.row_heights):
            return box
        rows: list[tuple[Inline, ...]] = []
        for row, height in zip(box.rows, layout.row_heights, strict=False):
            for _ in range(100):
                if height <= room:
                    break
                head, tail = self._cut_row(row, layout, room)
                if head == row:
                    break
                rows.append(head)
                row = tail
                height = self._row_height(row, list(layout.col_widths), layout.size, False)
            rows.append(row)
        return replace(box, rows=tuple(rows))

    def _cut_row(self, row: tuple[Inline, ...], layout: TableLayout,
                 room: float) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
        """Keep the lines of each cell that fit in `room`; the rest goes to a continuation row."""
        size = layout.size
        max_lines = max(1, int((room - CELL_INSETS.top - CELL_INSETS.bottom)
                               // (size * LINE_HEIGHT * HEIGHT_SAFETY)))
        head: list[Inline] = []
        tail: list[Inline] = []
        for cell, width in zip(row, layout.col_widths, strict=False):
            toks = tokens(self.m.fm, cell, False)
            inner = width - CELL_INSETS.left - CELL_INSETS.right
            lines = break_lines(toks, inner / size)
            cut = lines[max_lines][0] if len(lines) > max_lines else 0
            if cut <= 0:
                head.append(cell)
                tail.append(())
                continue
            offset = toks[cut].start
            head.append((*strip_spans(slice_spans(cell, 0, offset)), Span(" " + ELLIPSIS)))
            tail.append((Span(ELLIPSIS + " "), *strip_spans(slice_spans(cell, offset, 10**9))))
        return tuple(head), tuple(tail)

    # -- pictures --

    def _picture(self, box: PictureBox, pages: list[Page], limit: float) -> None:
        page = pages[-1]
        room = self._room(page, limit)
        if page.placed and room < MIN_PICTURE:
            self._break_before(pages)
            page = pages[-1]
        # The size comes from the real free height, not the (possibly lowered) limit.
        room = self.body.h - page.used - self._gap(page)
        room = max(room, min(MIN_PICTURE, self.body.h))
        width, height = picture_size(box, self.body.w, room)
        top = self.body.y + page.used + self._gap(page)
        frame = Frame(self.body.x + (self.body.w - width) / 2, top, width, height)
        self._put(page, Placed(box, frame), (*box.notes, *box.tail))

    # -- two columns --

    def _columns(self, box: ColumnsBox, pages: list[Page], limit: float) -> None:
        """Text left, picture (or narrow table, or callout) right, top-aligned, when both fit
        the room left (a picture may move to the next slide for it); otherwise one below the
        other. A table or callout goes beside text only when one below the other would not
        fit."""
        right = box.right
        split = self._callout_split(box.left, right) if isinstance(right, TextBox) \
            else COLUMN_SPLIT
        left_w = self.body.w * split - GAP
        right_w = self.body.w - left_w - 2 * GAP
        left_h = self._text_height(box.left, left_w)
        layout = None
        bar = 0.0
        if isinstance(right, TableBox):
            layout = self._measure_table(right, self.m.typo.table, right_w)
            right_size = (sum(layout.col_widths), layout.header_height + sum(layout.row_heights))
        elif isinstance(right, TextBox):
            bar = BAR.get(right.kind, 0.0)
            right_size = (right_w - bar, self._text_height(right, right_w - bar))
        else:
            right_size = picture_size(right, right_w, self.body.h)
        height = max(left_h, right_size[1])
        page = pages[-1]
        if isinstance(right, PictureBox) and page.placed and \
                self._room(page, limit) < height <= self.body.h:
            self._break_before(pages)
            page = pages[-1]
        beside = height <= self._room(page, limit)
        if not isinstance(right, PictureBox):
            beside = beside and self._stacked_height(box.left, right) > self._room(page, limit)
        if not beside:
            self._text(replace(box.left, notes=(*box.notes, *box.left.notes)), pages, limit,
                       self._whole_height(right))
            if isinstance(right, TableBox):
                self._table(right, pages, limit)
            elif isinstance(right, TextBox):
                self._text(right, pages, limit)
            else:
                self._picture(right, pages, limit)
            pages[-1].notes.extend(box.tail)
            return
        top = self.body.y + page.used + self._gap(page)
        left = Placed(box.left, Frame(self.body.x, top, left_w, left_h))
        right_frame = Frame(self.body.x + left_w + 2 * GAP + bar, top, *right_size)
        page.used += self._gap(page) + height
        page.placed += [left, Placed(right, right_frame, layout)]
        page.notes.extend([*box.notes, *box.left.notes,
                           *(n for p in box.left.paras for n in p.notes), *right.notes,
                           *box.left.tail, *right.tail, *box.tail])

    # -- diagrams --

    def _diagram(self, box: DiagramBox, pages: list[Page], limit: float) -> None:
        """A diagram fills the rest of the body (its shapes are sized to the room it gets)."""
        page = pages[-1]
        if page.placed and self._room(page, limit) < MIN_DIAGRAM * self.body.h:
            self._break_before(pages)
            page = pages[-1]
        room = self.body.h - page.used - self._gap(page)
        self._put(page, Placed(box, self._frame(page, room)), (*box.notes, *box.tail))

    def _callout_split(self, left: TextBox, right: TextBox) -> float:
        """The text column's share of the width that makes text and callout beside it the
        least tall (a long list takes more width than a short callout)."""
        def height(split: float) -> float:
            left_w = self.body.w * split - GAP
            right_w = self.body.w - left_w - 2 * GAP - BAR.get(right.kind, 0.0)
            return max(self._text_height(left, left_w), self._text_height(right, right_w))

        return min(CALLOUT_SPLITS, key=height)

    def _stacked_height(self, text: TextBox, other: TableBox | TextBox) -> float:
        """Height of `text` above a table or callout, both at full width."""
        return self._whole_height(text) + self.m.typo.gap + self._whole_height(other)


CELL_INSETS = Insets(6.0, 2.4, 6.0, 2.4)
"""Table cell padding: tight top and bottom, so rows take little more than their lines."""
ORPHAN_FILL = 0.5
"""A list's first item alone at the foot of a slide filled this far moves to the next slide."""
MIN_COLUMN_ITEMS = 3
"""A list needs at least this many short items to be set in columns."""
MAX_COLUMNS = 3
"""Short list items are set in at most this many columns."""
TABLE_STEP = 0.08
"""First step (share of the table width) when column widths are tuned for the shortest table."""
COLUMN_SPLIT = 0.55
"""Share of the body width the text column takes in a two-column slide."""
CALLOUT_SPLITS = (0.55, 0.525, 0.575, 0.5, 0.6, 0.625, 0.65, 0.675)
"""Shares of the body width the text column may take beside a callout (ties: the first)."""


def _lone_item(paras: list[Para]) -> bool:
    """The paragraphs hold one list item, and it ends them (a lead-in may come before it)."""
    items = [p for p in paras if p.counts and p.marker]
    return len(items) == 1 and paras[-1] is items[0]


def _even_columns(items: tuple[Para, ...], count: int) -> list[tuple[Para, ...]]:
    """`items` cut into `count` runs whose lengths differ by at most one (25 -> 9 + 8 + 8)."""
    size, extra = divmod(len(items), count)
    columns, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        columns.append(items[start:end])
        start = end
    return [column for column in columns if column]


def picture_size(box: PictureBox, width: float, height: float) -> tuple[float, float]:
    """A picture's size (with its caption line) scaled to fit `width` x `height`, never enlarged
    beyond 1.5 x its pixel size at 96 dpi."""
    caption = CAPTION if box.caption else 0.0
    px_w, px_h = box.pixels
    natural_w = px_w * 0.75 * 1.5
    natural_h = px_h * 0.75 * 1.5
    scale = min(width / natural_w, max(height - caption, 1.0) / natural_h, 1.0)
    return natural_w * scale, natural_h * scale + caption


def _column_widths(natural: list[float], minimum: list[float], total: float) -> list[float]:
    """Share `total` between columns: at least each column's longest word, the rest by content."""
    cols = len(natural)
    if cols == 0:
        return []
    if sum(natural) <= total:
        # A table of short cells keeps a compact width instead of stretching across the slide.
        total = min(total, max(sum(natural) * 1.3, total * 0.55))
        extra = total - sum(natural)
        weights = [n or 1.0 for n in natural]
        return [n + extra * w / sum(weights) for n, w in zip(natural, weights, strict=False)]
    floor = [min(m, total / cols) for m in minimum]
    spare = total - sum(floor)
    wants = [max(n - f, 0.0) for n, f in zip(natural, floor, strict=False)]
    if sum(wants) <= 0:
        return [total / cols] * cols
    # Square roots damp a single very long column so short columns keep readable widths.
    weights = [math.sqrt(w) * math.sqrt(n) for w, n in zip(wants, natural, strict=False)]
    return [f + spare * w / sum(weights) for f, w in zip(floor, weights, strict=False)]


# --- filling: the body size of each flow --------------------------------------------------------


class SlideFiller:
    """Sets each flow at the largest body size that needs the fewest slides (DESIGN §8).

    A flow that fits one slide at a size between `body` and `body_shrink` stays on one slide;
    otherwise it continues, at the largest size that needs no more slides than `body_shrink`
    would and leaves no continuation with a single item when some size can. Body text never
    goes below `body_shrink` (18 pt) to avoid a continuation: a box that moves whole (a callout,
    a table that fits a slide) may stand alone on one.
    """

    def __init__(self, measure: TextMeasure, body: Frame) -> None:
        self.base = measure
        self.body = body
        self._paginators: dict[float, Paginator] = {}
        self._tables: dict[int, tuple[TableBox, TableLayout]] = {}
        """Table layouts, shared by the paginators: tables have their own sizes, not the body's."""
        self._splits: dict[int, tuple[TableBox, TableBox]] = {}

    def paginator(self, size: float) -> Paginator:
        found = self._paginators.get(size)
        if found is None:
            measure = TextMeasure(self.base.fm, self.base.typo.at(size))
            found = self._paginators[size] = Paginator(measure, self.body, self._tables,
                                                       self._splits)
        return found

    def measure(self, size: float) -> TextMeasure:
        return self.paginator(size).m

    def fit(self, boxes: list[Box]) -> tuple[list[Page], float]:
        """The pages of `boxes` and the body size they are set in.

        Sizes are chosen on the cheap greedy pass; only the chosen candidates are rebalanced.
        Of the sizes that need the fewest slides, those that cut fewest boxes come first (a
        list stays whole on its slide at 18 pt rather than run over at 20 pt), then the larger.
        """
        typo = self.base.typo
        counts: dict[float, tuple[int, int]] = {}
        for size in _sizes(typo.body, typo.body_shrink):
            greedy = self.paginator(size).paginate(boxes, self.body.h)
            if len(greedy) == 1:
                return self.grown(boxes, greedy, size) if size == typo.body else (greedy, size)
            counts[size] = (len(greedy), sum(page.continues for page in greedy))
        fewest = min(count for count, _cuts in counts.values())
        candidates = sorted((cuts, -size) for size, (count, cuts) in counts.items()
                            if count == fewest)
        first: tuple[list[Page], float] | None = None
        for _cuts, negative in candidates:
            pages = self.paginator(-negative).pages(boxes)
            if not lonely(pages):
                return pages, -negative
            first = first or (pages, -negative)
        assert first is not None
        return first


    def grown(self, boxes: list[Box], pages: list[Page], size: float) -> tuple[list[Page], float]:
        """A one-slide flow that fills less than `SPARSE` of the body: larger text (up to
        `body_max`), as long as it stays on one slide."""
        if pages[0].used >= SPARSE * self.body.h or any(
                not isinstance(p.box, TextBox) for p in pages[0].placed):
            return pages, size
        for bigger in _sizes(self.base.typo.body_max, size + 1)[::-1]:
            trial = self.paginator(bigger).paginate(boxes, self.body.h)
            if len(trial) > 1:
                break
            pages, size = trial, bigger
            if trial[0].used >= SPARSE * self.body.h:
                break
        return pages, size


def lonely(pages: list[Page]) -> bool:
    """A continuation page holds a single item of a flow (or of a list or table) with several."""
    total = sum(page.items for page in pages)
    if total > 1 and any(page.items == 1 for page in pages[1:]):
        return True
    for before, page in zip(pages, pages[1:], strict=False):
        if not (before.placed and page.placed):
            continue
        last, first = before.placed[-1].box, page.placed[0].box
        if isinstance(last, TextBox) and isinstance(first, TextBox) and last.kind == first.kind:
            items = [p for p in first.paras if p.counts and p.marker]
            if len(items) == 1 and len(first.paras) == 1:
                return True
        if isinstance(last, TableBox) and isinstance(first, TableBox) and len(first.rows) == 1 \
                and last.header == first.header:
            return True
    return False


# --- speaker notes ----------------------------------------------------------------------------

LONG_NOTE = 200
"""Characters above which a single note may be cut in two to give the next slide its part."""


def spread_notes(pages: list[list[str]]) -> list[list[str]]:
    """Give every slide of a run some notes when the run has any (DESIGN §4).

    Notes follow the slide whose content they explain: a slide without notes takes the last note
    of the slide before it (the prose that comments on content continuing here), or the second
    half of that note when it is the only, long one; a first slide without notes takes the first
    note of the next slide. Order is kept, and a note only ever moves to a neighbouring slide.
    """
    spread = [list(notes) for notes in pages]
    for index in range(1, len(spread)):
        before = spread[index - 1]
        if spread[index] or not before:
            continue
        if len(before) > 1:
            spread[index].append(before.pop())
        elif len(before[0]) > LONG_NOTE and "\n" not in before[0]:
            head, tail = _halves(before[0])
            if tail:
                before[0] = head
                spread[index].append(tail)
    if len(spread) > 1 and not spread[0] and len(spread[1]) > 1 and "\n" not in spread[1][0]:
        spread[0].append(spread[1].pop(0))
    return spread


def _halves(text: str) -> tuple[str, str]:
    """Cut `text` at the sentence end nearest its middle ("", "" parts are never made)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    ends = [end for end in ends if 0 < end < len(text)]
    if not ends:
        return text, ""
    cut = min(ends, key=lambda end: abs(end - len(text) / 2))
    return text[:cut].rstrip(), text[cut:].strip()
