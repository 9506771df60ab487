"""`bimtek import`: Word modules, PowerPoint decks and Carpentries episodes become modules.

Every fixture is written here by the library that makes such files (python-docx,
python-pptx) or as text, imported into a fresh project, checked with `--strict` and built.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bimtek_kit.cli import app
from bimtek_kit.commands.check import check
from bimtek_kit.commands.importing import import_files
from bimtek_kit.loader import load_course
from bimtek_kit.model import (
    Activity,
    AudienceOnly,
    Block,
    Callout,
    CodeBlock,
    Diagram,
    Image,
    ListBlock,
    ListItem,
    Module,
    Notes,
    Summary,
    Table,
    plain,
)
from conftest import REPO, render_context

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _png(colour: str = "navy") -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    return make_project({})


def _imported(root: Path, source: Path, strict: bool = True) -> Module:
    """Import `source`; the project then checks clean (with `strict`: not even a warning)."""
    (report,) = import_files(root, [source])
    assert not report.diagnostics.errors, [str(d) for d in report.diagnostics.items]
    course, diagnostics = check(root)
    assert course is not None and not diagnostics.has_errors(strict), [
        str(d) for d in diagnostics.items]
    module = next(m for m in course.modules if m.path.name == report.module.name)
    return module


def _build(root: Path, tmp_path: Path) -> None:
    from bimtek_kit.commands.build import BuildOptions, build

    report = build(BuildOptions(root, tmp_path / "dist", only=["slides", "docx"], strict=True,
                                jobs=1))
    assert not report.diagnostics.items
    assert any(path.endswith(".pptx") for path in report.written)


def _lists(blocks: tuple[Block, ...]) -> list[list[str]]:
    return [[plain(item.spans) for item in b.items] for b in blocks if isinstance(b, ListBlock)]


# --- Word -----------------------------------------------------------------------------------


def _footnote(document, paragraph, text: str) -> None:  # type: ignore[no-untyped-def]
    """python-docx has no footnote API: add the part and a reference by hand, as Word does."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    xml = (f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t>'
           "</w:r></w:p></w:footnote></w:footnotes>").encode()
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    part = Part(PackURI("/word/footnotes.xml"), content_type, xml, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W_NS}" w:id="1"/>'))


def _word_module(path: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.add_paragraph("Pelayanan Prima di Loket", style="Title")
    document.add_paragraph("Tujuan Pembelajaran", style="Heading 2")
    for objective in ("menjelaskan pengantar pelayanan prima", "menerapkan langkah pelayanan",
                      "memberi pelayanan yang menenangkan"):
        document.add_paragraph(objective, style="List Number")
    document.add_paragraph("Pengantar Pelayanan", style="Heading 1")
    paragraph = document.add_paragraph("Warga datang dengan ")
    paragraph.add_run("harapan").bold = True
    paragraph.add_run(" dan ")
    paragraph.add_run("kecemasan").italic = True
    paragraph.add_run(".")
    _footnote(document, paragraph, "Survei kepuasan 2025.")
    document.add_paragraph("Harga *promo* 1. bukan # daftar ::: kunci")
    document.add_paragraph("Sapa warga", style="List Bullet")
    document.add_paragraph("Dengan senyum", style="List Bullet 2")
    document.add_paragraph("Tanyakan keperluan", style="List Bullet")
    document.add_paragraph("Langkah Pelayanan", style="Heading 1")
    for step in ("Terima berkas", "Periksa kelengkapan"):
        document.add_paragraph(step, style="List Number")
    document.add_paragraph("Contoh Jawaban", style="Heading 2")
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("Situasi", "Jawaban"), ("Antre", "Mohon ditunggu"),
                                        ("Berkas kurang", "Tinggal satu dokumen")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    image = path.parent / "alur.png"
    image.write_bytes(_png())
    shape = document.add_picture(str(image), width=Pt(120))
    shape._inline.docPr.set("descr", "Alur loket")
    document.add_paragraph("Rincian kecil", style="Heading 4")
    document.add_paragraph("Teks di bawah judul yang terlalu dalam.")
    document.save(path)


def test_word_module_is_imported_checked_and_built(project: Path, tmp_path: Path):
    source = tmp_path / "pelayanan-prima.docx"
    _word_module(source)
    (report,) = import_files(project, [source])
    assert report.module == Path("content/modules/01-pelayanan-prima-di-loket.md")
    assert report.images == [Path("content/modules/images/pelayanan-prima-1.png")]
    warnings = [str(d) for d in report.diagnostics.items]
    assert any(w.startswith("pelayanan-prima.docx:17: warning: heading level 4 'Rincian kecil'")
               for w in warnings), warnings
    course, diagnostics = check(project)
    assert course is not None and not diagnostics.items, [str(d) for d in diagnostics.items]
    (module,) = course.modules
    assert module.title == "Pelayanan Prima di Loket"
    assert module.objectives[1] == "menerapkan langkah pelayanan"
    assert [s.title for s in module.sections] == ["Pengantar Pelayanan", "Langkah Pelayanan"]
    first, second = module.sections
    spans = first.blocks[0].spans
    assert plain(spans) == "Warga datang dengan harapan dan kecemasan."
    assert any(s.bold and s.text == "harapan" for s in spans)
    assert any(s.italic and s.text == "kecemasan" for s in spans)
    note = first.blocks[1]
    assert isinstance(note, Callout) and note.kind == "info"
    assert plain(note.blocks[0].spans) == "Survei kepuasan 2025."
    assert plain(first.blocks[2].spans) == "Harga *promo* 1. bukan # daftar ::: kunci"
    bullets = next(b for b in first.blocks if isinstance(b, ListBlock))
    assert [plain(i.spans) for i in bullets.items] == ["Sapa warga", "Tanyakan keperluan"]
    assert _lists(bullets.items[0].blocks) == [["Dengan senyum"]]
    assert _lists(second.blocks)[0] == ["Terima berkas", "Periksa kelengkapan"]
    table = next(b for b in second.blocks if isinstance(b, Table))
    assert [plain(c) for c in table.header] == ["Situasi", "Jawaban"]
    assert [[plain(c) for c in row] for row in table.rows] == [
        ["Antre", "Mohon ditunggu"], ["Berkas kurang", "Tinggal satu dokumen"]]
    image = next(b for b in second.blocks if isinstance(b, Image))
    assert image.alt == "Alur loket" and image.path.read_bytes() == _png()
    _build(project, tmp_path)


def test_import_never_overwrites(project: Path, tmp_path: Path):
    source = tmp_path / "pelayanan-prima.docx"
    _word_module(source)
    first, second = import_files(project, [source, source])
    assert first.module.name == "01-pelayanan-prima-di-loket.md"
    assert second.module.name == "02-pelayanan-prima-di-loket-2.md"
    assert second.images == [Path("content/modules/images/pelayanan-prima-2-1.png")]
    assert (project / first.images[0]).read_bytes() == _png()


def test_cli_reports_what_it_cannot_import(project: Path, tmp_path: Path):
    odd = tmp_path / "catatan.txt"
    odd.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(odd), "-C", str(project)])
    assert result.exit_code == 1
    assert "cannot import a '.txt' file (expected .docx, .pptx or .md)" in result.output
    assert not (project / "content/modules").exists()


# --- PowerPoint ----------------------------------------------------------------------------


def _deck(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = "Komunikasi Krisis"
    cover.placeholders[1].text = "Menghadapi isu yang viral."
    goals = deck.slides.add_slide(deck.slide_layouts[1])
    goals.shapes.title.text = "Tujuan Pembelajaran"
    goals_frame = goals.placeholders[1].text_frame
    goals_frame.text = "mengenali tanda krisis"
    for goal in ("menanggapi krisis dengan tenang", "menyusun respons krisis"):
        goals_frame.add_paragraph().text = goal
    divider = deck.slides.add_slide(deck.slide_layouts[2])
    divider.shapes.title.text = "Memahami Krisis"
    for shape in list(divider.placeholders)[1:]:
        shape._element.getparent().remove(shape._element)
    content = deck.slides.add_slide(deck.slide_layouts[1])
    content.shapes.title.text = "Tanda-tanda Krisis"
    frame = content.placeholders[1].text_frame
    frame.text = "Keluhan menumpuk"
    sub = frame.add_paragraph()
    sub.text, sub.level = "di media sosial", 1
    frame.add_paragraph().text = "Media bertanya"
    content.notes_slide.notes_text_frame.text = "Tanyakan pengalaman peserta."
    more = deck.slides.add_slide(deck.slide_layouts[5])
    more.shapes.title.text = "Tanda-tanda Krisis (lanjutan)"
    table = more.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (row, column), text in {(0, 0): "Tahap", (0, 1): "Tindakan", (1, 0): "Awal",
                                (1, 1): "Klarifikasi"}.items():
        table.cell(row, column).text = text
    picture_slide = deck.slides.add_slide(deck.slide_layouts[5])
    picture_slide.shapes.title.text = "Alur Respons"
    image = path.parent / "alur.png"
    image.write_bytes(_png("green"))
    picture = picture_slide.shapes.add_picture(str(image), Inches(1), Inches(2))
    picture._element.nvPicPr.cNvPr.set("descr", "Alur respons krisis")
    divider2 = deck.slides.add_slide(deck.slide_layouts[2])
    divider2.shapes.title.text = "Menanggapi Krisis"
    for shape in list(divider2.placeholders)[1:]:
        shape._element.getparent().remove(shape._element)
    last = deck.slides.add_slide(deck.slide_layouts[1])
    last.shapes.title.text = "Langkah Pertama"
    last.placeholders[1].text_frame.text = "Akui masalahnya"
    deck.save(path)


def test_deck_is_imported_checked_and_built(project: Path, tmp_path: Path):
    source = tmp_path / "krisis.pptx"
    _deck(source)
    module = _imported(project, source)
    assert module.title == "Komunikasi Krisis"
    assert module.description == "Menghadapi isu yang viral."
    assert module.objectives == ("mengenali tanda krisis", "menanggapi krisis dengan tenang",
                                 "menyusun respons krisis")
    assert [s.title for s in module.sections] == ["Memahami Krisis", "Menanggapi Krisis"]
    first = module.sections[0]
    headings = [plain(b.spans) for b in first.blocks if type(b).__name__ == "Heading"]
    assert headings == ["Tanda-tanda Krisis", "Alur Respons"]
    bullets = next(b for b in first.blocks if isinstance(b, ListBlock))
    assert [plain(i.spans) for i in bullets.items] == ["Keluhan menumpuk", "Media bertanya"]
    assert _lists(bullets.items[0].blocks) == [["di media sosial"]]
    assert [plain(n.blocks[0].spans) for n in module.notes] == ["Tanyakan pengalaman peserta."]
    table = next(b for b in first.blocks if isinstance(b, Table))
    assert [[plain(c) for c in row] for row in (table.header, *table.rows)] == [
        ["Tahap", "Tindakan"], ["Awal", "Klarifikasi"]]
    image = next(b for b in first.blocks if isinstance(b, Image))
    assert image.alt == "Alur respons krisis" and image.path.read_bytes() == _png("green")
    _build(project, tmp_path)


# --- Carpentries ---------------------------------------------------------------------------

EPISODE = """\
---
title: "Navigating Files and Directories"
teaching: 30
exercises: 15
questions:
- "How can I move around on my computer?"
objectives:
- "Explain the similarities and differences between a file and a directory."
- "Translate an absolute path into a relative path and vice versa."
- "Construct absolute and relative paths that identify specific files."
keypoints:
- "The file system is responsible for managing information on the disk."
---
The part of the operating system responsible for managing files is the **file system**.

## Listing files

~~~
$ ls -F
~~~
{: .language-bash}

~~~
Applications/ Desktop/
~~~
{: .output}

> ## Relative path resolution
>
> Using the filesystem diagram below, what does `ls ../backup` display?
>
> 1. `2012-12-01 2013-01-08`
> 2. `original pnas_final`
>
> > ## Solution
> > 1. No: there *is* a directory `backup` in `/Users`.
> > 2. Yes: `../backup/` refers to `/Users/backup/`.
> {: .solution}
{: .challenge}

> ## Home directory variation
>
> The home directory path will look different on different operating systems.
{: .callout}

{% include links.md %}
"""


def test_carpentries_episode_is_imported_checked_and_built(project: Path, tmp_path: Path):
    source = tmp_path / "02-filedir.md"
    source.write_text(EPISODE, encoding="utf-8")
    (report,) = import_files(project, [source])
    assert "02-filedir.md:46: warning: liquid tag left out: {% include links.md %}" in [
        str(d) for d in report.diagnostics.items]
    module = _imported_again(project, report.module)
    assert module.title == "Navigating Files and Directories"
    assert module.duration_jp == 1 and module.objectives[0] == (
        "Explain the similarities and differences between a file and a directory.")
    assert [s.title for s in module.sections] == [module.title, "Listing files"]
    assert module.description == "How can I move around on my computer?"
    section = module.sections[-1]
    codes = [(b.language, b.text.strip()) for b in section.blocks if isinstance(b, CodeBlock)]
    assert codes == [("bash", "$ ls -F"), ("output", "Applications/ Desktop/")]
    (activity,) = module.activities
    assert activity.kind == "latihan" and activity.title == "Relative path resolution"
    assert len(activity.questions) == 2
    assert "refers to /Users/backup/" in " ".join(plain(b.items[1].spans) for b in activity.key
                                                   if isinstance(b, ListBlock))
    callout = next(b for b in section.blocks if isinstance(b, Callout))
    assert callout.kind == "info" and callout.title == "Home directory variation"
    (summary,) = module.summaries
    assert _lists(summary.blocks) == [
        ["The file system is responsible for managing information on the disk."]]
    _build(project, tmp_path)


def _imported_again(root: Path, relative: Path) -> Module:
    course, diagnostics = check(root)
    assert course is not None and not diagnostics.items, [str(d) for d in diagnostics.items]
    return next(m for m in course.modules if m.path.name == relative.name)


# --- round trip ----------------------------------------------------------------------------


def _visible(blocks: tuple[Block, ...]) -> list[Block]:
    """What the handbook shows, flattened: no notes, keys, slide-only text; boxes opened."""
    found: list[Block] = []
    for block in blocks:
        if isinstance(block, Notes) or (isinstance(block, AudienceOnly)
                                         and block.target == "slides"):
            continue
        if isinstance(block, Callout | Summary | AudienceOnly | Activity):
            found += _visible(block.blocks)
        else:
            found.append(block)
            if isinstance(block, ListBlock):
                for item in block.items:
                    found += _visible(item.blocks)
    return found


def _shape(blocks: tuple[Block, ...]) -> list[object]:
    shape: list[object] = []
    for block in _visible(blocks):
        if isinstance(block, ListBlock):
            shape.append(("list", block.ordered, [_item(i) for i in block.items]))
        elif isinstance(block, Table):
            shape.append(("table", [[plain(c) for c in row]
                                    for row in (block.header, *block.rows)]))
        elif isinstance(block, Diagram):
            shape.append(("diagram", block.kind, block.title, block.x_label, block.y_label,
                          [(i.label, i.description, [c.label for c in i.children])
                           for i in block.items]))
    return shape


def _item(item: ListItem) -> str:
    return plain(item.spans)


def test_default_m1_survives_docx_and_back(make_project: Callable[..., Path], tmp_path: Path):
    from bimtek_kit.render.docx.handbook import handbook_docx

    course = load_course(REPO)
    original = next(m for m in course.modules if m.code == "M1")
    exported = tmp_path / "m1.docx"
    exported.write_bytes(handbook_docx(render_context(course), (original,)))
    root = make_project({})
    config = yaml.safe_load((REPO / "bimtek.yml").read_text("utf-8"))
    config.pop("narasumber")  # it names the default course's other modules
    (root / "bimtek.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    module = _imported(root, exported)
    assert module.title == original.title
    assert (module.duration_jp, module.objectives, module.methods) == (
        original.duration_jp, original.objectives, original.methods)
    assert [s.title for s in module.sections] == [s.title for s in original.sections]
    for back, section in zip(module.sections, original.sections, strict=True):
        assert _shape(back.blocks) == _shape(section.blocks), section.title
    assert sum(isinstance(b, Diagram) for b in module.all_blocks) == 2  # hierarki, matriks
    assert [(a.kind, a.title, a.minutes, len(a.questions)) for a in module.activities] == [
        (a.kind, a.title, a.minutes, len(a.questions)) for a in original.activities]


def test_cli_imports_and_prints_the_check(project: Path, tmp_path: Path):
    source = tmp_path / "02-filedir.md"
    source.write_text(EPISODE, encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(source), "-C", str(project)])
    assert result.exit_code == 0, result.output
    assert "created content/modules/01-navigating-files-and-directories.md from 02-filedir.md" \
        in result.output
    assert "02-filedir.md:46: warning: liquid tag left out" in result.output
    strict = CliRunner().invoke(app, ["import", str(source), "-C", str(project), "--strict"])
    assert strict.exit_code == 1  # the same warning, now an error
    assert (project / "content/modules/02-navigating-files-and-directories-2.md").is_file()


def test_word_lists_numbered_directly_are_ordered(project: Path, tmp_path: Path):
    """Word users number paragraphs with the toolbar (numPr on a plain paragraph), not styles."""
    import docx

    from bimtek_kit.render.docx.ooxml import set_numbering

    document = docx.Document()
    document.add_paragraph("Langkah", style="Heading 1")
    number_style = document.styles["List Number"].element
    num_id = int(number_style.pPr.numPr.numId.val)
    for text in ("Sapa", "Dengarkan"):
        set_numbering(document.add_paragraph(text, style="List Paragraph"), num_id)
    source = tmp_path / "langkah.docx"
    document.save(source)
    module = _imported(project, source, strict=False)  # it names no objectives
    (numbered,) = [b for b in module.sections[0].blocks if isinstance(b, ListBlock)]
    assert numbered.ordered and [plain(i.spans) for i in numbered.items] == ["Sapa", "Dengarkan"]


def test_a_deck_bimtek_kit_made_comes_back_clean(feature_ctx, make_project: Callable[..., Path],
                                                 tmp_path: Path):
    """Footers, slide numbers, "Bagian 2" kickers and the agenda are the deck's design: left
    out; the objectives slide fills the front matter; speaker notes become catatan."""
    from conftest import render_all

    decks = {p: a for p, a in render_all(feature_ctx, "slides").items() if p.endswith(".pptx")}
    path, artifact = next((p, a) for p, a in sorted(decks.items()) if "fitur-lengkap" in p)
    source = tmp_path / Path(path).name
    source.write_bytes(artifact.data)
    project = make_project({}, name="tujuan")
    module = _imported(project, source, strict=False)  # as strict as its source: see below
    original = feature_ctx.course.modules[0]
    assert module.title == original.title and module.objectives == original.objectives
    assert module.duration_jp == original.duration_jp
    (written,) = (project / "content/modules").glob("*.md")
    markdown = written.read_text(encoding="utf-8")
    assert "Bimtek Uji · M1" not in markdown and "Agenda" not in markdown
    assert module.notes
    _, diagnostics = check(project)
    assert [d.message for d in diagnostics.items] == [  # the fixture module has 2 objectives
        "2 objectives: a module usually has 3 to 5 (split the module or merge objectives)"]
