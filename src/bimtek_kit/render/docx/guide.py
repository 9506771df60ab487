"""The facilitator guide (panduan fasilitator) as DOCX: what the facilitator works from in class.

The same content as the PDF guide (`render.paper.guide`): per module the objectives, the time
plan, and per section its sub-topics, every `catatan`, each activity with its key and role
briefs, and the summary; then the keys of the test papers and the formative questions.
"""

from __future__ import annotations

from typing import Any

from bimtek_kit.localize import section_letter
from bimtek_kit.model import Heading, Module, Span, plain
from bimtek_kit.render.base import RenderContext
from bimtek_kit.render.docx.handbook import blocks_writer
from bimtek_kit.render.docx.setup import new_document, reproducible_bytes


def guide_module_docx(ctx: RenderContext, module: Module) -> bytes:
    """One module's part of the guide (joined by `join_guide`)."""
    document = _document(ctx)
    _module(document, ctx, module)
    return reproducible_bytes(document, ctx.source_date_epoch)


def guide_keys_docx(ctx: RenderContext) -> bytes:
    """The keys of the test papers and the formative questions: the guide's last part."""
    from bimtek_kit.render.paper.guide import formative_key_tables, test_key_tables

    labels = ctx.theme.labels
    document = _document(ctx)
    writer = blocks_writer(document, ctx, audience="guide")
    for title, tables in ((labels.print.test_keys, test_key_tables(ctx)),
                          (labels.print.formative_keys, formative_key_tables(ctx))):
        if tables:
            document.add_paragraph(title, style="Heading 1")
            for table in tables:
                _key_table(writer, ctx, table)
    return reproducible_bytes(document, ctx.source_date_epoch)


def join_guide(ctx: RenderContext, parts: list[bytes]) -> bytes:
    """The title lines, then the modules and the keys (`parts`, in order)."""
    from bimtek_kit.render.docx.join import PartJoiner

    config, labels = ctx.course.config, ctx.theme.labels
    document = _document(ctx)
    joiner = PartJoiner(document)
    writer = blocks_writer(document, ctx, audience="guide")
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    first.style = document.styles["Title"]
    first.add_run(labels.guide)
    writer.text(config.title, "Subtitle")
    writer.text(labels.print.guide_notice, "Box Label")
    return joiner.joined(parts, ctx.source_date_epoch)


def _document(ctx: RenderContext) -> Any:
    config, labels = ctx.course.config, ctx.theme.labels
    return new_document(ctx, f"{labels.guide}: {config.title}",
                        f"{config.display_short_title} · {labels.guide}")


def _module(document: Any, ctx: RenderContext, module: Module) -> None:
    from bimtek_kit.render.paper.guide import facilitator_blocks

    labels = ctx.theme.labels
    document.add_paragraph(f"{module.code} · {module.title}", style="Heading 1")
    writer = blocks_writer(document, ctx, module, audience="guide")
    jp_minutes = ctx.course.config.schedule.jp_minutes
    writer.paragraph((Span(f"{labels.duration}: ", bold=True),
                      Span(f"{module.duration_jp} {labels.jp} "
                           f"({module.duration_jp * jp_minutes} {labels.minutes})")))
    writer.text(labels.objectives, "Heading 3")
    writer.made_list(module.objectives)
    _time_plan(writer, ctx, module)
    writer.visit_all(facilitator_blocks(module.intro))
    for section in module.sections:
        document.add_paragraph(f"{section_letter(section.number)}. {section.title}",
                               style="Heading 2")
        topics = [plain(b.spans) for b in section.blocks if isinstance(b, Heading)]
        if topics:
            writer.paragraph((Span(f"{labels.print.subtopics}: ", bold=True),
                              Span("; ".join(topics))))
        writer.visit_all(facilitator_blocks(section.blocks))


def _time_plan(writer: Any, ctx: RenderContext, module: Module) -> None:
    from bimtek_kit.render.html.blocks import HtmlBlocks
    from bimtek_kit.render.paper.guide import plan_lines
    from bimtek_kit.timeplan import time_plan

    labels = ctx.theme.labels
    plan = time_plan(module, ctx.course.config.schedule.jp_minutes)
    html = HtmlBlocks("guide", labels, lambda image: None, activity_prefix=module.code)
    lines = plan_lines(plan, html)
    writer.text(labels.time_plan, "Heading 3")
    header = [labels.print.plan_item, labels.print.plan_minutes, labels.print.plan_elapsed]
    rows: list[list[Any]] = [[(Span(f"{line.label} {line.title}".strip(), bold=line.activity),),
                              str(line.minutes or ""), line.elapsed] for line in lines]
    rows.append([(Span(labels.total, bold=True),), (Span(str(plan.total), bold=True),), ""])
    writer.made_table(header, rows, (None, "right", "right"))


def _key_table(writer: Any, ctx: RenderContext, table: Any) -> None:
    labels = ctx.theme.labels
    writer.text(table.title, "Heading 3")
    header = [labels.print.number, labels.print.question, labels.print.key,
              labels.print.explanation]
    rows: list[list[Any]] = [
        [str(row.number), row.question,
         (Span(row.mark, bold=True), Span(f" {row.key}" if row.key else "")), row.explanation]
        for row in table.rows]
    writer.made_table(header, rows)
