"""Every PDF of the default course can go to the printer as it is (issue #15).

One build of the bundled course (slow) is read back: PDF syntax, fonts, what stays inside the
page's text area, what participants must not see.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import pdf_fonts

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


FRESH_MACHINE_FONTS = Path("/usr/share/fonts/truetype/dejavu")
"""A machine without Liberation: fontconfig sees only DejaVu (what a fresh Debian has)."""

THEME_FONT = re.compile(
    r"^(?:[A-Z]{6}\+)?(?:bimtek-theme-)?Liberation-(?:Sans|Serif|Mono)(?:-Bold)?(?:-Italic)?$")
"""An embedded font from the theme's fonts/ (`@font-face` families are written with dashes;
the slide PDFs name the private family `pdf.fonts.theme_family`, which no installed font has)."""


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The default course built once, on a machine that has DejaVu but no Liberation fonts
    when this one has DejaVu; the course folder inside the output."""
    out = tmp_path_factory.mktemp("print-dist")
    env = dict(os.environ)
    if FRESH_MACHINE_FONTS.is_dir():
        config = out.parent / "fonts.conf"
        config.write_text(f"<?xml version='1.0'?><fontconfig><dir>{FRESH_MACHINE_FONTS}</dir>"
                          f"<cachedir>{out.parent / 'fc-cache'}</cachedir></fontconfig>")
        env["FONTCONFIG_FILE"] = str(config)
    subprocess.run([sys.executable, "-m", "bimtek_kit", "build", str(REPO), "-o", str(out), "-q"],
                   check=True, capture_output=True, text=True, env=env)
    return next(path for path in out.iterdir() if path.is_dir())


def pdfs(folder: Path) -> list[Path]:
    """Every PDF the build handed out (the hidden `.parts/` cache included: it is joined)."""
    found = sorted(folder.rglob("*.pdf"))
    assert found, folder
    return found


SLIDE_PDFS = ("bahan-tayang", "handout", "catatan-slide")
"""PDFs of slides drawn from the slide layout (issue #17). Their fonts are checked with every
other PDF's. The checks of type size, margins and lone lines leave them out: a slide is set at
slide scale and shrunk onto the page (a handout thumbnail's 8 pt is the projected slide's 20 pt,
a bahan tayang page is the slide itself, without print margins), and its text is drawn run by
run where the layout put it, not flowed through the print CSS; tests/test_slides_pdf.py checks
their geometry against the layout instead."""


MACHINE_READ = ("lembar-jawaban.pdf",)
"""The scannable answer sheet: its bubbles and their 8 pt labels sit where the reader looks
(results/sheet.py; tests/test_results.py measures them within 0.2 mm), not where type rules
would put them."""


def print_pdfs(folder: Path) -> list[Path]:
    return [path for path in pdfs(folder)
            if not set(SLIDE_PDFS) & set(path.parts) and path.name not in MACHINE_READ]


def test_every_pdf_is_valid_and_readers_agree_on_its_pages(package):
    import pdfplumber
    import pikepdf
    from pypdf import PdfReader

    for path in pdfs(package):
        with pikepdf.open(path) as document:
            assert document.check_pdf_syntax() == [], path
            pages = len(document.pages)
        with pdfplumber.open(path) as document:
            assert len(document.pages) == pages, path
        assert len(PdfReader(path).pages) == pages, path


def embedded_fonts(path: Path) -> set[str]:
    return pdf_fonts(path)


def test_every_pdf_uses_only_the_fonts_the_theme_ships(package):
    assert {part for path in pdfs(package) for part in path.parts} >= set(SLIDE_PDFS)
    for path in pdfs(package):
        fonts = embedded_fonts(path)
        assert fonts, path
        assert [name for name in fonts if not THEME_FONT.match(name)] == [], path


MM = 72 / 25.4
BAND_MM = 20.0
"""Running heads and audience marks live in the top margin band."""
FOOT_MM = 30.0
"""Footers and page numbers live in the bottom margin band (margin and footer gap)."""


def outside_text_area(path: Path, side_mm: float, tolerance_mm: float = 1.0) -> list[str]:
    """Glyphs and rules left or right of the text area (page box minus the side margins),
    as `page: text` strings; the covers (which may bleed) are left out."""
    import pdfplumber

    found = []
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages, start=1):
            covers = (1, len(document.pages)) if path.stem == "buku-peserta" else (1,)
            if number in covers and path.stem in ("buku-peserta", "panduan-fasilitator"):
                continue
            low = (side_mm - tolerance_mm) * MM
            high = page.width - low
            chars = [c["text"] for c in page.chars if c["x0"] < low or c["x1"] > high]
            rules = [r for r in (*page.rects, *page.lines) if r["x0"] < low or r["x1"] > high]
            if chars or rules:
                found.append(f"{number}: {''.join(chars)[:40]!r} {len(rules)} rules")
    return found


def small_text(path: Path, size: float = 9.5) -> list[str]:
    """Words in the text area (between the running head and page-number bands) under `size`."""
    import pdfplumber

    found = []
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages, start=1):
            for word in page.extract_words(extra_attrs=["size"]):
                inside = word["top"] > BAND_MM * MM and word["bottom"] < page.height - FOOT_MM * MM
                if inside and word["size"] < size - 0.05:
                    found.append(f"{number}: {word['text']} {word['size']:.1f}pt")
    return found


def lone_text_pages(path: Path, most_lines: int = 3) -> list[str]:
    """Pages whose text area holds a few lines and nothing more: a paragraph or list item that
    ran over (a blank page, on purpose before a chapter, holds none; a form page of write-in
    lines under its prompts is not one)."""
    import pdfplumber

    found = []
    with pdfplumber.open(path) as document:
        for number, page in enumerate(document.pages, start=1):
            tops = {round(c["top"]) for c in page.chars if c["text"].strip()
                    and c["top"] > BAND_MM * MM and c["bottom"] < page.height - FOOT_MM * MM}
            rules = [edge for edge in page.edges
                     if edge["orientation"] == "h" and edge["width"] > page.width / 3]
            if 0 < len(tops) <= most_lines and len(rules) < 3:  # write-in lines: a form
                found.append(f"{number}: {page.extract_text()[:60]!r}")
    return found


HANDBOOK_MARGIN_MM = 25.0
PRINT_MARGIN_MM = 20.0


def side_margin(path: Path) -> float:
    return HANDBOOK_MARGIN_MM if path.stem == "buku-peserta" else PRINT_MARGIN_MM


def test_nothing_leaves_the_text_area_and_text_is_readable(package):
    for path in print_pdfs(package):
        if ".parts" in path.parts:
            continue
        assert outside_text_area(path, side_margin(path)) == [], path
        assert small_text(path) == [], path


def test_no_page_holds_only_a_paragraph_that_ran_over(package):
    found = {path.name: lone_text_pages(path) for path in print_pdfs(package)
             if ".parts" not in path.parts}
    assert {name: pages for name, pages in found.items() if pages} == {}


LONG_WORDS = ("Pertanggungjawaban", "Penyelenggaraan", "Keterbukaan", "Ketidakberpihakan",
              "Profesionalitas", "Akuntabilitas", "Keberlanjutan", "Partisipatif")


def markdown_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


WIDE_TABLE = "\n".join([
    markdown_row(LONG_WORDS),
    markdown_row(["---"] * 8),
    markdown_row(f"{word} pelayanan publik" for word in LONG_WORDS),
    markdown_row(("Bertanggungjawab", "Menyelenggarakan", "Menginformasikan", "Memperlakukan",
                  "Mengembangkan", "Mempertanggungjawabkan", "Melanjutkan", "Melibatkan")),
])
FOUR_COLUMNS = "\n".join([
    markdown_row(("Nilai", "Makna", "Perilaku yang diharapkan", "Contoh")),
    markdown_row(["---"] * 4),
    markdown_row(("Berorientasi Pelayanan", "Berkomitmen memberikan pelayanan prima",
                  "Memahami dan memenuhi kebutuhan masyarakat dengan ramah",
                  "Petugas menjelaskan persyaratanpermohonanperizinanberusaha sekali")),
])

WIDE_MODULE = f"""\
---
id: tabel-lebar
title: Modul Tabel Lebar
code: M1
duration_jp: 2
objectives: [membaca tabel yang lebar]
---

## Tabel Delapan Kolom

Tabel berikut sengaja lebar dengan kata-kata panjang.

{WIDE_TABLE}

{FOUR_COLUMNS}

:::: latihan Membaca Tabel {{waktu=10 baris=2}}
{WIDE_TABLE}

1. Kolom mana yang paling penting?
::::
"""


@pytest.fixture(scope="module")
def wide_package(tmp_path_factory) -> Path:
    """A course whose only module holds an eight-column table of long words."""
    root = tmp_path_factory.mktemp("wide")
    from conftest import MINIMAL_CONFIG

    (root / "bimtek.yml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    (root / "content" / "modules").mkdir(parents=True)
    (root / "content" / "modules" / "01-tabel-lebar.md").write_text(WIDE_MODULE, "utf-8")
    out = root / "dist"
    subprocess.run([sys.executable, "-m", "bimtek_kit", "build", str(root), "-o", str(out), "-q",
                    "--only", "handbook,worksheets,guide"],
                   check=True, capture_output=True, text=True)
    return next(path for path in out.iterdir() if path.is_dir())


def test_a_wide_table_stays_inside_the_page(wide_package):
    import pdfplumber

    checked = [path for path in pdfs(wide_package) if ".parts" not in path.parts]
    assert {path.stem for path in checked} >= {"buku-peserta", "panduan-fasilitator",
                                                "lembar-kerja"}
    for path in checked:
        assert outside_text_area(path, side_margin(path)) == [], path
        assert small_text(path) == [], path
        with pdfplumber.open(path) as document:
            text = "".join(page.extract_text() for page in document.pages)
        assert "Ketidakberpihakan" in text.replace("\u00ad", "").replace("-\n", ""), path


def flat_text(path: Path) -> str:
    """A PDF's text as one line of words: hyphenation, soft hyphens and line ends undone."""
    import pdfplumber

    with pdfplumber.open(path) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    text = text.replace("\u00ad", "").replace("\u2010\n", "").replace("-\n", "")
    return " ".join(text.split())


def role_briefs() -> list[str]:
    """Eight words from the first paragraph of every role brief of the default course."""
    from bimtek_kit.loader import load_course
    from bimtek_kit.model import Paragraph, plain

    course = load_course(REPO)
    briefs = []
    for module in course.modules:
        for activity in module.activities:
            for role in activity.roles:
                first = next(b for b in role.blocks if isinstance(b, Paragraph))
                briefs.append(" ".join(plain(first.spans).split()[:8]))
    return briefs


def is_for_participants(path: Path, package: Path) -> bool:
    parts = path.relative_to(package).parts
    staff = {"panitia", "fasilitator", ".parts"}
    return not staff & set(parts) and path.stem != "panduan-fasilitator"


def test_role_briefs_reach_the_cards_and_guide_never_participants(package):
    briefs = role_briefs()
    assert len(briefs) >= 8
    participant = [p for p in pdfs(package) if is_for_participants(p, package)]
    assert {p.stem for p in participant} >= {"buku-peserta", "lembar-kerja"}
    for path in participant:
        text = flat_text(path)
        assert [brief for brief in briefs if brief in text] == [], path
    cards = next(package.rglob("kartu-peran.pdf"))
    guide = next(package.rglob("panduan-fasilitator.pdf"))
    for path in (cards, guide):
        text = flat_text(path)
        assert [brief for brief in briefs if brief not in text] == [], path


def test_role_cards_two_to_four_a_page_one_set_per_group(package):
    import pdfplumber

    from bimtek_kit.loader import load_course

    course = load_course(REPO)
    roles = sum(len(a.roles) for m in course.modules for a in m.activities)
    path = next(package.rglob("kartu-peran.pdf"))
    with pdfplumber.open(path) as document:
        per_page = [(page.extract_text() or "").count("KARTU PERAN ·") for page in document.pages]
    assert sum(per_page) == roles * course.config.groups
    # Laid out a module at a time (issue #12): a module's last page may hold one card.
    reader = PdfReader(path)
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert [item.title for item in reader.outline] == [
        f"{m.code} · {m.title}" for m in course.modules if any(a.roles for a in m.activities)]
    lasts = {start - 1 for start in starts[1:]} | {len(per_page) - 1}
    assert all(2 <= count <= 4 for index, count in enumerate(per_page) if index not in lasts), \
        per_page


def test_role_cards_are_numbered_through_once(package):
    """The modules' parts print no number of their own; the join stamps one, 1 to the end."""
    pages = page_texts(next(package.rglob("kartu-peran.pdf")))
    footers = [re.findall(r"Halaman (\d+)", text) for text in pages]
    assert footers == [[str(number)] for number in range(1, len(pages) + 1)]


ACTIVITY_HEAD = re.compile(
    r"(?:LATIHAN|DISKUSI|SIMULASI|STUDI KASUS) \w+\.\d+ · LK-(\d+|[A-Z]+-?)([A-Z]?)")


def page_texts(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as document:
        return [page.extract_text() or "" for page in document.pages]


def test_worksheets_number_in_order_and_hand_out_one_activity_at_a_time(package):
    sheets = sorted(path for path in package.rglob("*.pdf")
                    if path.parent.name == "lembar-kerja" and ".parts" not in path.parts)
    from bimtek_kit.loader import load_course

    codes = {m.file_stem: m.code for m in load_course(REPO).modules if m.activities}
    assert [path.stem for path in sheets] == sorted(codes)
    for path in sheets:
        code = codes[path.stem]
        place = "".join(char for char in code if char.isdigit()) or code
        pages = page_texts(path)
        heads = list(dict.fromkeys(match.groups() for text in pages
                                   for match in ACTIVITY_HEAD.finditer(text)))
        assert heads, path
        assert {number.rstrip("-") for number, _ in heads} == {place.upper()}, path
        letters = [letter for _, letter in heads]
        assert letters == ([""] if len(heads) == 1 else
                           [chr(ord("A") + i) for i in range(len(heads))]), path
        # A page that holds the start of a second activity holds all of it: the next page
        # begins a new activity with its name block, or the landscape RTL page.
        for number, text in enumerate(pages[:-1]):
            if len(ACTIVITY_HEAD.findall(text)) >= 2 or (number and ACTIVITY_HEAD.search(text)
                                                          and not text.startswith("Nama")):
                following = pages[number + 1]
                assert following.startswith("Nama") or ACTIVITY_HEAD.match(following), (
                    path, number + 2)


def test_the_rtl_is_a_landscape_form_with_five_rows_and_two_signatures(package):
    import pdfplumber

    path = next(p for p in package.rglob("*-studi-kasus-perizinan.pdf")
                if p.parent.name == "lembar-kerja")
    with pdfplumber.open(path) as document:
        landscape = [page for page in document.pages if page.width > page.height]
        assert len(landscape) == 1
        page = landscape[0]
        text = page.extract_text()
        table = page.extract_table()
    assert "Peserta" in text and "Atasan Langsung" in text
    assert table[0][1:] == ["Kegiatan", "Tujuan", "Sasaran", "Waktu", "Penanggung jawab",
                            "Indikator\nkeberhasilan"]
    assert len(table) - 1 >= 5
    assert all(cell in ("", None) for row in table[1:] for cell in row[1:])


def test_guide_contents_numbers_match_their_links_and_pages_number_through(package):
    from conftest import page_links

    guide = next(package.rglob("panduan-fasilitator.pdf"))
    data = guide.read_bytes()
    links = page_links(data, 1)
    assert len(links) >= 10  # eight modules, two key chapters
    for text, target in links:
        printed = int(text.split()[-1])
        assert printed == target + 1, (text, target)
    pages = page_texts(guide)
    footers = [re.findall(r"Halaman (\d+)\s*$", text.strip()) for text in pages[1:]]
    assert footers == [[str(number)] for number in range(2, len(pages) + 1)]


def test_guide_has_a_quick_key_per_test_and_scoring_guidance(package):
    text = flat_text(next(package.rglob("panduan-fasilitator.pdf")))
    quick = re.findall(r"Kunci singkat: ((?:\d+-\w+, )+\d+-\w+)", text)
    assert len(quick) >= 2  # pre-test and post-test at least
    assert all(item.split("-")[1] in ("A", "B", "C", "D", "Benar", "Salah")
               for line in quick for item in line.split(", "))
    assert "Isian singkat: skor 2" in text and "≥ 80" in text and "gain ternormalisasi" in text


MARKDOWN_MODULE = """\
---
id: cetak
title: Modul Cetak
code: M1
duration_jp: 1
objectives: [membaca halaman cetak]
---

## Bagian Cetak

Warga berkata "terima kasih" --- lalu pergi. Lihat [laman layanan](https://example.org/layanan).

3. Langkah ketiga
4. Langkah keempat

```python
print("halo")
```

```output
halo
```
"""


def _pdf_text(pdf: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join((page.extract_text() or "") for page in document.pages)
    return " ".join(text.replace("\u00ad", "").split())


def test_markdown_prints_as_written(make_project):
    from bimtek_kit.loader import load_course
    from bimtek_kit.render.pdf import printing
    from conftest import render_all, render_context

    root = make_project({"content/modules/01-cetak.md": MARKDOWN_MODULE})
    ctx = render_context(load_course(root))
    outputs = render_all(ctx, "handbook")
    text = _pdf_text(next(a.data for path, a in outputs.items()
                          if path.endswith("buku-peserta.pdf")))
    assert "3. Langkah ketiga" in text and "4. Langkah keempat" in text
    assert "1. Langkah" not in text
    assert "\u201cterima kasih\u201d \u2014 lalu" in text and '"' not in text.split("print(")[0]
    # css/paged-markdown.css reaches both stacks: the handbook's and print.css's (the same
    # module's section laid out as the print outputs lay out their blocks)
    module = ctx.course.modules[0]
    body = printing.blocks(ctx, "handbook", module).render(module.sections[0].blocks)
    printed_pdf = printing.to_pdf(ctx, f"<!DOCTYPE html><html><body>{body}</body></html>",
                                  title="uji", page=printing.page_setup(ctx, "participants"))
    for printed in (text, _pdf_text(printed_pdf)):
        assert "laman layanan (https://example.org/layanan)" in printed.replace("/ ", "/")
        assert "Keluaran program halo" in printed


def body_is_empty(page) -> bool:  # noqa: ANN001 - a pdfplumber page
    """Nothing between the running-head band and the page-number band: no glyph, picture or
    drawing (a page left blank on purpose)."""
    top, bottom = BAND_MM * MM, page.height - FOOT_MM * MM
    inside = [item for item in (*page.chars, *page.images, *page.rects, *page.curves,
                                *page.lines) if item["bottom"] > top and item["top"] < bottom]
    return not inside


def printed_number(text: str) -> int | None:
    lines = text.strip().splitlines()
    return int(lines[-1]) if lines and lines[-1].strip().isdigit() else None


def test_blank_pages_of_the_handbook_carry_no_number_header_or_footer(package):
    """Issue #15: a blank verso put before a chapter (or the back cover) prints nothing at all,
    and still counts: the page after it is numbered two more than the page before it."""
    import pdfplumber

    book = next(path for path in package.rglob("buku-peserta.pdf") if ".parts" not in path.parts)
    with pdfplumber.open(book) as document:
        pages = document.pages
        blank = [index for index, page in enumerate(pages) if body_is_empty(page)]
        texts = [page.extract_text() or "" for page in pages]
        assert blank, "the default course's handbook has blank pages before chapters"
        for index in blank:
            page = pages[index]
            assert page.chars == [] and page.rects == [] and page.lines == [], index + 1
    numbered = 0
    for index in blank:
        if 0 < index < len(texts) - 1:
            before, after = printed_number(texts[index - 1]), printed_number(texts[index + 1])
            if before is not None and after is not None:
                assert after == before + 2, index + 1
                numbered += 1
    assert numbered >= 1


TIME_RANGE = re.compile(r"^\d{2}\.\d{2}–\d{2}\.\d{2}$")


def schedule_rows(path: Path) -> dict[int, list[tuple[str, str, str, str]]]:
    """The rows of a printed jadwal read back, per day: (time, session or break, narasumber,
    JP). Columns are told apart by the x of their headings (Narasumber…, JP or Keterangan);
    running heads and footers are left out (the margin bands)."""
    import pdfplumber

    days: dict[int, list[list]] = {}
    rows: list[list] | None = None
    with pdfplumber.open(path) as document:
        for page in document.pages:
            words = [w for w in page.extract_words(x_tolerance=1.5)
                     if BAND_MM * MM < w["top"] < page.height - FOOT_MM * MM]
            head = next((w for w in words if w["text"].startswith("Narasumber")), None)
            last = next((w["x0"] for w in words if head and abs(w["top"] - head["top"]) < 3
                         and w["text"] in ("JP", "Keterangan")), None)
            if head is None or last is None:
                continue
            lines: dict[int, list[dict]] = {}
            for word in words:
                lines.setdefault(round(word["top"]), []).append(word)
            current = None
            for top in sorted(lines):
                line = sorted(lines[top], key=lambda w: w["x0"])
                texts = [w["text"] for w in line]
                if texts[0] == "Hari" and len(texts) > 1 and texts[1].isdigit():
                    rows, current = days.setdefault(int(texts[1]), []), None
                    continue
                if texts[0] == "Jumlah" or texts[0].startswith("Waktu"):
                    current = None
                    continue
                if TIME_RANGE.match(texts[0]) and rows is not None:
                    current = [texts[0], [], [], []]
                    rows.append(current)
                    line = line[1:]
                if current is None:
                    continue
                for word in line:
                    column = 1 if word["x0"] < head["x0"] - 2 else 2 if word["x0"] < last - 2 \
                        else 3
                    current[column].append(word["text"])
    return {day: [(time, " ".join(what), " ".join(who), " ".join(jp).removesuffix(" JP"))
                  for time, what, who, jp in found] for day, found in days.items()}


def test_the_handbook_jadwal_prints_the_rows_of_the_paper_jadwal(package):
    """Issue #15: the handbook's jadwal appendix and panitia/jadwal.pdf come from one view
    model (render/html/schedule.py): the same times, sessions, breaks, narasumber and JP."""
    book = next(path for path in package.rglob("buku-peserta.pdf") if ".parts" not in path.parts)
    paper = schedule_rows(next(package.rglob("jadwal.pdf")))
    appendix = schedule_rows(book)
    for day in (1, 2):
        assert len(paper[day]) >= 6, paper[day]
        assert appendix[day] == paper[day], day
    rows = [row for day in (1, 2) for row in paper[day]]
    assert any(what == "ISHOMA" for _, what, _, _ in rows)
    assert all(who for _, what, who, _ in rows if what.startswith("M1 "))
    assert all(jp.isdigit() for _, what, _, jp in rows if what.startswith("M"))
