"""Evaluation-form answers in `hasil/<form>.csv` (DESIGN §10): `1,2,…` per statement (numbered
through all sections, 1 = the first word of the form's scale), `komentar1,…` for the open
questions, and `modul` first for a per-module (narasumber) form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bimtek_kit.errors import Diagnostics, did_you_mean
from bimtek_kit.results.cells import Cells, header_columns, read_table

if TYPE_CHECKING:
    from bimtek_kit.model import Course, EvaluationForm

NO_ANSWER = "-"


@dataclass(frozen=True)
class FormRow:
    row: int
    module: str | None
    ratings: dict[int, int]
    """Item number (through all sections) -> 1…len(scale)."""
    comments: tuple[str, ...]


@dataclass(frozen=True)
class FormResults:
    form: EvaluationForm
    path: str
    rows: tuple[FormRow, ...]


def course_forms(course: Course) -> list[EvaluationForm]:
    if course.forms:
        return list(course.forms)
    from bimtek_kit.render.paper.forms import default_forms
    from bimtek_kit.themes import load_theme

    theme = load_theme(course.config.theme, course.root, course.config.language)
    return list(default_forms(theme.dirs, theme.language))


def read_form(path: Path, form: EvaluationForm, course: Course,
               diagnostics: Diagnostics) -> FormResults | None:
    relative = f"hasil/{path.name}"
    rows = read_table(path, relative, diagnostics)
    if rows is None:
        return None
    count = sum(len(section.items) for section in form.sections)
    numbers = [str(n) for n in range(1, count + 1)]
    comments = [f"komentar{n}" for n in range(1, len(form.comments) + 1)]
    expected = (["modul"] if form.per_module else []) + numbers
    columns = header_columns(rows, relative, expected, set(comments), diagnostics)
    if columns is None:
        return None
    modules = {m.id: m.id for m in course.modules} | {m.code: m.id for m in course.modules
                                                      if m.code}
    before = len(diagnostics.errors)
    parsed = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        cell = Cells(cells, columns, relative, number, diagnostics)
        module = None
        if form.per_module:
            module = modules.get(cell.get("modul"))
            if module is None:
                cell.error("modul", f"unknown module '{cell.get('modul')}'"
                           f"{did_you_mean(cell.get('modul'), modules)}")
        ratings = {}
        for item in numbers:
            value = cell.get(item)
            if value in ("", NO_ANSWER):
                continue
            if not value.isdigit() or not 1 <= int(value) <= len(form.scale):
                cell.error(item, f"expected a rating 1–{len(form.scale)} "
                           f"({form.scale[0]} … {form.scale[-1]}), got '{value}'")
                continue
            ratings[int(item)] = int(value)
        texts = tuple(cell.get(c) if c in columns else "" for c in comments)
        parsed.append(FormRow(number, module, ratings, texts))
    if len(diagnostics.errors) > before:
        return None
    return FormResults(form, relative, tuple(parsed))
