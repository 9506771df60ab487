"""The bundled default course keeps its shape (issue #6): it must not silently shrink."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bimtek_kit.errors import Diagnostics
from bimtek_kit.loader import load_course
from bimtek_kit.model import (
    Activity,
    AudienceOnly,
    Diagram,
    ListBlock,
    Notes,
    Paragraph,
    Summary,
    Table,
    plain,
    walk,
)
from bimtek_kit.schedule import build_timetable

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed-article.txt"


@pytest.fixture(scope="module")
def course():
    diagnostics = Diagnostics()
    loaded = load_course(REPO, diagnostics)
    assert list(diagnostics) == [], [str(d) for d in diagnostics]  # check --strict is clean
    return loaded


def teaching_modules(course):
    """The eight mata pelatihan; the 1-JP bina suasana opening (BLC) is not one."""
    return [m for m in course.modules if m.code != "BLC"]


def words(module) -> int:
    texts = [plain(b.spans) for b in module.all_blocks if isinstance(b, Paragraph)]
    texts += [plain(i.spans) for b in module.all_blocks if isinstance(b, ListBlock)
              for i in b.items]
    return sum(len(t.split()) for t in texts)


def test_bina_suasana_and_eight_modules_thirty_one_jp_that_fit_four_days(course):
    """A 1-JP bina suasana (BLC) opening, then the eight modules of domain.md §6 (30 JP)."""
    assert [m.code for m in course.modules] == ["BLC", *(f"M{n}" for n in range(1, 9))]
    assert course.total_jp == 31
    timetable = build_timetable(course)
    assert len(timetable.days) == course.config.schedule.days == 4
    assert timetable.total_jp == 31


def test_every_module_is_complete(course):
    for module in teaching_modules(course):
        assert 3 <= len(module.objectives) <= 5, module.id
        assert module.methods and module.description, module.id
        assert 4 <= len(module.sections) <= 7, module.id
        assert words(module) >= 1500, (module.id, words(module))
        assert any(isinstance(b, Table) for b in module.all_blocks), module.id
        assert any(isinstance(b, ListBlock) for b in module.all_blocks), module.id
        assert module.summaries, module.id
        with_notes = [s for s in module.sections
                      if any(isinstance(b, Notes) for b in walk(s.blocks))]
        assert len(with_notes) * 2 > len(module.sections), module.id  # notes in most sections
        assert module.activities and all(a.key for a in module.activities), module.id


def test_every_activity_kind_is_used(course):
    kinds = {a.kind for m in course.modules for a in m.activities}
    assert kinds == {"latihan", "studi-kasus", "simulasi", "diskusi"}
    role_plays = [a for m in course.modules for a in m.activities if a.kind == "simulasi"]
    assert all(2 <= len(a.roles) <= 3 for a in role_plays)


def test_question_banks_glossary_and_references(course):
    banks = {bank.name: bank for bank in course.banks}
    for name in ("pre-test", "post-test"):
        questions = banks[name].questions
        assert len(questions) >= 20
        assert {q.kind for q in questions} == {"pilihan-ganda", "benar-salah", "isian"}
        assert all(q.module for q in questions)
        assert {q.module for q in questions} == {m.id for m in teaching_modules(course)}
    assert any(bank.is_formative for bank in course.banks)
    assert {form.name for form in course.forms} >= {
        "evaluasi-penyelenggaraan", "evaluasi-narasumber",
        "evaluasi-refleksi-harian", "evaluasi-pasca-pelatihan"}  # LAN: daily review, level 3
    assert len(course.glossary) >= 30
    assert len(course.references) >= 8


def test_only_verified_regulations_are_cited(course):
    """Every 'Nomor N Tahun YYYY' in the course is one of the regulations domain.md verified."""
    verified = {(25, 2009), (14, 2008), (61, 2010), (96, 2012), (1, 2021), (20, 2023),
                (20, 2021), (76, 2013), (3, 2015), (37, 2008), (14, 2017), (15, 2014), (9, 2015),
                (11, 2008), (19, 2016), (1, 2024), (5, 2009), (5, 2020),
                # domain.md §4.11 (verified later): UU PDP, UU Tipikor, Peraturan KPK 2/2019
                (27, 2022), (31, 1999), (20, 2001), (2, 2019)}
    text = "\n".join(p.read_text("utf-8") for p in (REPO / "content").rglob("*.*"))
    cited = {(int(n), int(y)) for n, y in re.findall(r"Nomor (\d+) Tahun (\d{4})", text)}
    short = {(int(n), int(y)) for n, y in re.findall(r"\b(?:UU|PP|Perpres|Inpres|PermenPAN-RB|"
                                                     r"SE MenPAN-RB) (\d+)/(\d{4})", text)}
    assert cited | short <= verified, sorted((cited | short) - verified)


@pytest.mark.skipif(not SEED.is_file(), reason="the seed article is outside this repository")
def test_no_sentence_is_copied_from_the_seed_article():
    seed = " ".join(SEED.read_text("utf-8").split()).lower()
    seed_runs = {tuple(seed.split()[i:i + 10]) for i in range(len(seed.split()) - 9)}
    for path in sorted((REPO / "content" / "modules").glob("*.md")):
        text = " ".join(path.read_text("utf-8").split()).lower().split()
        copied = [" ".join(text[i:i + 10]) for i in range(len(text) - 9)
                  if tuple(text[i:i + 10]) in seed_runs]
        assert not copied, (path.name, copied[:2])


def test_summaries_are_substantial(course):
    for module in teaching_modules(course):
        items = [i for s in module.summaries for b in s.blocks if isinstance(b, ListBlock)
                 for i in b.items]
        assert len(items) >= 5, module.id


def test_facilitator_notes_stay_out_of_the_handbook_blocks(course):
    """Sanity: notes and keys exist in the model (the renderers' tests check they stay hidden)."""
    notes = [b for m in course.modules for b in m.all_blocks if isinstance(b, Notes)]
    assert len(notes) >= 30
    assert all(not isinstance(b, Summary) for n in notes for b in n.blocks)


def test_the_key_is_rarely_the_longest_option(course):
    """Test-wise participants pick the longest option; it is the key in at most 30 % of items."""
    for bank in course.banks:
        choice = [q for q in bank.questions if q.kind == "pilihan-ganda"]
        longest_is_key = [q.number for q in choice
                          if max(range(len(q.options)), key=lambda i: len(q.options[i]))
                          == q.answer_index]
        assert len(longest_is_key) <= 0.3 * len(choice), (bank.name, longest_is_key)
        assert all(len(q.options) == 4 for q in choice), bank.name


def test_verified_later_facts_are_cited(course):
    """domain.md §4.11: the PDP law by number, the 30-working-day gratifikasi rule, Perkom KPK."""
    text = " ".join(" ".join(p.read_text("utf-8").split())
                    for p in (REPO / "content" / "modules").glob("*.md"))
    assert "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi" in text
    assert "30 hari kerja" in text and "Pasal 12C ayat (2)" in text
    assert "Peraturan Komisi Pemberantasan Korupsi Nomor 2 Tahun 2019" in text
    ids = {ref.id for ref in course.references}
    assert {"uu-27-2022", "uu-20-2001", "perkpk-2-2019", "thomas-kilmann-1974"} <= ids


def test_blc_opening_with_a_signed_learning_contract(course):
    """LAN practice: the course opens with bina suasana (BLC) and its kontrak belajar."""
    opening = course.modules[0]
    assert opening.code == "BLC" and opening.duration_jp == 1
    contract = [a for a in opening.activities if "Kontrak Belajar" in a.title]
    assert contract and contract[0].minutes
    assert "ditandatangani" in _activity_text(contract[0])


def _activity_text(activity) -> str:
    """Everything a participant or facilitator reads of an activity: instructions, questions,
    role briefs and key."""
    blocks = activity.blocks + activity.key + tuple(b for r in activity.roles for b in r.blocks)
    parts = [activity.title, *(plain(q.spans) for q in activity.questions)]
    for block in walk(blocks):
        if isinstance(block, Paragraph):
            parts.append(plain(block.spans))
        elif isinstance(block, ListBlock):
            parts.extend(plain(item.spans) for item in block.items)
        elif isinstance(block, Table):
            parts.extend(plain(cell) for row in (block.header, *block.rows) for cell in row)
    return " ".join(parts)


def _question_text(question) -> str:
    model_answer = question.answer if question.kind == "isian" else ""
    return " ".join([question.text, *question.options, question.explanation, model_answer])


def test_every_objective_is_practised_or_assessed(course):
    """Each objective shares at least three content words (or 40 % of them) with one activity or
    one test question of its module: stricter than the check hint, which pools the module."""
    from bimtek_kit.builder.hints import content_words

    uncovered = []
    for module in course.modules:
        texts = [_activity_text(a) for a in module.activities]
        texts += [_question_text(q) for bank in course.banks for q in bank.for_module(module.id)]
        for objective in module.objectives:
            wanted = content_words(" ".join(objective.split()[1:]))
            best = max(len(wanted & content_words(text)) for text in texts)
            if best < 3 and best < 0.4 * len(wanted):
                uncovered.append((module.code, objective))
    assert not uncovered


_MINUTES = re.compile(r"(\d+)\s*menit")


def _notes_text(blocks) -> str:
    return " ".join(plain(b.spans) for n in walk(blocks) if isinstance(n, Notes)
                    for b in walk(n.blocks) if isinstance(b, Paragraph))


def test_minutes_in_notes_and_activities_fit_the_plan(course):
    """No catatan promises a section more minutes than the computed plan gives it (or its longest
    activity), and no activity text states a phase longer than the activity's waktu."""
    from bimtek_kit.timeplan import time_plan

    jp_minutes = course.config.schedule.jp_minutes
    too_long = []
    for module in course.modules:
        plan = time_plan(module, jp_minutes)
        assert plan.adds_up, (module.code, plan.problems)
        planned = {r.section: r.minutes for r in plan.rows if r.kind == "section"}
        for section in module.sections:
            activities = [b for b in walk(section.blocks) if isinstance(b, Activity)]
            allowed = max([planned[section.number], *(a.minutes or 0 for a in activities)])
            own_notes = _notes_text(tuple(b for b in section.blocks if not isinstance(b, Activity)))
            too_long += [(module.code, section.title, int(n))
                         for n in _MINUTES.findall(own_notes) if int(n) > allowed]
            for activity in activities:
                too_long += [(module.code, activity.title, int(n))
                             for n in _MINUTES.findall(_activity_text(activity))
                             if int(n) > (activity.minutes or allowed)]
    assert not too_long


# Phase breakdowns the notes and instructions spell out: their minutes add up to the waktu.
PHASES = [
    ("komunikasi-publik", "Peta Pemangku Kepentingan",
     ["Beri 20 menit untuk mengisi tabel", "lalu 10 menit untuk kunjungan galeri"]),
    ("teknik-komunikasi", "Praktik Mendengarkan Aktif",
     ["Tiga putaran memakan 30 menit", "Sisanya, 15 menit"]),
    ("etika-pelayanan", "Analisis Dilema Etika",
     ["membahas ketiga kasus (20 menit)", "15 menit seluruhnya", "10 menit terakhir"]),
    ("komunikasi-empatik", "Peta Empati",
     ["Setelah 30 menit", "galeri selama 10 menit"]),
]


@pytest.mark.parametrize(("module_id", "activity", "phases"), PHASES)
def test_phase_minutes_add_up_to_the_activity_waktu(course, module_id, activity, phases):
    module = next(m for m in course.modules if m.id == module_id)
    found = next(a for a in module.activities if activity in a.title)
    section = next(s for s in module.sections if found in list(walk(s.blocks)))
    text = " ".join((_activity_text(found) + " " + _notes_text(section.blocks)).split())
    for phase in phases:
        assert phase in text, phase
    assert sum(int(_MINUTES.search(p).group(1)) for p in phases) == found.minutes


def test_diagrams_where_a_picture_teaches_better(course):
    """At least four bagan, among them REACH, the escalation ladder, the influence–interest grid,
    the complaint flow and a fishbone-like tree of cause categories in M8."""
    diagrams = {m.code: [b for b in m.all_blocks if isinstance(b, Diagram)] for m in course.modules}
    assert sum(len(d) for d in diagrams.values()) >= 4
    kinds = {(code, d.kind) for code, found in diagrams.items() for d in found}
    assert {("M1", "matriks"), ("M2", "hierarki"), ("M5", "tangga"), ("M6", "alur"),
            ("M8", "hierarki")} <= kinds
    reach = next(d for d in diagrams["M2"] if "REACH" in d.title)
    assert [i.label for i in reach.items[0].children] == [
        "Respect", "Empathy", "Audible", "Clarity", "Humble"]
    fishbone = next(d for d in diagrams["M8"] if d.kind == "hierarki")
    assert len(fishbone.items[0].children) >= 4


def test_slide_summaries_are_short(course):
    """A hanya-slide summary has 3-6 points of at most 12 words each."""
    summaries = [b for m in course.modules for b in m.all_blocks
                 if isinstance(b, AudienceOnly) and b.target == "slides"]
    lists = [b for s in summaries for b in s.blocks if isinstance(b, ListBlock)]
    assert len(lists) >= 6
    for block in lists:
        assert 3 <= len(block.items) <= 6, block.loc
        assert all(len(plain(i.spans).split()) <= 12 for i in block.items), block.loc


def test_refleksi_harian_where_each_day_ends_and_rtl_signed_by_the_superior(course):
    """Each day but the last ends on a note that hands out the refleksi harian (within a section
    of the computed plan); the last activity is the RTL, signed by the atasan langsung."""
    from bimtek_kit.timeplan import time_plan

    jp_minutes = course.config.schedule.jp_minutes
    timetable = build_timetable(course)
    done: dict[str, int] = {}
    for day in timetable.days[:-1]:
        for row in day.rows:
            if row.kind == "module":  # minutes from the clock: breaks may shift within a JP
                minutes = (row.end.hour - row.start.hour) * 60 + row.end.minute - row.start.minute
                done[row.module.id] = done.get(row.module.id, 0) + minutes
        module = [r.module for r in day.rows if r.kind == "module"][-1]
        start, near = 0, []
        for row in time_plan(module, jp_minutes).rows:
            end = start + (row.minutes or 0)
            if row.kind == "section" and start - 20 <= done[module.id] <= end + 20:
                near.append(row.section)
            start = end
        sections = [s for s in module.sections if s.number in near]
        assert any("refleksi harian" in _notes_text(s.blocks) for s in sections), (
            day.number, module.code, done[module.id])
    closing = course.modules[-1].activities[-1]
    assert "RTL" in closing.title
    instructions = " ".join(plain(b.spans) for b in closing.blocks if isinstance(b, Paragraph))
    assert "atasan langsung" in instructions and "menandatangani" in instructions
    assert any("atasan langsung" in plain(q.spans) for q in closing.questions)


def test_only_verified_articles_are_cited():
    """Every 'Pasal N' is one domain.md verified: UU KIP Pasal 2, UU 25/2009 Pasal 1 and 4,
    UU 37/2008 Pasal 1, the UU ITE articles of §4.8, UU Tipikor Pasal 12B/12C (§4.11)."""
    verified = {"1", "2", "4", "12B", "12C", "27", "27A", "27B", "28", "29"}
    text = "\n".join(p.read_text("utf-8") for p in (REPO / "content").rglob("*.*"))
    cited = set(re.findall(r"\bPasal (\d+[A-Z]?)\b", text))
    assert cited <= verified, sorted(cited - verified)


def test_kata_pengantar_is_signed_by_a_made_up_official(course):
    """LAN package: the kata pengantar carries a signatory (jabatan, nama, NIP) from bimtek.yml;
    the NIP has the 18-digit form but serial 000, which no real NIP has."""
    signatory = course.config.signatory
    assert signatory is not None
    assert signatory.jabatan.startswith("Kepala Badan Kepegawaian")
    assert signatory.nama and re.fullmatch(r"\d{18}", signatory.nip)
    assert signatory.nip.endswith("000")
    foreword = " ".join(course.config.foreword.split())
    assert "refleksi harian" in foreword and "atasan langsung" in foreword
