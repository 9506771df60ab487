"""Deliverables sorted by who receives them (DESIGN §4): peserta/, fasilitator/, panitia/.

Only the renderers' plans are read here (no layout), so every output kind is covered quickly;
the facilitators' mark on the guide's pages is tested in test_guide.py.
"""

from __future__ import annotations

import dataclasses
import io

import pytest

from bimtek_kit import render
from bimtek_kit.loader import load_course
from bimtek_kit.render.base import audience_of, audience_path, is_part
from bimtek_kit.themes import load_theme
from conftest import render_all, render_context

EXPECTED = {
    "slides": "facilitators",
    "bahan-tayang": "participants",
    "handout": "participants",
    "catatan-slide": "facilitators",
    "handbook": "participants",
    "worksheets": ("participants", "organisers"),  # lembar kerja; kartu peran for the panitia
    "tests": "organisers",
    "forms": "organisers",
    "guide": "facilitators",
    "schedule": "organisers",
    "lms": "organisers",
    "docx": ("participants", "facilitators"),  # the handbook and the guide, each as Word
    # the organisers' kit (§9): planned only with a roster (tests/test_roster.py)
    "daftar-hadir": "organisers",
    "sertifikat": "organisers",
    "kelompok": "organisers",
    "papan-nama": "organisers",
    "kartu-peserta": "organisers",
    "daftar-cetak": "organisers",
}
ROSTER_KINDS = {"daftar-hadir", "sertifikat", "kelompok", "papan-nama", "kartu-peserta",
                "daftar-cetak"}


def outputs_by_kind(ctx) -> dict[str, list[str]]:
    return {kind: [path for job in render.get_renderer(kind).jobs(ctx) for path in job.outputs
                   if not is_part(path)]
            for kind in render.available()}


def test_every_output_kind_has_an_audience():
    assert set(EXPECTED) == set(render.available())


def test_every_output_lies_in_its_audiences_folder(feature_ctx):
    for kind, paths in outputs_by_kind(feature_ctx).items():
        assert paths or kind in ROSTER_KINDS, kind
        expected = EXPECTED[kind]
        for path in paths:
            assert audience_of(path, feature_ctx) in (
                expected if isinstance(expected, tuple) else (expected,)), path


def test_folders_follow_design_section_4(feature_ctx):
    paths = {path for paths in outputs_by_kind(feature_ctx).values() for path in paths}
    assert {"peserta/buku-peserta.pdf", "peserta/buku-peserta/index.html",
            "peserta/lembar-kerja.pdf", "peserta/lembar-kerja/01-fitur-lengkap.pdf",
            "fasilitator/slide/01-fitur-lengkap.pptx", "fasilitator/panduan-fasilitator.pdf",
            "panitia/jadwal.pdf", "panitia/evaluasi/pre-test.pdf",
            "panitia/evaluasi/lembar-jawaban.pdf"} <= paths
    assert audience_of("manifest.json", feature_ctx) is None
    assert audience_of("peserta-lain/x.pdf", feature_ctx) is None


def test_english_courses_get_english_folder_names(feature_ctx):
    theme = load_theme("default", feature_ctx.course.root, "en")
    ctx = dataclasses.replace(feature_ctx, theme=theme)
    assert audience_path(ctx, "participants", "handbook.pdf") == "participants/handbook.pdf"
    paths = {path for paths in outputs_by_kind(ctx).values() for path in paths}
    assert {"participants/handbook.pdf", "facilitators/facilitator-guide.pdf",
            "facilitators/slides/01-fitur-lengkap.pptx", "organisers/schedule.pdf"} <= paths
    for path in paths:
        assert audience_of(path, ctx) is not None, path


@pytest.mark.parametrize("audience", ["participants", "facilitators", "organisers"])
def test_audience_path_and_audience_of_agree(feature_ctx, audience):
    assert audience_of(audience_path(feature_ctx, audience, "x/y.pdf"), feature_ctx) == audience


SMALL_MODULE = ("---\ntitle: Modul Kecil\nduration_jp: 1\nobjectives: [menjelaskan]\n---\n\n"
                "## Bagian\n\nTeks.\n\n::: catatan\nTanyakan dulu.\n:::\n")


def test_every_facilitator_pdf_is_marked_on_every_page(make_project):
    """Any paged output in fasilitator/ (guide, notes pages, later ones) carries the mark."""
    import pdfplumber

    ctx = render_context(load_course(make_project({"content/modules/01-a.md": SMALL_MODULE})))
    kinds = [kind for kind, audience in EXPECTED.items() if audience == "facilitators"]
    pdfs = {path: artifact.data for kind in kinds
            for path, artifact in render_all(ctx, kind).items() if path.endswith(".pdf")}
    assert "fasilitator/panduan-fasilitator.pdf" in pdfs and len(pdfs) >= 2
    for path, data in pdfs.items():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            texts = [" ".join((page.extract_text() or "").split()) for page in pdf.pages]
        assert texts and all("JANGAN DIBAGIKAN — hanya untuk fasilitator" in t for t in texts), path
