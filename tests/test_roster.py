"""The organisers' kit (DESIGN §9): the roster read and validated, every document built from it.

The roster is generated (`roster_data`): 40 made-up participants with academic titles and long
office names. Documents are read back from the PDFs; the certificate's QR code is decoded from
a rasterised page.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from bimtek_kit.commands.build import BuildOptions, build
from bimtek_kit.errors import ContentError, Diagnostics
from bimtek_kit.loader import load_course
from bimtek_kit.render.base import RenderContext
from bimtek_kit.render.organiser.certificates import certificate_number, verification_url
from bimtek_kit.render.organiser.groups import deal_groups
from bimtek_kit.roster import load_roster, strip_titles
from conftest import (
    FEATURE_MODULE,
    MINIMAL_CONFIG,
    SECOND_MODULE,
    render_all,
    render_context,
)
from roster_data import HEADER, KIT_CONFIG, roster_csv, rows

KIT_KINDS = ["daftar-hadir", "sertifikat", "kelompok", "papan-nama", "kartu-peserta",
             "daftar-cetak"]
COURSE_KIT = (KIT_CONFIG.replace("komunikasi-publik, teknik-komunikasi", "fitur-lengkap")
              .replace("etika-pelayanan", "kedua"))
CSV = "content/peserta.csv"


def write_project(root: Path, roster: str | bytes | None = None, extra_config: str = COURSE_KIT,
                  name: str = "peserta.csv") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "bimtek.yml").write_text(MINIMAL_CONFIG + "place: Sukamaju\n" + extra_config,
                                     encoding="utf-8")
    modules = root / "content" / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    (modules / "01-fitur-lengkap.md").write_text(FEATURE_MODULE, encoding="utf-8")
    (modules / "02-kedua.md").write_text(SECOND_MODULE, encoding="utf-8")
    if roster is not None:
        target = root / "content" / name
        if isinstance(roster, bytes):
            target.write_bytes(roster)
        else:
            target.write_text(roster, encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_course(root)
    errors = caught.value.diagnostics.errors  # the fixture modules also get style hints
    return [str(d) for d in caught.value.diagnostics.sorted() if d in errors]


def pdf_text(data: bytes, first: int = 0, last: int | None = None) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages[first:last]]


def page_total(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


@pytest.fixture(scope="module")
def kit_ctx(tmp_path_factory: pytest.TempPathFactory) -> RenderContext:
    root = write_project(tmp_path_factory.mktemp("kit") / "proyek", roster_csv(40))
    return render_context(load_course(root))


@pytest.fixture(scope="module")
def kit(kit_ctx: RenderContext) -> dict[str, bytes]:
    """Every kit document but the print list (that one needs a whole build)."""
    files: dict[str, bytes] = {}
    for kind in KIT_KINDS[:-1]:
        files.update((path, a.data) for path, a in render_all(kit_ctx, kind).items())
    return files


# --- reading -----------------------------------------------------------------------------------


def test_strip_titles_keeps_only_the_name() -> None:
    assert strip_titles("Dr. Budi Santoso, S.Sos., M.Si.") == "Budi Santoso"
    assert strip_titles("Prof. Dr. Ir. Siti Aminah, M.T.") == "Siti Aminah"
    assert strip_titles("Drs. H. Ahmad Fauzi, M.A.P.") == "H. Ahmad Fauzi"
    assert strip_titles("dr. Rina Wulandari") == "Rina Wulandari"
    assert strip_titles("Dradjat Prakoso") == "Dradjat Prakoso"


def test_excel_csv_with_bom_semicolons_and_spaced_nips_simply_works(tmp_path: Path) -> None:
    text = roster_csv(3, delimiter=";").replace("\n", "\r\n")
    text = re.sub(r"(\d{8})(\d{6})(\d)(\d{3})", r"\1 \2 \3 \4", text)
    path = tmp_path / "peserta.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    diagnostics = Diagnostics()
    roster = load_roster(path, CSV, diagnostics)
    assert not diagnostics.items
    assert roster is not None and len(roster) == 3
    first = rows(3)[0]
    assert roster.participants[0].nama == first[1]
    assert roster.participants[0].nip == first[2]
    assert roster.participants[0].instansi == first[5]
    assert roster.participants[0].pangkat_golongan == first[4]


def test_english_column_names(tmp_path: Path) -> None:
    path = tmp_path / "peserta.csv"
    path.write_text("Name,NIP,Position,Rank,Institution,Phone\n"
                    "Budi Santoso,198503122010011002,Analis,Penata (III/c),Dinas X,0812\n",
                    encoding="utf-8")
    roster = load_roster(path, CSV, Diagnostics())
    assert roster is not None
    person = roster.participants[0]
    assert (person.nama, person.jabatan, person.instansi, person.telepon) == (
        "Budi Santoso", "Analis", "Dinas X", "0812")


def test_office_and_work_unit_are_separate_columns(tmp_path: Path) -> None:
    path = tmp_path / "peserta.csv"
    path.write_text("Nama;Instansi;Unit Kerja;No. HP\nBudi;Dinas X;Bidang Pelayanan;0812\n",
                    encoding="utf-8")
    roster = load_roster(path, CSV, Diagnostics())
    assert roster is not None
    person = roster.participants[0]
    assert (person.instansi, person.unit_kerja, person.telepon, person.nip) == (
        "Dinas X", "Bidang Pelayanan", "0812", "")
    assert person.nip_display == "-"


BAD = [
    # (rows after the header, expected problems)
    ([["1", "Budi", "19850312201001100", "A", "III/a", "Dinas X", ""]],
     ["content/peserta.csv:2:nip: NIP must have 18 digits, got 17"]),
    ([["1", "Budi", "198503122010011002", "A", "III/a", "Dinas X", ""],
      ["2", "Ani", "1985 0312 2010 0110 02", "A", "III/a", "Dinas Y", ""]],
     ["content/peserta.csv:3:nip: duplicate NIP (already in row 2)"]),
    ([["1", "  ", "198503122010011002", "A", "III/a", "Dinas X", ""]],
     ["content/peserta.csv:2:nama: name must not be empty"]),
    ([["1", "Budi", "1.98503E+17", "A", "III/a", "Dinas X", ""]],
     ["content/peserta.csv:2:nip: NIP is in scientific notation (Excel shortened it); format "
      "the column as Text and type the NIP again"]),
    ([["1", "Budi", "198513122010011002", "A", "III/a", "Dinas X", ""]],
     ["content/peserta.csv:2:nip: NIP must start with a birth date (YYYYMMDD) that exists"]),
    ([["1", "Budi", "19850312-2010-01-1-00x", "A", "III/a", "Dinas X", ""]],
     ["content/peserta.csv:2:nip: NIP may hold only digits (spaces between the groups are "
      "fine)"]),
]


@pytest.mark.parametrize(("body", "expected"), BAD)
def test_bad_rows_are_reported_at_row_and_column(tmp_path: Path, body: list[list[str]],
                                                 expected: list[str]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([HEADER, *body])
    assert problems(write_project(tmp_path / "p", out.getvalue())) == expected


def test_unknown_column_says_did_you_mean(tmp_path: Path) -> None:
    text = "Nama,NIP,Jabatn,Instansi\nBudi,198503122010011002,Analis,Dinas X\n"
    assert problems(write_project(tmp_path / "p", text)) == [
        "content/peserta.csv:1:Jabatn: unknown column 'Jabatn' (did you mean 'jabatan'?); known "
        "columns: nama, nip, jabatan, pangkat_golongan, instansi, unit_kerja, email, telepon"]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "content/peserta.csv:1: the roster is empty; write a header row (nama, nip, jabatan, "
         "pangkat_golongan, instansi) and one row per participant"),
    ("\ufeff\n;;\n", "content/peserta.csv:1: the roster is empty; write a header row (nama, nip, "
                     "jabatan, pangkat_golongan, instansi) and one row per participant"),
    ("Nama;NIP\n", "content/peserta.csv:2: the roster has a header but no participants"),
    ("NIP,Instansi\n198503122010011002,Dinas X\n",
     "content/peserta.csv:1: the roster has no 'nama' (name) column; the first row must name "
     "the columns, e.g. nama, nip, jabatan, instansi"),
])
def test_empty_or_headless_roster(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(write_project(tmp_path / "p", text)) == [expected]


def test_csv_and_xlsx_together_is_an_error(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", roster_csv(2))
    (root / "content" / "peserta.xlsx").write_bytes(xlsx_bytes([["Nama"], ["Budi"]]))
    assert problems(root) == ["content/peserta.xlsx: both content/peserta.csv and "
                              "content/peserta.xlsx exist; keep one roster"]


def test_narasumber_modules_are_checked_at_load(tmp_path: Path) -> None:
    config = COURSE_KIT.replace("modul: [fitur-lengkap]", "modul: [fitur-lengkapp]")
    found = problems(write_project(tmp_path / "p", roster_csv(2), config))
    assert len(found) == 1
    assert re.fullmatch(r"bimtek\.yml:\d+: narasumber: no module with id 'fitur-lengkapp' "
                        r"\(did you mean 'fitur-lengkap'\?\)", found[0]), found


def test_certificate_number_template_is_checked(tmp_path: Path) -> None:
    config = COURSE_KIT.replace("kode: BIMTEK-KP", "kode: BIMTEK-KP\n  nomor: '{no}/{kod}/{tahun}'")
    found = problems(write_project(tmp_path / "p", roster_csv(2), config))
    assert len(found) == 1
    assert re.fullmatch(r"bimtek\.yml:\d+: sertifikat\.nomor: unknown field \{kod\} \(did you "
                        r"mean 'kode'\?\); available: \{no\}, \{kode\}, \{bulan_romawi\}, "
                        r"\{bulan\}, \{tahun\}", found[0]), found


# --- XLSX ----------------------------------------------------------------------------------------


def xlsx_bytes(table: list[list[object]], cached: dict[str, str] | None = None) -> bytes:
    """A workbook; `cached` gives formula cells a saved value, as Excel would have stored."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for values in table:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    if not cached:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                for cell, value in cached.items():
                    text = re.sub(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                                  rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v>', text)
                data = text.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def test_xlsx_formula_cell_uses_the_saved_value(tmp_path: Path) -> None:
    table = [["Nama", "NIP", "Instansi"],
             ['=CONCATENATE("Budi"," ","Santoso")', "198503122010011002", "Dinas X"]]
    data = xlsx_bytes(table, {"A2": "Budi Santoso"})
    root = write_project(tmp_path / "p", data, name="peserta.xlsx")
    course = load_course(root)
    assert course.roster is not None
    assert course.roster.participants[0].nama == "Budi Santoso"


def test_xlsx_formula_without_saved_value_is_reported(tmp_path: Path) -> None:
    table = [["Nama", "NIP"], ['=CONCATENATE("Budi"," ","Santoso")', "198503122010011002"]]
    root = write_project(tmp_path / "p", xlsx_bytes(table), name="peserta.xlsx")
    assert problems(root) == [
        "content/peserta.xlsx:2:nama: formula without a saved value; open the file in Excel or "
        "LibreOffice and save it again (formulas are never evaluated here)"]


def test_xlsx_nip_typed_as_a_number_is_refused(tmp_path: Path) -> None:
    table = [["Nama", "NIP"], ["Budi", 198503122010011002]]
    root = write_project(tmp_path / "p", xlsx_bytes(table), name="peserta.xlsx")
    assert problems(root) == [
        "content/peserta.xlsx:2:nip: NIP is stored as a number, so Excel kept only 15 of its 18 "
        "digits; format the column as Text and type the NIP again"]


def test_ten_thousand_rows_load_quickly(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", roster_csv(10_000))
    started = time.perf_counter()
    course = load_course(root)
    seconds = time.perf_counter() - started
    assert course.roster is not None and len(course.roster) == 10_000
    print(f"10,000-row roster loaded and validated in {seconds:.2f} s")
    assert seconds < 10


def test_ten_thousand_rows_xlsx(tmp_path: Path) -> None:
    table = [HEADER, *rows(10_000)]
    root = write_project(tmp_path / "p", xlsx_bytes(table), name="peserta.xlsx")
    started = time.perf_counter()
    course = load_course(root)
    seconds = time.perf_counter() - started
    assert course.roster is not None and len(course.roster) == 10_000
    print(f"10,000-row XLSX roster loaded and validated in {seconds:.2f} s")
    assert seconds < 90  # openpyxl parses ~3,000 cells a second on a busy machine


def test_roster_repr_holds_no_names(kit_ctx: RenderContext) -> None:
    roster = kit_ctx.course.roster
    assert roster is not None
    assert roster.participants[0].nama not in repr(roster)


# --- documents -----------------------------------------------------------------------------------


def test_no_roster_no_kit(feature_ctx: RenderContext) -> None:
    from bimtek_kit.render import get_renderer

    assert all(get_renderer(kind).jobs(feature_ctx) == [] for kind in KIT_KINDS)


def test_attendance_lists_every_participant_each_day(kit: dict[str, bytes],
                                                     kit_ctx: RenderContext) -> None:
    pages = pdf_text(kit["panitia/daftar-hadir.pdf"])
    text = "\n".join(pages)
    days = len(re.findall(r"Hari \d+ — ", text))
    assert days >= 1
    assert "DAFTAR HADIR PESERTA" in pages[0]
    assert "PEMERINTAH KABUPATEN SUKAMAJU" in pages[0]
    assert "Senin, 7 Desember 2026" in pages[0]
    assert "Kepala Badan Kepegawaian" in text and "Dr. H. Ahmad Fauzi, S.H., M.Si." in text
    people = kit_ctx.course.roster.participants  # type: ignore[union-attr]
    for person in people:
        assert text.count(person.nip_display) == days


def test_attendance_signatures_alternate_left_and_right(kit: dict[str, bytes]) -> None:
    with pdfplumber.open(io.BytesIO(kit["panitia/daftar-hadir.pdf"])) as pdf:
        words = pdf.pages[0].extract_words()
    marks = {w["text"]: w["x0"] for w in words if re.fullmatch(r"[1-4]\.", w["text"])}
    assert marks["1."] < marks["2."] and marks["3."] < marks["4."]
    assert abs(marks["1."] - marks["3."]) < 1 and abs(marks["2."] - marks["4."]) < 1


def test_speaker_attendance_names_module_and_time(kit: dict[str, bytes]) -> None:
    text = "\n".join(pdf_text(kit["panitia/daftar-hadir-narasumber.pdf"]))
    assert "DAFTAR HADIR NARASUMBER" in text
    assert "Dr. Rina Kusumawati, S.Sos., M.Si." in text
    assert "NIP. 197501012000032001" in text
    assert "Modul Semua Fitur" in text
    assert re.search(r"\d{2}\.\d{2}–\d{2}\.\d{2}", text)


def test_attendance_per_session(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", roster_csv(3), COURSE_KIT + "daftar_hadir: per_sesi\n")
    ctx = render_context(load_course(root))
    text = "\n".join(pdf_text(render_all(ctx, "daftar-hadir")["panitia/daftar-hadir.pdf"].data))
    sessions = re.findall(r"Sesi : (\d{2}\.\d{2}–\d{2}\.\d{2}) · (M\d)", text)
    assert len(sessions) >= 2
    assert {code for _, code in sessions} >= {"M1"}


def test_certificates_one_sheet_per_participant(kit: dict[str, bytes],
                                                kit_ctx: RenderContext) -> None:
    data = kit["panitia/sertifikat.pdf"]
    assert page_total(data) == 80
    front, back = pdf_text(data, 0, 2)
    person = kit_ctx.course.roster.participants[0]  # type: ignore[union-attr]
    assert "SERTIFIKAT" in front.replace(" ", "")  # letter-spaced
    assert f"\n{person.plain_name}\n" in f"\n{front}\n"
    assert person.nama == "Ir. Rina Hasibuan" and "Ir." not in front.split("NIP")[0]
    assert f"NIP. {person.nip_display}" in front
    assert "Nomor: 001/BIMTEK-KP/XII/2026" in front
    assert "Desember 2026" in front and "jam pelajaran (JP)" in front
    assert "Kepala Badan Kepegawaian" in front
    assert "DAFTAR MATA PELATIHAN" in back and "Modul Semua Fitur" in back
    total = sum(m.duration_jp for m in kit_ctx.course.modules)
    assert re.search(rf"Jumlah {total}\b", back)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert pdf.pages[0].width > pdf.pages[0].height  # landscape


def test_certificate_names_never_carry_academic_titles(kit: dict[str, bytes],
                                                       kit_ctx: RenderContext) -> None:
    fronts = pdf_text(kit["panitia/sertifikat.pdf"])[0::2]
    people = kit_ctx.course.roster.participants  # type: ignore[union-attr]
    titled = [p for p in people if p.nama != p.plain_name]
    assert len(titled) > 10
    for person, page in zip(people, fronts, strict=True):
        name_line = page.split("\n")[page.split("\n").index("diberikan kepada") + 1]
        assert name_line == person.plain_name
        assert not re.search(r"\b(Dr|Drs|Ir|dr)\.|S\.Sos|M\.Si", name_line)


def test_certificate_qr_decodes_to_the_verification_url(kit: dict[str, bytes],
                                                        kit_ctx: RenderContext) -> None:
    pypdfium2 = pytest.importorskip("pypdfium2")
    pyzbar = pytest.importorskip("pyzbar.pyzbar")
    document = pypdfium2.PdfDocument(kit["panitia/sertifikat.pdf"])
    image = document[2].render(scale=3).to_pil()  # the second participant's front
    decoded = [code.data.decode("utf-8") for code in pyzbar.decode(image)]
    person = kit_ctx.course.roster.participants[1]  # type: ignore[union-attr]
    number = certificate_number(kit_ctx, person)
    assert number == "002/BIMTEK-KP/XII/2026"
    assert decoded == [verification_url(kit_ctx, number)]
    assert decoded == ["https://bkpsdm.sukamajukab.go.id/verifikasi?nomor=002%2FBIMTEK-KP%2FXII"
                       "%2F2026"]


def test_certificate_register(kit: dict[str, bytes], kit_ctx: RenderContext) -> None:
    text = kit["panitia/sertifikat.csv"].decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["nomor", "nama", "nip", "instansi", "hash"]
    assert len(table) == 41
    people = kit_ctx.course.roster.participants  # type: ignore[union-attr]
    assert [r[2] for r in table[1:]] == [p.nip for p in people]
    assert [r[1] for r in table[1:]] == [p.plain_name for p in people]
    assert all(re.fullmatch(r"[0-9A-F]{16}", r[4]) for r in table[1:])
    assert len({r[4] for r in table[1:]}) == 40


def test_name_tents_have_two_faces_one_upside_down(kit: dict[str, bytes],
                                                   kit_ctx: RenderContext) -> None:
    data = kit["panitia/papan-nama.pdf"]
    assert page_total(data) == 40
    person = kit_ctx.course.roster.participants[0]  # type: ignore[union-attr]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        big = [c for c in page.chars if c["size"] >= 60]
    assert big, "the name is set large enough to read from 3 m"
    upright = "".join(c["text"] for c in big if c["matrix"][0] > 0)
    turned = "".join(c["text"] for c in big if c["matrix"][0] < 0)
    assert upright.replace(" ", "") == person.plain_name.replace(" ", "")
    assert sorted(turned.replace(" ", "")) == sorted(person.plain_name.replace(" ", ""))


def test_participant_cards_eight_per_page(kit: dict[str, bytes],
                                          kit_ctx: RenderContext) -> None:
    data = kit["panitia/kartu-peserta.pdf"]
    assert page_total(data) == 5
    first = pdf_text(data, 0, 1)[0]
    people = kit_ctx.course.roster.participants  # type: ignore[union-attr]
    assert all(p.nama in first for p in people[:8])
    assert people[8].nama not in first
    assert first.count("KARTU PESERTA") == 8
    assert len(re.findall(r"Kelompok \d+", first)) == 8


def test_groups_are_balanced_by_office_and_deterministic(kit_ctx: RenderContext) -> None:
    people = kit_ctx.course.roster.participants  # type: ignore[union-attr]
    groups = deal_groups(people, 5, 1)
    assert groups == deal_groups(people, 5, 1)
    assert groups != deal_groups(people, 5, 2)
    assert sorted(p.number for g in groups for p in g) == list(range(1, 41))
    assert {len(g) for g in groups} == {5}
    offices = Counter(p.instansi for p in people)
    for group in groups:
        for office, count in Counter(p.instansi for p in group).items():
            assert count <= -(-offices[office] // len(groups)), office


def test_groups_document_lists_roles_per_simulasi(kit: dict[str, bytes],
                                                  kit_ctx: RenderContext) -> None:
    text = "\n".join(pdf_text(kit["panitia/kelompok.pdf"]))
    assert "PEMBAGIAN KELOMPOK" in text
    assert "S1 M1 · Warga Kecewa" in text
    assert len(re.findall(r"^Kelompok \d+$", text, re.MULTILINE)) == 8
    assert text.count("Warga") >= 8 and text.count("Petugas") >= 8
    people = kit_ctx.course.roster.participants  # type: ignore[union-attr]
    assert all(p.nama in text.replace("\n", " ") for p in people)


# --- whole builds --------------------------------------------------------------------------------


@pytest.mark.slow
def test_print_list_counts_pages_and_copies(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", roster_csv(40))
    out = tmp_path / "dist"
    build(BuildOptions(root, out, only=["worksheets", *KIT_KINDS], jobs=1))
    folder = next(out.iterdir()) / "panitia"
    table = list(csv.reader(io.StringIO((folder / "daftar-cetak.csv").read_text("utf-8-sig"))))
    assert table[0] == ["file", "halaman", "eksemplar", "kertas", "cetak", "lembar",
                        "keterangan"]
    by_file = {row[0]: row for row in table[1:]}
    certificate = by_file["panitia/sertifikat.pdf"]
    assert certificate[1:6] == ["80", "1", "A4", "bolak-balik", "40"]
    assert "kertas tebal" in certificate[6]
    worksheets = next(row for path, row in by_file.items() if path.endswith("lembar-kerja.pdf")
                      and "/" not in path.removeprefix("peserta/"))
    assert worksheets[2] == "40" and worksheets[4] == "satu sisi"
    assert by_file["panitia/sertifikat.csv"][2] == "0"
    text = "\n".join(pdf_text((folder / "daftar-cetak.pdf").read_bytes()))
    assert "DAFTAR CETAK" in text and "panitia/sertifikat.pdf" in text
    total = sum(int(row[5]) for row in table[1:])
    assert re.search(rf"Jumlah lembar {total}\b", text)


@pytest.mark.slow
def test_one_more_participant_rebuilds_only_the_kit(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", roster_csv(40))
    out = tmp_path / "dist"
    first = build(BuildOptions(root, out, jobs=2))
    kit_files = {p for p in first.rendered if p.startswith("panitia/")}
    assert {"panitia/sertifikat.pdf", "panitia/daftar-hadir.pdf",
            "panitia/kelompok.pptx"} <= kit_files
    folder = next(out.iterdir())
    manifest = (folder / "manifest.json").read_text("utf-8")
    names = [row[1] for row in rows(40)]
    assert not any(name in manifest for name in names)
    assert_names_only_for_the_organisers(root, folder)
    (root / CSV).write_text(roster_csv(41), encoding="utf-8")
    second = build(BuildOptions(root, out, jobs=2))
    # Only the organisers' files are made from the roster, and exactly they are rebuilt: the
    # roster's documents and the daftar cetak that counts their pages.
    entries = json.loads(manifest)["files"]
    from_roster = {e["path"] for e in entries if CSV in e["sources"]}
    assert from_roster and all(p.startswith("panitia/") for p in from_roster)
    assert {"panitia/daftar-cetak.pdf", "panitia/daftar-cetak.csv"} <= from_roster
    assert sorted(second.rendered) == sorted(from_roster)
    assert "panitia/daftar-hadir-narasumber.pdf" in second.reused  # it lists no participant


def readable_text(path: Path) -> str:
    """The text of a package file: PDF text, the XML text of Office files, else the bytes."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return "\n".join(pdf_text(data))
    if path.suffix in {".pptx", ".docx", ".xlsx", ".zip"}:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = " ".join(archive.read(n).decode("utf-8", "replace")
                           for n in archive.namelist() if n.endswith((".xml", ".rels")))
        return re.sub(r"<[^>]+>", "", xml)
    return data.decode("utf-8", "replace")


def assert_names_only_for_the_organisers(root: Path, folder: Path) -> None:
    """No participant's name in any file outside `panitia/` (DESIGN §7). Names that the course
    text itself happens to hold cannot be told apart, so they are not looked for."""
    sources = " ".join(p.read_text("utf-8") for p in (root / "content").rglob("*.md"))
    names = {strip_titles(row[1]) for row in rows(40)}
    names = {name for name in names if name not in sources}
    assert len(names) > 20
    found: dict[str, set[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = " ".join(readable_text(path).split())
        hits = {name for name in names if name in text}
        if hits:
            found[path.relative_to(folder).as_posix()] = hits
    assert found, "the organisers' files hold the names (the reading works)"
    assert all(path.startswith("panitia/") for path in found), sorted(found)


def test_kit_in_english(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", roster_csv(2), COURSE_KIT)
    config = root / "bimtek.yml"
    config.write_text(config.read_text("utf-8").replace("language: id", "language: en"), "utf-8")
    ctx = render_context(load_course(root))
    files = render_all(ctx, "sertifikat")
    assert sorted(files) == ["organisers/certificates.csv", "organisers/certificates.pdf"]
    front = pdf_text(files["organisers/certificates.pdf"].data, 0, 1)[0]
    assert "CERTIFICATE" in front.replace(" ", "") and "is awarded to" in front
    assert "7 December 2026" in front
    register = files["organisers/certificates.csv"].data.decode("utf-8-sig")
    assert register.startswith("number,name,nip,institution,hash")


def test_kop_logo_is_checked_and_printed(tmp_path: Path) -> None:
    from PIL import Image

    config = COURSE_KIT.replace("kop:\n", "kop:\n  logo: content/lambang.png\n")
    root = write_project(tmp_path / "p", roster_csv(3), config)
    assert problems(root) == ["bimtek.yml:" + str(_line_of(root, "logo:")) +
                              ": kop.logo: 'content/lambang.png' not found"]
    Image.new("RGB", (120, 140), "navy").save(root / "content" / "lambang.png")
    ctx = render_context(load_course(root))
    pdf = render_all(ctx, "daftar-hadir")["panitia/daftar-hadir.pdf"].data
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages[0].images) == 1


def _line_of(root: Path, text: str) -> int:
    lines = (root / "bimtek.yml").read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_a_name_added_at_the_end_changes_only_the_last_part(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bimtek_kit.render.organiser import certificates

    monkeypatch.setattr(certificates, "CHUNK", 10)
    keys = []
    for count, name in ((40, "a"), (41, "b")):
        root = write_project(tmp_path / name, roster_csv(count))
        jobs = certificates.CertificateRenderer().jobs(render_context(load_course(root)))
        keys.append({job.outputs[0]: job.fingerprint for job in jobs if not job.parts})
    before, after = keys
    assert len(before) == 4 and len(after) == 5
    assert all(after[path] == key for path, key in before.items())


def test_every_kit_file_lies_in_the_organisers_folder(kit_ctx: RenderContext) -> None:
    from bimtek_kit.render import get_renderer
    from bimtek_kit.render.base import audience_of, is_part

    for kind in KIT_KINDS:
        paths = [p for job in get_renderer(kind).jobs(kit_ctx) for p in job.outputs
                 if not is_part(p)]
        assert paths, kind
        assert all(audience_of(p, kit_ctx) == "organisers" for p in paths), paths
