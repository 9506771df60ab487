"""The build engine (issue #7) with a small fake renderer: incremental, parallel, reproducible,
and a failed build that leaves the previous package intact."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import types
from pathlib import Path

import pytest

from bimtek_kit import engine, render
from bimtek_kit.commands.build import BuildOptions, build
from bimtek_kit.render.base import Artifact, Job, RenderContext, Renderer
from bimtek_kit.writer import OutputError

MODULE = (
    "---\ntitle: Modul {n}\nduration_jp: 1\nobjectives: [menjelaskan, menerapkan, menilai]\n"
    "---\n\n## A\n\nTeks {n}.\n"
)


class FakeRenderer(Renderer):
    """One file per module, one part per module, and a whole-course file assembled from parts."""

    name = "fake"
    fail_on: str | None = None

    def jobs(self, ctx: RenderContext) -> list[Job]:
        jobs = [Job(self.name, m.id, (f"fake/{m.file_stem}.txt", f".parts/fake/{m.id}.part"),
                    (m.id,)) for m in ctx.course.modules]
        parts = tuple(f".parts/fake/{m.id}.part" for m in ctx.course.modules)
        jobs.append(Job(self.name, "", ("fake-all.txt",), parts=parts))
        return jobs

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        if job.target == FakeRenderer.fail_on:
            raise RuntimeError("renderer crashed halfway")
        module = ctx.course.module(job.target)
        text = f"{module.title}|{module.sections[0].blocks[0].spans[0].text}".encode()
        return [Artifact(job.outputs[0], text, "fake"), Artifact(job.outputs[1], text, "part")]

    def assemble(self, job: Job, ctx: RenderContext, parts: dict[str, bytes]) -> list[Artifact]:
        return [Artifact(job.outputs[0], b"\n".join(parts[p] for p in job.parts), "fake")]


@pytest.fixture
def fake_kind(monkeypatch):
    module = types.ModuleType("bimtek_kit.render.fake")
    module.FakeRenderer = FakeRenderer
    monkeypatch.setitem(sys.modules, "bimtek_kit.render.fake", module)
    monkeypatch.setattr(render, "RENDERERS", {"fake": "fake:FakeRenderer"})
    FakeRenderer.fail_on = None


@pytest.fixture
def project(make_project):
    return make_project({f"content/modules/0{n}-m{n}.md": MODULE.format(n=n) for n in (1, 2, 3)})


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_second_build_renders_nothing(fake_kind, project):
    first = build(BuildOptions(project, jobs=1))
    second = build(BuildOptions(project, jobs=1))
    assert len(first.rendered) == 4
    assert second.rendered == [] and second.written == []
    assert len(second.reused) == 4


def test_editing_one_module_rerenders_only_its_dependants(fake_kind, project):
    build(BuildOptions(project, jobs=1))
    path = project / "content/modules/02-m2.md"
    path.write_text(path.read_text("utf-8").replace("Teks 2.", "Teks dua."), encoding="utf-8")
    report = build(BuildOptions(project, jobs=1))
    assert report.rendered == ["fake-all.txt", "fake/02-m2.txt"]
    assert b"Teks dua." in (report.out_dir / "fake-all.txt").read_bytes()


def test_output_is_identical_whatever_the_number_of_workers(fake_kind, project, tmp_path):
    one = build(BuildOptions(project, out_dir=tmp_path / "a", jobs=1)).out_dir
    two = build(BuildOptions(project, out_dir=tmp_path / "b", jobs=2, clean=True)).out_dir
    assert digests(one) == digests(two)


def test_spawned_workers_make_the_same_bytes_as_forked_ones(project, tmp_path, monkeypatch):
    """The Windows path (no fork): workers are spawned and receive the context pickled."""
    only = ["slides", "worksheets", "schedule"]
    monkeypatch.setenv(engine.START_METHOD_ENV, "fork")
    assert engine.start_method() == "fork"
    forked = build(BuildOptions(project, out_dir=tmp_path / "fork", jobs=2, only=only))
    monkeypatch.setenv(engine.START_METHOD_ENV, "spawn")
    assert engine.start_method() == "spawn"
    spawned = build(BuildOptions(project, out_dir=tmp_path / "spawn", jobs=2, only=only))
    assert len(spawned.rendered) >= 4  # several jobs, so the pool really ran them
    files = {path: digest for path, digest in digests(spawned.out_dir).items()
             if not path.startswith(".")}
    assert any(path.endswith(".pptx") for path in files)
    assert files == {path: digest for path, digest in digests(forked.out_dir).items()
                     if not path.startswith(".")}


def test_failed_build_leaves_the_previous_package_intact(fake_kind, project):
    report = build(BuildOptions(project, jobs=1))
    before = digests(report.out_dir)
    (project / "content/modules/01-m1.md").write_text(MODULE.format(n="baru"), encoding="utf-8")
    FakeRenderer.fail_on = "m3"
    (project / "content/modules/03-m3.md").write_text(MODULE.format(n="lain"), encoding="utf-8")
    with pytest.raises(RuntimeError, match="crashed halfway"):
        build(BuildOptions(project, jobs=2))
    assert digests(report.out_dir) == before
    assert sorted(p.name for p in (project / ".bimtek").glob("parts*")) == ["parts"]
    assert (project / ".bimtek/parts/fake/m1.part").read_bytes() == b"Modul 1|Teks 1."


def test_new_parts_wait_on_disk_until_the_cache_is_saved(fake_kind, project):
    """A part's bytes are not held by the build once it is done (issue #23): the assembly
    reads them, the fresh-parts folder keeps them until the cache is saved."""
    fresh = project / f".bimtek/parts.new-{os.getpid()}"
    staged = {}

    def done(job: Job, reused: bool) -> None:
        staged[job.target] = sorted(p.name for p in fresh.rglob("*.part"))

    report = build(BuildOptions(project, jobs=1), done=done)
    assert staged[""] == ["m1.part", "m2.part", "m3.part"]
    assert (report.out_dir / "fake-all.txt").read_bytes().count(b"|Teks") == 3
    assert not fresh.exists()
    assert sorted(p.name for p in (project / ".bimtek/parts/fake").iterdir()) == staged[""]


def test_fresh_parts_of_a_killed_build_are_removed_by_the_next(fake_kind, project):
    build(BuildOptions(project, jobs=1))
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # a process id that is gone
    leftover = project / f".bimtek/parts.new-{child.pid}/fake"
    leftover.mkdir(parents=True)
    (leftover / "m1.part").write_bytes(b"half")
    alive = project / f".bimtek/parts.new-{os.getppid()}"
    alive.mkdir()
    build(BuildOptions(project, jobs=1))
    assert not leftover.parent.exists()
    assert alive.is_dir()  # another running build's


def test_manifest_lists_outputs_but_not_parts(fake_kind, project):
    report = build(BuildOptions(project, jobs=1))
    manifest = json.loads((report.out_dir / "manifest.json").read_text("utf-8"))
    paths = [entry["path"] for entry in manifest["files"]]
    assert paths == ["fake-all.txt", "fake/01-m1.txt", "fake/02-m2.txt", "fake/03-m3.txt"]
    for entry in manifest["files"]:
        data = (report.out_dir / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_removed_module_loses_its_files(fake_kind, project):
    build(BuildOptions(project, jobs=1))
    (project / "content/modules/03-m3.md").unlink()
    report = build(BuildOptions(project, jobs=1))
    assert report.removed == ["fake/03-m3.txt"]
    assert not (report.out_dir / "fake/03-m3.txt").exists()
    assert (project / ".bimtek/parts/fake/m1.part").is_file()
    assert not (project / ".bimtek/parts/fake/m3.part").exists()


def test_zip_is_reproducible(fake_kind, project, tmp_path):
    first = build(BuildOptions(project, out_dir=tmp_path / "a", jobs=1, zip=True)).zip_paths
    second = build(BuildOptions(project, out_dir=tmp_path / "b", jobs=2, zip=True)).zip_paths
    assert [p.name for p in first] == ["bimtek-uji.zip"]
    assert first[0].read_bytes() == second[0].read_bytes()


def test_clean_refuses_a_folder_bimtek_did_not_make(fake_kind, project):
    from bimtek_kit.errors import UsageError

    foreign = project / "dist" / "bimtek-uji"
    foreign.mkdir(parents=True)
    (foreign / "penting.docx").write_bytes(b"data pengguna")
    with pytest.raises(UsageError, match=r"--clean refuses to delete .*\(penting\.docx\)"):
        build(BuildOptions(project, clean=True))
    assert (foreign / "penting.docx").read_bytes() == b"data pengguna"


def test_unchanged_modules_are_not_parsed_again(fake_kind, project, monkeypatch):
    from bimtek_kit import loader

    calls = []
    original = loader.build_module
    monkeypatch.setattr(loader, "build_module",
                        lambda source, *args: calls.append(source.id) or original(source, *args))
    build(BuildOptions(project, jobs=1))
    assert sorted(calls) == ["m1", "m2", "m3"]
    calls.clear()
    path = project / "content/modules/02-m2.md"
    # a role-play without role cards: a warning that must be replayed from the cache
    path.write_text(path.read_text("utf-8") + "\n::: simulasi Uji\nPeragakan.\n:::\n",
                    encoding="utf-8")
    report = build(BuildOptions(project, jobs=1))
    assert calls == ["m2"]
    calls.clear()
    again = build(BuildOptions(project, jobs=1))
    assert calls == []
    warnings = [str(d) for d in again.diagnostics.warnings]
    assert warnings == [str(d) for d in report.diagnostics.warnings] and len(warnings) == 1


def test_an_assembly_reads_its_parts_from_disk_and_refuses_one_changed_meanwhile(
        fake_kind, project, monkeypatch):
    """The parent hands a join the parts' places and digests, not their bytes (issue #23);
    a part that another process changed on disk is refused, not joined."""
    fresh = project / f".bimtek/parts.new-{os.getpid()}"
    sent = []
    real_inputs = engine._Graph.inputs

    def inputs(graph, job):  # noqa: ANN001
        taken = real_inputs(graph, job)
        if taken is not None:
            sent.append(len(pickle.dumps(taken)))
        return taken

    def done(job: Job, reused: bool) -> None:
        if job.target == "m2":
            (fresh / "fake/m2.part").write_bytes(b"diganti di tengah jalan")

    monkeypatch.setattr(engine._Graph, "inputs", inputs)
    with pytest.raises(OutputError, match=r"m2.part changed while the build was using it"):
        build(BuildOptions(project, jobs=1), done=done)
    report = build(BuildOptions(project, jobs=1))
    assert (report.out_dir / "fake-all.txt").read_bytes().count(b"|Teks") == 3
    assert sent and max(sent) < 1500  # three paths and digests, whatever the parts weigh
