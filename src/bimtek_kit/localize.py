"""Dates, times and numbers written the way the course language expects (domain.md §5.2).

No `locale`: the day and month names come from the theme's label set.
"""

from __future__ import annotations

import datetime as dt

from bimtek_kit.themes import Labels


def format_date(day: dt.date, labels: Labels, weekday: bool = True) -> str:
    """`Senin, 7 Desember 2026` (id) or `Monday, 7 December 2026` (en)."""
    text = f"{day.day} {labels.months[day.month - 1]} {day.year}"
    return f"{labels.days[day.weekday()]}, {text}" if weekday else text


def format_time(value: dt.time, language: str = "id") -> str:
    """`08.00` in Indonesian (EYD), `08:00` in English."""
    separator = "." if language == "id" else ":"
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def format_range(start: dt.time, end: dt.time, language: str = "id") -> str:
    return f"{format_time(start, language)}–{format_time(end, language)}"


def minutes_of(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def time_of(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    """BAB numbers are upper-case Roman numerals (domain.md §5.1): 4 -> IV."""
    parts = []
    for value, symbol in _ROMAN:
        count, number = divmod(number, value)
        parts.append(symbol * count)
    return "".join(parts)


def section_letter(number: int) -> str:
    """Sections are lettered A., B., …; past Z the letters double (AA, AB) like spreadsheets."""
    text = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text
