"""Pre-test / post-test sheets and the separate answer sheet (lembar jawaban), DESIGN §3–§4.

A `Paper` is what one printed test looks like: the questions grouped by kind (pilihan ganda,
benar–salah, isian) and numbered through, optionally shuffled into paket A, B, … The facilitator
guide builds its answer keys from the very same papers, so a key can never disagree with the
sheet it belongs to. Participant sheets never print answers, explanations or score fields.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from bimtek_kit.localize import section_letter
from bimtek_kit.model import Course, Question, QuestionBank, QuestionKind
from bimtek_kit.render.base import Artifact, Job, RenderContext, audience_path, fingerprint
from bimtek_kit.render.pdf.printing import artifact, footer, print_pdf, settings
from bimtek_kit.render.pdf.stack import PagedRenderer
from bimtek_kit.themes import Labels

KIND = "tests"
KIND_ORDER: tuple[QuestionKind, ...] = ("pilihan-ganda", "benar-salah", "isian")
"""Sheets group questions in this order: the usual layout of an Indonesian test paper."""
SHUFFLE_ATTEMPTS = 20


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    """Number on this paper (not in the bank)."""
    question: Question
    options: tuple[str, ...]
    """Options in the order printed on this paper."""
    answer: str
    """Letter on this paper for pilihan-ganda; `benar`/`salah`; the model answer for isian."""

    @property
    def kind(self) -> QuestionKind:
        return self.question.kind

    @property
    def text(self) -> str:
        return self.question.text

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(chr(ord("A") + i), option) for i, option in enumerate(self.options)]


@dataclass(frozen=True)
class PaperGroup:
    letter: str
    kind: QuestionKind
    questions: tuple[PaperQuestion, ...]


@dataclass(frozen=True)
class Paper:
    bank: QuestionBank
    variant: str | None
    """`A`, `B`, … for shuffled variants; None for the bank's own order."""
    groups: tuple[PaperGroup, ...]

    @property
    def questions(self) -> list[PaperQuestion]:
        return [q for group in self.groups for q in group.questions]

    def title(self, labels: Labels) -> str:
        if self.variant is None:
            return self.bank.title
        return f"{self.bank.title} · {labels.print.variant} {self.variant}"

    def stem(self, labels: Labels) -> str:
        return paper_stem(self.bank, self.variant, labels)


def paper_stem(bank: QuestionBank, variant: str | None, labels: Labels) -> str:
    """`pre-test`, or `pre-test-paket-a` for a variant (the word comes from the label set)."""
    if variant is None:
        return bank.name
    return f"{bank.name}-{labels.files.variant}-{variant.lower()}"


def printed_banks(course: Course) -> list[QuestionBank]:
    """Banks printed as test sheets, pre-test first and post-test last.

    formatif*.yml banks are the handbook's end-of-chapter questions, not test sheets.
    """
    banks = [bank for bank in course.banks if not bank.is_formative]
    return sorted(banks, key=lambda b: 0 if b.name.startswith("pre") else
                  2 if b.name.startswith("post") else 1)


def variant_letters(count: int) -> list[str | None]:
    return [None] if count <= 1 else [chr(ord("A") + i) for i in range(count)]


def papers_for(bank: QuestionBank, variants: int) -> list[Paper]:
    """The bank as printed: its own order, or `variants` shuffled papers that differ."""
    papers: list[Paper] = []
    seen: set[tuple[tuple[int, tuple[str, ...]], ...]] = set()
    for letter in variant_letters(variants):
        paper = make_paper(bank, letter)
        for attempt in range(1, SHUFFLE_ATTEMPTS):
            signature = _signature(paper)
            if signature not in seen:
                break
            paper = make_paper(bank, letter, attempt)
        seen.add(_signature(paper))
        papers.append(paper)
    return papers


def all_papers(course: Course, variants: int) -> list[Paper]:
    return [paper for bank in printed_banks(course) for paper in papers_for(bank, variants)]


def make_paper(bank: QuestionBank, variant: str | None, attempt: int = 0) -> Paper:
    """Group by kind; shuffle questions and options when `variant` is set.

    The random generator is seeded from the bank name and the variant letter, so the same
    sources always give the same paket A and B, on any machine and with any `--jobs`.
    """
    questions = list(bank.questions)
    rng = _rng(f"{bank.name}|{variant}|{attempt}") if variant else None
    if rng:
        rng.shuffle(questions)
    groups = []
    number = 1
    for kind in KIND_ORDER:
        members = []
        for question in (q for q in questions if q.kind == kind):
            options, answer = _arrange(question, rng)
            members.append(PaperQuestion(number, question, options, answer))
            number += 1
        if members:
            groups.append(PaperGroup(section_letter(len(groups) + 1), kind, tuple(members)))
    return Paper(bank, variant, tuple(groups))


def _rng(seed: str) -> random.Random:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


_POSITIONAL = re.compile(
    r"\b(semua|tidak ada) (jawaban|pilihan|pernyataan|yang)\b|\b(jawaban|pilihan) di atas\b"
    r"|\b(all|none) of the above\b|\b[A-F] (dan|atau|and|or) [A-F]\b",
    re.IGNORECASE,
)
"""Options that point at other options ("semua jawaban di atas", "A dan B benar")."""


def _arrange(question: Question, rng: random.Random | None) -> tuple[tuple[str, ...], str]:
    """Options in printed order and the answer letter that matches them.

    Options that refer to other options or to their position keep the author's order, since
    shuffling them would make "A dan B benar" point at the wrong answers.
    """
    if question.kind != "pilihan-ganda" or rng is None:
        return question.options, question.answer
    if any(_POSITIONAL.search(option) for option in question.options):
        return question.options, question.answer
    order = list(range(len(question.options)))
    rng.shuffle(order)
    correct = question.answer_index
    options = tuple(question.options[i] for i in order)
    return options, chr(ord("A") + order.index(correct or 0))


def _signature(paper: Paper) -> tuple[tuple[int, tuple[str, ...]], ...]:
    return tuple((q.question.number, q.options) for q in paper.questions)


def answer_text(question: PaperQuestion, labels: Labels) -> str:
    """The key as the guide prints it: `C. option text`, `Benar`, or the model answer."""
    if question.kind == "pilihan-ganda":
        index = ord(question.answer) - ord("A")
        return f"{question.answer}. {question.options[index]}"
    if question.kind == "benar-salah":
        return labels.true_label if question.answer == "benar" else labels.false_label
    return question.answer


class AssessmentRenderer(PagedRenderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """One job per printed paper, one for the answer sheet of all of them."""
        labels = ctx.theme.labels
        folder = audience_path(ctx, "organisers", labels.files.evaluation_dir)
        jobs = []
        for bank in printed_banks(ctx.course):
            for letter in variant_letters(ctx.variants):
                stem = paper_stem(bank, letter, labels)
                options = (("bank", bank.name), ("variant", letter or ""))
                jobs.append(Job(KIND, "", (f"{folder}/{stem}.pdf",), options=options,
                                fingerprint=fingerprint(bank)))
        if jobs:
            banks = tuple(printed_banks(ctx.course))
            jobs.append(Job(KIND, "", (f"{folder}/{labels.files.answer_sheet}.pdf",),
                            options=(("sheet", "answers"),), fingerprint=fingerprint(banks)))
        return jobs

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        options = dict(job.options)
        if options.get("sheet") == "answers":
            return [self._answer_sheet(job, ctx)]
        bank = next(b for b in printed_banks(ctx.course) if b.name == options["bank"])
        letter = options.get("variant") or None
        paper = next(p for p in papers_for(bank, ctx.variants) if p.variant == letter)
        return [self._test_sheet(job, ctx, paper)]

    def _test_sheet(self, job: Job, ctx: RenderContext, paper: Paper) -> Artifact:
        labels = ctx.theme.labels
        title = paper.title(labels)
        data = print_pdf(
            ctx, "organisers", "test.html", title=title, body_class="doc-test", paper=paper,
            paper_title=title, footer=footer(ctx, title),
            isian_lines=int(settings(ctx.theme)["isian_lines"]),
        )
        return artifact(job.outputs[0], data, KIND, ["bimtek.yml", paper.bank.loc.path])

    def _answer_sheet(self, job: Job, ctx: RenderContext) -> Artifact:
        """Scannable sheets (corner marks, NIP bubbles, test code), see `results.sheet`."""
        from bimtek_kit.render.paper.answer_sheet import GEOMETRY, sheet_pages

        labels = ctx.theme.labels
        values = settings(ctx.theme)
        papers = all_papers(ctx.course, ctx.variants)
        title = f"{labels.answer_sheet} · {ctx.course.config.display_short_title}"
        data = print_pdf(ctx, "organisers", "answer_sheet.html", title=title,
                         body_class="doc-answers", pages=sheet_pages(ctx, papers), g=GEOMETRY,
                         isian_lines=int(values["isian_lines"]))
        return artifact(job.outputs[0], data, KIND,
                        ["bimtek.yml", *(p.bank.loc.path for p in papers)])
