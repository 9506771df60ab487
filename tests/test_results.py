"""After the training (DESIGN §10): the scannable sheet, pindai, scores, analysis, laporan."""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path

import pytest

import sheetfaker
from bimtek_kit.commands.pindai import pindai
from bimtek_kit.loader import load_course
from bimtek_kit.render.paper.answer_sheet import isian_height, paper_layout
from bimtek_kit.render.paper.assessments import all_papers
from bimtek_kit.results import sheet
from conftest import render_all, render_context

MODULE = """\
---
id: a
title: Modul A
code: M1
duration_jp: 2
objectives: [memahami A]
---

## Bagian

Teks.
"""


def bank(title: str, seed: int) -> str:
    """10 multiple-choice, 4 true/false and 1 short-answer question."""
    rng = random.Random(seed)
    lines = [f"title: {title}", "questions:"]
    for n in range(1, 11):
        lines += [f"  - question: {title} soal pilihan {n}?",
                  f"    options: [Opsi {n}a, Opsi {n}b, Opsi {n}c, Opsi {n}d]",
                  f"    answer: {rng.choice('ABCD')}"]
    for n in range(1, 5):
        lines += [f"  - type: benar-salah\n    question: {title} pernyataan {n}.",
                  f"    answer: {rng.choice(['benar', 'salah'])}"]
    lines += ["  - type: isian\n    question: Sebutkan satu hal.\n    answer: Satu hal."]
    return "\n".join(lines) + "\n"


@pytest.fixture
def results_project(make_project) -> Path:
    return make_project({"content/modules/01-a.md": MODULE,
                         "content/evaluasi/pre-test.yml": bank("Pre-test", 1),
                         "content/evaluasi/post-test.yml": bank("Post-test", 2)})


@pytest.fixture
def printed(results_project):
    """The project, its four papers (pre/post × paket A/B), their layouts and blank pages."""
    ctx = dataclasses.replace(render_context(load_course(results_project)), variants=2)
    pdf = render_all(ctx, "tests")["evaluasi/lembar-jawaban.pdf"].data
    papers = all_papers(ctx.course, 2)
    layouts = [paper_layout(p, ctx.course, ctx.theme.labels, isian_height(ctx)) for p in papers]
    return Printed(results_project, papers, layouts, sheetfaker.frame_origins(pdf),
                   sheetfaker.blank_pages(pdf), pdf)


@dataclasses.dataclass
class Printed:
    root: Path
    papers: list
    layouts: list
    origins: list
    pages: list
    pdf: bytes


# --- the printed sheet -----------------------------------------------------------------------


def test_sheet_code_round_trips_and_rejects_a_flipped_cell():
    for bank_index in range(1, 16):
        for variant in range(0, 7):
            cells = sheet.encode_code(bank_index, variant)
            assert sheet.decode_code(cells) == (bank_index, variant)
            for i in range(1, len(cells) - 1):
                flipped = list(cells)
                flipped[i] = not flipped[i]
                assert sheet.decode_code(flipped) is None


def test_printed_marks_sit_where_the_geometry_says(printed):
    """The corner marks in the PDF are the frame corners of results.sheet (same distances)."""
    import io

    import pdfplumber

    papers, layouts = printed.papers, printed.layouts
    assert len(papers) == len(printed.origins) == 4
    assert [(p.bank.name, p.variant) for p in papers] == [
        ("pre-test", "A"), ("pre-test", "B"), ("post-test", "A"), ("post-test", "B")]
    assert layouts[0].isian is not None and layouts[0].isian.inside
    with pdfplumber.open(io.BytesIO(printed.pdf)) as document:
        page = document.pages[0]
        marks = sorted((r["x0"], r["top"]) for r in page.rects
                       if abs(r["width"] - sheet.MARK * 72 / 25.4) < 0.5)
        text = page.extract_text()
    xs = sorted({round(x * 25.4 / 72, 1) for x, _ in marks})
    ys = sorted({round(y * 25.4 / 72, 1) for _, y in marks})
    assert xs[1] - xs[0] == pytest.approx(sheet.FRAME_W - sheet.MARK, abs=0.2)
    assert ys[1] - ys[0] == pytest.approx(sheet.FRAME_H - sheet.MARK, abs=0.2)
    assert "Kode lembar" in text and "Pre-test · Paket A" in text and "NIP" in text


# --- pindai ----------------------------------------------------------------------------------

AMBIGUOUS_EVERY = 7
"""Every 7th sheet gets one double mark and one faint mark, on purpose."""


def make_batch(printed, count: int, folder: Path, seed: int = 19):
    """`count` spoiled JPEG sheets with known content, cycling through the four papers."""
    papers, layouts, origins, pages = printed.papers, printed.layouts, printed.origins, \
        printed.pages
    rng = random.Random(seed)
    truth = {}
    for i in range(count):
        index = i % len(papers)
        layout = layouts[index]
        nip = f"19{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
              f"20{rng.randint(10, 24)}{rng.randint(1, 12):02d}{rng.randint(1, 2)}" \
              f"{rng.randint(1, 999):03d}"
        answers = {row.number: rng.choice([b.value for b in row.bubbles] + ["-"])
                   for row in layout.rows}
        filled = sheetfaker.Filled(nip, answers)
        if i % AMBIGUOUS_EVERY == 1:
            double, faint = rng.sample(sorted(answers), 2)
            filled.ambiguous = {double: "double", faint: "faint"}
            answers[double] = answers[faint] = "?"
        image = sheetfaker.fill(pages[index], origins[index], layout, filled, rng)
        path = folder / f"lembar-{i + 1:02d}.jpg"
        sheetfaker.save_jpeg(sheetfaker.spoil(image, rng), path)
        truth[path.name] = (papers[index], filled)
    return truth


def check_batch(printed, count: int, tmp_path: Path) -> None:
    root = printed.root
    folder = tmp_path / "foto"
    folder.mkdir()
    truth = make_batch(printed, count, folder)
    started = time.perf_counter()
    report = pindai(root, sorted(folder.glob("*.jpg")))
    seconds = (time.perf_counter() - started) / count
    assert report.unreadable == []
    read = {r.name: r for r in report.sheets}
    bubbles = right = 0
    expected_review = set()
    for name, (paper, filled) in truth.items():
        got = read[name]
        assert (got.bank_index, got.variant_index) == (
            1 if paper.bank.name == "pre-test" else 2, ord(paper.variant) - 64)
        assert got.nip == filled.nip
        for number, value in filled.answers.items():
            bubbles += 1
            right += got.answers[number] == value
        expected_review |= {(name, n) for n in filled.ambiguous}
    flagged = {(line.split(":")[0], int(line.split(":")[1].split()[1]))
               for line in report.review if ": soal " in line}
    print(f"\npindai: {right}/{bubbles} answers right, {len(flagged)} flagged, "
          f"{seconds:.2f} s per sheet")
    assert right == bubbles
    assert flagged == expected_review
    assert all("NIP" not in line for line in report.review)
    csv_pre = (root / "hasil" / "pre-test.csv").read_text(encoding="utf-8").splitlines()
    assert csv_pre[0] == "nip,paket," + ",".join(str(n) for n in range(1, 16))
    assert len(csv_pre) == 1 + sum(1 for p, _ in truth.values() if p.bank.name == "pre-test")


def test_pindai_reads_three_spoiled_sheets(printed, tmp_path):
    check_batch(printed, 3, tmp_path)


@pytest.mark.slow
def test_pindai_reads_forty_spoiled_sheets(printed, tmp_path):
    check_batch(printed, 40, tmp_path)
