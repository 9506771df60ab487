"""What the handbook's speed-ups must not change (issue #23): the bytes and the refusals.

Daftar isi leaders are laid out as one box per line and drawn with WeasyPrint's own operators;
stylesheets and font configurations are parsed once per process; a joined part is parsed once.
Each test compares against WeasyPrint's or pypdf's own path, byte for byte.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from bimtek_kit.render.handbook.leaders import whole_leaders
from bimtek_kit.render.pdf import weasy
from bimtek_kit.render.pdf.merge import MergeSpec, merge_pdfs, page_count
from bimtek_kit.render.pdf.weasy import RenderError, render_document, write_pdf

TOC = """<!DOCTYPE html><html lang="id"><body>
<h1 id="a">Bab satu</h1><h1 id="b" style="break-before: page">Bab dua</h1>
<ul>
  <li><a href="#a">BAB I Pelayanan publik</a></li>
  <li class="sub"><a href="#b">A. Standar pelayanan dan maklumat</a></li>
  <li><a href="#b" style="font-weight: bold">BAB II Pengaduan masyarakat yang panjang sekali
      sehingga judulnya pindah ke baris berikutnya</a></li>
</ul></body></html>"""

TOC_CSS = """
a { display: block; color: black; text-decoration: none; padding-right: 7mm; }
a::after { content: leader(".") target-counter(attr(href url), page); margin-right: -7mm; }
.sub a { padding-left: 8mm; font-family: "DejaVu Sans", sans-serif; }
"""


def _pdf(tmp_path, html: str, css: str, *, whole: bool) -> bytes:
    def render() -> bytes:
        document = render_document(html, tmp_path, (tmp_path,), [css])
        return write_pdf(document, title="t", author="a", language="id",
                         source_date_epoch=0)

    if not whole:
        return render()
    with whole_leaders():
        return render()


def test_leaders_drawn_whole_give_the_same_bytes_as_weasyprints_dots(tmp_path):
    plain = _pdf(tmp_path, TOC, TOC_CSS, whole=False)
    whole = _pdf(tmp_path, TOC, TOC_CSS, whole=True)
    assert whole == plain
    text = PdfReader(io.BytesIO(whole)).pages[1].extract_text()
    assert "Standar pelayanan dan maklumat" in text and "....." in text


def test_a_leader_inside_whole_leaders_is_one_box(tmp_path):
    with whole_leaders():
        document = render_document(TOC, tmp_path, (tmp_path,), [TOC_CSS])
    leaders = [box for box in _boxes(document.pages[1]._page_box)
               if getattr(box, "is_leader", False)]
    assert len(leaders) == 3  # one per entry, on its last line
    assert all(len(box.children) == 1 and type(box.children[0]).__name__ == "LeaderDots"
               for box in leaders)
    assert all(len(box.children[0].offsets) > 20 for box in leaders)


def test_whole_leaders_is_undone_after_the_block(tmp_path):
    import weasyprint.draw
    import weasyprint.layout.inline

    before = (weasyprint.layout.inline.handle_leader, weasyprint.draw.draw_text)
    with whole_leaders():
        assert weasyprint.layout.inline.handle_leader is not before[0]
    assert (weasyprint.layout.inline.handle_leader, weasyprint.draw.draw_text) == before
    document = render_document(TOC, tmp_path, (tmp_path,), [TOC_CSS])
    dots = [box for box in _boxes(document.pages[1]._page_box)
            if getattr(box, "is_leader", False)][0].children
    assert len(dots) > 20  # WeasyPrint's own dots again


def _boxes(box):  # type: ignore[no-untyped-def]
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def test_a_stylesheet_is_parsed_once_and_gives_the_same_pages(tmp_path):
    css = "p { font-family: serif; color: #123456; }"
    first = render_document("<p>Halo</p>", tmp_path, (tmp_path,), [css])
    sheets = weasy._parsed((css,), f"{tmp_path}/", (tmp_path,))
    second = render_document("<p>Halo</p>", tmp_path, (tmp_path,), [css])
    assert weasy._parsed((css,), f"{tmp_path}/", (tmp_path,)).sheets[0] is sheets.sheets[0]
    write = {"title": "t", "author": "a", "language": "id", "source_date_epoch": 0}
    assert write_pdf(first, **write) == write_pdf(second, **write)


def test_a_cached_stylesheet_that_was_refused_is_refused_every_time(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "f.ttf").write_bytes(b"not a font")
    inside = tmp_path / "project"
    inside.mkdir()
    css = f'@font-face {{ font-family: X; src: url("{(outside / "f.ttf").as_uri()}"); }}'
    for _ in range(2):
        with pytest.raises(RenderError, match="refused to load"):
            render_document("<p>Halo</p>", inside, (inside,), [css])


def _pages(count: int, width: float) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=width, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_part_counted_then_joined_twice_keeps_its_pages_apart():
    from bimtek_kit.render.pdf import merge

    one, two = _pages(1, 100), _pages(2, 150)
    assert page_count(one) == 1 and id(one) not in merge._READERS  # counting alone keeps none
    assert page_count(two, keep=True) == 2 and id(two) in merge._READERS
    spec = MergeSpec("t", "a", "id", 0)
    joined = PdfReader(io.BytesIO(merge_pdfs([one, two, two], spec)))
    assert [float(page.mediabox.width) for page in joined.pages] == [100, 150, 150, 150, 150]
    pages = joined.pages
    assert pages[1].indirect_reference != pages[3].indirect_reference
    assert id(two) not in merge._READERS  # dropped once joined
    assert merge_pdfs([one, two, two], spec) == merge_pdfs([one, two, two], spec)


def test_a_font_file_replaced_meanwhile_is_loaded_again(tmp_path):
    from pathlib import Path

    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    faces = sorted(dejavu.glob("DejaVuSans*.ttf")) if dejavu.is_dir() else []
    if len(faces) < 2:
        pytest.skip("needs two DejaVu Sans files")
    font = tmp_path / "f.ttf"
    font.write_bytes(faces[0].read_bytes())
    css = '@font-face { font-family: Tamu; src: url("f.ttf"); } p { font-family: Tamu; }'
    first = weasy._parsed((css,), f"{tmp_path}/", (tmp_path,))
    assert weasy._parsed((css,), f"{tmp_path}/", (tmp_path,)).fonts is first.fonts
    font.write_bytes(faces[1].read_bytes() + b"\0")  # another size: another file
    again = weasy._parsed((css,), f"{tmp_path}/", (tmp_path,))
    assert again.fonts is not first.fonts
    assert again.sheets[0] is not first.sheets[0]


def test_joined_parts_do_not_stay_parsed_until_the_join_ends(monkeypatch):
    """pypdf's writer keeps every reader it copied from alive; a 300-module handbook held its
    300 parsed parts (260 MB) through the whole join (issue #23). Each part's objects are let
    go once it is appended: when the next part is appended, no earlier one is parsed."""
    from bimtek_kit.render.pdf import merge

    parts = [_pages(3, 100 + n) for n in range(5)]
    readers: list[PdfReader] = []
    parsed_when_appending: list[int] = []
    real_append = PdfWriter.append

    def append(writer, reader, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        parsed_when_appending.append(sum(bool(r.resolved_objects) for r in readers))
        readers.append(reader)
        return real_append(writer, reader, *args, **kwargs)

    monkeypatch.setattr(merge.PdfWriter, "append", append)
    joined = PdfReader(io.BytesIO(merge_pdfs(parts, MergeSpec("t", "a", "id", 0))))
    assert [float(p.mediabox.width) for p in joined.pages] == [100 + n for n in range(5)
                                                               for _ in range(3)]
    assert parsed_when_appending == [0] * 5
    assert not any(r.resolved_objects for r in readers)
