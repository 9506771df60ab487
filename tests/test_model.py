"""The Markdown -> model stage: every directive lands in the right block with its line."""

from __future__ import annotations

from bimtek_kit.model import Activity, Callout, ListBlock, Notes, Paragraph, Summary, Table


def test_feature_module_builds_every_block_kind(feature_course):
    module = feature_course.module("fitur-lengkap")
    assert module is not None
    assert [s.title for s in module.sections] == ["Bagian Pertama", "Bagian Kedua"]
    assert module.sections[1].minutes == 30
    kinds = {type(b) for b in module.all_blocks}
    assert {Paragraph, ListBlock, Table, Notes, Callout, Activity, Summary} <= kinds


def test_activities_have_questions_roles_and_keys(feature_course):
    module = feature_course.module("fitur-lengkap")
    latihan, kasus, simulasi, diskusi = module.activities
    assert (latihan.kind, latihan.minutes, latihan.lines, latihan.number) == ("latihan", 20, 6, 1)
    assert [q.number for q in latihan.questions] == [1, 2]
    assert "KUNCIRAHASIA" in latihan.key[0].spans[0].text
    assert kasus.kind == "studi-kasus" and len(kasus.questions) == 1
    assert [r.name for r in simulasi.roles] == ["Peran Warga", "Peran Petugas"]
    assert diskusi.lines == 3


def test_blocks_carry_file_and_line(feature_course):
    module = feature_course.module("fitur-lengkap")
    latihan = module.activities[0]
    source = module.path.read_text(encoding="utf-8").splitlines()
    assert latihan.loc.path == "content/modules/01-fitur-lengkap.md"
    assert source[latihan.loc.line - 1].startswith(":::: latihan")


def test_inline_formatting_is_kept_as_runs(feature_course):
    paragraph = feature_course.module("fitur-lengkap").sections[0].blocks[0]
    styles = {(s.text, s.bold, s.italic, s.code, s.href) for s in paragraph.spans}
    assert ("tebal", True, False, False, None) in styles
    assert ("miring", False, True, False, None) in styles
    assert ("kode", False, False, True, None) in styles
    assert ("tautan", False, False, False, "https://example.org") in styles


def test_module_id_defaults_to_file_name_without_number(feature_course):
    assert [m.id for m in feature_course.modules] == ["fitur-lengkap", "kedua"]
    assert feature_course.modules[1].file_stem == "02-kedua"
    assert feature_course.modules[1].code == "M2"
