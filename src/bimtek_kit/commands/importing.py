"""`bimtek import FILE… [-C DIR]`: existing material in as new module sources (DESIGN §11).

Each file becomes the next numbered module, exactly as `new-module` numbers it, and nothing is
ever overwritten: the module file is created with "x", images get a prefix no file in
`content/modules/images/` has yet. Each import ends with a `check` of the project; the report
keeps the problems of the new module and what the importer could not map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bimtek_kit.errors import Diagnostic, Diagnostics, Severity
from bimtek_kit.importers.draft import Draft
from bimtek_kit.loader import CONFIG_FILE, MODULES_DIR
from bimtek_kit.slugs import is_safe_id, slugify

IMAGES_DIR = "images"
SUFFIXES = (".docx", ".pptx", ".md", ".markdown")
_NUMBERED = re.compile(r"^(\d+)-(.+)\.md$")


@dataclass
class ImportReport:
    source: Path
    module: Path
    """The new module file, relative to the project."""
    images: list[Path] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    """Import warnings and the check's problems in the new module."""


def import_files(root: Path, files: list[Path]) -> list[ImportReport]:
    """Import every file in turn (each sees the modules the ones before it wrote)."""
    from bimtek_kit.commands.scaffold import ScaffoldError

    if not (root / CONFIG_FILE).is_file():
        raise ScaffoldError(f"no {CONFIG_FILE} in {root}: run this inside a course project")
    problems = [f"{f}: not found" for f in files if not f.is_file()]
    problems += [f"{f}: cannot import a '{f.suffix}' file (expected .docx, .pptx or .md)"
                 for f in files if f.is_file() and f.suffix.lower() not in SUFFIXES]
    if problems:
        raise ScaffoldError("; ".join(problems) + " (nothing was written)")
    return [import_file(root, file) for file in files]


def import_file(root: Path, file: Path) -> ImportReport:
    from bimtek_kit.commands.check import check

    prefix = _image_prefix(root, slugify(file.stem) or "impor")
    draft = read_draft(file, prefix, _jp_minutes(root))
    if not draft.objectives:
        draft.warn(None, "no learning objectives found: write them in the front matter "
                   "(a placeholder was written)")
    module_path, images = _write(root, draft)
    report = ImportReport(file, module_path.relative_to(root), images)
    report.diagnostics.items.extend(Diagnostic(loc, message, Severity.WARNING)
                                    for loc, message in draft.warnings)
    _, diagnostics = check(root)
    module_file = report.module.as_posix()
    report.diagnostics.extend(d for d in diagnostics.items if d.loc.path == module_file)
    return report


def read_draft(file: Path, prefix: str, jp_minutes: int = 45) -> Draft:
    suffix = file.suffix.lower()
    if suffix == ".docx":
        from bimtek_kit.importers.word import import_docx

        return import_docx(file, prefix)
    if suffix == ".pptx":
        from bimtek_kit.importers.slides import import_pptx

        return import_pptx(file, prefix)
    from bimtek_kit.importers.carpentries import import_carpentries

    return import_carpentries(file, jp_minutes)


def _jp_minutes(root: Path) -> int:
    from bimtek_kit.errors import ContentError
    from bimtek_kit.loader import load_course

    try:
        return load_course(root).config.schedule.jp_minutes
    except ContentError:
        return 45


def _image_prefix(root: Path, stem: str) -> str:
    """`stem`, or `stem-2`, … : a prefix no image of the project starts with yet."""
    folder = root / MODULES_DIR / IMAGES_DIR
    prefix, counter = stem, 1
    while folder.is_dir() and any(folder.glob(f"{prefix}-*")):
        counter += 1
        prefix = f"{stem}-{counter}"
    return prefix


def _write(root: Path, draft: Draft) -> tuple[Path, list[Path]]:
    """The next numbered module file and its images; never overwrites anything."""
    from bimtek_kit.commands.scaffold import ScaffoldError

    folder = root / MODULES_DIR
    existing = sorted(folder.glob("*.md")) if folder.is_dir() else []
    ids = {(m.group(2) if (m := _NUMBERED.match(p.name)) else p.stem) for p in existing}
    base = slugify(draft.title) or "modul-impor"
    module_id, counter = base, 1
    while module_id in ids or not is_safe_id(module_id):
        counter += 1
        module_id = f"{base}-{counter}"
    numbers = [int(m.group(1)) for p in existing if (m := _NUMBERED.match(p.name))]
    number = max(numbers, default=0) + 1
    path = folder / f"{number:02d}-{module_id}.md"
    images = []
    folder.mkdir(parents=True, exist_ok=True)
    if draft.images:
        (folder / IMAGES_DIR).mkdir(parents=True, exist_ok=True)
    for name, data in draft.images.items():
        target = folder / IMAGES_DIR / name
        try:
            with target.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            raise ScaffoldError(f"{target} already exists; nothing more was written") from None
        images.append(target.relative_to(root))
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(draft.markdown(module_id, f"M{number}"))
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; nothing was written") from None
    return path, images
