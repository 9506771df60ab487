"""The participant handbook (buku peserta): a print-quality PDF and a static HTML site (DESIGN §4).

Two jobs: the PDF (one HTML document laid out by WeasyPrint) and the site (`handbook_site`).
Both read the same content from `handbook_content.Book`, so a chapter looks the same in both.
Colours, fonts and sizes come from the theme's `theme.yml` as CSS custom properties; the paper
size from `bimtek.yml`. Resources load only from the project and theme folders (DESIGN §7).
"""

from __future__ import annotations

from pathlib import Path

from bimtek_kit.render import Artifact, Job, RenderContext
from bimtek_kit.render.handbook_content import (
    CONTENTS_ID,
    FOREWORD_ID,
    GLOSSARY_ID,
    REFERENCES_ID,
    SCHEDULE_ID,
    Book,
)
from bimtek_kit.render.handbook_theme import theme_css
from bimtek_kit.themes import ThemeError

KIND = "handbook"


class HandbookRenderer:
    """`bimtek build --only handbook`: `buku-peserta.pdf` and `buku-peserta/` (site)."""

    name = "handbook"

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """Two independent jobs, so the site never waits for the PDF's page layout."""
        from bimtek_kit.render.handbook_site import site_outputs

        modules = tuple(m.id for m in ctx.course.modules)
        stem = ctx.theme.labels.files.handbook
        return [
            Job(self.name, "", (f"{stem}.pdf",), modules, (("part", "pdf"),)),
            Job(self.name, "", site_outputs(ctx), modules, (("part", "site"),)),
        ]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        if dict(job.options).get("part") == "site":
            from bimtek_kit.render.handbook_site import render_site

            return render_site(ctx)
        return [render_pdf(ctx)]


# --- PDF ---------------------------------------------------------------------------------------


def render_pdf(ctx: RenderContext) -> Artifact:
    """Lay out the whole book with WeasyPrint and write it with fixed metadata."""
    from bimtek_kit.render.pdf import RenderError, render_document, write_pdf

    course, theme = ctx.course, ctx.theme
    html = book_html(ctx)
    stylesheet = theme.find("css/handbook.css")
    if stylesheet is None:
        raise ThemeError(f"theme '{theme.name}' has no css/handbook.css")
    css = [theme_css(theme, course.config.paper), stylesheet.read_text(encoding="utf-8")]
    try:
        document = render_document(html, stylesheet.parent, resource_roots(ctx), css)
    except RenderError as exc:
        raise RenderError(f"{stylesheet}: handbook: {exc}") from None
    settings = theme.settings.get("handbook", {})
    data = write_pdf(
        document, title=course.config.title, author=course.config.organizer,
        language=course.config.language, source_date_epoch=ctx.source_date_epoch,
        pdf_tags=bool(settings.get("pdf_tags")),
    )
    stem = theme.labels.files.handbook
    return Artifact(f"{stem}.pdf", data, KIND, tuple(sorted(course.sources)))


def resource_roots(ctx: RenderContext) -> tuple[Path, ...]:
    """The only folders the PDF may load from: the project and the theme folders."""
    return (ctx.course.root, *ctx.theme.dirs)


def book_html(ctx: RenderContext) -> str:
    """The whole handbook as one HTML document; chapters come from `Book.chapter_html`."""
    from bimtek_kit.render.pdf import root_url

    roots = resource_roots(ctx)
    book = Book(ctx, image_url=lambda image: root_url(image.path, roots) if image.path else None)
    course = ctx.course
    logo = book.logo()
    place, _ = book.foreword_signature()
    schedule = book.schedule_days()
    template = ctx.theme.environment().get_template("handbook/book.html.j2")
    return template.render(
        language=course.config.language,
        config=course.config,
        logo_url=root_url(logo, roots) if logo else None,
        foreword=book.foreword_html(),
        signature_place=place,
        chapters=book.chapters(),
        toc_label_width=toc_label_width(book),
        chapter_html=[book.chapter_html(module) for module in course.modules],
        back=book.back_matter(),
        schedule=schedule,
        schedule_narasumber=any(row.narasumber for day in schedule for row in day.rows),
        glossary=book.glossary(),
        references=book.references(),
        ids={"foreword": FOREWORD_ID, "contents": CONTENTS_ID, "schedule": SCHEDULE_ID,
             "glossary": GLOSSARY_ID, "references": REFERENCES_ID},
    )


def toc_label_width(book: Book) -> str:
    """Width of the daftar isi's label column, from its longest label ("BAB VIII").

    An estimate for bold capitals at the TOC's size (about 2.65 mm a character) plus a gap, so
    "CHAPTER XVIII" never runs into its title and "BAB I" does not float far from it.
    """
    longest = max((len(chapter.label) for chapter in book.chapters()), default=0)
    return f"{max(18.0, 2.65 * longest + 3.5):.1f}mm"
