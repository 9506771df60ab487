"""Bahan tayang: each module's slides as a 16:9 PDF for participants (issue #17, DESIGN §4).

Drawn from the same layout as the PPTX by the SVG drawer (`svgdraw`), one page per slide, with
the theme's fonts embedded, selectable text and a bookmark per section. Speaker notes, `catatan`
and answer keys are never drawn: the layout carries them only as notes, and this drawer draws
no notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import escape

from bimtek_kit.render.base import Artifact, Job, RenderContext, audience_path
from bimtek_kit.render.slides.renderer import SlideError, SlidesRenderer, image_sources

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
    """One module's slides drawn once for the three PDFs (bahan tayang, handout, notes pages).

    Planning, laying out and drawing a deck costs about as much as WeasyPrint's layout of it:
    drawn once per module and process, the handout and notes pages reuse the bahan tayang's
    SVGs instead of laying out the deck twice more (issue #23).
    """

    language: str
    width: float
    height: float
    slides: tuple[DrawnSlide, ...]


DRAWERS = ("bahan-tayang", "handout", "catatan-slide")
"""The renderers that share a `DrawnDeck`; an entry is dropped once all three took it."""
_drawn: dict[str, tuple[DrawnDeck, set[str]]] = {}
_drawn_for: list[object] = [None]


def drawn_deck(ctx: RenderContext, module_id: str, renderer: str) -> DrawnDeck:
    """The module's slides as SVGs, drawn at most once per build and process.

    Keyed by the build's context (one object per build, inherited by forked workers), so a
    second build in the same process never sees the first one's slides.
    """
    if _drawn_for[0] is not ctx:
        _drawn.clear()
        _drawn_for[0] = ctx
    entry = _drawn.get(module_id)
    if entry is None:
        entry = _drawn[module_id] = (_draw(ctx, module_id), set())
    drawn, used = entry
    used.add(renderer)
    if used.issuperset(DRAWERS):
        del _drawn[module_id]
    return drawn


def _draw(ctx: RenderContext, module_id: str) -> DrawnDeck:
    from bimtek_kit.render.pdf.fonts import theme_family
    from bimtek_kit.render.slides.renderer import lay_out_deck
    from bimtek_kit.render.slides.svgdraw import SlideSvg

    module = ctx.course.module(module_id)
    if module is None:
        raise SlideError(f"no module with id '{module_id}'")
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


class SlidesPdfRenderer(SlidesRenderer):
    """Subclasses the PPTX renderer for its visitors and warm-up; jobs and output differ."""

    name = "bahan-tayang"
    config_keys = SlidesRenderer.config_keys

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """One PDF per module (rebuilt only when its module or the theme changes)."""
        folder = ctx.theme.labels.files["slides_pdf_dir"]
        return [
            Job(self.name, module.id,
                (audience_path(ctx, "participants", f"{folder}/{module.file_stem}.pdf"),),
                (module.id,))
            for module in ctx.course.modules
        ]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        from bimtek_kit.render.pdf.fonts import font_face_css
        from bimtek_kit.render.pdf.printing import roots
        from bimtek_kit.render.pdf.weasy import render_document, write_pdf
        from bimtek_kit.render.slides.svgtext import runs_as_whole

        module = ctx.course.module(job.target)
        if module is None:
            raise SlideError(f"no module with id '{job.target}'")
        drawn = drawn_deck(ctx, module.id, self.name)
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
            data = write_pdf(document, title=module.title,
                             author=config.organizer or config.display_short_title,
                             language=drawn.language[:2], source_date_epoch=ctx.source_date_epoch)
        sources = (module.loc.path, *image_sources(ctx, module))
        return [Artifact(job.outputs[0], data, self.name, tuple(str(s) for s in sources))]
