"""The new package, filled file by file as the jobs finish, switched in when all succeeded.

`bimtek build` opens a staging folder beside the package before the first job runs; each file
goes there as soon as its job is done (hard-linked when the old package holds the same bytes)
and the build keeps only its manifest entry and digest. A build of 300 modules made about
350 MB of files that used to wait in memory for the slowest job (issue #23). Nothing the user
sees changes before `finish` switches the folders, and a failure discards the staging folder
(issue #13): the old package stays as it was.
"""

from __future__ import annotations

from pathlib import Path

from bimtek_kit import outfolder
from bimtek_kit.commands.buildtypes import BuildOptions, BuildReport
from bimtek_kit.render.base import Artifact, RenderContext, audience_of
from bimtek_kit.writer import OutputError, manifest_bytes, manifest_entry, sha256


class PackageWriter:
    """Stages each finished file; `finish` writes the manifest and switches the folders.

    Used as a context manager: leaving it on an error discards what was staged. A file that
    cannot be staged is an OutputError naming the output folder.
    """

    def __init__(self, out_dir: Path, ctx: RenderContext, previous: dict | None,
                 options: BuildOptions, report: BuildReport) -> None:
        self.out_dir, self.ctx, self.options, self.report = out_dir, ctx, options, report
        self.listed = {e["path"]: e for e in (previous or {}).get("files", [])}
        self.old = {} if options.clean else self.listed
        self.staging = outfolder.Staging(out_dir, outfolder.staging_folder(out_dir))

    def __enter__(self) -> PackageWriter:
        try:
            self.staging.folder.mkdir()
        except OSError as error:
            raise OutputError(outfolder.describe_os_error(error, self.out_dir)) from None
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.staging.discard()

    def keep(self, artifact: Artifact, reused: bool) -> Artifact:
        """Stage a package file and return it without its bytes, which a job that reads the
        file finds in the staging folder (parts go to the job cache instead)."""
        try:
            return self._stage(artifact, reused)
        except OSError as error:
            raise OutputError(outfolder.describe_os_error(error, self.out_dir)) from None

    def _stage(self, artifact: Artifact, reused: bool) -> Artifact:
        digest = sha256(artifact.data)
        if reused:
            entry = self._reused_entry(artifact, digest)
            self.staging.add(artifact.path, artifact.data, entry, verified=True)
        else:
            entry = manifest_entry(artifact, audience_of(artifact.path, self.ctx))
            if self.staging.add(artifact.path, artifact.data, entry):
                self.report.written.append(artifact.path)
        return artifact.stored(digest, self.staging.folder / artifact.path)

    def _reused_entry(self, artifact: Artifact, digest: str) -> dict:
        """The previous manifest entry of an unchanged file (it knows the file's sources)."""
        entry = self.old.get(artifact.path)
        if entry is None or entry.get("sha256") != digest:
            entry = manifest_entry(artifact)
        entry = dict(entry)
        entry.pop("audience", None)
        audience = audience_of(artifact.path, self.ctx)
        return {**entry, "audience": audience} if audience else entry

    def finish(self, foreign: list[str]) -> dict[str, dict]:
        """Carry over what this build did not make, then switch the package in, unless
        nothing changed: a no-op build leaves the package folder itself alone."""
        try:
            self._finish(foreign)
        except OSError as error:
            raise OutputError(outfolder.describe_os_error(error, self.out_dir)) from None
        self.report.written.sort()
        return self.staging.entries

    def _finish(self, foreign: list[str]) -> None:
        staging, report = self.staging, self.report
        if self.options.only or self.options.modules:
            for path, entry in self.old.items():
                if path not in staging.entries:
                    staging.carry(path, entry)
        for path in foreign:  # only the laporan's files, unless --force
            if path not in staging.entries:
                staging.carry(path)
        report.removed = sorted(p for p in self.listed if p not in staging.entries)
        course = self.ctx.course
        manifest = manifest_bytes(course.config.title, course.slug, staging.entries.values())
        if report.written or report.removed or not outfolder.is_current(self.out_dir, manifest):
            staging.commit(manifest)
        else:
            staging.discard()
