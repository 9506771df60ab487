"""Jadwal pelaksanaan: the day-by-day table of `schedule.build_timetable` as a PDF (DESIGN §4).

The layout follows the usual Indonesian susunan acara (domain.md §3.3–§3.4): a band per day
("Hari ke-1 · Senin, 7 Desember 2026"), then Waktu, Materi/Kegiatan, Narasumber/Fasilitator and
Keterangan, with breaks and ceremonial events shaded light grey so they stand apart on a
black-and-white copy. A module that resumes after a break or on the next day says "(lanjutan)".
"""

from __future__ import annotations

import datetime as dt

from bimtek_kit.localize import format_date
from bimtek_kit.render.base import Artifact, Job, RenderContext, audience_path, fingerprint
from bimtek_kit.render.html.schedule import schedule_days
from bimtek_kit.render.pdf.printing import artifact, footer, module_sources, print_pdf
from bimtek_kit.render.pdf.stack import PagedRenderer, RenderError
from bimtek_kit.schedule import ScheduleOverflow, Timetable, build_timetable, schedule_facts
from bimtek_kit.themes import Labels

KIND = "schedule"


class ScheduleRenderer(PagedRenderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        modules = tuple(m.id for m in ctx.course.modules)
        config = ctx.course.config
        output = audience_path(ctx, "organisers", f"{ctx.theme.labels.files.schedule}.pdf")
        return [Job(KIND, "", (output,), modules=modules,
                    fingerprint=fingerprint(schedule_facts(ctx.course), config.place,
                                            config.venue, config.signatory))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        course = ctx.course
        labels = ctx.theme.labels
        try:
            timetable = build_timetable(course)
        except ScheduleOverflow as exc:  # `bimtek check` reports it first, at bimtek.yml:line
            raise RenderError(f"bimtek.yml: schedule: {exc}") from None
        schedule = course.config.schedule
        title = f"{labels.schedule} · {course.config.title}"
        data = print_pdf(
            ctx, "organisers", "schedule.html", title=title, body_class="doc-schedule",
            footer=footer(ctx, labels.schedule),
            days=schedule_days(timetable, labels, course.config.language),
            dates=date_span(timetable, labels),
            total_jp=timetable.total_jp, jp_minutes=timetable.jp_minutes,
            timezone=schedule.timezone,
            venue=", ".join(part for part in (course.config.venue, course.config.place) if part),
            signatory=course.config.signatory,
        )
        return [artifact(job.outputs[0], data, KIND, module_sources(course.modules))]


def date_span(timetable: Timetable, labels: Labels) -> str:
    """`7–10 Desember 2026`; empty when `schedule.start_date` is not set."""
    dates = [day.date for day in timetable.days if day.date]
    if not dates:
        return ""
    return date_range(dates[0], dates[-1], labels)


def date_range(first: dt.date, last: dt.date, labels: Labels) -> str:
    end = format_date(last, labels, weekday=False)
    if first == last:
        return end
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{end}"
    if first.year == last.year:
        return f"{first.day} {labels.months[first.month - 1]} – {end}"
    return f"{format_date(first, labels, weekday=False)} – {end}"
