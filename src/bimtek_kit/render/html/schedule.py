"""The schedule as the printed pages show it: one view model for the handbook's jadwal
pelaksanaan, the organisers' jadwal and anything else that prints the timetable, so every copy
names a day and a row the same way ("Hari 1 — Senin, 7 Desember 2026")."""

from __future__ import annotations

from dataclasses import dataclass

from bimtek_kit.localize import format_date, format_range
from bimtek_kit.schedule import Day, Row, Timetable
from bimtek_kit.themes import Labels


@dataclass(frozen=True)
class ScheduleRow:
    time: str
    kind: str
    """module | break | event"""
    label: str
    code: str
    jp: int
    continued: bool
    narasumber: str


@dataclass(frozen=True)
class ScheduleDay:
    heading: str
    rows: tuple[ScheduleRow, ...]
    jp: int


def schedule_days(timetable: Timetable, labels: Labels, language: str) -> list[ScheduleDay]:
    return [schedule_day(day, labels, language) for day in timetable.days]


def schedule_day(day: Day, labels: Labels, language: str) -> ScheduleDay:
    heading = f"{labels.day} {day.number}"
    if day.date:
        heading += f" \N{EM DASH} {format_date(day.date, labels)}"
    return ScheduleDay(heading, tuple(schedule_row(row, language) for row in day.rows), day.jp)


def schedule_row(row: Row, language: str) -> ScheduleRow:
    module = row.module
    return ScheduleRow(
        time=format_range(row.start, row.end, language),
        kind=row.kind,
        label=row.label,
        code=module.code if module else "",
        jp=row.jp,
        continued=row.continued,
        narasumber=module.narasumber if module else "",
    )
