"""Printed slides (issue #17): participants' handouts and facilitators' notes pages.

Both draw the slides with the SVG drawer (the same layout as the PPTX) on the print stack's
paper (A4/F4 from `bimtek.yml`, theme fonts, footer with the module and page numbers):

- `peserta/handout/<module>.pdf`: 3 slides a page, each beside ruled note lines (PowerPoint's
  "3 slides" handout); `handout: {per_page: 2|4|6}` gives N-up pages without lines. No notes.
- `fasilitator/catatan-slide/<module>.pdf`: one slide a page with its speaker notes (prose and
  `catatan`) below, continued on the next page when long, under the facilitator mark.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from bimtek_kit.render.base import Artifact, Audience, Job, RenderContext, audience_path
from bimtek_kit.render.slides.renderer import SlideError, SlidesRenderer, image_sources

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
    folder = ctx.theme.labels.files[folder_key]
    return [Job(renderer, module.id,
                (audience_path(ctx, audience, f"{folder}/{module.file_stem}.pdf"),),  # type: ignore[arg-type]
                (module.id,))
            for module in ctx.course.modules]


def _pages(ctx: RenderContext, module_id: str, renderer: str):  # noqa: ANN202
    """(module, its slides drawn once for all three slide PDFs: `pdfdeck.drawn_deck`)."""
    from bimtek_kit.render.slides.pdfdeck import drawn_deck

    module = ctx.course.module(module_id)
    if module is None:
        raise SlideError(f"no module with id '{module_id}'")
    return module, drawn_deck(ctx, module_id, renderer)


def _document(ctx: RenderContext, module, body: str, title: str,  # noqa: ANN001
              audience: Audience) -> bytes:
    from bimtek_kit.render.pdf.printing import footer, page_setup, to_pdf
    from bimtek_kit.render.slides.svgtext import runs_as_whole

    labels = ctx.theme.labels
    running = (f'<div class="running" data-page="{escape(labels.page)}">'
               f"{escape(footer(ctx, module.code))}</div>")
    html = (f'<!DOCTYPE html><html lang="{ctx.course.config.language}"><head>'
            f'<meta charset="utf-8"><title>{escape(title)}</title><style>{HANDOUT_CSS}</style>'
            f"</head><body>{running}{body}</body></html>")
    with runs_as_whole():
        return to_pdf(ctx, html, title=title, page=page_setup(ctx, audience),
                      theme_fonts_only=True)


class HandoutRenderer(SlidesRenderer):
    name = "handout"
    config_keys = {**SlidesRenderer.config_keys, "paper": True, "handout": True}

    def jobs(self, ctx: RenderContext) -> list[Job]:
        return _jobs(self.name, ctx, "participants", "handout_dir")

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        module, drawn = _pages(ctx, job.target, self.name)
        per_page = ctx.course.config.handout.per_page
        slides = [Markup(slide.svg) for slide in drawn.slides]
        body = "".join(_sheet(slides[start:start + per_page], per_page)
                       for start in range(0, len(slides), per_page))
        title = module.title
        data = _document(ctx, module, f'<div class="handout"><h1>{escape(title)}</h1>{body}'
                                      "</div>", title, "participants")
        return [Artifact(job.outputs[0], data, self.name,
                         (module.loc.path, *image_sources(ctx, module)))]


def _sheet(slides: list[Markup], per_page: int) -> str:
    """One handout page: N slides in a table (3: each beside ruled note lines)."""
    cells = [f'<td><div class="slide">{svg}</div></td>' for svg in slides]
    if per_page == 3:
        lines = '<td class="lines">' + '<div class="wl"></div>' * LINES_PER_SLIDE + "</td>"
        rows = [cell + lines for cell in cells]
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

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        module, drawn = _pages(ctx, job.target, self.name)
        labels = ctx.theme.labels
        mark = escape(labels.get("slide_notes_mark", ""))
        slide_label = escape(labels.get("slide", "Slide"))
        pages = []
        for number, slide in enumerate(drawn.slides, start=1):
            notes = "".join(f"<p>{escape(line)}</p>" for note in slide.notes
                            for line in note.split("\n") if line.strip())
            pages.append(f'<section class="notes-page"><p class="mark">{mark}</p>'
                         f'<div class="slide">{slide.svg}</div>'
                         f'<h2 data-slide="{slide_label} {number}" '
                         f'data-continued="{escape(labels.continued)}">{slide_label} {number}: '
                         f"{escape(slide.title)}</h2><div class=\"notes\">{notes}</div>"
                         "</section>")
        data = _document(ctx, module, "".join(pages), module.title, "facilitators")
        return [Artifact(job.outputs[0], data, self.name,
                         (module.loc.path, *image_sources(ctx, module)))]
