"""The facilitator's time plan: fixed minutes kept, the rest shared by length, always adding up."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bimtek_kit.errors import Diagnostics
from bimtek_kit.loader import load_course
from bimtek_kit.timeplan import STEP, share_minutes, time_plan


def module_file(body: str, jp: int = 2) -> str:
    return (f"---\ntitle: Modul Uji\ncode: M1\nduration_jp: {jp}\n"
            f"objectives: [menjelaskan satu, menerapkan satu, menilai satu]\n---\n\n{body}")


def plan_of(make_project, body: str, jp: int = 2):
    root = make_project({"content/modules/01-uji.md": module_file(body, jp)})
    diagnostics = Diagnostics()
    course = load_course(root, diagnostics)
    return time_plan(course.modules[0], 45), diagnostics


def test_feature_module_keeps_fixed_minutes_and_adds_up(feature_course):
    plan = time_plan(feature_course.module("fitur-lengkap"), 45)
    minutes = {(row.kind, row.title): row.minutes for row in plan.rows}
    assert minutes[("section", "Bagian Kedua")] == 30
    assert minutes[("activity", "Latihan Pesan Kunci")] == 20
    assert minutes[("activity", "Kasus Loket")] == 25
    assert minutes[("activity", "Warga Kecewa")] == 20
    assert minutes[("activity", "Diskusi Singkat")] == 10
    # 180 - 30 - 75 = 75 minutes left for the only untimed section.
    assert minutes[("section", "Bagian Pertama")] == 75
    assert plan.total == plan.available == 180
    assert plan.adds_up and not plan.problems


def test_single_untimed_section_gets_the_whole_module(feature_course):
    plan = time_plan(feature_course.module("kedua"), 45)
    assert [(row.title, row.minutes) for row in plan.rows] == [("Satu-satunya Bagian", 90)]


def test_remainder_is_shared_in_proportion_to_text_length(make_project):
    short, long_ = "Kata. " * 20, "Kata. " * 80
    body = f"## Pendek\n\n{short}\n\n## Panjang\n\n{long_}\n\n## Tetap {{waktu=30}}\n\nTeks.\n"
    plan, _ = plan_of(make_project, body, jp=2)
    minutes = {row.title: row.minutes for row in plan.rows}
    assert minutes["Tetap"] == 30
    # Text lengths are about 1:4; in 5-minute steps the 60 free minutes split 15 + 45.
    assert (minutes["Pendek"], minutes["Panjang"]) == (15, 45)
    assert plan.total == 90


def test_shares_are_rounded_to_five_minutes_with_the_rest_on_the_longest():
    assert share_minutes([100, 200, 300], 60) == [10, 20, 30]
    assert share_minutes([1, 1, 1], 50) == [20, 15, 15]
    shares = share_minutes([10, 50, 10], 47)
    assert sum(shares) == 47
    assert shares[1] % STEP == 2  # the odd minutes land on the longest section
    assert shares[0] % STEP == 0 and shares[2] % STEP == 0
    assert share_minutes([], 30) == []


@given(st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=12),
       st.integers(min_value=0, max_value=600))
def test_shares_always_add_up(weights, minutes):
    shares = share_minutes(weights, minutes)
    assert sum(shares) == minutes
    assert all(share >= 0 for share in shares)
    heaviest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    assert all(share % STEP == 0 for i, share in enumerate(shares) if i != heaviest)
    if minutes >= STEP * len(weights):
        assert all(share >= STEP for share in shares)


def test_untimed_activity_counts_inside_its_section(make_project):
    body = ("## Satu\n\nTeks.\n\n:::: latihan Tanpa Waktu\nKerjakan.\n\n1. Soal?\n::::\n\n"
            "## Dua {waktu=45}\n\nTeks.\n")
    plan, _ = plan_of(make_project, body, jp=2)
    activity = next(row for row in plan.rows if row.kind == "activity")
    assert activity.minutes is None and not activity.fixed
    assert plan.total == 90


def test_spare_time_without_untimed_sections_gets_its_own_row(make_project):
    plan, diagnostics = plan_of(make_project, "## Satu {waktu=30}\n\nTeks.\n", jp=1)
    assert [(row.kind, row.minutes) for row in plan.rows] == [("section", 30), ("rest", 15)]
    assert plan.adds_up
    assert not diagnostics.warnings


def test_warns_at_the_module_when_fixed_minutes_exceed_its_time(make_project):
    body = "## Satu\n\nTeks.\n\n:::: latihan Panjang {waktu=200}\nKerjakan.\n::::\n"
    plan, diagnostics = plan_of(make_project, body, jp=2)
    assert not plan.adds_up
    messages = [str(d) for d in diagnostics.warnings]
    assert any(m.startswith("content/modules/01-uji.md:1: warning: activities and timed sections "
                            "take 200 minutes") for m in messages), messages


def test_warns_when_untimed_sections_would_get_less_than_five_minutes(make_project):
    body = ("## Satu\n\nTeks.\n\n## Dua\n\nTeks.\n\n"
            ":::: latihan Hampir Semua {waktu=40}\nKerjakan.\n::::\n")
    _, diagnostics = plan_of(make_project, body, jp=1)
    messages = [d.message for d in diagnostics.warnings]
    assert any("only 5 minutes are left for 2 untimed section(s)" in m for m in messages), messages
