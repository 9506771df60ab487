"""Model blocks -> Word paragraphs, tables and boxes, for one audience (handbook or guide).

One `visit_<kind>` per block kind (the shared `BlockVisitor`). Participants never get a
`catatan`, a `kunci` or a role brief: the same rule as the HTML handbook, so a misspelt
directive cannot leak a key into an editable file either. Boxes (activities, callouts,
summaries, notes) are one-cell shaded tables, the construction Word users know from templates
and the one LibreOffice and Word both keep together.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from bimtek_kit import model
from bimtek_kit.errors import Loc
from bimtek_kit.model import Inline, plain
from bimtek_kit.render.docx import ooxml
from bimtek_kit.render.docx.setup import set_font, word_font
from bimtek_kit.themes import Theme
from bimtek_kit.visitor import BlockVisitor

Audience = Literal["handbook", "guide"]
GENERATED = Loc("bimtek.yml")
"""Where tables the documents make themselves (schedule, keys) come from: course data."""

BOX_PADDING_PT = 31.0
"""Left and right inner margins of a box (14 pt each) plus its bar."""
BOX_MARGINS = (200, 280, 100, 280)
"""Inner margins of a box in twentieths of a point: 3.5 mm above, 5 mm at the sides, 2 mm
below, as the PDF handbook's CSS (`.activity { padding: 3.5mm 5mm 2mm }`)."""
LIST_SPACE_AFTER_PT = 8.5
"""Room after a whole list (`ul, ol { margin: 0 0 3mm }`); items themselves sit closer."""
CHAR_WIDTH_PT = 5.6
"""Average advance of a bold 8.8 pt sans character: enough to keep a word on one line."""
TABLE_CELL_MARGINS = (90, 113, 90, 113)
"""1.6 mm above and below, 2 mm at the sides (`th, td { padding: 1.6mm 2mm }`)."""
MAX_IMAGE_HEIGHT_PT = 110 * 72 / 25.4
"""As in the PDF handbook's CSS (`figure img { max-height: 110mm }`)."""


@dataclass
class DocxBlocks(BlockVisitor[None]):
    """Writes blocks into `container` (the document body or a box's cell)."""

    document: Any
    theme: Theme
    audience: Audience
    text_width: float
    """Usable width in points."""
    activity_prefix: str = ""
    container: Any = None
    figures: int = 0
    _level: int = field(default=0, repr=False)
    _depth: int = field(default=0, repr=False)
    _last: Any = field(default=None, repr=False)
    """The paragraph written last (a list's last line gets the space after the list)."""
    """How many boxes deep the writer is: each takes its padding off the usable width."""

    def __post_init__(self) -> None:
        if self.container is None:
            self.container = self.document

    @property
    def labels(self) -> Any:
        return self.theme.labels

    @property
    def width(self) -> float:
        """Usable width in points where blocks go now (inside boxes: less their padding)."""
        return self.text_width - self._depth * BOX_PADDING_PT

    # --- text ---------------------------------------------------------------------------

    def paragraph(self, spans: Inline = (), style: str | None = None) -> Any:
        paragraph = self.container.add_paragraph(style=style)
        self.add_spans(paragraph, spans)
        self._last = paragraph
        return paragraph

    def add_spans(self, paragraph: Any, spans: Inline) -> None:
        for span in spans:
            parent = ooxml.add_hyperlink(paragraph, span.href) if _is_link(span.href) else None
            for index, piece in enumerate(span.text.split("\n")):
                run = _text_run(paragraph, piece)
                if index:
                    run._r.addprevious(_break())
                run.bold = span.bold or None
                run.italic = span.italic or None
                run.font.strike = span.strike or None
                if span.code:
                    set_font(run.font, word_font(self.theme.fonts("mono")))
                if parent is not None:
                    run.font.underline = True
                    run.font.color.rgb = _colour(self.theme, "primary")
                    parent.append(run._r)

    def text(self, text: str, style: str | None = None, bold: bool = False) -> Any:
        return self.paragraph((model.Span(text, bold=bold),), style)

    # --- block kinds --------------------------------------------------------------------

    def visit_paragraph(self, block: model.Paragraph) -> None:
        self.paragraph(block.spans)

    def visit_heading(self, block: model.Heading) -> None:
        self.paragraph(block.spans, f"Heading {min(max(block.level, 3), 4)}")

    def visit_list_block(self, block: model.ListBlock) -> None:
        level = min(self._level, 1)
        kind = "List Number" if block.ordered else "List Bullet"
        style = kind if level == 0 else f"{kind} 2"
        num_id = ooxml.restart_numbering(self.document, style, block.start) if block.ordered \
            else None
        for item in block.items:
            paragraph = self.paragraph(item.spans, style)
            if num_id is not None:
                ooxml.set_numbering(paragraph, num_id, level)
            self._level += 1
            try:
                for inner in item.blocks:
                    if isinstance(inner, model.Paragraph):
                        self.paragraph(inner.spans, "List Continue" if level == 0
                                       else "List Continue 2")
                    else:
                        self.visit(inner)
            finally:
                self._level -= 1
        if level == 0 and self._last is not None:
            from docx.shared import Pt

            self._last.paragraph_format.space_after = Pt(LIST_SPACE_AFTER_PT)

    def visit_table(self, block: model.Table) -> None:
        columns = max(len(block.header), *(len(row) for row in block.rows)) if block.rows \
            else len(block.header)
        table = self.container.add_table(rows=1 + len(block.rows), cols=columns)
        table.style = "Table Grid"
        ooxml.cell_margins(table, *TABLE_CELL_MARGINS)
        _set_widths(table, column_widths(block, columns, self.width))
        ooxml.repeat_header(table.rows[0])
        aligns = list(block.aligns) + [None] * columns
        for row_index, cells in enumerate((block.header, *block.rows)):
            row = table.rows[row_index]
            ooxml.keep_row_together(row)
            for column in range(columns):
                spans = cells[column] if column < len(cells) else ()
                cell = row.cells[column]
                paragraph = cell.paragraphs[0]
                paragraph.style = "Table Text"
                _align(paragraph, aligns[column])
                self.add_spans(paragraph, spans)
                if row_index == 0:
                    for run in paragraph.runs:
                        run.bold = True
                        run.font.color.rgb = _colour(self.theme, "primary")
                    ooxml.shade_cell(cell, self.theme.color("tint"))
        self._gap()

    def visit_image(self, block: model.Image) -> None:
        caption = block.title or block.alt
        if block.path is None:
            self.text(f"[{caption}]", "Caption")
            return
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        paragraph = self.container.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        width, height = _picture_size(block.path, self.width)
        shape = paragraph.add_run().add_picture(str(block.path), width=Pt(width),
                                                height=Pt(height))
        ooxml.describe_picture(shape, block.alt, block.title)
        if caption:
            self.figures += 1
            label = self.labels.image
            number = f"{self.activity_prefix}.{self.figures}" if self.activity_prefix \
                else str(self.figures)
            caption_paragraph = self.text(f"{label} {number}. {caption}", "Caption")
            caption_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def visit_quote(self, block: model.Quote) -> None:
        for inner in block.blocks:
            if isinstance(inner, model.Paragraph):
                self.paragraph(inner.spans, "Quote")
            else:
                self.visit(inner)

    def visit_code_block(self, block: model.CodeBlock) -> None:
        with self.box("tint", None, None):
            for line in block.text.rstrip("\n").split("\n"):
                self.text(line, "Code")

    def visit_raw_html(self, block: model.RawHtml) -> None:
        self.text(block.html)

    def visit_callout(self, block: model.Callout) -> None:
        label = self.labels.callout.get(block.kind, block.kind)
        with self.box("tint_accent", "accent", label):
            if block.title and block.title != label:
                self.text(block.title, "Box Title")
            self.visit_all(block.blocks)

    def visit_notes(self, block: model.Notes) -> None:
        if self.audience != "guide":
            return
        with self.box("tint_accent", "muted", self.labels.facilitator_notes):
            self.visit_all(block.blocks)

    def visit_summary(self, block: model.Summary) -> None:
        with self.box(None, "primary", block.title or self.labels.summary):
            self.visit_all(block.blocks)

    def visit_diagram(self, block: model.Diagram) -> None:
        """`bagan` as editable Word content, not a picture of text: its items as a list
        (numbered steps, or nested bullets for a tree or a grid's quadrants), the axes of a
        `matriks` under it, and a cycle saying it returns to its first step. Offices edit
        the words; the drawn shapes live on the slides and in the PDF."""
        label = self.labels.get("diagram", "Bagan")
        with self.box(None, "primary", f"{label} {block.kind}"):
            if block.title:
                self.text(block.title, "Box Title")
            ordered = block.kind not in ("hierarki", "matriks")
            if block.items:
                entries = tuple(_diagram_entry(item) for item in block.items)
                self.visit_list_block(model.ListBlock(entries, ordered, 1, block.loc))
            if block.kind == "matriks" and (block.x_label or block.y_label):
                self.text(f"x: {block.x_label} · y: {block.y_label}", "Caption")
            if block.kind == "siklus" and block.items:
                self.text(f"↻ {block.items[0].label}")

    def visit_audience_only(self, block: model.AudienceOnly) -> None:
        if block.target == "handbook":
            self.visit_all(block.blocks)

    def visit_activity(self, block: model.Activity) -> None:
        label = self.activity_label(block)
        if block.minutes:
            label += f" · {self.labels.time}: {block.minutes} {self.labels.minutes}"
        with self.box("tint", "primary", label):
            if block.title:
                self.text(block.title, "Box Title")
            self.visit_all(block.blocks)
            self._roles(block)
            if block.questions:
                self.visit_list_block(_question_list(block))
            if self.audience == "guide" and block.key:
                key_label = (self.labels.answer_key if block.kind == "latihan"
                             else self.labels.discussion_pointers)
                self.text(key_label, "Box Label")
                self.visit_all(block.key)

    def _roles(self, block: model.Activity) -> None:
        """The guide prints every role brief; participants see only who takes part."""
        if not block.roles:
            return
        if self.audience != "guide":
            label = self.labels.role
            names = ", ".join(re.sub(rf"^{re.escape(label)}\s+", "", role.name)
                              for role in block.roles)
            self.paragraph((model.Span(f"{self.labels.role}: ", bold=True), model.Span(names)))
            return
        for role in block.roles:
            self.text(role.name, bold=True)
            self.visit_all(role.blocks)

    # --- tables and lists the documents make themselves (schedule, time plan, keys) --------

    def made_table(self, header: list[str], rows: list[list[Inline | str]],
                   aligns: tuple[str | None, ...] = ()) -> None:
        """A table of generated text (cells may be plain strings or spans)."""
        def cell(value: Inline | str) -> Inline:
            return (model.Span(value),) if isinstance(value, str) else value

        table = model.Table(tuple(cell(h) for h in header),
                            tuple(tuple(cell(c) for c in row) for row in rows),
                            aligns or (None,) * len(header), GENERATED)
        self.visit_table(table)

    def made_list(self, texts: list[str] | tuple[str, ...], ordered: bool = True) -> None:
        items = tuple(model.ListItem((model.Span(text),), (), GENERATED) for text in texts)
        self.visit_list_block(model.ListBlock(items, ordered, 1, GENERATED))

    def activity_label(self, block: model.Activity) -> str:
        prefix = f"{self.activity_prefix}." if self.activity_prefix else ""
        return f"{self.labels.activity[block.kind]} {prefix}{block.number}"

    # --- boxes --------------------------------------------------------------------------

    @contextmanager
    def box(self, fill: str | None, bar: str | None, label: str | None) -> Iterator[Any]:
        """A one-cell table, shaded `fill` with a `bar` on the left; blocks go inside."""
        table = self.container.add_table(rows=1, cols=1)
        cell = table.rows[0].cells[0]
        ooxml.cell_margins(table, *BOX_MARGINS)
        if fill:
            ooxml.shade_cell(cell, self.theme.color(fill))
        rule = (0.75, self.theme.color(bar)) if bar else None
        if fill is None:
            ooxml.cell_borders(cell, top=(3, self.theme.color(bar or "primary")), left=rule,
                               bottom=rule, right=rule)
        else:
            ooxml.cell_borders(cell, left=(3, self.theme.color(bar)) if bar else None)
        _set_widths(table, [self.width])
        outer, self.container = self.container, cell
        self._depth += 1
        first = cell.paragraphs[0]
        try:
            if label:
                first.style = "Box Label"
                first.add_run(label)
            yield cell
        finally:
            self.container = outer
            self._depth -= 1
        if not label:
            first._p.getparent().remove(first._p)
        _tidy_cell(cell)
        self._gap()

    def _gap(self) -> None:
        """A small empty paragraph after a table, so two boxes never merge into one (in a box
        the cell's own closing paragraph, which OOXML requires after a table, is made small)."""
        from docx.shared import Pt

        if self.container is self.document:
            gap = self.container.add_paragraph()
            gap.paragraph_format.space_after = Pt(8)
        else:
            gap = self.container.paragraphs[-1]
            gap.paragraph_format.space_after = Pt(2)
        gap.paragraph_format.line_spacing = Pt(6)


def column_widths(block: model.Table, columns: int, total: float) -> list[float]:
    """Share `total` by each column's longest text (from 6 to 40 characters' worth), so a
    column of sentences gets the room, but never narrower than its longest word."""
    weights, minimums = [], []
    for column in range(columns):
        texts = [plain(row[column]) for row in (block.header, *block.rows) if column < len(row)]
        longest = max((len(word) for text in texts for word in text.split()), default=1)
        weights.append(max(6, min(40, max((len(t) for t in texts), default=1))))
        minimums.append(longest * CHAR_WIDTH_PT + 2 * TABLE_CELL_MARGINS[1] / 20)
    widths = [weight * total / sum(weights) for weight in weights]
    narrow = [i for i, width in enumerate(widths) if width < minimums[i]]
    if narrow and sum(minimums[i] for i in narrow) < total:
        fixed = sum(minimums[i] for i in narrow)
        rest = sum(weights[i] for i in range(columns) if i not in narrow)
        widths = [minimums[i] if i in narrow else weights[i] * (total - fixed) / rest
                  for i in range(columns)]
    return widths


def _set_widths(table: Any, widths: list[float]) -> None:
    from docx.shared import Pt

    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Pt(width)
        for cell in column.cells:
            cell.width = Pt(width)


def _diagram_entry(item: model.DiagramItem) -> model.ListItem:
    """`**label** — description`, its children nested below."""
    spans: Inline = (model.Span(item.label, bold=True),)
    if item.description:
        spans += (model.Span(f" — {item.description}"),)
    nested = (model.ListBlock(tuple(_diagram_entry(c) for c in item.children), False, 1,
                              item.loc),) if item.children else ()
    return model.ListItem(spans, nested, item.loc)


def _question_list(block: model.Activity) -> model.ListBlock:
    items = tuple(model.ListItem(q.spans, q.blocks, q.loc) for q in block.questions)
    start = block.questions[0].number if block.questions else 1
    return model.ListBlock(items, True, start, block.loc)


def _tidy_cell(cell: Any) -> None:
    """A cell ending in a table needs a paragraph after it (OOXML); keep it tiny."""
    from docx.shared import Pt

    last = cell.paragraphs[-1] if cell.paragraphs else None
    if last is not None and not last.text and len(cell.paragraphs) > 1:
        last.paragraph_format.space_after = Pt(0)


def _break() -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement("w:br")


def _text_run(paragraph: Any, text: str) -> Any:
    """`paragraph.add_run(text)` without python-docx's walk over every character, which looks
    for tabs and line breaks (a tenth of a module's DOCX part); with either, its walk."""
    if "\t" in text or "\r" in text:
        return paragraph.add_run(text)
    run = paragraph.add_run()
    if text:
        run._r.add_t(text)
    return run


def _is_link(href: str | None) -> bool:
    return bool(href) and str(href).startswith(("http://", "https://", "mailto:"))


def _colour(theme: Theme, name: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(theme.color(name).lstrip("#").upper())


def _align(paragraph: Any, align: str | None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    mapping = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
    if align in mapping:
        paragraph.alignment = mapping[align]


def _picture_size(path: Any, text_width: float) -> tuple[float, float]:
    """Natural size at 96 dpi (or the file's dpi), never wider than the text nor taller
    than the PDF handbook allows."""
    from PIL import Image as PILImage

    with PILImage.open(path) as img:
        dpi = img.info.get("dpi", (96, 96))[0] or 96
        width, height = img.size[0] * 72 / dpi, img.size[1] * 72 / dpi
    scale = min(1.0, text_width / width, MAX_IMAGE_HEIGHT_PT / height)
    return width * scale, height * scale
