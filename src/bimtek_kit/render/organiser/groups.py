"""Pembagian kelompok: groups of `kelompok.ukuran`, spread by instansi, with simulasi roles.

Participants of one office are dealt to different groups (no two from the same office in a
group while there are enough groups), group sizes differ by at most one, and the same roster
and `kelompok.seed` always give the same groups. In each `simulasi` the roles rotate inside a
group, so everyone plays a part once and observes the rest.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from bimtek_kit.model import Activity, Module
from bimtek_kit.render.base import PARTS_DIR, Artifact, Job, RenderContext, fingerprint
from bimtek_kit.render.organiser.common import (
    has_roster,
    join_parts,
    kit_labels,
    kit_pdf,
    kit_sources,
    output,
    render_kit_html,
    roster,
)
from bimtek_kit.render.pdf.printing import artifact, footer
from bimtek_kit.render.pdf.stack import PagedRenderer
from bimtek_kit.roster import Participant

KIND = "kelompok"
GROUPS_PER_PART = 40


@dataclass(frozen=True)
class Simulation:
    label: str
    """`S1`: the column heading."""
    title: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Member:
    participant: Participant
    roles: tuple[str, ...]
    """Its role in each simulation, in course order."""


@dataclass(frozen=True)
class Group:
    number: int
    members: tuple[Member, ...]


def deal_groups(people: Sequence[Participant], size: int, seed: int) -> list[list[Participant]]:
    """Shuffle within each office (seeded), largest offices first, then deal round the groups."""
    count = max(1, -(-len(people) // size))
    rng = random.Random(seed)
    offices: dict[str, list[Participant]] = {}
    for person in people:
        offices.setdefault(person.instansi.casefold(), []).append(person)
    for members in offices.values():
        rng.shuffle(members)
    queue = [p for _, members in sorted(offices.items(), key=lambda kv: (-len(kv[1]), kv[0]))
             for p in members]
    groups: list[list[Participant]] = [[] for _ in range(count)]
    for index, person in enumerate(queue):
        groups[index % count].append(person)
    return [sorted(group, key=lambda p: p.number) for group in groups]


def group_of(ctx: RenderContext) -> dict[int, int]:
    """Participant number -> group number (the participant card prints it)."""
    return {p.number: index for index, group in enumerate(dealt_groups(ctx), start=1)
            for p in group}


def simulations(modules: Sequence[Module]) -> list[tuple[Module, Activity]]:
    return [(m, a) for m in modules for a in m.activities if a.kind == "simulasi"]


def assign_roles(members: Sequence[Participant], sims: Sequence[Simulation],
                 observer: str) -> list[Member]:
    """Simulation `s` starts its roles at member `s`: roles rotate round the group."""
    roles: list[list[str]] = [[] for _ in members]
    for turn, sim in enumerate(sims):
        for index in range(len(members)):
            place = (index - turn) % len(members)
            roles[index].append(sim.roles[place] if place < len(sim.roles) else observer)
    return [Member(p, tuple(r)) for p, r in zip(members, roles, strict=True)]


class GroupRenderer(PagedRenderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """Parts of `GROUPS_PER_PART` groups: 2,000 groups in one layout took minutes and 2 GB.

        Each part's key holds its own groups; one more participant may deal them all anew."""
        if not has_roster(ctx):
            return []
        sims = simulation_list(ctx)
        dealt = dealt_groups(ctx)
        parts = [Job(KIND, "", (f"{PARTS_DIR}/{KIND}/{start // GROUPS_PER_PART + 1:04d}.pdf",),
                     options=(("first", str(start)),),
                     fingerprint=fingerprint(sims, dealt[start:start + GROUPS_PER_PART]))
                 for start in range(0, len(dealt), GROUPS_PER_PART)]
        return [*parts, Job(KIND, "", (output(ctx, "groups"),),
                            parts=tuple(j.outputs[0] for j in parts),
                            fingerprint=fingerprint(sims, roster(ctx).digest)),
                Job(KIND, "", (output(ctx, "groups", ".pptx"),),
                    fingerprint=fingerprint(sims, roster(ctx).digest))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        """A part of the printed list, or the whole deck (`kelompok.pptx`)."""
        labels = kit_labels(ctx)
        sims = simulation_list(ctx)
        if job.outputs[0].endswith(".pptx"):
            from bimtek_kit.render.organiser.groupdeck import render_group_deck

            deck = render_group_deck(ctx, with_roles(ctx, dealt_groups(ctx), sims), sims)
            return [artifact(job.outputs[0], deck, KIND, kit_sources(ctx))]
        first = int(dict(job.options)["first"])
        groups = with_roles(ctx, dealt_groups(ctx)[first:first + GROUPS_PER_PART], sims,
                            first + 1)
        html = render_kit_html(ctx, "groups.html", title=labels.groups, body_class="doc-groups",
                               footer=footer(ctx, labels.groups), groups=groups,
                               simulations=sims, head=first == 0)
        data = kit_pdf(ctx, html, title=labels.groups, landscape=True)
        return [artifact(job.outputs[0], data, "part", kit_sources(ctx))]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        data = join_parts(ctx, job, parts, kit_labels(ctx).groups)
        return [artifact(job.outputs[0], data, KIND, kit_sources(ctx))]


def with_roles(ctx: RenderContext, dealt: Sequence[Sequence[Participant]],
               sims: Sequence[Simulation], first: int = 1) -> list[Group]:
    """Groups numbered from `first`, each member with a role in every simulation."""
    observer = kit_labels(ctx).observer
    return [Group(n, tuple(assign_roles(members, sims, observer)))
            for n, members in enumerate(dealt, start=first)]


def simulation_list(ctx: RenderContext) -> list[Simulation]:
    """Every simulasi of the course, its roles without the "Peran" of the heading."""
    prefix = f"{ctx.theme.labels.role} "
    return [Simulation(f"S{n}", f"{m.code} · {a.title}".strip(" ·"),
                       tuple(r.name.removeprefix(prefix) for r in a.roles))
            for n, (m, a) in enumerate(simulations(ctx.course.modules), start=1)]


def dealt_groups(ctx: RenderContext) -> list[list[Participant]]:
    spec = ctx.course.config.kelompok
    return deal_groups(roster(ctx).participants, spec.ukuran, spec.seed)
