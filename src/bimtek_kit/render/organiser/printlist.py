"""Daftar cetak: every file of the package with its pages, copies, paper and sheets (§9).

The print shop (or the office copier) needs one sheet that says what to print how often:
copies follow the roster size (participant materials), the number of groups (role cards)
and of narasumber/fasilitator (their guide). The job assembles after every other job and
counts the pages of the PDFs the build just made, so the list is never out of date; files
that are not printed (decks, the HTML site, registers) are listed as digital.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from bimtek_kit import render
from bimtek_kit.render.base import Artifact, Job, RenderContext, fingerprint, is_part
from bimtek_kit.render.organiser.common import (
    has_roster,
    kit_labels,
    kit_pdf,
    kit_sources,
    output,
    render_kit_html,
    roster,
)
from bimtek_kit.render.organiser.groups import deal_groups
from bimtek_kit.render.pdf.printing import artifact, footer
from bimtek_kit.render.pdf.stack import PagedRenderer

KIND = "daftar-cetak"

LANDSCAPE = {"daftar-hadir", "sertifikat", "papan-nama", "kelompok"}
HEAVY_PAPER = {"sertifikat", "papan-nama", "kartu-peserta"}
SCREEN_ONLY = {"bahan-tayang"}
"""PDFs made to be shown or shared, not printed (the slides as PDF: handouts are printed)."""
ALWAYS_A4 = {"sertifikat", "papan-nama", "kartu-peserta"}
"""Laid out for A4 whatever `paper:` says (their CSS names the size): card stock is A4."""
DUPLEX = {"handbook", "tests", "forms", "guide", "sertifikat", "handout", "catatan-slide"}
"""Kinds printed on both sides; worksheets stay one-sided so each sheet can be handed alone."""


@dataclass(frozen=True)
class Counts:
    participants: int
    groups: int
    facilitators: int


@dataclass(frozen=True)
class PrintRow:
    path: str
    pages: int | None
    copies: int
    paper: str
    duplex: bool
    note: str

    @property
    def sheets(self) -> int:
        if not self.pages or not self.copies:
            return 0
        per_copy = -(-self.pages // 2) if self.duplex else self.pages
        return per_copy * self.copies


def package_files(ctx: RenderContext) -> list[tuple[str, str]]:
    """(path, kind) of every file the other renderers plan, in build order."""
    files = []
    for kind in render.available():
        if kind == KIND:
            continue
        for job in render.get_renderer(kind).jobs(ctx):
            files.extend((path, kind) for path in job.outputs if not is_part(path))
    return files


def counts(ctx: RenderContext) -> Counts:
    config = ctx.course.config
    people = roster(ctx).participants
    speakers = {s.nama for s in config.narasumber} or {
        m.narasumber for m in ctx.course.modules if m.narasumber}
    groups = deal_groups(people, config.kelompok.ukuran, config.kelompok.seed)
    return Counts(len(people), len(groups), max(1, len(speakers)))


def copies_of(kind: str, path: str, ctx: RenderContext, number: Counts) -> int:
    """How many copies a file needs; 0 for what is not printed."""
    role_cards = ctx.theme.labels.files.get("role_cards")
    if role_cards and path.rsplit("/", 1)[-1].startswith(role_cards):
        return number.groups
    by_kind = {
        "handbook": number.participants,
        "handout": number.participants,
        "catatan-slide": number.facilitators,
        "worksheets": number.participants,
        "tests": number.participants,
        "forms": number.participants,
        "guide": number.facilitators,
        "schedule": number.participants + number.facilitators,
        "kelompok": number.facilitators + 1,
    }
    return by_kind.get(kind, 1)


class PrintListRenderer(PagedRenderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        if not has_roster(ctx):
            return []
        files = package_files(ctx)
        facts = fingerprint(files, counts(ctx), ctx.course.config.paper)
        return [Job(KIND, "", (output(ctx, "printlist"), output(ctx, "printlist", ".csv")),
                    parts=tuple(path for path, _ in files), fingerprint=facts)]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        return self.assemble(job, ctx, {})

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        """`parts` holds the files this build made; one left out of the build (`--only`) is
        listed without pages."""
        labels = kit_labels(ctx)
        number = counts(ctx)
        rows = collapse_digital(ctx, [print_row(ctx, path, kind, parts.get(path), number)
                                      for path, kind in package_files(ctx)])
        lead = (labels.printlist_lead.replace("{participants}", str(number.participants))
                .replace("{groups}", str(number.groups))
                .replace("{facilitators}", str(number.facilitators)))
        html = render_kit_html(ctx, "printlist.html", title=labels.printlist,
                               body_class="doc-printlist", footer=footer(ctx, labels.printlist),
                               rows=rows, lead=lead, total=sum(r.sheets for r in rows))
        pdf = kit_pdf(ctx, html, title=labels.printlist)
        sources = kit_sources(ctx)
        return [artifact(job.outputs[0], pdf, KIND, sources),
                artifact(job.outputs[1], print_csv(ctx, rows), KIND, sources)]


def print_row(ctx: RenderContext, path: str, kind: str, data: bytes | None,
              number: Counts) -> PrintRow:
    labels = kit_labels(ctx)
    paper = ctx.course.config.paper
    if not path.endswith(".pdf"):
        return PrintRow(path, None, 0, "", False, labels.digital)
    if kind in SCREEN_ONLY:
        return PrintRow(path, _pages(data), 0, "", False, labels.digital)
    combined = _combined_worksheets(ctx, path, kind)
    if combined:
        return PrintRow(path, _pages(data), 0, paper, False,
                        labels.included.replace("{file}", combined))
    notes = []
    if kind in LANDSCAPE:
        notes.append(labels.landscape)
    if kind in HEAVY_PAPER:
        notes.append(labels.heavy_paper)
    return PrintRow(path, _pages(data), copies_of(kind, path, ctx, number),
                    "A4" if kind in ALWAYS_A4 else paper, kind in DUPLEX, ", ".join(notes))


def collapse_digital(ctx: RenderContext, rows: list[PrintRow]) -> list[PrintRow]:
    """Digital files sharing a folder (a deck per module, the HTML site) become one row; those
    straight in an audience's folder (the register, the group deck) keep a row each."""
    folders = Counter(_folder(r.path) for r in rows
                      if not r.copies and not r.pages and "/" in _folder(r.path))
    collapsed: list[PrintRow] = []
    seen = set()
    for row in rows:
        folder = _folder(row.path)
        if row.copies or row.pages or folders[folder] < 2:
            collapsed.append(row)
        elif folder not in seen:
            seen.add(folder)
            count = kit_labels(ctx).files_count.replace("{n}", str(folders[folder]))
            collapsed.append(PrintRow(f"{folder}/ ({count})", None, 0, "", False, row.note))
    return collapsed


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _pages(data: bytes | None) -> int | None:
    from bimtek_kit.render.pdf.merge import page_count  # pypdf: only when a list is made

    return page_count(data) if data else None


def _combined_worksheets(ctx: RenderContext, path: str, kind: str) -> str:
    """The per-module worksheet files are also in the combined one: print that one only."""
    files = ctx.theme.labels.files
    combined = f"{files.worksheets_all}.pdf"
    if kind != "worksheets" or path.endswith("/" + combined) or path == combined:
        return ""
    return combined


def print_csv(ctx: RenderContext, rows: list[PrintRow]) -> bytes:
    labels = kit_labels(ctx)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(labels.print_csv)
    for row in rows:
        sides = (labels.duplex if row.duplex else labels.simplex) if row.copies else ""
        writer.writerow([row.path, row.pages or "", row.copies, row.paper, sides, row.sheets,
                         row.note])
    return out.getvalue().encode("utf-8-sig")
