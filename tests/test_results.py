"""After the training (DESIGN §10): the scannable sheet, pindai, scores, analysis, laporan."""

from __future__ import annotations

import csv
import dataclasses
import random
import shutil
import time
from pathlib import Path

import pytest

import sheetfaker
from bimtek_kit.commands.pindai import pindai
from bimtek_kit.loader import load_course
from bimtek_kit.render.paper.answer_sheet import isian_height, paper_layout
from bimtek_kit.render.paper.assessments import all_papers
from bimtek_kit.results import sheet
from conftest import MINIMAL_CONFIG, render_all, render_context

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


@dataclasses.dataclass
class Printed:
    root: Path
    papers: list
    layouts: list
    origins: list
    pages: list
    pdf: bytes


@pytest.fixture(scope="module")
def printed_once(tmp_path_factory) -> Printed:
    """The project, its four papers (pre/post × paket A/B), their layouts and blank pages;
    laid out once for the module (WeasyPrint takes a while)."""
    root = tmp_path_factory.mktemp("printed") / "proyek"
    for relative, text in {"bimtek.yml": MINIMAL_CONFIG, "content/modules/01-a.md": MODULE,
                           "content/evaluasi/pre-test.yml": bank("Pre-test", 1),
                           "content/evaluasi/post-test.yml": bank("Post-test", 2)}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    ctx = dataclasses.replace(render_context(load_course(root)), variants=2)
    pdf = render_all(ctx, "tests")["panitia/evaluasi/lembar-jawaban.pdf"].data
    papers = all_papers(ctx.course, 2)
    layouts = [paper_layout(p, ctx.course, ctx.theme.labels, isian_height(ctx)) for p in papers]
    return Printed(root, papers, layouts, sheetfaker.frame_origins(pdf),
                   sheetfaker.blank_pages(pdf), pdf)


@pytest.fixture
def printed(printed_once, tmp_path) -> Printed:
    """A copy of the printed project of its own, since pindai writes into hasil/."""
    root = tmp_path / "proyek"
    shutil.copytree(printed_once.root, root)
    return dataclasses.replace(printed_once, root=root)


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
        circles = [((c["x0"] + c["x1"]) / 2 * 25.4 / 72, (c["top"] + c["bottom"]) / 2 * 25.4 / 72)
                   for c in page.curves if abs(c["x1"] - c["x0"] - sheet.BUBBLE * 72 / 25.4) < 0.3]
    # every bubble the reader looks at is printed exactly there (within 0.2 mm)
    left, top = printed.origins[0]
    expected = [b for column in layouts[0].nip_columns for b in column] + \
        [b for row in layouts[0].rows for b in row.bubbles]
    assert len(expected) == 18 * 10 + 10 * 4 + 4 * 2
    assert len(circles) == len(expected) + 4  # and the four examples under "Cara mengisi"
    for bubble in expected:
        assert min(abs(x - left - bubble.x) + abs(y - top - bubble.y) for x, y in circles) < 0.2
    xs = sorted({round(x * 25.4 / 72, 1) for x, _ in marks})
    ys = sorted({round(y * 25.4 / 72, 1) for _, y in marks})
    assert xs[1] - xs[0] == pytest.approx(sheet.FRAME_W - sheet.MARK, abs=0.2)
    assert ys[1] - ys[0] == pytest.approx(sheet.FRAME_H - sheet.MARK, abs=0.2)
    assert "Kode lembar" in text and "Pre-test · Paket A" in text and "NIP" in text


# --- pindai ----------------------------------------------------------------------------------

AMBIGUOUS_EVERY = 7
"""Every 7th sheet gets one double mark and one faint mark, on purpose."""


def make_batch(printed, count: int, folder: Path, seed: int = 19):
    """`count` spoiled JPEG sheets with known content: participant k fills a pre-test sheet
    (sheet 2k + 1) and a post-test sheet (2k + 2), of paket A or B."""
    papers, layouts, origins, pages = printed.papers, printed.layouts, printed.origins, \
        printed.pages
    rng = random.Random(seed)
    truth = {}
    nip = ""
    for i in range(count):
        participant, post = divmod(i, 2)
        index = post * 2 + participant % 2  # papers: pre A, pre B, post A, post B
        layout = layouts[index]
        if not post:
            nip = f"19{rng.randint(70, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
                  f"20{rng.randint(10, 24)}{rng.randint(1, 12):02d}{rng.randint(1, 2)}" \
                  f"{participant + 1:03d}"
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


def expected_score(paper, filled, labels) -> float:
    """The score worked out from what was drawn, straight from the printed paper's key."""
    truth_marks = {"benar": labels.print.true_short, "salah": labels.print.false_short}
    objective = [q for q in paper.questions if q.kind != "isian"]
    right = sum(filled.answers[q.number] == (truth_marks[q.answer] if q.kind == "benar-salah"
                                             else q.answer) for q in objective)
    return round(100 * right / len(objective), 2)


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
    check_laporan_on_scans(root, truth, tmp_path)


def check_laporan_on_scans(root: Path, truth, tmp_path: Path) -> None:
    """A person settles every `?` (here: no valid answer); laporan then scores each sheet as
    worked out independently from the printed key."""
    from bimtek_kit.commands.laporan import laporan

    for name in ("pre-test", "post-test"):
        path = root / "hasil" / f"{name}.csv"
        path.write_text(path.read_text().replace(",?", ",-"))
    report = laporan(root, tmp_path / "out")
    labels = render_context(load_course(root)).theme.labels
    expected: dict[str, dict[str, str]] = {}
    for paper, filled in truth.values():
        score = f"{expected_score(paper, filled, labels):.2f}".replace(".", ",")
        expected.setdefault(filled.nip, {})[paper.bank.name] = score
    rows = (report.out_dir / "rekap-nilai.csv").read_text(encoding="utf-8-sig").splitlines()
    got = {cells[2]: (cells[3], cells[4]) for cells in csv.reader(rows[1:-1])}
    assert got == {nip: (scores.get("pre-test", "-"), scores.get("post-test", "-"))
                   for nip, scores in expected.items()}


def test_pindai_reads_three_spoiled_sheets(printed, tmp_path):
    check_batch(printed, 3, tmp_path)


@pytest.mark.slow
def test_pindai_reads_forty_spoiled_sheets(printed, tmp_path):
    check_batch(printed, 40, tmp_path)


def test_pindai_cli_lists_what_to_check_merges_rescans_and_reads_pdf(printed, tmp_path):
    from PIL import Image
    from typer.testing import CliRunner

    from bimtek_kit.cli import app

    folder = tmp_path / "foto"
    folder.mkdir()
    truth = make_batch(printed, 2, folder)  # one participant; the post-test sheet has a
    # double and a faint mark
    (name1, (_, clean)), (name2, (_, marked)) = sorted(truth.items())
    runner = CliRunner()
    first = runner.invoke(app, ["pindai", "-C", str(printed.root), str(folder / name1),
                                str(folder / name2)])
    assert first.exit_code == 1
    double, faint = (n for n, kind in sorted(marked.ambiguous.items(),
                                             key=lambda item: item[1]))
    assert any(line.startswith(f"{name2}: soal {double}: dua jawaban ditandai (")
               for line in first.output.splitlines())
    assert f"{name2}: soal {faint}: tanda samar (" in first.output
    assert "hasil/pre-test.csv: 1 added, 0 replaced" in first.output
    assert "hasil/post-test.csv: 1 added, 0 replaced" in first.output
    post = (printed.root / "hasil/post-test.csv").read_text().splitlines()
    assert len(post) == 2 and post[1].count("?") == 2
    rows = (printed.root / "hasil/pre-test.csv").read_text().splitlines()
    assert len(rows) == 2 and "?" not in rows[1]
    assert clean.nip not in first.output and marked.nip not in first.output
    # the same sheet again, as a one-page scanned PDF: its row is replaced, not added
    Image.open(folder / name1).save(tmp_path / "scan.pdf", resolution=150)
    again = runner.invoke(app, ["pindai", "-C", str(printed.root), str(tmp_path / "scan.pdf")])
    assert again.exit_code == 0, again.output
    assert "hasil/pre-test.csv: 0 added, 1 replaced" in again.output
    assert (printed.root / "hasil/pre-test.csv").read_text().splitlines() == rows


def test_pindai_names_a_page_without_a_sheet(printed, tmp_path):
    from PIL import Image

    blank = tmp_path / "kosong.png"
    Image.new("L", (800, 1100), 240).save(blank)
    report = pindai(printed.root, [blank])
    assert report.unreadable == ["kosong.png: keempat tanda sudut tidak ditemukan"]
    assert not (printed.root / "hasil").exists()


# --- laporan: a tiny dataset computed by hand ----------------------------------------------------

TINY_BANK = """\
title: {title}
questions:
  - question: Soal satu?
    options: [Satu A, Satu B, Satu C, Satu D]
    answer: A
  - question: Soal dua?
    options: [Dua A, Dua B, Dua C, Dua D]
    answer: B
  - question: Soal tiga?
    options: [Tiga A, Tiga B, Tiga C, Tiga D]
    answer: C
  - question: Soal empat?
    options: [Empat A, Empat B, Empat C, Empat D]
    answer: D
  - type: benar-salah
    question: Pernyataan lima.
    answer: benar
"""

FORM = """\
kind: form
title: Evaluasi Penyelenggaraan
scale: [Sangat Kurang, Kurang, Baik, Sangat Baik]
sections:
  - title: Materi
    items: [Materi jelas., Materi berguna.]
  - title: Sarana
    items: [Ruang nyaman.]
comments: [Saran untuk panitia]
"""

SPEAKER_FORM = """\
kind: form
title: Evaluasi Narasumber
per_module: true
sections:
  - title: Penyajian
    items: [Menguasai materi., Tepat waktu.]
"""

NIPS = ["198501012010011001", "198602022011012002", "198703032012011003",
        "198804042013012004"]

PRE = ("nip,paket,1,2,3,4,5\n"
       f"{NIPS[0]},,A,B,C,D,B\n"     # 5/5 = 100
       f"{NIPS[1]},,A,B,C,A,S\n"     # 3/5 = 60
       f"{NIPS[2]},,A,C,A,A,B\n"     # 2/5 = 40
       f"{NIPS[3]},,B,-,A,A,S\n")    # 0/5 = 0
POST = ("nip,paket,1,2,3,4,5\n"
        f"{NIPS[0]},,A,B,C,D,B\n"    # 100
        f"{NIPS[1]},,A,B,C,D,S\n"    # 80
        f"{NIPS[2]},,A,C,A,A,B\n"    # 40
        f"{NIPS[3]},,A,B,C,D,S\n")   # 80


def tiny_files(**changes: str) -> dict[str, str]:
    files = {
        "content/modules/01-a.md": MODULE.replace("code: M1", "code: M1\nnarasumber: Narasumber "
                                                  "Contoh, S.Sos."),
        "content/evaluasi/pre-test.yml": TINY_BANK.format(title="Pre-test"),
        "content/evaluasi/post-test.yml": TINY_BANK.format(title="Post-test"),
        "content/evaluasi/evaluasi-penyelenggaraan.yml": FORM,
        "content/evaluasi/evaluasi-narasumber.yml": SPEAKER_FORM,
        "hasil/pre-test.csv": PRE,
        "hasil/post-test.csv": POST,
        "hasil/evaluasi-penyelenggaraan.csv": ("1,2,3,komentar1\n4,3,2,Bagus\n3,3,4,\n"
                                                "4,-,3,Lanjutkan\n"),
        "hasil/evaluasi-narasumber.csv": "modul,1,2\na,4,4\nM1,3,4\n",
    }
    files.update(changes)
    return files


def computed(root: Path):
    from bimtek_kit.errors import Diagnostics
    from bimtek_kit.results import analysis
    from bimtek_kit.results.scores import read_results

    ctx = render_context(load_course(root))
    diagnostics = Diagnostics()
    results = read_results(ctx.course, ctx.theme.labels, diagnostics, None)
    assert [str(d) for d in diagnostics] == []
    return ctx, results, analysis


def test_rekap_and_n_gain_match_the_hand_computation(make_project):
    _, results, analysis = computed(make_project(tiny_files()))
    rekap = analysis.rekap(results, None)
    rows = [(r.pre, r.post, r.gain, r.n_gain, r.category) for r in rekap.rows]
    assert rows == [(100, 100, 0, None, "-"),
                    (60, 80, 20, 0.5, "sedang"),
                    (40, 40, 0, 0.0, "rendah"),
                    (0, 80, 80, 0.8, "tinggi")]
    assert (rekap.mean_pre, rekap.mean_post, rekap.class_n_gain) == (50, 75, 0.5)
    assert rekap.counts() == {"tinggi": 1, "sedang": 1, "rendah": 1}
    assert analysis.gain_category(0.7) == "tinggi" and analysis.gain_category(0.3) == "sedang"


def test_item_analysis_matches_the_hand_computation(make_project):
    root = make_project(tiny_files())
    _, results, analysis = computed(root)
    items = {i.number: i for i in analysis.item_analysis(results.tests["post-test"])}
    # upper 27 % of 4 = 1 participant (100), lower = 1 (40); ties by row order
    assert [(i.difficulty, i.discrimination) for i in items.values()] == [
        (1.0, 0.0), (0.75, 1.0), (0.75, 1.0), (0.75, 1.0), (0.5, 0.0)]
    assert [items[n].unused for n in range(1, 6)] == [
        ("B", "C", "D"), ("A", "D"), ("B", "D"), ("B", "C"), ()]
    bank_lines = (root / "content/evaluasi/post-test.yml").read_text().splitlines()
    line = bank_lines.index("  - question: Soal dua?") + 1
    assert items[2].loc == f"content/evaluasi/post-test.yml:{line}"
    assert items[1].difficulty_label == "mudah" and items[5].discrimination_label == "jelek"


def test_evaluation_summary_per_aspect_and_narasumber(make_project):
    ctx, results, analysis = computed(make_project(tiny_files()))
    aspects = analysis.per_aspect(results.forms["evaluasi-penyelenggaraan"])
    # class intervals of width 0.75 on 1–4: 3.4 is above 3.25 (Sangat Baik), 3.0 is Baik
    assert [(r.label, r.mean, r.count, r.scale_label) for r in aspects] == [
        ("Materi", 3.4, 5, "Sangat Baik"), ("Sarana", 3.0, 3, "Baik")]
    form = results.forms["evaluasi-penyelenggaraan"].form
    assert [analysis.scale_label(form, v) for v in (1.0, 1.74, 1.76, 2.5, 3.25, 4.0)] == [
        "Sangat Kurang", "Sangat Kurang", "Kurang", "Baik", "Sangat Baik", "Sangat Baik"]
    statements = analysis.per_statement(results.forms["evaluasi-narasumber"])
    assert [(r.label, r.mean) for r in statements] == [("Menguasai materi.", 3.5),
                                                        ("Tepat waktu.", 4.0)]
    speakers = analysis.per_narasumber(results.forms["evaluasi-narasumber"], ctx.course)
    assert [(r.label, r.mean, r.scale_label) for r in speakers] == [
        ("Narasumber Contoh, S.Sos.", 3.75, "Sangat Baik")]
    assert analysis.comments(results.forms["evaluasi-penyelenggaraan"]) == [
        ("Saran untuk panitia", ["Bagus", "Lanjutkan"])]


def test_laporan_writes_docx_pdf_csv_and_charts_under_panitia(make_project, tmp_path):
    import io

    import docx
    import pdfplumber

    from bimtek_kit.commands.laporan import laporan

    root = make_project(tiny_files())
    report = laporan(root, tmp_path / "out")
    folder = tmp_path / "out" / "bimtek-uji" / "panitia" / "laporan"
    assert report.out_dir == folder.resolve()
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        "analisis-butir.csv", "grafik-aspek-evaluasi-penyelenggaraan.png", "grafik-n-gain.png",
        "grafik-nilai.png", "laporan-pelaksanaan.docx", "laporan-pelaksanaan.pdf",
        "rekap-nilai.csv", "ringkasan-evaluasi.csv"])
    rekap = (folder / "rekap-nilai.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rekap[2] == f"2,,{NIPS[1]},\"60,00\",\"80,00\",\"20,00\",\"0,50\",sedang"
    assert rekap[-1].startswith(",rata-rata kelas,,\"50,00\",\"75,00\",,\"0,50\",sedang")
    document = docx.Document(str(folder / "laporan-pelaksanaan.docx"))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert ("Heading 1", "BAB I PENDAHULUAN") in headings
    assert ("Heading 1", "BAB III HASIL PELAKSANAAN") in headings
    assert ("Heading 2", "A. Hasil Pre-test dan Post-test") in headings
    assert ("Heading 3", "Saran untuk panitia") in headings
    assert len(document.tables) >= 5 and len(document.inline_shapes) == 3
    last = document.tables[-1]
    assert [c.text for c in last.rows[0].cells][:3] == ["No.", "Nama", "NIP"]
    with pdfplumber.open(io.BytesIO((folder / "laporan-pelaksanaan.pdf").read_bytes())) as pdf:
        text = " ".join((page.extract_text() or "").replace("\n", " ") for page in pdf.pages)
    for expected in ("BAB II PELAKSANAAN", "N-gain kelas (Hake) 0,50, kategori sedang",
                     "Narasumber Contoh, S.Sos.", "Lanjutkan", "LAMPIRAN"):
        assert expected in text
    assert not (root / "dist").exists()
    again = laporan(root, tmp_path / "again")
    for name in report.files:  # same results, same bytes
        assert (again.out_dir / name).read_bytes() == (folder / name).read_bytes(), name


@pytest.mark.slow
@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="no LibreOffice")
def test_laporan_docx_converts_in_libreoffice(make_project, tmp_path):
    import subprocess

    import pdfplumber

    from bimtek_kit.commands.laporan import laporan

    report = laporan(make_project(tiny_files()), tmp_path / "out")
    docx_path = report.out_dir / "laporan-pelaksanaan.docx"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo-pdf"),
                    str(docx_path)], check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "lo-pdf" / "laporan-pelaksanaan.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert len(pdf.pages) >= 4
    assert "BAB III HASIL PELAKSANAAN" in text and "Rekap nilai peserta" in text


BAD_INPUT = [
    ("unknown NIP", {"content/peserta.csv": "nama,nip\n" + "".join(
        f"Peserta {i},{nip}\n" for i, nip in enumerate(NIPS[:3]))},
     "hasil/post-test.csv:5:nip: unknown NIP: not in the roster (content/peserta.csv)"),
    ("letter outside A–D", {"hasil/post-test.csv": POST.replace("A,B,C,D,S\n", "A,B,E,D,S\n", 1)},
     "hasil/post-test.csv:3:3: 'E' is not an option of question 3 (A–D, or - for none)"),
    ("missing column", {"hasil/pre-test.csv": PRE.replace(",5\n", "\n", 1)},
     "hasil/pre-test.csv:1: missing column '5'"),
    ("post-test without pre-test", {"hasil/pre-test.csv": "\n".join(PRE.splitlines()[:4]) + "\n"},
     "hasil/post-test.csv:5:nip: no pre-test result for this participant in hasil/pre-test.csv"),
    ("unread bubble", {"hasil/pre-test.csv": PRE.replace(",B,-,A,A,S", ",B,?,A,A,S")},
     "hasil/pre-test.csv:5:2: '?' is an answer pindai could not read; check the sheet and "
     "write the letter (or - for none)"),
    ("rating outside the scale", {"hasil/evaluasi-narasumber.csv": "modul,1,2\na,5,4\n"},
     "hasil/evaluasi-narasumber.csv:2:1: expected a rating 1–4 (Sangat Kurang … Sangat Baik), "
     "got '5'"),
]


@pytest.mark.parametrize(("case", "changes", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_results_are_located_and_nothing_is_written(make_project, tmp_path, case, changes,
                                                        message):
    from typer.testing import CliRunner

    from bimtek_kit.cli import app

    root = make_project(tiny_files(**changes))
    old = tmp_path / "out" / "bimtek-uji" / "panitia" / "laporan" / "rekap-nilai.csv"
    old.parent.mkdir(parents=True)
    old.write_text("laporan sebelumnya\n")
    result = CliRunner().invoke(app, ["laporan", "-C", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert message in result.output.splitlines()
    assert "Traceback" not in result.output
    assert sorted(p.name for p in old.parent.iterdir()) == ["rekap-nilai.csv"]
    assert old.read_text() == "laporan sebelumnya\n"
    for nip in NIPS:
        assert nip not in result.output


def test_scores_typed_by_hand_need_no_answers(make_project):
    pre = "nip;skor\n" + "".join(f"{nip};{score}\n" for nip, score in zip(
        NIPS, ["100", "60", "40", "0"], strict=True))
    root = make_project(tiny_files(**{"hasil/pre-test.csv": "\ufeff" + pre}))
    _, results, analysis = computed(root)
    rekap = analysis.rekap(results, None)
    assert [(r.pre, r.post) for r in rekap.rows] == [(100, 100), (60, 80), (40, 40), (0, 80)]
    assert results.tests["pre-test"].scored == ()
    assert list(analysis.item_analysis(results.tests["post-test"]))


def test_pindai_leaves_a_foreign_csv_alone(printed, tmp_path):
    from bimtek_kit.errors import BimtekError

    folder = tmp_path / "foto"
    folder.mkdir()
    make_batch(printed, 1, folder)
    target = printed.root / "hasil" / "pre-test.csv"
    target.parent.mkdir()
    target.write_text("nip,skor\n198501012010011001,80\n")
    with pytest.raises(BimtekError, match=r"^hasil/pre-test.csv:1: its columns are not"):
        pindai(printed.root, [folder / "lembar-01.jpg"])
    assert target.read_text() == "nip,skor\n198501012010011001,80\n"


def test_pindai_reads_a_sheet_upside_down_sideways_and_from_a_large_photo(printed, tmp_path):
    from PIL import Image

    folder = tmp_path / "foto"
    folder.mkdir()
    ((name, (_, filled)),) = make_batch(printed, 1, folder).items()
    photo = Image.open(folder / name)
    turned = {"terbalik.jpg": photo.rotate(180, expand=True),
              "miring.jpg": photo.rotate(90, expand=True),
              "besar.jpg": photo.resize((photo.width * 3, photo.height * 3))}
    for file_name, image in turned.items():
        image.save(folder / file_name, quality=90)
    report = pindai(printed.root, [folder / n for n in turned])
    assert report.unreadable == []
    assert report.review == [  # three photos of one sheet: the same NIP is flagged
        f"{n}: NIP sama dengan terbalik.jpg; baris terbalik.jpg tertimpa"
        for n in ("miring.jpg", "besar.jpg")]
    assert [(r.nip, r.answers) for r in report.sheets] == [(filled.nip, filled.answers)] * 3


def test_rekap_follows_the_roster_and_shows_names(make_project, tmp_path):
    from bimtek_kit.commands.laporan import laporan

    roster = "nama,nip\n" + "".join(f"Peserta Contoh {i},{nip}\n"
                                    for i, nip in reversed(list(enumerate(NIPS, start=1))))
    report = laporan(make_project(tiny_files(**{"content/peserta.csv": roster})), tmp_path)
    rows = (report.out_dir / "rekap-nilai.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [row.split(",")[:3] for row in rows[1:5]] == [
        ["1", "Peserta Contoh 4", NIPS[3]], ["2", "Peserta Contoh 3", NIPS[2]],
        ["3", "Peserta Contoh 2", NIPS[1]], ["4", "Peserta Contoh 1", NIPS[0]]]


def test_sheet_layout_moves_long_short_answers_to_a_second_page_and_refuses_too_many():
    code = sheet.encode_code(1, 0)
    spots = [sheet.QuestionSpot(n, ("A", "B", "C", "D")) for n in range(1, 17)]
    written = [sheet.QuestionSpot(n, ()) for n in range(17, 19)]
    fits = sheet.layout_sheet([("A", "pilihan-ganda", spots), ("B", "isian", written)], code, 25)
    assert fits.isian is not None and fits.isian.inside and fits.isian.numbers == (17, 18)
    many = [sheet.QuestionSpot(n, ()) for n in range(17, 27)]
    apart = sheet.layout_sheet([("A", "pilihan-ganda", spots), ("B", "isian", many)], code, 25)
    assert apart.isian is not None and not apart.isian.inside
    rows = [row.y for row in fits.rows]
    assert max(rows) + sheet.BUBBLE / 2 <= sheet.BOTTOM_LIMIT
    too_many = [sheet.QuestionSpot(n, ("A", "B", "C", "D"))
                for n in range(1, sheet.capacity() + 2)]
    with pytest.raises(sheet.SheetOverflow, match=rf"at most {sheet.capacity()} per sheet"):
        sheet.layout_sheet([("A", "pilihan-ganda", too_many)], code, 25)
    exactly = too_many[:-1]
    layout = sheet.layout_sheet([("A", "pilihan-ganda", exactly)], code, 25)
    assert max(row.y for row in layout.rows) + sheet.BUBBLE / 2 <= sheet.BOTTOM_LIMIT


def test_laporan_speaks_the_course_language(make_project, tmp_path):
    import docx

    from bimtek_kit.commands.laporan import laporan
    from conftest import MINIMAL_CONFIG

    def english(text: str) -> str:  # benar–salah is T/F in English
        return text.replace(",B\n", ",T\n").replace(",S\n", ",F\n")

    root = make_project(tiny_files(**{"hasil/pre-test.csv": english(PRE),
                                      "hasil/post-test.csv": english(POST)}),
                        config=MINIMAL_CONFIG.replace("language: id", "language: en"))
    report = laporan(root, tmp_path)
    assert report.out_dir == (tmp_path / "bimtek-uji" / "organisers" / "laporan").resolve()
    document = docx.Document(str(report.out_dir / "laporan-pelaksanaan.docx"))
    texts = [p.text for p in document.paragraphs]
    assert "CHAPTER III RESULTS" in texts and "A. Pre-test and Post-test Results" in texts
    assert any(t.startswith("Mean pre-test score 50.00, mean post-test score 75.00. Class "
                            "N-gain (Hake) 0.50, category medium.") for t in texts)
    assert "Figure 1. Pre-test and post-test score per participant (dashed: means)" in texts


def test_build_keeps_the_laporan_and_does_not_zip_it(make_project, tmp_path):
    import zipfile

    from bimtek_kit.commands.build import BuildOptions, build
    from bimtek_kit.commands.laporan import laporan

    root = make_project(tiny_files())
    report = laporan(root, tmp_path)  # before any build, then a build, then another
    built = build(BuildOptions(root, tmp_path, only=["tests"], jobs=1, zip=True))
    assert (built.out_dir / "panitia" / "evaluasi" / "lembar-jawaban.pdf").is_file()
    build(BuildOptions(root, tmp_path, only=["tests"], jobs=1, clean=True))
    assert sorted(p.name for p in report.out_dir.iterdir()) == sorted(report.files)
    for archive in built.zip_paths:
        with zipfile.ZipFile(archive) as packed:
            assert not [n for n in packed.namelist() if "/laporan/" in n]


def test_laporan_waits_for_a_build_holding_the_output_folder(make_project, tmp_path,
                                                             monkeypatch):
    """A build switching the package in one rename would drop a report written meanwhile."""
    import fcntl
    import os
    import threading

    from bimtek_kit import outfolder
    from bimtek_kit.commands.laporan import laporan

    root = make_project(tiny_files())
    out = tmp_path / "out"
    out.mkdir()
    asking, real_acquire = threading.Event(), outfolder._acquire

    def acquire(*args, **kwargs):  # noqa: ANN002, ANN003
        asking.set()
        return real_acquire(*args, **kwargs)

    monkeypatch.setattr(outfolder, "_acquire", acquire)
    holder = os.open(out, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # what `bimtek build` holds while it writes
    worker = threading.Thread(target=laporan, args=(root, out))
    worker.start()
    try:
        assert asking.wait(timeout=120)  # rendered, now asking for the lock
        worker.join(timeout=1.5)
        assert worker.is_alive()
        assert not (out / "bimtek-uji").exists()
    finally:
        os.close(holder)
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert (out / "bimtek-uji" / "panitia" / "laporan" / "rekap-nilai.csv").is_file()
