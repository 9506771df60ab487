"""Pembagian kelompok as slides: `panitia/kelompok.pptx`, handed by the panitia to the facilitator.

The facilitators' own decks (`fasilitator/slide/`) may not carry names: roster data appears only
under `panitia/` (DESIGN §7). So the groups get a 16:9 deck of their own, made with the organisers'
kit and projected from it: one slide with the groups and their members, then one per simulasi
with each member's role. A group is a card in a grid; the grid's columns and text size are
chosen by measuring (the slide decks' font metrics and line breaking) so that a set needs as
few slides as it can at the largest size that allows it, and a set that cannot fit one slide
continues on "… (lanjutan)" slides. The slide decks' `DeckWriter` draws it: the theme's colours
and fonts, editable text boxes, the same footer and slide numbers.

Names are printed without academic titles (as on the certificate): the slide is read from the
back of the room, and a degree is not what tells a participant where to sit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bimtek_kit.model import Span
from bimtek_kit.render.base import RenderContext
from bimtek_kit.render.organiser.common import kit_labels

if TYPE_CHECKING:
    from bimtek_kit.render.organiser.groups import Group, Simulation
    from bimtek_kit.render.slides.draw import PagePlan
    from bimtek_kit.render.slides.layout import Frame, Placed, TextBox, TextMeasure
    from bimtek_kit.render.slides.template import BaseDeck

MAX_COLUMNS = 6
"""More cards side by side than this leave too little width for a name at 14 pt."""
CARD = "callout"
"""A group is drawn as a callout box: tinted, with the theme's bar on its left."""
CARD_TONE = "tips"
LINE_GAP = 0.2
"""Space between two lines of a card, in em."""
FIT_SAMPLE = 48
"""Groups measured to choose a set's text size and columns."""


@dataclass(frozen=True)
class GroupSlideSet:
    """The groups as one set of slides: their members, or their roles in one simulasi."""

    title: str
    cards: tuple[TextBox, ...]


@dataclass(frozen=True)
class Grid:
    size: float
    columns: int
    slides: tuple[tuple[Placed, ...], ...]


def group_sets(ctx: RenderContext, groups: Sequence[Group],
               sims: Sequence[Simulation]) -> list[GroupSlideSet]:
    """The members' set, then a set per simulasi (each member with their role in it)."""
    from bimtek_kit.render.slides.layout import Para, TextBox

    labels = kit_labels(ctx)

    def card(group: Group, lines: list[tuple[Span, ...]]) -> TextBox:
        heading = Para((Span(f"{labels.group} {group.number}"),), role="heading", counts=False)
        return TextBox(CARD, tuple(Para(spans) for spans in lines), heading=heading,
                       tone=CARD_TONE)

    sets = [GroupSlideSet(labels.groups, tuple(
        card(g, [(Span(m.participant.plain_name),) for m in g.members]) for g in groups))]
    for index, sim in enumerate(sims):
        title = labels.simulation_roles.replace("{label}", sim.label).replace("{title}",
                                                                              sim.title)
        sets.append(GroupSlideSet(title, tuple(card(g, cast(g, index, sim.roles)) for g in groups)))
    return sets


def cast(group: Group, sim: int, roles: Sequence[str]) -> list[tuple[Span, ...]]:
    """`Petugas: Budi Santoso`, one line per role in the simulasi's order, the observers last
    on one line (`Pengamat: Ani, Dewi, Eko`): a cast list, not a roster."""
    by_role: dict[str, list[str]] = {role: [] for role in roles}
    for member in group.members:
        by_role.setdefault(member.roles[sim], []).append(member.participant.plain_name)
    return [(Span(f"{role}: ", bold=True), Span(", ".join(names)))
            for role, names in by_role.items() if names]


def fit_grid(cards: Sequence[TextBox], body: Frame, measure_at: Callable[[float], TextMeasure],
             sizes: Sequence[float]) -> Grid:
    """The largest size (then the fewest columns) that needs the fewest slides.

    Sizes are tried from the largest: the first grid that fits one slide is the answer. A long
    roster is sized on its first `FIT_SAMPLE` groups (groups are alike: sizes differ by one at
    most), then laid out whole at that size, so the search costs the same for any roster."""
    sample = cards[:FIT_SAMPLE]
    best: tuple[int, float, int] | None = None
    for size in sizes:
        for columns in range(1, min(MAX_COLUMNS, len(sample)) + 1):
            count = len(place_cards(sample, body, measure_at(size), columns))
            if best is None or count < best[0]:
                best = (count, size, columns)
            if count == 1:
                break
        if best is not None and best[0] == 1:
            break
    assert best is not None
    _count, size, columns = best
    return Grid(size, columns, place_cards(cards, body, measure_at(size), columns))


def place_cards(cards: Sequence[TextBox], body: Frame, measure: TextMeasure,
                columns: int) -> tuple[tuple[Placed, ...], ...]:
    """Cards in newspaper columns: down the first column, then the next, then the next slide.

    Each slide takes as many cards as its columns hold, then spreads them evenly (the lowest
    column height that still holds them), so the last column is not left nearly empty. A card
    taller than the whole body (a big group at a large size) is cut into pieces that fit; the
    pieces repeat its heading."""
    from bimtek_kit.render.slides.layout import BAR, BOX_INSETS, GAP, Frame, Placed

    insets = BOX_INSETS[CARD]
    cell_w = (body.w - (columns - 1) * GAP) / columns
    card_w = cell_w - BAR[CARD]
    inner = card_w - insets.left - insets.right
    pad = insets.top + insets.bottom

    def height(box: TextBox) -> float:
        assert box.heading is not None
        return pad + measure.block_height((box.heading, *box.paras), inner)

    pieces: list[TextBox] = []
    heights: list[float] = []
    for box in cards:
        box_h = height(box)
        for piece in [box] if box_h <= body.h else _split(box, body.h, height):
            pieces.append(piece)
            heights.append(box_h if piece is box else height(piece))
    slides = []
    first = 0
    while first < len(pieces):
        count = max(1, len(_columns_of(heights[first:], columns, body.h)))
        chunk = heights[first:first + count]
        spots = _columns_of(chunk, columns, _even_height(chunk, columns, body.h))
        slides.append(tuple(
            Placed(box, Frame(body.x + column * (cell_w + GAP) + BAR[CARD], body.y + top,
                              card_w, box_h))
            for box, box_h, (column, top) in zip(pieces[first:first + count], chunk, spots,
                                                  strict=True)))
        first += count
    return tuple(slides)


def _columns_of(heights: Sequence[float], columns: int, limit: float) -> list[tuple[int, float]]:
    """(column, top) of each leading card that fits `columns` columns of height `limit`."""
    from bimtek_kit.render.slides.layout import GAP

    spots: list[tuple[int, float]] = []
    column, used = 0, 0.0
    for box_h in heights:
        top = used + GAP if used else 0.0
        if used and top + box_h > limit:
            column, top = column + 1, 0.0
        if column == columns:
            break
        spots.append((column, top))
        used = top + box_h
    return spots


def _even_height(heights: Sequence[float], columns: int, limit: float) -> float:
    """The lowest column height (to a point) at which `heights` still fit `columns` columns."""
    low, high = max(heights), limit
    while high - low > 1.0:
        middle = (low + high) / 2
        if len(_columns_of(heights, columns, middle)) == len(heights):
            high = middle
        else:
            low = middle
    return high


def _split(box: TextBox, room: float, height: Callable[[TextBox], float]) -> list[TextBox]:
    """`box`, or pieces of it that are each at most `room` tall (one member at least)."""
    if height(box) <= room or len(box.paras) < 2:
        return [box]
    pieces: list[TextBox] = []
    rest = box.paras
    while rest:
        count = 1
        while count < len(rest) and height(replace(box, paras=rest[:count + 1])) <= room:
            count += 1
        pieces.append(replace(box, paras=rest[:count]))
        rest = rest[count:]
    return pieces


def render_group_deck(ctx: RenderContext, groups: Sequence[Group],
                      sims: Sequence[Simulation]) -> bytes:
    """The deck's bytes: every set fitted, titled and drawn on the theme's base deck."""
    from bimtek_kit.render.slides.draw import DeckWriter
    from bimtek_kit.render.slides.renderer import (
        core_properties,
        deck_language,
        open_deck,
        reproducible_bytes,
    )

    deck, pal, measure, mono = open_deck(ctx)
    measure_at = measures(measure)
    labels = kit_labels(ctx)
    config = ctx.course.config
    writer = DeckWriter(deck, pal, measure, mono=mono, language=deck_language(ctx),
                        measure_at=measure_at, logo=None,
                        footer_text=f"{config.display_short_title} · {labels.groups}")
    for group_set in group_sets(ctx, groups, sims):
        for page in set_pages(ctx, group_set, deck, measure, measure_at):
            writer.add(page)
    core_properties(deck.prs, ctx, labels.groups, config.display_short_title,
                    deck_language(ctx))
    return reproducible_bytes(deck.prs, ctx.source_date_epoch)


def measures(measure: TextMeasure) -> Callable[[float], TextMeasure]:
    """A measure per body size (cached: its line-break cache is reused across the grids).

    Member lines are body paragraphs; down to the floor size they are set at the size the grid
    chose, so `body_min` must not hold them above it. They are list lines, not prose: a fifth
    of a line between them instead of half (the writer draws with the same measure)."""
    from bimtek_kit.render.slides.layout import Para, TextMeasure

    class CardMeasure(TextMeasure):
        def space_before(self, para: Para) -> float:
            return LINE_GAP * self.size(para)

    cache: dict[float, TextMeasure] = {}

    def at(size: float) -> TextMeasure:
        found = cache.get(size)
        if found is None:
            typo = replace(measure.typo, body=size, body_min=min(size, measure.typo.body_min))
            found = cache[size] = CardMeasure(measure.fm, typo)
        return found

    return at


def set_pages(ctx: RenderContext, group_set: GroupSlideSet, deck: BaseDeck,
              measure: TextMeasure,
              measure_at: Callable[[float], TextMeasure]) -> list[PagePlan]:
    """The set's slides: its grid, each slide titled (continuations "… (lanjutan)")."""
    from bimtek_kit.render.slides.draw import PagePlan, clean
    from bimtek_kit.render.slides.layout import _sizes, fit_title
    from bimtek_kit.render.slides.renderer import continuation_suffix
    from bimtek_kit.render.slides.template import title_frame

    typo = measure.typo
    grid = fit_grid(group_set.cards, deck.body, measure_at, _sizes(typo.body_max, typo.floor))
    title = " ".join(clean(group_set.title).split())
    pages = []
    for index, placed in enumerate(grid.slides):
        suffix = continuation_suffix(ctx.theme.labels.continued, index)
        fit = fit_title(measure.fm, title, title_frame(deck, "content"), typo.title,
                        typo.title_min, suffix=suffix, caps=deck.roles["content"].caps)
        pages.append(PagePlan("content", fit, list(placed), body_size=grid.size))
    return pages
