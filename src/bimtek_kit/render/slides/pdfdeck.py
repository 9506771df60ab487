"""Bahan tayang: each module's slides as a 16:9 PDF for participants (issue #17, DESIGN §4).

Drawn from the same layout as the PPTX by the SVG drawer (`svgdraw`), one page per slide, with
the theme's fonts embedded, selectable text and a bookmark per section. Speaker notes, `catatan`
and answer keys are never drawn: the layout carries them only as notes, and this drawer draws
no notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import escape

from bimtek_kit.render.base import PARTS_DIR, Artifact, Job, RenderContext, audience_path
from bimtek_kit.render.slides.renderer import SlideError, SlidesRenderer, image_sources

if TYPE_CHECKING:
    from bimtek_kit.model import Module

PAGE_CSS = """
@page { size: %(w).2fpt %(h).2fpt; margin: 0; }
html, body { margin: 0; padding: 0; }
section.slide { width: %(w).2fpt; height: %(h).2fpt; break-after: page; overflow: hidden; }
section.slide:last-child { break-after: auto; }
section.slide img { display: block; width: %(w).2fpt; height: %(h).2fpt; }
section[data-bookmark] { bookmark-level: 1; bookmark-label: attr(data-bookmark); }
"""


@dataclass(frozen=True)
class DrawnSlide:
    """One slide drawn as SVG, with what the printed pages show beside it."""

    svg: str
    """An `<img>` of the slide's SVG: WeasyPrint parses it as XML, not as HTML with a CSS
    cascade over every SVG element (about a third of the PDF's cost when inline)."""
    title: str
    section: int
    notes: tuple[str, ...]


@dataclass(frozen=True)
class DrawnDeck:
    """One module's slides drawn as SVG, ready for the bahan tayang's pages."""

    language: str
    width: float
    height: float
    slides: tuple[DrawnSlide, ...]


PARTS = f"{PARTS_DIR}/bahan-tayang"


def slide_parts(module: Module) -> tuple[str, str]:
    """The module's slides drawn once per build (issue #17, #23): the bahan tayang's pages
    (a PDF) and what the notes pages print beside each slide (JSON: title and notes). The
    handout and the notes pages place these pages instead of drawing every slide again; the
    JSON also gives the slide's size, so they need not parse the PDF to lay out its frames."""
    return f"{PARTS}/{module.file_stem}.pdf", f"{PARTS}/{module.file_stem}.json"


def slide_part_job(module: Module) -> Job:
    """The job that draws a module's slides; the three slide PDFs each plan it (the build
    runs it once), so `--only handout` draws the slides too."""
    return Job(SlidesPdfRenderer.name, module.id, slide_parts(module), (module.id,))


def _draw(ctx: RenderContext, module: Module) -> DrawnDeck:
    from bimtek_kit.render.pdf.fonts import theme_family
    from bimtek_kit.render.slides.renderer import lay_out_deck
    from bimtek_kit.render.slides.svgdraw import SlideSvg

    laid = lay_out_deck(ctx, module)
    # The theme's files for the fonts the PPTX names (Arial -> its Liberation Sans), never the
    # machine's: the same sources print the same slides everywhere (issue #15).
    shipped = (theme_family(ctx.theme, laid.deck.body_font), theme_family(ctx.theme, laid.mono))
    drawer = SlideSvg(laid, ctx.theme.labels.get("diagram", "Bagan"), shipped)
    slides = tuple(DrawnSlide(_image(drawer.page(page, number)), page.title.text,
                              page.section or 0, tuple(page.notes))
                   for number, page in enumerate(laid.pages, start=1))
    return DrawnDeck(laid.language, laid.deck.width, laid.deck.height, slides)


def _image(svg: str) -> str:
    import base64

    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="slide" alt="" src="data:image/svg+xml;base64,{data}">'


def module_of(ctx: RenderContext, job: Job) -> Module:
    module = ctx.course.module(job.target)
    if module is None:
        raise SlideError(f"no module with id '{job.target}'")
    return module


class SlidesPdfRenderer(SlidesRenderer):
    """Subclasses the PPTX renderer for its visitors and warm-up; jobs and output differ."""

    name = "bahan-tayang"
    config_keys = SlidesRenderer.config_keys

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """Per module: the slides drawn (a part), then the PDF (rebuilt only when its module
        or the theme changes)."""
        folder = ctx.theme.labels.files["slides_pdf_dir"]
        return [job for module in ctx.course.modules for job in (
            slide_part_job(module),
            Job(self.name, module.id,
                (audience_path(ctx, "participants", f"{folder}/{module.file_stem}.pdf"),),
                (module.id,), parts=slide_parts(module)[:1]))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        """Draw a module's slides: the bahan tayang's pages and the notes beside them."""
        module = module_of(ctx, job)
        drawn = _draw(ctx, module)
        notes = [{"title": slide.title, "notes": list(slide.notes)} for slide in drawn.slides]
        pdf, facts = job.outputs
        return [Artifact(pdf, self._pdf(ctx, module, drawn), "part"),
                Artifact(facts, json.dumps({"width": drawn.width, "height": drawn.height,
                                           "slides": notes}, ensure_ascii=False,
                                           sort_keys=True).encode("utf-8"), "part")]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        """The bahan tayang is the drawn slides' PDF as it is."""
        module = module_of(ctx, job)
        return [Artifact(job.outputs[0], parts[job.parts[0]], self.name,
                         tuple(str(s) for s in (module.loc.path, *image_sources(ctx, module))))]

    def _pdf(self, ctx: RenderContext, module: Module, drawn: DrawnDeck) -> bytes:
        from bimtek_kit.render.pdf.fonts import font_face_css
        from bimtek_kit.render.pdf.printing import roots
        from bimtek_kit.render.pdf.weasy import render_document, write_pdf
        from bimtek_kit.render.slides.svgtext import runs_as_whole

        sections = []
        seen = 0
        for number, slide in enumerate(drawn.slides, start=1):
            mark = ""
            if number == 1 or (slide.section and slide.section != seen):
                mark = f' data-bookmark="{escape(slide.title)}"'
                seen = slide.section or seen
            sections.append(f'<section class="slide"{mark}>{slide.svg}</section>')
        css = PAGE_CSS % {"w": drawn.width, "h": drawn.height}
        html = (f'<!DOCTYPE html><html lang="{drawn.language[:2]}"><head><meta charset="utf-8">'
                f"<title>{escape(module.title)}</title></head><body>{''.join(sections)}"
                "</body></html>")
        config = ctx.course.config
        with runs_as_whole():
            document = render_document(html, ctx.course.root, roots(ctx),
                                       [font_face_css(ctx.theme, roots(ctx), private=True),
                                        css])
            return write_pdf(document, title=module.title,
                             author=config.organizer or config.display_short_title,
                             language=drawn.language[:2], source_date_epoch=ctx.source_date_epoch)
