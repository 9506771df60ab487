"""The deck's starting point: the project's `template.pptx`, or the built-in look from theme.yml.

Either way the renderer works through slide layouts and their placeholders, so a deck built from
a corporate template uses that template's title slide, content and section layouts, fonts and
colours, and a deck built without one is still a proper template-based deck: python-pptx's
default template is widened to 16:9 and its layouts are restyled from theme.yml (navy title bar,
gold rule, footer), so a facilitator who adds a slide in PowerPoint gets the same look.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from bimtek_kit.errors import BimtekError
from bimtek_kit.render.slides.layout import PT_PER_IN, Frame

EMU_PER_PT = 12700
WIDE = (960.0, 540.0)
"""PowerPoint's Widescreen, exactly 12 192 000 x 6 858 000 EMU (13.333 would be "Custom")."""
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_STANDARD_NAMES = {
    "cover": ("Title Slide",),
    "content": ("Title and Content",),
    "divider": ("Section Header",),
    "title_only": ("Title Only",),
}


class TemplateError(BimtekError):
    """The project's template.pptx cannot be used."""


def emu(points: float) -> Emu:
    return Emu(int(round(points * EMU_PER_PT)))


def pt(value: int | None) -> float:
    return (value or 0) / EMU_PER_PT


@dataclass
class LayoutRole:
    """One layout and the frames of its placeholders, in points."""

    layout: Any
    title: Frame | None = None
    body: Frame | None = None
    subtitle: Frame | None = None
    footer: Frame | None = None
    number: Frame | None = None
    caps: bool = False
    """The layout's title style is all capitals (measured as such)."""


@dataclass
class BaseDeck:
    prs: Any
    styled: bool
    """True for the built-in look: text colours and fonts are set explicitly from theme.yml."""
    width: float
    height: float
    roles: dict[str, LayoutRole] = field(default_factory=dict)
    body_font: str = "Arial"
    body: Frame = Frame(0, 0, 0, 0)
    """The content area of content slides."""
    margin: float = 36.0


@dataclass(frozen=True)
class Palette:
    """Hex colours (no '#') by role, resolved from theme.yml's `slides.colors` and `colors`."""

    values: dict[str, str]

    def __getitem__(self, role: str) -> str:
        return self.values[role]

    def rgb(self, role: str) -> RGBColor:
        return RGBColor.from_string(self.values[role])


DEFAULT_ROLES = {
    "text": "text", "muted": "muted", "primary": "primary", "accent": "accent",
    "title_bar": "primary", "title_text": "white", "rule": "accent", "dark_background": "primary",
    "dark_text": "white", "dark_muted": "tint", "footer": "muted", "footer_rule": "rule",
    "bullet": "primary", "table_header": "primary", "table_header_text": "white",
    "table_band": "tint", "table_body": "white", "table_border": "rule", "callout": "tint_accent",
    "callout_bar": "accent", "callout_bar_tips": "primary", "callout_bar_info": "muted",
    "callout_text": "text", "quote_bar": "primary", "code": "tint",
    "link": "primary", "white": "white",
}


def palette(theme_colors: dict[str, Any], slide_colors: dict[str, Any] | None) -> Palette:
    """Map every colour role to a hex value; a role may name a theme colour or give a hex."""
    roles = {**DEFAULT_ROLES, **(slide_colors or {})}
    values: dict[str, str] = {}
    for role, name in roles.items():
        raw = str(theme_colors.get(str(name), name)).strip()
        hex_value = raw.lstrip("#")
        if len(hex_value) != 6 or any(c not in "0123456789abcdefABCDEF" for c in hex_value):
            raise TemplateError(f"theme colour '{role}': '{raw}' is not a colour like #1B3A5C")
        values[role] = hex_value.upper()
    return Palette(values)


# --- opening -----------------------------------------------------------------------------------


def open_base(template: Path | None, settings: dict[str, Any], pal: Palette,
              font: str) -> BaseDeck:
    """The project's template.pptx (slides removed), or the restyled built-in template.

    Every deck of a build starts from the same base: it is made once per process, kept as
    saved bytes, and each deck reopens those (a tenth of the cost of restyling it again).
    """
    key = _base_key(template, settings, pal, font)
    cached = _BASES.get(key)
    if cached is None:
        deck = _make_base(template, settings, pal, font)
        if len(_BASES) >= 8:  # `bimtek serve` runs for hours while the template is edited
            _BASES.pop(next(iter(_BASES)))
        _BASES[key] = cached = _BaseRecipe.of(deck)
    return cached.open()


@dataclass(frozen=True)
class _BaseRecipe:
    """A made base deck: its saved bytes and the roles found in it, by layout position."""

    blob: bytes
    styled: bool
    width: float
    height: float
    body_font: str
    body: Frame
    margin: float
    roles: tuple[tuple[str, int, LayoutRole], ...]
    rel_order: dict[str, tuple[str, ...]]
    """Each part's relationship ids in their in-memory order: a saved package lists them
    sorted, and the order decides the order of the parts in every deck saved from this base."""

    @classmethod
    def of(cls, deck: BaseDeck) -> _BaseRecipe:
        buffer = io.BytesIO()
        deck.prs.save(buffer)
        layouts = list(deck.prs.slide_layouts)
        roles = tuple((name, _index_of(layouts, role.layout), replace(role, layout=None))
                      for name, role in deck.roles.items())
        return cls(buffer.getvalue(), deck.styled, deck.width, deck.height, deck.body_font,
                   deck.body, deck.margin, roles, _rel_order(deck.prs))

    def open(self) -> BaseDeck:
        prs = Presentation(io.BytesIO(self.blob))
        _restore_rel_order(prs, self.rel_order)
        layouts = list(prs.slide_layouts)
        roles = {name: replace(role, layout=layouts[index]) for name, index, role in self.roles}
        return BaseDeck(prs, self.styled, self.width, self.height, roles, self.body_font,
                        self.body, self.margin)


_BASES: dict[tuple[Any, ...], _BaseRecipe] = {}


def _rel_order(prs: Any) -> dict[str, tuple[str, ...]]:
    package = prs.part.package
    order = {"": tuple(package._rels)}
    for part in package.iter_parts():
        order[str(part.partname)] = tuple(part.rels)
    return order


def _restore_rel_order(prs: Any, order: dict[str, tuple[str, ...]]) -> None:
    package = prs.part.package
    owners = [("", package._rels), *((str(p.partname), p.rels) for p in package.iter_parts())]
    for name, rels in owners:
        wanted = order.get(name, ())
        table = rels._rels
        ordered = {rid: table[rid] for rid in wanted if rid in table}
        ordered.update(table)
        table.clear()
        table.update(ordered)


def _index_of(layouts: list[Any], layout: Any) -> int:
    return next(i for i, candidate in enumerate(layouts) if candidate.part is layout.part)


def _base_key(template: Path | None, settings: dict[str, Any], pal: Palette,
              font: str) -> tuple[Any, ...]:
    """What a base deck depends on: the template's bytes, the settings, colours and font."""
    stamp = None
    if template is not None:
        try:
            stamp = (str(template), hashlib.sha256(template.read_bytes()).hexdigest())
        except OSError:
            stamp = (str(template), None)
    return (stamp, json.dumps(settings, sort_keys=True, default=str),
            tuple(sorted(pal.values.items())), font)


def _make_base(template: Path | None, settings: dict[str, Any], pal: Palette,
               font: str) -> BaseDeck:
    """Open and restyle: the work `open_base` does once per base."""
    margin = float(settings.get("margin_in", 0.5)) * PT_PER_IN
    if template is not None:
        try:
            prs = Presentation(str(template))
        except Exception as exc:  # noqa: BLE001 - any parse failure is the template's problem
            raise TemplateError(f"{template}: not a usable PowerPoint template ({exc})") from None
        _remove_slides(prs)
        deck = BaseDeck(prs, False, pt(prs.slide_width), pt(prs.slide_height), margin=margin)
        deck.body_font = _theme_font(prs) or font
    else:
        prs = Presentation()
        deck = BaseDeck(prs, True, *WIDE, margin=margin, body_font=font)
        _widen(prs, *WIDE)
        _style_builtin(deck, pal, font)
    _find_roles(deck, settings.get("layouts") or {})
    return deck


def _remove_slides(prs: Any) -> None:
    """Drop the template's own slides; their parts become unreachable and are not saved."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)


def _theme_font(prs: Any) -> str | None:
    """The template's minor (body) Latin font, used for the text boxes we draw ourselves."""
    try:
        theme_part = prs.slide_master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme_part.blob)
    except (KeyError, etree.XMLSyntaxError):
        return None
    latin = root.find(f".//{{{NS_A}}}minorFont/{{{NS_A}}}latin")
    typeface = latin.get("typeface") if latin is not None else None
    return typeface or None


# --- finding layouts ---------------------------------------------------------------------------


def _find_roles(deck: BaseDeck, names: dict[str, Any]) -> None:
    layouts = list(deck.prs.slide_layouts)
    height = deck.prs.slide_height
    by_name = {layout.name: layout for layout in layouts}

    def named(role: str) -> Any | None:
        wanted = names.get(role)
        if wanted:
            if wanted not in by_name:
                available = ", ".join(sorted(by_name))
                raise TemplateError(
                    f"template.pptx has no slide layout named '{wanted}' (for {role} slides); "
                    f"available: {available}"
                )
            return by_name[wanted]
        return next((by_name[n] for n in _STANDARD_NAMES.get(role, ()) if n in by_name), None)

    content = named("content") or _by_types(layouts, "content", height)
    title_only = named("title_only") or _by_types(layouts, "title_only", height)
    cover = named("cover") or _by_types(layouts, "cover", height)
    divider = named("divider") or _by_types(layouts, "divider", height)
    blank = min(layouts, key=lambda layout: len(layout.placeholders))
    content = content or title_only or blank
    styled = deck.styled
    deck.roles["content"] = _role(content, styled)
    deck.roles["cover"] = _role(cover or title_only or content, styled)
    deck.roles["divider"] = _role(divider or cover or title_only or content, styled)
    closing = names.get("closing")
    deck.roles["closing"] = (_role(by_name[closing], styled) if closing in by_name
                             else deck.roles["cover"])
    deck.body = _body_frame(deck)


def _types(layout: Any) -> list[Any]:
    return [ph.placeholder_format.type for ph in layout.placeholders]


def _by_types(layouts: list[Any], role: str, slide_height: int) -> Any | None:
    """Find a layout by what it holds when the template renamed (or translated) its layouts."""
    for layout in layouts:
        types = _types(layout)
        has_title = any(t in _TITLE_TYPES for t in types)
        bodies = [t for t in types if t in _BODY_TYPES]
        if role == "cover" and PP_PLACEHOLDER.CENTER_TITLE in types:
            return layout
        if role == "content" and has_title and len(bodies) == 1 and _big_body(layout, slide_height):
            return layout
        if role == "title_only" and has_title and not bodies and \
                PP_PLACEHOLDER.PICTURE not in types:
            return layout
        if role == "divider" and PP_PLACEHOLDER.TITLE in types and len(bodies) == 1 \
                and not _big_body(layout, slide_height):
            return layout
    return None


def _big_body(layout: Any, slide_height: int) -> bool:
    """A body placeholder taller than a third of the slide: a content area, not a caption."""
    for ph in layout.placeholders:
        if ph.placeholder_format.type in _BODY_TYPES and ph.placeholder_format.idx == 1:
            return bool(ph.height and ph.height * 3 > slide_height)
    return False


def _role(layout: Any, styled: bool) -> LayoutRole:
    role = LayoutRole(layout)
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        frame = Frame(pt(ph.left), pt(ph.top), pt(ph.width), pt(ph.height))
        if kind in _TITLE_TYPES and role.title is None:
            role.title = frame
            role.caps = not styled and _caps(ph._element, layout)
        elif kind == PP_PLACEHOLDER.SUBTITLE:
            role.subtitle = frame
        elif kind in _BODY_TYPES and ph.placeholder_format.idx == 1:
            role.body = frame
        elif kind == PP_PLACEHOLDER.FOOTER:
            role.footer = frame
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            role.number = frame
    return role


def _caps(element: Any, layout: Any) -> bool:
    """True when the title text is shown in capitals (cap="all" on the layout or master)."""
    for source in (element, layout.slide_master.element.find(f".//{{{NS_P}}}titleStyle")):
        if source is None:
            continue
        for r_pr in source.iter(f"{{{NS_A}}}defRPr"):
            if r_pr.get("cap") is not None:
                return r_pr.get("cap") == "all"
    return False


def _body_frame(deck: BaseDeck) -> Frame:
    """Where content goes: the layout's body placeholder, else between title and footer."""
    role = deck.roles["content"]
    margin = deck.margin
    footer_top = min((f.y for f in (role.footer, role.number) if f), default=None)
    bottom = (footer_top - 6.0) if footer_top else deck.height - margin - 0.45 * PT_PER_IN
    if role.body is not None:
        body = role.body
        bottom = min(body.bottom, bottom) if footer_top else body.bottom
        return Frame(body.x, body.y, body.w, max(bottom - body.y, 72.0))
    top = (role.title.bottom + 12.0) if role.title else margin
    return Frame(margin, top, deck.width - 2 * margin, max(bottom - top, 72.0))


def title_frame(deck: BaseDeck, role: str) -> Frame:
    """The title area of a layout role (a drawn title uses the same place)."""
    found = deck.roles[role].title
    if found is not None:
        return found
    margin = deck.margin
    return Frame(margin, margin * 0.5, deck.width - 2 * margin, 1.1 * PT_PER_IN)


# --- the built-in look -------------------------------------------------------------------------

# Positions (inches) of the built-in 16:9 layouts; colours and fonts come from theme.yml.
_BAR_H = 1.2
"""Title bar height: two title lines at 26 pt, no more, so the body keeps its room."""
_BODY_TOP = _BAR_H + 0.05 + 0.22
_FOOTER_TOP = 6.72
_FOOTER_H = 0.3


def _widen(prs: Any, width: float, height: float) -> None:
    """Make the default 4:3 template 16:9, stretching every master and layout shape."""
    ratio = width * EMU_PER_PT / prs.slide_width
    prs.slide_width = emu(width)
    prs.slide_height = emu(height)
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.shapes:
            xfrm = shape._element.find(f".//{{{NS_A}}}xfrm")
            if xfrm is None:
                continue
            shape.left = Emu(int(shape.left * ratio))
            shape.width = Emu(int(shape.width * ratio))


def _style_builtin(deck: BaseDeck, pal: Palette, font: str) -> None:
    """Restyle the default template's layouts from theme.yml (the look of DESIGN §8)."""
    prs = deck.prs
    _set_theme(prs, pal, font)
    width_in = deck.width / PT_PER_IN
    inner = width_in - 1.0
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    for name in ("Title and Content", "Title Only"):
        layout = layouts[name]
        _place(layout, PP_PLACEHOLDER.TITLE, 0.5, 0.1, inner, _BAR_H - 0.2)
        _place(layout, PP_PLACEHOLDER.OBJECT, 0.5, _BODY_TOP, inner,
               _FOOTER_TOP - 0.17 - _BODY_TOP)
        _add_rect(layout, "Title bar", 0, 0, width_in, _BAR_H, pal["title_bar"])
        _add_rect(layout, "Title rule", 0, _BAR_H, width_in, 0.05, pal["rule"])
        _add_rect(layout, "Footer rule", 0.5, _FOOTER_TOP - 0.06, inner, 0.01, pal["footer_rule"])
    for name in ("Title Slide", "Section Header"):
        layout = layouts[name]
        layout.background.fill.solid()
        layout.background.fill.fore_color.rgb = pal.rgb("dark_background")
    cover = layouts["Title Slide"]
    _place(cover, PP_PLACEHOLDER.CENTER_TITLE, 0.5, 1.3, inner, 2.75)
    _place(cover, PP_PLACEHOLDER.SUBTITLE, 0.5, 4.45, inner, 2.05)
    _add_rect(cover, "Accent rule", 0.6, 4.22, 1.6, 0.07, pal["rule"])
    divider = layouts["Section Header"]
    _place(divider, PP_PLACEHOLDER.BODY, 0.5, 1.75, inner, 0.7)
    _place(divider, PP_PLACEHOLDER.TITLE, 0.5, 2.75, inner, 2.6)
    _add_rect(divider, "Accent rule", 0.6, 2.55, 1.6, 0.07, pal["rule"])
    for layout in prs.slide_layouts:
        _place(layout, PP_PLACEHOLDER.FOOTER, 0.5, _FOOTER_TOP, inner - 1.6, _FOOTER_H)
        _place(layout, PP_PLACEHOLDER.SLIDE_NUMBER, width_in - 2.1, _FOOTER_TOP, 1.6, _FOOTER_H)
        _place(layout, PP_PLACEHOLDER.DATE, 0.5, _FOOTER_TOP, 2.0, _FOOTER_H)


def _place(layout: Any, kind: Any, left: float, top: float, width: float, height: float) -> None:
    for ph in layout.placeholders:
        if ph.placeholder_format.type == kind:
            ph.left, ph.top = emu(left * PT_PER_IN), emu(top * PT_PER_IN)
            ph.width, ph.height = emu(width * PT_PER_IN), emu(height * PT_PER_IN)


def _add_rect(layout: Any, name: str, left: float, top: float, width: float, height: float,
              color: str) -> None:
    """A decorative filled rectangle on a layout, behind its placeholders."""
    tree = layout.shapes._spTree
    ids = [int(e.get("id")) for e in tree.iter(f"{{{NS_P}}}cNvPr") if e.get("id", "").isdigit()]
    shape_id = max(ids, default=1) + 1
    xml = (
        f'<p:sp xmlns:p="{NS_P}" xmlns:a="{NS_A}"><p:nvSpPr>'
        f'<p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{emu(left * PT_PER_IN)}" y="{emu(top * PT_PER_IN)}"/>'
        f'<a:ext cx="{emu(width * PT_PER_IN)}" cy="{emu(height * PT_PER_IN)}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        f"</p:spPr></p:sp>"
    )
    tree.insert(2, etree.fromstring(xml))


def _set_theme(prs: Any, pal: Palette, font: str) -> None:
    """Theme fonts and accent colours, so text a facilitator adds later matches the deck."""
    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme_part.blob)
    for tag in ("majorFont", "minorFont"):
        latin = root.find(f".//{{{NS_A}}}{tag}/{{{NS_A}}}latin")
        if latin is not None:
            latin.set("typeface", font)
    scheme = root.find(f".//{{{NS_A}}}clrScheme")
    if scheme is not None:
        for slot, role in (("dk2", "primary"), ("accent1", "primary"), ("accent2", "accent"),
                           ("hlink", "link")):
            element = scheme.find(f"{{{NS_A}}}{slot}")
            if element is not None:
                for child in list(element):
                    element.remove(child)
                etree.SubElement(element, f"{{{NS_A}}}srgbClr", val=pal[role])
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)


def clone_placeholder(slide: Any, layout_ph: Any) -> Any:
    """Copy a layout's footer or slide-number placeholder onto a slide (python-pptx skips them).

    The copy keeps only the placeholder reference and the text body, so its position and style
    stay inherited from the layout, as PowerPoint does when it inserts a footer. Returns the
    new `p:sp` element.
    """
    element = copy.deepcopy(layout_ph._element)
    tree = slide.shapes._spTree
    ids = [int(e.get("id")) for e in tree.iter(f"{{{NS_P}}}cNvPr") if e.get("id", "").isdigit()]
    c_nv_pr = element.find(f".//{{{NS_P}}}cNvPr")
    c_nv_pr.set("id", str(max(ids, default=1) + 1))
    sp_pr = element.find(f"{{{NS_P}}}spPr")
    if sp_pr is not None:
        for child in list(sp_pr):
            sp_pr.remove(child)
    tree.append(element)
    return element
