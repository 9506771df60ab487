"""`bimtek new-module` and `bimtek init`: create sources, never overwrite (DESIGN §7)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from bimtek_kit.errors import BimtekError
from bimtek_kit.loader import CONFIG_FILE, MODULES_DIR
from bimtek_kit.paths import default_course_dir, starter_course_dir
from bimtek_kit.slugs import is_safe_id, slugify

_PROJECT_EXTRAS = (".github",)
"""What every new project gets from the starter besides bimtek.yml and content/: CI workflow."""
_NUMBERED = re.compile(r"^(\d+)-(.+)\.md$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_GITIGNORE = "# made by bimtek init: the built package and the build's caches\ndist/\n.bimtek/\n"

_MATERI_ID = """\
## Pengantar {title_plain}

Tuliskan di sini uraian materi bagian pertama: mengapa topik ini penting bagi peserta dan apa
yang akan mereka pelajari.

- Poin kunci pertama
- Poin kunci kedua

::: catatan
Mulailah dengan pertanyaan pemantik kepada peserta. Alokasikan sekitar 10 menit.
:::

## Penerapan dalam Pelayanan

Tuliskan uraian materi bagian kedua, dengan contoh dari pelayanan sehari-hari.

| Situasi | Respons yang kurang tepat | Respons yang tepat |
|---|---|---|
| Contoh situasi | … | … |

:::: latihan Latihan {title_plain} {{waktu=15 baris=5}}
Kerjakan secara individu, lalu diskusikan dengan rekan di sebelah Anda.

1. Jelaskan dengan kata-kata Anda sendiri inti materi modul ini.
2. Berikan satu contoh penerapannya di unit kerja Anda.

::: kunci
1. Jawaban memuat …
2. Contoh yang baik menyebutkan …
:::
::::

::: rangkuman
- Butir rangkuman pertama.
- Butir rangkuman kedua.
:::
"""

_CASE_ID = """\
## Gambaran Kasus

Uraikan latar kasus: unit layanan, masalah yang muncul, dan pihak-pihak yang terlibat.

::: catatan
Bagikan peserta ke dalam kelompok 4–5 orang sebelum membaca kasus.
:::

## Analisis dan Pembelajaran

Uraikan alat analisis yang dipakai (misalnya diagram tulang ikan) dan pelajaran dari kasus.

:::: studi-kasus {title_plain} {{waktu=30 baris=6}}
Tuliskan narasi kasus di sini.

1. Apa gejala masalah yang tampak?
2. Apa akar masalahnya?
3. Langkah perbaikan apa yang Anda usulkan?

::: kunci
Pokok bahasan yang perlu muncul: …
:::
::::

::: rangkuman
- Butir rangkuman pertama.
- Butir rangkuman kedua.
:::
"""


class ScaffoldError(BimtekError):
    """The scaffold would overwrite something or the request is impossible."""


def new_module(
    root: Path, title: str, module_id: str | None = None, jp: int = 2, kind: str = "materi"
) -> Path:
    """Create `content/modules/NN-<id>.md` with front matter and a skeleton; return its path."""
    if not (root / CONFIG_FILE).is_file():
        raise ScaffoldError(f"no {CONFIG_FILE} in {root}: run this inside a course project")
    if not title.strip():
        raise ScaffoldError("the module title must not be empty")
    if _CONTROL.search(title):
        raise ScaffoldError(
            "the module title must be one line without control characters (newline, tab, ESC)"
        )
    if jp < 1:
        raise ScaffoldError("--jp must be at least 1")
    if module_id is None and not slugify(title):
        raise ScaffoldError(
            f"cannot make an id from the title {title!r} (no letters or digits); "
            "give one with --id, e.g. --id modul-baru"
        )
    module_id = module_id or slugify(title)
    if not is_safe_id(module_id):
        raise ScaffoldError(
            f"id '{module_id}' is not safe: use lowercase letters, digits and '-' "
            f"(e.g. '{slugify(module_id) or 'modul-baru'}')"
        )
    folder = root / MODULES_DIR
    existing = sorted(folder.glob("*.md")) if folder.is_dir() else []
    for path in existing:
        match = _NUMBERED.match(path.name)
        if (match.group(2) if match else path.stem) == module_id:
            raise ScaffoldError(f"a module with id '{module_id}' already exists: {path}")
    numbers = [int(m.group(1)) for p in existing if (m := _NUMBERED.match(p.name))]
    number = max(numbers, default=0) + 1
    path = folder / f"{number:02d}-{module_id}.md"
    text = _module_text(title.strip(), module_id, number, jp, kind)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; nothing was written") from None
    return path


def _module_text(title: str, module_id: str, number: int, jp: int, kind: str) -> str:
    if kind not in ("materi", "studi-kasus"):
        raise ScaffoldError(f"--kind must be materi or studi-kasus, got '{kind}'")
    methods = (
        ["ceramah interaktif", "diskusi kelompok", "latihan"]
        if kind == "materi"
        else ["studi kasus", "diskusi kelompok", "presentasi"]
    )
    front = "\n".join(
        [
            "---",
            f"id: {module_id}",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            f"code: M{number}",
            f"duration_jp: {jp}",
            "objectives:",
            "  - menjelaskan konsep utama materi ini",
            "  - menerapkan konsep tersebut dalam situasi pelayanan",
            "  - menilai contoh penerapan konsep tersebut di unit kerja",
            f"methods: [{', '.join(methods)}]",
            "description: >-",
            "  Tuliskan satu paragraf deskripsi singkat modul: apa yang dipelajari dan mengapa.",
            "---",
            "",
        ]
    )
    body = _MATERI_ID if kind == "materi" else _CASE_ID
    plain_title = re.sub(r"[{}:]", "", title)
    return front + body.format(title_plain=plain_title)


def init_project(target: Path, example: bool = False) -> list[Path]:
    """Copy the starter course (or, with `example`, the full default course) into `target`.

    `target` must not exist or must be empty: init never overwrites anything.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} is not empty; choose a new folder (nothing was written)")
    source = default_course_dir() if example else starter_course_dir()
    if not (source / CONFIG_FILE).is_file():
        raise ScaffoldError("the bundled course is missing: the installation is broken")
    try:
        return _copy_project(source, target)
    except OSError as error:
        raise ScaffoldError(
            f"cannot create the project in {target}: {error.strerror or error}"
        ) from None


def _copy_project(source: Path, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    (target / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
    shutil.copy2(source / CONFIG_FILE, target / CONFIG_FILE)
    shutil.copytree(source / "content", target / "content", dirs_exist_ok=True)
    for extra in _PROJECT_EXTRAS:
        if (starter_course_dir() / extra).exists():
            shutil.copytree(starter_course_dir() / extra, target / extra, dirs_exist_ok=True)
    return sorted(p for p in target.rglob("*") if p.is_file())
