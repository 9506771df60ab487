"""Module -> slide specs: which slides a deck has and what each one shows (DESIGN §4 "Slides").

The deck is: title slide, learning objectives, agenda, the module's sections (one or more slides
per `##` section, a new slide per `###` sub-heading, an activity slide inline where each activity
stands), a summary slide from the `rangkuman` blocks, and a closing slide.

Who sees what is decided here, once: section prose and `catatan` go to the speaker notes, lists,
tables, images, quotes, callouts and `hanya-slide` content go on the slide, `hanya-buku` is
dropped, and an activity's `kunci` is never read at all, so no answer key can reach the deck.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bimtek_kit.model import (
    Activity,
    AudienceOnly,
    Block,
    Callout,
    CodeBlock,
    Course,
    Diagram,
    DiagramItem,
    Heading,
    Image,
    Inline,
    ListBlock,
    Module,
    Notes,
    Paragraph,
    Quote,
    RawHtml,
    Section,
    Span,
    Summary,
    Table,
    plain,
)
from bimtek_kit.render.slides.layout import (
    Box,
    ColumnsBox,
    DiagramBox,
    Para,
    PictureBox,
    TableBox,
    TextBox,
)
from bimtek_kit.render.slides.measure import slice_spans, strip_spans
from bimtek_kit.themes import Labels
from bimtek_kit.visitor import BlockVisitor

BULLETS = ("•", "–", "▪")
LONG_PARAGRAPH = 40
"""Words above which an activity's paragraph is reading text: notes, not slide text."""
MAX_BESIDE_COLUMNS = 3
"""A table with more columns never goes beside text: it needs the slide's width."""
READING_LIST = 60
"""Words above which a list in an activity's text is reading material: notes, not slide text."""
LONG_ITEM = 30
"""Words above which a list item shows its opening sentence and explains the rest in notes."""
HEADLINE_WORDS = 15
"""An opening sentence up to this long can stand for its item on the slide."""
_FIRST_SENTENCE = re.compile(r"[.!?:](?=[\"'”’)\]]*\s)")
ROLE_PREFIXES = ("peran", "role")


@dataclass
class SlideSpec:
    """One logical slide; a content spec may become several pages ("… (lanjutan)")."""

    kind: str
    """cover | divider | content | closing"""
    title: str
    boxes: list[Box] = field(default_factory=list)
    kicker: str = ""
    subtitle: list[Para] = field(default_factory=list)
    lead_notes: list[str] = field(default_factory=list)
    """Notes for the first page."""
    tail_notes: list[str] = field(default_factory=list)
    """Notes for the last page (text that came after the last box)."""
    continued: bool = False
    """The spec continues an earlier one (its first page is titled "… (lanjutan)")."""
    activity: Activity | None = None
    section: int = 0
    """Number of the `##` section the slide belongs to (0: none)."""


PixelSize = Callable[[Image], tuple[int, int] | None]
"""Returns an image's pixel size, or None when it cannot be shown (the alt text is shown)."""


class FlowBuilder(BlockVisitor[None]):
    """Turns blocks into boxes; paragraphs are shown or sent to the notes, by context.

    Where a note goes: prose that comments on what came before it goes with that content (the
    slide the facilitator is on while saying it); a lead-in ("Tabel berikut …:") and prose before
    any content go with the next box; a `catatan` goes with the content it follows (on the slide
    where that content ends), or before any content with the next box. Reading text (an
    activity's case story, a long instruction, a worksheet table) is for paper: on the slide it
    would be a wall of text, so it goes to the notes too.
    """

    def __init__(self, planner: DeckPlanner, prose_visible: bool, reading: bool = False) -> None:
        self.planner = planner
        self.prose_visible = prose_visible
        self.reading = reading
        """Paragraphs are reading text (an activity's instructions or case)."""
        self.boxes: list[Box] = []
        self.notes: list[str] = []
        """Pending notes for the next box."""
        self.facilitator: list[str] = []
        """Role briefs: for the first slide of an activity."""
        self._open: list[Para] | None = None
        self._open_notes: tuple[str, ...] = ()
        self.level = 0
        """List nesting of the block being visited."""

    # -- output helpers --

    def _flush(self) -> None:
        if self._open:
            self.boxes.append(TextBox("text", tuple(self._open), notes=self._open_notes))
        self._open = None
        self._open_notes = ()

    def _take_notes(self) -> tuple[str, ...]:
        notes, self.notes = tuple(self.notes), []
        return notes

    def add_box(self, box: Box) -> None:
        self._flush()
        self.boxes.append(box)

    def add_para(self, para: Para, join: bool = True) -> None:
        """Append to the open text box (a new one when notes came in between)."""
        if self._open is None or self.notes or not join:
            self._flush()
            self._open = []
            self._open_notes = self._take_notes()
        self._open.append(para)

    def comment(self, text: str) -> None:
        """Prose: with the content before it, or (a lead-in, or nothing before) the next box."""
        if self.notes or text.rstrip().endswith(":") or not (self._open or self.boxes):
            self.notes.append(text)
            return
        self._flush()
        last = self.boxes[-1]
        self.boxes[-1] = replace(last, tail=(*last.tail, text))

    def reading_to_notes(self, lines: list[str]) -> None:
        """Reading material (a case's facts, a worksheet table) goes to the notes as one note,
        with the lead-in line that introduced it ("Hasil penelusuran internal:")."""
        if self._open and self._open[-1].keep_next:
            lines = [plain(self._open.pop().spans), *lines]
        self.comment("\n".join(lines))

    def finish(self) -> tuple[list[Box], list[str], list[str]]:
        """The boxes, the notes left after the last box, and the facilitator notes."""
        self._flush()
        return self.boxes, list(self._take_notes()), self.facilitator

    # -- blocks --

    def blocks(self, blocks: tuple[Block, ...], level: int = 0) -> None:
        for block in blocks:
            self.block(block, level)

    def block(self, block: Block, level: int = 0) -> None:
        """Add one block at list nesting `level` (the level is visitor state while it runs)."""
        saved, self.level = self.level, level
        try:
            self.visit(block)
        finally:
            self.level = saved

    def visit_paragraph(self, block: Paragraph) -> None:
        level = self.level
        if self.reading and len(plain(block.spans).split()) > LONG_PARAGRAPH:
            self.comment(plain(block.spans))
        elif self.prose_visible or level > 0:
            # A lead-in ("Susunan waktu setiap putaran:") stays with what it introduces.
            lead_in = plain(block.spans).rstrip().endswith(":")
            self.add_para(Para(block.spans, level, list_kind="" if not level else "bullet",
                               keep_next=lead_in))
        else:
            self.comment(plain(block.spans))

    def visit_heading(self, block: Heading) -> None:
        self.add_para(Para(block.spans, self.level, role="subheading", keep_next=True,
                           counts=False), join=False)

    def visit_list_block(self, block: ListBlock) -> None:
        self.list_block(block, self.level)

    def visit_table(self, block: Table) -> None:
        if self.reading:
            self.reading_to_notes(NotesLines().lines((block,)))
        elif block.header:
            self.add_beside(TableBox(block.header, block.rows, block.aligns, self._take_notes()))

    def visit_image(self, block: Image) -> None:
        self.image(block)

    def visit_quote(self, block: Quote) -> None:
        self.container("quote", None, block.blocks)

    def visit_code_block(self, block: CodeBlock) -> None:
        lines = tuple(Para((Span(line),) if line else (), role="code", counts=False)
                      for line in block.text.split("\n"))
        self.add_box(TextBox("code", lines, notes=self._take_notes()))

    def visit_raw_html(self, block: RawHtml) -> None:
        """Raw HTML has no place on a slide."""

    def visit_callout(self, block: Callout) -> None:
        label = block.title or self.planner.labels.callout.get(block.kind, block.kind)
        heading = Para((Span(label),), role="heading", counts=False)
        self.container("callout", heading, block.blocks, tone=block.kind)

    def visit_notes(self, block: Notes) -> None:
        """With the content before it, else with the next box (never a lead-in heuristic)."""
        text = self.planner.notes_text(block)
        if self.notes or not (self._open or self.boxes):
            self.notes.append(text)
            return
        self._flush()
        last = self.boxes[-1]
        self.boxes[-1] = replace(last, tail=(*last.tail, text))

    def visit_summary(self, block: Summary) -> None:
        self.planner.summaries.append(block)

    def visit_audience_only(self, block: AudienceOnly) -> None:
        if block.target != "slides":
            return
        inner = FlowBuilder(self.planner, prose_visible=True)
        inner.notes = self.notes
        self.notes = []
        self._flush()
        inner.blocks(block.blocks, self.level)
        boxes, notes, facilitator = inner.finish()
        self.boxes.extend(boxes)
        self.notes = notes
        self.facilitator.extend(facilitator)

    def visit_activity(self, block: Activity) -> None:
        """Activities are cut out by the caller (`DeckPlanner.part`)."""

    def visit_diagram(self, block: Diagram) -> None:
        self.add_box(DiagramBox(block, self._take_notes()))

    def list_block(self, block: ListBlock, level: int) -> None:
        """Items as bulleted or numbered paragraphs; nested lists one level deeper.

        Where paragraphs are shown (activities, summaries), a list joins the text box of the
        paragraphs around it, so a lead-in line and its list can be kept together.
        """
        if self.reading and level == 0 and list_words(block) > READING_LIST:
            self.reading_to_notes(NotesLines().lines((block,)))
            return
        joins = self.prose_visible and self._open is not None and not self.notes
        if level == 0 and not joins:
            self._flush()
        for index, item in enumerate(block.items):
            if block.ordered:
                marker, kind = f"{block.start + index}.", "number"
            else:
                marker, kind = BULLETS[min(level, len(BULLETS) - 1)], "bullet"
            shown, explained = headline(item.spans)
            explanations = [explained] if explained else []
            paras: list[Block] = []
            for sub in item.blocks:
                if isinstance(sub, Paragraph) and len(plain(sub.spans).split()) > LONG_ITEM:
                    explanations.append(plain(sub.spans))
                else:
                    paras.append(sub)
            self.add_para(Para(shown, level, marker=marker, list_kind=kind,
                               notes=tuple(explanations)))
            for sub in paras:
                if isinstance(sub, Paragraph):
                    self.add_para(Para(sub.spans, level, list_kind=kind))
                else:
                    self.block(sub, level + 1)
        if level == 0 and not self.prose_visible:
            self._flush()

    def container(self, kind: str, heading: Para | None, blocks: tuple[Block, ...],
                  tone: str = "") -> None:
        """A quote or callout: its text becomes one box; tables or images inside follow it."""
        self._flush()
        inner = FlowBuilder(self.planner, prose_visible=True)
        inner.blocks(blocks)
        boxes, notes, facilitator = inner.finish()
        self.facilitator.extend(facilitator)
        paras: list[Para] = []
        others: list[Box] = []
        lead: list[str] = []
        tail: list[str] = []
        for box in boxes:
            if isinstance(box, TextBox) and box.kind == "text":
                paras.extend(box.paras)
                lead.extend(box.notes)
                tail.extend(box.tail)
            else:
                others.append(box)
        self.notes.extend(lead)
        if kind == "quote":
            paras = [p if p.role != "body" else Para(p.spans, p.level, p.marker, p.list_kind,
                                                     "quote", p.keep_next, p.counts)
                     for p in paras]
        if paras or heading:
            box = TextBox(kind, tuple(paras), heading, tone, self._take_notes(), tuple(tail))
            if kind == "callout":
                self.add_beside(box)
            else:
                self.add_box(box)
        else:
            self.notes.extend(tail)
        self.boxes.extend(others)
        self.notes.extend(notes)

    def image(self, block: Image) -> None:
        pixels = self.planner.pixel_size(block)
        if pixels is None:
            label = self.planner.labels.get("image", "Gambar")
            text = f"[{label}: {block.alt or block.title or block.src}]"
            self.add_box(TextBox("caption", (Para((Span(text),), role="caption"),),
                                 notes=self._take_notes()))
        else:
            self.add_beside(PictureBox(block, pixels, self._take_notes()))

    def add_beside(self, box: PictureBox | TableBox | TextBox) -> None:
        """A picture, a callout or a table of up to three columns right after text: the two may
        share a slide in two columns (the layout decides whether they fit side by side)."""
        self._flush()
        last = self.boxes[-1] if self.boxes else None
        if isinstance(last, TextBox) and last.kind == "text" and not box.notes and (
                not isinstance(box, TableBox) or len(box.header) <= MAX_BESIDE_COLUMNS):
            self.boxes[-1] = ColumnsBox(last, box)
        else:
            self.boxes.append(box)


class DeckPlanner:
    """Builds the list of slide specs of one module."""

    def __init__(self, course: Course, module: Module, labels: Labels,
                 pixel_size: PixelSize) -> None:
        self.course = course
        self.module = module
        self.labels = labels
        self.pixel_size = pixel_size
        self.summaries: list[Summary] = []

    def plan(self) -> list[SlideSpec]:
        cover = self.cover()
        specs = [cover, *self.objectives(), self.agenda()]
        for spec in self.intro():
            if spec.boxes or spec.activity:
                specs.append(spec)
            else:
                cover.lead_notes.extend([*spec.lead_notes, *spec.tail_notes])
        for section in self.module.sections:
            specs.extend(self.section(section))
        specs.extend(self.summary())
        specs.append(self.closing())
        return specs

    # -- fixed slides --

    def cover(self) -> SlideSpec:
        module, labels = self.module, self.labels
        minutes = module.duration_jp * self.course.config.schedule.jp_minutes
        facts = f"{labels.module} {module.code} · {module.duration_jp} {labels.jp} " \
                f"({minutes} {labels.minutes})"
        subtitle = [Para((Span(facts),), role="meta", counts=False),
                    Para((Span(self.course.config.title),), counts=False)]
        if self.course.config.organizer:
            subtitle.append(Para((Span(self.course.config.organizer),), counts=False))
        notes = [module.description] if module.description else []
        return SlideSpec("cover", module.title, subtitle=subtitle, lead_notes=notes)

    def objectives(self) -> list[SlideSpec]:
        labels = self.labels
        paras = [Para((Span(labels.objectives_lead),), role="lead", counts=False)]
        paras += [Para((Span(text),), marker=f"{i}.", list_kind="number")
                  for i, text in enumerate(self.module.objectives, start=1)]
        notes = []
        if self.module.methods:
            notes.append(f"{labels.methods}: {', '.join(self.module.methods)}")
        if self.module.media:
            notes.append(f"{labels.media}: {', '.join(self.module.media)}")
        return [SlideSpec("content", labels.objectives, [TextBox("text", tuple(paras))],
                          lead_notes=notes)]

    def agenda(self) -> SlideSpec:
        paras = []
        for section in self.module.sections:
            paras.append(Para((Span(section.title),), marker=f"{section.number}.",
                              list_kind="number"))
        if not paras:
            paras.append(Para((Span(self.module.title),)))
        return SlideSpec("content", self.labels.agenda, [TextBox("text", tuple(paras))])

    def summary(self) -> list[SlideSpec]:
        if not self.summaries:
            return []
        flow = FlowBuilder(self, prose_visible=True)
        for summary in self.summaries:
            flow.blocks(summary.blocks)
        boxes, notes, facilitator = flow.finish()
        title = next((s.title for s in self.summaries if s.title), "") or self.labels.summary
        if not boxes:
            return []
        return [SlideSpec("content", title, boxes, lead_notes=facilitator, tail_notes=notes)]

    def closing(self) -> SlideSpec:
        config = self.course.config
        subtitle = [Para((Span(self.labels.questions_prompt),), role="meta", counts=False),
                    Para((Span(f"{config.display_short_title} · {self.module.code}"),),
                         counts=False)]
        return SlideSpec("closing", self.labels.thanks, subtitle=subtitle)

    # -- sections --

    def intro(self) -> list[SlideSpec]:
        """Blocks before the first `##`: slides only when they have slide content."""
        return self.part(self.module.title, self.module.intro, divider=False)

    def section(self, section: Section) -> list[SlideSpec]:
        """A `##` section: its `###` sub-headings each start a new run of slides."""
        parts: list[tuple[str, list[Block]]] = [(section.title, [])]
        for block in section.blocks:
            if isinstance(block, Heading) and block.level <= 3:
                parts.append((plain(block.spans), []))
            else:
                parts[-1][1].append(block)
        specs: list[SlideSpec] = []
        for index, (title, blocks) in enumerate(parts):
            kicker = self.part_kicker(section) if index == 0 else section.title
            previous = specs[-1] if specs else None
            specs.extend(self.part(title, tuple(blocks), divider=index == 0 or None,
                                   kicker=kicker, previous=previous))
        _intro_to_first_slide(specs)
        for spec in specs:
            spec.section = section.number
        return specs

    def part_kicker(self, section: Section) -> str:
        return f"{self.labels.get('part', 'Bagian')} {section.number}"

    def part(self, title: str, blocks: tuple[Block, ...], divider: bool | None,
             kicker: str = "", previous: SlideSpec | None = None) -> list[SlideSpec]:
        """Slides of one titled run of blocks, with activities cut in where they stand.

        `divider`: True always opens with a title-only slide when the first segment has nothing
        to show (a section must have a slide); None does so only when there are notes to carry
        and no `previous` slide of the section to carry them (a `###` part with prose only adds
        its title and prose to the notes of the slide before it, not an empty heading slide).
        """
        specs: list[SlideSpec] = []
        flow = FlowBuilder(self, prose_visible=False)
        shown = False

        def close() -> None:
            nonlocal flow, shown
            boxes, tail, facilitator = flow.finish()
            notes = [*tail, *facilitator]
            if boxes:
                specs.append(SlideSpec("content", title, boxes, lead_notes=facilitator,
                                       tail_notes=tail, continued=shown))
                shown = True
            elif notes and divider is None and not specs and previous is not None:
                previous.tail_notes.extend([title, *notes])
            elif not shown and (divider or (divider is None and notes)):
                specs.append(SlideSpec("divider", title, kicker=kicker, lead_notes=notes))
                shown = True
            elif notes and specs:
                specs[-1].lead_notes.extend(notes)
            elif notes:
                specs.append(SlideSpec("divider", title, kicker=kicker, lead_notes=notes))
                shown = True
            flow = FlowBuilder(self, prose_visible=False)

        for block in _flatten_slides_only(blocks):
            if isinstance(block, Activity):
                close()
                specs.append(self.activity(block))
            else:
                flow.block(block)
        close()
        return specs

    # -- activities --

    def activity_title(self, activity: Activity) -> str:
        kind = self.labels.activity.get(activity.kind, activity.kind)
        label = f"{kind} {self.module.code}.{activity.number}"
        return f"{label}: {activity.title}" if activity.title else label

    def activity(self, activity: Activity) -> SlideSpec:
        """Title, time, instructions (or case), role names, questions; never the key."""
        labels = self.labels
        flow = FlowBuilder(self, prose_visible=True, reading=True)
        if activity.minutes:
            meta = f"{labels.time}: {activity.minutes} {labels.minutes}"
            flow.add_para(Para((Span(meta),), role="meta", counts=False))
        flow.blocks(activity.blocks)
        if activity.roles:
            flow.add_para(Para((Span(labels.get("roles", labels.role)),), role="subheading",
                               keep_next=True, counts=False), join=False)
            for role in activity.roles:
                flow.add_para(Para((Span(role_name(role.name)),), marker=BULLETS[0],
                                   list_kind="bullet"))
            for role in activity.roles:
                flow.facilitator.extend(self.notes_lines(role.blocks, prefix=f"{role.name}: "))
        if activity.questions:
            flow.add_para(Para((Span(labels.questions),), role="subheading", keep_next=True,
                               counts=False), join=False)
            for question in activity.questions:
                flow.add_para(Para(question.spans, 0, marker=f"{question.number}.",
                                   list_kind="number"))
                for sub in question.blocks:
                    if isinstance(sub, Paragraph):
                        flow.add_para(Para(sub.spans, 0, list_kind="number"))
                    else:
                        flow.block(sub, 1)
        boxes, notes, facilitator = flow.finish()
        if not boxes:
            name = activity.title or labels.activity[activity.kind]
            boxes = [TextBox("text", (Para((Span(name),), role="lead", counts=False),))]
        return SlideSpec("content", self.activity_title(activity), boxes, lead_notes=facilitator,
                         tail_notes=notes, activity=activity)

    # -- notes --

    def notes_text(self, block: Notes) -> str:
        """A `catatan` as one note (lines joined by newlines), under the facilitator-notes label:
        it moves as a whole when notes are spread over slides."""
        return "\n".join([f"{self.labels.facilitator_notes}:", *self.notes_lines(block.blocks)])

    def notes_lines(self, blocks: tuple[Block, ...], prefix: str = "",
                    indent: str = "") -> list[str]:
        """Plain-text lines of blocks for the speaker notes (never an activity or its key)."""
        return NotesLines(prefix, indent).lines(blocks)


class NotesLines(BlockVisitor[list[str]]):
    """Blocks as plain-text speaker-note lines; `prefix` goes before the first line only."""

    def __init__(self, prefix: str = "", indent: str = "") -> None:
        self.prefix = prefix
        self.indent = indent

    def lines(self, blocks: tuple[Block, ...]) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            lines.extend(self.visit(block))
            self.prefix = ""
        return lines

    def _line(self, text: str) -> list[str]:
        return [self.indent + self.prefix + text]

    def _inner(self, blocks: tuple[Block, ...]) -> list[str]:
        return NotesLines(self.prefix, self.indent).lines(blocks)

    def visit_paragraph(self, block: Paragraph) -> list[str]:
        return self._line(plain(block.spans))

    def visit_heading(self, block: Heading) -> list[str]:
        return self._line(plain(block.spans))

    def visit_list_block(self, block: ListBlock) -> list[str]:
        lines: list[str] = []
        for index, item in enumerate(block.items):
            mark = f"{block.start + index}." if block.ordered else "•"
            lines.append(f"{self.indent}{self.prefix}{mark} {plain(item.spans)}")
            lines.extend(NotesLines(indent=self.indent + "    ").lines(item.blocks))
        return lines

    def visit_table(self, block: Table) -> list[str]:
        return [self.indent + self.prefix + " | ".join(plain(cell) for cell in row)
                for row in (block.header, *block.rows)]

    def visit_image(self, block: Image) -> list[str]:
        return [f"{self.indent}[{block.alt or block.src}]"]

    def visit_quote(self, block: Quote) -> list[str]:
        return self._inner(block.blocks)

    def visit_code_block(self, block: CodeBlock) -> list[str]:
        return [self.indent + line for line in block.text.split("\n")]

    def visit_raw_html(self, block: RawHtml) -> list[str]:
        return []

    def visit_callout(self, block: Callout) -> list[str]:
        return self._inner(block.blocks)

    def visit_notes(self, block: Notes) -> list[str]:
        return self._inner(block.blocks)

    def visit_summary(self, block: Summary) -> list[str]:
        return self._inner(block.blocks)

    def visit_audience_only(self, block: AudienceOnly) -> list[str]:
        return self._inner(block.blocks) if block.target == "slides" else []

    def visit_activity(self, block: Activity) -> list[str]:
        """Never an activity (its key must not reach the notes)."""
        return []

    def visit_diagram(self, block: Diagram) -> list[str]:
        return [f"{self.indent}{self.prefix}{line}" for line in diagram_lines(block.items)]


def _intro_to_first_slide(specs: list[SlideSpec]) -> None:
    """A section that opens with prose only, then a `###` part: the prose introduces that part,
    so it goes with the part's first box; the section's divider keeps the title alone."""
    if len(specs) < 2 or specs[0].kind != "divider" or specs[1].kind != "content":
        return
    first = specs[1].boxes[0] if specs[1].boxes else None
    if first is None or specs[1].activity is not None or not specs[0].lead_notes:
        return
    specs[1].boxes[0] = replace(first, notes=(*specs[0].lead_notes, *first.notes))
    specs[0].lead_notes = []


def _flatten_slides_only(blocks: tuple[Block, ...]) -> list[Block]:
    """Lift the content of `hanya-slide` so the activities inside it are cut out too."""
    flat: list[Block] = []
    for block in blocks:
        if isinstance(block, AudienceOnly) and block.target == "slides" and any(
            isinstance(b, Activity) for b in block.blocks
        ):
            flat.extend(_flatten_slides_only(block.blocks))
        else:
            flat.append(block)
    return flat


def list_words(block: ListBlock) -> int:
    """Words of a list's items, nested items included."""
    return sum(len(line.split()) for line in NotesLines().lines((block,)))


def headline(spans: Inline) -> tuple[Inline, str]:
    """A long list item -> its opening sentence for the slide and its full text for the notes.

    "Gratifikasi dan pungli. Pungli terjadi ketika …" (60 words) shows "Gratifikasi dan pungli."
    and the presenter explains the rest; an item without a short opening sentence stays whole.
    """
    text = plain(spans)
    if len(text.split()) <= LONG_ITEM:
        return spans, ""
    match = _FIRST_SENTENCE.search(text)
    if match is None or len(text[:match.end()].split()) > HEADLINE_WORDS:
        return spans, ""
    return strip_spans(slice_spans(spans, 0, match.end())), text


def diagram_lines(items: tuple[DiagramItem, ...], indent: str = "") -> list[str]:
    """A diagram's items as text lines ("• Label: description"), children indented."""
    lines: list[str] = []
    for item in items:
        text = f"{item.label}: {item.description}" if item.description else item.label
        lines.append(f"{indent}• {text}")
        lines.extend(diagram_lines(item.children, indent + "    "))
    return lines


def role_name(name: str) -> str:
    """`Peran Warga: Pak Darto` -> `Warga: Pak Darto` (the slide already says "Peran")."""
    words = name.split(maxsplit=1)
    if len(words) == 2 and words[0].lower().rstrip(":") in ROLE_PREFIXES:
        return words[1].lstrip(": ")
    return name
