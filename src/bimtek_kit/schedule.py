"""The jadwal: lay module JP, breaks and ceremonial events onto the days of `bimtek.yml`.

Each day runs from `day_start` to `day_end`. Breaks and events are fixed blocks; the free time
between them is cut into whole JP slots of `jp_minutes`, which are filled with the modules in
course order. A module that resumes after a break or on the next day is marked "continued"
(lanjutan). When `days` is set and the modules need more slots, `ScheduleOverflow` says which
module does not fit and by how much.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from bimtek_kit.config import Event, Schedule
from bimtek_kit.localize import minutes_of, time_of
from bimtek_kit.model import Course, Module

MAX_DAYS = 366
"""Without a fixed `days`, a course may run at most this many days."""

RowKind = Literal["module", "break", "event"]


@dataclass(frozen=True)
class Row:
    start: dt.time
    end: dt.time
    kind: RowKind
    label: str
    module: Module | None = None
    jp: int = 0
    continued: bool = False


@dataclass
class Day:
    number: int
    date: dt.date | None
    rows: list[Row] = field(default_factory=list)

    @property
    def jp(self) -> int:
        return sum(row.jp for row in self.rows)


@dataclass
class Timetable:
    days: list[Day]
    jp_minutes: int

    @property
    def total_jp(self) -> int:
        return sum(day.jp for day in self.days)


def schedule_facts(course: Course) -> tuple[tuple[str, str, str, int, str], ...]:
    """What a schedule shows of each module: a change elsewhere in a module cannot move it."""
    return tuple((m.id, m.code, m.title, m.duration_jp, m.narasumber) for m in course.modules)


class ScheduleOverflow(ValueError):
    """The modules need more JP than the days hold."""


def build_timetable(course: Course) -> Timetable:
    """Place every module's JP; raise `ScheduleOverflow` when `days` is too small.

    Without `days`, days are added until every module is placed; the day on which the last
    module ends also gets the closing events.
    """
    schedule = course.config.schedule
    queue = [(module, module.duration_jp) for module in course.modules]
    placed_jp = {m.id: 0 for m in course.modules}
    days: list[Day] = []
    limit = schedule.days or MAX_DAYS
    while len(days) < limit and (queue or len(days) < (schedule.days or 1)):
        number = len(days) + 1
        if schedule.days:
            day = _plan_day(schedule, number, number == schedule.days, queue, placed_jp)
        else:
            trial_queue, trial_placed = list(queue), dict(placed_jp)
            day = _plan_day(schedule, number, True, trial_queue, trial_placed)
            if trial_queue:
                day = _plan_day(schedule, number, False, queue, placed_jp)
            else:
                queue[:], placed_jp = trial_queue, trial_placed
        days.append(day)
    if queue:
        module, remaining = queue[0]
        missing = sum(r for _, r in queue)
        raise ScheduleOverflow(
            f"the modules need {course.total_jp} JP but {len(days)} days hold only "
            f"{course.total_jp - missing} JP: module '{module.id}' ({module.code}) has {remaining} "
            f"of its {module.duration_jp} JP left over; add a day, lengthen the days or shorten "
            "modules"
        )
    timetable = Timetable(days, schedule.jp_minutes)
    keep_activities_whole(timetable, course)
    return timetable


BREAK_SHIFT = 15
"""A break may move this many minutes to keep an activity whole; further only when it then
falls on the activity's edge, a boundary between sections (issue #15)."""


def keep_activities_whole(timetable: Timetable, course: Course) -> None:
    """Move every break that would cut an activity to the activity's nearer edge.

    A break between two sessions of the same module falls at some minute of the module's time
    plan; when that minute lies inside a timed activity (Diskusi M4.1 at minutes 40–55 cut by
    ISHOMA), the break moves to the activity's start or end, whichever is nearer (preferring
    one within `BREAK_SHIFT` minutes). The session before it grows or shrinks by as much as the
    one after it shrinks or grows, so the day, the JP and every other row stay as they were.
    """
    from bimtek_kit.timeplan import time_plan

    spans = {m.id: time_plan(m, timetable.jp_minutes).activity_spans() for m in course.modules}
    for day in timetable.days:
        _shift_breaks(day, spans, _minutes_before(timetable, day))


def _minutes_before(timetable: Timetable, day: Day) -> dict[str, int]:
    """Minutes each module was taught on the days before `day`."""
    before: dict[str, int] = {}
    for earlier in timetable.days[: timetable.days.index(day)]:
        for row in earlier.rows:
            if row.kind == "module" and row.module is not None:
                before[row.module.id] = before.get(row.module.id, 0) + _length(row)
    return before


def _length(row: Row) -> int:
    return minutes_of(row.end) - minutes_of(row.start)


def _shift_breaks(day: Day, spans: dict[str, list[tuple[int, int]]],
                  taught: dict[str, int]) -> None:
    rows = day.rows
    for index, row in enumerate(rows):
        if row.kind == "module" and row.module is not None:
            taught[row.module.id] = taught.get(row.module.id, 0) + _length(row)
        if not (0 < index < len(rows) - 1 and row.kind == "break"):
            continue
        before, after = rows[index - 1], rows[index + 1]
        if not (before.module and after.module and before.module.id == after.module.id):
            continue
        shift = _shift_for(spans[before.module.id], taught[before.module.id], before, after)
        if shift:
            rows[index - 1] = _moved(before, 0, shift)
            rows[index] = _moved(row, shift, shift)
            rows[index + 1] = _moved(after, shift, 0)
            taught[before.module.id] += shift


def _shift_for(spans: list[tuple[int, int]], at: int, before: Row, after: Row) -> int:
    """Minutes to move a break found at module minute `at` (negative: earlier); 0 if none."""
    for start, end in spans:
        if start < at < end:
            options = [-(at - start), end - at]
            room = [s for s in options if -_length(before) < s < _length(after)]
            return min(room, key=lambda s: (abs(s) > BREAK_SHIFT, abs(s)), default=0)
    return 0


def _moved(row: Row, start_by: int, end_by: int) -> Row:
    return Row(time_of(minutes_of(row.start) + start_by), time_of(minutes_of(row.end) + end_by),
               row.kind, row.label, row.module, row.jp, row.continued)


def module_sessions(timetable: Timetable, module_id: str) -> list[tuple[Day, Row]]:
    """The rows in which a module is taught, in order, with their days."""
    return [(day, row) for day in timetable.days for row in day.rows
            if row.kind == "module" and row.module is not None and row.module.id == module_id]


def _plan_day(
    schedule: Schedule,
    number: int,
    is_last: bool,
    queue: list[tuple[Module, int]],
    placed_jp: dict[str, int],
) -> Day:
    """Lay out one day, taking modules off the front of `queue`."""
    date = schedule.start_date + dt.timedelta(days=number - 1) if schedule.start_date else None
    day = Day(number, date)
    closing = [e for e in schedule.events if _on_day(e, number, is_last) and _at_end(e, number)]
    opening = [e for e in schedule.events if _on_day(e, number, is_last) and not _at_end(e, number)]
    fixed = _breaks(schedule) + _opening_rows(schedule, opening)
    day_end = minutes_of(schedule.day_end) - sum(e.minutes for e in closing)
    for start, end in _free_intervals(schedule, fixed, day_end):
        _fill(day, queue, placed_jp, start, end, schedule.jp_minutes)
    day.rows.extend(fixed)
    day.rows.sort(key=lambda row: (minutes_of(row.start), row.kind != "event"))
    day.rows.extend(_closing_rows(schedule, closing, day.rows))
    _drop_breaks_after_close(day, is_last)
    return day


def _fill(
    day: Day,
    queue: list[tuple[Module, int]],
    placed: dict[str, int],
    start: int,
    end: int,
    jp_minutes: int,
) -> None:
    """Fill one free interval with whole JP slots of the next modules."""
    slots = (end - start) // jp_minutes
    cursor = start
    while slots and queue:
        module, remaining = queue[0]
        take = min(slots, remaining)
        stop = cursor + take * jp_minutes
        day.rows.append(
            Row(
                time_of(cursor),
                time_of(stop),
                "module",
                module.title,
                module,
                take,
                continued=placed[module.id] > 0,
            )
        )
        placed[module.id] += take
        cursor, slots = stop, slots - take
        if take == remaining:
            queue.pop(0)
        else:
            queue[0] = (module, remaining - take)


def _breaks(schedule: Schedule) -> list[Row]:
    return [
        Row(b.at, time_of(minutes_of(b.at) + b.minutes), "break", b.label) for b in schedule.breaks
    ]


def _opening_rows(schedule: Schedule, events: list[Event]) -> list[Row]:
    """Events of the day; those without `at` follow each other from the start of the day."""
    rows = []
    cursor = minutes_of(schedule.day_start)
    for event in events:
        start = _skip_breaks(minutes_of(event.at) if event.at else cursor, schedule)
        rows.append(Row(time_of(start), time_of(start + event.minutes), "event", event.label))
        cursor = start + event.minutes
    return rows


def _closing_rows(schedule: Schedule, events: list[Event], rows: list[Row]) -> list[Row]:
    """Closing events (post-test, penutupan) follow the day's last session directly."""
    busy = [minutes_of(r.end) for r in rows if r.kind != "break"]
    cursor = max(busy, default=minutes_of(schedule.day_start))
    closing = []
    for event in events:
        start = _skip_breaks(cursor, schedule)
        closing.append(Row(time_of(start), time_of(start + event.minutes), "event", event.label))
        cursor = start + event.minutes
    return closing


def _drop_breaks_after_close(day: Day, is_last: bool) -> None:
    """On the last day, breaks after the closing event are not part of the programme."""
    if not is_last:
        return
    end = max((minutes_of(r.end) for r in day.rows if r.kind != "break"), default=0)
    day.rows = [r for r in day.rows if r.kind != "break" or minutes_of(r.start) < end]
    day.rows.sort(key=lambda row: (minutes_of(row.start), row.kind != "event"))


def _on_day(event: Event, number: int, is_last: bool) -> bool:
    if event.day == "first":
        return number == 1
    if event.day == "last":
        return is_last
    return event.day == number


def _at_end(event: Event, number: int) -> bool:
    """Events of the last day without a time close the day (post-test, penutupan)."""
    return event.day == "last" and event.at is None and number != 1


def _skip_breaks(start: int, schedule: Schedule) -> int:
    for brk in schedule.breaks:
        if minutes_of(brk.at) <= start < minutes_of(brk.at) + brk.minutes:
            return minutes_of(brk.at) + brk.minutes
    return start


def _free_intervals(schedule: Schedule, fixed: list[Row], day_end: int) -> list[tuple[int, int]]:
    """The day's time minus every fixed block, as (start, end) minutes."""
    intervals = [(minutes_of(schedule.day_start), day_end)]
    for row in sorted(fixed, key=lambda r: minutes_of(r.start)):
        block_start, block_end = minutes_of(row.start), minutes_of(row.end)
        next_intervals = []
        for start, end in intervals:
            if block_end <= start or block_start >= end:
                next_intervals.append((start, end))
                continue
            if block_start > start:
                next_intervals.append((start, block_start))
            if block_end < end:
                next_intervals.append((block_end, end))
        intervals = next_intervals
    return intervals
