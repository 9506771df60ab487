"""The participant handbook: PDF read back with pypdf, and the static HTML site.

The small feature course is rendered once per variant (module-scoped fixtures) and the default
course exactly once, so the whole file stays well under a minute.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from bimtek_kit.commands.build import BuildOptions, build
from bimtek_kit.errors import ContentError
from bimtek_kit.loader import load_course
from bimtek_kit.model import Activity, Notes, walk
from bimtek_kit.render import available
from bimtek_kit.render.base import Artifact, RenderContext
from bimtek_kit.render.handbook.content import letter, roman
from conftest import (
    BANK,
    CATATAN_MARKER,
    FEATURE_MODULE,
    KUNCI_MARKER,
    MINIMAL_CONFIG,
    REPO,
    SECOND_MODULE,
    page_links,
    render_all,
    render_context,
)

ANSWER_MARKER = "JAWABANRAHASIA"
EXPLANATION_MARKER = "PENJELASANRAHASIA"

FORMATIVE_BANK = f"""\
title: Tes Formatif
instructions: Jawablah soal berikut.
questions:
  - module: fitur-lengkap
    type: pilihan-ganda
    question: Soal formatif pilihan ganda?
    options: [Opsi alfa, Opsi beta, Opsi gama]
    answer: B
    explanation: {EXPLANATION_MARKER} hanya untuk fasilitator.
  - module: fitur-lengkap
    type: benar-salah
    question: Pernyataan formatif yang benar.
    answer: benar
  - module: fitur-lengkap
    type: isian
    question: Sebutkan satu prinsip formatif.
    answer: {ANSWER_MARKER} jawaban model.
"""

THIRD_MODULE = """\
---
id: data-bukan-kode
title: Modul Data Bukan Kode
duration_jp: 2
objectives: [membedakan data dan kode]
methods: [ceramah]
---

Pengantar modul ketiga sebelum bagian pertama.

## Teks Apa Adanya

Teks {{ 7*7 }} dan {% if true %}blok{% endif %} dicetak apa adanya.

<script>alert("xss")</script>

### Sub Bagian Pertama

![Diagram alur layanan](images/diagram.png)

### Sub Bagian Kedua

Paragraf penutup.
"""

FOREWORD_CONFIG = MINIMAL_CONFIG + """\
place: Kota Contoh
edition: "2026"
audience: ASN pelayan publik
foreword: |
  Kata pengantar dengan **huruf tebal** dan {{ 7*7 }} yang tidak dihitung.
"""


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (240, 120), (27, 58, 92)).save(buffer, format="PNG")
    return buffer.getvalue()


def _write_project(root: Path, config: str, extra: dict[str, str | bytes] | None = None) -> Path:
    files: dict[str, str | bytes] = {
        "bimtek.yml": config,
        "content/modules/01-fitur-lengkap.md": FEATURE_MODULE,
        "content/modules/02-kedua.md": SECOND_MODULE,
        "content/modules/03-data-bukan-kode.md": THIRD_MODULE,
        "content/modules/images/diagram.png": _png(),
        "content/evaluasi/pre-test.yml": BANK,
        "content/evaluasi/formatif.yml": FORMATIVE_BANK,
        "content/glosarium.yml": "Empati: Kemampuan memahami perasaan orang lain.\n"
                                 "Akuntabel: Dapat dipertanggungjawabkan.\n",
        "content/pustaka.yml": "- author: Republik Indonesia\n  year: 2009\n"
                               "  title: Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan "
                               "Publik\n",
        **(extra or {}),
    }
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def _render(ctx: RenderContext) -> dict[str, Artifact]:
    """Run every handbook job; each must write exactly the files it announced."""
    return render_all(ctx, "handbook")


def _context(root: Path) -> RenderContext:
    return render_context(load_course(root))


class Book:
    """A rendered handbook read back: page texts, outline, site files."""

    def __init__(self, artifacts: dict[str, Artifact], stem: str = "peserta/buku-peserta") -> None:
        self.artifacts = artifacts
        self.stem = stem
        self.pdf_bytes = artifacts[f"{stem}.pdf"].data
        self.reader = PdfReader(io.BytesIO(self.pdf_bytes))
        self.pages = [page.extract_text() or "" for page in self.reader.pages]
        self.text = "\n".join(self.pages)

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, 1-based page) of every bookmark."""
        found: list[tuple[int, str, int]] = []

        def visit(items: list, level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    visit(item, level + 1)
                else:
                    found.append((level, item.title,
                                  self.reader.get_destination_page_number(item) + 1))

        visit(self.reader.outline, 1)
        return found

    def html(self) -> dict[str, str]:
        prefix = f"{self.stem}/"
        return {path[len(prefix):]: a.data.decode("utf-8") for path, a in self.artifacts.items()
                if path.startswith(prefix) and path.endswith(".html")}


@pytest.fixture(scope="module")
def feature_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = _write_project(tmp_path_factory.mktemp("hb") / "proyek", FOREWORD_CONFIG)
    return Book(_render(_context(root)))


@pytest.fixture(scope="module")
def english_f4_book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    config = FOREWORD_CONFIG.replace("language: id", "language: en") + "paper: F4\n"
    root = _write_project(tmp_path_factory.mktemp("hb-en") / "project", config)
    return Book(_render(_context(root)), stem="participants/handbook")


@pytest.fixture(scope="module")
def default_book() -> Book:
    """The bundled default course (8 modules), rendered once for the whole file."""
    return Book(_render(render_context(load_course(REPO))))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _toc_numbers(book: Book, titles: list[str]) -> dict[str, str]:
    """The page number printed after each title's leader dots in the daftar isi."""
    outline = {title: page for _, title, page in book.outline()}
    first = outline.get("Daftar Isi", outline.get("Contents"))
    chapter_pages = [page for level, _, page in book.outline() if level == 1 and page > first]
    toc = _normal(" ".join(book.pages[first - 1:min(chapter_pages) - 1]))
    numbers = {}
    for title in titles:
        match = re.search(re.escape(_normal(title)) + r"\s*\.{3,}\s*([0-9ivxlc]+)", toc)
        assert match, f"'{title}' is not in the daftar isi: {toc[:400]}"
        numbers[title] = match.group(1)
    return numbers


def _assert_toc_matches_pages(book: Book) -> None:
    """Every daftar isi number is the number printed on the page where that heading lands."""
    chapters = [(title, page) for level, title, page in book.outline()
                if level == 1 and re.match(r"^(BAB|CHAPTER) [IVXLC]+ ", title)]
    assert chapters
    offset = chapters[0][1] - 1  # BAB I is printed as page 1
    back = [(t, p) for level, t, p in book.outline() if level == 1 and p > chapters[-1][1]]
    entries = [(re.sub(r"^(BAB|CHAPTER) [IVXLC]+ ", "", t), p) for t, p in chapters] + back
    numbers = _toc_numbers(book, [title for title, _ in entries])
    for title, page in entries:
        assert numbers[title] == str(page - offset), title
        assert book.pages[page - 1].split()[-1] == str(page - offset), f"footer of {title}"
        assert _normal(title)[:30].casefold() in _normal(book.pages[page - 1]).casefold()
    # Sections (A., B., …) too: each lands on the page its daftar isi line names.
    sections = [(re.sub(r"^[A-Z]+\. ", "", t), p) for level, t, p in book.outline()
                if level == 2 and chapters[0][1] <= p]
    others = [title for title, _ in entries + sections]
    # Only titles that are not part of another title ("Evaluasi" repeats in every chapter).
    sections = [(title, page) for title, page in sections
                if sum(title in other for other in others) == 1]
    assert sections
    section_numbers = _toc_numbers(book, [title for title, _ in sections])
    for title, page in sections:
        assert section_numbers[title] == str(page - offset), title


# --- PDF: structure and labels ------------------------------------------------------------------


def test_registered_as_output_kind():
    assert "handbook" in available()


def test_numbering_helpers():
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert [letter(n) for n in (1, 2, 26, 27)] == ["A", "B", "Z", "AA"]


def test_pdf_has_every_module_title_and_indonesian_labels(feature_book: Book):
    text = _normal(feature_book.text)
    for title in ("Modul Semua Fitur", "Modul Kedua", "Modul Data Bukan Kode"):
        assert title in text
    for label in ("Kata Pengantar", "Daftar Isi", "BAB I", "BAB II", "BAB III",
                  "Tujuan Pembelajaran", "Deskripsi Singkat", "Materi Pokok", "Glosarium",
                  "Daftar Pustaka", "Jadwal Pelaksanaan", "Buku Peserta",
                  "Setelah mengikuti mata pelatihan ini, peserta mampu:",
                  "4 JP (180 menit)", "Latihan M1.1", "Studi Kasus M1.2"):
        assert label.casefold() in text.casefold(), label


def test_daftar_isi_page_numbers_match_where_chapters_start(feature_book: Book):
    _assert_toc_matches_pages(feature_book)


def test_daftar_isi_lines_link_to_their_pages(feature_book: Book):
    """Clicking a line of the daftar isi opens the page whose number that line prints."""
    outline = {title: page for _, title, page in feature_book.outline()}
    links = page_links(feature_book.pdf_bytes, outline["Daftar Isi"] - 1)
    for line, target in links:
        assert line.split()[-1] == feature_book.reader.page_labels[target], (line, target)
    assert len(links) >= 8  # chapters, sections, evaluations and back matter


def test_front_matter_is_numbered_in_roman(feature_book: Book):
    outline = {title: page for _, title, page in feature_book.outline()}
    assert feature_book.pages[outline["Kata Pengantar"] - 1].split()[-1] == "i"
    # kata pengantar, petunjuk penggunaan modul (LAN module format), then the contents
    assert feature_book.pages[outline["Daftar Isi"] - 1].split()[-1] == "iii"
    assert _toc_numbers(feature_book, ["Kata Pengantar"])["Kata Pengantar"] == "i"


def test_chapter_opening_lists_sections_objectives_and_methods(feature_book: Book):
    outline = {title: page for _, title, page in feature_book.outline()}
    opening = _normal(feature_book.pages[outline["BAB I Modul Semua Fitur"] - 1])
    for text in ("A. Bagian Pertama", "B. Bagian Kedua", "menjelaskan fitur pertama",
                 "Modul uji yang memakai setiap fitur sintaks.", "ceramah, diskusi",
                 "bahan tayang"):
        assert text in opening


def test_bookmarks_for_chapters_and_sections_only(feature_book: Book):
    outline = feature_book.outline()
    titles = [title for _, title, _ in outline]
    assert (1, "BAB I Modul Semua Fitur") in [(lvl, t) for lvl, t, _ in outline]
    assert (2, "A. Bagian Pertama") in [(lvl, t) for lvl, t, _ in outline]
    assert {"Kata Pengantar", "Daftar Isi", "Glosarium", "Daftar Pustaka"} <= set(titles)
    assert not any(t.startswith(("Latihan", "Rangkuman", "Penting", "Perhatikan"))
                   for t in titles)


def test_metadata_language_fonts_and_page_size(feature_book: Book):
    reader = feature_book.reader
    assert reader.metadata.title == "Bimtek Uji Coba"
    assert reader.metadata.author == "BKPSDM Kabupaten Contoh"
    assert reader.trailer["/Root"]["/Lang"] == "id"
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)
    fonts = _fonts(reader)
    assert fonts
    assert all(embedded for embedded in fonts.values()), fonts


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font of every page -> whether its program is embedded (FontFile2/3)."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for part in descendants:
                descriptor = part.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                found[str(font.get("/BaseFont"))] = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_no_empty_pages_and_text_is_selectable(feature_book: Book):
    """Every page has text, but one left blank on purpose (issue #15: it prints nothing, not
    even its number) before a part that opens on the right, or before the back cover."""
    pages = feature_book.pages
    blank = [number for number, page in enumerate(pages, start=1) if not page.strip()]
    # The page after a blank one opens a part on the right (odd) or is the back cover (last).
    assert all((number + 1) % 2 == 1 or number + 1 == len(pages) for number in blank), blank
    assert all(pages[number].strip() for number in blank), blank  # never two in a row


def test_activities_callouts_and_summary_are_printed(feature_book: Book):
    text = _normal(feature_book.text)
    for snippet in ("Latihan Pesan Kunci", "Pertanyaan latihan pertama?", "Kasus Loket",
                    "Peran Warga", "Diskusi Singkat", "Isi callout penting.", "Rangkuman satu.",
                    "Hanya untuk buku.", "Kolom A", "sel 2", "Kutipan penting."):
        assert snippet in text, snippet
    assert "Hanya untuk slide." not in text


def test_formative_questions_answered_only_in_the_appendix(feature_book: Book):
    """The chapter asks; the answers wait in the Kunci Jawaban Evaluasi appendix for self-check
    (the LAN module format), never beside the questions, and never an activity's key."""
    text = _normal(feature_book.text)
    assert "Evaluasi" in text
    assert "Soal formatif pilihan ganda?" in text and "Opsi beta" in text
    assert "Sebutkan satu prinsip formatif." in text
    chapter, _, appendix = text.rpartition("Kunci Jawaban Evaluasi")
    assert ANSWER_MARKER not in chapter and ANSWER_MARKER in appendix
    assert EXPLANATION_MARKER not in text and KUNCI_MARKER not in text
    # The pre-test is a test sheet, not a chapter evaluation.
    assert "Soal pilihan ganda pertama?" not in text


def test_no_facilitator_text_in_any_participant_output(feature_book: Book):
    assert CATATAN_MARKER not in feature_book.text
    assert KUNCI_MARKER not in feature_book.text
    for name, html in feature_book.html().items():
        for marker in (CATATAN_MARKER, KUNCI_MARKER, EXPLANATION_MARKER):
            assert marker not in html, (marker, name)
        if name != "kunci-jawaban-evaluasi.html":  # formative answers: the appendix only
            assert ANSWER_MARKER not in html, name


def test_module_text_is_data_not_template(feature_book: Book):
    text = _normal(feature_book.text)
    assert "Teks {{ 7*7 }} dan {% if true %}blok{% endif %} dicetak apa adanya." in text
    assert "{{ 7*7 }} yang tidak dihitung" in text
    assert "huruf tebal" in text
    page = feature_book.html()["03-data-bukan-kode.html"]
    assert "{{ 7*7 }}" in page and "<script" not in page
    assert "&lt;script&gt;" in page


def test_image_is_embedded_with_its_alt_text_as_caption(feature_book: Book):
    assert "Diagram alur layanan" in feature_book.text
    images = [name for page in feature_book.reader.pages for name in page.images]
    assert images


def test_schedule_chapter_with_indonesian_dates_and_times(feature_book: Book):
    text = _normal(feature_book.text)
    assert "Senin, 7 Desember 2026" in text
    assert "08.00–" in text
    assert "(lanjutan)" in text
    assert "ISHOMA" in text


def test_glossary_is_alphabetical_and_references_formatted(feature_book: Book):
    text = _normal(feature_book.text)
    assert text.index("Akuntabel:") < text.index("Empati:")
    assert ("Republik Indonesia. (2009). Undang-Undang Nomor 25 Tahun 2009 tentang "
            "Pelayanan Publik.") in text


# --- English, F4, tags, reproducibility -----------------------------------------------------------


def test_english_labels_and_f4_paper(english_f4_book: Book):
    text = _normal(english_f4_book.text)
    for label in ("Foreword", "Contents", "CHAPTER I", "Learning Objectives", "Short Description",
                  "Main Topics", "Glossary", "References", "Participant Handbook",
                  "After this module, participants are able to:",
                  "4 lesson hours (180 minutes)", "Monday, 7 December 2026"):
        assert label.casefold() in text.casefold(), label
    for indonesian in ("Kata Pengantar", "Daftar Isi", "Tujuan Pembelajaran", "Glosarium"):
        assert indonesian not in text
    box = english_f4_book.reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (609.4, 935.4)
    assert english_f4_book.reader.trailer["/Root"]["/Lang"] == "en"
    assert "index.html" in english_f4_book.html()
    _assert_toc_matches_pages(english_f4_book)


def test_tagged_pdf_when_the_theme_asks(make_project):
    root = make_project({
        "content/modules/01-kedua.md": SECOND_MODULE,
        "themes/default/theme.yml": "handbook:\n  pdf_tags: true\n",
    })
    artifacts = _render(_context(root))
    reader = PdfReader(io.BytesIO(artifacts["peserta/buku-peserta.pdf"].data))
    root_dict = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root_dict
    assert root_dict["/MarkInfo"]["/Marked"]


def test_same_course_gives_identical_bytes(feature_book: Book, tmp_path: Path):
    # A second project at another path: outputs must not depend on where the course lives.
    root = _write_project(tmp_path / "lain" / "proyek", FOREWORD_CONFIG)
    again = _render(_context(root))
    assert sorted(again) == sorted(feature_book.artifacts)
    for path, artifact in feature_book.artifacts.items():
        assert again[path].data == artifact.data, path


# --- resources are confined to the project and theme ---------------------------------------------


def test_logo_outside_the_project_is_a_config_error(make_project):
    config = MINIMAL_CONFIG + "logo: ../../etc/passwd\n"
    root = make_project({"content/modules/01-kedua.md": SECOND_MODULE}, config=config)
    with pytest.raises(ContentError) as raised:
        _render(_context(root))
    message = str(raised.value.diagnostics.errors[0])
    assert message.startswith("bimtek.yml:") and "outside the project" in message


def test_project_logo_appears_on_cover_and_site(make_project):
    config = MINIMAL_CONFIG + "logo: logo.png\n"
    root = make_project({"content/modules/01-kedua.md": SECOND_MODULE, "logo.png": _png()},
                        config=config)
    book = Book(_render(_context(root)))
    assert list(book.reader.pages[0].images)  # the cover
    index = book.html()["index.html"]
    assert re.search(r'src="assets/img/[0-9a-f]{20}\.png"', index)


def test_theme_logo_outside_the_theme_is_refused(make_project):
    root = make_project({
        "content/modules/01-kedua.md": SECOND_MODULE,
        "themes/default/theme.yml": "logo: ../../../etc/passwd\n",
    })
    with pytest.raises(ContentError) as raised:  # found when loading, not halfway through a build
        _render(_context(root))
    assert [str(d) for d in raised.value.diagnostics.errors] == [
        "themes/default/theme.yml:1: logo '../../../etc/passwd' points outside the project "
        "folder (a path inside the theme folder)"
    ]


# --- HTML site ---------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.event_handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)
            if name.startswith("on"):
                self.event_handlers.append(name)


def test_site_files_exist_and_link_to_each_other(feature_book: Book):
    html = feature_book.html()
    expected = {"index.html", "01-fitur-lengkap.html", "02-kedua.html",
                "03-data-bukan-kode.html", "jadwal-pelaksanaan.html", "glosarium.html",
                "kunci-jawaban-evaluasi.html", "daftar-pustaka.html"}
    assert expected == set(html)
    site = {path[len("peserta/buku-peserta/"):] for path in feature_book.artifacts
            if path.startswith("peserta/buku-peserta/")}
    assert "assets/site.css" in site
    assert any(re.fullmatch(r"assets/img/[0-9a-f]{20}\.png", name) for name in site)
    parsed = {}
    for name, page in html.items():
        parser = _Links()
        parser.feed(page)
        parsed[name] = parser
    for name, parser in parsed.items():
        for link in parser.links:
            if link.startswith(("http://", "https://", "mailto:")):
                continue
            target, _, fragment = link.partition("#")
            target = target or name
            assert target in site, f"{name}: broken link {link}"
            if fragment and target.endswith(".html"):
                assert fragment in parsed[target].ids, f"{name}: missing anchor {link}"
    index_links = set(parsed["index.html"].links)
    assert {"01-fitur-lengkap.html", "02-kedua.html", "glosarium.html"} <= index_links
    assert "01-fitur-lengkap.html" in parsed["02-kedua.html"].links  # previous
    assert "03-data-bukan-kode.html" in parsed["02-kedua.html"].links  # next


def test_site_is_static_safe_and_relative(feature_book: Book):
    for name, page in feature_book.html().items():
        assert '<html lang="id">' in page
        assert '<meta charset="utf-8">' in page
        assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                "img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'\">") in page
        assert "<script" not in page.lower()
        assert " style=" not in page, name
        assert "file:" not in page and "/tmp" not in page, name
        parser = _Links()
        parser.feed(page)
        assert not parser.event_handlers


def test_build_command_writes_pdf_and_site(tmp_path: Path):
    root = _write_project(tmp_path / "proyek", MINIMAL_CONFIG)
    report = build(BuildOptions(root, out_dir=tmp_path / "out", only=["handbook"]))
    assert (report.out_dir / "peserta" / "buku-peserta.pdf").is_file()
    assert (report.out_dir / "peserta" / "buku-peserta" / "index.html").is_file()
    assert (report.out_dir / "peserta" / "buku-peserta" / "01-fitur-lengkap.html").is_file()


# --- the default course ------------------------------------------------------------------------


def test_default_course_handbook(default_book: Book):
    course = load_course(REPO)
    text = _normal(default_book.text)
    for module in course.modules:
        assert _normal(module.title) in text
    _assert_toc_matches_pages(default_book)
    chapter_pages = [p for lvl, t, p in default_book.outline() if t.startswith("BAB ")]
    assert len(chapter_pages) == len(course.modules) == len(set(chapter_pages))


def test_default_course_hides_notes_and_keys(default_book: Book):
    """Distinctive sentences of every catatan and kunci are absent from PDF and site."""
    course = load_course(REPO)
    squeeze = re.compile(r"[\W_]+")
    pdf = squeeze.sub("", default_book.text)
    site = squeeze.sub("", " ".join(default_book.html().values()))
    secrets = []
    for module in course.modules:
        for block in module.all_blocks:
            if isinstance(block, Notes):
                secrets.extend(walk(block.blocks))
            elif isinstance(block, Activity):
                secrets.extend(walk(block.key))
    sentences = [
        squeeze.sub("", "".join(span.text for span in b.spans))[:60]
        for b in secrets if hasattr(b, "spans")
    ]
    sentences = [s for s in sentences if len(s) >= 40]
    assert len(sentences) > 10
    for sentence in sentences:
        assert sentence not in pdf
        assert sentence not in site


def _many_sections(n: int) -> str:
    sections = "\n".join(f"## Bagian {n}.{s}: Topik {n}-{s}\n\nIsi singkat bagian {s}.\n"
                         for s in range(1, 21))
    objectives = "[menjelaskan topik, menerapkan topik, menilai topik]"
    return (f"---\ntitle: Modul Panjang {n}\nduration_jp: 1\nobjectives: {objectives}\n"
            f"---\n\n{sections}")


def test_daftar_isi_of_chapters_with_many_sections_fills_its_pages(make_project):
    """A chapter with twenty sections, kept whole, left most of every daftar isi page empty
    (issue #23: 62 pages where 36 held it, laid out at a third more cost). Long chapters may
    break after their title line's first section; every page but the last is full."""
    import pdfplumber

    root = make_project({f"content/modules/0{n}-panjang-{n}.md": _many_sections(n)
                         for n in (1, 2, 3, 4)}, config=FOREWORD_CONFIG)
    book = Book(_render(_context(root)))
    _assert_toc_matches_pages(book)
    outline = {title: page for _, title, page in book.outline()}
    first = outline["Daftar Isi"]
    last = min(page for level, _, page in book.outline() if level == 1 and page > first) - 1
    lines_per_page = []
    with pdfplumber.open(io.BytesIO(book.pdf_bytes)) as document:
        for page in document.pages[first - 1:last]:
            entries = {round(word["top"]) for word in page.extract_words()
                       if word["text"].endswith("...")}  # the end of a line's leader dots
            lines_per_page.append(len(entries))
    full = max(lines_per_page)
    assert len(lines_per_page) >= 3 and full > 30
    assert all(count >= full - 2 for count in lines_per_page[1:-1]), lines_per_page
