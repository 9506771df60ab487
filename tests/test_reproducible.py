"""Same sources, same bytes (issue #7): every output of a real build, whatever --jobs is."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bimtek_kit.commands.build import BuildOptions, build


def digests(folder: Path) -> dict[str, str]:
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files}


def test_two_builds_with_one_and_two_workers_are_byte_identical(feature_project, tmp_path):
    first = build(BuildOptions(feature_project, out_dir=tmp_path / "a", jobs=1, zip=True))
    # --clean: the caches in .bimtek/ are shared by both builds; the second renders all again
    second = build(BuildOptions(feature_project, out_dir=tmp_path / "b", jobs=2, zip=True,
                                clean=True))
    assert len(second.rendered) == len(first.rendered)
    one, two = digests(first.out_dir), digests(second.out_dir)
    assert one == two
    assert {path.rsplit(".", 1)[-1] for path in one} >= {"pdf", "pptx", "html", "json"}
    assert [p.name for p in first.zip_paths] == [p.name for p in second.zip_paths]
    for one_zip, two_zip in zip(first.zip_paths, second.zip_paths, strict=True):
        assert one_zip.read_bytes() == two_zip.read_bytes()


def test_a_rebuild_writes_nothing(feature_project, tmp_path):
    build(BuildOptions(feature_project, out_dir=tmp_path / "a", jobs=2))
    again = build(BuildOptions(feature_project, out_dir=tmp_path / "a", jobs=2))
    assert again.rendered == [] and again.written == []
    assert again.reused


def test_a_new_schedule_rebuilds_the_schedule_but_not_the_decks(feature_project, tmp_path):
    """Keys hold only the part of bimtek.yml a renderer reads (issue #7)."""
    options = BuildOptions(feature_project, out_dir=tmp_path / "a", jobs=1,
                           only=["slides", "worksheets", "schedule"])
    build(options)
    config = feature_project / "bimtek.yml"
    config.write_text(config.read_text("utf-8").replace('day_end: "16.00"', 'day_end: "15.30"'),
                      encoding="utf-8")
    report = build(options)
    assert report.rendered == ["panitia/jadwal.pdf"]
    assert len(report.reused) >= 3
