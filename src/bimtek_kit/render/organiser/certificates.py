"""Sertifikat: one A4 landscape sheet per participant, front and back (DESIGN §9).

Front: kop logo and office, the number from `sertifikat.nomor`, the name without academic
titles (DESIGN §9 asks certificates to print the name so), NIP, instansi, course
title, dates, total JP, the predikat once scores exist (§10), the signatories and a QR code
that opens `sertifikat.verifikasi_url` with the number. Back: the modules and their JP.
`sertifikat.csv` is the organiser's register: number, name, NIP, instansi and a short hash of
what the certificate states, so a forged copy is easy to spot.

Certificates are laid out in parts of `CHUNK` participants, in parallel; a participant added
at the end re-lays out only the last part.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup

from bimtek_kit.localize import roman
from bimtek_kit.render.base import Artifact, Job, RenderContext, fingerprint
from bimtek_kit.render.organiser.common import (
    has_roster,
    join_parts,
    kit_labels,
    kit_layout,
    kit_sources,
    kop,
    last_date,
    output,
    part_people,
    qr_svg,
    render_kit_html,
    roster,
    roster_parts,
    signatories,
    signing_line,
    timetable,
)
from bimtek_kit.render.paper.timetable import date_span
from bimtek_kit.render.pdf import stack
from bimtek_kit.render.pdf.printing import artifact
from bimtek_kit.render.pdf.stack import PagedRenderer, RenderError
from bimtek_kit.roster import Participant

if TYPE_CHECKING:
    from weasyprint import Document

KIND = "sertifikat"
CHUNK = 50
"""Participants per laid-out part (100 pages): small enough to run in parallel."""


@dataclass(frozen=True)
class Certificate:
    number: str
    name: str
    nip: str
    instansi: str
    url: str
    qr: Markup | None
    digest: str
    predikat: str | None


class CertificateRenderer(PagedRenderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        if not has_roster(ctx):
            return []
        facts = course_facts(ctx)
        parts = roster_parts(ctx, KIND, CHUNK, facts)
        outputs = (output(ctx, "certificates"), output(ctx, "certificates", ".csv"))
        return [*parts, Job(KIND, "", outputs, parts=tuple(j.outputs[0] for j in parts),
                            fingerprint=fingerprint(facts, roster(ctx).digest))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        """The fronts laid out together, the back (the same for everyone) once: each front is
        followed by that one laid-out back page, which halves the layout work."""
        labels = kit_labels(ctx)
        dates = date_span(timetable(ctx), ctx.theme.labels)
        people = part_people(ctx, job)

        def laid_out(**data: object) -> Document:
            html = render_kit_html(
                ctx, "certificate.html", title=labels.certificate, body_class="doc-certificate",
                kop=kop(ctx), signatories=signatories(ctx)[:2], signing_line=signing_line(ctx),
                dates=dates, modules=ctx.course.modules, total_jp=ctx.course.total_jp, **data)
            return kit_layout(ctx, html, landscape=True)

        fronts = laid_out(back=False, certificates=[certificate(ctx, p, dates) for p in people])
        if len(fronts.pages) != len(people):
            raise RenderError(f"{roster(ctx).path}: a certificate's front does not fit one "
                              "page; shorten the course title or the instansi")
        back = laid_out(back=True, certificates=[]).pages[0]
        pages = [page for front in fronts.pages for page in (front, back)]
        data = stack.write(ctx, fronts.copy(pages), labels.certificate)
        return [artifact(job.outputs[0], data, "part", kit_sources(ctx))]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        pdf = join_parts(ctx, job, parts, kit_labels(ctx).certificate)
        sources = kit_sources(ctx)
        return [artifact(job.outputs[0], pdf, KIND, sources),
                artifact(job.outputs[1], register(ctx), KIND, sources)]


def course_facts(ctx: RenderContext) -> str:
    """Everything a certificate shows besides the participant."""
    config = ctx.course.config
    modules = [(m.code, m.title, m.duration_jp) for m in ctx.course.modules]
    return fingerprint(config.title, config.organizer, config.place, config.schedule,
                       config.sertifikat, config.penandatangan, config.kop, modules)


def certificate_number(ctx: RenderContext, participant: Participant) -> str:
    spec = ctx.course.config.sertifikat
    day = last_date(ctx)
    values = {
        "no": str(spec.mulai + participant.number - 1).zfill(3),
        "kode": spec.kode,
        "bulan_romawi": roman(day.month) if day else "",
        "bulan": f"{day.month:02d}" if day else "",
        "tahun": str(day.year) if day else "",
    }
    return spec.nomor.format_map(values)


def verification_url(ctx: RenderContext, number: str) -> str:
    """`verifikasi_url` with the number: in place of `{nomor}`, else as `?nomor=`."""
    url = ctx.course.config.sertifikat.verifikasi_url
    if not url:
        return ""
    encoded = quote(number, safe="")
    if "{nomor}" in url:
        return url.replace("{nomor}", encoded)
    return f"{url}{'&' if '?' in url else '?'}nomor={encoded}"


def predikat(ctx: RenderContext, participant: Participant) -> str | None:
    """The grade from the post-test (§10). Hook: no scores are read yet, so none is printed."""
    return None


def certificate_digest(ctx: RenderContext, number: str, participant: Participant,
                       dates: str) -> str:
    """16 hex digits over what the certificate states: the register keeps it, the page shows it."""
    statement = "|".join((number, participant.plain_name, participant.nip,
                          ctx.course.config.title, dates))
    return hashlib.sha256(statement.encode("utf-8")).hexdigest()[:16].upper()


def certificate(ctx: RenderContext, participant: Participant, dates: str) -> Certificate:
    number = certificate_number(ctx, participant)
    url = verification_url(ctx, number)
    return Certificate(number, participant.plain_name,
                       participant.nip_display if participant.nip else "", participant.instansi,
                       url, qr_svg(url) if url else None,
                       certificate_digest(ctx, number, participant, dates),
                       predikat(ctx, participant))


def register(ctx: RenderContext) -> bytes:
    """`sertifikat.csv`: UTF-8 with BOM, so Excel opens the names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(kit_labels(ctx).register)
    dates = date_span(timetable(ctx), ctx.theme.labels)
    for person in roster(ctx).participants:
        number = certificate_number(ctx, person)
        writer.writerow([number, person.plain_name, person.nip, person.instansi,
                         certificate_digest(ctx, number, person, dates)])
    return out.getvalue().encode("utf-8-sig")
