"""The output folder is not trusted (issue #13): it never swallows the sources, never loses
someone else's files, and a kill, a full disk or a second build never leaves a mixed package."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import signal
import sys
import time
import types
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bimtek_kit import outfolder, render
from bimtek_kit.cli import app
from bimtek_kit.commands.build import BuildOptions, build
from bimtek_kit.render.base import Artifact, Job, RenderContext, Renderer, audience_path
from bimtek_kit.writer import OutputError, atomic_write, create_exclusive

MODULE = "---\ntitle: Modul {n}\nduration_jp: 1\nobjectives: [menjelaskan]\n---\n\n## A\n\n{text}\n"
SLUG = "bimtek-uji"


class PackageRenderer(Renderer):
    """Files for each audience: participants get the text, facilitators get a key marker."""

    name = "pkg"
    files_per_module = 3

    def jobs(self, ctx: RenderContext) -> list[Job]:
        return [
            Job(self.name, m.id, tuple(self.outputs(ctx, m.file_stem)), (m.id,))
            for m in ctx.course.modules
        ]

    def outputs(self, ctx: RenderContext, stem: str) -> list[str]:
        paths = [audience_path(ctx, "participants", f"{stem}-{i}.txt")
                 for i in range(self.files_per_module)]
        return [*paths, audience_path(ctx, "facilitators", f"{stem}-kunci.txt")]

    def run(self, job: Job, ctx: RenderContext) -> list[Artifact]:
        module = ctx.course.module(job.target)
        text = module.sections[0].blocks[0].spans[0].text
        *public, secret = job.outputs
        artifacts = [Artifact(p, f"{text}|{p}".encode() * 200, "pkg") for p in public]
        return [*artifacts, Artifact(secret, f"KUNCIRAHASIA {text}".encode(), "pkg")]


@pytest.fixture
def pkg_kind(monkeypatch):
    module = types.ModuleType("bimtek_kit.render.pkg")
    module.PackageRenderer = PackageRenderer
    monkeypatch.setitem(sys.modules, "bimtek_kit.render.pkg", module)
    monkeypatch.setattr(render, "RENDERERS", {"pkg": "pkg:PackageRenderer"})


def write_modules(project: Path, version: str, count: int = 3) -> None:
    (project / "content/modules").mkdir(parents=True, exist_ok=True)
    for n in range(1, count + 1):
        text = MODULE.format(n=n, text=f"Versi {version} modul {n}.")
        (project / f"content/modules/0{n}-m{n}.md").write_text(text, encoding="utf-8")


@pytest.fixture
def project(make_project):
    root = make_project({})
    write_modules(root, "satu")
    return root


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def package_state(folder: Path) -> dict[str, str]:
    """Every file of the package (symlinks included) -> sha256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()
    }


def assert_consistent(folder: Path) -> str:
    """The folder is exactly what its manifest lists; return the version it holds."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    listed = {e["path"]: e["sha256"] for e in manifest["files"]}
    state = package_state(folder)
    state.pop("manifest.json")
    assert state == listed
    text = (folder / "peserta/01-m1-0.txt").read_text("utf-8")
    return text.split(" ")[1]


# --- where a package may go ------------------------------------------------------------------


def test_output_over_the_project_is_refused_and_clean_deletes_nothing(pkg_kind, make_project):
    project = make_project({}, name=SLUG)
    write_modules(project, "satu")
    (project / ".github").mkdir()
    for extra in ([], ["--clean"], ["--clean", "--force"]):
        code, output = cli("build", str(project), "-o", str(project.parent), *extra)
        assert code == 2
        assert f"would be the project folder {project}" in output
    assert (project / "bimtek.yml").is_file() and (project / ".github").is_dir()
    assert sorted(p.name for p in project.iterdir()) == [".github", "bimtek.yml", "content"]


@pytest.mark.parametrize("inside", ["content", "content/modules", "themes", ".bimtek"])
def test_output_inside_the_sources_is_refused(pkg_kind, project, inside):
    code, output = cli("build", str(project), "-o", str(project / inside))
    assert code == 2
    assert f"lies inside the project's {inside.split('/')[0]}/ folder" in output
    assert not (project / inside / SLUG).exists()


def test_output_holding_the_project_is_refused(pkg_kind, make_project, tmp_path):
    project = make_project({}, name="kursus")
    write_modules(project, "satu")
    # -o chosen so that OUT/<slug> is an ancestor of the project
    nested = tmp_path / "luar" / SLUG / "kursus"
    nested.parent.mkdir(parents=True)
    project.rename(nested)
    code, output = cli("build", str(nested), "-o", str(tmp_path / "luar"))
    assert code == 2 and "or hold it" in output


def test_output_that_is_a_file_or_unwritable_is_a_clear_error(pkg_kind, project, tmp_path):
    afile = tmp_path / "berkas.txt"
    afile.write_text("x")
    code, output = cli("build", str(project), "-o", str(afile))
    assert code == 2 and f"{afile} is a file, not a folder" in output
    code, output = cli("build", str(project), "-o", str(afile / "sub"))
    assert code == 2 and "is a file, not a folder" in output
    if Path("/sys/kernel").is_dir():
        code, output = cli("build", str(project), "-o", "/sys/bimtek-uji-x")
        assert code == 1 and "cannot create the output folder /sys/bimtek-uji-x" in output
        code, output = cli("build", str(project), "-o", "/sys/kernel")
        assert code == 1 and "cannot write the package into /sys/kernel/bimtek-uji" in output
        assert "previous package is unchanged" in output


def test_foreign_files_are_refused_unless_forced_and_then_kept(pkg_kind, project):
    package = project / "dist" / SLUG
    package.mkdir(parents=True)
    (package / "catatan-saya.docx").write_bytes(b"milik pengguna")
    for extra in ([], ["--clean"]):
        code, output = cli("build", str(project), *extra)
        assert code == 2
        assert "holds files bimtek did not write (catatan-saya.docx)" in output
        assert "--force" in output
    assert sorted(p.name for p in package.iterdir()) == ["catatan-saya.docx"]
    code, output = cli("build", str(project), "--force")
    assert code == 0, output
    assert (package / "catatan-saya.docx").read_bytes() == b"milik pengguna"
    assert (package / "peserta/01-m1-0.txt").is_file()
    (project / "content/modules/03-m3.md").unlink()
    code, output = cli("build", str(project), "--clean", "--force")
    assert code == 0, output
    assert (package / "catatan-saya.docx").read_bytes() == b"milik pengguna"
    assert not (package / "peserta/03-m3-0.txt").exists()
    assert (package / "peserta/02-m2-0.txt").is_file()


def test_clean_removes_only_files_the_manifest_lists(pkg_kind, project):
    report = build(BuildOptions(project, jobs=1))
    (project / "content/modules/03-m3.md").unlink()
    again = build(BuildOptions(project, jobs=1, clean=True))
    assert again.removed == ["fasilitator/03-m3-kunci.txt", *(f"peserta/03-m3-{i}.txt"
                                                              for i in range(3))]
    assert not (report.out_dir / "peserta/03-m3-0.txt").exists()
    assert_consistent(report.out_dir)


# --- caches live in .bimtek/ and are data ----------------------------------------------------


def test_no_cache_file_reaches_the_package(pkg_kind, project, tmp_path):
    report = build(BuildOptions(project, out_dir=tmp_path / "keluar", jobs=1))
    names = [p.name for p in (tmp_path / "keluar").rglob("*")]
    assert not [n for n in names if n.startswith(".") or n.endswith((".pickle", ".part"))]
    assert set(names) >= {"manifest.json", "peserta", "fasilitator"}
    assert (project / ".bimtek/jobs.json").is_file()
    assert len(list((project / ".bimtek/models").glob("*.json"))) == 3
    assert report.out_dir == (tmp_path / "keluar" / SLUG).resolve()


def test_init_ignores_dist_and_the_cache_folder(tmp_path):
    code, output = cli("init", str(tmp_path / "baru"))
    assert code == 0, output
    lines = (tmp_path / "baru/.gitignore").read_text("utf-8").splitlines()
    assert "dist/" in lines and ".bimtek/" in lines


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x80\x81garbage",
        b'{"format": 1, "tool": "x", "sha256": "0", "body": "[]"}',
        b"__import__('os').system('touch PWNED')",
    ],
)
def test_a_damaged_model_cache_is_ignored_and_rebuilt(pkg_kind, project, damage):
    first = build(BuildOptions(project, jobs=1))
    before = package_state(first.out_dir)
    entries = sorted((project / ".bimtek/models").glob("*.json"))
    for entry in entries:
        entry.write_bytes(damage if damage else entry.read_bytes()[:40])  # "" -> truncated
    again = build(BuildOptions(project, jobs=1, clean=True))
    assert package_state(again.out_dir) == before
    assert not (project / "PWNED").exists()
    for entry in entries:
        json.loads(entry.read_text("utf-8"))  # rewritten whole


def test_a_hostile_model_cache_with_a_valid_hash_names_only_model_classes(pkg_kind, project):
    from bimtek_kit.modelcache import decode_entry, encode_entry
    from bimtek_kit.toolid import tool_id

    build(BuildOptions(project, jobs=1))
    entry = next((project / ".bimtek/models").glob("*.json"))
    module, diagnostics = decode_entry(entry.read_bytes())
    assert encode_entry(module, diagnostics) == entry.read_bytes()
    body = json.dumps([{"@": "Popen", "f": [["touch", "PWNED"]]}, []])
    forged = {"format": 1, "tool": tool_id(), "body": body,
              "sha256": hashlib.sha256(body.encode()).hexdigest()}
    entry.write_text(json.dumps(forged), encoding="utf-8")
    report = build(BuildOptions(project, jobs=1, clean=True))
    assert "Versi satu modul" in (report.out_dir / "peserta/01-m1-0.txt").read_text("utf-8")
    assert not (project / "PWNED").exists()


@pytest.mark.parametrize(
    "jobs_json", ['{"jobs": [1, 2]}', '{"jobs": {"k": 5}}', '[]', '{"jobs": {"k": {"../x": "0"}}}']
)
def test_wrong_typed_job_cache_is_ignored(pkg_kind, project, jobs_json):
    build(BuildOptions(project, jobs=1))
    (project / ".bimtek/jobs.json").write_text(jobs_json, encoding="utf-8")
    code, output = cli("build", str(project))
    assert code == 0, output
    assert "12 rendered" in output


def test_a_symlinked_cache_folder_is_not_used(pkg_kind, project, tmp_path):
    elsewhere = tmp_path / "di-luar"
    elsewhere.mkdir()
    (project / ".bimtek").symlink_to(elsewhere)
    code, output = cli("build", str(project))
    assert code == 0, output
    assert list(elsewhere.iterdir()) == []


def test_temporary_files_never_follow_a_planted_symlink(tmp_path):
    victim = tmp_path / "korban.txt"
    victim.write_text("asli")
    planted = tmp_path / "out" / ".manifest.json.tmp"
    planted.parent.mkdir()
    planted.symlink_to(victim)
    with pytest.raises(FileExistsError):
        create_exclusive(planted, b"ditimpa")
    atomic_write(tmp_path / "out" / "manifest.json", b"baru")
    assert victim.read_text() == "asli"
    assert (tmp_path / "out" / "manifest.json").read_bytes() == b"baru"


def test_legacy_caches_in_the_package_are_dropped_not_loaded(pkg_kind, project):
    report = build(BuildOptions(project, jobs=1))
    legacy = report.out_dir / ".bimtek-model-cache"
    legacy.mkdir()
    (legacy / "x.pickle").write_bytes(b"cos\nsystem\n(S'touch PWNED'\ntR.")
    build(BuildOptions(project, jobs=1))
    assert not legacy.exists() and not (project / "PWNED").exists()


# --- manifest and zips -----------------------------------------------------------------------


def test_manifest_records_audiences_and_zips_are_per_audience(pkg_kind, project):
    report = build(BuildOptions(project, jobs=1, zip=True))
    manifest = json.loads((report.out_dir / "manifest.json").read_text("utf-8"))
    audiences = {e["path"]: e["audience"] for e in manifest["files"]}
    assert audiences["peserta/01-m1-0.txt"] == "participants"
    assert audiences["fasilitator/01-m1-kunci.txt"] == "facilitators"
    assert [p.name for p in report.zip_paths] == [f"{SLUG}-fasilitator.zip",
                                                  f"{SLUG}-panitia.zip", f"{SLUG}-peserta.zip"]
    participants = zipfile.ZipFile(report.out_dir.parent / f"{SLUG}-peserta.zip")
    names = participants.namelist()
    assert f"{SLUG}/peserta/01-m1-0.txt" in names and len(names) == 9
    assert all(b"KUNCIRAHASIA" not in participants.read(n) for n in names)
    facilitators = zipfile.ZipFile(report.out_dir.parent / f"{SLUG}-fasilitator.zip")
    assert b"KUNCIRAHASIA" in facilitators.read(f"{SLUG}/fasilitator/01-m1-kunci.txt")


def test_forged_manifest_entries_never_reach_the_zip(pkg_kind, project, tmp_path):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi")
    report = build(BuildOptions(project, jobs=1))
    manifest_path = report.out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["files"] += [
        {"path": "../../rahasia.txt", "sha256": "0", "size": 1},
        {"path": "/etc/passwd", "sha256": "0", "size": 1},
        {"path": 7},
        "peserta/x.txt",
    ]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    again = build(BuildOptions(project, jobs=1, zip=True, only=["pkg"]))
    for path in again.zip_paths:
        for name in zipfile.ZipFile(path).namelist():
            assert ".." not in name.split("/") and not name.startswith("/")
            assert "rahasia" not in name and "passwd" not in name
    assert secret.read_text() == "kata sandi"


def test_wrong_typed_manifest_is_a_clear_refusal(pkg_kind, project):
    report = build(BuildOptions(project, jobs=1))
    (report.out_dir / "manifest.json").write_text(
        '{"generator": "bimtek-kit", "files": {"a": 1}}', encoding="utf-8")
    code, output = cli("build", str(project))
    assert code == 2 and "holds files bimtek did not write" in output


# --- atomic package: full disk, concurrent builds, kills -------------------------------------


def test_a_full_disk_is_a_clear_message_and_the_old_package_stays(pkg_kind, project, monkeypatch):
    report = build(BuildOptions(project, jobs=1))
    before = package_state(report.out_dir)
    write_modules(project, "dua")
    real = outfolder.create_exclusive
    calls = []

    def full_disk(path, data, sync=True):
        calls.append(path)
        if len(calls) > 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data, sync)

    monkeypatch.setattr(outfolder, "create_exclusive", full_disk)
    code, output = cli("build", str(project))
    assert code == 1
    assert f"cannot write the package into {report.out_dir}: the disk is full" in output
    assert "previous package is unchanged" in output
    assert package_state(report.out_dir) == before
    assert sorted(p.name for p in report.out_dir.parent.iterdir()) == [SLUG]


def _child_build(project: Path, version: str, out: Path, clean: bool = False) -> None:
    """In a forked child: build one version, exit 0 on success."""
    code = 1
    try:
        write_modules(project, version)
        build(BuildOptions(project, out_dir=out, jobs=1, clean=clean))
        code = 0
    finally:
        os._exit(code)


def test_two_concurrent_builds_do_not_interleave(pkg_kind, make_project, tmp_path):
    projects = [make_project({}, name=f"p{i}") for i in (1, 2)]
    out = tmp_path / "bersama"
    pids = []
    for project, version in zip(projects, ("satu", "dua"), strict=True):
        write_modules(project, version)
        pid = os.fork()
        if pid == 0:
            _child_build(project, version, out)
        pids.append(pid)
    codes = [os.waitpid(pid, 0)[1] for pid in pids]
    assert codes == [0, 0]
    assert assert_consistent(out / SLUG) in ("satu", "dua")
    assert sorted(p.name for p in out.iterdir()) == [SLUG]


@pytest.mark.slow
def test_fifty_kills_at_random_moments_leave_the_old_or_the_new_package(
    pkg_kind, project, tmp_path
):
    PackageRenderer.files_per_module = 12  # a write phase long enough to be hit often
    try:
        outcomes = _kill_many_times(project, tmp_path / "keluar", runs=50, seed=13)
        assert outcomes == {"old", "new"}  # the schedule hit both sides of the switch
    finally:
        PackageRenderer.files_per_module = 3


def test_ten_kills_at_random_moments_leave_the_old_or_the_new_package(
    pkg_kind, project, tmp_path
):
    PackageRenderer.files_per_module = 12
    try:
        _kill_many_times(project, tmp_path / "keluar", runs=10, seed=7)
    finally:
        PackageRenderer.files_per_module = 3


def _kill_many_times(project: Path, out: Path, runs: int, seed: int) -> set[str]:
    build(BuildOptions(project, out_dir=out, jobs=1))
    package = out / SLUG
    current = assert_consistent(package)
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        _child_build(project, "ukur", out)
    os.waitpid(pid, 0)
    duration = time.perf_counter() - started
    current = assert_consistent(package)
    assert current == "ukur"
    schedule = random.Random(seed)
    outcomes = set()
    for run in range(runs):
        version = f"v{run}"
        pid = os.fork()
        if pid == 0:
            _child_build(project, version, out, clean=run % 3 == 0)
        time.sleep(schedule.uniform(0.2, 1.2) * duration)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        found = assert_consistent(package)
        assert found in (current, version)
        outcomes.add("new" if found == version else "old")
        current = found
    write_modules(project, "akhir")
    build(BuildOptions(project, out_dir=out, jobs=1))
    assert assert_consistent(package) == "akhir"
    assert sorted(p.name for p in out.iterdir()) == [SLUG]
    return outcomes


def test_leftovers_of_a_killed_build_are_removed_and_a_moved_package_restored(tmp_path):
    package = tmp_path / SLUG
    aside = tmp_path / f".{SLUG}.old-99999"
    aside.mkdir()
    (aside / "manifest.json").write_text("{}")
    (tmp_path / f".{SLUG}.new-99998").mkdir()
    outfolder.recover(package)
    assert sorted(p.name for p in tmp_path.iterdir()) == [SLUG]
    assert (package / "manifest.json").is_file()


def test_a_second_build_waits_for_the_lock_and_gives_up_clearly(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with outfolder.locked(out):
        pid = os.fork()
        if pid == 0:
            try:
                with outfolder.locked(out, wait=0.3):
                    os._exit(0)
            except OutputError as error:
                os._exit(7 if "another bimtek build is writing into" in str(error) else 1)
        assert os.waitpid(pid, 0)[1] >> 8 == 7
    with outfolder.locked(out, wait=0):
        pass


def test_a_no_op_build_leaves_the_package_folder_alone(pkg_kind, project):
    report = build(BuildOptions(project, jobs=1))
    inode = report.out_dir.stat().st_ino
    again = build(BuildOptions(project, jobs=1))
    assert again.written == [] and again.removed == []
    assert report.out_dir.stat().st_ino == inode
    write_modules(project, "dua")
    changed = build(BuildOptions(project, jobs=1))
    assert changed.written and report.out_dir.stat().st_ino != inode
    assert assert_consistent(report.out_dir) == "dua"


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_file_is_staged_when_its_job_is_done_and_switched_in_at_the_end(
        pkg_kind, project, jobs):
    """A build does not hold every file until the slowest job is done (issue #23): a job's
    files are in the staging folder when it reports done, the package is the old one."""
    report = build(BuildOptions(project, jobs=jobs))
    write_modules(project, "dua")
    staging = outfolder.staging_folder(report.out_dir)
    seen = []

    def done(job: Job, reused: bool) -> None:
        assert not reused
        for path in job.outputs:
            assert "Versi dua" in (staging / path).read_text("utf-8")
        assert assert_consistent(report.out_dir) == "satu"
        seen.append(job.target)

    again = build(BuildOptions(project, jobs=jobs), done=done)
    assert len(seen) == 3 and not staging.exists()
    assert assert_consistent(report.out_dir) == "dua"
    assert len(again.written) == 3 * 4


def test_without_an_atomic_exchange_two_renames_switch_the_package(pkg_kind, project,
                                                                   monkeypatch):
    """Systems without renameat2 (macOS, Windows) switch with two renames; `recover` puts a
    package moved aside back if a kill falls between them."""
    monkeypatch.setattr(outfolder, "_renameat2_exchange", lambda first, second: False)
    report = build(BuildOptions(project, jobs=1))
    write_modules(project, "dua")
    build(BuildOptions(project, jobs=1))
    assert assert_consistent(report.out_dir) == "dua"
    assert sorted(p.name for p in report.out_dir.parent.iterdir()) == [SLUG]


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_a_package_path_that_is_a_file_or_symlink_is_refused_even_forced(pkg_kind, project,
                                                                         tmp_path, kind):
    package = project / "dist" / SLUG
    package.parent.mkdir()
    elsewhere = tmp_path / "tempat-lain"
    elsewhere.mkdir()
    (elsewhere / "milik.txt").write_text("pengguna")
    if kind == "file":
        package.write_text("berkas pengguna")
    else:
        package.symlink_to(elsewhere)
    code, output = cli("build", str(project), "--force", "--clean")
    assert code == 2 and "is a file or a symlink, not a package folder" in output
    assert (elsewhere / "milik.txt").read_text() == "pengguna"
    assert package.is_symlink() if kind == "symlink" else package.read_text() == "berkas pengguna"


def _texts_in_zip(path: Path) -> dict[str, str]:
    """Every member's readable text: PDF pages (pypdf), PPTX/DOCX XML parts, HTML and text."""
    import io

    from pypdf import PdfReader

    texts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".pdf"):
                reader = PdfReader(io.BytesIO(data))
                texts[name] = "\n".join(page.extract_text() or "" for page in reader.pages)
            elif name.endswith((".pptx", ".docx", ".xlsx")):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    texts[name] = "\n".join(inner.read(n).decode("utf-8", "replace")
                                            for n in inner.namelist() if n.endswith(".xml"))
            else:
                texts[name] = data.decode("utf-8", "replace")
    return texts


@pytest.mark.slow
def test_the_participants_zip_of_a_real_course_holds_no_key_or_notes(feature_project, tmp_path):
    from conftest import CATATAN_MARKER, KUNCI_MARKER

    report = build(BuildOptions(feature_project, out_dir=tmp_path / "d", zip=True))
    zips = {p.name: p for p in report.zip_paths}
    assert set(zips) == {f"{SLUG}-peserta.zip", f"{SLUG}-fasilitator.zip", f"{SLUG}-panitia.zip"}
    participants = _texts_in_zip(zips[f"{SLUG}-peserta.zip"])
    assert any(name.endswith(".pdf") for name in participants)
    for name, text in participants.items():
        assert name.startswith(f"{SLUG}/peserta/"), name
        assert KUNCI_MARKER not in text and CATATAN_MARKER not in text, name
    facilitators = "\n".join(_texts_in_zip(zips[f"{SLUG}-fasilitator.zip"]).values())
    assert KUNCI_MARKER in facilitators  # the markers are findable where they belong
