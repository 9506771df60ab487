"""Banks and forms as neutral LMS items, shared by the Moodle XML and GIFT writers.

A bimtek bank has three kinds of question; an LMS has its own. `isian` becomes Moodle's
`shortanswer` only when its model answer is short enough to be matched as typed (a few words);
a longer model answer ("Isi pengumumannya sama di semua saluran, …") could never be matched,
so that question becomes an `essay` whose grader information holds the model answer. The
evaluation forms become essay sets: each statement asks for the scale in words, each comment
for free text — a survey the organiser can import as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from bimtek_kit.model import Course, EvaluationForm, Question, QuestionBank
from bimtek_kit.resources import IMAGE_SUFFIXES, ResourceError, resolve_resource

SHORT_ANSWER_WORDS = 4
"""An `isian` answer of at most this many words is auto-graded as a Moodle shortanswer."""

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Picture:
    """An image a question text shows, embedded in the export file."""

    name: str
    alt: str
    path: Path


@dataclass(frozen=True)
class Item:
    kind: str
    """Moodle question type: multichoice, truefalse, shortanswer, essay."""
    name: str
    text: str
    """Plain text; `![alt](path)` image references are replaced by `pictures`."""
    options: tuple[str, ...] = ()
    correct: int | None = None
    """Index of the right option (multichoice)."""
    truth: bool | None = None
    answer: str = ""
    """Short answer, or the model answer an essay's grader sees."""
    feedback: str = ""
    lines: int = 5
    """Essay response box height."""
    pictures: tuple[Picture, ...] = ()


@dataclass(frozen=True)
class Category:
    path: str
    """`$course$/<course>/<bank>`, slashes inside names doubled as Moodle expects."""
    info: str
    items: tuple[Item, ...]


def categories(course: Course) -> list[Category]:
    """Every bank, then every form, as one category each."""
    course_name = course.config.display_short_title or course.config.title
    found = [_bank_category(course_name, bank, course.root) for bank in course.banks]
    found += [_form_category(course_name, form) for form in course.forms]
    return found


def category_path(course_name: str, bank_title: str) -> str:
    parts = (course_name, bank_title)
    return "$course$/" + "/".join(part.replace("/", "//") for part in parts)


def _bank_category(course_name: str, bank: QuestionBank, root: Path) -> Category:
    items = tuple(question_item(bank, q, root) for q in bank.questions)
    return Category(category_path(course_name, bank.title or bank.name), bank.instructions, items)


def question_item(bank: QuestionBank, question: Question, root: Path) -> Item:
    text, pictures = _pictures(question.text, root)
    name = f"{bank.title or bank.name} {question.number:02d}"
    base = Item("essay", name, text, feedback=question.explanation, pictures=pictures)
    if question.kind == "pilihan-ganda":
        return replace(base, kind="multichoice", options=question.options,
                        correct=question.answer_index)
    if question.kind == "benar-salah":
        return replace(base, kind="truefalse", truth=question.answer.lower() == "benar")
    if len(question.answer.split()) <= SHORT_ANSWER_WORDS:
        return replace(base, kind="shortanswer", answer=question.answer)
    return replace(base, answer=question.answer, lines=5)


def _form_category(course_name: str, form: EvaluationForm) -> Category:
    scale = " / ".join(form.scale)
    items: list[Item] = []
    for section in form.sections:
        for statement in section.items:
            text = f"{section.title}: {statement}" + (f" ({scale})" if scale else "")
            items.append(Item("essay", f"{form.title} {len(items) + 1:02d}", text, lines=2))
    for comment in form.comments:
        items.append(Item("essay", f"{form.title} {len(items) + 1:02d}", comment, lines=8))
    return Category(category_path(course_name, form.title), form.instructions, tuple(items))


def _pictures(text: str, root: Path) -> tuple[str, tuple[Picture, ...]]:
    """Lift `![alt](path)` images (inside the project only) out of a question text."""
    pictures: list[Picture] = []

    def take(match: re.Match[str]) -> str:
        alt, reference = match.group(1), match.group(2)
        try:
            path = resolve_resource(reference, root / "content" / "evaluasi", (root,))
        except ResourceError:
            return match.group(0)
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            return match.group(0)
        pictures.append(Picture(f"{len(pictures) + 1}-{path.name}", alt, path))
        return f"\x00{len(pictures) - 1}\x00"

    return _IMAGE.sub(take, text), tuple(pictures)


def split_pictures(text: str) -> list[str | int]:
    """Text pieces and picture indexes, in order (the marker `\\x00N\\x00` is a picture)."""
    parts: list[str | int] = []
    for index, piece in enumerate(text.split("\x00")):
        if index % 2:
            parts.append(int(piece))
        elif piece:
            parts.append(piece)
    return parts
