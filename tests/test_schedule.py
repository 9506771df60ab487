"""Jadwal: days, Indonesian dates, times, breaks, "(lanjutan)", and the overflow error."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader
from typer.testing import CliRunner

from bimtek_kit.cli import app
from bimtek_kit.loader import load_course
from bimtek_kit.render import get_renderer
from bimtek_kit.render.handbook.content import Book
from bimtek_kit.render.paper.timetable import date_range
from bimtek_kit.themes import load_theme
from conftest import render_context

CONFIG = """\
title: Bimtek Jadwal
short_title: Bimtek Jadwal
organizer: BKPSDM Kabupaten Contoh
place: Sukamaju
schedule:
  start_date: 2026-12-07
  day_start: "08.00"
  day_end: "16.00"
  jp_minutes: 45
  breaks:
    - {at: "09.30", minutes: 15, label: Rehat kopi}
    - {at: "12.00", minutes: 60, label: ISHOMA}
  events:
    - {day: 1, at: "08.00", minutes: 30, label: Pembukaan}
    - {day: last, minutes: 30, label: Penutupan}
"""


def module(title: str, code: str, jp: int, narasumber: str = "") -> str:
    extra = f"narasumber: {narasumber}\n" if narasumber else ""
    return (f"---\ntitle: {title}\ncode: {code}\nduration_jp: {jp}\n{extra}"
            f"objectives: [menjelaskan]\n---\n\n## Bagian\n\nTeks.\n")


def schedule_text(make_project, config: str = CONFIG, modules: dict[str, str] | None = None):
    modules = modules or {
        "content/modules/01-a.md": module("Modul Pertama", "M1", 2, "Dr. Siti Aminah"),
        "content/modules/02-b.md": module("Modul Melintasi Siang", "M2", 4),
        "content/modules/03-c.md": module("Modul Hari Kedua", "M3", 6),
    }
    ctx = render_context(load_course(make_project(modules, config=config)))
    renderer = get_renderer("schedule")
    (job,) = renderer.jobs(ctx)
    (artifact,) = renderer.run(job, ctx)
    files = ctx.theme.labels.files
    assert artifact.path == f"{files.organisers_dir}/{files.schedule}.pdf"
    pages = PdfReader(io.BytesIO(artifact.data)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def test_days_dates_times_and_breaks(make_project):
    text = schedule_text(make_project)
    assert "Hari 1 — Senin, 7 Desember 2026" in text
    assert "Hari 2 — Selasa, 8 Desember 2026" in text
    assert "Tanggal : 7–8 Desember 2026" in text
    assert "Waktu (WIB)" in text and "Materi/Kegiatan" in text and "Narasumber/Fasilitator" in text
    # Day 1: opening 08.00–08.30, one JP before coffee, M1 continues after it.
    assert "08.00–08.30 Pembukaan" in text
    assert "08.30–09.15 M1 Modul Pertama Dr. Siti Aminah 1 JP" in text
    assert "09.30–09.45 Rehat kopi" in text
    assert "09.45–10.30 M1 Modul Pertama (lanjutan) Dr. Siti Aminah 1 JP" in text
    assert "12.00–13.00 ISHOMA" in text
    assert "Jumlah jam pelajaran : 12 JP (1 JP = 45 menit)" in text
    assert re.search(r"\d{2}:\d{2}", text) is None  # times use the Indonesian dot


def test_module_spanning_lunch_shows_before_and_after_ishoma(make_project):
    text = schedule_text(make_project)
    before = text.index("10.30–12.00 M2 Modul Melintasi Siang 2 JP")
    lunch = text.index("12.00–13.00 ISHOMA")
    after = text.index("13.00–14.30 M2 Modul Melintasi Siang (lanjutan) 2 JP")
    assert before < lunch < after


def test_last_day_closes_with_the_closing_event(make_project):
    text = schedule_text(make_project)
    day_two = text[text.index("Hari 2"):]
    assert "M3 Modul Hari Kedua (lanjutan)" in day_two
    assert re.search(r"\d{2}\.\d{2}–\d{2}\.\d{2} Penutupan", day_two)
    assert "Penutupan" not in text[:text.index("Hari 2")]


def test_handbook_and_jadwal_print_the_same_day_headings(make_project):
    modules = {"content/modules/01-a.md": module("Modul Pertama", "M1", 12)}
    ctx = render_context(load_course(make_project(modules, config=CONFIG)))
    renderer = get_renderer("schedule")
    (artifact,) = renderer.run(renderer.jobs(ctx)[0], ctx)
    pages = PdfReader(io.BytesIO(artifact.data)).pages
    text = " ".join((page.extract_text() or "") for page in pages)
    headings = [day.heading for day in Book(ctx, image_url=lambda image: None).schedule_days()]
    assert headings == ["Hari 1 — Senin, 7 Desember 2026", "Hari 2 — Selasa, 8 Desember 2026"]
    assert all(heading in text for heading in headings)


def test_no_dates_without_start_date(make_project):
    config = CONFIG.replace("  start_date: 2026-12-07\n", "")
    text = schedule_text(make_project, config=config)
    assert "Hari 1" in text and "Hari 2" in text
    assert "Senin" not in text and "Desember" not in text


def test_english_schedule_uses_colons_and_english_dates(make_project):
    config = "language: en\n" + CONFIG  # (replacing after "title:" also hit "short_title:")
    text = schedule_text(make_project, config=config)
    assert "Day 1 — Monday, 7 December 2026" in text
    assert "08:00–08:30" in text


def test_overflow_is_a_path_line_error_from_check(make_project):
    config = CONFIG.replace("  day_start:", "  days: 1\n  day_start:")
    line = config.splitlines().index("  days: 1") + 1
    root = make_project({"content/modules/01-a.md": module("Modul Besar", "M1", 20)},
                        config=config)
    result = CliRunner().invoke(app, ["check", str(root)])
    assert result.exit_code == 1
    output = result.output + (getattr(result, "stderr", "") or "")
    assert f"bimtek.yml:{line}: schedule: the modules need 20 JP" in output
    assert "module 'a' (M1) has 13 of its 20 JP left over" in output


def test_date_range_is_written_the_indonesian_way():
    labels = load_theme("default", None).labels
    assert date_range(dt.date(2026, 12, 7), dt.date(2026, 12, 10), labels) == "7–10 Desember 2026"
    assert date_range(dt.date(2026, 11, 30), dt.date(2026, 12, 2), labels) == \
        "30 November – 2 Desember 2026"
    assert date_range(dt.date(2026, 12, 7), dt.date(2026, 12, 7), labels) == "7 Desember 2026"
