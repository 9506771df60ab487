"""`bimtek build --only docx`: `peserta/buku-peserta.docx` and
`fasilitator/panduan-fasilitator.docx` (DESIGN §4, §11), for offices that edit in Word."""

from __future__ import annotations

from bimtek_kit.render.base import Artifact, Job, RenderContext, Renderer, audience_path

KIND = "docx"


class DocxRenderer(Renderer):
    name = KIND

    def jobs(self, ctx: RenderContext) -> list[Job]:
        """One job per document; each reads the whole course (modules, banks, glossary,
        references), so it names no modules and the engine keys it on every source."""
        files = ctx.theme.labels.files
        return [
            Job(KIND, "handbook", (audience_path(ctx, "participants", f"{files.handbook}.docx"),)),
            Job(KIND, "guide", (audience_path(ctx, "facilitators", f"{files.guide}.docx"),)),
        ]

    def visitors(self) -> tuple[type, ...]:
        """The block writer both documents walk the model with (imported only when asked)."""
        from bimtek_kit.render.docx.blocks import DocxBlocks

        return (DocxBlocks,)

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        from bimtek_kit.render.pdf.printing import course_sources

        if job.target == "handbook":
            from bimtek_kit.render.docx.handbook import handbook_docx

            data = handbook_docx(ctx)
        else:
            from bimtek_kit.render.docx.guide import guide_docx

            data = guide_docx(ctx)
        return [Artifact(job.outputs[0], data, KIND, tuple(course_sources(ctx.course)))]
