"""Whole Word documents joined from parts written module by module (issue #23).

Each part is a small DOCX of its own, made with the same `setup.new_document` (so its styles
and numbering definitions are the whole document's). Joining copies the body of each part into
the whole document and gives what the copied XML points at a home there: pictures and
hyperlinks (relationships), restarted list numbering (`w:num`) and drawing ids (`wp:docPr`).
They are handed out in document order, as writing the whole document in one go does, so the
joined file is the one the whole-course writer made.

The copied bodies are kept as serialised XML and put into `word/document.xml` when it is saved,
not grafted into the document's tree: the tree of a 300-module handbook took a worker to
414 MiB (issue #23), its XML is a tenth of that.

Before this, every edit of one module wrote both whole-course DOCX files again: at 60 modules
9.4 of the edit's 16.1 CPU seconds. Now an edit writes one part of each and the joins.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REFERENCES = tuple(f"{{{_R}}}{name}" for name in ("id", "embed", "link"))
"""Attributes that name a relationship of the document part."""


class PartJoiner:
    """Appends parts' bodies to `document`, in order, before its final section properties.

    Made right after `new_document`, before the front matter is written: the numbering it finds
    then is the template's, which parts share; every other list of a part is numbered anew."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.body = document.element.body
        self.numbering = document.part.numbering_part.numbering_definitions._numbering
        self.template_nums = {int(num.numId) for num in self.numbering.num_lst}
        """The numbering instances every new document has: the list styles point at them."""
        self._next_num_id = 0
        self._next_drawing_id: int | None = None
        self.bodies: list[bytes] = []
        """Each appended part's body, serialised, in order."""

    def joined(self, parts: list[bytes], source_date_epoch: int) -> bytes:
        """The document with `parts` appended in order, saved reproducibly."""
        from lxml import etree

        from bimtek_kit.render.docx.setup import reproducible_bytes

        for part in parts:
            self.append(part)
        self.body.sectPr.addprevious(etree.Element(_PLACE))
        return reproducible_bytes(self.document, source_date_epoch, self._put_bodies)

    def _put_bodies(self, name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        before, found, after = data.partition(_PLACE_XML)
        if not found:
            raise ValueError("docx join: the parts' place is missing from the document")
        return b"".join([before, *self.bodies, after])

    def append(self, part: bytes) -> None:
        from docx.oxml.parser import parse_xml

        with zipfile.ZipFile(io.BytesIO(part)) as source:
            body = parse_xml(source.read("word/document.xml")).body
            relationships = _relationships(source.read("word/_rels/document.xml.rels"))
            nums = {int(num.numId): num for num in
                    parse_xml(source.read("word/numbering.xml")).num_lst}
            media = {target: source.read(f"word/{target}") for _, target, external
                     in relationships.values() if not external and target.startswith("media/")}
        new_ids: dict[str, str] = {}
        new_nums: dict[int, int] = {}
        if body.sectPr is not None:
            body.remove(body.sectPr)
        for element in body.iter():
            self._relink(element, relationships, media, new_ids)
            if element.tag == f"{{{_W}}}numId":
                self._renumber(element, nums, new_nums)
            elif element.tag == f"{{{_WP}}}docPr":
                element.set("id", str(self._drawing_id()))
        self.bodies.append(_inner_xml(body))

    def _relink(self, element: Any, relationships: dict[str, tuple[str, str, bool]],
                media: dict[str, bytes], new_ids: dict[str, str]) -> None:
        for attribute in _REFERENCES:
            old = element.get(attribute)
            if old is None:
                continue
            if old not in new_ids:
                kind, target, external = relationships[old]
                part = self.document.part
                if external:
                    new_ids[old] = part.relate_to(target, kind, is_external=True)
                else:
                    new_ids[old], _image = part.get_or_add_image(io.BytesIO(media[target]))
            element.set(attribute, new_ids[old])

    def _renumber(self, element: Any, nums: dict[int, Any], new_nums: dict[int, int]) -> None:
        """A list the part numbered afresh gets its own `w:num` here, with the same start."""
        old = int(element.get(f"{{{_W}}}val"))
        if old in self.template_nums:
            return
        if old not in new_nums:
            source = nums[old]
            num = self._add_num(source.abstractNumId.val)
            for override in source.findall(f"{{{_W}}}lvlOverride"):
                num.append(override)
            new_nums[old] = int(num.numId)
        element.set(f"{{{_W}}}val", str(new_nums[old]))

    def _add_num(self, abstract_id: int) -> Any:
        """A `w:num` with the next id. python-docx's `add_num` looks for the lowest free id
        with a list search per candidate, cubic in the number of lists: minutes at 300
        modules. The ids here are contiguous, so the next one is the lowest free one too."""
        from docx.oxml.numbering import CT_Num

        if not self._next_num_id:
            self._next_num_id = max(int(num.numId) for num in self.numbering.num_lst) + 1
        num = CT_Num.new(self._next_num_id, abstract_id)
        self._next_num_id += 1
        return self.numbering._insert_num(num)

    def _drawing_id(self) -> int:
        """The next free drawing id (python-docx hands out one above every id in the body)."""
        if self._next_drawing_id is None:
            ids = [int(v) for v in self.body.xpath("//@id") if v.isdigit()]
            self._next_drawing_id = max(ids, default=0) + 1
        self._next_drawing_id += 1
        return self._next_drawing_id - 1


_PLACE = f"{{{_W}}}bimtekParts"
_PLACE_XML = b"<w:bimtekParts/>"
"""Where the parts' bodies go in the saved `word/document.xml`."""


def _inner_xml(body: Any) -> bytes:
    """The children of a part's `w:body` as they serialise inside the whole document: the
    part and the document declare the same namespaces (same template) on `w:document`."""
    from lxml import etree

    if not len(body):
        return b""
    xml = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    return xml[xml.index(b">") + 1:xml.rindex(b"</")]


def _relationships(xml: bytes) -> dict[str, tuple[str, str, bool]]:
    """rId -> (type, target, external) of a part's `document.xml.rels`."""
    from lxml import etree

    return {rel.get("Id"): (rel.get("Type"), rel.get("Target"),
                            rel.get("TargetMode") == "External")
            for rel in etree.fromstring(xml).iter(f"{{{_PACKAGE_RELS}}}Relationship")}
