"""Shared fixtures: throwaway course projects written from a dict of files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bimtek_kit.engine import job_stages
from bimtek_kit.loader import load_course
from bimtek_kit.model import Course
from bimtek_kit.render import get_renderer
from bimtek_kit.render.base import Artifact, RenderContext, is_part
from bimtek_kit.themes import load_theme

REPO = Path(__file__).resolve().parents[1]

CATATAN_MARKER = "CATATANRAHASIA"
"""Text that only facilitators may see: it must never reach a participant output."""
KUNCI_MARKER = "KUNCIRAHASIA"
"""Answer-key text: facilitator guide only."""

MINIMAL_CONFIG = """\
title: Bimtek Uji Coba
short_title: Bimtek Uji
organizer: BKPSDM Kabupaten Contoh
language: id
schedule:
  start_date: 2026-12-07
  day_start: "08.00"
  day_end: "16.00"
  breaks:
    - {at: "12.00", minutes: 60, label: ISHOMA}
"""

FEATURE_MODULE = f"""\
---
id: fitur-lengkap
title: Modul Semua Fitur
code: M1
duration_jp: 4
objectives:
  - menjelaskan fitur pertama
  - menerapkan fitur kedua
methods: [ceramah, diskusi]
media: [bahan tayang]
description: Modul uji yang memakai setiap fitur sintaks.
---

## Bagian Pertama

Paragraf dengan **tebal**, *miring*, `kode` dan [tautan](https://example.org).

- Butir satu
- Butir dua
  - Anak butir

::: catatan
{CATATAN_MARKER} tanyakan contoh kepada peserta.
:::

| Kolom A | Kolom B |
|---|---|
| sel 1 | sel 2 |

> Kutipan penting.

::: penting Perhatikan
Isi callout penting.
:::

## Bagian Kedua {{waktu=30}}

:::: latihan Latihan Pesan Kunci {{waktu=20 baris=6}}
Petunjuk latihan.

1. Pertanyaan latihan pertama?
2. Pertanyaan latihan kedua?

::: kunci
{KUNCI_MARKER} jawaban latihan.
:::
::::

:::: studi-kasus Kasus Loket {{waktu=25}}
Narasi kasus loket yang lambat.

1. Apa akar masalahnya?

::: kunci
{KUNCI_MARKER} pokok diskusi kasus.
:::
::::

:::: simulasi Warga Kecewa {{waktu=20}}
Petunjuk simulasi.

#### Peran Warga
Anda kecewa.

#### Peran Petugas
Anda melayani.

::: kunci
{KUNCI_MARKER} debriefing.
:::
::::

:::: diskusi Diskusi Singkat {{waktu=10 baris=3}}
Apa pengalaman Anda?

::: kunci
{KUNCI_MARKER} arah diskusi.
:::
::::

::: hanya-slide
Hanya untuk slide.
:::

::: hanya-buku
Hanya untuk buku.
:::

::: rangkuman
- Rangkuman satu.
- Rangkuman dua.
:::
"""

SECOND_MODULE = """\
---
title: Modul Kedua
duration_jp: 2
objectives: [menjelaskan hal kedua]
---

## Satu-satunya Bagian

Teks modul kedua.

::: rangkuman
- Ringkas.
:::
"""

BANK = """\
title: Pre-test
instructions: Pilihlah satu jawaban yang paling tepat.
questions:
  - module: fitur-lengkap
    type: pilihan-ganda
    question: Soal pilihan ganda pertama?
    options: [Opsi satu, Opsi dua, Opsi tiga, Opsi empat]
    answer: C
    explanation: Penjelasan untuk fasilitator.
  - module: fitur-lengkap
    type: benar-salah
    question: Pernyataan benar salah.
    answer: benar
  - module: kedua
    type: isian
    question: Sebutkan satu hal.
    answer: Jawaban model isian.
"""


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write `files` (relative path -> text) under a new project folder and return it."""

    def make(
        files: dict[str, str | bytes] | None = None,
        config: str = MINIMAL_CONFIG,
        name: str = "proyek",
    ) -> Path:
        root = tmp_path / name
        root.mkdir()
        if config is not None:
            (root / "bimtek.yml").write_text(config, encoding="utf-8")
        for relative, content in (files or {}).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(
                    textwrap.dedent(content) if content.startswith("\n") else content,
                    encoding="utf-8",
                )
        return root

    return make


@pytest.fixture
def feature_project(make_project: Callable[..., Path]) -> Path:
    """A small course that uses every directive, with secret markers in notes and keys."""
    return make_project(
        {
            "content/modules/01-fitur-lengkap.md": FEATURE_MODULE,
            "content/modules/02-kedua.md": SECOND_MODULE,
            "content/evaluasi/pre-test.yml": BANK,
            "content/glosarium.yml": "Empati: Kemampuan memahami perasaan orang lain.\n",
            "content/pustaka.yml": "- author: Republik Indonesia\n  year: 2009\n"
            "  title: Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n",
        }
    )


@pytest.fixture
def feature_course(feature_project: Path) -> Course:
    return load_course(feature_project)


def render_context(course: Course) -> RenderContext:
    theme = load_theme(course.config.theme, course.root, course.config.language)
    return RenderContext(course, theme, source_date_epoch=1_700_000_000)


def render_all(ctx: RenderContext, kind: str, target: str | None = None) -> dict[str, Artifact]:
    """Run every job of one renderer (`target`: only a module's) the way the engine does:
    parts first (by whichever renderer plans them), then assemblies."""
    artifacts: dict[str, Artifact] = {}
    jobs = [job for job in dict.fromkeys(get_renderer(kind).jobs(ctx))
            if target is None or job.target == target]
    for job in [job for stage in job_stages(jobs) for job in stage]:
        renderer = get_renderer(job.renderer)
        if job.parts:
            produced = renderer.assemble(job, ctx, {p: artifacts[p].data for p in job.parts})
        else:
            produced = renderer.run(job, ctx)
        assert sorted(a.path for a in produced) == sorted(job.outputs)
        artifacts.update((a.path, a) for a in produced)
    return {path: a for path, a in artifacts.items() if not is_part(path)}


@pytest.fixture
def feature_ctx(feature_course: Course) -> RenderContext:
    return render_context(feature_course)


def pdf_fonts(source) -> set[str]:  # noqa: ANN001 - a path or a binary file
    """The names of every font a PDF's pages use, also inside form XObjects (the handout and
    notes pages show the drawn slides as forms)."""
    from pypdf import PdfReader

    names: set[str] = set()
    seen: set[int] = set()  # forms by object number: a slide placed twice is read once

    def walk(resources) -> None:  # noqa: ANN001
        resources = resources.get_object() if resources is not None else {}
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
        for reference in resources.raw_get("/XObject").get_object().values() \
                if "/XObject" in resources else ():
            xobject = reference.get_object()
            if getattr(reference, "idnum", None) in seen or xobject.get("/Subtype") != "/Form":
                continue
            seen.add(reference.idnum)
            walk(xobject.get("/Resources"))

    for page in PdfReader(source).pages:
        walk(page.get("/Resources"))
    return names


def page_links(pdf: bytes, index: int) -> list[tuple[str, int]]:
    """The links on page `index` of a PDF: (text inside the link's rectangle, target page
    index); links to named destinations are left out."""
    import io

    import pdfplumber
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    links = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[index]
        for annotation in reader.pages[index].get("/Annots", []):
            annotation = annotation.get_object()
            destination = annotation.get("/Dest")
            if destination is None or isinstance(destination, str):
                continue
            xs = sorted(float(v) for v in annotation["/Rect"][0::2])
            ys = sorted(float(v) for v in annotation["/Rect"][1::2])  # PDF: y upwards
            box = (xs[0], page.height - ys[1], xs[1], page.height - ys[0])
            text = page.within_bbox(box, relative=False, strict=False).extract_text()
            links.append((text, reader.get_page_number(destination[0].get_object())))
    return links
