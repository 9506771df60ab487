"""The handbook and the facilitator guide as DOCX, read back with python-docx (DESIGN §11)."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bimtek_kit.loader import load_course
from bimtek_kit.render.base import RenderContext
from conftest import (
    BANK,
    CATATAN_MARKER,
    FEATURE_MODULE,
    KUNCI_MARKER,
    MINIMAL_CONFIG,
    REPO,
    SECOND_MODULE,
    render_all,
    render_context,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
HANDBOOK = "peserta/buku-peserta.docx"
GUIDE = "fasilitator/panduan-fasilitator.docx"


def _documents(ctx: RenderContext) -> dict[str, bytes]:
    artifacts = render_all(ctx, "docx")
    assert sorted(artifacts) == [GUIDE, HANDBOOK]
    return {path: artifact.data for path, artifact in artifacts.items()}


def _open(data: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(data))


def _all_text(document) -> str:  # type: ignore[no-untyped-def]
    """Every text of the body, tables and boxes included (the `w:t` elements in order)."""
    return "".join(t.text or "" for t in document.element.body.iter(f"{W}t"))


@pytest.fixture(scope="module")
def feature_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from PIL import Image

    root = tmp_path_factory.mktemp("docx") / "proyek"
    (root / "content/modules/images").mkdir(parents=True)
    (root / "bimtek.yml").write_text(MINIMAL_CONFIG + "paper: F4\n", encoding="utf-8")
    module = FEATURE_MODULE.replace(
        "> Kutipan penting.", "> Kutipan penting.\n\n![Alur layanan loket](images/alur.png)")
    (root / "content/modules/01-fitur-lengkap.md").write_text(module, encoding="utf-8")
    (root / "content/modules/02-kedua.md").write_text(SECOND_MODULE, encoding="utf-8")
    (root / "content/evaluasi").mkdir()
    (root / "content/evaluasi/pre-test.yml").write_text(BANK, encoding="utf-8")
    (root / "content/glosarium.yml").write_text("Empati: Memahami perasaan orang lain.\n",
                                                 encoding="utf-8")
    Image.new("RGB", (300, 120), "navy").save(root / "content/modules/images/alur.png")
    return _documents(render_context(load_course(root)))


def test_handbook_has_no_facilitator_text(feature_docs: dict[str, bytes]):
    text = _all_text(_open(feature_docs[HANDBOOK]))
    assert "Pertanyaan latihan pertama?" in text and "Isi callout penting." in text
    assert CATATAN_MARKER not in text and KUNCI_MARKER not in text
    assert "Anda kecewa." not in text  # a role brief
    assert "Hanya untuk buku." in text and "Hanya untuk slide." not in text


def test_guide_has_notes_keys_and_role_briefs(feature_docs: dict[str, bytes]):
    text = _all_text(_open(feature_docs[GUIDE]))
    assert CATATAN_MARKER in text and KUNCI_MARKER in text and "Anda kecewa." in text
    assert "Jawaban model isian." in text  # the test key


def test_chapters_and_sections_are_word_headings(feature_docs: dict[str, bytes]):
    document = _open(feature_docs[HANDBOOK])
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert ("Heading 1", "BAB I Modul Semua Fitur") in headings
    assert ("Heading 2", "A. Bagian Pertama") in headings
    assert ("Heading 2", "B. Bagian Kedua") in headings
    assert ("Heading 1", "Glosarium") in headings
    assert document.styles["Heading 1"].font.name == "Arial"
    assert str(document.styles["Heading 1"].font.color.rgb) == "1B3A5C"
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_toc_field_is_updated_when_word_opens_it(feature_docs: dict[str, bytes]):
    document = _open(feature_docs[HANDBOOK])
    instructions = [t.text for t in document.element.body.iter(f"{W}instrText")]
    assert any(i.strip().startswith("TOC \\o") for i in instructions)
    update = document.settings.element.find(f"{W}updateFields")
    assert update is not None and update.get(f"{W}val") == "true"
    toc = [p.text for p in document.paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    assert "BAB I Modul Semua Fitur" in toc and "A. Bagian Pertama" in toc


def test_tables_repeat_their_header_row(feature_docs: dict[str, bytes]):
    document = _open(feature_docs[HANDBOOK])
    table = next(t for t in document.tables if t.cell(0, 0).text == "Kolom A")
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in table.rows[1].cells] == ["sel 1", "sel 2"]


def test_images_have_alt_text_and_a_caption(feature_docs: dict[str, bytes]):
    document = _open(feature_docs[HANDBOOK])
    shapes = document.inline_shapes
    assert len(shapes) == 1
    assert shapes[0]._inline.docPr.get("descr") == "Alur layanan loket"
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Gambar M1.1. Alur layanan loket" in captions


def test_boxes_are_shaded_one_cell_tables(feature_docs: dict[str, bytes]):
    document = _open(feature_docs[HANDBOOK])
    boxes = [t for t in document.tables if len(t.rows) == 1 and len(t.columns) == 1]
    labels = [t.cell(0, 0).paragraphs[0].text for t in boxes]
    assert "Latihan M1.1 · Waktu: 20 menit" in labels and "Penting" in labels
    activity = boxes[labels.index("Latihan M1.1 · Waktu: 20 menit")]
    shading = activity.cell(0, 0)._tc.find(f"{W}tcPr/{W}shd")
    assert shading.get(f"{W}fill") == "EEF2F6"


def test_paper_size_page_numbers_and_fixed_dates(feature_docs: dict[str, bytes]):
    document = _open(feature_docs[HANDBOOK])
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (215, 330)
    footer = section.footer._element
    assert "PAGE" in "".join(t.text for t in footer.iter(f"{W}instrText"))
    assert "Bimtek Uji" in "".join(t.text or "" for t in footer.iter(f"{W}t"))
    assert document.core_properties.created.year == 2023  # SOURCE_DATE_EPOCH 1.7e9


def test_equal_sources_give_equal_bytes(feature_ctx: RenderContext):
    assert _documents(feature_ctx) == _documents(feature_ctx)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_default_handbook_opens_in_libreoffice_with_the_pdf_page_count(tmp_path: Path):
    from pypdf import PdfReader

    ctx = render_context(load_course(REPO))
    docx_file = tmp_path / "buku-peserta.docx"
    docx_file.write_bytes(render_all(ctx, "docx")[HANDBOOK].data)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(docx_file)], check=True, capture_output=True, timeout=300)
    word_pages = len(PdfReader(tmp_path / "buku-peserta.pdf").pages)
    handbook = render_all(ctx, "handbook")
    pdf = next(a.data for path, a in handbook.items() if path.endswith("buku-peserta.pdf"))
    pdf_pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert abs(word_pages - pdf_pages) <= 0.1 * pdf_pages, (word_pages, pdf_pages)




DIAGRAMS = """\
---
title: Modul Bagan
duration_jp: 2
objectives: [menjelaskan tangga eskalasi, memetakan pemangku kepentingan, menata alur]
---

## Tangga dan Matriks

::: bagan tangga Tangga eskalasi
1. Gelisah: melihat jam
2. Menantang: nada naik
3. Mengancam: "Saya viralkan"
:::

::: bagan matriks Peta pemangku {x="Kepentingan" y="Pengaruh"}
- Kelola erat
  - Kepala OPD
- Puaskan
  - DPRD
- Pantau
  - Media
- Informasikan
  - Warga
:::
"""


def test_diagrams_are_editable_words_in_word(make_project: Callable[..., Path]):
    root = make_project({"content/modules/01-bagan.md": DIAGRAMS})
    document = _open(_documents(render_context(load_course(root)))[HANDBOOK])
    text = _all_text(document)
    assert "Tangga eskalasi" in text and "Gelisah — melihat jam" in text
    assert "Kelola erat" in text and "Kepala OPD" in text and "x: Kepentingan · y: Pengaruh" in text
    assert not document.inline_shapes  # words, not a picture of words


LINKED = """\
---
title: Modul {n}
duration_jp: 1
objectives: [menjelaskan alur layanan]
---

## Alur

Lihat [laman LAN](https://lan.go.id/{n}) sebelum sesi.

![Alur layanan {n}](images/alur.png)

3. Langkah ketiga {n}
4. Langkah keempat {n}
"""


@pytest.fixture(scope="module")
def linked_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two modules that show the same picture, link out and number a list from 3."""
    from PIL import Image

    root = tmp_path_factory.mktemp("joined") / "proyek"
    (root / "content/modules/images").mkdir(parents=True)
    (root / "bimtek.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    for n in (1, 2):
        (root / f"content/modules/0{n}-m{n}.md").write_text(LINKED.format(n=n), "utf-8")
    Image.new("RGB", (300, 120), "navy").save(root / "content/modules/images/alur.png")
    return root


def test_joined_parts_keep_their_pictures_links_and_list_starts(linked_project: Path):
    """Each module is written on its own and joined (issue #23): what its XML points at must
    be found in the whole document, once for the shared picture, with unique drawing ids."""
    document = _open(_documents(render_context(load_course(linked_project)))[HANDBOOK])
    body, part = document.element.body, document.part
    text = _all_text(document)
    chapter_2 = text.index("BAB II Modul 2", text.index("Langkah ketiga 1"))
    assert chapter_2 < text.index("Langkah ketiga 2") < text.index("Jadwal Pelaksanaan", chapter_2)

    pictures = [shape._inline.graphic.graphicData.pic.blipFill.blip.embed
                for shape in document.inline_shapes]
    assert len(pictures) == 2 and len(set(pictures)) == 1  # one image part, shown twice
    assert part.related_parts[pictures[0]].content_type == "image/png"
    drawing_ids = [d.get("id") for d in body.iter(f"{WP}docPr")]
    assert len(drawing_ids) == len(set(drawing_ids)) == 2

    R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    links = [part.rels[link.get(f"{R}id")] for link in body.iter(f"{W}hyperlink")]
    assert [(rel.is_external, rel.target_ref) for rel in links] == [
        (True, "https://lan.go.id/1"), (True, "https://lan.go.id/2")]

    numbering = part.numbering_part.numbering_definitions._numbering
    lists = []
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("Langkah ketiga"):
            num_id = paragraph._p.pPr.numPr.numId.val
            start = numbering.num_having_numId(num_id).find(f"{W}lvlOverride/{W}startOverride")
            lists.append((num_id, start.get(f"{W}val")))
    assert len({num_id for num_id, _ in lists}) == 2 and [s for _, s in lists] == ["3", "3"]


def test_editing_one_module_writes_only_its_docx_parts_again(linked_project: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    from bimtek_kit.commands.build import BuildOptions, build
    from bimtek_kit.render.docx import guide, handbook

    project = tmp_path / "proyek"
    shutil.copytree(linked_project, project)
    options = BuildOptions(project, out_dir=tmp_path / "dist", only=["docx"], jobs=1)
    build(options)
    written: list[str] = []

    def counted(name: str, write: Callable, module_of: Callable) -> Callable:
        return lambda ctx, arg: written.append(f"{name}:{module_of(arg).id}") or write(ctx, arg)

    monkeypatch.setattr(handbook, "handbook_docx",
                        counted("handbook", handbook.handbook_docx, lambda ms: ms[0]))
    monkeypatch.setattr(guide, "guide_module_docx",
                        counted("guide", guide.guide_module_docx, lambda m: m))
    path = project / "content/modules/02-m2.md"
    path.write_text(path.read_text("utf-8").replace("sebelum sesi", "sesudah sesi"), "utf-8")
    report = build(options)
    assert sorted(written) == ["guide:m2", "handbook:m2"]
    assert report.rendered == [GUIDE, HANDBOOK]
    joined = _all_text(_open((report.out_dir / HANDBOOK).read_bytes()))
    assert "sesudah sesi" in joined and "Langkah ketiga 1" in joined


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="poppler-utils is not installed")
def test_joined_handbook_opens_in_libreoffice_with_both_pictures(linked_project: Path,
                                                                 tmp_path: Path):
    """A real client reads the joined file: the picture of each chapter, each list from 3."""
    docx_file = tmp_path / "buku-peserta.docx"
    docx_file.write_bytes(_documents(render_context(load_course(linked_project)))[HANDBOOK])
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(docx_file)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "buku-peserta.pdf"
    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                            text=True).stdout.splitlines()[2:]
    assert [(line.split()[3], line.split()[4]) for line in images] == [("300", "120")] * 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert text.count("3. Langkah ketiga") == 2 and "Langkah ketiga 2" in text


def test_modules_named_like_the_closing_parts_keep_their_own_parts(make_project):
    """Module ids "back" and "keys" name the same jobs' targets as the closing parts: the parts
    are told apart by the modules they name, so the guide still ends with its keys."""
    bank = BANK.replace("module: fitur-lengkap", "module: keys").replace("module: kedua",
                                                                          "module: back")
    root = make_project({"content/modules/01-keys.md": FEATURE_MODULE.replace(
                             "id: fitur-lengkap", "id: keys"),
                         "content/modules/02-back.md": SECOND_MODULE,
                         "content/evaluasi/pre-test.yml": bank})
    documents = _documents(render_context(load_course(root)))
    guide, handbook = (_all_text(_open(documents[path])) for path in (GUIDE, HANDBOOK))
    assert "Jawaban model isian." in guide and "Modul Kedua" in guide
    assert "Teks modul kedua." in handbook and "Daftar Pustaka" not in handbook[:200]
