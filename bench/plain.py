"""A plain Markdown course that bimtek and pandoc both read the same way (issue #23).

Each module has sections with prose, a bullet list, every other section a table, and speaker
notes in `::: notes` (pandoc's speaker-notes div; bimtek's English alias of `catatan`). No
bimtek-only directive appears, so neither tool renders anything the other cannot: the files are
a fair, shared input. The front matter carries what bimtek needs (pandoc ignores unknown keys).
About 5 handbook pages and 20-25 slides per module; the same N gives the same files.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

WORDS = (
    "pelayanan", "warga", "petugas", "informasi", "layanan", "masyarakat", "prosedur", "standar",
    "loket", "antrean", "persyaratan", "berkas", "pengaduan", "tanggapan", "kejelasan",
    "kepastian", "waktu", "biaya", "etika", "komunikasi", "kepercayaan", "unit", "kerja",
    "kecamatan", "kelurahan", "dinas", "perizinan", "data", "laporan", "tindak", "lanjut",
    "perbaikan", "survei", "kepuasan", "indikator", "sasaran", "kegiatan", "rencana", "evaluasi",
    "pemantauan",
)

SECTIONS_PER_MODULE = 20
CONFIG = """\
title: Kursus Polos untuk Pengukuran
short_title: Kursus Polos
slug: kursus-polos
organizer: Panitia Pengukuran
language: id
schedule:
  start_date: 2026-12-07
  day_start: "08.00"
  day_end: "16.00"
"""


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(9, 16)) for _ in range(sentences))


def section(rng: random.Random, number: int) -> str:
    lines = [f"## Bagian {number}: {sentence(rng, 3)[:-1]}", "", paragraph(rng, 4), ""]
    lines += [f"- {sentence(rng, rng.randint(5, 9))}" for _ in range(4)] + [""]
    if number % 2 == 0:
        lines += ["| Aspek | Keterangan | Contoh |", "|---|---|---|"]
        lines += [f"| {rng.choice(WORDS)} | {sentence(rng, 6)} | {sentence(rng, 5)} |"
                  for _ in range(4)]
        lines.append("")
    lines += ["::: notes", paragraph(rng, 2), ":::", ""]
    return "\n".join(lines)


def module(index: int) -> str:
    rng = random.Random(index)
    front = [
        "---",
        f"id: modul-{index:03d}",
        f"title: Modul Polos {index}",
        f"code: M{index}",
        "duration_jp: 4",
        "objectives:",
        *(f"  - menjelaskan {rng.choice(WORDS)} dan {rng.choice(WORDS)} dalam pelayanan"
          for _ in range(3)),
        "description: Modul polos untuk mengukur kecepatan pada masukan yang sama.",
        "---",
        "",
    ]
    body = [section(rng, n) for n in range(1, SECTIONS_PER_MODULE + 1)]
    return "\n".join(front) + "\n".join(body)


def generate_plain(n: int, target: Path) -> Path:
    """Write an N-module plain course project into `target` (emptied first) and return it."""
    if target.exists():
        shutil.rmtree(target)
    modules = target / "content" / "modules"
    modules.mkdir(parents=True)
    (target / "bimtek.yml").write_text(CONFIG, encoding="utf-8")
    for index in range(1, n + 1):
        (modules / f"{index:03d}-modul-{index:03d}.md").write_text(module(index), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    print(generate_plain(args.n, args.target))


if __name__ == "__main__":
    main()
