"""Kartu peran: the secret role briefs of every simulasi, cut-out cards for the organisers.

A role brief is for its player only ("tanpa memperlihatkannya"), so it is printed neither in the
handbook nor on the worksheets (issue #15). The organisers print this file instead: for every
simulasi one set of cards per group (`groups` in bimtek.yml), several cards to a page inside
dashed cut lines, each card naming its activity, role and group so a cut pile can be sorted.

The file is laid out module by module and joined, numbered through (issue #12): one layout of
every card was the longest job of a 60-module build and its peak of memory, and an edit of one
module laid all of them out again.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from bimtek_kit.model import Course, Module
from bimtek_kit.render.base import (
    PARTS_DIR,
    Artifact,
    Job,
    RenderContext,
    audience_path,
    fingerprint,
)
from bimtek_kit.render.pdf.printing import (
    artifact,
    blocks,
    footer,
    module_bookmarks,
    module_sources,
    number_samples,
    page_setup,
    render_html,
    to_pdf,
)
from bimtek_kit.render.pdf.stack import join

PART = "role-cards"
"""The `part` option of every role-card job (the worksheets renderer plans them)."""
PARTS = f"{PARTS_DIR}/{PART}"
DIGITS = f"{PARTS}/digits.pdf"


@dataclass(frozen=True)
class RoleCard:
    activity: str
    """"Simulasi M2.1"."""
    title: str
    minutes: int | None
    group: int
    role: str
    body: Markup


def role_play_modules(course: Course) -> list[Module]:
    return [m for m in course.modules if any(a.roles for a in m.activities)]


def role_cards_jobs(ctx: RenderContext, kind: str) -> list[Job]:
    """The organisers' card file: one part per module with a simulasi with roles, the page
    number samples, and the join; none when no module has one."""
    modules = role_play_modules(ctx.course)
    if not modules:
        return []
    groups = ctx.course.config.groups
    parts = [Job(kind, m.id, (f"{PARTS}/{m.file_stem}.pdf",), (m.id,), (("part", PART),),
                 fingerprint=fingerprint(groups, index == 0))  # the first opens with the lead
             for index, m in enumerate(modules)]
    digits = Job(kind, "digits", (DIGITS,), options=(("part", PART),),
                 fingerprint="page-number samples")
    path = audience_path(ctx, "organisers", f"{ctx.theme.labels.files.role_cards}.pdf")
    whole = Job(kind, "", (path,), tuple(m.id for m in modules), (("part", PART),),
                parts=(DIGITS, *(job.outputs[0] for job in parts)))
    return [*parts, digits, whole]


def render_role_cards(ctx: RenderContext, job: Job) -> list[Artifact]:
    """One module's cards (its page numbers are stamped when joined), or the samples."""
    page = page_setup(ctx, "organisers")
    if job.outputs[0] == DIGITS:
        return [artifact(DIGITS, number_samples(ctx, page, _title(ctx)), "part", ())]
    course = ctx.course
    module = course.module(job.target)
    assert module is not None
    labels = ctx.theme.labels
    html = render_html(ctx, "role_cards.html", title=_title(ctx), body_class="doc-role-cards",
                       cards=role_cards(ctx, [module]), footer=footer(ctx, labels.print.role_card),
                       lead=module == role_play_modules(course)[0])
    return [artifact(job.outputs[0], to_pdf(ctx, html, title=_title(ctx), page=page), "part",
                     ())]


def join_role_cards(ctx: RenderContext, job: Job, parts: dict[str, bytes]) -> list[Artifact]:
    """The modules' cards one after the other, numbered through, a bookmark per module."""
    modules = role_play_modules(ctx.course)
    files = [parts[path] for path in job.parts[1:]]
    data = join(ctx, files, _title(ctx), bookmarks=module_bookmarks(modules, files),
                import_outlines=False,
                digits=parts[DIGITS])
    return [artifact(job.outputs[0], data, job.renderer, module_sources(modules))]


def _title(ctx: RenderContext) -> str:
    return f"{ctx.theme.labels.print.role_cards_title} · {ctx.course.config.display_short_title}"


def role_cards(ctx: RenderContext, modules: list[Module]) -> list[RoleCard]:
    """Activity by activity, then role by role with one card per group: cards of one role are
    alike in length, so they pack evenly onto pages; each card names its group for sorting."""
    cards = []
    groups = range(1, ctx.course.config.groups + 1)
    for module in modules:
        renderer = blocks(ctx, "guide", module)
        for activity in (a for a in module.activities if a.roles):
            label = renderer.activity_label(activity)
            cards.extend(RoleCard(label, activity.title, activity.minutes, group, role.name,
                                  renderer.render(role.blocks))
                         for role in activity.roles for group in groups)
    return cards
