"""`bimtek list`: the modules with JP, minutes and activity counts, and how the days hold them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bimtek_kit.model import Course
from bimtek_kit.schedule import build_timetable

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` safe for a terminal: control characters (ESC, BEL, newline, bidi) become spaces."""
    return _CONTROL.sub(" ", text)


@dataclass(frozen=True)
class ModuleRow:
    number: int
    code: str
    id: str
    title: str
    jp: int
    minutes: int
    activities: int
    sections: int


def module_rows(course: Course) -> list[ModuleRow]:
    jp_minutes = course.config.schedule.jp_minutes
    return [
        ModuleRow(
            m.number,
            printable(m.code),
            m.id,
            printable(m.title),
            m.duration_jp,
            m.duration_jp * jp_minutes,
            len(m.activities),
            len(m.sections),
        )
        for m in course.modules
    ]


def schedule_line(course: Course) -> str:
    """`schedule: 4 days from 2026-12-07, 8 + 8 + 8 + 6 JP`: how the days hold the modules.

    A course whose modules overflow its `days` does not load (validate.py), so what is listed
    fits.
    """
    days = build_timetable(course).days
    start = f" from {days[0].date.isoformat()}" if days and days[0].date else ""
    per_day = " + ".join(str(day.jp) for day in days)
    plural = "" if len(days) == 1 else "s"
    return f"schedule: {len(days)} day{plural}{start}, {per_day} JP"
