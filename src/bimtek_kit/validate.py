"""Cross-file checks that need the whole course: the schedule fits, activities fit modules."""

from __future__ import annotations

from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.model import Course
from bimtek_kit.schedule import ScheduleOverflow, build_timetable
from bimtek_kit.sources.yamlsource import LineMap
from bimtek_kit.timeplan import check_note_minutes, check_time_plans


def check_course(
    course: Course, config_loc: Loc, config_lines: LineMap, diagnostics: Diagnostics
) -> None:
    """Report course-level problems; each names the line that can fix it."""
    _check_schedule(course, config_loc, config_lines, diagnostics)
    check_time_plans(course, diagnostics)
    check_note_minutes(course, diagnostics)


def _check_schedule(course: Course, loc: Loc, lines: LineMap, diagnostics: Diagnostics) -> None:
    if not course.modules:
        return
    try:
        build_timetable(course)
    except ScheduleOverflow as exc:
        line = lines.line_of(("schedule", "days"))
        diagnostics.error(loc.at(line), f"schedule: {exc}")
