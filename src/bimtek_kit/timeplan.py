"""A module's time plan: minutes for every section and activity, adding up to its JP (DESIGN §4).

Pure and renderer-free, so the facilitator guide prints it and `bimtek check` warns about it from
the same numbers. Minutes fixed by the author (`## Title {waktu=30}`, `:::: latihan … {waktu=20}`)
are kept; the rest of the module's time (`duration_jp × jp_minutes`) is shared over the untimed
sections in proportion to their text length, in steps of 5 minutes, with the odd minutes on the
longest section, so the plan always adds up whenever the fixed minutes leave room for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bimtek_kit.errors import Diagnostics, Loc
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
    ListBlock,
    Module,
    Notes,
    Paragraph,
    Quote,
    RawHtml,
    Section,
    Summary,
    Table,
    plain,
    walk,
)
from bimtek_kit.visitor import BlockVisitor, Lift, children, take

STEP = 5
"""Shared minutes are planned in steps of this many minutes."""

RowKind = Literal["section", "activity", "rest"]


@dataclass(frozen=True)
class PlanRow:
    """One line of the time plan: a section, an activity inside it, or the unassigned rest."""

    kind: RowKind
    title: str
    minutes: int | None
    """None for an untimed activity: its time is part of its section's share."""
    fixed: bool
    """True when the author set the minutes; False when they were shared out."""
    section: int
    """Number of the section the row belongs to (0: before the first section, or the rest)."""
    activity: Activity | None
    loc: Loc


@dataclass(frozen=True)
class TimePlan:
    module: Module
    available: int
    """The module's minutes: duration_jp × jp_minutes."""
    rows: tuple[PlanRow, ...]
    problems: tuple[str, ...]
    """Why the plan cannot add up, in words for a warning; empty when it is sound."""

    @property
    def total(self) -> int:
        return sum(row.minutes or 0 for row in self.rows)

    @property
    def fixed(self) -> int:
        return sum(row.minutes or 0 for row in self.rows if row.fixed)

    @property
    def adds_up(self) -> bool:
        return self.total == self.available

    def timeline(self) -> list[tuple[int, int, PlanRow]]:
        """(first minute, end minute, row) of every row that has minutes, in teaching order:
        a section's own time, then its timed activities (untimed ones are inside it)."""
        spans, cursor = [], 0
        for row in self.rows:
            if row.minutes:
                spans.append((cursor, cursor + row.minutes, row))
                cursor += row.minutes
        return spans

    def activity_spans(self) -> list[tuple[int, int]]:
        """Minutes (from the module's start) during which a timed activity runs."""
        return [(start, end) for start, end, row in self.timeline() if row.kind == "activity"]


_PLANS: dict[tuple[int, int], tuple[Module, TimePlan]] = {}
_MAX_PLANS = 4096


def time_plan(module: Module, jp_minutes: int) -> TimePlan:
    """Plan `module`: fixed minutes first, the remainder shared by length over untimed sections.

    Once per loaded module: the checks, the schedule and the guide each asked for every
    module's plan, five plans per module per build (0.2 s of a 60-module edit)."""
    key = (id(module), jp_minutes)
    known = _PLANS.get(key)
    if known is not None and known[0] is module:  # the same object, not a new one at its id
        return known[1]
    if len(_PLANS) >= _MAX_PLANS:  # `bimtek serve` loads the course again and again
        _PLANS.clear()
    plan = _plan(module, jp_minutes)
    _PLANS[key] = (module, plan)
    return plan


def _plan(module: Module, jp_minutes: int) -> TimePlan:
    available = module.duration_jp * jp_minutes
    timed_activities = [a for a in module.activities if a.minutes]
    fixed = sum(s.minutes or 0 for s in module.sections)
    fixed += sum(a.minutes or 0 for a in timed_activities)
    untimed = [s for s in module.sections if not s.minutes]
    remainder = available - fixed
    problems: list[str] = []
    if remainder < 0:
        problems.append(
            f"activities and timed sections take {fixed} minutes but the module has "
            f"{module.duration_jp} JP = {available} minutes; shorten them or raise duration_jp"
        )
    elif untimed and remainder < STEP * len(untimed):
        problems.append(
            f"after the timed sections and activities ({fixed} of {available} minutes) only "
            f"{remainder} minutes are left for {len(untimed)} untimed section(s), less than "
            f"{STEP} minutes each; fix their minutes with {{waktu=N}} or raise duration_jp"
        )
    shares = share_minutes([section_weight(s) for s in untimed], max(remainder, 0))
    share_of = {s.number: m for s, m in zip(untimed, shares, strict=True)}
    rows = [PlanRow("activity", a.title, a.minutes, bool(a.minutes), 0, a, a.loc)
            for a in _activities(module.intro)]
    for section in module.sections:
        minutes = section.minutes if section.minutes else share_of[section.number]
        rows.append(PlanRow("section", section.title, minutes, bool(section.minutes),
                            section.number, None, section.loc))
        for activity in _activities(section.blocks):
            rows.append(PlanRow("activity", activity.title, activity.minutes,
                                bool(activity.minutes), section.number, activity, activity.loc))
    if not untimed and remainder > 0:
        # Nothing to stretch: keep the plan honest with an explicit row for the spare time.
        rows.append(PlanRow("rest", "", remainder, False, 0, None, module.loc))
    return TimePlan(module, available, tuple(rows), tuple(problems))


def share_minutes(weights: list[int], minutes: int) -> list[int]:
    """Split `minutes` over `weights` in steps of STEP, at least one step each when possible.

    Largest-remainder rounding (not rounding each share on its own) so the parts can never
    exceed the whole; the minutes that are not a multiple of STEP go to the heaviest share.
    """
    if not weights:
        return []
    steps, odd = divmod(minutes, STEP)
    base = [1] * len(weights) if steps >= len(weights) else [0] * len(weights)
    spare = steps - sum(base)
    weights = [max(w, 1) for w in weights]
    exact = [spare * w / sum(weights) for w in weights]
    given = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - given[i]), -weights[i], i))
    for i in order[: spare - sum(given)]:
        given[i] += 1
    heaviest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    result = [(b + g) * STEP for b, g in zip(base, given, strict=True)]
    result[heaviest] += odd
    return result


def section_weight(section: Section) -> int:
    """Length of what the facilitator presents in a section (timed activities excluded)."""
    return len(section.title) + text_length(section.blocks)


def text_length(blocks: Iterable[Block]) -> int:
    """Characters of text in `blocks`, counting untimed activities but not answer keys."""
    return sum(TextLength().visit_all(blocks))


class TextLength(BlockVisitor[int]):
    """Characters a facilitator presents in one block (a timed activity has its own minutes)."""

    def visit_paragraph(self, block: Paragraph | Heading) -> int:
        return len(plain(block.spans))

    visit_heading = visit_paragraph

    def visit_list_block(self, block: ListBlock) -> int:
        return sum(len(plain(item.spans)) + text_length(item.blocks) for item in block.items)

    def visit_table(self, block: Table) -> int:
        cells = [*block.header, *(cell for row in block.rows for cell in row)]
        return sum(len(plain(cell)) for cell in cells)

    def visit_code_block(self, block: CodeBlock) -> int:
        return len(block.text)

    def visit_diagram(self, block: Diagram) -> int:
        return diagram_length(block.items)

    def visit_quote(self, block: Quote | Callout | Notes | Summary | AudienceOnly) -> int:
        return text_length(block.blocks)

    visit_callout = visit_notes = visit_summary = visit_audience_only = visit_quote

    def visit_activity(self, block: Activity) -> int:
        if block.minutes:
            return 0
        total = len(block.title) + text_length(block.blocks)
        total += sum(len(plain(q.spans)) + text_length(q.blocks) for q in block.questions)
        return total + sum(len(r.name) + text_length(r.blocks) for r in block.roles)

    def visit_image(self, block: Image) -> int:
        return 0

    def visit_raw_html(self, block: RawHtml) -> int:
        return 0


class Activities(Lift):
    """Activities of a section in reading order (also those nested in callouts or lists)."""

    visit_activity = take


def diagram_length(items: Iterable[DiagramItem]) -> int:
    """Characters of a diagram's labels and descriptions (what the facilitator talks through)."""
    return sum(len(i.label) + len(i.description) + diagram_length(i.children) for i in items)


def _activities(blocks: Iterable[Block]) -> list[Activity]:
    return Activities().lift(blocks)  # type: ignore[return-value]


def check_time_plans(course: Course, diagnostics: Diagnostics) -> None:
    """Warn at each module whose time plan cannot add up to its JP."""
    jp_minutes = course.config.schedule.jp_minutes
    for module in course.modules:
        for problem in time_plan(module, jp_minutes).problems:
            diagnostics.warning(module.loc, problem)


_NOTE_MINUTES = {"id": re.compile(r"(\d+)\s*menit", re.I), "en": re.compile(r"(\d+)\s*min", re.I)}


def check_note_minutes(course: Course, diagnostics: Diagnostics) -> None:
    """Warn where a `catatan` promises a section more minutes than the time plan gives it.

    Facilitators follow their notes in class ("Sediakan sekitar 20 menit") and the schedule
    follows the plan (15 minutes): the two must agree. A note may mention a part of the
    section's time ("10 menit untuk paparan") or of one of its activities ("Beri 20 menit untuk
    mengisi tabel"), so only a number larger than both the section's own minutes and its
    longest activity is reported. Notes inside an activity are about the activity: left alone.
    """
    pattern = _NOTE_MINUTES.get(course.config.language, _NOTE_MINUTES["id"])
    jp_minutes = course.config.schedule.jp_minutes
    for module in course.modules:
        plan = time_plan(module, jp_minutes)
        own = {row.section: row.minutes or 0 for row in plan.rows if row.kind == "section"}
        longest = {}
        for row in plan.rows:
            if row.kind == "activity":
                longest[row.section] = max(longest.get(row.section, 0), row.minutes or 0)
        for section in module.sections:
            planned = own.get(section.number, 0)
            allowed = max(planned, longest.get(section.number, 0))
            for notes in _section_notes(section.blocks):
                said = [int(n) for n in pattern.findall(text_of(notes.blocks))]
                if said and max(said) > allowed:
                    diagnostics.warning(notes.loc, (
                        f"catatan mentions {max(said)} minutes but the time plan gives section "
                        f"'{section.title}' {planned} minutes; correct the note or set "
                        f"{{waktu={max(said)}}} on the section"))


def _section_notes(blocks: Iterable[Block]) -> list[Notes]:
    """The `catatan` of a section's own text (not those inside its activities)."""
    found: list[Notes] = []
    for block in blocks:
        if isinstance(block, Notes):
            found.append(block)
        elif not isinstance(block, Activity):
            found.extend(_section_notes(children(block)))
    return found


def text_of(blocks: Iterable[Block]) -> str:
    """The plain text of `blocks` (paragraphs and list items), for reading numbers in it."""
    parts = []
    for block in walk(tuple(blocks)):
        if isinstance(block, Paragraph | Heading):
            parts.append(plain(block.spans))
        elif isinstance(block, ListBlock):
            parts.extend(plain(item.spans) for item in block.items)
    return " ".join(parts)
