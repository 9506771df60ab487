"""The participant handbook's content, shared by the PDF and the HTML site (DESIGN §4).

Everything here turns the course model into escaped HTML fragments and small view objects; it
never imports WeasyPrint, so the site can be built without laying out a single page. One
chapter's HTML comes from `Book.chapter_html(module)` and depends on that module alone (plus the
course's formative questions about it), so chapters can later be cached one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from bimtek_kit.builder.foreword import foreword_blocks as parse_foreword
from bimtek_kit.builder.foreword import value_line
from bimtek_kit.errors import ContentError, Diagnostics, Loc
from bimtek_kit.hyphenation import soft_hyphenator
from bimtek_kit.localize import roman
from bimtek_kit.localize import section_letter as letter
from bimtek_kit.model import (
    Activity,
    AudienceOnly,
    Block,
    Callout,
    CodeBlock,
    Course,
    Diagram,
    Heading,
    Image,
    ListBlock,
    Module,
    Notes,
    Paragraph,
    Question,
    Quote,
    RawHtml,
    Reference,
    Summary,
    Table,
    plain,
)
from bimtek_kit.render.base import WEB_LINKS, RenderContext
from bimtek_kit.render.html.blocks import HtmlBlocks
from bimtek_kit.render.html.schedule import ScheduleDay, schedule_days
from bimtek_kit.render.paper.lk import worksheet_labels
from bimtek_kit.schedule import ScheduleOverflow, build_timetable
from bimtek_kit.slugs import slugify
from bimtek_kit.themes import Labels, Theme
from bimtek_kit.visitor import BlockVisitor

CONFIG_FILE = "bimtek.yml"

# Fixed element ids of the book; module-derived ids always start with "bab-" or a module id.
FOREWORD_ID = "hb-kata-pengantar"
CONTENTS_ID = "hb-daftar-isi"
SCHEDULE_ID = "hb-jadwal"
GLOSSARY_ID = "hb-glosarium"
REFERENCES_ID = "hb-pustaka"
ANSWERS_ID = "hb-kunci-evaluasi"
USAGE_ID = "hb-petunjuk"

ImageUrl = Callable[[Image], str | None]


# --- numbering ---------------------------------------------------------------------------------

# --- view objects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionEntry:
    number: str
    """`A.`, `B.` …"""
    title: str
    anchor: str


@dataclass(frozen=True)
class ChapterEntry:
    """What the daftar isi and the site navigation need to know about one chapter."""

    id: str
    """Element id of the chapter heading, e.g. `bab-komunikasi-publik`."""
    label: str
    """`BAB I`"""
    title: str
    page: str
    """File name of the chapter's page in the HTML site."""
    sections: tuple[SectionEntry, ...]
    evaluation_id: str | None = None


@dataclass(frozen=True)
class BackEntry:
    """An unnumbered back-matter chapter: jadwal, glosarium, daftar pustaka."""

    id: str
    title: str
    page: str


@dataclass(frozen=True)
class QuestionGroup:
    """The formative questions of one bank about one module, numbered on from `start`."""

    instructions: str
    start: int
    questions: tuple[Question, ...]


@dataclass
class Book:
    """Course-level facts and helpers for rendering the handbook for one output (PDF or site)."""

    ctx: RenderContext
    image_url: ImageUrl
    align_classes: bool = False
    soft_hyphens: bool = False
    """Hyphenate running text in advance (for the PDF: much cheaper than CSS `hyphens: auto`,
    which WeasyPrint recomputes at every line-break attempt)."""
    """The site's CSP forbids inline styles, so table alignment becomes a class there."""
    _chapters: list[ChapterEntry] | None = field(default=None, repr=False)
    _schedule: list[ScheduleDay] | None = field(default=None, repr=False)

    @property
    def course(self) -> Course:
        return self.ctx.course

    @property
    def theme(self) -> Theme:
        return self.ctx.theme

    @property
    def labels(self) -> Labels:
        return self.ctx.theme.labels

    def blocks_renderer(self, module: Module | None = None) -> HtmlBlocks:
        """The shared block renderer for participants: it drops `catatan` and `kunci`."""
        return HtmlBlocks(
            "handbook", self.labels, self.image_url, allow_html=self.course.config.allow_html,
            activity_prefix=module.code if module else "", align_classes=self.align_classes,
            hyphenate=soft_hyphenator(self.course.config.language) if self.soft_hyphens else None,
            colors=dict(self.theme.settings.get("colors") or {}),
            diagram_font=self.theme.fonts("slides")[0],
            worksheet_labels=worksheet_labels(self.course, module) if module else {},
        )

    # --- structure -------------------------------------------------------------------------

    def chapters(self) -> list[ChapterEntry]:
        if self._chapters is None:
            self._chapters = [chapter_entry(m, self.labels, self.has_questions(m))
                              for m in self.course.modules]
        return self._chapters

    def back_matter(self) -> list[BackEntry]:
        """Jadwal (when the course has a schedule and modules), glosarium, daftar pustaka."""
        labels = self.labels
        entries = []
        if any(self.has_questions(m) for m in self.course.modules):
            title = labels.handbook.answers_title
            entries.append(BackEntry(ANSWERS_ID, title, page_name(title)))
        if self.schedule_days():
            entries.append(BackEntry(SCHEDULE_ID, labels.schedule, page_name(labels.schedule)))
        if self.course.glossary:
            entries.append(BackEntry(GLOSSARY_ID, labels.glossary, page_name(labels.glossary)))
        if self.course.references:
            entries.append(BackEntry(REFERENCES_ID, labels.references,
                                     page_name(labels.references)))
        return entries

    # --- chapters --------------------------------------------------------------------------

    def formative_groups(self, module: Module) -> list[QuestionGroup]:
        """End-of-chapter questions: formative banks only, in bank order, without answers."""
        groups = []
        number = 1
        for bank in self.course.banks:
            if not bank.is_formative:
                continue
            questions = bank.for_module(module.id)
            if questions:
                instructions = bank.instructions or self.labels.handbook.evaluation_lead
                groups.append(QuestionGroup(instructions, number, tuple(questions)))
                number += len(questions)
        return groups

    def formative_answers(self) -> list[tuple[str, list[str]]]:
        """(chapter label, ["1. B", "2. Benar", "3. model answer" …]) for every chapter with
        end-of-chapter questions: formative answers only, never an activity's key."""
        from bimtek_kit.render.paper.assessments import PaperQuestion, answer_text

        found = []
        for module, entry in zip(self.course.modules, self.chapters(), strict=True):
            answers = []
            for group in self.formative_groups(module):
                for number, question in enumerate(group.questions, start=group.start):
                    paper = PaperQuestion(number, question, question.options, question.answer)
                    answers.append(f"{number}. {answer_text(paper, self.labels)}")
            if answers:
                found.append((f"{entry.label} · {module.title}", answers))
        return found

    def has_questions(self, module: Module) -> bool:
        return any(b.is_formative and b.for_module(module.id) for b in self.course.banks)

    def chapter_html(self, module: Module) -> Markup:
        """One module as one BAB: opening, intro, sections, evaluation (one module in, HTML out)."""
        entry = chapter_entry(module, self.labels, self.has_questions(module))
        renderer = self.blocks_renderer(module)
        keep_lines = int(self.theme.settings.get("handbook", {}).get("keep_lines", 18))
        sections = [
            (section_entry, blocks_html(renderer, section.blocks, keep_lines))
            for section_entry, section in zip(entry.sections, module.sections, strict=True)
        ]
        template = self.theme.environment().get_template("handbook/chapter.html.j2")
        return Markup(template.render(
            chapter=entry,
            module=module,
            duration=duration_text(module, self.course.config.schedule.jp_minutes, self.labels),
            intro=blocks_html(renderer, module.intro, keep_lines),
            sections=sections,
            evaluation=self.formative_groups(module),
            paper=not self.align_classes,  # the site's CSP forbids inline styles
            feedback=[line.replace("{pass_mark}", str(self.course.config.pass_mark))
                      for line in self.labels.handbook.feedback],
        ))

    # --- front and back matter ---------------------------------------------------------------

    def foreword_html(self) -> Markup:
        return self.blocks_renderer().render(foreword_blocks(self.course))

    def foreword_signature(self) -> tuple[str, str]:
        """(`Sukamaju, Desember 2026`, organiser) under the foreword; empty parts are skipped."""
        config = self.course.config
        start = config.schedule.start_date
        when = f"{self.labels.months[start.month - 1]} {start.year}" if start else config.edition
        place = ", ".join(part for part in (config.place, when) if part)
        return place, config.organizer

    def schedule_days(self) -> list[ScheduleDay]:
        """The jadwal, when `bimtek.yml` has a schedule and the course has modules."""
        if self._schedule is None:
            self._schedule = self._build_schedule()
        return self._schedule

    def _build_schedule(self) -> list[ScheduleDay]:
        course = self.course
        if not course.modules or "schedule" not in course.config.model_fields_set:
            return []
        try:
            timetable = build_timetable(course)
        except ScheduleOverflow:
            return []  # the loader already reported it at bimtek.yml:line
        return schedule_days(timetable, self.labels, course.config.language)

    def glossary(self) -> list[tuple[str, str]]:
        """Terms in alphabetical order, as a glossary is read by looking a word up."""
        entries = sorted(self.course.glossary, key=lambda e: (e.term.casefold(), e.term))
        return [(e.term, e.definition) for e in entries]

    def references(self) -> list[Markup]:
        """Daftar pustaka sorted by author, year and title (APA-like)."""
        refs = sorted(self.course.references,
                      key=lambda r: (r.author.casefold(), r.year, r.title.casefold()))
        return [reference_html(r, self.labels) for r in refs]

    def logo(self) -> Path | None:
        return logo_path(self.course, self.theme)


# --- helpers -------------------------------------------------------------------------------------


def page_name(title: str) -> str:
    """Site file name of a back-matter page; never collides with `NN-module.html`."""
    return f"{slugify(title) or 'halaman'}.html"


def chapter_entry(module: Module, labels: Labels, has_questions: bool = False) -> ChapterEntry:
    sections = tuple(SectionEntry(f"{letter(s.number)}.", s.title, s.anchor)
                     for s in module.sections)
    return ChapterEntry(
        id=f"bab-{module.id}",
        label=f"{labels.chapter} {roman(module.number)}",
        title=module.title,
        page=f"{module.file_stem}.html",
        sections=sections,
        evaluation_id=f"bab-{module.id}-evaluasi" if has_questions else None,
    )


def duration_text(module: Module, jp_minutes: int, labels: Labels) -> str:
    """`4 JP (180 menit)`."""
    return f"{module.duration_jp} {labels.jp} ({module.duration_jp * jp_minutes} {labels.minutes})"


def blocks_html(renderer: HtmlBlocks, blocks: tuple[Block, ...], keep_lines: int) -> Markup:
    """Render top-level blocks; short boxes are wrapped so they never split.

    A box taller than `keep_lines` may break across pages: keeping it whole would push it to the
    next page and leave a large hole. Tables are not wrapped: their rows never split and their
    head repeats, and WeasyPrint 70 sometimes pushes a wrapped table to the next page although it
    fits, leaving a hole.
    """
    parts = []
    for block in blocks:
        html = renderer.block(block)
        if isinstance(block, _KEPT) and estimated_lines(block) <= keep_lines:
            html = Markup('<div class="keep">') + html + Markup("</div>")
        parts.append(html)
    return Markup("\n").join(parts)


_KEPT = (Activity, Callout, Summary)
DIAGRAM_LINES = 16
"""Printed height of a drawn diagram (`bagan`) in text lines."""


def estimated_lines(block: Block) -> int:
    """A rough printed height in text lines: enough to tell a short box from a long one.

    Only what participants see counts: answer keys and facilitator notes are never printed.
    A box at the top level counts one line more for its label than the same box nested.
    """
    return PrintedLines().visit(block) + (1 if isinstance(block, Callout | Summary) else 0)


class PrintedLines(BlockVisitor[int]):
    """The printed lines of one block; `catatan` and slide-only content print nothing."""

    def lines(self, blocks: tuple[Block, ...]) -> int:
        return sum(self.visit_all(blocks))

    def visit_paragraph(self, block: Paragraph) -> int:
        return 1 + len(plain(block.spans)) // 85

    def visit_list_block(self, block: ListBlock) -> int:
        return sum(1 + len(plain(item.spans)) // 80 + self.lines(item.blocks)
                   for item in block.items)

    def visit_heading(self, block: Heading) -> int:
        return 2

    def visit_code_block(self, block: CodeBlock) -> int:
        return 1 + block.text.count("\n")

    def visit_image(self, block: Image) -> int:
        return 20

    def visit_diagram(self, block: Diagram) -> int:
        return DIAGRAM_LINES

    def visit_table(self, block: Table) -> int:
        widest = max((len(plain(c)) for row in block.rows for c in row), default=0)
        return 2 + (1 + widest // 40) * (len(block.rows) + 1)

    def visit_activity(self, block: Activity) -> int:
        inner: tuple[Block, ...] = block.blocks + tuple(
            b for part in (*block.questions, *block.roles) for b in part.blocks)
        lines = 4 + sum(2 + len(plain(q.spans)) // 80 for q in block.questions)
        return lines + 2 * len(block.roles) + self.lines(inner)

    def visit_quote(self, block: Quote | Callout | Summary) -> int:
        return 2 + self.lines(block.blocks)

    visit_callout = visit_summary = visit_quote

    def visit_audience_only(self, block: AudienceOnly) -> int:
        return self.lines(block.blocks) if block.target == "handbook" else 0

    def visit_notes(self, block: Notes) -> int:
        return 0

    def visit_raw_html(self, block: RawHtml) -> int:
        return 0


def reference_html(ref: Reference, labels: Labels) -> Markup:
    """`Author. (2009). *Title*. Publisher. URL` with the title in italics."""
    parts = []
    if ref.author:
        parts.append(f"{escape(_end(ref.author))} ")
    parts.append(f"({escape(ref.year or labels.handbook.no_date)}). ")
    parts.append(f"<em>{escape(_end(ref.title))}</em>")
    if ref.publisher:
        parts.append(f" {escape(_end(ref.publisher))}")
    if ref.url:
        url = escape(ref.url)
        link = ref.url.startswith(WEB_LINKS)
        parts.append(f' <a href="{url}">{url}</a>' if link else f" {url}")
    return Markup("".join(parts))


def _end(text: str) -> str:
    """End a bibliography element with exactly one full stop."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def foreword_blocks(course: Course) -> tuple[Block, ...]:
    """The kata pengantar: Markdown from `bimtek.yml`, parsed like a module body, never Jinja."""
    diagnostics = Diagnostics()
    loc = Loc(CONFIG_FILE, value_line(course.root / CONFIG_FILE, "foreword"))
    blocks = parse_foreword(course.config, course.root, loc, diagnostics)
    if diagnostics.errors:  # the loader reported these already; kept for a hand-made Course
        raise ContentError("the foreword in bimtek.yml has errors", diagnostics)
    return blocks


def logo_path(course: Course, theme: Theme) -> Path | None:
    """The cover logo: `logo:` of bimtek.yml, else the theme's (both resolved when loaded)."""
    return course.logo or theme.logo
