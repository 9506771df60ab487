"""LMS items -> Moodle XML, element for element as Moodle's own export writes it.

The layout follows `question/format/xml/tests/fixtures/` and the expected exports in
`xmlformat_test.php` of the Moodle source: a `category` pseudo-question before each bank, then
per question `name`, `questiontext` (HTML in CDATA, images as base64 `<file>` children referred
to as `@@PLUGINFILE@@/name`), `generalfeedback`, `defaultgrade`, `penalty`, `hidden`,
`idnumber`, and the type's own elements.
"""

from __future__ import annotations

import base64
from html import escape as html_escape
from xml.sax.saxutils import escape

from bimtek_kit.render.lms.items import Category, Item, split_pictures

PENALTY = {"multichoice": "0.3333333", "truefalse": "1", "shortanswer": "0.3333333", "essay": "0"}
"""Moodle's defaults: the share of the mark lost for each wrong try (interactive mode)."""


def moodle_xml(categories: list[Category]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for category in categories:
        lines += _category(category)
        for item in category.items:
            lines += _question(item)
    lines.append("</quiz>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def cdata(text: str) -> str:
    """`<text>` content: HTML in CDATA (a `]]>` inside split as Moodle does), plain escaped."""
    if "<" not in text and "&" not in text:
        return escape(text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text_element(tag: str, text: str, fmt: str = "html", indent: str = "    ",
                  files: str = "") -> list[str]:
    return [f'{indent}<{tag} format="{fmt}">', f"{indent}  <text>{cdata(text)}</text>{files}",
            f"{indent}</{tag}>"]


def _category(category: Category) -> list[str]:
    return [
        "<!-- question: 0  -->",
        '  <question type="category">',
        "    <category>",
        f"      <text>{escape(category.path)}</text>",
        "    </category>",
        *_text_element("info", html_paragraphs(category.info)),
        "    <idnumber></idnumber>",
        "  </question>",
        "",
    ]


def html_paragraphs(text: str) -> str:
    return "".join(f"<p>{html_escape(part)}</p>" for part in text.split("\n\n") if part.strip())


def question_html(item: Item) -> tuple[str, str]:
    """The question text as HTML with `@@PLUGINFILE@@` images, and the `<file>` elements."""
    html, files = [], []
    for part in split_pictures(item.text):
        if isinstance(part, int):
            picture = item.pictures[part]
            html.append(f'<img src="@@PLUGINFILE@@/{html_escape(picture.name)}" '
                        f'alt="{html_escape(picture.alt)}">')
            data = base64.b64encode(picture.path.read_bytes()).decode("ascii")
            files.append(f'\n<file name="{escape(picture.name)}" encoding="base64">{data}</file>')
        else:
            html.append(html_escape(part).replace("\n", "<br>"))
    return f"<p>{''.join(html)}</p>", "".join(files)


def _question(item: Item) -> list[str]:
    text, files = question_html(item)
    lines = [
        f'  <question type="{item.kind}">',
        "    <name>",
        f"      <text>{escape(item.name)}</text>",
        "    </name>",
        *_text_element("questiontext", text, files=files),
        *_text_element("generalfeedback", html_paragraphs(item.feedback)),
        "    <defaultgrade>1</defaultgrade>",
        f"    <penalty>{PENALTY[item.kind]}</penalty>",
        "    <hidden>0</hidden>",
        "    <idnumber></idnumber>",
    ]
    lines += _BODIES[item.kind](item)
    lines += ["  </question>", ""]
    return lines


def _answer(fraction: int, text: str, fmt: str = "html", feedback: str = "") -> list[str]:
    return [
        f'    <answer fraction="{fraction}" format="{fmt}">',
        f"      <text>{cdata(text)}</text>",
        *_text_element("feedback", feedback, indent="      "),
        "    </answer>",
    ]


def _multichoice(item: Item) -> list[str]:
    lines = [
        "    <single>true</single>",
        "    <shuffleanswers>true</shuffleanswers>",
        "    <answernumbering>abc</answernumbering>",
        "    <showstandardinstruction>0</showstandardinstruction>",
        *_text_element("correctfeedback", ""),
        *_text_element("partiallycorrectfeedback", ""),
        *_text_element("incorrectfeedback", ""),
    ]
    for index, option in enumerate(item.options):
        lines += _answer(100 if index == item.correct else 0, f"<p>{html_escape(option)}</p>")
    return lines


def _truefalse(item: Item) -> list[str]:
    return [*_answer(100 if item.truth else 0, "true", "moodle_auto_format"),
            *_answer(0 if item.truth else 100, "false", "moodle_auto_format")]


def _shortanswer(item: Item) -> list[str]:
    return ["    <usecase>0</usecase>", *_answer(100, item.answer, "moodle_auto_format")]


def _essay(item: Item) -> list[str]:
    return [
        "    <responseformat>editor</responseformat>",
        "    <responserequired>1</responserequired>",
        f"    <responsefieldlines>{item.lines}</responsefieldlines>",
        "    <attachments>0</attachments>",
        "    <attachmentsrequired>0</attachmentsrequired>",
        *_text_element("graderinfo", html_paragraphs(item.answer)),
        *_text_element("responsetemplate", ""),
    ]


_BODIES = {"multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer,
           "essay": _essay}
