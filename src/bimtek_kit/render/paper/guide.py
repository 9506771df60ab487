"""Panduan fasilitator: the one printed output that carries notes and answer keys (DESIGN §4).

Per module an RBPMP-style header (domain.md §2.3), the time plan from `timeplan`, and then, per
section, what the facilitator needs in class: the `catatan`, the activities with their keys and
discussion pointers (htmlblocks, audience "guide") and the summary. The section prose itself is
left to the handbook, which the facilitator also has; the guide lists the section's sub-topics
instead, so it stays a short, usable teaching script. It ends with the keys of every test paper
(the same `Paper`s the test sheets print, so numbering and shuffled letters agree) and of the
formative questions.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from markupsafe import Markup

from bimtek_kit.localize import format_time, section_letter, time_of
from bimtek_kit.localize import minutes_of as clock_minutes
from bimtek_kit.model import Block, Course, Heading, Module, Question, plain
from bimtek_kit.render.base import (
    PARTS_DIR,
    Artifact,
    Job,
    RenderContext,
    audience_path,
    fingerprint,
)
from bimtek_kit.render.html.blocks import HtmlBlocks
from bimtek_kit.render.paper.assessments import PaperQuestion, all_papers, answer_text
from bimtek_kit.render.pdf.printing import (
    PageSetup,
    artifact,
    blank_page,
    blocks,
    course_sources,
    footer,
    layout,
    number_samples,
    page_setup,
    render_html,
)
from bimtek_kit.render.pdf.stack import PagedRenderer, join, part_facts, write
from bimtek_kit.schedule import (
    Day,
    Row,
    ScheduleOverflow,
    Timetable,
    build_timetable,
    module_sessions,
    schedule_facts,
)
from bimtek_kit.themes import Labels
from bimtek_kit.timeplan import Activities, TextLength, TimePlan, time_plan
from bimtek_kit.visitor import Lift, take

KIND = "guide"


@dataclass(frozen=True)
class PlanLine:
    label: str
    title: str
    minutes: int | None
    elapsed: str
    activity: bool
    clock: str = ""
    """"Hari 2 · 11.15–11.55": when the row is taught, from the same plan as the jadwal."""
    pause: bool = False
    """A break (or the end of a day) between two sessions of the module."""


Bound = tuple[int, int, Day, Row]
"""A session of a module: (first minute, end minute) of its plan, the day and the jadwal row."""


@dataclass(frozen=True)
class GuideSection:
    letter: str
    title: str
    minutes: int | None
    topics: tuple[str, ...]
    body: Markup


@dataclass(frozen=True)
class GuideModule:
    module: Module
    anchor: str
    footer: str
    time_text: str
    plan: tuple[PlanLine, ...]
    plan_total: int
    mismatch: str
    intro: Markup
    sections: tuple[GuideSection, ...]


@dataclass(frozen=True)
class KeyRow:
    number: int
    question: str
    mark: str
    """What to look for at a glance: the option letter, or Benar/Salah; empty for isian."""
    key: str
    """The option's text, or the model answer of an isian question."""
    explanation: str


@dataclass(frozen=True)
class KeyTable:
    title: str
    rows: tuple[KeyRow, ...]

    @property
    def quick(self) -> list[str]:
        """["1-B", "2-A", "3-Benar" …]: the whole key on one line, for marking a stack of
        papers (isian answers need reading: they stay in the table)."""
        return [f"{row.number}-{row.mark.rstrip('.')}" for row in self.rows if row.mark]


class FacilitatorBlocks(Lift):
    """Keeps `catatan`, activities and summaries whole; looks inside every other container."""

    visit_notes = visit_activity = visit_summary = take


class GuideRenderer(PagedRenderer):
    name = KIND

    def visitors(self) -> tuple[type, ...]:
        return (HtmlBlocks, FacilitatorBlocks, TextLength, Activities)

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """The guide is laid out in parts (front, one per module, keys) and joined.

        A module's part depends on that module only, so editing one module lays out one part
        again (issue #7); each module starts on a right-hand page, numbered within the module.
        """
        course = ctx.course
        modules = [Job(KIND, m.id, _part_files(m.file_stem), (m.id,),
                       (("part", "module"),)) for m in course.modules]
        keys = [Job(KIND, "keys", _part_files("keys"), options=(("part", "keys"),),
                    fingerprint=keys_fingerprint(ctx))
                ] if course.banks else []
        # The front matter is laid out once the other parts are: its contents print the page
        # each module and key chapter starts on (pages run on through the whole guide): it
        # reads the parts' page counts and anchors (the .json files), not the parts' bytes.
        front = Job(KIND, "front", _part_files("front"), options=(("part", "front"),),
                    parts=tuple(job.outputs[1] for job in (*modules, *keys)),
                    fingerprint=fingerprint(schedule_facts(course), _plan_totals(course),
                                            tuple(b.is_formative for b in course.banks)))
        # Pages are numbered on through the whole guide (issue #15: "Halaman 1" restarted nine
        # times): the parts print no number, the join stamps it from laid-out digit samples.
        digits = Job(KIND, "digits", (f"{PARTS}/digits.pdf",), options=(("part", "digits"),),
                     fingerprint="page-number samples")
        # Each later part: its PDF and its facts (where the contents' anchors landed).
        parts = (*front.outputs, *digits.outputs,
                 *(path for job in (*modules, *keys) for path in job.outputs))
        output = audience_path(ctx, "facilitators", f"{ctx.theme.labels.files.guide}.pdf")
        guide = Job(KIND, "", (output,),
                    tuple(m.id for m in course.modules), parts=parts)
        return [front, digits, *modules, *keys, guide]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        part = dict(job.options).get("part")
        if part == "digits":
            # The parts already carry the facilitators' mark: the samples hold the number only.
            page = dataclasses.replace(_page(ctx), mark="")
            return [artifact(job.outputs[0], number_samples(ctx, page, _title(ctx)), "part", ())]
        module = ctx.course.module(job.target) if part == "module" else None
        document = layout(ctx, guide_html(ctx, part, module), _page(ctx))
        return [artifact(job.outputs[0], write(ctx, document, _title(ctx)), "part", ()),
                artifact(job.outputs[1], part_facts(document, _part_of_anchor(ctx.course)),
                         "part", ())]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        """Join the parts; every module opens on a right-hand page, with a bookmark."""
        if dict(job.options).get("part") == "front":
            return front_part(job, ctx, [parts[path] for path in job.parts])
        labels, course = ctx.theme.labels, ctx.course
        front_links, digits, later = job.parts[1], job.parts[2], job.parts[3:]
        pdfs = [job.parts[0], *later[0::2]]
        files = [parts[path] for path in pdfs]
        facts = [json.loads(parts[path]) for path in later[1::2]]
        stems = [path.rsplit("/", 1)[-1].removesuffix(".pdf") for path in pdfs]
        by_stem = {m.file_stem: (f"{m.code} · {m.title}", f"{m.code}-") for m in course.modules}
        by_stem.update(front=(labels.guide, ""), keys=(labels.answer_key, f"{labels.answer_key} "))
        # Numbered on from the cover, which shows no number.
        data = join(ctx, files, _title(ctx), import_outlines=False, recto_starts=True,
                    blank=blank_page(ctx, _page(ctx), _title(ctx)),
                    part_bookmarks=[by_stem[stem][0] for stem in stems],
                    links=_contents_links(course, facts, json.loads(parts[front_links])),
                    digits=parts[digits], digits_from=1, digits_start=2)
        return [artifact(job.outputs[0], data, KIND, course_sources(course))]


def keys_fingerprint(ctx: RenderContext) -> str:
    """What the keys of the test papers and formative questions read: the banks, the papers'
    days and variants, no module text."""
    return fingerprint(ctx.course.banks, schedule_facts(ctx.course), ctx.variants)


PARTS = f"{PARTS_DIR}/guide"


def _part_files(stem: str) -> tuple[str, str]:
    """A part laid out (PDF) and its page count and anchors (JSON, `stack.part_facts`)."""
    return (f"{PARTS}/{stem}.pdf", f"{PARTS}/{stem}.json")


def recto_starts(counts: list[int]) -> list[int]:
    """Where each part starts when every part opens on a right-hand page (as `merge_pdfs`
    with `recto_starts` joins them)."""
    starts, total = [], 0
    for count in counts:
        if total % 2 == 1:
            total += 1
        starts.append(total)
        total += count
    return starts


def front_part(job: Job, ctx: RenderContext, others: list[bytes]) -> list[Artifact]:
    """Lay out the cover, contents and programme with the page every entry starts on
    (`others`: each later part's `part_facts`).

    The front is laid out twice: once to count its own pages, then with the numbers (the
    numbers do not change its length: they sit in a fixed-width column)."""
    course = ctx.course
    part_of = _part_of_anchor(course)
    facts = [json.loads(data) for data in others]
    anchors = {part: facts[part - 1]["anchors"] for part in set(part_of.values())}
    page = _page(ctx)

    def contents(front_pages: int) -> dict[str, int]:
        starts = recto_starts([front_pages, *(info["pages"] for info in facts)])
        return {anchor: starts[part] + anchors[part].get(anchor, 0) + 1
                for anchor, part in part_of.items()}

    first = layout(ctx, guide_html(ctx, "front", None, toc_pages=contents(1)), page)
    document = layout(ctx, guide_html(ctx, "front", None,
                                      toc_pages=contents(len(first.pages))), page)
    data = artifact(job.outputs[0], write(ctx, document, _title(ctx)), "part", ())
    from bimtek_kit.render.pdf.weasy import link_areas

    links = link_areas(document, part_of)
    return [data, artifact(job.outputs[1], json.dumps(links).encode("utf-8"), "part", ())]


def _page(ctx: RenderContext) -> PageSetup:
    """Printed on both sides, for facilitators only: "do not hand out" on every page."""
    return page_setup(ctx, "facilitators", mirrored=True)


def _contents_links(course: Course, facts: list[dict],
                    entries: list[list]) -> list[tuple[int, list[float], int, int]]:
    """The contents' links (from `link_areas` on the front part) as (page, rectangle, part,
    page of that part): a module opens its part; a key chapter may start inside the keys.
    `facts`: each part's after the front (`part_facts`: the page each anchor landed on)."""
    part_of = _part_of_anchor(course)
    return [(page, rect, part_of[anchor], facts[part_of[anchor] - 1]["anchors"].get(anchor, 0))
            for page, rect, anchor in entries]


def _part_of_anchor(course: Course) -> dict[str, int]:
    """Which part of the joined guide each contents entry opens: 0 is the front matter, then
    one part per module, then the keys."""
    part_of = {module_anchor(m): number for number, m in enumerate(course.modules, start=1)}
    part_of.update({anchor: len(course.modules) + 1 for anchor in key_anchors(course)})
    return part_of


def module_anchor(module: Module) -> str:
    return f"modul-{module.id}"


def key_anchors(course: Course) -> list[str]:
    """Anchors of the answer-key chapters: test papers, then formative questions."""
    anchors = []
    if any(not bank.is_formative for bank in course.banks):
        anchors.append(TEST_KEYS_ID)
    if any(bank.is_formative for bank in course.banks):
        anchors.append(FORMATIVE_KEYS_ID)
    return anchors


TEST_KEYS_ID = "kunci-tes"
FORMATIVE_KEYS_ID = "kunci-formatif"


def _title(ctx: RenderContext) -> str:
    return f"{ctx.theme.labels.guide} · {ctx.course.config.title}"


def _plan_totals(course: Course) -> tuple[int, ...]:
    jp_minutes = course.config.schedule.jp_minutes
    return tuple(time_plan(m, jp_minutes).total for m in course.modules)


def guide_html(ctx: RenderContext, part: str | None, module: Module | None,
               toc_pages: dict[str, int] | None = None) -> str:
    """The guide's HTML: the whole of it, or one part ("front", "module", "keys")."""
    labels, course = ctx.theme.labels, ctx.course
    wanted = [module] if module else (list(course.modules) if part in (None, "front") else [])
    return render_html(
        ctx, "guide.html", title=_title(ctx), body_class="doc-guide", part=part,
        key_sections=[(anchor, {TEST_KEYS_ID: labels.print.test_keys,
                                FORMATIVE_KEYS_ID: labels.print.formative_keys}[anchor])
                      for anchor in key_anchors(course)],
        key_ids={"tests": TEST_KEYS_ID, "formative": FORMATIVE_KEYS_ID},
        modules=[guide_module(ctx, m) for m in wanted],
        front_footer=footer(ctx, labels.guide),
        keys_footer=footer(ctx, labels.guide, labels.answer_key),
        test_keys=test_key_tables(ctx) if part in (None, "keys") else [],
        formative_keys=formative_key_tables(ctx) if part in (None, "keys") else [],
        total_jp=course.total_jp,
        total_minutes=course.total_jp * course.config.schedule.jp_minutes,
        toc_pages=toc_pages or {},
        scoring=[line.replace("{pass_mark}", str(course.config.pass_mark))
                 for line in labels.print.scoring_guide],
    )


def guide_module(ctx: RenderContext, module: Module) -> GuideModule:
    labels = ctx.theme.labels
    jp_minutes = ctx.course.config.schedule.jp_minutes
    plan = time_plan(module, jp_minutes)
    renderer = blocks(ctx, "guide", module)
    minutes_of = {row.section: row.minutes for row in plan.rows if row.kind == "section"}
    sections = tuple(
        GuideSection(
            section_letter(s.number), s.title, minutes_of.get(s.number),
            tuple(plain(b.spans) for b in s.blocks if isinstance(b, Heading)),
            renderer.render(facilitator_blocks(s.blocks)),
        )
        for s in module.sections
    )
    mismatch = ""
    if not plan.adds_up:
        mismatch = (labels.print.plan_mismatch.replace("{total}", str(plan.total))
                    .replace("{available}", str(plan.available)))
    return GuideModule(
        module=module,
        anchor=module_anchor(module),
        footer=footer(ctx, labels.guide, module.code),
        time_text=(f"{module.duration_jp} {labels.jp} "
                   f"({module.duration_jp * jp_minutes} {labels.minutes})"),
        plan=clocked_plan_lines(plan_lines(plan, renderer), plan, ctx),
        plan_total=plan.total,
        mismatch=mismatch,
        intro=renderer.render(facilitator_blocks(module.intro)),
        sections=sections,
    )


def plan_lines(plan: TimePlan, renderer: HtmlBlocks) -> tuple[PlanLine, ...]:
    """Rows of the time-plan table with the running minute ("menit ke-") of each."""
    labels = renderer.labels
    lines = []
    cursor = 0
    for row in plan.rows:
        elapsed = ""
        if row.minutes:
            elapsed = f"{cursor}–{cursor + row.minutes}"
            cursor += row.minutes
        if row.kind == "section":
            label, title = f"{section_letter(row.section)}.", row.title
        elif row.kind == "activity" and row.activity is not None:
            label, title = renderer.activity_label(row.activity), row.title
            if not row.minutes:
                elapsed = f"({labels.print.plan_included})"
        else:
            label, title = "", labels.print.plan_rest
        lines.append(PlanLine(label, title, row.minutes, elapsed, row.kind == "activity"))
    return tuple(lines)


def clocked_plan_lines(lines: tuple[PlanLine, ...], plan: TimePlan,
                       ctx: RenderContext) -> tuple[PlanLine, ...]:
    """The plan lines with the clock time of each and a row for every break that falls inside
    the module, read from the timetable the jadwal prints (breaks already moved so that no
    activity is cut). A section a break falls into is printed twice, before and after it."""
    try:
        timetable = build_timetable(ctx.course)
    except ScheduleOverflow:
        return lines
    sessions = module_sessions(timetable, plan.module.id)
    if not sessions:
        return lines
    language, labels = ctx.course.config.language, ctx.theme.labels
    bounds: list[Bound] = []
    cursor = 0
    for day, row in sessions:
        length = clock_minutes(row.end) - clock_minutes(row.start)
        bounds.append((cursor, cursor + length, day, row))
        cursor += length
    result: list[PlanLine] = []
    timeline = iter(plan.timeline())
    for line in lines:
        if not line.minutes:
            result.append(line)
            continue
        span = next(timeline)
        result.extend(_clocked(line, span[0], span[1], bounds, timetable, language, labels))
    return tuple(result)


def _clocked(line: PlanLine, start: int, end: int, bounds: list[Bound], timetable: Timetable,
             language: str, labels: Labels) -> list[PlanLine]:
    """One plan line per session it falls into, with a pause line between sessions."""
    pieces: list[PlanLine] = []
    for index, (first, last, day, row) in enumerate(bounds):
        low, high = max(start, first), min(end, last)
        if low >= high:
            continue
        if pieces:
            pieces.append(_pause(bounds[index - 1], (first, last, day, row), timetable, labels,
                                 language))
        base = clock_minutes(row.start) - first
        clock = (f"{labels.day} {day.number} · {format_time(time_of(base + low), language)}–"
                 f"{format_time(time_of(base + high), language)}")
        pieces.append(PlanLine(line.label, line.title, line.minutes if len(pieces) == 0 else None,
                               line.elapsed if len(pieces) == 0 else "", line.activity, clock))
    return pieces or [line]


def _pause(previous: Bound, following: Bound, timetable: Timetable, labels: Labels,
           language: str) -> PlanLine:
    """The break (or the night) between two sessions of a module."""
    _, _, day_before, row_before = previous
    _, _, day_after, row_after = following
    if day_before is not day_after:
        return PlanLine("", f"{labels.day} {day_after.number}", None, "", False, "", pause=True)
    between = [r for r in day_before.rows if r.kind == "break"
               and r.start >= row_before.end and r.end <= row_after.start]
    title = ", ".join(r.label for r in between) or "–"
    clock = (f"{labels.day} {day_before.number} · {format_time(row_before.end, language)}–"
             f"{format_time(row_after.start, language)}")
    return PlanLine("", title, None, "", False, clock, pause=True)


def facilitator_blocks(content: tuple[Block, ...]) -> tuple[Block, ...]:
    """What the facilitator works from in class: notes, activities and summaries, in order.

    They are lifted out of callouts, quotes, lists and audience-only containers too, so that
    every `catatan` of the module reaches the guide wherever the author put it.
    """
    return tuple(FacilitatorBlocks().lift(content))


def test_key_tables(ctx: RenderContext) -> list[KeyTable]:
    """One key per printed paper (pre-test, post-test, each paket)."""
    labels = ctx.theme.labels
    return [KeyTable(paper.title(labels), tuple(_key_row(q, labels) for q in paper.questions))
            for paper in all_papers(ctx.course, ctx.variants)]


def formative_key_tables(ctx: RenderContext) -> list[KeyTable]:
    """Keys of the handbook's end-of-chapter questions, per module in course order."""
    labels = ctx.theme.labels
    banks = [bank for bank in ctx.course.banks if bank.is_formative]
    if not banks:
        return []
    questions = [q for bank in banks for q in bank.questions]
    groups: list[tuple[str, list[Question]]] = [
        (f"{m.code} · {m.title}", [q for q in questions if q.module == m.id])
        for m in ctx.course.modules
    ]
    groups.append((labels.print.general, [q for q in questions if q.module is None]))
    return [
        KeyTable(title, tuple(
            _key_row(PaperQuestion(n, q, q.options, q.answer), labels)
            for n, q in enumerate(members, start=1)
        ))
        for title, members in groups if members
    ]


def _key_row(question: PaperQuestion, labels: Labels) -> KeyRow:
    text = answer_text(question, labels)
    if question.kind == "pilihan-ganda":
        mark, key = text.split(" ", 1)
    elif question.kind == "benar-salah":
        mark, key = text, ""
    else:
        mark, key = "", text
    return KeyRow(question.number, question.text, mark, key, question.question.explanation)
