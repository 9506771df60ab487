"""Draw a `report.Report` twice: an editable DOCX (python-docx, Word's own Heading 1–3, Title,
Caption and List Bullet styles, real tables) and a PDF through the print stack."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bimtek_kit.render.base import RenderContext
    from bimtek_kit.results.report import Report, Table

TEXT_WIDTH_CM = 16.0
"""A4 with 2.5 cm margins."""


def report_docx(report: Report, epoch: int, language: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    _properties(document, report, epoch, language)
    document.add_paragraph(report.title.upper(), style="Title")
    document.add_paragraph(report.subtitle, style="Subtitle")
    if report.organizer:
        document.add_paragraph(report.organizer)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for block in report.blocks:
        _DOCX_DRAW[block.kind](document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _restamped(buffer.getvalue(), epoch)


def _restamped(docx: bytes, epoch: int) -> bytes:
    """The same package with every entry dated `epoch` (python-docx stamps the clock)."""
    import zipfile

    from bimtek_kit.packaging import zip_bytes

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        names = archive.namelist()
        files = {name: archive.read(name) for name in names}
    return zip_bytes(files, epoch, order=names)


def _properties(document, report: Report, epoch: int, language: str) -> None:  # type: ignore[no-untyped-def]
    """Fixed metadata: the same results give the same file (DESIGN §7)."""
    stamp = dt.datetime.fromtimestamp(epoch, tz=dt.UTC).replace(tzinfo=None)
    core = document.core_properties
    core.title = f"{report.title} {report.subtitle}"
    core.author = report.organizer or "bimtek-kit"
    core.last_modified_by = "bimtek-kit"
    core.created = core.modified = stamp
    core.revision = 1
    core.language = language


def _heading(document, block) -> None:  # type: ignore[no-untyped-def]
    paragraph = document.add_heading(block.text, level=block.level)
    paragraph.paragraph_format.page_break_before = block.level == 1


def _para(document, block) -> None:  # type: ignore[no-untyped-def]
    run = document.add_paragraph().add_run(block.text)
    run.italic = block.todo


def _bullets(document, block) -> None:  # type: ignore[no-untyped-def]
    for item in block.items:
        document.add_paragraph(item, style="List Bullet")


def _table(document, block: Table) -> None:  # type: ignore[no-untyped-def]
    from docx.shared import Cm, Pt

    document.add_paragraph(block.caption, style="Caption")
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    if block.widths:
        # Word reads the cell widths, LibreOffice the column grid: set both.
        table.autofit = False
        for column, share in zip(table.columns, block.widths, strict=True):
            column.width = Cm(TEXT_WIDTH_CM * share)
            for cell in column.cells:
                cell.width = Cm(TEXT_WIDTH_CM * share)


def _figure(document, block) -> None:  # type: ignore[no-untyped-def]
    from docx.shared import Cm
    from PIL import Image

    from bimtek_kit.results.charts import DPI

    with Image.open(io.BytesIO(block.chart.png)) as image:
        natural = image.width / DPI * 2.54
    document.add_picture(io.BytesIO(block.chart.png), width=Cm(min(natural, TEXT_WIDTH_CM)))
    document.add_paragraph(block.caption, style="Caption")


_DOCX_DRAW = {"heading": _heading, "para": _para, "bullets": _bullets, "table": _table,
              "figure": _figure}


def report_pdf(report: Report, ctx: RenderContext) -> bytes:
    from bimtek_kit.render.pdf.printing import footer, print_pdf

    title = f"{report.title} · {report.subtitle}"
    return print_pdf(ctx, "organisers", "report.html", title=title, body_class="doc-report",
                     report=report, footer=footer(ctx, report.title))
