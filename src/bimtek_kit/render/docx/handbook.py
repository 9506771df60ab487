"""The participant handbook (buku peserta) as DOCX: the same book as the PDF, in Word styles.

Cover, kata pengantar, daftar isi (a TOC field Word fills on opening, pre-filled with the
chapter and section titles for programs that do not update fields), one BAB per module with
the LAN-style opening, its sections and its evaluation questions, then jadwal, glosarium and
daftar pustaka. Chapters are Heading 1, sections Heading 2, `###` Heading 3: Word's navigation
pane and TOC work as in any office document.
"""

from __future__ import annotations

from typing import Any

from bimtek_kit.localize import roman
from bimtek_kit.localize import section_letter as letter
from bimtek_kit.model import Module, Span
from bimtek_kit.render.base import RenderContext
from bimtek_kit.render.docx import ooxml
from bimtek_kit.render.docx.blocks import DocxBlocks
from bimtek_kit.render.docx.setup import new_document, reproducible_bytes, text_width_pt
from bimtek_kit.render.handbook.content import Book, duration_text, foreword_blocks


def handbook_docx(ctx: RenderContext, modules: tuple[Module, ...]) -> bytes:
    """The chapters of `modules` alone: one module's part of the whole handbook (joined by
    `join_handbook`), or a module to hand to Word (and import back)."""
    document = _document(ctx)
    book = Book(ctx, image_url=lambda image: None)
    for module in modules:
        write_chapter(document, ctx, book, module)
    return reproducible_bytes(document, ctx.source_date_epoch)


def back_matter_docx(ctx: RenderContext) -> bytes:
    """Jadwal, glosarium and daftar pustaka: the last part of the whole handbook."""
    document = _document(ctx)
    _back_matter(document, ctx, Book(ctx, image_url=lambda image: None))
    return reproducible_bytes(document, ctx.source_date_epoch)


def join_handbook(ctx: RenderContext, parts: list[bytes]) -> bytes:
    """Cover, kata pengantar and daftar isi, then the chapters and the back matter (`parts`,
    in order) as written on their own."""
    from bimtek_kit.render.docx.join import PartJoiner

    document = _document(ctx)
    joiner = PartJoiner(document)
    _cover(document, ctx)
    _foreword(document, ctx)
    _contents(document, ctx, Book(ctx, image_url=lambda image: None))
    return joiner.joined(parts, ctx.source_date_epoch)


def _document(ctx: RenderContext) -> Any:
    config, labels = ctx.course.config, ctx.theme.labels
    return new_document(ctx, f"{labels.handbook.title}: {config.title}",
                        config.display_short_title)


def blocks_writer(document: Any, ctx: RenderContext, module: Module | None = None,
                  audience: str = "handbook") -> DocxBlocks:
    return DocxBlocks(document, ctx.theme, audience,  # type: ignore[arg-type]
                      text_width_pt(ctx), activity_prefix=module.code if module else "")


def _cover(document: Any, ctx: RenderContext) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    config, labels = ctx.course.config, ctx.theme.labels
    writer = blocks_writer(document, ctx)
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    first.add_run(config.organizer or "").bold = True
    first.paragraph_format.space_after = Pt(180)
    writer.text(labels.handbook.title, "Subtitle")
    document.add_paragraph(config.title, style="Title")
    if config.audience:
        writer.text(config.audience)
    tail = [f"{labels.edition} {config.edition}" if config.edition else "", config.place or ""]
    for index, line in enumerate(part for part in tail if part):
        paragraph = writer.text(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(150)


def _foreword(document: Any, ctx: RenderContext) -> None:
    blocks = foreword_blocks(ctx.course)
    if not blocks:
        return
    labels = ctx.theme.labels
    document.add_paragraph(labels.foreword, style="Heading 1")
    writer = blocks_writer(document, ctx)
    writer.visit_all(blocks)
    place, organizer = Book(ctx, image_url=lambda image: None).foreword_signature()
    for line in (place, organizer):
        if line:
            writer.text(line).alignment = 2  # right


def _contents(document: Any, ctx: RenderContext, book: Book) -> None:
    """A TOC field (levels 1–2) whose cached result already lists the titles."""
    labels = ctx.theme.labels
    heading = document.add_paragraph(labels.contents, style="Heading 1")
    heading.paragraph_format.page_break_before = True
    field = document.add_paragraph(style="TOC 1")
    ooxml.add_field(field, 'TOC \\o "1-2" \\h \\z \\u')
    end = field._p[-1]  # the field's end mark: the titles go between "separate" and "end"
    field._p.remove(end)
    entries: list[tuple[str, str]] = []
    for chapter in book.chapters():
        entries.append(("TOC 1", f"{chapter.label} {chapter.title}"))
        entries += [("TOC 2", f"{s.number} {s.title}") for s in chapter.sections]
    entries += [("TOC 1", entry.title) for entry in book.back_matter()]
    last = field
    for style, text in entries:
        last = document.add_paragraph(text, style=style)
    last._p.append(end)


def write_chapter(document: Any, ctx: RenderContext, book: Book, module: Module) -> None:
    """One module as one BAB: heading, opening, intro, sections, evaluation."""
    labels = ctx.theme.labels
    document.add_paragraph(f"{labels.chapter} {roman(module.number)} {module.title}",
                           style="Heading 1")
    writer = blocks_writer(document, ctx, module)
    _opening(writer, ctx, module)
    writer.visit_all(module.intro)
    for section in module.sections:
        document.add_paragraph(f"{letter(section.number)}. {section.title}", style="Heading 2")
        writer.visit_all(section.blocks)
    _evaluation(writer, book, module)


def _opening(writer: DocxBlocks, ctx: RenderContext, module: Module) -> None:
    """Deskripsi singkat, tujuan pembelajaran, materi pokok, durasi and metode."""

    labels = ctx.theme.labels
    if module.description:
        writer.text(labels.description, "Heading 3")
        writer.text(module.description)
    writer.text(labels.objectives, "Heading 3")
    writer.text(labels.objectives_lead)
    writer.made_list(module.objectives)
    if module.sections:
        writer.text(labels.topics, "Heading 3")
        for section in module.sections:
            writer.text(f"{letter(section.number)}. {section.title}", "List Continue")
    facts = [(labels.duration, duration_text(module, ctx.course.config.schedule.jp_minutes,
                                             labels))]
    if module.methods:
        facts.append((labels.methods, ", ".join(module.methods)))
    if module.media:
        facts.append((labels.media, ", ".join(module.media)))
    for key, value in facts:
        writer.paragraph((Span(f"{key}: ", bold=True), Span(value)))


def _evaluation(writer: DocxBlocks, book: Book, module: Module) -> None:
    groups = book.formative_groups(module)
    if not groups:
        return
    labels = writer.labels
    writer.text(labels.evaluation, "Heading 2")
    for group in groups:
        writer.text(group.instructions)
        for offset, question in enumerate(group.questions):
            paragraph = writer.text(f"{group.start + offset}. {question.text}")
            paragraph.paragraph_format.keep_with_next = True
            if question.kind == "pilihan-ganda":
                for index, option in enumerate(question.options):
                    writer.text(f"{chr(ord('a') + index)}. {option}", "List Continue")
            elif question.kind == "benar-salah":
                writer.text(f"☐ {labels.true_label}    ☐ {labels.false_label}", "List Continue")
            else:
                writer.text("_" * 60, "List Continue")


def _back_matter(document: Any, ctx: RenderContext, book: Book) -> None:
    labels = ctx.theme.labels
    writer = blocks_writer(document, ctx)
    for entry in book.back_matter():
        document.add_paragraph(entry.title, style="Heading 1")
        if entry.title == labels.schedule:
            for day in book.schedule_days():
                writer.text(day.heading, "Heading 3")
                rows = [[row.time, row.label, row.code, str(row.jp) if row.jp else ""]
                        for row in day.rows]
                header = [labels.time, labels.activity_col, labels.module, labels.jp]
                writer.made_table(header, rows, (None, None, None, "right"))
        elif entry.title == labels.glossary:
            for term, definition in book.glossary():
                writer.paragraph((Span(term, bold=True), Span(f" — {definition}")))
        else:
            for ref in sorted(ctx.course.references,
                              key=lambda r: (r.author.casefold(), r.year, r.title.casefold())):
                writer.paragraph(_reference(ref, labels))


def _reference(ref: Any, labels: Any) -> tuple[Span, ...]:
    """`Author. (2009). *Title*. Publisher. URL`, as the PDF's daftar pustaka."""
    spans = [Span(f"{_end(ref.author)} ")] if ref.author else []
    spans.append(Span(f"({ref.year or labels.handbook.no_date}). "))
    spans.append(Span(_end(ref.title), italic=True))
    if ref.publisher:
        spans.append(Span(f" {_end(ref.publisher)}"))
    if ref.url:
        spans.append(Span(f" {ref.url}", href=ref.url))
    return tuple(spans)


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."
