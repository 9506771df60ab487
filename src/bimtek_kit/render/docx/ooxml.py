"""Small WordprocessingML edits python-docx has no API for: fields, shading, borders, repeating
header rows, restarted numbering, hyperlinks and picture descriptions.

python-docx is imported inside the functions that need it, as everywhere in the renderers.
"""

from __future__ import annotations

from typing import Any


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def remember_style_ids(document: Any, ids: dict[tuple[object, ...], str | None]) -> None:
    """Look each style up once instead of on every styled paragraph; `ids` holds the answers
    and may be shared by documents with the same styles.

    Setting a paragraph's style makes python-docx compare it with the default paragraph style,
    which it finds by reading the type of every style in the document: 60 % of the handbook
    DOCX's time (issue #23: the whole-course DOCX made a one-module edit cost 28 % of a cold
    build at 60 modules), and still 7 % of a module's part when looked up once per part. The
    styles are all defined before the first paragraph (`setup._styles`), so a kept id never
    goes stale.
    """
    from docx.styles.style import BaseStyle

    part = document.part
    look_up = part.get_style_id

    def style_id(style_or_name: Any, style_type: Any) -> str | None:
        if style_or_name is None:
            return None
        key = ((True, style_or_name.style_id) if isinstance(style_or_name, BaseStyle)
               else (False, str(style_or_name)), style_type)
        if key not in ids:
            ids[key] = look_up(style_or_name, style_type)
        return ids[key]

    part.get_style_id = style_id


def add_field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A complex field (`PAGE`, `TOC …`) Word computes; `placeholder` shows until then."""
    run = paragraph.add_run()
    run._r.append(_element("w:fldChar", fldCharType="begin", dirty="true"))
    code = paragraph.add_run()._r
    text = _element("w:instrText")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = f" {instruction} "
    code.append(text)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="separate"))
    if placeholder:
        paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(_element("w:fldChar", fldCharType="end"))


def update_fields_on_open(document: Any) -> None:
    """Ask Word to refresh every field (the TOC) when the file is opened."""
    settings = document.settings.element
    for old in settings.findall(_qn("w:updateFields")):
        settings.remove(old)
    settings.append(_element("w:updateFields", val="true"))


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)  # type: ignore[no-any-return]


def shade_cell(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", val="clear", color="auto", fill=fill.lstrip("#")))


def cell_borders(cell: Any, **sides: tuple[float, str] | None) -> None:
    """Borders of one cell: `left=(3, "#1B3A5C")` in points; None for no border."""
    properties = cell._tc.get_or_add_tcPr()
    borders = _element("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        spec = sides.get(side)
        if spec is None:
            borders.append(_element(f"w:{side}", val="nil"))
        else:
            width, colour = spec
            borders.append(_element(f"w:{side}", val="single", sz=str(round(width * 8)),
                                    space="0", color=colour.lstrip("#")))
    properties.append(borders)


def cell_margins(table: Any, top: int, left: int, bottom: int, right: int) -> None:
    """Inner cell margins of a whole table, in twentieths of a point."""
    properties = table._tbl.tblPr
    margins = _element("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margins.append(_element(f"w:{side}", w=str(value), type="dxa"))
    properties.append(margins)


def repeat_header(row: Any) -> None:
    """Mark a table's first row as a header row that repeats on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(_element("w:tblHeader", val="true"))


def keep_row_together(row: Any) -> None:
    row._tr.get_or_add_trPr().append(_element("w:cantSplit", val="true"))


def describe_picture(inline_shape: Any, alt: str, title: str = "") -> None:
    """Alt text for screen readers: `wp:docPr/@descr` (Word's "Alt Text")."""
    doc_pr = inline_shape._inline.docPr
    doc_pr.set("descr", alt)
    if title:
        doc_pr.set("title", title)


def restart_numbering(document: Any, style_name: str, start: int = 1) -> int:
    """A new numbering instance of `style_name`'s list that starts at `start`; its numId.

    Word continues "List Number" across the whole document; each ordered list of the model
    starts afresh, so each gets its own `w:num` pointing at the style's abstract numbering.
    """
    style = document.styles[style_name]
    num_pr = style.element.pPr.numPr
    numbering = document.part.numbering_part.numbering_definitions._numbering
    base = numbering.num_having_numId(num_pr.numId.val)
    abstract_id = base.abstractNumId.val
    num = numbering.add_num(abstract_id)
    override = _element("w:lvlOverride", ilvl="0")
    override.append(_element("w:startOverride", val=str(start)))
    num.append(override)
    return int(num.numId)


def set_numbering(paragraph: Any, num_id: int, level: int = 0) -> None:
    properties = paragraph._p.get_or_add_pPr()
    num_pr = properties.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def add_hyperlink(paragraph: Any, url: str) -> Any:
    """A `w:hyperlink` to an external `url`; runs go inside the returned element."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = _element("w:hyperlink")
    link.set(_qn("r:id"), r_id)
    paragraph._p.append(link)
    return link


def page_break_before(paragraph: Any) -> None:
    paragraph.paragraph_format.page_break_before = True
