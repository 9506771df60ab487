"""The planner keeps activities whole across breaks, and notes agree with the plan (#15)."""

from __future__ import annotations

from pathlib import Path

from bimtek_kit.errors import Diagnostics
from bimtek_kit.loader import load_course
from bimtek_kit.localize import minutes_of
from bimtek_kit.schedule import build_timetable, module_sessions
from bimtek_kit.timeplan import time_plan

REPO = Path(__file__).resolve().parents[1]

CONFIG = """\
title: Bimtek Rencana
organizer: BKPSDM Kabupaten Contoh
schedule:
  start_date: 2026-12-07
  day_start: "08.00"
  day_end: "16.00"
  jp_minutes: 45
  breaks:
    - {at: "10.15", minutes: 15, label: Rehat kopi}
    - {at: "12.00", minutes: 60, label: ISHOMA}
"""


def module_text(first_minutes: int, activity_minutes: int, note: str = "") -> str:
    """A 4-JP module (180 minutes): a timed section, then a timed activity, then the rest."""
    return f"""---
id: rencana
title: Modul Rencana
code: M1
duration_jp: 4
objectives: [merencanakan waktu]
---

## Pembuka {{waktu={first_minutes}}}

Teks pembuka.
{note}
:::: diskusi Diskusi Panjang {{waktu={activity_minutes}}}
Diskusikan.
::::

## Penutup

Teks penutup yang cukup panjang untuk mengisi sisa waktu modul ini.
"""


def cuts(course) -> list[tuple[str, int, int, int]]:
    """(module, activity start, activity end, break minute) wherever a break cuts an activity."""
    timetable = build_timetable(course)
    found = []
    for module in course.modules:
        sessions = module_sessions(timetable, module.id)
        taught, boundaries = 0, []
        for _, row in sessions[:-1]:
            taught += minutes_of(row.end) - minutes_of(row.start)
            boundaries.append(taught)
        for start, end in time_plan(module, timetable.jp_minutes).activity_spans():
            found += [(module.id, start, end, b) for b in boundaries if start < b < end]
    return found


def test_no_activity_of_the_default_course_is_cut_by_a_break():
    course = load_course(REPO)
    assert cuts(course) == []


def test_a_break_moves_to_the_nearer_edge_of_the_activity(make_project):
    # 08.00 + 100 min section = 09.40; the activity runs 09.40-10.25; coffee at 10.15 would
    # cut it 35 minutes in: the break moves 10 minutes later, to 10.25.
    root = make_project({"content/modules/01-rencana.md": module_text(100, 45)}, config=CONFIG)
    course = load_course(root)
    assert cuts(course) == []
    rows = build_timetable(course).days[0].rows
    coffee = next(row for row in rows if row.kind == "break" and row.label == "Rehat kopi")
    assert (coffee.start.strftime("%H.%M"), coffee.end.strftime("%H.%M")) == ("10.25", "10.40")
    before, after = rows[rows.index(coffee) - 1], rows[rows.index(coffee) + 1]
    assert before.end == coffee.start and after.start == coffee.end


def test_a_catatan_promising_more_minutes_than_the_plan_is_a_warning(make_project):
    note = "\n::: catatan\nSediakan sekitar 40 menit untuk bagian ini.\n:::\n"
    root = make_project({"content/modules/01-rencana.md": module_text(20, 30, note)},
                        config=CONFIG)
    diagnostics = Diagnostics()
    load_course(root, diagnostics)
    assert [str(d) for d in diagnostics if "catatan" in str(d)] == [
        "content/modules/01-rencana.md:13: warning: catatan mentions 40 minutes but the time "
        "plan gives section 'Pembuka' 20 minutes; correct the note or set {waktu=40} on the "
        "section"]
