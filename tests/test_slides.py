"""Slide decks (DESIGN §4 "Slides"): every deck is read back with python-pptx and checked.

What a facilitator needs: the right slides in the right order, notes on section slides, no answer
key anywhere, nothing outside the slide or outside its box, continuation slides instead of
overflow, editable text, a template's layouts used when the project has one, identical bytes for
identical sources, and a file LibreOffice opens with one page per slide.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from PIL import Image as PILImage
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from bimtek_kit.commands.build import BuildOptions, build
from bimtek_kit.loader import load_course
from bimtek_kit.model import Image, ListBlock, Span
from bimtek_kit.render import available, get_renderer
from bimtek_kit.render.slides.layout import Frame, fit_title
from bimtek_kit.render.slides.measure import break_lines as wrap
from bimtek_kit.render.slides.measure import metrics, text_height, tokens
from bimtek_kit.render.slides.renderer import SlideError, SlidesRenderer
from conftest import CATATAN_MARKER, KUNCI_MARKER, MINIMAL_CONFIG, REPO, render_context

EMU_PER_PT = 12700

# --- helpers -----------------------------------------------------------------------------------


def render(ctx, module_id: str) -> bytes:
    renderer = SlidesRenderer()
    job = next(j for j in renderer.jobs(ctx) if j.target == module_id)
    (artifact,) = renderer.run(job, ctx)
    return artifact.data


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def title_of(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


def notes_of(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def shape_texts(slide) -> list[str]:
    """Every text on the slide itself (text frames and table cells), not the notes."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def slide_text(slide) -> str:
    return "\n".join(shape_texts(slide))


def body_shapes(slide):
    """Shapes in the content area (not the title, footer or slide number)."""
    skip = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.FOOTER,
            PP_PLACEHOLDER.SLIDE_NUMBER)
    for shape in slide.shapes:
        if shape.is_placeholder and shape.placeholder_format.type in skip:
            continue
        yield shape


def paragraph_spans(paragraph) -> tuple[Span, ...]:
    """A paragraph's runs as spans (line breaks as "\\n"); number labels ("3.\\t") dropped."""
    spans = []
    for child in paragraph._p:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "br":
            spans.append(Span("\n"))
        elif tag == "r":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.endswith("\t"):
                continue
            r_pr = child.find("{http://schemas.openxmlformats.org/drawingml/2006/main}rPr")
            bold = r_pr is not None and r_pr.get("b") == "1"
            italic = r_pr is not None and r_pr.get("i") == "1"
            latin = r_pr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}latin") \
                if r_pr is not None else None
            code = latin is not None and latin.get("typeface") == "Courier New"
            spans.append(Span(text, bold, italic, code))
    return tuple(spans)


def needed_height(shape) -> float:
    """Re-measure a text frame from what the file says: fonts, sizes, indents, width."""
    fm = metrics()
    tf = shape.text_frame
    width = (shape.width - tf.margin_left - tf.margin_right) / EMU_PER_PT
    total = (tf.margin_top + tf.margin_bottom) / EMU_PER_PT
    for index, paragraph in enumerate(tf.paragraphs):
        sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
        if not sizes:
            continue
        size = max(sizes)
        p_pr = paragraph._p.pPr
        margin = int(p_pr.get("marL", "0")) / EMU_PER_PT if p_pr is not None else 0.0
        spans = paragraph_spans(paragraph)
        bold = all(s.bold for s in spans if s.text.strip())
        lines = len(wrap(tokens(fm, spans, bold), (width - margin) / size))
        before = paragraph.space_before.pt if index and paragraph.space_before else 0.0
        total += before + text_height(lines, size)
    return total


def assert_inside(prs, name: str = "") -> None:
    width, height = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            where = f"{name} slide {number} shape '{shape.name}'"
            assert shape.left >= 0 and shape.top >= 0, where
            assert shape.left + shape.width <= width, where
            assert shape.top + shape.height <= height, where


def assert_no_overlap(prs, name: str = "") -> None:
    """Boxes in the content area never overlap each other or the title."""
    for number, slide in enumerate(prs.slides, start=1):
        boxes = [s for s in body_shapes(slide) if not s.name.endswith(" bar")]
        if slide.shapes.title is not None:
            boxes.append(slide.shapes.title)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = (a.left + a.width <= b.left or b.left + b.width <= a.left
                         or a.top + a.height <= b.top or b.top + b.height <= a.top)
                assert apart, f"{name} slide {number}: '{a.name}' overlaps '{b.name}'"


def assert_text_fits(prs, name: str = "") -> None:
    for number, slide in enumerate(prs.slides, start=1):
        for shape in body_shapes(slide):
            if shape.has_text_frame and shape.text_frame.text.strip():
                need = needed_height(shape)
                have = shape.height / EMU_PER_PT
                assert need <= have + 0.5, f"{name} slide {number} '{shape.name}': {need} > {have}"
            if shape.has_table:
                table = shape.table
                fm = metrics()
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        paragraph = cell.text_frame.paragraphs[0]
                        sizes = [run.font.size.pt for run in paragraph.runs if run.font.size]
                        if not sizes:
                            continue
                        inner = (table.columns[c].width - cell.margin_left - cell.margin_right)
                        lines = len(wrap(tokens(fm, paragraph_spans(paragraph), r == 0),
                                         inner / EMU_PER_PT / sizes[0]))
                        need = text_height(lines, sizes[0]) + (
                            cell.margin_top + cell.margin_bottom) / EMU_PER_PT
                        assert need <= row.height / EMU_PER_PT + 0.5, \
                            f"{name} slide {number} table cell {r},{c}"


def all_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                if name.endswith(".xml") or name.endswith(".rels")}


# --- the stress module -------------------------------------------------------------------------

LONG_BULLET = " ".join(
    f"Kalimat nomor {i} menjelaskan hak warga atas informasi pelayanan yang jelas."
    for i in range(9)
)[:600]
LONG_TITLE = ("Judul Bagian yang Sangat Panjang untuk Menguji Penyusutan dan Pemotongan Judul "
              "Slide di Dalam Bilah Judul " * 3)[:200].strip()


def stress_module() -> str:
    bullets = "\n".join(f"- Butir nomor {i} dengan **teks tebal** dan *miring*"
                        for i in range(1, 26))
    header = "| " + " | ".join(f"Kolom {c}" for c in range(1, 7)) + " |\n|" + "---|" * 6
    rows = "\n".join(
        "| " + " | ".join(
            f"Baris {r} sel {c} berisi teks yang cukup panjang agar terbungkus" if c == 2
            else f"R{r}C{c}" for c in range(1, 7)
        ) + " |"
        for r in range(1, 25)
    )
    return f"""\
---
title: Modul Uji Tekanan
code: MX
duration_jp: 2
objectives: [menguji tata letak slide]
---

## Dua Puluh Lima Butir

Prosa pengantar untuk catatan pembicara.

{bullets}

## Butir Panjang

Prosa butir panjang.

- {LONG_BULLET}
- Butir pendek dengan `kode` dan [tautan](https://example.org).
  - Anak butir.
    - Cucu butir.

## Tabel Besar

Prosa tabel besar.

{header}
{rows}

## {LONG_TITLE}

Prosa judul panjang.

- Satu butir saja.

## Gambar

Prosa gambar.

![Diagram alur pelayanan](images/diagram.png)
"""


def png_bytes(size: tuple[int, int] = (1200, 700)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 160, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    root = tmp_path_factory.mktemp("stress")
    (root / "bimtek.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    modules = root / "content" / "modules"
    (modules / "images").mkdir(parents=True)
    (modules / "01-uji.md").write_text(stress_module(), encoding="utf-8")
    (modules / "images" / "diagram.png").write_bytes(png_bytes())
    ctx = render_context(load_course(root))
    data = render(ctx, "uji")
    return ctx, data, open_deck(data)


@pytest.fixture(scope="module")
def default_decks():
    """Every deck of the tool's own default course (real content)."""
    ctx = render_context(load_course(REPO))
    return ctx, {m.id: render(ctx, m.id) for m in ctx.course.modules}


# --- jobs and registration -----------------------------------------------------------------------


def test_registered_and_one_job_per_module(feature_ctx):
    assert "slides" in available()
    renderer = get_renderer("slides")
    jobs = renderer.jobs(feature_ctx)
    assert [j.outputs for j in jobs] == [("fasilitator/slide/01-fitur-lengkap.pptx",),
                                       ("fasilitator/slide/02-kedua.pptx",)]
    assert [j.modules for j in jobs] == [("fitur-lengkap",), ("kedua",)]
    (artifact,) = renderer.run(jobs[0], feature_ctx)
    assert artifact.kind == "slides"
    assert artifact.sources == ("content/modules/01-fitur-lengkap.md",)


def test_build_only_slides_writes_one_deck_per_module(feature_project, tmp_path):
    report = build(BuildOptions(feature_project, out_dir=tmp_path / "out", only=["slides"]))
    decks = sorted(p.name for p in (report.out_dir / "fasilitator" / "slide").iterdir())
    assert decks == ["01-fitur-lengkap.pptx", "02-kedua.pptx"]


def test_cli_does_not_import_pptx():
    code = ("import sys; import bimtek_kit.cli, bimtek_kit.render.slides.renderer; "
            "print(any(m == 'pptx' or m.startswith('pptx.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


# --- structure -----------------------------------------------------------------------------------


def test_feature_deck_slides_in_order(feature_ctx):
    prs = open_deck(render(feature_ctx, "fitur-lengkap"))
    assert [title_of(s) for s in prs.slides] == [
        "Modul Semua Fitur",
        "Tujuan Pembelajaran",
        "Agenda",
        "Bagian Pertama",
        "Bagian Kedua",
        "Latihan M1.1: Latihan Pesan Kunci",
        "Studi Kasus M1.2: Kasus Loket",
        "Simulasi M1.3: Warga Kecewa",
        "Diskusi M1.4: Diskusi Singkat",
        "Bagian Kedua (lanjutan)",
        "Rangkuman",
        "Terima Kasih",
    ]
    width, height = prs.slide_width, prs.slide_height
    assert (round(width / 914400, 2), round(height / 914400, 2)) == (13.33, 7.5)


def test_title_slide_has_course_code_and_duration(feature_ctx):
    cover = open_deck(render(feature_ctx, "fitur-lengkap")).slides[0]
    text = slide_text(cover)
    assert "Modul Semua Fitur" in text
    assert "M1" in text and "4 JP (180 menit)" in text
    assert "Bimtek Uji Coba" in text
    assert notes_of(cover) == "Modul uji yang memakai setiap fitur sintaks."


def test_objectives_agenda_summary_and_closing(feature_ctx):
    slides = list(open_deck(render(feature_ctx, "fitur-lengkap")).slides)
    assert "menerapkan fitur kedua" in slide_text(slides[1])
    assert "Bagian Pertama" in slide_text(slides[2]) and "Bagian Kedua" in slide_text(slides[2])
    assert "Rangkuman dua." in slide_text(slides[-2])
    assert "Pertanyaan dan diskusi" in slide_text(slides[-1])


def test_section_slide_shows_list_table_quote_and_callout(feature_ctx):
    slide = open_deck(render(feature_ctx, "fitur-lengkap")).slides[3]
    text = slide_text(slide)
    for expected in ("Butir satu", "Anak butir", "sel 2", "Kutipan penting.", "Perhatikan",
                     "Isi callout penting."):
        assert expected in text
    assert any(shape.has_table for shape in slide.shapes)
    levels = {p.text: p.level for s in slide.shapes if s.has_text_frame
              for p in s.text_frame.paragraphs}
    assert levels["Butir satu"] == 0 and levels["Anak butir"] == 1
    assert "Hanya untuk buku." not in text


def test_prose_and_catatan_go_to_the_notes(feature_ctx):
    slides = list(open_deck(render(feature_ctx, "fitur-lengkap")).slides)
    notes = notes_of(slides[3])
    assert "Paragraf dengan tebal, miring, kode dan tautan." in notes
    assert CATATAN_MARKER in notes
    assert "Paragraf dengan" not in slide_text(slides[3])


def test_catatan_only_in_notes_and_never_a_key(feature_ctx):
    data = render(feature_ctx, "fitur-lengkap")
    for name, xml in all_xml(data).items():
        assert KUNCI_MARKER not in xml, name
        if CATATAN_MARKER in xml:
            assert name.startswith("ppt/notesSlides/"), name
    for slide in open_deck(data).slides:
        assert CATATAN_MARKER not in slide_text(slide)


def test_activity_slides_show_time_steps_questions_and_roles(feature_ctx):
    slides = {title_of(s): s for s in open_deck(render(feature_ctx, "fitur-lengkap")).slides}
    latihan = slide_text(slides["Latihan M1.1: Latihan Pesan Kunci"])
    assert "Waktu: 20 menit" in latihan and "Petunjuk latihan." in latihan
    assert "Pertanyaan" in latihan and "Pertanyaan latihan kedua?" in latihan
    simulasi = slide_text(slides["Simulasi M1.3: Warga Kecewa"])
    assert "Peran" in simulasi and "Warga" in simulasi and "Petugas" in simulasi
    assert "Anda kecewa." not in simulasi  # the role brief is for the player's card only
    kasus = slide_text(slides["Studi Kasus M1.2: Kasus Loket"])
    assert "Apa akar masalahnya?" in kasus


def test_inline_formatting_survives_as_runs(stress):
    _ctx, _data, prs = stress
    runs = [r for s in prs.slides for shape in s.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs]
    assert any(r.text == "teks tebal" and r.font.bold for r in runs)
    assert any(r.text == "miring" and r.font.italic for r in runs)
    assert any(r.text == "kode" and r.font.name == "Courier New" for r in runs)
    assert any(r.text == "tautan" and r.hyperlink.address == "https://example.org" for r in runs)


def test_fonts_and_colours_come_from_the_theme(feature_ctx):
    prs = open_deck(render(feature_ctx, "fitur-lengkap"))
    slide = prs.slides[3]
    runs = [r for shape in body_shapes(slide) if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs]
    assert {r.font.name for r in runs} == {"Arial"}
    assert RGBColor.from_string("1F2328") in {r.font.color.rgb for r in runs}
    layout_fills = [s for s in slide.slide_layout.shapes if s.name == "Title bar"]
    assert layout_fills[0].fill.fore_color.rgb == RGBColor.from_string("1B3A5C")


def test_text_sizes_stay_above_the_floor(stress, default_decks):
    decks = [stress[1], *default_decks[1].values()]
    for data in decks:
        for slide in open_deck(data).slides:
            for shape in body_shapes(slide):
                frames = [shape.text_frame] if shape.has_text_frame else []
                if shape.has_table:
                    frames += [c.text_frame for row in shape.table.rows for c in row.cells]
                for frame in frames:
                    for paragraph in frame.paragraphs:
                        for run in paragraph.runs:
                            assert run.font.size is None or run.font.size.pt >= 14
            title = slide.shapes.title
            sizes = [r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs]
            assert all(24 <= size <= 40 for size in sizes)


# --- layout that holds for real content --------------------------------------------------------


def test_stress_module_continues_instead_of_overflowing(stress):
    _ctx, _data, prs = stress
    titles = [title_of(s) for s in prs.slides]
    bullet_slides = [s for s in prs.slides if title_of(s).startswith("Dua Puluh Lima Butir")]
    # 25 one-line items: 11 fit a slide in one column at 18 pt, all 25 in two columns
    assert len(bullet_slides) == 1
    lefts = sorted({shape.left for shape in body_shapes(bullet_slides[0]) if shape.has_text_frame})
    assert len(lefts) >= 2
    shown = [p.text for s in bullet_slides for shape in body_shapes(s) if shape.has_text_frame
             for p in shape.text_frame.paragraphs]
    assert shown == [f"Butir nomor {i} dengan teks tebal dan miring" for i in range(1, 26)]
    assert len(titles) == len(set(titles))


def test_long_bullet_shows_its_opening_sentence_and_the_rest_in_the_notes(stress):
    _ctx, _data, prs = stress
    (slide,) = [s for s in prs.slides if title_of(s).startswith("Butir Panjang")]
    texts = [p.text for sh in body_shapes(slide) if sh.has_text_frame
             for p in sh.text_frame.paragraphs]
    opening = "Kalimat nomor 0 menjelaskan hak warga atas informasi pelayanan yang jelas."
    assert [t for t in texts if t.startswith("Kalimat")] == [opening]
    assert LONG_BULLET.split() == notes_of(slide).split("\n")[-1].split()


def test_big_table_is_split_by_rows_with_the_header_repeated(stress):
    _ctx, _data, prs = stress
    slides = [s for s in prs.slides if title_of(s).startswith("Tabel Besar")]
    tables = [shape.table for s in slides for shape in s.shapes if shape.has_table]
    assert len(tables) >= 2
    for table in tables:
        assert [c.text for c in table.rows[0].cells] == [f"Kolom {c}" for c in range(1, 7)]
    body_rows = [table.cell(r, 0).text for table in tables for r in range(1, len(table.rows))]
    assert body_rows == [f"R{r}C1" for r in range(1, 25)]
    counts = [len(table.rows) - 1 for table in tables]
    assert max(counts) - min(counts) <= 2  # split evenly, not 20 + 4


def test_long_title_shrinks_then_is_shortened_with_full_text_in_the_body(stress):
    _ctx, _data, prs = stress
    slide = next(s for s in prs.slides if title_of(s).startswith("Judul Bagian yang Sangat"))
    title = slide.shapes.title
    assert title_of(slide).endswith("…")
    sizes = {r.font.size.pt for p in title.text_frame.paragraphs for r in p.runs}
    assert sizes == {24.0}
    assert needed_height(title) <= title.height / EMU_PER_PT + 0.5
    assert LONG_TITLE in slide_text(slide)


def test_title_fitting_shrinks_before_wrapping():
    fm = metrics()
    frame = Frame(36, 10, 888, 79)
    short = fit_title(fm, "Agenda", frame, 32, 24)
    assert (short.size, short.lines, short.shortened) == (32, 1, False)
    medium = fit_title(fm, "Manfaat Komunikasi yang Baik dan Kerugian Komunikasi yang Buruk",
                       frame, 32, 24)
    assert medium.lines == 1 and 24 <= medium.size < 32
    long = fit_title(fm, "Judul " * 20, frame, 32, 24)
    assert long.lines == 2 and not long.shortened
    huge = fit_title(fm, LONG_TITLE, frame, 32, 24)
    assert huge.shortened and huge.size == 24 and huge.lines <= 2


def test_every_shape_is_inside_the_slide_and_text_fits_its_box(stress, feature_ctx, default_decks):
    decks = {"stress": stress[1], "feature": render(feature_ctx, "fitur-lengkap"),
             **default_decks[1]}
    for name, data in decks.items():
        prs = open_deck(data)
        assert_inside(prs, name)
        assert_no_overlap(prs, name)
        assert_text_fits(prs, name)


def test_default_course_decks_keep_every_key_out(default_decks):
    ctx, decks = default_decks
    for module in ctx.course.modules:
        text = "\n".join(all_xml(decks[module.id]).values())
        for activity in module.activities:
            for block in activity.key:
                phrases = [block] if not isinstance(block, ListBlock) else list(block.items)
                for phrase in phrases:
                    words = "".join(s.text for s in getattr(phrase, "spans", ()))
                    if len(words) > 60:
                        assert escape(words) not in text, f"{module.id}: key text in deck"


def test_section_slides_carry_their_prose_as_notes(default_decks):
    ctx, decks = default_decks
    module = next(m for m in ctx.course.modules if m.id == "komunikasi-publik")
    slides = list(open_deck(decks[module.id]).slides)
    titles = [title_of(s) for s in slides]
    for section in module.sections:
        start = titles.index(section.title)
        # A divider's opening prose moves on to the first part it introduces.
        assert notes_of(slides[start]) or notes_of(slides[start + 1]), section.title
    all_notes = "\n".join(notes_of(s) for s in slides)
    assert "Bayangkan Senin pagi di Mal Pelayanan Publik" in all_notes
    assert "Catatan Fasilitator:" in all_notes


def test_images_fit_with_alt_text(stress):
    _ctx, _data, prs = stress
    pictures = [sh for s in prs.slides for sh in s.shapes
                if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "Diagram alur pelayanan"
    ratio = pictures[0].width / pictures[0].height
    assert abs(ratio - 1200 / 700) < 0.01


def test_an_image_that_cannot_be_shown_becomes_its_alt_text(stress):
    ctx, _data, _prs = stress
    module = ctx.course.modules[0]
    section = module.sections[-1]
    blocks = tuple(dataclasses.replace(b, path=None) if isinstance(b, Image) else b
                   for b in section.blocks)
    sections = (*module.sections[:-1], dataclasses.replace(section, blocks=blocks))
    course = dataclasses.replace(ctx.course, modules=(dataclasses.replace(module,
                                                                          sections=sections),))
    prs = open_deck(render(dataclasses.replace(ctx, course=course), "uji"))
    text = "\n".join(slide_text(s) for s in prs.slides)
    assert "[Gambar: Diagram alur pelayanan]" in text
    assert not any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for s in prs.slides for sh in s.shapes)


def test_unreadable_image_is_a_content_error(stress, tmp_path):
    ctx, _data, _prs = stress
    broken = tmp_path / "rusak.png"
    broken.write_bytes(b"not a png")
    module = ctx.course.modules[0]
    section = module.sections[-1]
    blocks = tuple(dataclasses.replace(b, path=broken) if isinstance(b, Image) else b
                   for b in section.blocks)
    sections = (*module.sections[:-1], dataclasses.replace(section, blocks=blocks))
    course = dataclasses.replace(ctx.course, modules=(dataclasses.replace(module,
                                                                          sections=sections),))
    with pytest.raises(SlideError, match=r"content/modules/01-uji.md:\d+: image"):
        render(dataclasses.replace(ctx, course=course), "uji")


HOSTILE_MODULE = """\
---
title: Modul Siksaan
code: MZ
duration_jp: 1
objectives: [bertahan]
---

Paragraf sebelum bagian pertama.

## Bagian Kosong

## Karakter \x07 Aneh dan\tTab

- Kontrol \x01 karakter, emoji 🙂 dan teks Arab مرحبا
- https://contoh.go.id/{word}
- Satu
  - Dua
    - Tiga
      - Empat
-
- Baris dengan\\
  hard break

{wide}

| A | B |
|---|---|
| {cell} | pendek |

```
{code}
```

![Kecil](images/kecil.png)

### Sub tanpa isi

### Sub dengan isi

> - kutipan berisi daftar

::: info
:::
"""


def test_hostile_content_still_gives_a_clean_deck(make_project):
    wide = "| " + " | ".join(f"K{c}" for c in range(12)) + " |\n|" + "---|" * 12 + "\n| " + \
        " | ".join(f"isi{c}" for c in range(12)) + " |"
    module = HOSTILE_MODULE.format(word="a" * 300, wide=wide, cell="kata panjang " * 300,
                                   code="\n".join(f"baris {i} " + "x" * 3 * i for i in range(60)))
    root = make_project({"content/modules/01-siksa.md": module,
                         "content/modules/images/kecil.png": png_bytes((16, 16))},
                        config=MINIMAL_CONFIG.replace("Bimtek Uji\n", "Judul Pendek " * 20 + "\n"))
    prs = open_deck(render(render_context(load_course(root)), "siksa"))
    assert_inside(prs, "hostile")
    assert_no_overlap(prs, "hostile")
    assert_text_fits(prs, "hostile")
    titles = [title_of(s) for s in prs.slides]
    assert "Karakter Aneh dan Tab" in titles
    assert "Bagian Kosong" in titles
    footers = [sh.text_frame.text for s in prs.slides for sh in s.placeholders
               if sh.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
    assert footers and all(f.endswith("…") and len(f) < 200 for f in footers)
    assert notes_of(prs.slides[0]).endswith("Paragraf sebelum bagian pertama.")


def test_logo_on_the_title_and_closing_slides(feature_project):
    (feature_project / "logo.png").write_bytes(png_bytes((400, 200)))
    config = feature_project / "bimtek.yml"
    config.write_text(config.read_text(encoding="utf-8") + "logo: logo.png\n", encoding="utf-8")
    ctx = render_context(load_course(feature_project))
    prs = open_deck(render(ctx, "fitur-lengkap"))
    for slide in (prs.slides[0], prs.slides[-1]):
        logos = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(logos) == 1 and logos[0]._element.nvPicPr.cNvPr.get("descr") == "Logo"
    assert_inside(prs, "logo")
    assert_no_overlap(prs, "logo")


# --- metadata, reproducibility, language ---------------------------------------------------------


def test_core_properties_and_reproducible_bytes(feature_ctx):
    first = render(feature_ctx, "fitur-lengkap")
    second = render(feature_ctx, "fitur-lengkap")
    assert first == second
    props = open_deck(first).core_properties
    assert props.title == "Modul Semua Fitur"
    assert props.author == "BKPSDM Kabupaten Contoh"
    assert props.subject == "Bimtek Uji Coba"
    assert props.language == "id-ID"
    assert props.revision == 1
    assert int(props.created.timestamp()) == 1_700_000_000 or props.created.year == 2023
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}


def test_english_labels(make_project):
    config = MINIMAL_CONFIG.replace("language: id", "language: en")
    from conftest import FEATURE_MODULE

    root = make_project({"content/modules/01-fitur-lengkap.md": FEATURE_MODULE}, config=config)
    ctx = render_context(load_course(root))
    renderer = SlidesRenderer()
    (job,) = renderer.jobs(ctx)
    assert job.outputs == ("facilitators/slides/01-fitur-lengkap.pptx",)
    prs = open_deck(render(ctx, "fitur-lengkap"))
    titles = [title_of(s) for s in prs.slides]
    for expected in ("Learning Objectives", "Agenda", "Exercise M1.1: Latihan Pesan Kunci",
                     "Case Study M1.2: Kasus Loket", "Role-play M1.3: Warga Kecewa",
                     "Bagian Kedua (continued)", "Summary", "Thank You"):
        assert expected in titles
    text = "\n".join(slide_text(s) for s in prs.slides)
    assert "Time: 20 minutes" in text and "Questions" in text
    assert prs.core_properties.language == "en-US"


# --- template.pptx -------------------------------------------------------------------------------


def make_template(path: Path, layout_name: str = "Konten Korporat") -> None:
    """python-pptx's default template with a renamed content layout and a coloured master."""
    prs = Presentation()
    prs.slide_layouts[1].name = layout_name
    fill = prs.slide_master.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor(0xFF, 0xF4, 0xE0)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Slide contoh dari templat"
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))


def test_template_layouts_and_placeholders_are_used(feature_project):
    make_template(feature_project / "themes" / "default" / "template.pptx")
    ctx = render_context(load_course(feature_project))
    data = render(ctx, "fitur-lengkap")
    prs = open_deck(data)
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts[0] == "Title Slide"
    assert layouts[1] == "Konten Korporat"
    assert "Section Header" in layouts
    assert "Slide contoh dari templat" not in "\n".join(slide_text(s) for s in prs.slides)
    assert prs.slide_width == Presentation().slide_width  # the template's 4:3 size is kept
    master_fill = prs.slide_master.background.fill
    assert master_fill.fore_color.rgb == RGBColor(0xFF, 0xF4, 0xE0)
    objectives = prs.slides[1]
    body = [s for s in objectives.placeholders if s.placeholder_format.idx == 1]
    assert body and "menerapkan fitur kedua" in body[0].text_frame.text
    assert prs.slides[0].shapes.title.text == "Modul Semua Fitur"
    assert_inside(prs, "template")
    assert_no_overlap(prs, "template")
    assert render(ctx, "fitur-lengkap") == data


def test_template_layout_named_in_the_theme(feature_project):
    make_template(feature_project / "themes" / "default" / "template.pptx", "Isi")
    (feature_project / "themes" / "default" / "theme.yml").write_text(
        "slides:\n  layouts:\n    content: Isi\n    divider: Title Only\n", encoding="utf-8")
    ctx = render_context(load_course(feature_project))
    layouts = {s.slide_layout.name for s in open_deck(render(ctx, "fitur-lengkap")).slides}
    assert {"Isi", "Title Only", "Title Slide"} <= layouts
    (feature_project / "themes" / "default" / "theme.yml").write_text(
        "slides:\n  layouts:\n    content: Tidak Ada\n", encoding="utf-8")
    ctx = render_context(load_course(feature_project))
    with pytest.raises(SlideError, match="no slide layout named 'Tidak Ada'"):
        render(ctx, "fitur-lengkap")


# --- LibreOffice -------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: cannot check that decks open")
def test_decks_open_in_libreoffice_one_page_per_slide(stress, feature_ctx, tmp_path):
    import pdfplumber
    from pypdf import PdfReader

    decks = {"stress.pptx": stress[1], "fitur.pptx": render(feature_ctx, "fitur-lengkap")}
    for name, data in decks.items():
        (tmp_path / name).write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *[str(tmp_path / n) for n in decks]],
        capture_output=True, timeout=120, check=True,
    )
    for name, data in decks.items():
        pdf = tmp_path / name.replace(".pptx", ".pdf")
        assert len(PdfReader(pdf).pages) == len(open_deck(data).slides), name
        # What LibreOffice actually drew: no text outside the page, none below the body area.
        with pdfplumber.open(pdf) as document:
            for number, page in enumerate(document.pages, start=1):
                limit = 6.62 * 72
                for char in page.chars:
                    assert char["x0"] >= 0 and char["x1"] <= page.width + 0.5, (name, number)
                    if char["size"] >= 13:
                        assert char["bottom"] <= limit, (name, number, char["text"])
