"""Lembar kerja: one printable worksheet per module and one combined file (DESIGN §4).

Participants write on these, so they carry only what a participant may see: instructions, case
texts, questions with ruled write-in lines, the names of a simulasi's roles (the briefs are the
organisers' kartu peran, `rolecards`). Answer keys and facilitator notes never reach them:
activity keys are not rendered at all, and the instruction blocks go through htmlblocks with
the participant ("handbook") audience, which drops every `catatan`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from bimtek_kit.model import Activity, Block, Course, Module, Table, plain
from bimtek_kit.render.base import Artifact, Job, RenderContext, audience_path
from bimtek_kit.render.html.blocks import HtmlBlocks, inline_html
from bimtek_kit.render.paper.rolecards import (
    PART,
    join_role_cards,
    render_role_cards,
    role_cards_jobs,
)
from bimtek_kit.render.pdf.printing import (
    artifact,
    blocks,
    footer,
    layout,
    module_bookmarks,
    module_sources,
    page_setup,
    render_html,
)
from bimtek_kit.render.pdf.stack import PagedRenderer, join, write
from bimtek_kit.slugs import slugify

if TYPE_CHECKING:
    from weasyprint import Document

KIND = "worksheets"


@dataclass(frozen=True)
class SheetQuestion:
    number: int
    text: Markup


@dataclass(frozen=True)
class SheetActivity:
    anchor: str
    """`ws-m1-2`: where the activity starts (`…-end`: where it ends), to find page breaks."""
    kind: str
    label: str
    title: str
    minutes: int | None
    body: Markup
    questions: tuple[SheetQuestion, ...]
    lines: int
    open_lines: int
    """Lines under an activity without numbered questions (a prompt to answer at length)."""
    roles: str
    """The role names of a simulasi; the briefs are secret, printed as kartu peran for the
    organisers (rolecards.py), never on a participant's sheet."""
    observation_lines: int
    """Lines for notes taken during a simulasi without questions (`baris`, as for questions)."""
    grid: WriteInGrid | None = None
    """A fill-in table of the activity (an RTL form), printed after its questions."""


@dataclass(frozen=True)
class Sheet:
    code: str
    title: str
    footer: str
    activities: tuple[SheetActivity, ...]


class WorksheetRenderer(PagedRenderer):
    name = KIND
    config_keys = {"title": True, "short_title": True, "organizer": True, "language": True,
                   "theme": True, "paper": True, "allow_html": True}

    def visitors(self) -> tuple[type, ...]:
        return (HtmlBlocks,)

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """One job per module that has activities, plus the combined file rendered once."""
        files = ctx.theme.labels.files

        def sheets(relative: str) -> str:
            return audience_path(ctx, "participants", relative)

        modules = [m for m in ctx.course.modules if m.activities]
        jobs = [
            Job(KIND, m.id, (sheets(f"{files.worksheets_dir}/{m.file_stem}.pdf"),), modules=(m.id,))
            for m in modules
        ]
        if modules:
            # The combined file is the per-module files joined, not laid out a second time.
            parts = tuple(job.outputs[0] for job in jobs)
            jobs.append(Job(KIND, "", (sheets(f"{files.worksheets_all}.pdf"),),
                            modules=tuple(m.id for m in modules), parts=parts))
        return [*jobs, *role_cards_jobs(ctx, KIND)]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        """Join the module worksheets, with a bookmark at the start of each module."""
        if dict(job.options).get("part") == PART:
            return join_role_cards(ctx, job, parts)
        modules = [m for m in _modules(ctx.course, job.modules) if m.activities]
        files = [parts[path] for path in job.parts]
        data = join(ctx, files, _title(ctx, modules), bookmarks=module_bookmarks(modules, files),
                    import_outlines=False)
        return [artifact(job.outputs[0], data, KIND, module_sources(modules))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        if dict(job.options).get("part") == PART:
            return render_role_cards(ctx, job)
        modules = [m for m in _modules(ctx.course, job.modules) if m.activities]
        document = laid_out_sheets(ctx, modules)
        data = write(ctx, document, _title(ctx, modules))
        return [artifact(job.outputs[0], data, KIND, module_sources(modules))]


def laid_out_sheets(ctx: RenderContext, modules: list[Module]) -> Document:
    """Lay the sheets out; then once more with every activity that ran over a page break
    starting a fresh page with its own name block, so each can be handed out on its own."""
    page = page_setup(ctx, "participants")
    document = layout(ctx, worksheet_html(ctx, modules), page)
    split = split_activities(document)
    if split:
        document = layout(ctx, worksheet_html(ctx, modules, fresh=split), page)
    return document


def split_activities(document: Document) -> set[str]:
    """Anchors of the activities (not a module's first) that start and end on different pages."""
    first_page: dict[str, int] = {}
    last_page: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            if name.startswith("ws-") and not name.endswith("-end"):
                first_page.setdefault(name, number)
            elif name.startswith("ws-"):
                last_page[name.removesuffix("-end")] = number
    return {name for name, start in first_page.items()
            if last_page.get(name, start) != start and not name.endswith("-1")}


def worksheet_html(ctx: RenderContext, modules: list[Module],
                   fresh: frozenset[str] | set[str] = frozenset()) -> str:
    """The worksheet document for `modules` (one, or all of them for the combined file);
    activities whose anchor is in `fresh` start a new page with a name block."""
    return render_html(ctx, "worksheets.html", title=_title(ctx, modules),
                       body_class="doc-worksheet", sheets=[module_sheet(ctx, m) for m in modules],
                       fresh=fresh, landscape_size=landscape_size(ctx))


def landscape_size(ctx: RenderContext) -> str:
    """The course's paper turned sideways, for a wide fill-in grid."""
    page = page_setup(ctx, "participants")
    return f"{page.height}mm {page.width}mm"


def _modules(course: Course, ids: tuple[str, ...]) -> list[Module]:
    return [m for m in course.modules if m.id in ids]


def _title(ctx: RenderContext, modules: list[Module]) -> str:
    labels = ctx.theme.labels
    if len(modules) == 1:
        return f"{labels.worksheet} {modules[0].code} · {modules[0].title}"
    return f"{labels.worksheet} · {ctx.course.config.title}"


def module_sheet(ctx: RenderContext, module: Module) -> Sheet:
    """Everything the template needs for one module, with module text already escaped."""
    renderer = blocks(ctx, "handbook", module)
    activities = tuple(sheet_activity(renderer, a, f"ws-{slugify(module.code or module.id)}-")
                       for a in module.activities)
    return Sheet(module.code, module.title, footer(ctx, module.code), activities)


def sheet_activity(renderer: HtmlBlocks, activity: Activity, anchor: str = "ws-") -> SheetActivity:
    """An activity as a participant sees it: never its key."""
    questions = tuple(
        SheetQuestion(q.number, Markup(f"<p>{inline_html(q.spans)}</p>{renderer.render(q.blocks)}"))
        for q in activity.questions
    )
    needs_space = not questions and activity.kind != "simulasi"
    observes = not questions and activity.kind == "simulasi"
    grid = next((b for b in activity.blocks if is_write_in_grid(b)), None)
    body_blocks = tuple(b for b in activity.blocks if b is not grid)
    return SheetActivity(
        anchor=f"{anchor}{activity.number}",
        kind=activity.kind,
        label=renderer.activity_label(activity),
        title=activity.title,
        minutes=activity.minutes,
        body=renderer.render(body_blocks),
        questions=questions,
        lines=activity.lines,
        open_lines=activity.lines if needs_space else 0,
        roles=", ".join(role.name for role in activity.roles),
        observation_lines=activity.lines if observes else 0,
        grid=write_in_grid(grid, renderer, activity) if grid else None,
    )


PLACEHOLDERS = {"", "…", "...", "-", "–"}


def is_write_in_grid(block: Block) -> bool:
    """A table whose body is only placeholders ("…"): a form to fill in, not content."""
    return (isinstance(block, Table) and bool(block.rows)
            and all(plain(cell).strip() in PLACEHOLDERS for row in block.rows for cell in row))


def write_in_grid(table: Table, renderer: HtmlBlocks, activity: Activity) -> WriteInGrid:
    """At least `GRID_ROWS` empty rows to write in; a wide grid gets a landscape page, and a
    rencana tindak lanjut (RTL) the signatures of the participant and the atasan langsung."""
    labels = renderer.labels
    words = [word.lower() for word in labels.print.rtl_words]
    is_plan = any(word in activity.title.lower() for word in words)
    return WriteInGrid(
        head=tuple(inline_html(cell) for cell in table.header),
        rows=max(GRID_ROWS, len(table.rows)),
        landscape=len(table.header) >= LANDSCAPE_COLUMNS,
        signatures=tuple(labels.print.rtl_signatures) if is_plan else (),
    )


GRID_ROWS = 5
LANDSCAPE_COLUMNS = 5
"""A grid of this many columns is printed across a landscape page: portrait cells of six
columns are too narrow to write a sentence in."""


@dataclass(frozen=True)
class WriteInGrid:
    head: tuple[Markup, ...]
    rows: int
    landscape: bool
    signatures: tuple[str, ...]
    """Who signs under it ("Peserta", "Atasan Langsung"); empty: no signature block."""
