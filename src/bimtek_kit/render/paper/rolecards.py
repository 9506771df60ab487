"""Kartu peran: the secret role briefs of every simulasi, cut-out cards for the organisers.

A role brief is for its player only ("tanpa memperlihatkannya"), so it is printed neither in the
handbook nor on the worksheets (issue #15). The organisers print this file instead: for every
simulasi one set of cards per group (`groups` in bimtek.yml), several cards to a page inside
dashed cut lines, each card naming its activity, role and group so a cut pile can be sorted.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from bimtek_kit.model import Course, Module
from bimtek_kit.render.base import Artifact, Job, RenderContext, audience_path, fingerprint
from bimtek_kit.render.pdf.printing import (
    artifact,
    blocks,
    footer,
    module_sources,
    page_setup,
    render_html,
    to_pdf,
)


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


def role_cards_job(ctx: RenderContext, kind: str) -> Job | None:
    """The organisers' card file, or None when no module has a simulasi with roles."""
    modules = role_play_modules(ctx.course)
    if not modules:
        return None
    path = audience_path(ctx, "organisers", f"{ctx.theme.labels.files.role_cards}.pdf")
    return Job(kind, "", (path,), tuple(m.id for m in modules), (("part", "role-cards"),),
               fingerprint=fingerprint(ctx.course.config.groups))


def render_role_cards(ctx: RenderContext, job: Job) -> list[Artifact]:
    modules = role_play_modules(ctx.course)
    labels = ctx.theme.labels
    title = f"{labels.print.role_cards_title} · {ctx.course.config.display_short_title}"
    html = render_html(ctx, "role_cards.html", title=title, body_class="doc-role-cards",
                       cards=role_cards(ctx, modules), footer=footer(ctx, labels.print.role_card))
    data = to_pdf(ctx, html, title=title, page=page_setup(ctx, "organisers"))
    return [artifact(job.outputs[0], data, job.renderer, module_sources(modules))]


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
