"""Cross-file checks: the schedule fits, activities fit modules, and everything a renderer will
read besides the sources (theme, foreword, logo, default forms) is usable (DESIGN §6)."""

from __future__ import annotations

from pathlib import Path

from bimtek_kit.builder.foreword import course_logo, foreword_blocks, value_line
from bimtek_kit.builder.hints import unpractised_objectives
from bimtek_kit.builder.records import load_forms
from bimtek_kit.config import CourseConfig
from bimtek_kit.errors import Diagnostics, Loc
from bimtek_kit.model import Course, Paragraph, plain, walk
from bimtek_kit.schedule import ScheduleOverflow, build_timetable
from bimtek_kit.sources.yamlsource import LineMap
from bimtek_kit.timeplan import check_note_minutes, check_time_plans


def check_course(
    course: Course,
    config_loc: Loc,
    config_lines: LineMap,
    diagnostics: Diagnostics,
    objective_lines: dict[str, LineMap] | None = None,
) -> None:
    """Report course-level problems; each names the line that can fix it."""
    _check_schedule(course, config_loc, config_lines, diagnostics)
    check_time_plans(course, diagnostics)
    check_note_minutes(course, diagnostics)
    _check_objectives_practised(course, objective_lines or {}, diagnostics)


def _check_objectives_practised(
    course: Course, lines: dict[str, LineMap], diagnostics: Diagnostics
) -> None:
    """Warn about an objective that no section, activity or test question of its module
    mentions (word overlap: a first, cheap approximation of "is it taught and practised?")."""
    for module in course.modules:
        practised = [section.title for section in module.sections]
        for activity in module.activities:
            practised.append(activity.title)
            practised.extend(plain(q.spans) for q in activity.questions)
            practised.extend(plain(b.spans) for b in walk(activity.blocks)
                             if isinstance(b, Paragraph))
        practised.extend(q.text for bank in course.banks for q in bank.for_module(module.id))
        for index in unpractised_objectives(module.objectives, practised):
            line = lines.get(module.id, LineMap()).line_of(("objectives", index))
            diagnostics.warning(
                module.loc.at(line or 1),
                f"objective '{_short(module.objectives[index])}' is not mentioned by any section, "
                "activity or test question of this module: practise or assess it, or drop it",
            )


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:47] + "..."


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

