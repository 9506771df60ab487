"""Evaluation forms: evaluasi penyelenggaraan and evaluasi narasumber/fasilitator (DESIGN §4).

Participants fill these in anonymously: a Likert table (tick one box per statement) and open
comments with write-in lines. A course that ships no form files still gets the usual pair,
from the theme's `forms/<language>/*.yml` (a project theme may replace them). A `per_module`
form prints one page per module, headed with the module and its narasumber.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bimtek_kit.builder.records import load_forms
from bimtek_kit.errors import Diagnostics
from bimtek_kit.model import EvaluationForm, Module
from bimtek_kit.render.base import (
    PARTS_DIR,
    Artifact,
    Job,
    RenderContext,
    audience_path,
    fingerprint,
)
from bimtek_kit.render.pdf.printing import artifact, footer, print_pdf, settings
from bimtek_kit.render.pdf.stack import PagedRenderer, RenderError, join
from bimtek_kit.schedule import schedule_facts

KIND = "forms"


@dataclass(frozen=True)
class FormPage:
    footer: str
    module: Module | None


@dataclass(frozen=True)
class NumberedSection:
    title: str
    items: tuple[tuple[int, str], ...]


def course_forms(ctx: RenderContext) -> list[EvaluationForm]:
    """The course's own forms, or the theme's default set when it has none."""
    if ctx.course.forms:
        return list(ctx.course.forms)
    return list(default_forms(ctx.theme.dirs, ctx.theme.language))


@cache
def default_forms(dirs: tuple[Path, ...], language: str) -> tuple[EvaluationForm, ...]:
    """Read `forms/<language>/*.yml` from the theme folders; the project's theme wins by name.

    The loader has checked them already (`validate.check_build_inputs`)."""
    diagnostics = Diagnostics()
    forms = load_forms(dirs, language, dirs[0], diagnostics)
    if diagnostics.errors:
        problems = "; ".join(str(d) for d in diagnostics.errors)
        raise RenderError(f"broken default evaluation form in the theme: {problems}")
    return forms


class FormRenderer(PagedRenderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """One job per form; a per-module form gets one small part per module, joined.

        A 300-page form laid out in one piece took half a minute and most of a gigabyte;
        module pages laid out one by one run in parallel and are reused when unchanged.
        """
        folder = audience_path(ctx, "organisers", ctx.theme.labels.files.evaluation_dir)
        jobs = []
        for form in course_forms(ctx):
            output = f"{folder}/{form.name}.pdf"
            if not form.per_module or not ctx.course.modules:
                jobs.append(Job(KIND, "", (output,), options=(("form", form.name),),
                                fingerprint=fingerprint(form)))
                continue
            pages = [Job(KIND, m.id, (f"{PARTS_DIR}/forms/{form.name}/{m.file_stem}.pdf",),
                         (m.id,), (("form", form.name),),
                         fingerprint=fingerprint(form, schedule_facts(ctx.course)[m.number - 1]))
                     for m in ctx.course.modules]
            jobs.extend(pages)
            jobs.append(Job(KIND, "", (output,), options=(("form", form.name),),
                            parts=tuple(job.outputs[0] for job in pages),
                            fingerprint=fingerprint(form, schedule_facts(ctx.course))))
        return jobs

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        form = _form(ctx, job)
        titles = [f"{m.code} · {m.title}" for m in ctx.course.modules]
        data = join(ctx, [parts[path] for path in job.parts], form.title,
                    import_outlines=False, part_bookmarks=titles)
        return [artifact(job.outputs[0], data, KIND, _sources(ctx, form))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        form = _form(ctx, job)
        module = ctx.course.module(job.target) if job.target else None
        pages = ([FormPage(footer(ctx, form.title, module.code), module)] if module
                 else [FormPage(footer(ctx, form.title), None)])
        data = print_pdf(
            ctx, "organisers", "form.html", title=form.title, body_class="doc-form", form=form,
            pages=pages, sections=_numbered(form),
            comment_lines=int(settings(ctx.theme)["comment_lines"]),
        )
        return [artifact(job.outputs[0], data, "part" if module else KIND, _sources(ctx, form))]


def _form(ctx: RenderContext, job: Job) -> EvaluationForm:
    name = dict(job.options)["form"]
    return next(f for f in course_forms(ctx) if f.name == name)


def _sources(ctx: RenderContext, form: EvaluationForm) -> list[str]:
    sources = ["bimtek.yml"]
    if ctx.course.forms:
        sources.append(form.loc.path)
    if form.per_module:
        sources.extend(m.loc.path for m in ctx.course.modules)
    return sources


def _numbered(form: EvaluationForm) -> list[NumberedSection]:
    """Sections with their items numbered through the whole form (1, 2, … across sections)."""
    sections = []
    number = 0
    for section in form.sections:
        numbers = range(number + 1, number + 1 + len(section.items))
        sections.append(NumberedSection(section.title, tuple(zip(numbers, section.items,
                                                                 strict=True))))
        number += len(section.items)
    return sections

