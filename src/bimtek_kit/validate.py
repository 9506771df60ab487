"""Cross-file checks: the schedule fits, activities fit modules, and everything a renderer will
read besides the sources (theme, foreword, logo, default forms) is usable (DESIGN §6)."""

from __future__ import annotations

from pathlib import Path

from bimtek_kit.builder.foreword import course_logo, foreword_blocks, value_line
from bimtek_kit.builder.records import load_forms
from bimtek_kit.config import CourseConfig
from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.model import Course
from bimtek_kit.schedule import ScheduleOverflow, build_timetable
from bimtek_kit.sources.yamlsource import LineMap
from bimtek_kit.timeplan import check_time_plans


def check_course(
    course: Course, config_loc: Loc, config_lines: LineMap, diagnostics: Diagnostics
) -> None:
    """Report course-level problems; each names the line that can fix it."""
    _check_schedule(course, config_loc, config_lines, diagnostics)
    check_time_plans(course, diagnostics)


def _check_schedule(course: Course, loc: Loc, lines: LineMap, diagnostics: Diagnostics) -> None:
    if not course.modules:
        return
    try:
        build_timetable(course)
    except ScheduleOverflow as exc:
        line = lines.line_of(("schedule", "days"))
        diagnostics.error(loc.at(line), f"schedule: {exc}")


CONFIG_FILE = "bimtek.yml"


def check_build_inputs(
    config: CourseConfig, root: Path, lines: LineMap, has_forms: bool, diagnostics: Diagnostics
) -> Path | None:
    """Load the theme, the foreword, the logo and the theme's default forms the way the
    renderers will, so `check` reports what `build` would refuse; return the resolved logo."""
    from bimtek_kit.themes import ThemeError, load_theme

    loc = Loc(CONFIG_FILE)
    foreword_blocks(config, root, loc.at(value_line(root / CONFIG_FILE, "foreword")), diagnostics)
    logo = course_logo(config, root, loc.at(lines.line_of(("logo",))), diagnostics)
    try:
        theme = load_theme(config.theme, root, config.language, diagnostics)
    except ThemeError as exc:
        if not exc.diagnostics:
            diagnostics.error(loc.at(lines.line_of(("theme",))), str(exc))
        return logo
    if not has_forms:
        load_forms(theme.dirs, config.language, root, diagnostics)
    return logo

