"""LMS items -> GIFT, Moodle's plain-text import format.

GIFT gives `~ = # { } :` a meaning, so every one of them in a text is escaped with a backslash
(and the backslash itself first); a line break inside a text is written `\\n`. GIFT cannot carry
files, so an image is named in brackets where it stood.
"""

from __future__ import annotations

from bimtek_kit.render.lms.items import Category, Item, split_pictures

_SPECIAL = "\\~=#{}:"


def gift_escape(text: str) -> str:
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def gift(categories: list[Category]) -> bytes:
    blocks: list[str] = []
    for category in categories:
        blocks.append(f"$CATEGORY: {category.path}")
        blocks += [_question(item) for item in category.items]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _text(item: Item) -> str:
    parts = []
    for part in split_pictures(item.text):
        if isinstance(part, int):
            parts.append(f"[{item.pictures[part].alt or item.pictures[part].name}]")
        else:
            parts.append(part)
    return gift_escape("".join(parts))


def _question(item: Item) -> str:
    head = f"::{gift_escape(item.name)}:: {_text(item)} "
    # GIFT has no grader information: an essay's model answer goes with the general feedback.
    said = "\n\n".join(t for t in (item.feedback, item.answer if item.kind == "essay" else "")
                       if t)
    feedback = f"\n\t####{gift_escape(said)}" if said else ""
    if item.kind == "multichoice":
        options = "".join(f"\n\t{'=' if i == item.correct else '~'}{gift_escape(option)}"
                          for i, option in enumerate(item.options))
        return head + "{" + options + feedback + "\n}"
    if item.kind == "truefalse":
        return head + "{" + ("TRUE" if item.truth else "FALSE") + feedback + "}"
    if item.kind == "shortanswer":
        return head + "{=" + gift_escape(item.answer) + feedback + "}"
    return head + "{" + feedback + "}"
