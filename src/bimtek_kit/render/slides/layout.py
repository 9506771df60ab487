"""Slide layout without python-pptx: what goes on which slide, where, and at what size.

The planner (`slides_plan`) turns a module into flows of boxes (text, tables, pictures); this
module measures every box against the body frame and cuts the flow into pages, so that no text
ever runs off a slide: long lists and tables continue on "… (lanjutan)" slides, a paragraph longer
than the word budget is split at sentence (else word) boundaries, a table is split by rows with its
header repeated, and titles shrink toward a floor size before they wrap or are shortened.
All sizes are in points; the drawing code (`slides_draw`) only converts them to EMU.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from bimtek_kit.model import Image, Inline, Span, plain
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
WORD_SLACK = 1.2
"""The design's "~45 words" is a target: a slide may hold up to 20 % more before continuing."""
GAP = 0.16 * PT_PER_IN
"""Vertical space between two boxes on a slide."""
MIN_PICTURE = 2.0 * PT_PER_IN
"""A picture never gets less height than this; it moves to the next slide instead."""
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
    "callout": Insets(14.4, 9.0, 12.0, 9.0),
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
    table: float = 16
    table_min: float = 14
    code: float = 16
    footer: float = 10
    max_bullets: int = 6
    max_words: int = 45
    max_table_rows: int = 8
    reading_weight: float = 0.5
    """Weight of an activity's words against `max_words`: its text is read, not presented."""
    level_step: float = 0.4 * PT_PER_IN

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Typography:
        """Read the theme's values; clamp them so nothing drops below the 14 pt floor."""
        values = {}
        names = {
            "title": "title_size", "title_min": "title_min_size", "cover_title": "cover_title_size",
            "cover_title_min": "cover_title_min_size", "subtitle": "subtitle_size",
            "body": "body_size", "body_min": "body_min_size", "floor": "min_size",
            "table": "table_size", "table_min": "table_min_size", "code": "code_size",
            "footer": "footer_size", "max_bullets": "max_bullets", "max_words": "max_words",
            "max_table_rows": "max_table_rows", "reading_weight": "activity_word_weight",
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
            title=max(typo.title, typo.title_min), max_bullets=max(typo.max_bullets, 1),
            max_words=max(typo.max_words, 10), max_table_rows=max(typo.max_table_rows, 1),
            reading_weight=min(max(typo.reading_weight, 0.2), 1.0),
        )


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
    """Counts toward the bullet and word budgets (labels and lead lines do not)."""
    reading: bool = False
    """Reading text (an activity's case, steps, questions): its words weigh `reading_weight`
    (half, by default), so a case paragraph of ~90 words stays on one slide instead of being
    cut into 45-word scraps."""


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


Box = TextBox | TableBox | PictureBox


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
    paras: int = 0
    words: float = 0.0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Budget:
    height: float
    paras: int
    words: float
    rows: int

    def scaled(self, factor: float, height: bool = True) -> Budget:
        return Budget(self.height * (factor if height else 1.0),
                      max(2, math.ceil(self.paras * factor)),
                      max(12.0, self.words * factor), max(2, math.ceil(self.rows * factor)))


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
            return 0.25 * size
        return 0.5 * size

    def toks(self, para: Para) -> tuple[Token, ...]:
        return tokens(self.fm, para.spans, self.bold(para), self.italic(para), para.role == "code")

    def words(self, para: Para) -> float:
        """Weight of `para` against the word budget."""
        if not para.counts:
            return 0.0
        return len(self.toks(para)) * (self.typo.reading_weight if para.reading else 1.0)

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


def split_words(measure: TextMeasure, para: Para, max_words: int) -> list[Para]:
    """Split a paragraph longer than `max_words` at sentence ends, else at word boundaries.

    Pieces are balanced (a 60-word bullet becomes 30 + 30, not 45 + 15); a mid-sentence cut is
    marked with an ellipsis on both sides so the reader sees the text continues.
    """
    toks = measure.toks(para)
    if para.reading:
        max_words = int(max_words / measure.typo.reading_weight)
    if len(toks) <= max_words or not para.counts:
        return [para]
    text = plain(para.spans)
    pieces = _group_sentences(text, toks, max_words)
    result: list[Para] = []
    for index, (start, end, cut) in enumerate(pieces):
        spans = strip_spans(slice_spans(para.spans, start, end))
        if cut and index < len(pieces) - 1:
            spans = (*spans, Span(" " + ELLIPSIS))
        if index > 0 and pieces[index - 1][2]:
            spans = (Span(ELLIPSIS + " "), *spans)
        result.append(replace(para, spans=spans) if index == 0 else continuation(para, spans))
    return result


def _group_sentences(text: str, toks: tuple[Token, ...],
                     max_words: int) -> list[tuple[int, int, bool]]:
    """Character ranges of the pieces; the bool says the piece ends mid-sentence."""
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    sentences = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]
    starts = [t.start for t in toks]

    def words_in(a: int, b: int) -> list[Token]:
        return [t for t in toks if a <= t.start < b]

    units: list[tuple[int, int, bool]] = []
    for a, b in sentences:
        inside = words_in(a, b)
        if len(inside) <= max_words:
            units.append((a, b, False))
            continue
        parts = math.ceil(len(inside) / max_words)
        per = math.ceil(len(inside) / parts)
        for k in range(0, len(inside), per):
            chunk = inside[k:k + per]
            end = b if k + per >= len(inside) else inside[k + per].start
            units.append((chunk[0].start if k else a, end, k + per < len(inside)))
    total = len(toks)
    target = total / math.ceil(total / max_words)
    pieces: list[tuple[int, int, bool]] = []
    start, count, last_cut = units[0][0], 0, False
    for a, b, cut in units:
        n = len([s for s in starts if a <= s < b])
        if count and (count + n > max_words or count >= target):
            pieces.append((start, a, last_cut))
            start, count = a, 0
        count += n
        last_cut = cut
        end = b
    pieces.append((start, end, False))
    return pieces


def split_height(measure: TextMeasure, para: Para, inner_width: float, height: float,
                 first: bool) -> tuple[Para, Para | None]:
    """Cut `para` after the last line that fits in `height` (at least one line)."""
    fit, lines = measure.lines_that_fit(para, inner_width, height, first)
    fit = max(fit, 1)
    if fit >= len(lines):
        return para, None
    toks = measure.toks(para)
    cut_token = lines[fit][0]
    if cut_token <= 0 or cut_token >= len(toks):
        return para, None
    offset = toks[cut_token].start
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
    """Cuts a flow of boxes into pages that fit `body` and respect the theme's budgets."""

    def __init__(self, measure: TextMeasure, body: Frame) -> None:
        self.m = measure
        self.body = body
        typo = measure.typo
        self.budget = Budget(body.h, typo.max_bullets, typo.max_words * WORD_SLACK,
                             typo.max_table_rows)
        self._tables: dict[TableBox, TableLayout] = {}

    def pages(self, boxes: list[Box]) -> list[Page]:
        """Paginate, then rebalance: 7 bullets become 4 + 3 rather than 6 + 1."""
        pages = self.paginate(boxes, self.budget)
        if len(pages) < 2:
            return pages
        # Search the smallest budget scale that needs no more pages and splits no more boxes
        # than the greedy pass: the content is then spread evenly over the same slides. Counts
        # (bullets, words, rows) are scaled first; the height too only if that does not help
        # (a table of tall rows), since a smaller height can push a box off a page it fits on.
        pieces = sum(len(page.placed) for page in pages)
        for with_height in (False, True):
            best, low, high = None, 0.3, 1.0
            for _ in range(6):
                factor = (low + high) / 2
                trial = self.paginate(boxes, self.budget.scaled(factor, with_height))
                if len(trial) == len(pages) and sum(len(p.placed) for p in trial) <= pieces:
                    best, high = trial, factor
                else:
                    low = factor
            if best is not None:
                return best
        return pages

    def paginate(self, boxes: list[Box], budget: Budget) -> list[Page]:
        pages = [Page()]
        for box in boxes:
            if isinstance(box, TextBox):
                self._text(box, pages, budget)
            elif isinstance(box, TableBox):
                self._table(box, pages, budget)
            else:
                self._picture(box, pages, budget)
        if len(pages) > 1 and not pages[-1].placed:
            pages.pop()
        return pages

    # -- helpers --

    def _room(self, page: Page, budget: Budget) -> float:
        return budget.height - page.used - (GAP if page.placed else 0.0)

    def _put(self, page: Page, placed: Placed, notes: tuple[str, ...]) -> None:
        page.used += (GAP if page.placed else 0.0) + placed.frame.h
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
        new.paras += 1 if lead.counts else 0
        new.words += self.m.words(lead)

    def _frame(self, page: Page, height: float, indent: float = 0.0) -> Frame:
        top = self.body.y + page.used + (GAP if page.placed else 0.0)
        return Frame(self.body.x + indent, top, self.body.w - indent, height)

    def text_frame_width(self, kind: str) -> tuple[float, float]:
        """(outer width, inner width) of a text box of `kind` spanning the body."""
        outer = self.body.w - BAR.get(kind, 0.0)
        insets = BOX_INSETS.get(kind, TEXT_INSETS)
        return outer, outer - insets.left - insets.right

    # -- text --

    def _text(self, box: TextBox, pages: list[Page], budget: Budget) -> None:
        m = self.m
        insets = BOX_INSETS.get(box.kind, TEXT_INSETS)
        _outer, inner = self.text_frame_width(box.kind)
        atomic = box.kind in ("callout", "quote", "code", "caption")
        paras: list[Para] = []
        for para in box.paras:
            paras.extend([para] if atomic else split_words(m, para, m.typo.max_words))
        heading_h = m.height(box.heading, inner, True) if box.heading else 0.0
        pad = insets.top + insets.bottom
        notes = box.notes
        # Callouts, quotes and code are one unit: kept whole when they fit (no word budget of
        # their own), moved to the next slide when they do not fit or would push the slide
        # over its budget, split only when taller than a whole slide.
        if atomic and pages[-1].placed:
            page = pages[-1]
            words = sum(m.words(p) for p in paras)
            counted = sum(1 for p in paras if p.counts)
            if page.words + words > budget.words or page.paras + counted > budget.paras:
                self._break_before(pages)
        i = 0
        while i < len(paras):
            page = pages[-1]
            room = self._room(page, budget) - pad - heading_h
            heights: list[float] = []
            count, words = page.paras, page.words
            while i + len(heights) < len(paras):
                para = paras[i + len(heights)]
                first = not heights and box.heading is None
                h = m.height(para, inner, first)
                if sum(heights) + h > room:
                    break
                w = m.words(para)
                has_content = bool(page.placed or heights)
                if para.counts and has_content and not atomic and (
                    count + 1 > budget.paras or words + w > budget.words
                ):
                    break
                heights.append(h)
                count += 1 if para.counts else 0
                words += w
            take = len(heights)
            while 0 < take < len(paras) - i and paras[i + take - 1].keep_next:
                take -= 1
            if take and atomic and take < len(paras) - i and page.placed:
                take = 0
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
            self._put(page, Placed(fragment, self._frame(page, height, BAR.get(box.kind, 0.0))),
                      notes)
            page.paras += sum(1 for p in chunk if p.counts)
            page.words += sum(m.words(p) for p in chunk)
            notes = ()
            i += take
            if i < len(paras):
                pages.append(Page())
        pages[-1].notes.extend(box.tail)

    # -- tables --

    def table_layout(self, box: TableBox) -> TableLayout:
        layout = self._tables.get(box)
        if layout is None:
            layout = self._measure_table(box, self.m.typo.table)
            tallest = max(layout.row_heights, default=0.0) + layout.header_height
            if tallest > self.body.h and self.m.typo.table_min < self.m.typo.table:
                layout = self._measure_table(box, self.m.typo.table_min)
            self._tables[box] = layout
        return layout

    def _measure_table(self, box: TableBox, size: float) -> TableLayout:
        cols = len(box.header)
        width = self.body.w
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
        header_h = self._row_height(box.header, widths, size, True)
        rows = tuple(self._row_height(row, widths, size, False) for row in box.rows)
        return TableLayout(size, tuple(widths), header_h, rows)

    def _row_height(self, row: tuple[Inline, ...], widths: list[float], size: float,
                    bold: bool) -> float:
        tallest = 1
        for cell, width in zip(row, widths, strict=False):
            inner = width - CELL_INSETS.left - CELL_INSETS.right
            lines = len(break_lines(tokens(self.m.fm, cell, bold), inner / size))
            tallest = max(tallest, lines)
        return text_height(tallest, size) + CELL_INSETS.top + CELL_INSETS.bottom

    def _table(self, box: TableBox, pages: list[Page], budget: Budget) -> None:
        box = self._split_tall_rows(box)
        layout = self.table_layout(box)
        notes = box.notes
        i, n = 0, len(box.rows)
        if n == 0:
            page = pages[-1]
            if page.placed and self._room(page, budget) < layout.header_height:
                self._break_before(pages)
                page = pages[-1]
            frame = replace(self._frame(page, layout.header_height), w=sum(layout.col_widths))
            self._put(page, Placed(box, frame, layout), (*notes, *box.tail))
            return
        while i < n:
            page = pages[-1]
            room = self._room(page, budget) - layout.header_height
            take, used = 0, 0.0
            while i + take < n and take < budget.rows:
                h = layout.row_heights[i + take]
                if used + h > room:
                    break
                used += h
                take += 1
            if take < min(2, n - i) and page.placed:
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
                pages.append(Page())
        pages[-1].notes.extend(box.tail)

    def _split_tall_rows(self, box: TableBox) -> TableBox:
        """A row taller than an empty slide is cut into several rows (text continues with …)."""
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

    def _picture(self, box: PictureBox, pages: list[Page], budget: Budget) -> None:
        page = pages[-1]
        room = self._room(page, budget)
        if page.placed and room < MIN_PICTURE:
            self._break_before(pages)
            page = pages[-1]
        # The size comes from the real free height, not the (possibly scaled) budget.
        room = self.body.h - page.used - (GAP if page.placed else 0.0)
        room = max(room, min(MIN_PICTURE, self.body.h))
        px_w, px_h = box.pixels
        natural_w = px_w * 0.75 * 1.5
        natural_h = px_h * 0.75 * 1.5
        scale = min(self.body.w / natural_w, room / natural_h, 1.0)
        width, height = natural_w * scale, natural_h * scale
        top = self.body.y + page.used + (GAP if page.placed else 0.0)
        frame = Frame(self.body.x + (self.body.w - width) / 2, top, width, height)
        self._put(page, Placed(box, frame), (*box.notes, *box.tail))


CELL_INSETS = Insets(6.0, 3.6, 6.0, 3.6)


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
