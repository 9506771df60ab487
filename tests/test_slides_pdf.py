"""Bahan tayang (issue #17): the slides as a 16:9 PDF drawn from the same layout as the PPTX.

Fidelity is checked against the layout objects (frames in points) and the PPTX (words in order),
read back with pdfplumber and python-pptx.
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from pptx import Presentation

from bimtek_kit.loader import load_course
from bimtek_kit.render import available
from bimtek_kit.render.slides.layout import BOX_INSETS, TEXT_INSETS, TextBox
from bimtek_kit.render.slides.pdfdeck import SlidesPdfRenderer
from bimtek_kit.render.slides.renderer import SlidesRenderer, lay_out_deck
from conftest import CATATAN_MARKER, KUNCI_MARKER, REPO, pdf_fonts, render_all, render_context

DESCENT = 0.212
"""Liberation Sans' descent in em: pdfplumber's `bottom` is the baseline plus the descent."""
ASCENT = 0.905
MARKERS = re.compile(r"^(?:[•–▪]|\d+\.)$")


def run(renderer, ctx, module_id: str) -> tuple[str, bytes]:
    (artifact,) = render_all(ctx, renderer.name, module_id).values()
    return artifact.path, artifact.data


@pytest.fixture(scope="module")
def default_m1():
    ctx = render_context(load_course(REPO))
    module = ctx.course.module("komunikasi-publik")
    path, data = run(SlidesPdfRenderer(), ctx, module.id)
    _, pptx = run(SlidesRenderer(), ctx, module.id)
    return ctx, module, path, data, Presentation(io.BytesIO(pptx))


def test_registered_one_pdf_per_module_in_the_participants_folder(default_m1):
    ctx, module, path, data, prs = default_m1
    assert "bahan-tayang" in available()
    assert path == f"peserta/bahan-tayang/{module.file_stem}.pdf"
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(prs.slides)
        assert {(round(p.width), round(p.height)) for p in pdf.pages} == {(960, 540)}


def test_text_boxes_sit_where_the_layout_put_them(default_m1):
    """The first line of every text box: within 1 pt of its frame in the layout."""
    ctx, module, _path, data, _prs = default_m1
    laid = lay_out_deck(ctx, module)
    checked = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, pdf_page in zip(laid.pages, pdf.pages, strict=True):
            measure = laid.measure_at(page.body_size) if page.body_size else laid.measure
            words = pdf_page.extract_words(extra_attrs=["size"])
            for placed in page.placed:
                box = placed.box
                if not isinstance(box, TextBox) or box.heading is not None:
                    continue
                para = box.paras[0]
                insets = BOX_INSETS.get(box.kind, TEXT_INSETS)
                size = measure.size(para)
                x = placed.frame.x + insets.left + measure.margin_left(para)
                top = placed.frame.y + insets.top + size * (ASCENT + DESCENT - 1)
                if para.role == "caption":
                    continue
                near = [w for w in words if abs(w["x0"] - x) <= 1 and abs(w["top"] - top) <= 1]
                assert near, f"slide '{page.title.text}': no text at ({x:.1f}, {top:.1f})"
                checked += 1
    assert checked > 10


def pptx_words(slide) -> list[str]:
    words: list[str] = []
    for shape in slide.shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        if shape.shape_type == 6:  # a group: a diagram
            frames += [s.text_frame for s in shape.shapes if s.has_text_frame]
        for frame in frames:
            words += frame.text.split()
    return [w for w in words if not MARKERS.match(w)]


def test_same_words_in_the_same_order_as_the_pptx(default_m1):
    _ctx, _module, _path, data, prs = default_m1
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, (slide, page) in enumerate(zip(prs.slides, pdf.pages, strict=True), 1):
            drawn = [w["text"] for w in page.extract_words(use_text_flow=True, x_tolerance=1.5)]
            drawn = [w for w in drawn if not MARKERS.match(w)]
            expected = pptx_words(slide)
            assert sorted(drawn) == sorted(expected), f"slide {number}"
            # Reading order: every text box's words appear in the PDF in the PPTX's order.
            assert " ".join(expected[:3]) in " ".join(drawn), f"slide {number}"


def test_bookmarks_per_section_and_no_notes_or_keys(feature_ctx):
    ctx = feature_ctx
    module = ctx.course.modules[0]
    _path, data = run(SlidesPdfRenderer(), ctx, module.id)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        outline = pdf.doc.catalog.get("Outlines")
    assert outline is not None
    assert CATATAN_MARKER not in text and KUNCI_MARKER not in text
    from pypdf import PdfReader

    titles = [item.title for item in PdfReader(io.BytesIO(data)).outline
              if not isinstance(item, list)]
    assert titles[0] == module.title
    assert all(section.title in titles for section in module.sections)


def pdf_text(data: bytes) -> tuple[int, str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages), "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_handout_three_slides_a_page_with_lines_and_nothing_secret(feature_ctx):
    from bimtek_kit.render.slides.handouts import HandoutRenderer

    ctx = feature_ctx
    module = ctx.course.modules[0]
    path, data = run(HandoutRenderer(), ctx, module.id)
    assert path == f"peserta/handout/{module.file_stem}.pdf"
    slides = len(lay_out_deck(ctx, module).pages)
    pages, text = pdf_text(data)
    assert pages == -(-slides // 3)
    assert CATATAN_MARKER not in text and KUNCI_MARKER not in text
    assert module.sections[0].title.replace(" ", "") in text.replace(" ", "")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        ruled = [r for r in page.rects if r["x0"] > page.width / 2 and r["width"] > 100]
        assert len(ruled) >= 8 * 2  # note lines beside the slides of the first page


def test_handout_six_up_without_lines(feature_project):
    from bimtek_kit.render.slides.handouts import HandoutRenderer

    config = (feature_project / "bimtek.yml").read_text(encoding="utf-8")
    (feature_project / "bimtek.yml").write_text(config + "handout:\n  per_page: 6\n",
                                                encoding="utf-8")
    ctx = render_context(load_course(feature_project))
    module = ctx.course.modules[0]
    _path, data = run(HandoutRenderer(), ctx, module.id)
    pages, _text = pdf_text(data)
    assert pages == -(-len(lay_out_deck(ctx, module).pages) // 6)


def test_notes_pages_carry_the_notes_and_the_facilitator_mark(feature_ctx):
    from bimtek_kit.render.slides.handouts import NotesPagesRenderer

    ctx = feature_ctx
    module = ctx.course.modules[0]
    path, data = run(NotesPagesRenderer(), ctx, module.id)
    assert path == f"fasilitator/catatan-slide/{module.file_stem}.pdf"
    pages, text = pdf_text(data)
    assert pages >= len(lay_out_deck(ctx, module).pages)
    assert CATATAN_MARKER in text and KUNCI_MARKER not in text
    assert "jangan dibagikan" in text.replace("\n", " ")


FRESH_MACHINE_FONTS = "/usr/share/fonts/truetype/dejavu"
THEME_FACE = re.compile(
    r"^[A-Z]{6}\+bimtek-theme-Liberation-(?:Sans|Serif|Mono)(?:-Bold)?(?:-Italic)?$")
"""A face from the theme's fonts/ under its private family (`pdf.fonts.theme_family`): no font
the machine has installed can carry that name."""


def embedded_fonts(data: bytes) -> set[str]:
    return pdf_fonts(io.BytesIO(data))


FONT_MODULE = """\
---
id: huruf
title: Modul Huruf
code: M1
duration_jp: 1
objectives: [membaca slide]
---

## Semua Gaya Huruf

- Butir **tebal**, *miring*, ***keduanya*** dan `kode_layanan`
- Tanda panah → dan kutip “melengkung”

```
antrean = 12
```

| Kolom | Isi |
|---|---|
| satu | dua |

::: bagan alur Alur layanan
- Daftar
- Periksa
- Selesai
:::
"""


def slide_pdfs(root) -> dict[str, bytes]:  # noqa: ANN001 - a project folder
    from bimtek_kit.render.slides.handouts import HandoutRenderer, NotesPagesRenderer

    ctx = render_context(load_course(root))
    module = ctx.course.modules[0]
    return {renderer.name: run(renderer, ctx, module.id)[1]
            for renderer in (SlidesPdfRenderer(), HandoutRenderer(), NotesPagesRenderer())}


def test_slide_pdfs_embed_only_the_theme_fonts_on_any_machine(make_project, tmp_path,
                                                               monkeypatch):
    """Bahan tayang, handout and notes pages print with the theme's Liberation files (the
    open twins of the Arial and Courier New the PPTX names and the slide measure accepts),
    whether or not the machine has Liberation (or Arial) installed: the same bytes on both."""
    from pathlib import Path

    if not Path(FRESH_MACHINE_FONTS).is_dir():
        pytest.skip("no DejaVu fonts to stand for a fresh machine's")
    root = make_project({"content/modules/01-huruf.md": FONT_MODULE})
    here = slide_pdfs(root)
    config = tmp_path / "fonts.conf"
    config.write_text(f"<?xml version='1.0'?><fontconfig><dir>{FRESH_MACHINE_FONTS}</dir>"
                      f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    fresh = slide_pdfs(root)
    for name, data in fresh.items():
        fonts = {font.split("+")[-1] for font in embedded_fonts(data)}
        assert {"bimtek-theme-Liberation-Sans-Bold", "bimtek-theme-Liberation-Sans-Italic",
                "bimtek-theme-Liberation-Mono"} <= fonts, (name, fonts)
        assert sorted(font for font in embedded_fonts(data)
                      if not THEME_FACE.match(font)) == [], name
        assert data == here[name], name


def test_notes_that_run_over_name_their_slide_on_the_next_page(make_project):
    from bimtek_kit.render.slides.handouts import NotesPagesRenderer

    long_note = "\n\n".join(f"Paragraf catatan nomor {n} yang panjang untuk fasilitator, "
                            "dibaca sebelum sesi dimulai dan diulang saat diskusi." * 3
                            for n in range(1, 16))
    module = (FONT_MODULE.split("## ")[0] + "## Bagian Panjang\n\n- Butir satu\n\n"
              f"::: catatan\n{long_note}\n:::\n")
    ctx = render_context(load_course(make_project({"content/modules/01-huruf.md": module})))
    _path, data = run(NotesPagesRenderer(), ctx, ctx.course.modules[0].id)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    heads = [number for number, text in enumerate(texts) if "Paragraf catatan nomor 1 " in text]
    assert heads, texts
    following = texts[heads[0] + 1]
    assert "Paragraf catatan nomor 15" in "".join(texts[heads[0]:])
    slide = next(line for line in texts[heads[0]].splitlines() if "Bagian Panjang" in line
                 and line.startswith("Slide"))
    assert following.startswith(f"{slide.split(':')[0]} (lanjutan)"), following[:80]
    assert not texts[heads[0]].startswith(f"{slide.split(':')[0]} (lanjutan)")


def test_handout_places_each_drawn_slide_in_its_frame(feature_ctx):
    """The handout shows the bahan tayang's pages themselves (`pdf.place`), scaled into the
    slide frames: every word of the first three slides sits where it sits on the slide,
    relative to the frame, within 1 % of the frame's width."""
    ctx = feature_ctx
    module = ctx.course.modules[0]
    _path, slides = run(SlidesPdfRenderer(), ctx, module.id)
    from bimtek_kit.render.slides.handouts import HandoutRenderer

    _path, handout = run(HandoutRenderer(), ctx, module.id)
    with pdfplumber.open(io.BytesIO(slides)) as deck, pdfplumber.open(io.BytesIO(handout)) as out:
        page = out.pages[0]
        boxes = [r for r in page.rects if r["x0"] < page.width / 2 and r["width"] > 100]
        frames = sorted((r for r in boxes if not any(  # the frames: inside no other box
            o is not r and o["x0"] <= r["x0"] and o["x1"] >= r["x1"] and o["top"] <= r["top"]
            and o["bottom"] >= r["bottom"] for o in boxes)), key=lambda r: r["top"])
        assert len(frames) == 3
        for slide, frame in zip(deck.pages[:3], frames, strict=True):
            scale = frame["width"] / float(slide.width)
            expected = [(w["text"], w["x0"] * scale, w["top"] * scale)
                        for w in slide.extract_words()]
            inside = [(w["text"], w["x0"] - frame["x0"], w["top"] - frame["top"])
                      for w in page.extract_words()
                      if frame["x0"] <= w["x0"] <= frame["x1"]
                      and frame["top"] <= w["top"] <= frame["bottom"]]
            assert [t for t, *_ in inside] == [t for t, *_ in expected]
            tolerance = frame["width"] / 100
            for (_, x, y), (_, ex, ey) in zip(inside, expected, strict=True):
                assert abs(x - ex) < tolerance and abs(y - ey) < tolerance
