"""The writer stage: atomic files, nothing outside the output folder, failed builds lose nothing."""

from __future__ import annotations

import os

import pytest

from bimtek_kit.render.base import Artifact
from bimtek_kit.writer import OutputError, atomic_write, safe_target, write_artifacts


def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "a" / "file.bin"
    atomic_write(target, b"first")
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["file.bin"]


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "file.bin"
    atomic_write(target, b"old content")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new content")
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]


@pytest.mark.parametrize("relative", ["../escape.txt", "a/../../escape.txt", "/etc/passwd"])
def test_nothing_is_written_outside_the_output_folder(tmp_path, relative):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OutputError):
        safe_target(out, relative)
    with pytest.raises(OutputError):
        write_artifacts(out, [Artifact(relative, b"x", "test")])
    assert not (tmp_path / "escape.txt").exists()


def test_unchanged_files_are_not_rewritten(tmp_path):
    artifact = Artifact("x/y.txt", b"same", "test")
    assert write_artifacts(tmp_path, [artifact]) == ["x/y.txt"]
    assert write_artifacts(tmp_path, [artifact]) == []
