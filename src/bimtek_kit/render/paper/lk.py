"""Worksheet numbers (LK-1, LK-2a, LK-2b …): given by position, so they are always in order.

A handbook box, a guide row and a worksheet name the same activity with the same number, so a
participant finds the sheet the facilitator calls for. Numbers are never typed by authors
(issue #15 found "LK-2b" printed before "LK-2a" and activities with none).
"""

from __future__ import annotations

from string import ascii_lowercase

from bimtek_kit.model import Course, Module


def worksheet_labels(course: Course, module: Module) -> dict[int, str]:
    """Activity number -> "LK-2a": the number in the module's code (M2), a letter when it has
    more than one activity; a code without a number (BLC) is used whole."""
    digits = "".join(char for char in module.code if char.isdigit())
    place = digits or module.code or str(module.number)
    activities = module.activities
    if len(activities) == 1:
        return {activities[0].number: f"LK-{place}"}
    joint = "" if digits else "-"  # LK-2a, but LK-BLC-a
    return {activity.number: f"LK-{place}{joint}{_letters(index)}"
            for index, activity in enumerate(activities)}


def _letters(index: int) -> str:
    """a, b, … z, aa, ab …"""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = ascii_lowercase[rest] + text
    return text
