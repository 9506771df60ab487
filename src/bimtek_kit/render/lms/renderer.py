"""`bimtek build --only lms`: every bank and form for Moodle (DESIGN §4, §11).

Two files in `panitia/lms/`: `bank-soal.xml` (Moodle XML, one category per bank or form) and
`bank-soal.gift.txt` (the same questions in GIFT). They hold the answer keys, so they are
organisers' files, never participants'.
"""

from __future__ import annotations

from bimtek_kit.render.base import (
    Artifact,
    Job,
    RenderContext,
    Renderer,
    audience_path,
    fingerprint,
)

KIND = "lms"


def lms_paths(ctx: RenderContext) -> tuple[str, str]:
    files = ctx.theme.labels.files
    stem = f"{files.get('lms_dir', 'lms')}/{files.get('question_bank', 'bank-soal')}"
    return (audience_path(ctx, "organisers", f"{stem}.xml"),
            audience_path(ctx, "organisers", f"{stem}.gift.txt"))


class LmsRenderer(Renderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        course = ctx.course
        if not course.banks and not course.forms:
            return []
        sources = tuple(item.loc.path for item in (*course.banks, *course.forms))
        title = (course.config.display_short_title, course.config.title)
        return [Job(KIND, "", lms_paths(ctx), sources=sources,
                    fingerprint=fingerprint(title, course.banks, course.forms,
                                            _picture_digests(ctx)))]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        from bimtek_kit.render.lms.gift import gift
        from bimtek_kit.render.lms.items import categories
        from bimtek_kit.render.lms.moodle import moodle_xml

        found = categories(ctx.course)
        xml_path, gift_path = job.outputs
        return [Artifact(xml_path, moodle_xml(found), KIND, job.sources),
                Artifact(gift_path, gift(found), KIND, job.sources)]


def _picture_digests(ctx: RenderContext) -> tuple[str, ...]:
    """The embedded images' bytes are part of the job's key: a new picture rebuilds it."""
    import hashlib

    from bimtek_kit.render.lms.items import categories

    return tuple(hashlib.sha256(picture.path.read_bytes()).hexdigest()
                 for category in categories(ctx.course) for item in category.items
                 for picture in item.pictures)
