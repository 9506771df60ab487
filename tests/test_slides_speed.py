"""Slide decks in time linear in their input (issue #13, README "Input caps"), and the fast
paths of the slide writer that keep a deck's bytes what python-pptx alone would write (#23).

The timing tests render one generated module in-process and compare CPU seconds
(`time.process_time`, so other processes on the machine count less) of an input at a quarter of
a cap with the input at the cap: linear time gives 4x, the bound is 5.5x. Columns are the least
linear: a wide table's cells wrap, so it needs more slides, each repeating the header row.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from pptx import Presentation

from bimtek_kit import caps
from bimtek_kit.loader import load_course
from bimtek_kit.render.slides.renderer import render_deck, reproducible_bytes
from conftest import render_context

FRONT = "---\ntitle: Modul Uji\nduration_jp: 1\nobjectives: [menjelaskan]\n---\n\n## A\n\n"
WORDS = ("pelayanan", "warga", "petugas", "informasi", "layanan", "masyarakat", "prosedur",
         "standar")
RATIO = 5.5
"""Allowed growth of CPU time when the input grows 4x (linear: 4x)."""


def word(i: int) -> str:
    return WORDS[i % len(WORDS)]


def bullets(n: int) -> str:
    return "Pengantar.\n\n" + "".join(
        f"- butir {i} {word(i)} {word(3 * i)} dan {word(5 * i)}\n" for i in range(n))


def rows(n: int) -> str:
    head = "| Aspek | Keterangan | Contoh |\n|---|---|---|\n"
    return head + "".join(f"| {word(i)} {i} | {word(3 * i)} yang baik dan jelas | contoh {i} |\n"
                          for i in range(n))


def columns(n: int, body_rows: int = 40) -> str:
    head = "|" + "|".join(f"k{c}" for c in range(n)) + "|\n|" + "---|" * n + "\n"
    return head + "".join(
        "|" + "|".join(f"{word(r + c)} {word(r * c)} {r}" for c in range(n)) + "|\n"
        for r in range(body_rows))


def long_text(chars: int) -> str:
    return " ".join(f"{word(i)}{i % 7}" for i in range(chars // 11))


def long_bullet(chars: int) -> str:
    return f"Pengantar.\n\n- {long_text(chars)}\n- dua\n"


def long_cell(chars: int) -> str:
    """Eight rows, each with one long cell in a six-column table (cut over several slides)."""
    head = "| A | B | C | D | E | F |\n|---|---|---|---|---|---|\n"
    return head + f"| {long_text(chars)} | b | c | d | e | f |\n" * 8


def deck_context(make_project, name: str, body: str):
    project = make_project({"content/modules/01-a.md": FRONT + body}, name=name)
    ctx = render_context(load_course(project))
    return ctx, ctx.course.modules[0]


def cpu_seconds(ctx, module) -> float:
    started = time.process_time()
    render_deck(ctx, module)
    return time.process_time() - started


def slide_count(ctx, module) -> int:
    return len(Presentation(io.BytesIO(render_deck(ctx, module))).slides)


def assert_linear(make_project, kind: str, make, cap: int) -> None:
    """The input at `cap` against the input at a quarter of it (rounded up). Renders alternate
    (small, large, small, ...) so a busy moment of the machine slows both; the least time of
    three is each one's cost."""
    small, large = -(-cap // 4), cap
    decks = [deck_context(make_project, f"{kind}-{n}", make(n)) for n in (small, large)]
    cpu_seconds(*deck_context(make_project, f"{kind}-warm", make(small // 4)))  # fonts, base deck
    times: list[list[float]] = [[], []]
    for _ in range(3):
        for index, deck in enumerate(decks):
            times[index].append(cpu_seconds(*deck))
    small_time, large_time = min(times[0]), min(times[1])
    small_slides, large_slides = (slide_count(*deck) for deck in decks)
    assert large_slides > small_slides
    assert large_time <= RATIO * max(small_time, 0.01), (
        f"{kind}: {small} -> {small_time:.2f} s ({small_slides} slides), "
        f"{large} -> {large_time:.2f} s ({large_slides} slides)")


@pytest.mark.slow
def test_bullets_take_time_linear_in_their_number(make_project):
    assert_linear(make_project, "bullets", bullets, caps.MAX_LIST_ITEMS)


@pytest.mark.slow
def test_table_rows_take_time_linear_in_their_number(make_project):
    assert_linear(make_project, "rows", rows, caps.MAX_TABLE_ROWS)


@pytest.mark.slow
def test_table_columns_take_time_linear_in_their_number(make_project):
    assert_linear(make_project, "columns", columns, caps.MAX_TABLE_COLUMNS)


@pytest.mark.slow
def test_a_paragraph_takes_time_linear_in_its_length(make_project):
    """A bullet longer than a slide is cut slide by slide; under the paragraph cap that stays
    about linear (50,000 characters, the old cap, took 8x the time of 12,500)."""
    assert_linear(make_project, "paragraph", long_bullet, caps.MAX_PARAGRAPH_CHARS)


@pytest.mark.slow
def test_a_table_cell_takes_time_linear_in_its_length(make_project):
    assert_linear(make_project, "cell", long_cell, caps.MAX_CELL_CHARS)


# --- the fast writer keeps python-pptx's bytes -----------------------------------------------


def test_one_pass_zip_equals_python_pptx_save_rewritten(feature_ctx):
    """The deck is zipped once; the bytes equal python-pptx's `save` with every entry restamped
    (the way decks were written before), so a python-pptx upgrade that changes its parts order
    or names shows up here."""
    from bimtek_kit.render.slides.renderer import lay_out_deck, zip_entries

    laid = lay_out_deck(feature_ctx, feature_ctx.course.modules[0])
    saved = io.BytesIO()
    laid.deck.prs.save(saved)
    with zipfile.ZipFile(saved) as source:
        names = sorted(source.namelist(), key=lambda name: name != "[Content_Types].xml")
        entries = [(name, source.read(name)) for name in names]
    assert reproducible_bytes(laid.deck.prs, 1_700_000_000) == zip_entries(entries,
                                                                           1_700_000_000)


def test_decks_from_one_base_are_independent(feature_ctx):
    """The base deck is made once and reopened per deck: a second deck does not see the first
    one's slides, and rendering again gives the same bytes."""
    first, second = feature_ctx.course.modules[:2]
    one = render_deck(feature_ctx, first)
    two = render_deck(feature_ctx, second)
    assert render_deck(feature_ctx, first) == one
    slides = len(Presentation(io.BytesIO(two)).slides)
    titles = [s.shapes.title.text for s in Presentation(io.BytesIO(two)).slides]
    assert slides == len(titles) and first.title not in titles


def test_a_changed_template_is_not_served_from_the_cache(feature_project):
    """The base deck is cached by the template's bytes: a template saved again with another
    layout name gives decks with the new name."""
    from test_slides import make_template

    template = feature_project / "themes" / "default" / "template.pptx"
    make_template(template, "Konten Lama")
    ctx = render_context(load_course(feature_project))
    module = ctx.course.modules[0]
    old = {s.slide_layout.name for s in Presentation(io.BytesIO(render_deck(ctx, module))).slides}
    make_template(template, "Konten Baru")
    new = {s.slide_layout.name for s in Presentation(io.BytesIO(render_deck(ctx, module))).slides}
    assert "Konten Lama" in old and "Konten Baru" not in old
    assert "Konten Baru" in new and "Konten Lama" not in new
