"""`bimtek build --only docx`: `peserta/buku-peserta.docx` and
`fasilitator/panduan-fasilitator.docx` (DESIGN §4, §11), for offices that edit in Word.

Both are written in parts, one per module plus the back matter or the keys, and joined
(`docx.join`), like the PDFs: an edit of one module writes that module's parts again and the
joins, not two whole-course documents (issue #23).
"""

from __future__ import annotations

from bimtek_kit.render.base import (
    PARTS_DIR,
    Artifact,
    Job,
    RenderContext,
    Renderer,
    audience_path,
)

KIND = "docx"
PARTS = f"{PARTS_DIR}/docx"


class DocxRenderer(Renderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """Per document: a part per module, the closing part, and the join, which reads the
        whole course (front matter, contents), so it names no modules and is keyed on every
        source and on its parts."""
        from bimtek_kit.render.handbook.renderer import back_matter_fingerprint
        from bimtek_kit.render.paper.guide import keys_fingerprint

        course, files = ctx.course, ctx.theme.labels.files
        formative = tuple(b.loc.path for b in course.banks if b.is_formative)
        jobs: list[Job] = []
        for document, output, closing, closing_key, module_sources in (
            ("handbook", audience_path(ctx, "participants", f"{files.handbook}.docx"),
             "back", back_matter_fingerprint(course), formative),
            ("guide", audience_path(ctx, "facilitators", f"{files.guide}.docx"),
             "keys", keys_fingerprint(ctx), ()),
        ):
            folder = f"{PARTS}/{document}"
            parts = [Job(KIND, m.id, (f"{folder}/{m.file_stem}.docx",), (m.id,),
                         (("part", document),), sources=module_sources)
                     for m in course.modules]
            parts.append(Job(KIND, closing, (f"{folder}/{closing}.docx",),
                             options=(("part", document),), fingerprint=closing_key))
            jobs += [*parts, Job(KIND, document, (output,), options=(("part", document),),
                                 parts=tuple(job.outputs[0] for job in parts))]
        return jobs

    def visitors(self) -> tuple[type, ...]:
        """The block writer both documents walk the model with (imported only when asked)."""
        from bimtek_kit.render.docx.blocks import DocxBlocks

        return (DocxBlocks,)

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        """One part: a module's chapter, the handbook's back matter or the guide's keys."""
        from bimtek_kit.render.docx import guide, handbook

        # By the modules it names, not its target: a module may be called "back" or "keys".
        module = ctx.course.module(job.modules[0]) if job.modules else None
        if dict(job.options)["part"] == "handbook":
            data = (handbook.handbook_docx(ctx, (module,)) if module
                    else handbook.back_matter_docx(ctx))
        else:
            data = guide.guide_module_docx(ctx, module) if module else guide.guide_keys_docx(ctx)
        return [Artifact(job.outputs[0], data, "part")]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        from bimtek_kit.render.docx import guide, handbook
        from bimtek_kit.render.pdf.printing import course_sources

        join = handbook.join_handbook if job.target == "handbook" else guide.join_guide
        data = join(ctx, [parts[path] for path in job.parts])
        return [Artifact(job.outputs[0], data, KIND, tuple(course_sources(ctx.course)))]
