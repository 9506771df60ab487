"""`bimtek list`: the modules with JP, minutes and activity counts."""

from __future__ import annotations

from dataclasses import dataclass

from bimtek_kit.model import Course


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
            m.code,
            m.id,
            m.title,
            m.duration_jp,
            m.duration_jp * jp_minutes,
            len(m.activities),
            len(m.sections),
        )
        for m in course.modules
    ]
