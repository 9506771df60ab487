"""Made-up participants for roster tests: Indonesian names, academic titles, long offices.

No real person: first and last names are drawn from common lists and combined at random.
"""

from __future__ import annotations

import csv
import io
import random

FIRST = ["Budi", "Siti", "Agus", "Dewi", "Rina", "Joko", "Sri", "Ahmad", "Nur", "Yusuf",
         "Putri", "Hendra", "Ratna", "Bambang", "Lestari", "Wahyu", "Indah", "Dedi", "Fitri",
         "Rudi", "Maya", "Eko", "Ayu", "Teguh", "Wulan", "Arif", "Sari", "Imam", "Dian", "Bayu"]
LAST = ["Santoso", "Rahmawati", "Hidayat", "Lestari", "Saputra", "Kurniawan", "Wijaya",
        "Pratama", "Nugroho", "Susanti", "Setiawan", "Purnamasari", "Hasibuan", "Siregar",
        "Simanjuntak", "Wibisono", "Maharani", "Firmansyah", "Handayani", "Permana"]
PREFIX = ["", "", "", "Dr. ", "Drs. ", "Ir. ", "Hj. ", "dr. "]
SUFFIX = ["", "", ", S.Sos.", ", S.Sos., M.Si.", ", S.E., M.M.", ", S.H., M.H.", ", S.Kom.",
          ", S.T., M.T.", ", A.Md.", ", S.IP., M.A.P."]
OFFICES = [
    "Dinas Komunikasi, Informatika, Statistik dan Persandian Kabupaten Sukamaju",
    "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sukamaju",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sukamaju",
    "Kecamatan Sukamaju Utara",
    "RSUD dr. Soedarsono Kabupaten Sukamaju",
    "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana Kabupaten Sukamaju",
]
POSITIONS = ["Analis Kebijakan Ahli Muda", "Pranata Humas Ahli Pertama", "Kepala Seksi Pelayanan",
             "Pengadministrasi Umum", "Penata Layanan Operasional", "Kepala Subbagian Umum"]
RANKS = ["Penata Muda (III/a)", "Penata Muda Tk. I (III/b)", "Penata (III/c)",
         "Penata Tk. I (III/d)", "Pembina (IV/a)"]
HEADER = ["No", "Nama", "NIP", "Jabatan", "Pangkat/Golongan", "Instansi", "Email"]


def nip(rng: random.Random, index: int) -> str:
    """18 digits: birth date, appointment year-month, sex, sequence (unique by `index`)."""
    born = f"{rng.randint(1965, 1998)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    appointed = f"{rng.randint(2000, 2023)}{rng.randint(1, 12):02d}"
    return f"{born}{appointed}{rng.randint(1, 2)}{index % 1000:03d}"


def rows(count: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    table = []
    for index in range(1, count + 1):
        name = f"{rng.choice(PREFIX)}{rng.choice(FIRST)} {rng.choice(LAST)}{rng.choice(SUFFIX)}"
        table.append([str(index), name, nip(rng, index), rng.choice(POSITIONS),
                      rng.choice(RANKS), rng.choice(OFFICES), f"peserta{index}@contoh.go.id"])
    return table


def roster_csv(count: int = 40, seed: int = 7, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(count, seed))
    return out.getvalue()


KIT_CONFIG = """
narasumber:
  - {nama: "Dr. Rina Kusumawati, S.Sos., M.Si.", nip: "197501012000032001",
     instansi: Universitas Sukamaju, modul: [komunikasi-publik, teknik-komunikasi]}
  - {name: "Drs. Haryanto Wibowo, M.A.P.", nip: "196805121994031003",
     institution: Ombudsman RI Perwakilan Sukamaju, modules: [etika-pelayanan]}
penandatangan:
  - jabatan: Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sukamaju
    nama: "Dr. H. Ahmad Fauzi, S.H., M.Si."
    pangkat: Pembina Utama Muda (IV/c)
    nip: "197003151995031002"
kop:
  instansi: [Pemerintah Kabupaten Sukamaju, Badan Kepegawaian dan Pengembangan Sumber Daya Manusia]
  alamat: Jalan Merdeka Nomor 1, Sukamaju 12345
  telepon: (0123) 456789
  laman: bkpsdm.sukamajukab.go.id
sertifikat:
  kode: BIMTEK-KP
  verifikasi_url: https://bkpsdm.sukamajukab.go.id/verifikasi
kelompok: 5
"""
