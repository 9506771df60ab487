"""Moodle XML -> question banks: reads an export back into the model (round-trip tests, and
the way in for banks that already live in a Moodle course)."""

from __future__ import annotations

import re
from html import unescape
from xml.etree import ElementTree

from bimtek_kit.errors import Loc
from bimtek_kit.model import Question, QuestionBank

_TAG = re.compile(r"<[^>]+>")


def read_moodle_xml(data: bytes, source: str = "bank-soal.xml") -> list[QuestionBank]:
    """One bank per `$course$/…/<bank>` category, questions in file order."""
    root = ElementTree.fromstring(data)
    banks: list[tuple[str, str, list[Question]]] = []
    for element in root.iter("question"):
        kind = element.get("type", "")
        if kind == "category":
            path = element.findtext("category/text", "")
            title = path.rsplit("/", 1)[-1] if "/" in path else path
            banks.append((title, _plain(element.findtext("info/text", "")), []))
            continue
        if not banks:
            banks.append(("", "", []))
        questions = banks[-1][2]
        question = _question(element, len(questions) + 1, Loc(source))
        if question is not None:
            questions.append(question)
    return [QuestionBank(title, title, info, tuple(qs), Loc(source)) for title, info, qs in banks]


def _plain(html: str) -> str:
    """HTML -> text: paragraphs become blank-line breaks, `<br>` a newline, tags dropped."""
    text = re.sub(r"</p>\s*<p>", "\n\n", html)
    text = re.sub(r"<br\s*/?>", "\n", text)
    return unescape(_TAG.sub("", text)).strip()


def _question(element: ElementTree.Element, number: int, loc: Loc) -> Question | None:
    kind = element.get("type")
    text = _plain(element.findtext("questiontext/text", ""))
    feedback = _plain(element.findtext("generalfeedback/text", ""))
    answers = [(float(a.get("fraction", "0")), _plain(a.findtext("text", "")))
               for a in element.findall("answer")]
    if kind == "multichoice":
        options = tuple(text for _, text in answers)
        best = max(range(len(answers)), key=lambda i: answers[i][0])
        return Question(number, "pilihan-ganda", text, options, chr(ord("A") + best), feedback,
                        None, loc)
    if kind == "truefalse":
        truth = next((t for f, t in answers if f > 0), "true") == "true"
        return Question(number, "benar-salah", text, (), "benar" if truth else "salah", feedback,
                        None, loc)
    if kind == "shortanswer":
        answer = next((t for f, t in answers if f >= 100), "")
        return Question(number, "isian", text, (), answer, feedback, None, loc)
    if kind == "essay":
        answer = _plain(element.findtext("graderinfo/text", ""))
        return Question(number, "isian", text, (), answer, feedback, None, loc)
    return None
