"""Papan nama (folded A4 name tents) and kartu peserta (8 cards per A4 with cut marks).

A tent is an A4 landscape sheet folded along its long middle: both halves carry the name, the
upper one upside down so it reads upright on the far side once folded. The name is set as
large as its length allows (at least ~60 pt, a capital of 15 mm: readable from 3 m), on two
lines when one would be too small.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

from bimtek_kit.render.base import Artifact, Job, RenderContext, fingerprint
from bimtek_kit.render.organiser.common import (
    has_roster,
    join_parts,
    kit_labels,
    kit_pdf,
    kit_sources,
    output,
    part_people,
    qr_svg,
    render_kit_html,
    roster,
    roster_parts,
)
from bimtek_kit.render.organiser.groups import group_of
from bimtek_kit.render.pdf.printing import artifact
from bimtek_kit.render.pdf.stack import PagedRenderer
from bimtek_kit.roster import Participant

TENTS = "papan-nama"
CARDS = "kartu-peserta"

TENT_WIDTH_MM = 267.0
"""The printable width of a tent face (A4 landscape less 15 mm each side)."""
CHAR_EM = 0.6
"""Average advance of a bold sans letter, in em: enough to keep any name inside the face."""
MAX_PT, MAX_TWO_LINE_PT, MIN_ONE_LINE_PT = 110.0, 88.0, 72.0
PT_PER_MM = 72 / 25.4
CARDS_PER_PAGE = 8


@dataclass(frozen=True)
class Tent:
    lines: tuple[str, ...]
    size_pt: float
    instansi: str


def _fit(longest: int) -> float:
    return TENT_WIDTH_MM * PT_PER_MM / (max(longest, 1) * CHAR_EM)


def tent_name(name: str) -> tuple[tuple[str, ...], float]:
    """One line when the name fits at a large size, else two balanced lines."""
    single = min(MAX_PT, _fit(len(name)))
    words = name.split()
    if single >= MIN_ONE_LINE_PT or len(words) < 2:
        return (name,), round(single, 1)
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    best = min(splits, key=lambda pair: max(len(pair[0]), len(pair[1])))
    size = min(MAX_TWO_LINE_PT, _fit(max(len(best[0]), len(best[1]))))
    return best, round(size, 1)


def tent(participant: Participant) -> Tent:
    lines, size = tent_name(participant.plain_name)
    return Tent(lines, size, participant.instansi)


def _facts(ctx: RenderContext, *extra: object) -> str:
    config = ctx.course.config
    return fingerprint(roster(ctx).digest, config.title, config.short_title, config.kop, *extra)


TENT_PART = 100
CARD_PART = 25 * CARDS_PER_PAGE


class NameTentRenderer(PagedRenderer):
    name = TENTS

    def jobs(self, ctx: RenderContext) -> list[Job]:
        if not has_roster(ctx):
            return []
        parts = roster_parts(ctx, TENTS, TENT_PART, _facts(ctx))
        return [*parts, Job(TENTS, "", (output(ctx, "nametents"),),
                            parts=tuple(j.outputs[0] for j in parts),
                            fingerprint=_facts(ctx, roster(ctx).digest))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        labels = kit_labels(ctx)
        html = render_kit_html(ctx, "tents.html", title=labels.nametent, body_class="doc-tents",
                               tents=[tent(p) for p in part_people(ctx, job)])
        data = kit_pdf(ctx, html, title=labels.nametent, landscape=True)
        return [artifact(job.outputs[0], data, "part", kit_sources(ctx))]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        data = join_parts(ctx, job, parts, kit_labels(ctx).nametent)
        return [artifact(job.outputs[0], data, TENTS, kit_sources(ctx))]


def participant_code(ctx: RenderContext, participant: Participant) -> str:
    """`BIMTEK-KP-0007-3F9A2C`: the course code, the participant's number and a check made
    from the NIP (the name when there is none). The registration desk scans it and finds the
    participant; the NIP itself is not in it, and a made-up code does not check out."""
    kode = ctx.course.config.sertifikat.kode
    number = f"{participant.number:04d}"
    check = hashlib.sha256(f"{kode}|{number}|{participant.nip or participant.nama}"
                           .encode()).hexdigest()[:6].upper()
    return f"{kode}-{number}-{check}"


class CardRenderer(PagedRenderer):
    name = CARDS

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """A part's key holds its participants' groups: one more name may deal them anew."""
        if not has_roster(ctx):
            return []
        groups = group_of(ctx)
        people = roster(ctx).participants
        parts = [
            dataclasses.replace(job, fingerprint=fingerprint(
                job.fingerprint, [groups[p.number] for p in part_people(ctx, job)]))
            for job in roster_parts(ctx, CARDS, CARD_PART, _facts(ctx))]
        return [*parts, Job(CARDS, "", (output(ctx, "cards"),),
                            parts=tuple(j.outputs[0] for j in parts),
                            fingerprint=_facts(ctx, roster(ctx).digest, len(people),
                                               ctx.course.config.kelompok))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        labels = kit_labels(ctx)
        people = part_people(ctx, job)
        pages = [people[i:i + CARDS_PER_PAGE] for i in range(0, len(people), CARDS_PER_PAGE)]
        codes = ({p.number: participant_code(ctx, p) for p in people}
                 if ctx.course.config.kartu_peserta.qr else {})
        html = render_kit_html(ctx, "cards.html", title=labels.card, body_class="doc-cards",
                               pages=pages, groups=group_of(ctx), codes=codes,
                               qr={number: qr_svg(code) for number, code in codes.items()})
        data = kit_pdf(ctx, html, title=labels.card)
        return [artifact(job.outputs[0], data, "part", kit_sources(ctx))]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        data = join_parts(ctx, job, parts, kit_labels(ctx).card)
        return [artifact(job.outputs[0], data, CARDS, kit_sources(ctx))]
