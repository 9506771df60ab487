"""`bimtek pindai SCAN…`: read answer sheets into `hasil/<test>.csv` (DESIGN §10).

Every scan is read first; only then are the CSV files written (atomically), so a crash or a
refused file leaves `hasil/` as it was. A sheet is merged by NIP: scanning the same sheet
again replaces that participant's row, a new participant is appended.

Nothing is guessed. A bubble that cannot be read with confidence (two marks, a faint mark, an
empty NIP column) is written as `?` in the CSV and listed as `scan.jpg: soal 7: …` for a
person to check on the paper; the command then exits 1, and `bimtek laporan` refuses a `?`
until someone has replaced it with the letter (or `-`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bimtek_kit.errors import BimtekError, UsageError, relative_to
from bimtek_kit.results import scan

if TYPE_CHECKING:
    from bimtek_kit.model import Course
    from bimtek_kit.render.paper.assessments import Paper
    from bimtek_kit.results.sheet import SheetLayout
    from bimtek_kit.themes import Labels

RESULTS_DIR = "hasil"


@dataclass
class PindaiReport:
    sheets: list[scan.SheetRead] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """`file: why` for pages where no sheet could be identified."""
    written: dict[str, tuple[int, int]] = field(default_factory=dict)
    """CSV path (relative to the project) -> (rows added, rows replaced)."""

    @property
    def review(self) -> list[str]:
        return [problem for read in self.sheets for problem in read.problems]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.review


def pindai(root: Path, scans: list[Path]) -> PindaiReport:
    """Read every scan, then merge the sheets into `hasil/<bank>.csv`."""
    from bimtek_kit.loader import load_course
    from bimtek_kit.themes import load_theme

    missing = [str(path) for path in scans if not path.is_file()]
    if missing:
        raise UsageError(f"no such file: {missing[0]}")
    course = load_course(root)
    labels = load_theme(course.config.theme, course.root, course.config.language).labels
    papers = _Papers(course, labels)
    report = PindaiReport()
    for path in scans:
        try:
            for page in scan.load_pages(path):
                try:
                    report.sheets.append(scan.read_page(page, papers.layout))
                except scan.SheetUnreadable as error:
                    report.unreadable.append(f"{page.name}: {error}")
        except scan.SheetUnreadable as error:
            report.unreadable.append(str(error))
    _write_results(course, papers, report)
    return report


class _Papers:
    """The papers a sheet code can name, built once each."""

    def __init__(self, course: Course, labels: Labels) -> None:
        from bimtek_kit.render.paper.assessments import printed_banks

        self.course = course
        self.labels = labels
        self.banks = printed_banks(course)
        self._cache: dict[tuple[int, int], Paper] = {}

    def paper(self, bank_index: int, variant_index: int) -> Paper:
        from bimtek_kit.render.paper.answer_sheet import printed_paper

        key = (bank_index, variant_index)
        if key not in self._cache:
            if not 1 <= bank_index <= len(self.banks):
                raise scan.SheetUnreadable(f"kode lembar menunjuk tes ke-{bank_index}, "
                                           "yang tidak ada di content/evaluasi")
            self._cache[key] = printed_paper(self.banks[bank_index - 1], variant_index)
        return self._cache[key]

    def layout(self, bank_index: int, variant_index: int) -> SheetLayout:
        from bimtek_kit.render.paper.answer_sheet import paper_layout

        return paper_layout(self.paper(bank_index, variant_index), self.course, self.labels, 0.0)


def _write_results(course: Course, papers: _Papers, report: PindaiReport) -> None:
    """Merge every read sheet into its bank's CSV; all files are prepared before any write."""
    from bimtek_kit.writer import atomic_write

    by_bank: dict[int, list[scan.SheetRead]] = {}
    for read in report.sheets:
        by_bank.setdefault(read.bank_index, []).append(read)
    prepared: list[tuple[Path, bytes]] = []
    for bank_index, reads in sorted(by_bank.items()):
        bank = papers.banks[bank_index - 1]
        path = course.root / RESULTS_DIR / f"{bank.name}.csv"
        header = ["nip", "paket", *(str(q.number) for q in bank.questions)]
        rows = _existing_rows(path, header, course.root)
        added = replaced = 0
        first: dict[str, str] = {}
        for read in reads:
            if read.nip in first:
                # two sheets of one test with the same NIP: one of them is miscopied
                read.problems.append(f"{read.name}: NIP sama dengan {first[read.nip]}; "
                                     f"baris {first[read.nip]} tertimpa")
            first.setdefault(read.nip, read.name)
            row = _row(read, header)
            replaced += read.nip in rows
            added += read.nip not in rows
            rows[read.nip] = row
        prepared.append((path, _csv_bytes(header, rows.values())))
        report.written[relative_to(path, course.root)] = (added, replaced)
    for path, data in prepared:
        atomic_write(path, data)


def _row(read: scan.SheetRead, header: list[str]) -> list[str]:
    paket = chr(ord("A") + read.variant_index - 1) if read.variant_index else ""
    return [read.nip, paket, *(read.answers.get(int(n), "") for n in header[2:])]


def _existing_rows(path: Path, header: list[str], root: Path) -> dict[str, list[str]]:
    """Rows already in the file, by NIP; a file with other columns is not ours to rewrite."""
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return {}
    if [cell.strip() for cell in rows[0]] != header:
        raise BimtekError(
            f"{relative_to(path, root)}:1: its columns are not nip,paket,1…"
            f"{len(header) - 2} of the bank; pindai will not rewrite it (move it aside first)"
        )
    return {row[0].strip(): [cell.strip() for cell in row] for row in rows[1:] if row}


def _csv_bytes(header: list[str], rows: object) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)  # type: ignore[arg-type]
    return buffer.getvalue().encode("utf-8")
