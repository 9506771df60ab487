"""Worksheet numbers (LK-1, LK-2a, LK-2b …): given by position, so they are always in order.

A handbook box, a guide row and a worksheet name the same activity with the same number, so a
participant finds the sheet the facilitator calls for. Numbers are never typed by authors
(issue #15 found "LK-2b" printed before "LK-2a" and activities with none).
"""

from __future__ import annotations

from string import ascii_lowercase

from bimtek_kit.model import Course, Module


def worksheet_labels(course: Course, module: Module) -> dict[int, str]:
    """Activity number -> "LK-2a": the module's place in the course, a letter when it has
    more than one activity."""
    place = next((i for i, m in enumerate(course.modules, start=1) if m.id == module.id), 0)
    activities = module.activities
    if len(activities) == 1:
        return {activities[0].number: f"LK-{place}"}
    return {activity.number: f"LK-{place}{_letters(index)}"
            for index, activity in enumerate(activities)}


def _letters(index: int) -> str:
    """a, b, … z, aa, ab …"""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = ascii_lowercase[rest] + text
    return text
