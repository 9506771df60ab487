"""Renderers: one module per output kind, registered by name (DESIGN §6).

A renderer splits its work into `Job`s (usually one per output file) so the build engine can
skip unchanged ones and run the rest in worker processes. Adding an output kind is one new
module here plus one line in `RENDERERS`. Modules are imported lazily so that `bimtek --help`
never pays for WeasyPrint or python-pptx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bimtek_kit.render.base import RenderContext, Renderer

RENDERERS: dict[str, str] = {
    # name: "module:Class"; order = build order and `--only` help text
    "slides": "slides.renderer:SlidesRenderer",
    "bahan-tayang": "slides.pdfdeck:SlidesPdfRenderer",
    "handout": "slides.handouts:HandoutRenderer",
    "catatan-slide": "slides.handouts:NotesPagesRenderer",
    "handbook": "handbook.renderer:HandbookRenderer",
    "worksheets": "paper.worksheets:WorksheetRenderer",
    "tests": "paper.assessments:AssessmentRenderer",
    "forms": "paper.forms:FormRenderer",
    "guide": "paper.guide:GuideRenderer",
    "schedule": "paper.timetable:ScheduleRenderer",
    "lms": "lms.renderer:LmsRenderer",
    "docx": "docx.renderer:DocxRenderer",
    # the organisers' kit (§9): no jobs unless content/peserta.csv|.xlsx exists
    "daftar-hadir": "organiser.attendance:AttendanceRenderer",
    "sertifikat": "organiser.certificates:CertificateRenderer",
    "kelompok": "organiser.groups:GroupRenderer",
    "papan-nama": "organiser.cards:NameTentRenderer",
    "kartu-peserta": "organiser.cards:CardRenderer",
    "daftar-cetak": "organiser.printlist:PrintListRenderer",  # last: it counts every file's pages
}


def warm_up(ctx: RenderContext, kinds: set[str]) -> None:
    """Do once, before the worker processes are forked, what each would otherwise repeat.

    Workers are recycled to bound their memory; a fresh fork inherits whatever the parent has
    loaded already (compiled templates, the hyphenation dictionary, opened fonts, WeasyPrint's
    font configuration), so each new worker starts warm instead of paying for it again.
    """
    env = ctx.theme.environment()
    for name in env.list_templates():
        env.get_template(name)
    from bimtek_kit.hyphenation import soft_hyphenator

    soft_hyphenator(ctx.course.config.language)("penyelenggaraan")
    for kind in sorted(kinds):
        get_renderer(kind).warm(ctx)


def available() -> list[str]:
    """Names of the registered output kinds, in build order."""
    return list(RENDERERS)


def get_renderer(name: str) -> Renderer:
    module_name, _, class_name = RENDERERS[name].partition(":")
    module = importlib.import_module(f"bimtek_kit.render.{module_name}")
    return getattr(module, class_name)()  # type: ignore[no-any-return]
