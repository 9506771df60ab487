"""The scannable lembar jawaban: one page per test paper, laid out by `results.sheet`.

The template only draws what `results.sheet` placed (marks, NIP bubbles, code cells, answer
bubbles); `bimtek pindai` reads the same positions back from a photo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bimtek_kit.render.pdf.printing import _mm, footer, settings
from bimtek_kit.render.pdf.weasy import RenderError
from bimtek_kit.results import sheet

if TYPE_CHECKING:
    from bimtek_kit.model import Course, QuestionBank
    from bimtek_kit.render.base import RenderContext
    from bimtek_kit.render.paper.assessments import Paper
    from bimtek_kit.themes import Labels


def truth_marks(labels: Labels) -> tuple[str, str]:
    """Bubble values of a benar–salah question (`B`, `S` in Indonesian)."""
    return (labels.print.true_short, labels.print.false_short)


def bank_index(course: Course, bank: QuestionBank) -> int:
    """1-based position among the printed banks: what the sheet code carries."""
    from bimtek_kit.render.paper.assessments import printed_banks

    return [b.name for b in printed_banks(course)].index(bank.name) + 1


def printed_paper(bank: QuestionBank, variant_index: int) -> Paper:
    """The paper a sheet code (or a CSV's `paket`) names: 0 for the bank's own order, 1 for
    paket A, … exactly as `build --variants N` printed it for any N ≥ that paket (each paket
    depends only on those before it; `papers_for(bank, 1)` would be the unshuffled paper)."""
    from bimtek_kit.render.paper.assessments import make_paper, papers_for

    if variant_index == 0:
        return make_paper(bank, None)
    return papers_for(bank, max(variant_index, 2))[variant_index - 1]


def variant_index(variant: str | None) -> int:
    return 0 if variant is None else ord(variant) - ord("A") + 1


def paper_layout(paper: Paper, course: Course, labels: Labels,
                 isian_height: float) -> sheet.SheetLayout:
    """Where everything of `paper` goes on its answer sheet."""
    marks = truth_marks(labels)
    groups = [
        (group.letter, group.kind,
         [sheet.QuestionSpot(q.number, tuple(letter for letter, _ in q.choices)
                             if q.kind == "pilihan-ganda" else marks if q.kind == "benar-salah"
                             else ()) for q in group.questions])
        for group in paper.groups
    ]
    code = sheet.encode_code(bank_index(course, paper.bank), variant_index(paper.variant))
    return sheet.layout_sheet(groups, code, isian_height)


def isian_height(ctx: RenderContext) -> float:
    values = settings(ctx.theme)
    return int(values["isian_lines"]) * _mm(values["write_line_gap"]) + sheet.ISIAN_EXTRA


def sheet_pages(ctx: RenderContext, papers: list[Paper]) -> list[dict[str, Any]]:
    """Template data for every paper's sheet; a paper too long for one sheet is an error."""
    labels = ctx.theme.labels
    height = isian_height(ctx)
    pages = []
    for paper in papers:
        try:
            layout = paper_layout(paper, ctx.course, labels, height)
        except sheet.SheetOverflow as error:
            raise RenderError(f"{paper.bank.loc.path}: {error}") from None
        pages.append({
            "title": paper.title(labels),
            "footer": footer(ctx, labels.answer_sheet, paper.title(labels)),
            "layout": layout,
        })
    return pages


GEOMETRY = {
    "frame_w": sheet.FRAME_W, "frame_h": sheet.FRAME_H, "mark": sheet.MARK,
    "bubble": sheet.BUBBLE, "cell": sheet.CODE_CELL, "inset": sheet.INSET,
    "header_h": sheet.HEADER_H, "nip_top": sheet.NIP_TOP, "nip_box_top": sheet.NIP_BOX_TOP,
    "code_left": sheet.CODE_LEFT, "code_top": sheet.CODE_TOP, "heading_h": sheet.HEADING_H,
}
"""The constants the template needs besides the placed items (all in mm)."""
