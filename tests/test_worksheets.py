"""Lembar kerja: every activity, the right number of write-in lines, no keys, whole questions."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from bimtek_kit.loader import load_course
from bimtek_kit.render import get_renderer
from bimtek_kit.render.paper.worksheets import worksheet_html
from conftest import CATATAN_MARKER, KUNCI_MARKER, render_all, render_context

LINE_GREY = (0.498039, 0.498039, 0.498039)
"""theme.yml print.write_line_color (#7F7F7F) as pdfplumber reports it."""


def squash(text: str) -> str:
    """Compare text across line breaks, hyphenation and upper-case labels."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text).casefold()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def write_lines_per_page(data: bytes) -> list[int]:
    """Ruled write-in lines on each page, counted from the drawing, not from the HTML.

    WeasyPrint paints each line's border as an outer and an inner box sharing the same top, so
    one line is one distinct top among the grey boxes.
    """
    counts = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            tops = {round(rect["top"], 1) for rect in page.rects
                    if rect.get("non_stroking_color") == LINE_GREY and rect["width"] > 100}
            counts.append(len(tops))
    return counts


def render(ctx, output_name: str | None = None):
    renderer = get_renderer("worksheets")
    jobs = renderer.jobs(ctx)
    if output_name is None:
        return renderer.run(jobs[0], ctx)[0]
    return render_all(ctx, "worksheets")[output_name]


def test_one_file_per_module_with_activities_and_one_combined(feature_ctx):
    jobs = get_renderer("worksheets").jobs(feature_ctx)
    assert [job.outputs for job in jobs] == [
        ("peserta/lembar-kerja/01-fitur-lengkap.pdf",),  # 02-kedua has no activities: no worksheet
        ("peserta/lembar-kerja.pdf",),
        # The role briefs of its simulasi, for the organisers: laid out per module, joined.
        (".parts/role-cards/01-fitur-lengkap.pdf",),
        (".parts/role-cards/digits.pdf",),
        ("panitia/kartu-peran.pdf",),
    ]
    assert jobs[-1].parts == (jobs[-2].outputs[0], jobs[-3].outputs[0])
    assert jobs[0].modules == ("fitur-lengkap",) and jobs[0].target == "fitur-lengkap"
    assert jobs[1].target == ""


def test_every_activity_appears_and_no_key_or_note(feature_ctx):
    artifact = render(feature_ctx)
    text = pdf_text(artifact.data)
    flat = squash(text)
    module = feature_ctx.course.module("fitur-lengkap")
    for activity in module.activities:
        assert squash(activity.title) in flat
    for label in ("Latihan M1.1", "Studi Kasus M1.2", "Simulasi M1.3", "Diskusi M1.4"):
        assert squash(label) in flat
    for text_part in ("Pertanyaan latihan pertama?", "Narasi kasus loket yang lambat.",
                      "Apa akar masalahnya?", "Apa pengalaman Anda?"):
        assert squash(text_part) in flat
    for field in ("Nama", "NIP", "Jabatan", "Instansi/OPD", "Tanggal"):
        assert field in text
    assert KUNCI_MARKER not in text and CATATAN_MARKER not in text
    assert "Kunci Jawaban" not in text and "Pokok Bahasan Diskusi" not in text
    assert "Waktu: 20 menit" in text
    assert "Bimtek Uji · M1" in text  # footer: short title · module code · page
    assert "Halaman 1" in text


def test_write_in_lines_follow_baris_in_html_and_pdf(feature_ctx):
    module = feature_ctx.course.module("fitur-lengkap")
    html = worksheet_html(feature_ctx, [module])
    questions = html.split('<div class="question">')[1:]
    per_question = [chunk.split("</section>")[0].count('class="wl"') for chunk in questions]
    # latihan: 2 questions x baris=6; studi-kasus: 1 question x default 5; simulasi without
    # questions: observation notes, default 5; diskusi: prompt, baris=3
    assert per_question == [6, 6, 5, 5, 3]
    counts = write_lines_per_page(render(feature_ctx).data)
    assert sum(counts) == 6 + 6 + 5 + 5 + 3
    assert squash("Catatan Pengamatan") in squash(pdf_text(render(feature_ctx).data))


def test_role_briefs_are_organiser_cards_not_on_the_worksheet(feature_ctx):
    worksheet = squash(pdf_text(render(feature_ctx).data))
    assert squash("Peran Warga") in worksheet  # the roles are named…
    assert squash("Anda kecewa.") not in worksheet  # …their briefs are not
    outputs = render_all(feature_ctx, "worksheets")
    cards = outputs["panitia/kartu-peran.pdf"].data
    reader = PdfReader(io.BytesIO(cards))
    text = squash("".join(page.extract_text() for page in reader.pages))
    groups = feature_ctx.course.config.groups
    assert text.count(squash("KARTU PERAN ·")) == 2 * groups
    assert text.count(squash("Anda kecewa.")) == groups
    assert squash(f"KELOMPOK {groups}") in text
    with pdfplumber.open(io.BytesIO(cards)) as pdf:
        frames = sum(len(page.lines) for page in pdf.pages)  # dashed cut frames: four sides
        assert frames == 4 * 2 * groups


def test_no_question_is_split_across_pages(make_project):
    questions = "\n".join(f"{n}. Pertanyaan nomor {n} yang cukup panjang?" for n in range(1, 13))
    module = ("---\ntitle: Modul Panjang\ncode: M1\nduration_jp: 4\nobjectives: [menulis]\n---\n\n"
              f"## Bagian\n\nTeks.\n\n:::: latihan Banyak Soal {{waktu=60 baris=7}}\nKerjakan.\n\n"
              f"{questions}\n::::\n")
    course = load_course(make_project({"content/modules/01-panjang.md": module}))
    data = render(render_context(course)).data
    counts = write_lines_per_page(data)
    assert len(counts) >= 3
    for page_text, lines in zip((p.extract_text() for p in PdfReader(io.BytesIO(data)).pages),
                                counts, strict=True):
        started = len(re.findall(r"Pertanyaan nomor \d+", page_text))
        assert lines == 7 * started, (started, lines)


def test_combined_file_holds_every_module_once(make_project, feature_project):
    course = load_course(feature_project)
    ctx = render_context(course)
    combined = render(ctx, "peserta/lembar-kerja.pdf")
    single = render(ctx, "peserta/lembar-kerja/01-fitur-lengkap.pdf")
    assert pdf_text(combined.data).count("Latihan Pesan Kunci") == \
        pdf_text(single.data).count("Latihan Pesan Kunci")
    assert combined.sources == ("bimtek.yml", "content/modules/01-fitur-lengkap.md")


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("F4", (609.4, 935.4))])
def test_paper_size_follows_the_course(make_project, paper, size):
    config = f"title: Bimtek Uji\npaper: {paper}\n"
    module = ("---\ntitle: Modul\nduration_jp: 1\nobjectives: [a]\n---\n\n## A\n\n"
              ":::: diskusi Bicara\nApa?\n::::\n")
    course = load_course(make_project({"content/modules/01-a.md": module}, config=config))
    box = PdfReader(io.BytesIO(render(render_context(course)).data)).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == size


def test_same_sources_give_the_same_bytes(feature_ctx):
    assert render(feature_ctx).data == render(feature_ctx).data


def test_module_text_is_data_not_a_template(make_project):
    module = ("---\ntitle: Modul {{ 7*7 }}\nduration_jp: 1\nobjectives: [a]\n---\n\n## A\n\n"
              ":::: latihan Soal {{ 6*7 }} {baris=1}\n1. Berapa {{ 5*5 }}?\n::::\n")
    course = load_course(make_project({"content/modules/01-a.md": module}))
    text = pdf_text(render(render_context(course)).data)
    assert "{{ 7*7 }}" in text and "{{ 5*5 }}" in text and "49" not in text
