"""Test sheets, the answer sheet, shuffled paket A/B and the evaluation forms."""

from __future__ import annotations

import dataclasses
import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from bimtek_kit.loader import load_course
from bimtek_kit.render import get_renderer
from bimtek_kit.render.paper.assessments import papers_for, printed_banks
from conftest import BANK, CATATAN_MARKER, KUNCI_MARKER, render_context
from conftest import render_all as render_kind

BLACK = (0.0, 0.0, 0.0)


def squash(text: str) -> str:
    """Compare text across line breaks, hyphenation and upper-case labels."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text).casefold()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def tick_boxes(data: bytes) -> int:
    """Square black frames 3.8 mm + border wide: the CSS-drawn tick boxes (outer edge only)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(
            1 for page in pdf.pages for rect in page.rects
            if rect.get("non_stroking_color") == BLACK and 12.3 < rect["width"] < 12.9
            and abs(rect["width"] - rect["height"]) < 0.1
        )


def render_all(ctx, kind: str = "tests") -> dict[str, bytes]:
    return {path: a.data for path, a in render_kind(ctx, kind).items()}


def many_questions(count: int = 8) -> str:
    lines = ["title: Pre-test", "instructions: Kerjakan dengan jujur.", "questions:"]
    for n in range(1, count + 1):
        lines += [f"  - question: Soal acak nomor {n}?",
                  f"    options: [Pilihan {n}a, Pilihan {n}b, Pilihan {n}c, Pilihan {n}d]",
                  "    answer: B",
                  f"    explanation: Alasan rahasia {n}."]
    return "\n".join(lines) + "\n"


MODULE = "---\ntitle: Modul\nduration_jp: 1\nobjectives: [a]\n---\n\n## A\n\nTeks.\n"


def test_files_are_named_per_design(feature_ctx):
    outputs = [job.outputs for job in get_renderer("tests").jobs(feature_ctx)]
    assert outputs == [("panitia/evaluasi/pre-test.pdf",), ("panitia/evaluasi/lembar-jawaban.pdf",)]


def test_every_question_is_on_the_sheet_and_no_answer_is(feature_ctx):
    files = render_all(feature_ctx)
    text = pdf_text(files["panitia/evaluasi/pre-test.pdf"])
    flat = squash(text)
    bank = feature_ctx.course.banks[0]
    for question in bank.questions:
        assert squash(question.text) in flat
        for option in question.options:
            assert squash(option) in flat
    assert squash("Pilihlah satu jawaban yang paling tepat.") in flat  # the bank's instructions
    for secret in ("Penjelasan untuk fasilitator.", "Jawaban model isian.", "Kunci", "Pembahasan",
                   "Nilai", "Skor", KUNCI_MARKER, CATATAN_MARKER):
        assert squash(secret) not in flat, secret
    for field in ("Nama", "NIP", "Instansi", "Tanggal"):
        assert field in text
    assert "A. Pilihan Ganda" in text and "B. Benar–Salah" in text and "C. Isian Singkat" in text
    # Four options + Benar/Salah, each with a drawn tick box (no glyph that a font may lack).
    assert tick_boxes(files["panitia/evaluasi/pre-test.pdf"]) == 4 + 2


def test_answer_sheet_has_a_bubble_grid_and_no_answers(feature_ctx):
    # the scannable geometry (marks, NIP bubbles, code) is tested in test_results.py
    data = render_all(feature_ctx)["panitia/evaluasi/lembar-jawaban.pdf"]
    text = pdf_text(data)
    assert "LEMBAR JAWABAN" in text and "Pre-test" in text
    assert re.search(r"1\.\s*A\s*B\s*C\s*D", text)
    assert re.search(r"2\.\s*B\s*S", text)
    for secret in ("Opsi tiga", "Penjelasan", "Jawaban model", "Soal pilihan ganda pertama"):
        assert secret not in text
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_formative_banks_are_not_test_sheets(make_project):
    formative = BANK.replace("title: Pre-test", "title: Soal Formatif")
    root = make_project({"content/modules/01-a.md": MODULE,
                         "content/evaluasi/pre-test.yml": BANK.replace("fitur-lengkap", "a")
                         .replace("kedua", "a"),
                         "content/evaluasi/formatif.yml": formative.replace("fitur-lengkap", "a")
                         .replace("kedua", "a")})
    ctx = render_context(load_course(root))
    assert [bank.name for bank in printed_banks(ctx.course)] == ["pre-test"]
    assert "panitia/evaluasi/formatif.pdf" not in render_all(ctx)


def test_pre_test_comes_before_post_test(make_project):
    post = BANK.replace("title: Pre-test", "title: Post-test")
    root = make_project({"content/modules/01-fitur-lengkap.md": MODULE,
                         "content/modules/02-kedua.md": MODULE,
                         "content/evaluasi/post-test.yml": post,
                         "content/evaluasi/pre-test.yml": BANK})
    ctx = render_context(load_course(root))
    assert [b.name for b in printed_banks(ctx.course)] == ["pre-test", "post-test"]
    sheet = pdf_text(render_all(ctx)["panitia/evaluasi/lembar-jawaban.pdf"])
    assert sheet.index("Pre-test") < sheet.index("Post-test")


@pytest.fixture
def shuffled_ctx(make_project):
    root = make_project({"content/modules/01-a.md": MODULE,
                         "content/evaluasi/pre-test.yml": many_questions()})
    return dataclasses.replace(render_context(load_course(root)), variants=2)


def test_variants_write_paket_a_and_b_deterministically(shuffled_ctx):
    first, second = render_all(shuffled_ctx), render_all(shuffled_ctx)
    assert sorted(first) == ["panitia/evaluasi/lembar-jawaban.pdf",
                             "panitia/evaluasi/pre-test-paket-a.pdf",
                             "panitia/evaluasi/pre-test-paket-b.pdf"]
    assert first == second  # same bytes every time
    sheet = pdf_text(first["panitia/evaluasi/lembar-jawaban.pdf"])
    assert "Pre-test · Paket A" in sheet and "Pre-test · Paket B" in sheet
    assert len(PdfReader(io.BytesIO(first["panitia/evaluasi/lembar-jawaban.pdf"])).pages) == 2
    order = {}
    for name in ("panitia/evaluasi/pre-test-paket-a.pdf", "panitia/evaluasi/pre-test-paket-b.pdf"):
        text = pdf_text(first[name])
        order[name] = re.findall(r"Soal acak nomor (\d+)", text)
        assert sorted(order[name], key=int) == [str(n) for n in range(1, 9)]
        assert "Alasan rahasia" not in text
    paket_a, paket_b = (f"panitia/evaluasi/pre-test-paket-{x}.pdf" for x in "ab")
    assert order[paket_a] != order[paket_b]


def test_shuffled_keys_still_point_at_the_right_option(shuffled_ctx):
    bank = shuffled_ctx.course.banks[0]
    papers = papers_for(bank, 2)
    assert [p.variant for p in papers] == ["A", "B"]
    for paper in papers:
        assert [q.number for q in paper.questions] == list(range(1, 9))
        for question in paper.questions:
            original = question.question
            chosen = question.options[ord(question.answer) - ord("A")]
            assert chosen == original.options[original.answer_index]
            assert sorted(question.options) == sorted(original.options)
    assert papers == papers_for(bank, 2)


def test_test_sheet_bytes_are_reproducible(feature_ctx):
    renderer = get_renderer("tests")
    job = renderer.jobs(feature_ctx)[0]
    assert renderer.run(job, feature_ctx) == renderer.run(job, feature_ctx)


# --- evaluation forms -------------------------------------------------------------------------


def test_built_in_forms_when_the_course_has_none(feature_ctx):
    files = render_all(feature_ctx, "forms")
    assert sorted(files) == ["panitia/evaluasi/evaluasi-narasumber.pdf",
                             "panitia/evaluasi/evaluasi-penyelenggaraan.pdf"]
    per_module = PdfReader(io.BytesIO(files["panitia/evaluasi/evaluasi-narasumber.pdf"]))
    assert len(per_module.pages) == len(feature_ctx.course.modules)  # one page per module
    first = per_module.pages[0].extract_text()
    assert "M1 · Modul Semua Fitur" in first and "Narasumber" in first
    assert "M2 · Modul Kedua" in per_module.pages[1].extract_text()
    for data in files.values():
        text = pdf_text(data)
        assert squash("Sangat Kurang") in squash(text) and squash("Sangat Baik") in squash(text)
        assert "Saran dan Masukan" in text
        assert KUNCI_MARKER not in text and CATATAN_MARKER not in text
    # Every Likert row has a tick box under each of the four scale points.
    assert tick_boxes(files["panitia/evaluasi/evaluasi-penyelenggaraan.pdf"]) % 4 == 0


def test_course_forms_replace_the_built_in_set(make_project):
    form = ("kind: form\ntitle: Evaluasi Kegiatan\nscale: [Kurang, Cukup, Baik]\n"
            "sections:\n  - title: Umum\n    items: [Materi bermanfaat, Waktu cukup]\n"
            "comments: [Saran Anda]\n")
    root = make_project({"content/modules/01-a.md": MODULE,
                         "content/evaluasi/evaluasi-kegiatan.yml": form})
    files = render_all(render_context(load_course(root)), "forms")
    assert list(files) == ["panitia/evaluasi/evaluasi-kegiatan.pdf"]
    text = pdf_text(files["panitia/evaluasi/evaluasi-kegiatan.pdf"])
    assert "Materi bermanfaat" in text and "Saran Anda" in text and "Cukup" in text
    assert tick_boxes(files["panitia/evaluasi/evaluasi-kegiatan.pdf"]) == 2 * 3


def test_english_course_gets_english_forms_and_file_names(make_project):
    root = make_project({"content/modules/01-a.md": MODULE},
                        config="title: Training\nlanguage: en\n")
    files = render_all(render_context(load_course(root)), "forms")
    assert sorted(files) == ["organisers/evaluation/facilitator-evaluation.pdf",
                             "organisers/evaluation/training-evaluation.pdf"]
    training = files["organisers/evaluation/training-evaluation.pdf"]
    assert squash("Very Good") in squash(pdf_text(training))


def test_options_that_point_at_other_options_keep_their_order(make_project):
    bank = ("title: Pre-test\nquestions:\n"
            "  - question: Mana yang benar?\n"
            "    options: [Satu, Dua, A dan B benar, Semua jawaban salah]\n    answer: C\n"
            "  - question: Soal biasa?\n    options: [P1, P2, P3, P4]\n    answer: A\n")
    root = make_project({"content/modules/01-a.md": MODULE, "content/evaluasi/pre-test.yml": bank})
    course = load_course(root)
    for paper in papers_for(course.banks[0], 2):
        fixed = next(q for q in paper.questions if q.text == "Mana yang benar?")
        assert fixed.options == ("Satu", "Dua", "A dan B benar", "Semua jawaban salah")
        assert fixed.answer == "C"
