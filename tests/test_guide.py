"""Facilitator guide: notes, keys and time plans; plus one build of the default course."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from bimtek_kit.cli import app
from bimtek_kit.loader import load_course
from bimtek_kit.render.paper.guide import guide_module
from bimtek_kit.render.pdf.printing import PAPER_MM
from conftest import (
    BANK,
    CATATAN_MARKER,
    KUNCI_MARKER,
    REPO,
    page_links,
    render_all,
    render_context,
)

PRINT_KINDS = "worksheets,tests,forms,guide,schedule"


def squash(text: str) -> str:
    """Compare text across line breaks, hyphenation and upper-case labels."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text).casefold()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def guide_pdf(ctx) -> bytes:
    return render_all(ctx, "guide")["fasilitator/panduan-fasilitator.pdf"].data


def test_guide_has_notes_keys_and_pointers(feature_ctx):
    text = pdf_text(guide_pdf(feature_ctx))
    flat = squash(text)
    assert CATATAN_MARKER in text
    assert text.count(KUNCI_MARKER) == 4  # latihan, studi kasus, simulasi, diskusi
    assert squash("Kunci Jawaban") in flat  # latihan key label
    assert squash("Pokok Bahasan Diskusi") in flat  # case study / role-play / discussion
    assert squash("Catatan Fasilitator") in flat
    for objective in ("menjelaskan fitur pertama", "menerapkan fitur kedua"):
        assert squash(objective) in flat
    assert "4 JP (180 menit)" in text and "2 JP (90 menit)" in text
    assert squash("ceramah, diskusi") in flat and squash("bahan tayang") in flat


def page_texts(data: bytes) -> list[str]:
    """Each page's text as pdfplumber reads it, whitespace collapsed."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def test_every_guide_page_says_do_not_hand_out(feature_ctx):
    pages = page_texts(guide_pdf(feature_ctx))
    assert len(pages) >= 4
    missing = [n for n, text in enumerate(pages, 1)
               if "JANGAN DIBAGIKAN — hanya untuk fasilitator" not in text]
    assert missing == []
    sheets = render_all(feature_ctx, "worksheets")
    for artifact in sheets.values():  # participants' files never carry it
        assert not any("JANGAN DIBAGIKAN" in text for text in page_texts(artifact.data))


def test_english_guide_is_marked_in_english(make_project):
    module = ("---\ntitle: Module\nduration_jp: 2\nobjectives: [explain]\n---\n\n## Part\n\n"
              "Text.\n\n::: catatan\nAsk first.\n:::\n")
    root = make_project({"content/modules/01-a.md": module},
                        config="title: Training\nlanguage: en\n")
    artifacts = render_all(render_context(load_course(root)), "guide")
    pages = page_texts(artifacts["facilitators/facilitator-guide.pdf"].data)
    assert pages and all("Do not hand out — facilitators only" in text for text in pages)


def test_guide_has_the_test_keys_with_explanations(feature_ctx):
    flat = squash(pdf_text(guide_pdf(feature_ctx)))
    assert squash("Kunci Jawaban Tes") in flat
    for expected in ("C. Opsi tiga", "Penjelasan untuk fasilitator.", "Jawaban model isian.",
                     "Soal pilihan ganda pertama?", "Benar"):
        assert squash(expected) in flat, expected


def test_time_plan_table_adds_up(feature_ctx):
    module = feature_ctx.course.module("fitur-lengkap")
    planned = guide_module(feature_ctx, module)
    assert planned.plan_total == 180 and not planned.mismatch
    assert sum(line.minutes or 0 for line in planned.plan) == 180
    assert [line.elapsed for line in planned.plan][:2] == ["0–75", "75–105"]
    text = pdf_text(guide_pdf(feature_ctx))
    assert "Jumlah · 4 JP (180 menit) 180" in " ".join(text.split())  # the cell may wrap
    assert "Rencana Waktu" in text


def test_guide_warns_in_print_when_the_plan_cannot_add_up(make_project):
    module = ("---\ntitle: Terlalu Padat\ncode: M1\nduration_jp: 1\nobjectives: [a]\n---\n\n"
              "## Satu\n\nTeks.\n\n:::: latihan Lama {waktu=90}\nKerjakan.\n::::\n")
    course = load_course(make_project({"content/modules/01-a.md": module}))
    text = pdf_text(guide_pdf(render_context(course)))
    assert "rencana waktu berjumlah 90 menit, sedangkan waktu modul 45 menit" in \
        " ".join(text.split())


def test_variant_and_formative_keys(make_project):
    module = ("---\nid: fitur-lengkap\ntitle: Modul\ncode: M1\nduration_jp: 1\n"
              "objectives: [a]\n---\n\n## A\n\nTeks.\n")
    formative = (BANK.replace("title: Pre-test", "title: Soal Formatif")
                 .replace("Sebutkan satu hal.", "Soal formatif isian.")
                 .replace("module: kedua", "module: fitur-lengkap"))
    root = make_project({"content/modules/01-a.md": module,
                         "content/evaluasi/pre-test.yml": BANK.replace("module: kedua",
                                                                       "module: fitur-lengkap"),
                         "content/evaluasi/formatif-m1.yml": formative})
    ctx = dataclasses.replace(render_context(load_course(root)), variants=2)
    text = pdf_text(guide_pdf(ctx))
    assert "Pre-test · Paket A" in text and "Pre-test · Paket B" in text
    assert squash("Kunci Jawaban Soal Formatif") in squash(text)
    assert squash("Soal formatif isian.") in squash(text)


# --- the default course, built once for this file ----------------------------------------------


@pytest.fixture(scope="module")
def default_build(tmp_path_factory) -> Path:
    """`bimtek build --only <print kinds>` of the repository's own course."""
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(app, ["build", str(REPO), "-o", str(out), "--only", PRINT_KINDS,
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    (course_dir,) = [p for p in out.iterdir() if p.is_dir()]
    return course_dir


@pytest.fixture(scope="module")
def default_course():
    return load_course(REPO)


@pytest.fixture(scope="module")
def default_guide(default_build) -> str:
    """The default course's guide as squashed text, read once."""
    return squash(pdf_text((default_build / "fasilitator/panduan-fasilitator.pdf").read_bytes()))


def test_default_course_writes_every_print_file(default_build, default_course):
    names = {p.relative_to(default_build).as_posix() for p in default_build.rglob("*.pdf")}
    expected = {"peserta/lembar-kerja.pdf", "fasilitator/panduan-fasilitator.pdf",
                "panitia/jadwal.pdf"}
    expected |= {f"panitia/evaluasi/{name}.pdf" for name in (
        "pre-test", "post-test", "lembar-jawaban", "evaluasi-penyelenggaraan",
        "evaluasi-narasumber")}
    expected |= {f"peserta/lembar-kerja/{m.file_stem}.pdf"
                 for m in default_course.modules if m.activities}
    assert expected <= names
    width, height = PAPER_MM[default_course.config.paper]
    for name in expected:
        box = PdfReader(default_build / name).pages[0].mediabox
        assert round(float(box.width) / 72 * 25.4) == round(width)
        assert round(float(box.height) / 72 * 25.4) == round(height)


def test_default_course_tests_show_questions_not_answers(default_build, default_course,
                                                         default_guide):
    guide = default_guide
    for bank in default_course.banks:
        if bank.is_formative:
            continue
        sheet = squash(pdf_text((default_build / f"panitia/evaluasi/{bank.name}.pdf").read_bytes()))
        for question in bank.questions:
            assert squash(question.text) in sheet, question.text
            assert squash(question.text) in guide
            if question.explanation:
                assert squash(question.explanation) not in sheet
                assert squash(question.explanation) in guide
            if question.kind == "isian":
                assert squash(question.answer) not in sheet


def test_default_course_worksheets_hold_every_activity(default_build, default_course):
    for module in default_course.modules:
        if not module.activities:
            continue
        sheet = default_build / f"peserta/lembar-kerja/{module.file_stem}.pdf"
        text = pdf_text(sheet.read_bytes())
        flat = squash(text)
        for activity in module.activities:
            assert squash(activity.title) in flat, (module.id, activity.title)
            for role in activity.roles:
                assert squash(role.name) in flat
        assert "Kunci Jawaban" not in text and "Catatan Fasilitator" not in text


def test_default_course_guide_has_every_key_and_note(default_course, default_guide):
    guide = default_guide
    for module in default_course.modules:
        assert squash(f"{module.duration_jp} JP ({module.duration_jp * 45} menit)") in guide
        for activity in module.activities:
            assert squash(activity.title) in guide
    assert guide.count(squash("Catatan Fasilitator")) >= sum(
        len(m.notes) for m in default_course.modules)


def test_default_course_guide_opens_each_module_on_a_right_hand_page_numbered_through(
        default_build, default_course):
    """Each module opens on an odd page; pages are numbered through the whole guide (issue
    #15: "Halaman 1" restarted at every module), and the PDF's page label says the same."""
    reader = PdfReader(default_build / "fasilitator/panduan-fasilitator.pdf")
    starts = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    for module in default_course.modules:
        index = starts[f"{module.code} · {module.title}"]
        assert index % 2 == 0  # 0-based: an odd page of the printed book
        for page in (index, index + 1):
            footer = (reader.pages[page].extract_text() or "").split()
            assert footer[-3:] == [module.code, "Halaman", str(page + 1)]
            assert reader.page_labels[page] == str(page + 1)


def test_default_course_guide_numbers_sit_at_the_outer_margin_of_each_side(default_build,
                                                                          default_course):
    """The stamped "Halaman n" (issue #12: stamped from digit samples, no longer laid out per
    page) ends where the footer's right-hand box ends: the outer margin on a right-hand page,
    the binding margin on a left-hand one (the guide's margins are mirrored), one baseline."""
    import pdfplumber

    from bimtek_kit.render.pdf.printing import page_setup

    setup = page_setup(render_context(default_course), "facilitators", mirrored=True)
    points = 72 / 25.4
    width = PAPER_MM[default_course.config.paper][0] * points
    right_edge = {0: width - setup.margin * points, 1: width - setup.binding * points}
    label = render_context(default_course).theme.labels.page
    tops = set()
    with pdfplumber.open(default_build / "fasilitator/panduan-fasilitator.pdf") as pdf:
        for index, page in enumerate(pdf.pages[1:], start=1):
            *_, word, number = page.extract_words()
            assert (word["text"], number["text"]) == (label, str(index + 1))
            assert number["x1"] == pytest.approx(right_edge[index % 2], abs=0.05), index
            assert number["x0"] - word["x1"] < 4  # one space between label and number
            tops.add(round(number["top"], 2))
    assert len(tops) == 1


def test_default_course_guide_contents_link_to_their_chapters(default_build, default_course):
    """Each line of the guide's contents links to the page that opens what it names."""
    data = (default_build / "fasilitator/panduan-fasilitator.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    index = next(i for i, page in enumerate(reader.pages)
                 if "Daftar Isi" in (page.extract_text() or ""))
    # each line reads "M1 · Title 12": the page number printed at its end is not part of the name
    links = [(re.sub(r"\s+\d+$", "", entry), target) for entry, target in page_links(data, index)]
    for entry, target in links:
        title = entry.split(" · ", 1)[-1]
        assert squash(title) in squash(reader.pages[target].extract_text()), (entry, target)
    modules = default_course.modules
    assert [entry.split(" · ")[0] for entry, _ in links[:len(modules)]] == [m.code for m in modules]
    assert [entry for entry, _ in links[len(modules):]] == ["Kunci Jawaban Tes",
                                                            "Kunci Jawaban Soal Formatif"]


def test_an_edit_that_moves_no_page_lays_out_only_its_module_part(feature_project):
    """The front matter reads the parts' page counts and anchors, not their bytes: a word
    changed in one module lays out that module's part and the join, not the front again
    (the one-module edit at 8 modules had got 80 % slower than the 2026-11-28 baseline)."""
    from bimtek_kit.commands.build import BuildOptions, build

    def laid_out() -> list[str]:
        ran: list[str] = []
        build(BuildOptions(feature_project, only=["guide"], jobs=1),
              done=lambda job, reused: None if reused else ran.append(job.target))
        return sorted(ran)

    course = load_course(feature_project)
    first = laid_out()
    assert "front" in first and "" in first
    module = next(m for m in course.modules
                  if CATATAN_MARKER in (feature_project / m.loc.path).read_text("utf-8"))
    path = feature_project / module.loc.path
    path.write_text(path.read_text("utf-8").replace(CATATAN_MARKER, CATATAN_MARKER + " lagi"),
                    encoding="utf-8")
    assert laid_out() == sorted(["", module.id])
