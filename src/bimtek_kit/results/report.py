"""The laporan pelaksanaan as a list of plain blocks, written once and drawn twice (DOCX, PDF).

BAB I pendahuluan (dasar, tujuan, sasaran from `bimtek.yml` `laporan:`), BAB II pelaksanaan
(waktu, tempat, peserta, narasumber, jadwal), BAB III hasil (tables and charts), BAB IV
kesimpulan dan rekomendasi (a template the organiser completes: the numbers are filled in, the
judgement is theirs), lampiran (rekap nilai; the signed daftar hadir is attached by hand).
Text the organiser must complete is a `Para` with `todo=True`: bracketed and italic in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bimtek_kit.results import analysis

if TYPE_CHECKING:
    from bimtek_kit.model import Course
    from bimtek_kit.results.charts import Chart
    from bimtek_kit.results.scores import Results
    from bimtek_kit.themes import Labels


@dataclass(frozen=True)
class Heading:
    kind = "heading"
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    kind = "para"
    text: str
    todo: bool = False


@dataclass(frozen=True)
class Bullets:
    kind = "bullets"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    kind = "table"
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    """Relative column widths (sum 1); empty for equal columns."""


@dataclass(frozen=True)
class Figure:
    kind = "figure"
    name: str
    """File name beside the report: `grafik-nilai.png`."""
    chart: Chart
    caption: str


Block = Heading | Para | Bullets | Table | Figure


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    organizer: str
    blocks: tuple[Block, ...]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


@dataclass(frozen=True)
class Findings:
    """Everything BAB III reports, computed once."""

    rekap: analysis.Rekap
    items: dict[str, list[analysis.ItemRow]]
    aspects: dict[str, list[analysis.Rating]]
    """Form title -> mean per section."""
    statements: dict[str, list[analysis.Rating]]
    """Form title -> mean per statement."""
    speakers: dict[str, list[analysis.Rating]]
    comments: dict[str, list[tuple[str, list[str]]]]
    charts: dict[str, Chart]


def number(value: float | None, digits: int = 2) -> str:
    """Indonesian decimal comma; `-` for nothing."""
    if value is None:
        return "-"
    return f"{value:.{digits}f}".replace(".", ",")


def build_report(course: Course, labels: Labels, results: Results,
                 findings: Findings) -> Report:
    config = course.config
    blocks: list[Block] = [
        *_bab_i(course),
        *_bab_ii(course, labels, findings),
        *_bab_iii(course, results, findings),
        *_bab_iv(findings),
        *_lampiran(findings),
    ]
    return Report("Laporan Pelaksanaan", config.title, config.organizer,
                  tuple(_numbered(blocks)))


def _numbered(blocks: list[Block]) -> list[Block]:
    """`Gambar 1. …` in document order, and the sections of each BAB lettered A., B., … in
    order (a BAB III without test results starts its evaluations at A.)."""
    import re

    from bimtek_kit.results.charts import scoped

    count = 0
    letter = 0
    numbered: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            letter = 0
        elif isinstance(block, Heading) and block.level == 2 and re.match(r"[A-Z]\. ", block.text):
            block = Heading(2, f"{chr(ord('A') + letter)}. {block.text[3:]}")
            letter += 1
        if isinstance(block, Figure):
            count += 1
            block = Figure(block.name, scoped(block.chart, f"g{count}"),
                           f"Gambar {count}. {block.caption}")
        numbered.append(block)
    return numbered


def _todo(text: str) -> Para:
    return Para(f"[{text}]", todo=True)


def _bab_i(course: Course) -> list[Block]:
    spec = course.config.laporan
    return [
        Heading(1, "BAB I PENDAHULUAN"),
        Heading(2, "A. Latar Belakang"),
        _todo("Lengkapi: kebutuhan yang melatarbelakangi bimtek ini di instansi Anda."),
        Heading(2, "B. Dasar Pelaksanaan"),
        Bullets(tuple(spec.dasar)) if spec.dasar else
        _todo("Lengkapi di bimtek.yml (laporan: dasar:) atau di sini: peraturan, DPA, "
              "surat tugas."),
        Heading(2, "C. Tujuan"),
        Bullets(tuple(spec.tujuan)) if spec.tujuan else
        _todo("Lengkapi di bimtek.yml (laporan: tujuan:) atau di sini."),
        Heading(2, "D. Sasaran"),
        Para(_sentence(spec.sasaran or course.config.audience))
        if spec.sasaran or course.config.audience else _todo("Lengkapi: sasaran peserta."),
    ]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _lower_first(text: str) -> str:
    """`Aparatur …` -> `aparatur …`, but `ASN …` stays `ASN …`."""
    if len(text) > 1 and text[1].isupper():
        return text.rstrip(".")
    return (text[:1].lower() + text[1:]).rstrip(".")


def _bab_ii(course: Course, labels: Labels, findings: Findings) -> list[Block]:
    config = course.config
    return [
        Heading(1, "BAB II PELAKSANAAN"),
        Heading(2, "A. Waktu dan Tempat"),
        Para(f"Bimtek dilaksanakan {_dates(course, labels)}"
             + (f" di {config.place}." if config.place else ".")),
        Heading(2, "B. Peserta"),
        Para(f"Bimtek diikuti oleh {len(findings.rekap.rows)} peserta"
             + (f", yaitu {_lower_first(config.audience)}" if config.audience else "")
             + "."),
        Heading(2, "C. Narasumber dan Materi"),
        Table("Tabel 2.1 Materi dan narasumber", ("No.", "Materi", "Narasumber", "JP"),
              tuple((str(i), m.title, analysis.speaker_of(course, m) or "-", str(m.duration_jp))
                    for i, m in enumerate(course.modules, start=1)),
              (0.07, 0.55, 0.3, 0.08)),
        Heading(2, "D. Jadwal"),
        *_schedule(course, labels),
    ]


def _dates(course: Course, labels: Labels) -> str:
    import datetime as dt

    from bimtek_kit.localize import format_date

    schedule = course.config.schedule
    if schedule.start_date is None:
        return "[tanggal pelaksanaan]"
    start = schedule.start_date
    if not schedule.days or schedule.days == 1:
        return f"pada {format_date(start, labels)}"
    end = start + dt.timedelta(days=schedule.days - 1)
    return (f"selama {schedule.days} hari, {format_date(start, labels)} sampai dengan "
            f"{format_date(end, labels)}")


def _schedule(course: Course, labels: Labels) -> list[Block]:
    from bimtek_kit.localize import format_date, format_range
    from bimtek_kit.schedule import ScheduleOverflow, build_timetable

    try:
        timetable = build_timetable(course)
    except ScheduleOverflow:
        return [_todo("Jadwal tidak dapat disusun dari bimtek.yml; lampirkan jadwal.")]
    rows = []
    for day in timetable.days:
        when = format_date(day.date, labels) if day.date else f"Hari ke-{day.number}"
        for index, row in enumerate(day.rows):
            rows.append((when if index == 0 else "",
                         format_range(row.start, row.end, course.config.language), row.label))
    return [Table("Tabel 2.2 Jadwal pelaksanaan", ("Hari/Tanggal", "Waktu", "Kegiatan"),
                  tuple(rows), (0.25, 0.2, 0.55))]


def _bab_iii(course: Course, results: Results, findings: Findings) -> list[Block]:
    rekap = findings.rekap
    blocks: list[Block] = [Heading(1, "BAB III HASIL PELAKSANAAN")]
    if rekap.rows:
        counts = rekap.counts()
        blocks += [
            Heading(2, "A. Hasil Pre-test dan Post-test"),
            Para(f"Rata-rata nilai pre-test {number(rekap.mean_pre)} dan rata-rata nilai "
                 f"post-test {number(rekap.mean_post)}. N-gain kelas (Hake) "
                 f"{number(rekap.class_n_gain)}, kategori "
                 f"{analysis.gain_category(rekap.class_n_gain)}. Menurut N-gain perorangan, "
                 f"{counts['tinggi']} peserta berkategori tinggi, {counts['sedang']} sedang, "
                 f"dan {counts['rendah']} rendah. Rekap per peserta ada di Lampiran 1."),
            Table("Tabel 3.1 Ringkasan nilai", ("Ukuran", "Nilai"),
                  (("Rata-rata pre-test", number(rekap.mean_pre)),
                   ("Rata-rata post-test", number(rekap.mean_post)),
                   ("N-gain kelas", number(rekap.class_n_gain)),
                   ("Kategori", analysis.gain_category(rekap.class_n_gain))), (0.6, 0.4)),
        ]
        blocks += _figures(findings, ("nilai", "n-gain"))
    blocks += _items(findings)
    blocks += _evaluations(findings)
    return blocks


def _figures(findings: Findings, keys: tuple[str, ...]) -> list[Block]:
    captions = {"nilai": "Nilai pre-test dan post-test per peserta (garis putus: rata-rata)",
                "n-gain": "Jumlah peserta per kategori N-gain"}
    figures: list[Block] = []
    for key in keys:
        if key in findings.charts:
            caption = captions.get(key) or f"Rata-rata penilaian: {key.split(':', 1)[-1]}"
            figures.append(Figure(f"grafik-{_slug(key)}.png", findings.charts[key], caption))
    return figures


def _slug(key: str) -> str:
    from bimtek_kit.slugs import slugify

    return slugify(key.replace(":", "-")) or "grafik"


def _items(findings: Findings) -> list[Block]:
    blocks: list[Block] = []
    for bank, items in findings.items.items():
        if not blocks:
            blocks.append(Heading(2, "B. Analisis Butir Soal"))
            blocks.append(Para("Tingkat kesukaran p = proporsi peserta yang menjawab benar; daya "
                               "beda D = p kelompok atas − p kelompok bawah (27 % nilai "
                               "tertinggi dan terendah). Pengecoh yang tidak dipilih siapa pun "
                               "perlu diperbaiki pada baris bank soal yang disebutkan."))
        blocks.append(Table(f"Analisis butir {bank}",
                            ("No.", "p", "Kesukaran", "D", "Daya beda", "Pengecoh tak dipilih"),
                            tuple((str(i.number), number(i.difficulty), i.difficulty_label,
                                   number(i.discrimination), i.discrimination_label,
                                   f"{', '.join(i.unused)} ({i.loc})" if i.unused else "-")
                                  for i in items),
                            (0.07, 0.09, 0.13, 0.09, 0.14, 0.48)))
    return blocks


def _evaluations(findings: Findings) -> list[Block]:
    blocks: list[Block] = []
    letter = "C"
    for name, ratings in findings.aspects.items():
        blocks += [Heading(2, f"{letter}. {name}"),
                   Table(f"Rata-rata per aspek: {name}", ("Aspek", "Rata-rata", "Kategori", "n"),
                         tuple((r.label, number(r.mean), r.scale_label, str(r.count))
                               for r in ratings), (0.55, 0.15, 0.2, 0.1))]
        blocks += _figures(findings, (f"aspek:{name}",))
        blocks += _comments(findings.comments.get(name, []))
        letter = chr(ord(letter) + 1)
    for name, ratings in findings.speakers.items():
        blocks += [Heading(2, f"{letter}. {name}"),
                   Table(f"Rata-rata per narasumber: {name}",
                         ("Narasumber", "Rata-rata", "Kategori", "n"),
                         tuple((r.label, number(r.mean), r.scale_label, str(r.count))
                               for r in ratings), (0.55, 0.15, 0.2, 0.1)),
                   Table(f"Rata-rata per aspek (semua narasumber): {name}",
                         ("Aspek", "Rata-rata", "Kategori", "n"),
                         tuple((r.label, number(r.mean), r.scale_label, str(r.count))
                               for r in findings.statements.get(name, [])),
                         (0.55, 0.15, 0.2, 0.1))]
        blocks += _comments(findings.comments.get(name, []))
        letter = chr(ord(letter) + 1)
    return blocks


def _comments(comments: list[tuple[str, list[str]]]) -> list[Block]:
    blocks: list[Block] = []
    for prompt, answers in comments:
        if answers:
            blocks += [Heading(3, prompt), Bullets(tuple(answers))]
    return blocks


def _bab_iv(findings: Findings) -> list[Block]:
    rekap = findings.rekap
    summary = (f"Rata-rata nilai peserta berubah dari {number(rekap.mean_pre)} pada pre-test "
               f"menjadi {number(rekap.mean_post)} pada post-test, dengan N-gain kelas "
               f"{number(rekap.class_n_gain)} (kategori "
               f"{analysis.gain_category(rekap.class_n_gain)}).") if rekap.rows else ""
    return [
        Heading(1, "BAB IV KESIMPULAN DAN REKOMENDASI"),
        Heading(2, "A. Kesimpulan"),
        *([Para(summary)] if summary else []),
        _todo("Lengkapi: ketercapaian tujuan, hal yang berjalan baik, kendala."),
        Heading(2, "B. Rekomendasi"),
        _todo("Lengkapi: rekomendasi untuk peserta, instansi, dan penyelenggaraan berikutnya "
              "(lihat saran peserta dan butir soal yang perlu diperbaiki)."),
    ]


def _lampiran(findings: Findings) -> list[Block]:
    rekap = findings.rekap
    rows = tuple((str(r.number), r.name or "-", r.nip, number(r.pre), number(r.post),
                  number(r.gain), number(r.n_gain), r.category) for r in rekap.rows)
    total = ("", "Rata-rata kelas", "", number(rekap.mean_pre), number(rekap.mean_post),
             number(None if rekap.mean_pre is None or rekap.mean_post is None
                    else rekap.mean_post - rekap.mean_pre),
             number(rekap.class_n_gain), analysis.gain_category(rekap.class_n_gain))
    return [
        Heading(1, "LAMPIRAN"),
        Heading(2, "Lampiran 1. Rekap Nilai"),
        Table("Rekap nilai peserta", ("No.", "Nama", "NIP", "Pre", "Post", "Gain", "N-gain",
                                      "Kategori"), (*rows, total),
              (0.05, 0.24, 0.21, 0.095, 0.095, 0.095, 0.095, 0.11)),
        Heading(2, "Lampiran 2. Daftar Hadir"),
        _todo("Lampirkan daftar hadir yang telah ditandatangani."),
    ]
