"""Bahan tayang: each module's slides as a 16:9 PDF for participants (issue #17, DESIGN §4).

Drawn from the same layout as the PPTX by the SVG drawer (`svgdraw`), one page per slide, with
the theme's fonts embedded, selectable text and a bookmark per section. Speaker notes, `catatan`
and answer keys are never drawn: the layout carries them only as notes, and this drawer draws
no notes.
"""

from __future__ import annotations

from markupsafe import escape

from bimtek_kit.render.base import Artifact, Job, RenderContext, audience_path
from bimtek_kit.render.slides.renderer import SlideError, SlidesRenderer, image_sources

PAGE_CSS = """
@page { size: %(w).2fpt %(h).2fpt; margin: 0; }
html, body { margin: 0; padding: 0; }
section.slide { width: %(w).2fpt; height: %(h).2fpt; break-after: page; overflow: hidden; }
section.slide:last-child { break-after: auto; }
section.slide svg { display: block; }
section[data-bookmark] { bookmark-level: 1; bookmark-label: attr(data-bookmark); }
"""


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
        from bimtek_kit.render.pdf.printing import roots
        from bimtek_kit.render.pdf.weasy import render_document, write_pdf
        from bimtek_kit.render.slides.renderer import lay_out_deck
        from bimtek_kit.render.slides.svgdraw import SlideSvg

        module = ctx.course.module(job.target)
        if module is None:
            raise SlideError(f"no module with id '{job.target}'")
        laid = lay_out_deck(ctx, module)
        drawer = SlideSvg(laid, ctx.theme.labels.get("diagram", "Bagan"))
        sections = []
        seen = 0
        for number, page in enumerate(laid.pages, start=1):
            mark = ""
            if number == 1 or (page.section and page.section != seen):
                mark = f' data-bookmark="{escape(page.title.text)}"'
                seen = page.section or seen
            sections.append(f'<section class="slide"{mark}>{drawer.page(page, number)}'
                            f"</section>")
        css = PAGE_CSS % {"w": laid.deck.width, "h": laid.deck.height}
        html = (f'<!DOCTYPE html><html lang="{laid.language[:2]}"><head><meta charset="utf-8">'
                f"<title>{escape(module.title)}</title></head><body>{''.join(sections)}"
                "</body></html>")
        document = render_document(html, ctx.course.root, roots(ctx), [css])
        config = ctx.course.config
        data = write_pdf(document, title=module.title,
                         author=config.organizer or config.display_short_title,
                         language=laid.language[:2], source_date_epoch=ctx.source_date_epoch)
        sources = (module.loc.path, *image_sources(ctx, module))
        return [Artifact(job.outputs[0], data, self.name, tuple(str(s) for s in sources))]
