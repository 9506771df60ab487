"""Daftar hadir: one sheet per day (or per session) for participants, and one for narasumber.

The signature column is split in two and the numbers alternate left and right (1 left, 2
right, 3 left …), the Indonesian convention that gives each signature room and keeps a
neighbour's signature from being copied down the column. Each sheet carries the kop surat,
the day's date and the signatory block of the first `penandatangan`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bimtek_kit.localize import format_date, format_range
from bimtek_kit.render.base import Artifact, Job, RenderContext, fingerprint
from bimtek_kit.render.organiser.common import (
    course_days,
    has_roster,
    kit_labels,
    kit_pdf,
    kit_sources,
    kop,
    output,
    render_kit_html,
    roster,
    signatories,
    signing_line,
)
from bimtek_kit.render.pdf.printing import artifact, footer, warm
from bimtek_kit.schedule import Day, Row, schedule_facts

KIND = "daftar-hadir"


@dataclass(frozen=True)
class Sheet:
    """One attendance sheet: its day, its session (per_sesi) and the line above the signature
    (`Sukamaju, 7 Desember 2026`: a sheet is signed on its own day)."""

    when: str
    session: str
    signed: str


@dataclass(frozen=True)
class SpeakerDay:
    when: str
    signed: str
    rows: tuple[SpeakerRow, ...]


@dataclass(frozen=True)
class SpeakerRow:
    time: str
    module: str
    name: str
    nip: str
    instansi: str


class AttendanceRenderer:
    name = KIND
    warm = staticmethod(warm)

    def jobs(self, ctx: RenderContext) -> list[Job]:
        if not has_roster(ctx):
            return []
        config = ctx.course.config
        facts = fingerprint(roster(ctx).digest, schedule_facts(ctx.course),
                            config.narasumber, config.penandatangan, config.kop,
                            config.daftar_hadir, config.schedule, config.place)
        return [Job(KIND, "", (output(ctx, "attendance"), output(ctx, "attendance_speakers")),
                    fingerprint=facts)]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        labels = kit_labels(ctx)
        common = {"kop": kop(ctx), "signatories": signatories(ctx)[:1],
                  "place": ctx.course.config.place}
        participants = render_kit_html(
            ctx, "attendance.html", title=labels.attendance, body_class="doc-attendance",
            footer=footer(ctx, labels.attendance), sheets=participant_sheets(ctx),
            people=roster(ctx).participants, **common)
        speakers = render_kit_html(
            ctx, "attendance_speakers.html", title=labels.attendance_speakers,
            body_class="doc-attendance", footer=footer(ctx, labels.attendance_speakers),
            days=speaker_days(ctx), **common)
        sources = kit_sources(ctx)
        return [
            artifact(job.outputs[0], kit_pdf(ctx, participants, title=labels.attendance,
                                             landscape=True), KIND, sources),
            artifact(job.outputs[1], kit_pdf(ctx, speakers, title=labels.attendance_speakers,
                                             landscape=True), KIND, sources),
        ]


def day_heading(ctx: RenderContext, day: Day) -> str:
    labels = ctx.theme.labels
    number = labels.print.day_number.replace("{n}", str(day.number))
    return f"{number} · {format_date(day.date, labels)}" if day.date else number


def participant_sheets(ctx: RenderContext) -> list[Sheet]:
    """A sheet per day; with `daftar_hadir: per_sesi` a sheet per teaching block."""
    sheets = []
    per_session = ctx.course.config.daftar_hadir == "per_sesi"
    for day in course_days(ctx):
        when, signed = day_heading(ctx, day), signing_line(ctx, day.date)
        if not per_session:
            sheets.append(Sheet(when, "", signed))
            continue
        sheets.extend(Sheet(when, session_label(ctx, row), signed) for row in module_rows(day))
    return sheets


def module_rows(day: Day) -> list[Row]:
    return [row for row in day.rows if row.kind == "module" and row.module is not None]


def session_label(ctx: RenderContext, row: Row) -> str:
    module = row.module
    assert module is not None
    time = format_range(row.start, row.end, ctx.course.config.language)
    return f"{time} · {module.code} {module.title}".replace("  ", " ")


def speaker_days(ctx: RenderContext) -> list[SpeakerDay]:
    """Per day, each teaching block with its narasumber (from bimtek.yml, else the module's)."""
    by_module = {}
    for speaker in ctx.course.config.narasumber:
        for module_id in speaker.modul:
            by_module.setdefault(module_id, []).append(speaker)
    days = []
    for day in course_days(ctx):
        rows = []
        for row in module_rows(day):
            module = row.module
            assert module is not None
            time = format_range(row.start, row.end, ctx.course.config.language)
            title = f"{module.code} {module.title}".strip()
            speakers = by_module.get(module.id)
            if not speakers:
                rows.append(SpeakerRow(time, title, module.narasumber, "", ""))
            rows.extend(SpeakerRow(time, title, s.nama, s.nip, s.instansi)
                        for s in speakers or [])
        if rows:
            days.append(SpeakerDay(day_heading(ctx, day), signing_line(ctx, day.date),
                                   tuple(rows)))
    return days
