"""The course model: plain, frozen dataclasses that every renderer reads (DESIGN §6).

Markdown is parsed exactly once, by `build_model`; renderers never see Markdown. Every node
carries the `Loc` of its source so a renderer can report a problem at `path:line`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bimtek_kit.errors import Loc

if TYPE_CHECKING:
    from bimtek_kit.config import CourseConfig
    from bimtek_kit.roster import Roster


# --- inline text -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of inline text with its formatting; `text` may contain "\\n" for a hard break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    href: str | None = None


Inline = tuple[Span, ...]


def plain(spans: Inline) -> str:
    """Return the text of `spans` without formatting."""
    return "".join(span.text for span in spans)


# --- blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    spans: Inline
    loc: Loc


@dataclass(frozen=True)
class Heading:
    """A `###` (or deeper) heading inside a section."""

    level: int
    spans: Inline
    loc: Loc


@dataclass(frozen=True)
class ListItem:
    spans: Inline
    """The item's first paragraph."""
    blocks: tuple[Block, ...]
    """Anything after the first paragraph: nested lists, further paragraphs."""
    loc: Loc


@dataclass(frozen=True)
class ListBlock:
    items: tuple[ListItem, ...]
    ordered: bool
    start: int
    loc: Loc


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    aligns: tuple[str | None, ...]
    loc: Loc


@dataclass(frozen=True)
class Image:
    src: str
    """The path as written in the Markdown."""
    path: Path | None
    """The resolved file inside the project; None when it was refused or is missing."""
    alt: str
    title: str
    loc: Loc


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True)
class CodeBlock:
    text: str
    language: str
    loc: Loc


@dataclass(frozen=True)
class RawHtml:
    """Raw HTML kept only when the course sets `allow_html: true` (DESIGN §7)."""

    html: str
    loc: Loc


@dataclass(frozen=True)
class Callout:
    """`penting`, `tips`, `info`; an unknown directive becomes kind `box`."""

    kind: str
    title: str
    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True)
class Notes:
    """`catatan`: facilitator-only text (speaker notes and facilitator guide)."""

    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True)
class Summary:
    """`rangkuman`."""

    title: str
    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True)
class AudienceOnly:
    """`hanya-slide` / `hanya-buku`: content for one output kind only."""

    target: Literal["slides", "handbook"]
    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True)
class Role:
    """One `#### Peran …` card of a role-play."""

    name: str
    blocks: tuple[Block, ...]
    loc: Loc


@dataclass(frozen=True)
class ActivityQuestion:
    """A top-level numbered item of an activity: a worksheet question with write-in lines."""

    number: int
    spans: Inline
    blocks: tuple[Block, ...]
    loc: Loc


DIAGRAM_KINDS = ("alur", "siklus", "tangga", "piramida", "matriks", "hierarki")
"""`::: bagan <kind>` (DESIGN §3): process, cycle, ladder, pyramid, 2x2 grid, tree."""


@dataclass(frozen=True)
class DiagramItem:
    """One node of a diagram: a short label, an optional one-line description, sub-items
    (the entries of a matriks quadrant, the children of a hierarki node)."""

    label: str
    description: str
    children: tuple[DiagramItem, ...]
    loc: Loc


@dataclass(frozen=True)
class Diagram:
    """`bagan`: a diagram drawn from a Markdown list (native shapes on slides, SVG on paper)."""

    kind: str
    title: str
    items: tuple[DiagramItem, ...]
    loc: Loc
    x_label: str = ""
    """matriks: the horizontal axis (`{x="Kepentingan"}`)."""
    y_label: str = ""
    """matriks: the vertical axis (`{y="Pengaruh"}`)."""


ActivityKind = Literal["latihan", "studi-kasus", "simulasi", "diskusi"]


@dataclass(frozen=True)
class Activity:
    kind: ActivityKind
    title: str
    minutes: int | None
    lines: int
    """Write-in lines per question on the worksheet."""
    blocks: tuple[Block, ...]
    """Instructions (latihan, diskusi, simulasi) or the case text (studi-kasus)."""
    questions: tuple[ActivityQuestion, ...]
    roles: tuple[Role, ...]
    key: tuple[Block, ...]
    """`kunci`: answer key or discussion pointers; facilitator guide only."""
    loc: Loc
    number: int = 0
    """1-based number within its module, set when the module is assembled."""


Block = (
    Paragraph
    | Heading
    | ListBlock
    | Table
    | Image
    | Quote
    | CodeBlock
    | RawHtml
    | Callout
    | Notes
    | Summary
    | AudienceOnly
    | Activity
    | Diagram
)


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Yield every block, depth first, including those nested in containers and lists."""
    from bimtek_kit.visitor import children  # the visitor module is built on this one

    for block in blocks:
        yield block
        yield from walk(children(block))


# --- course structure ------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A `##` section: a handbook sub-chapter and one or more slides."""

    number: int
    title: str
    blocks: tuple[Block, ...]
    minutes: int | None
    """Minutes fixed with `## Title {waktu=N}`; None means "share out by length"."""
    loc: Loc
    anchor: str


@dataclass(frozen=True)
class Module:
    id: str
    number: int
    """1-based position in the course."""
    file_stem: str
    """Safe output file stem, e.g. `01-komunikasi-publik`."""
    title: str
    code: str
    duration_jp: int
    objectives: tuple[str, ...]
    methods: tuple[str, ...]
    media: tuple[str, ...]
    description: str
    narasumber: str
    intro: tuple[Block, ...]
    """Blocks before the first `##` heading."""
    sections: tuple[Section, ...]
    loc: Loc
    path: Path

    @property
    def all_blocks(self) -> Iterator[Block]:
        yield from walk(self.intro)
        for section in self.sections:
            yield from walk(section.blocks)

    @property
    def activities(self) -> list[Activity]:
        return [b for b in self.all_blocks if isinstance(b, Activity)]

    @property
    def summaries(self) -> list[Summary]:
        return [b for b in self.all_blocks if isinstance(b, Summary)]

    @property
    def notes(self) -> list[Notes]:
        return [b for b in self.all_blocks if isinstance(b, Notes)]


QuestionKind = Literal["pilihan-ganda", "benar-salah", "isian"]


@dataclass(frozen=True)
class Question:
    number: int
    kind: QuestionKind
    text: str
    options: tuple[str, ...]
    answer: str
    """The option letter (`B`), `benar`/`salah`, or a model answer for `isian`."""
    explanation: str
    module: str | None
    loc: Loc

    @property
    def answer_index(self) -> int | None:
        """Index of the correct option of a multiple-choice question."""
        if self.kind != "pilihan-ganda":
            return None
        return ord(self.answer) - ord("A")


@dataclass(frozen=True)
class QuestionBank:
    name: str
    """File stem: `pre-test`, `post-test`, …"""
    title: str
    instructions: str
    questions: tuple[Question, ...]
    loc: Loc

    @property
    def is_formative(self) -> bool:
        """`formatif*.yml` banks are end-of-chapter questions in the handbook, not test sheets."""
        return self.name.startswith("formatif")

    def for_module(self, module_id: str) -> list[Question]:
        return [q for q in self.questions if q.module == module_id]


@dataclass(frozen=True)
class FormSection:
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class EvaluationForm:
    name: str
    title: str
    instructions: str
    scale: tuple[str, ...]
    per_module: bool
    sections: tuple[FormSection, ...]
    comments: tuple[str, ...]
    loc: Loc


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    loc: Loc


@dataclass(frozen=True)
class Reference:
    id: str
    author: str
    year: str
    title: str
    publisher: str
    url: str
    loc: Loc


@dataclass(frozen=True)
class Course:
    root: Path
    config: CourseConfig
    modules: tuple[Module, ...]
    banks: tuple[QuestionBank, ...] = ()
    forms: tuple[EvaluationForm, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    references: tuple[Reference, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    """Relative source path -> sha256 of its bytes (for the manifest and incremental builds)."""
    logo: Path | None = None
    """`logo:` of bimtek.yml, resolved and checked once by the loader."""
    roster: Roster | None = None
    """`content/peserta.*` (§9). Not among `sources`: only the organisers' kit reads it, so a
    new participant must not rebuild the handbook."""

    @property
    def slug(self) -> str:
        return self.config.course_slug

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    @property
    def total_jp(self) -> int:
        return sum(m.duration_jp for m in self.modules)
