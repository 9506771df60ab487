"""The organisers' kit beyond the printed documents: the group deck, QR on participant cards,
and how the kit scales with the roster.

The group deck (`panitia/kelompok.pptx`) is read back shape by shape with python-pptx; the
cards' QR codes are decoded from a rasterised page.
"""

from __future__ import annotations

import io
import re
import resource
from collections import Counter
from pathlib import Path

import pytest

from bimtek_kit.commands.build import BuildOptions, build
from bimtek_kit.loader import load_course
from bimtek_kit.render.base import RenderContext
from bimtek_kit.render.organiser.cards import participant_code
from bimtek_kit.render.organiser.groups import dealt_groups, simulation_list
from conftest import render_all, render_context
from roster_data import roster_csv
from test_roster import COURSE_KIT, KIT_KINDS, page_total, pdf_text, write_project

SLIDE_W, SLIDE_H = 12_192_000, 6_858_000
EMU_PER_PT = 12_700
CONTINUED = re.compile(r" \(lanjutan(?: \d+)?\)$")


def deck_context(root: Path, count: int, extra: str = "") -> RenderContext:
    return render_context(load_course(write_project(root, roster_csv(count), COURSE_KIT + extra)))


def group_deck(ctx: RenderContext) -> object:
    from pptx import Presentation

    return Presentation(io.BytesIO(render_all(ctx, "kelompok")["panitia/kelompok.pptx"].data))


def cards_by_set(deck: object) -> dict[str, list[tuple[int, list[str]]]]:
    """Set title (without "(lanjutan)") -> its cards in order: (group number, lines)."""
    sets: dict[str, list[tuple[int, list[str]]]] = {}
    for slide in deck.slides:  # type: ignore[attr-defined]
        title = CONTINUED.sub("", slide.shapes.title.text_frame.text)
        cards = sets.setdefault(title, [])
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            lines = [p.text for p in shape.text_frame.paragraphs]
            heading = re.fullmatch(r"Kelompok (\d+)", lines[0])
            if heading:
                cards.append((int(heading.group(1)), lines[1:]))
    return sets


def names_in(lines: list[str], cast: bool) -> list[str]:
    """A card's names; in a simulasi's cast each line is `Role: name, name`."""
    if not cast:
        return lines
    return [name for line in lines for name in line.split(": ", 1)[1].split(", ")]


@pytest.fixture(scope="module")
def deck_ctx(tmp_path_factory: pytest.TempPathFactory) -> RenderContext:
    return deck_context(tmp_path_factory.mktemp("deck") / "p", 40, "kartu_peserta: {qr: true}\n")


@pytest.fixture(scope="module")
def deck(deck_ctx: RenderContext) -> object:
    return group_deck(deck_ctx)


def check_every_participant_once_per_set(ctx: RenderContext, deck: object) -> None:
    people = ctx.course.roster.participants  # type: ignore[union-attr]
    sims = simulation_list(ctx)
    sets = cards_by_set(deck)
    assert list(sets) == ["Pembagian Kelompok",
                          *(f"Peran {s.label}: {s.title}" for s in sims)]
    dealt = {n: sorted(p.plain_name for p in group)
             for n, group in enumerate(dealt_groups(ctx), start=1)}
    for index, cards in enumerate(sets.values()):
        names = [name for _, lines in cards for name in names_in(lines, index > 0)]
        assert Counter(names) == Counter(p.plain_name for p in people)
        by_group: dict[int, list[str]] = {}
        for number, lines in cards:  # a group cut over two slides repeats its heading
            by_group.setdefault(number, []).extend(names_in(lines, index > 0))
        assert {n: sorted(v) for n, v in by_group.items()} == dealt
        if index:
            sim = sims[index - 1]
            for _number, lines in cards:
                roles = [line.split(": ", 1)[0] for line in lines]
                assert [r for r in roles if r in sim.roles] == [
                    r for r in sim.roles if r in roles], roles  # in the simulasi's order


def check_text_inside(deck: object) -> None:
    """Every shape lies on the slide, and each card's text, re-measured at its own run sizes
    with the slide fonts' metrics, fits its box."""
    from bimtek_kit.model import Span
    from bimtek_kit.render.slides.measure import LINE_HEIGHT, break_lines, metrics, tokens

    fm = metrics("Arial")
    assert deck.slide_width == SLIDE_W and deck.slide_height == SLIDE_H  # type: ignore[attr-defined]
    checked = 0
    for slide in deck.slides:  # type: ignore[attr-defined]
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= SLIDE_W, shape.name
            assert shape.top + shape.height <= SLIDE_H, shape.name
            if not (shape.has_text_frame and shape.text_frame.text.startswith("Kelompok ")):
                continue
            frame = shape.text_frame
            inner_w = (shape.width - frame.margin_left - frame.margin_right) / EMU_PER_PT
            inner_h = (shape.height - frame.margin_top - frame.margin_bottom) / EMU_PER_PT
            height = 0.0
            for paragraph in frame.paragraphs:
                runs = paragraph.runs
                size = runs[0].font.size.pt
                assert size >= 14, "nothing on a slide under the 14 pt floor"
                spans = tuple(Span(r.text, bold=bool(r.font.bold)) for r in runs)
                lines = len(break_lines(tokens(fm, spans), inner_w / size))
                height += lines * size * LINE_HEIGHT
            assert height <= inner_h, (shape.text_frame.text, height, inner_h)
            checked += 1
    assert checked


def test_group_deck_lists_every_participant_once_per_set(deck_ctx: RenderContext,
                                                         deck: object) -> None:
    check_every_participant_once_per_set(deck_ctx, deck)


def test_group_deck_is_16_9_and_its_text_stays_inside(deck: object) -> None:
    check_text_inside(deck)
    assert len(deck.slides) >= 2  # type: ignore[attr-defined]
    first = deck.slides[0]  # type: ignore[attr-defined]
    assert first.shapes.title.text_frame.text == "Pembagian Kelompok"
    assert len([s for s in first.shapes if s.has_text_frame
                and s.text_frame.text.startswith("Kelompok ")]) == 8  # 40 people, groups of 5


def test_big_groups_continue_on_a_second_slide(tmp_path: Path) -> None:
    """Groups of 30 cannot share a slide: each set continues, cards cut with their heading."""
    root = write_project(tmp_path / "p", roster_csv(60),
                         COURSE_KIT.replace("kelompok: 5", "kelompok: 30"))
    ctx = render_context(load_course(root))
    deck = group_deck(ctx)
    check_every_participant_once_per_set(ctx, deck)
    check_text_inside(deck)
    titles = [s.shapes.title.text_frame.text for s in deck.slides]  # type: ignore[attr-defined]
    assert "Pembagian Kelompok (lanjutan)" in titles


def test_group_deck_in_english(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", roster_csv(6), COURSE_KIT)
    config = root / "bimtek.yml"
    config.write_text(config.read_text("utf-8").replace("language: id", "language: en"), "utf-8")
    files = render_all(render_context(load_course(root)), "kelompok")
    assert sorted(files) == ["organisers/groups.pdf", "organisers/groups.pptx"]


def test_participant_card_qr_decodes_to_the_participants_code(deck_ctx: RenderContext) -> None:
    pypdfium2 = pytest.importorskip("pypdfium2")
    pyzbar = pytest.importorskip("pyzbar.pyzbar")
    data = render_all(deck_ctx, "kartu-peserta")["panitia/kartu-peserta.pdf"].data
    image = pypdfium2.PdfDocument(data)[0].render(scale=4).to_pil()
    decoded = sorted(code.data.decode("utf-8") for code in pyzbar.decode(image))
    people = deck_ctx.course.roster.participants  # type: ignore[union-attr]
    expected = sorted(participant_code(deck_ctx, p) for p in people[:8])
    assert decoded == expected
    assert expected[0] == "BIMTEK-KP-0001-" + expected[0].rsplit("-", 1)[1]
    assert re.fullmatch(r"[0-9A-F]{6}", expected[0].rsplit("-", 1)[1])
    assert people[0].nip not in "".join(decoded)  # the code holds no NIP
    text = pdf_text(data, 0, 1)[0].replace("\n", "")
    assert expected[0] in text  # printed under the code too


def test_participant_cards_without_qr_by_default(tmp_path: Path) -> None:
    pypdfium2 = pytest.importorskip("pypdfium2")
    pyzbar = pytest.importorskip("pyzbar.pyzbar")
    ctx = deck_context(tmp_path / "p", 3)
    data = render_all(ctx, "kartu-peserta")["panitia/kartu-peserta.pdf"].data
    assert pyzbar.decode(pypdfium2.PdfDocument(data)[0].render(scale=4).to_pil()) == []


# --- scale ---------------------------------------------------------------------------------------


def kit_cpu_seconds(tmp_path: Path, count: int) -> tuple[float, Path]:
    """CPU seconds (user + sys, this process: one worker) of a cold build of the kit."""
    root = write_project(tmp_path / f"p{count}", roster_csv(count))
    out = tmp_path / f"dist{count}"
    before = resource.getrusage(resource.RUSAGE_SELF)
    build(BuildOptions(root, out, only=KIT_KINDS, jobs=1))
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, next(out.iterdir()) / "panitia"


@pytest.mark.slow
def test_kit_time_grows_linearly_with_the_roster(tmp_path: Path) -> None:
    """125 against 500 rows: a cost that grows with the square of the roster shows as 16x.

    (2,000 rows took this test to 585 s of a 2-core CI run, which then lasted 16 minutes.)"""
    small, _ = kit_cpu_seconds(tmp_path, 125)
    large, folder = kit_cpu_seconds(tmp_path, 500)
    print(f"organisers' kit, cold, one worker: 125 rows {small:.1f} s CPU, "
          f"500 rows {large:.1f} s CPU ({large / small:.2f}x)")
    assert page_total((folder / "sertifikat.pdf").read_bytes()) == 1000
    assert page_total((folder / "papan-nama.pdf").read_bytes()) == 500
    assert page_total((folder / "kartu-peserta.pdf").read_bytes()) == 63
    register = (folder / "sertifikat.csv").read_text("utf-8-sig").splitlines()
    assert len(register) == 501
    attendance = "\n".join(pdf_text((folder / "daftar-hadir.pdf").read_bytes()))
    assert "500." in attendance and "499." in attendance
    assert large / small < 4 * 1.25, "four times the roster, about four times the time"
