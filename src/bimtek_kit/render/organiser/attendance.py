"""Daftar hadir: one sheet per day (or per session) for participants, and one for narasumber.

The signature column is split in two and the numbers alternate left and right (1 left, 2
right, 3 left …), the Indonesian convention that gives each signature room and keeps a
neighbour's signature from being copied down the column. Each sheet carries the kop surat,
the day's date and the signatory block of the first `penandatangan`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bimtek_kit.localize import format_range
from bimtek_kit.render.base import PARTS_DIR, Artifact, Job, RenderContext, fingerprint
from bimtek_kit.render.html.schedule import schedule_day
from bimtek_kit.render.organiser.common import (
    course_days,
    has_roster,
    join_parts,
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
from bimtek_kit.render.pdf.printing import artifact, footer
from bimtek_kit.render.pdf.stack import PagedRenderer
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


class AttendanceRenderer(PagedRenderer):
    """Participants' lists are laid out one day per part (days run in parallel and a long
    roster does not make one huge layout); the narasumber list does not read the roster, so a
    new participant leaves it alone."""

    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        if not has_roster(ctx):
            return []
        config = ctx.course.config
        facts = fingerprint(schedule_facts(ctx.course), config.narasumber, config.penandatangan,
                            config.kop, config.daftar_hadir, config.schedule, config.place,
                            config.title, config.short_title)
        days = [Job(KIND, "", (f"{PARTS_DIR}/{KIND}/{day.number:03d}.pdf",),
                    options=(("day", str(day.number)),),
                    fingerprint=fingerprint(facts, roster(ctx).digest))
                for day in course_days(ctx)]
        return [
            Job(KIND, "", (output(ctx, "attendance_speakers"),),
                options=(("list", "speakers"),), fingerprint=facts),
            *days,
            Job(KIND, "", (output(ctx, "attendance"),), parts=tuple(j.outputs[0] for j in days),
                fingerprint=fingerprint(facts, roster(ctx).digest)),
        ]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        labels = kit_labels(ctx)
        common = {"kop": kop(ctx), "signatories": signatories(ctx)[:1],
                  "place": ctx.course.config.place}
        options = dict(job.options)
        if options.get("list") == "speakers":
            html = render_kit_html(
                ctx, "attendance_speakers.html", title=labels.attendance_speakers,
                body_class="doc-attendance", footer=footer(ctx, labels.attendance_speakers),
                days=speaker_days(ctx), **common)
            data = kit_pdf(ctx, html, title=labels.attendance_speakers, landscape=True)
            return [artifact(job.outputs[0], data, KIND, ("bimtek.yml",))]
        day = next(d for d in course_days(ctx) if d.number == int(options["day"]))
        html = render_kit_html(
            ctx, "attendance.html", title=labels.attendance, body_class="doc-attendance",
            footer=footer(ctx, labels.attendance), sheets=participant_sheets(ctx, day),
            people=roster(ctx).participants, **common)
        data = kit_pdf(ctx, html, title=labels.attendance, landscape=True)
        return [artifact(job.outputs[0], data, "part", kit_sources(ctx))]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        data = join_parts(ctx, job, parts, kit_labels(ctx).attendance,
                          part_bookmarks=[day_heading(ctx, d) for d in course_days(ctx)])
        return [artifact(job.outputs[0], data, KIND, kit_sources(ctx))]


def day_heading(ctx: RenderContext, day: Day) -> str:
    """`Hari 1 — Senin, 7 Desember 2026`: as the jadwal and the handbook name the day."""
    return schedule_day(day, ctx.theme.labels, ctx.course.config.language).heading


def participant_sheets(ctx: RenderContext, day: Day) -> list[Sheet]:
    """The day's sheet; with `daftar_hadir: per_sesi` a sheet per teaching block."""
    when, signed = day_heading(ctx, day), signing_line(ctx, day.date)
    sessions = module_rows(day) if ctx.course.config.daftar_hadir == "per_sesi" else []
    if not sessions:  # per day, or a day of ceremonies only
        return [Sheet(when, "", signed)]
    return [Sheet(when, session_label(ctx, row), signed) for row in sessions]


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
