"""Cross-file checks that need the whole course: the schedule fits, activities fit modules."""

from __future__ import annotations

from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.model import Course
from bimtek_kit.schedule import ScheduleOverflow, build_timetable
from bimtek_kit.sources.yamlsource import LineMap


def check_course(
    course: Course, config_loc: Loc, config_lines: LineMap, diagnostics: Diagnostics
) -> None:
    """Report course-level problems; each names the line that can fix it."""
    _check_schedule(course, config_loc, config_lines, diagnostics)
    _check_activity_time(course, diagnostics)


def _check_schedule(course: Course, loc: Loc, lines: LineMap, diagnostics: Diagnostics) -> None:
    if not course.modules:
        return
    try:
        build_timetable(course)
    except ScheduleOverflow as exc:
        line = lines.line_of(("schedule", "days"))
        diagnostics.error(loc.at(line), f"schedule: {exc}")


def _check_activity_time(course: Course, diagnostics: Diagnostics) -> None:
    jp_minutes = course.config.schedule.jp_minutes
    for module in course.modules:
        fixed = sum(a.minutes or 0 for a in module.activities)
        fixed += sum(s.minutes or 0 for s in module.sections)
        available = module.duration_jp * jp_minutes
        if fixed > available:
            diagnostics.warning(
                module.loc,
                f"activities and timed sections take {fixed} minutes but the module has "
                f"{module.duration_jp} JP = {available} minutes",
            )
