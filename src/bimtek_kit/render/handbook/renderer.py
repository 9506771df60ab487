"""The participant handbook (buku peserta): a print-quality PDF and a static HTML site (DESIGN §4).

Two jobs: the PDF (one HTML document laid out by WeasyPrint) and the site (`handbook_site`).
Both read the same content from `handbook_content.Book`, so a chapter looks the same in both.
Colours, fonts and sizes come from the theme's `theme.yml` as CSS custom properties; the paper
size from `bimtek.yml`. Resources load only from the project and theme folders (DESIGN §7).
"""

from __future__ import annotations

import json

from bimtek_kit.model import Course, Module
from bimtek_kit.render.base import (
    PARTS_DIR,
    Artifact,
    Job,
    RenderContext,
    audience_path,
    fingerprint,
)
from bimtek_kit.render.handbook.content import (
    ANSWERS_ID,
    CONTENTS_ID,
    FOREWORD_ID,
    GLOSSARY_ID,
    REFERENCES_ID,
    SCHEDULE_ID,
    USAGE_ID,
    Book,
    PrintedLines,
)
from bimtek_kit.render.html.blocks import HtmlBlocks
from bimtek_kit.render.pdf.stack import (
    PagedRenderer,
    join,
    layout,
    markdown_css,
    page_number_samples,
    roots,
    stylesheet,
    theme_css,
    write,
)
from bimtek_kit.schedule import schedule_facts

KIND = "handbook"


class HandbookRenderer(PagedRenderer):
    """`bimtek build --only handbook`: `buku-peserta.pdf` and `buku-peserta/` (site).

    The PDF is laid out in parts: one per chapter, one for the back matter, then the front
    matter (cover, kata pengantar, daftar isi) once the page numbers are known. Parts run in
    parallel and a chapter is laid out again only when its module changed (issue #7). A theme
    that asks for a tagged PDF (`handbook.pdf_tags`) gets one document laid out in one piece,
    since a structure tree cannot be stitched together from parts.
    """

    name = "handbook"

    def visitors(self) -> tuple[type, ...]:
        return (HtmlBlocks, PrintedLines)

    def jobs(self, ctx: RenderContext) -> list[Job]:
        from bimtek_kit.render.handbook.site import site_outputs

        modules = tuple(m.id for m in ctx.course.modules)
        stem = audience_path(ctx, "participants", ctx.theme.labels.files.handbook)
        site = Job(self.name, "", site_outputs(ctx), modules, (("part", "site"),))
        if ctx.theme.settings.get("handbook", {}).get("pdf_tags"):
            return [Job(self.name, "", (f"{stem}.pdf",), modules, (("part", "pdf"),)), site]
        formative = tuple(b.loc.path for b in ctx.course.banks if b.is_formative)
        chapters = [
            Job(self.name, m.id, _part_files(m.file_stem), (m.id,), (("part", "chapter"),),
                sources=formative)
            for m in ctx.course.modules
        ]
        course = ctx.course
        back = Job(self.name, "", _part_files("back"), (), (("part", "back"),),
                   fingerprint=back_matter_fingerprint(course))
        pieces = (*chapters, back)
        infos = tuple(job.outputs[1] for job in pieces)
        # The front matter depends on the parts' page counts and anchors (the .json files) and
        # on titles, not on the text: an edit that moves no page boundary reuses it, and only
        # the joining is done again. Page numbers are stamped from laid-out digit samples.
        front = Job(self.name, "front", _part_files("front"), options=(("part", "front"),),
                    parts=infos, fingerprint=fingerprint(_front_facts(ctx)))
        digits = Job(self.name, "digits", (f"{PARTS}/digits.pdf",),
                     options=(("part", "digits"),), fingerprint="page-number samples")
        parts = (*front.outputs, *digits.outputs, *(job.outputs[0] for job in pieces))
        book = Job(self.name, "", (f"{stem}.pdf",), modules, (("part", "book"),), parts=parts,
                   fingerprint="joined")
        return [*pieces, digits, front, book, site]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        part = dict(job.options).get("part")
        if part == "site":
            from bimtek_kit.render.handbook.site import render_site

            return render_site(ctx)
        if part == "chapter":
            module = ctx.course.module(job.target)
            assert module is not None
            return _layout_part(ctx, job, part="chapter", chapter=module)
        if part == "back":
            return _layout_part(ctx, job, part="back")
        if part == "digits":
            html = page_number_samples("bottom-center")
            return [Artifact(job.outputs[0], _write(ctx, _document(ctx, html)), "part")]
        if part == "pdf":
            return [render_pdf(ctx)]
        raise ValueError(f"handbook job {part!r} is assembled from parts, not run")

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        if dict(job.options).get("part") == "front":
            from bimtek_kit.render.handbook.leaders import whole_leaders
            from bimtek_kit.render.pdf.weasy import link_areas

            infos = [json.loads(parts[path]) for path in job.parts]
            toc_pages = _toc_pages(infos)
            html = book_html(ctx, part="front", toc_pages=toc_pages)
            with whole_leaders():
                document = _document(ctx, html, extra_css=_FRONT_CSS)
                data = _write(ctx, document)
            links = [(page, rect, toc_pages[target])
                     for page, rect, target in link_areas(document, toc_pages)]
            return [Artifact(job.outputs[0], data, "part"),
                    Artifact(job.outputs[1], json.dumps(links).encode("utf-8"), "part")]
        return [_join(job, ctx, parts)]


def back_matter_fingerprint(course: Course) -> str:
    """What the back matter reads (schedule facts, glossary, references, settings, formative
    banks) and no module's text: editing a module's prose does not lay it out again."""
    return fingerprint(schedule_facts(course), course.glossary, course.references, course.config,
                       tuple(b for b in course.banks if b.is_formative))


def _join(job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> Artifact:
    """Front matter, then every part, with page numbers stamped on, labels and bookmarks."""
    from bimtek_kit.render.pdf.merge import page_count

    front, front_links, digits, *pieces = (parts[path] for path in job.parts)
    # Every chapter opens on a right-hand page (issue #15): a blank page goes before a part
    # that would start on a left one (`recto_starts`; `_toc_pages` counts the same blanks).
    front_pages = _recto(page_count(front, keep=True))  # kept: parsed once for the join
    main_pages = (sum(_recto(page_count(p, keep=True)) for p in pieces[:-1])
                  + page_count(pieces[-1], keep=True))
    data = join(
        ctx, [front, *pieces], ctx.course.config.title,
        labels=[(0, 0, ctx.theme.labels.cover, 0), (1, front_pages - 1, "r", 1),
                (front_pages, front_pages + main_pages - 1, "D", 1)],
        recto_starts=True, back_cover=True,
        digits=digits, digits_from=front_pages,
        # Daftar isi numbers count from 1 at BAB I, the first page of part 1.
        links=[(page, rect, 1, number - 1) for page, rect, number in json.loads(front_links)],
    )
    return Artifact(job.outputs[0], data, KIND, tuple(sorted(ctx.course.sources)))


def _toc_pages(infos: list[dict]) -> dict[str, int]:
    """Where every anchor lands, numbered from 1 at BAB I; each part opens on a right-hand
    page, after a blank one where needed."""
    pages, offset = {}, 0
    for info in infos:
        pages.update({anchor: offset + index + 1 for anchor, index in info["anchors"].items()})
        offset += _recto(info["pages"])
    return pages


def _recto(pages: int) -> int:
    """Pages a part takes when the next part must open on a right-hand (odd) page."""
    return pages + pages % 2


def _front_facts(ctx: RenderContext) -> tuple[object, ...]:
    """What the cover, kata pengantar and daftar isi show besides page numbers."""
    course = ctx.course
    return (course.config, tuple((m.number, m.code, m.title, tuple(s.title for s in m.sections),
                                   any(b.is_formative and b.for_module(m.id) for b in course.banks))
                                  for m in course.modules),
            schedule_facts(course), bool(course.glossary), bool(course.references))


def _part_files(stem: str) -> tuple[str, str]:
    return (f"{PARTS}/{stem}.pdf", f"{PARTS}/{stem}.json")


def _layout_part(ctx: RenderContext, job: Job, **kwargs: object) -> list[Artifact]:
    """Lay out one part without page numbers; record its page count and where anchors land."""
    from bimtek_kit.render.pdf.stack import part_facts

    document = _document(ctx, book_html(ctx, **kwargs), extra_css=_PART_CSS)
    return [Artifact(job.outputs[0], _write(ctx, document), "part"),
            Artifact(job.outputs[1], part_facts(document), "part")]


def _document(ctx: RenderContext, html: str, extra_css: str = ""):  # type: ignore[no-untyped-def]
    from bimtek_kit.render.pdf.weasy import RenderError

    path, css = stylesheet(ctx.theme, "handbook.css")
    variables = theme_css(ctx.theme, ctx.course.config.paper)
    try:
        return layout(ctx, html, (variables, css, markdown_css(ctx.theme), extra_css),
                      base=path.parent)
    except RenderError as exc:
        raise RenderError(f"{path}: handbook: {exc}") from None


def _write(ctx: RenderContext, document) -> bytes:  # type: ignore[no-untyped-def]
    return write(ctx, document, ctx.course.config.title)


PARTS = f"{PARTS_DIR}/handbook"

_PART_CSS = """
/* Parts are numbered after they are joined (see HandbookRenderer.assemble). */
@page { @bottom-center { content: none; } }
"""

_FRONT_CSS = """
/* The daftar isi knows its page numbers already: the parts were laid out first. */
.toc-list a::after { content: leader(".") attr(data-page); }
.toc-list .toc-front a::after {
  content: leader(".") target-counter(attr(href url), page, lower-roman);
}
"""

# --- PDF ---------------------------------------------------------------------------------------


def render_pdf(ctx: RenderContext) -> Artifact:
    """The whole book in one layout (the tagged-PDF variant)."""
    course = ctx.course
    document = _document(ctx, book_html(ctx))
    settings = ctx.theme.settings.get("handbook", {})
    data = write(ctx, document, course.config.title, pdf_tags=bool(settings.get("pdf_tags")))
    stem = audience_path(ctx, "participants", ctx.theme.labels.files.handbook)
    return Artifact(f"{stem}.pdf", data, KIND, tuple(sorted(course.sources)))


def book_html(ctx: RenderContext, part: str | None = None, chapter: Module | None = None,
              toc_pages: dict[str, int] | None = None) -> str:
    """The handbook as one HTML document, or one `part` of it: "front", "chapter", "back".

    Chapters come from `Book.chapter_html`; with `toc_pages` the daftar isi prints those page
    numbers instead of asking WeasyPrint for them (the chapters are in other documents).
    """
    from bimtek_kit.render.pdf.weasy import root_url

    folders = roots(ctx)
    book = Book(ctx, image_url=lambda image: root_url(image.path, folders) if image.path else None,
                soft_hyphens=True)
    course = ctx.course
    # A chapter part shows one chapter: the foreword, the jadwal and the other back matter
    # would be built for every part of every build and thrown away (issue #23).
    front = part in (None, "front")
    back = part in (None, "back")
    logo = book.logo() if front else None
    place, _ = book.foreword_signature()
    schedule = book.schedule_days() if back else []
    template = ctx.theme.environment().get_template("handbook/book.html.j2")
    return template.render(
        language=course.config.language,
        config=course.config,
        logo_url=root_url(logo, folders) if logo else None,
        foreword=book.foreword_html() if front else "",
        signature_place=place,
        chapters=book.chapters(),
        toc_label_width=toc_label_width(book),
        chapter_html=[book.chapter_html(m) for m in course.modules
                      if part is None or (part == "chapter" and m is chapter)],
        part=part,
        toc_pages=toc_pages or {},
        back=book.back_matter() if front or back else [],
        schedule=schedule,
        schedule_narasumber=any(row.narasumber for day in schedule for row in day.rows),
        glossary=book.glossary() if back else [],
        references=book.references() if back else [],
        ids={"foreword": FOREWORD_ID, "contents": CONTENTS_ID, "schedule": SCHEDULE_ID,
             "glossary": GLOSSARY_ID, "references": REFERENCES_ID, "answers": ANSWERS_ID,
             "usage": USAGE_ID},
        answers=book.formative_answers() if back else [],
    )


def toc_label_width(book: Book) -> str:
    """Width of the daftar isi's label column, from its longest label ("BAB VIII").

    An estimate for bold capitals at the TOC's size (about 2.65 mm a character) plus a gap, so
    "CHAPTER XVIII" never runs into its title and "BAB I" does not float far from it.
    """
    longest = max((len(chapter.label) for chapter in book.chapters()), default=0)
    return f"{max(18.0, 2.65 * longest + 3.5):.1f}mm"
