"""Printed slides (issue #17): participants' handouts and facilitators' notes pages.

Both lay out their pages on the print stack's paper (A4/F4 from `bimtek.yml`, theme fonts,
footer with the module and page numbers) around empty slots of the slide's size, then show the
bahan tayang's pages in those slots (`pdf.place`): each slide is drawn once per build, from the
same layout as the PPTX, and placed as it is (issue #17: drawn three times, the slides were most
of the cost of the three PDFs).

- `peserta/handout/<module>.pdf`: 3 slides a page, each beside ruled note lines (PowerPoint's
  "3 slides" handout); `handout: {per_page: 2|4|6}` gives N-up pages without lines. No notes.
- `fasilitator/catatan-slide/<module>.pdf`: one slide a page with its speaker notes (prose and
  `catatan`) below, continued on the next page when long, under the facilitator mark.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from bimtek_kit.render.base import Artifact, Audience, Job, RenderContext, audience_path
from bimtek_kit.render.slides.pdfdeck import module_of
from bimtek_kit.render.slides.renderer import SlidesRenderer, image_sources

if TYPE_CHECKING:
    from bimtek_kit.model import Module

HANDOUT_CSS = """
.handout h1 { font-size: 13pt; margin: 0 0 3mm; }
.handout .sheet { break-after: page; }
.handout .sheet:last-child { break-after: auto; }
.handout table.up { width: 100%; border-collapse: separate; border-spacing: 0 5mm;
                    table-layout: fixed; margin: 0; font-size: 1em; }
.handout table.up td { border: none; padding: 0 3mm 0 0; vertical-align: top; }
.handout table.up td.lines { padding: 0 0 0 3mm; }
.handout .slide img { width: 100%; height: auto; display: block; border: 0.5pt solid #999; }
.notes-page { break-after: page; }
.notes-page:last-child { break-after: auto; }
.notes-page .slide img { width: 100%; height: auto; display: block; border: 0.5pt solid #999; }
.notes-page .mark { font-size: var(--small-size); color: var(--muted); margin: 0 0 2mm; }
.notes-page h2 { font-size: 11.5pt; margin: 4mm 0 2mm;
                 string-set: notes-slide attr(data-slide) " (" attr(data-continued) ")"; }
/* Notes that run over name their slide at the top of the next page ("Slide 5 (lanjutan)", short
   beside the facilitators' mark); `first-except`: not on the page where the slide itself is. */
@page { @top-left { content: string(notes-slide, first-except); font-family: var(--font-heading);
                    font-size: 8pt; color: var(--color-muted); vertical-align: bottom;
                    padding-bottom: 4mm; } }
.notes-page .notes p { margin: 0 0 1.6mm; }
"""
COLUMNS = {2: 1, 3: 2, 4: 2, 6: 2}
"""Table columns of an N-up handout page (3: the slide and its note lines)."""
LINES_PER_SLIDE = 8


def _jobs(renderer: str, ctx: RenderContext, audience: str, folder_key: str) -> list[Job]:
    """Per module: the drawn slides (planned by the bahan tayang too; run once), then the
    file, assembled from `slide_parts` (the drawn pages and their size, titles and notes)."""
    from bimtek_kit.render.slides.pdfdeck import slide_part_job, slide_parts

    folder = ctx.theme.labels.files[folder_key]
    return [job for module in ctx.course.modules for job in (
        slide_part_job(module),
        Job(renderer, module.id,
            (audience_path(ctx, audience, f"{folder}/{module.file_stem}.pdf"),),  # type: ignore[arg-type]
            (module.id,), parts=slide_parts(module)))]


SLOT = "bimtek-slide"
"""The URL scheme of a slot: `bimtek-slide:N` shows the drawn slide N (1-based) there."""


def _slots(count: int) -> list[str]:
    """One `<img>` per drawn slide, sized by the page's CSS; `place.SlidePages` draws it."""
    return [f'<img class="slide" alt="" src="{SLOT}:{n}">' for n in range(1, count + 1)]


def _document(ctx: RenderContext, module: Module, body: str, title: str,
              audience: Audience, slides: bytes, count: int) -> bytes:
    """Lay out the pages with the drawn slides in their slots."""
    from bimtek_kit.render.pdf.place import SlidePages
    from bimtek_kit.render.pdf.printing import footer, layout, page_setup
    from bimtek_kit.render.pdf.stack import write

    labels = ctx.theme.labels
    running = (f'<div class="running" data-page="{escape(labels.page)}">'
               f"{escape(footer(ctx, module.code))}</div>")
    html = (f'<!DOCTYPE html><html lang="{ctx.course.config.language}"><head>'
            f'<meta charset="utf-8"><title>{escape(title)}</title><style>{HANDOUT_CSS}</style>'
            f"</head><body>{running}{body}</body></html>")
    pages = SlidePages(slides, [f"{SLOT}:{n}" for n in range(1, count + 1)])
    document = layout(ctx, html, page_setup(ctx, audience), theme_fonts_only=True,
                      images=pages.images)
    return write(ctx, document, title, finisher=pages.finish)


def _frames(facts: bytes) -> tuple[list[str], list[dict]]:
    """The slots for a module's drawn slides, and each slide's title and notes."""
    drawn = json.loads(facts)
    return _slots(len(drawn["slides"])), drawn["slides"]


class HandoutRenderer(SlidesRenderer):
    name = "handout"
    config_keys = {**SlidesRenderer.config_keys, "paper": True, "handout": True}

    def jobs(self, ctx: RenderContext) -> list[Job]:
        return _jobs(self.name, ctx, "participants", "handout_dir")

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        module = module_of(ctx, job)
        drawn, facts = (parts[path] for path in job.parts)
        per_page = ctx.course.config.handout.per_page
        slides = [Markup(slot) for slot in _frames(facts)[0]]
        lines = ruled_lines(ctx)
        body = "".join(_sheet(slides[start:start + per_page], per_page, lines)
                       for start in range(0, len(slides), per_page))
        title = module.title
        data = _document(ctx, module, f'<div class="handout"><h1>{escape(title)}</h1>{body}'
                                      "</div>", title, "participants", drawn, len(slides))
        return [Artifact(job.outputs[0], data, self.name,
                         (module.loc.path, *image_sources(ctx, module)))]


def ruled_lines(ctx: RenderContext) -> str:
    """The note lines beside a slide: one image of `LINES_PER_SLIDE` lines, drawn as the
    worksheets' write-in lines are (print.css `.wl`: the theme's gap, a 0.6 pt rule in the
    theme's colour under each gap), stretched to the cell's width. One image, not 24 boxes a
    page: laying those out was a fifth of a handout (issue #17)."""
    import base64

    from bimtek_kit.render.pdf.printing import _mm, settings

    values = settings(ctx.theme)
    gap, rule = _mm(values["write_line_gap"]), 0.6 * 25.4 / 72
    color = escape(str(values["write_line_color"]))
    height = LINES_PER_SLIDE * (gap + rule)
    rules = "".join(f'<rect x="0" y="{index * (gap + rule) + gap:.3f}" width="100" '
                    f'height="{rule:.3f}" fill="{color}"/>' for index in range(LINES_PER_SLIDE))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 {height:.3f}" '
           f'preserveAspectRatio="none">{rules}</svg>')
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
    return (f'<img class="ruled" alt="" src="{source}" '
            f'style="display: block; width: 100%; height: {height:.3f}mm">')


def _sheet(slides: list[Markup], per_page: int, lines: str) -> str:
    """One handout page: N slides in a table (3: each beside ruled note lines)."""
    cells = [f'<td><div class="slide">{svg}</div></td>' for svg in slides]
    if per_page == 3:
        rows = [f'{cell}<td class="lines">{lines}</td>' for cell in cells]
    else:
        columns = COLUMNS[per_page]
        rows = ["".join(cells[i:i + columns]) for i in range(0, len(cells), columns)]
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    columns = '<colgroup><col style="width:60%"><col style="width:40%"></colgroup>' \
        if per_page == 3 else ""
    return f'<div class="sheet"><table class="up">{columns}{body}</table></div>'


class NotesPagesRenderer(SlidesRenderer):
    name = "catatan-slide"
    config_keys = {**SlidesRenderer.config_keys, "paper": True}

    def jobs(self, ctx: RenderContext) -> list[Job]:
        return _jobs(self.name, ctx, "facilitators", "slide_notes_dir")

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        module = module_of(ctx, job)
        drawn, facts = (parts[path] for path in job.parts)
        slots, slides = _frames(facts)
        labels = ctx.theme.labels
        mark = escape(labels.get("slide_notes_mark", ""))
        slide_label = escape(labels.get("slide", "Slide"))
        pages = []
        for number, (slot, slide) in enumerate(zip(slots, slides, strict=True), start=1):
            notes = "".join(f"<p>{escape(line)}</p>" for note in slide["notes"]
                            for line in note.split("\n") if line.strip())
            pages.append(f'<section class="notes-page"><p class="mark">{mark}</p>'
                         f'<div class="slide">{slot}</div>'
                         f'<h2 data-slide="{slide_label} {number}" '
                         f'data-continued="{escape(labels.continued)}">{slide_label} {number}: '
                         f"{escape(slide['title'])}</h2><div class=\"notes\">{notes}</div>"
                         "</section>")
        data = _document(ctx, module, "".join(pages), module.title, "facilitators", drawn,
                         len(slots))
        return [Artifact(job.outputs[0], data, self.name,
                         (module.loc.path, *image_sources(ctx, module)))]
