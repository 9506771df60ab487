"""Question banks for Moodle: XML shaped like Moodle's own fixtures, GIFT, and a round trip."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bimtek_kit.loader import load_course
from bimtek_kit.render.base import RenderContext
from bimtek_kit.render.lms.gift import gift_escape
from bimtek_kit.render.lms.reader import read_moodle_xml
from conftest import BANK, FEATURE_MODULE, REPO, SECOND_MODULE, render_all, render_context

COMMON = ("name/text", "questiontext/text", "generalfeedback/text", "defaultgrade", "penalty",
          "hidden", "idnumber")
"""What Moodle's exporter writes for every question type (xmlformat_test.php)."""
REQUIRED = {
    "multichoice": ("single", "shuffleanswers", "answernumbering", "correctfeedback/text",
                    "partiallycorrectfeedback/text", "incorrectfeedback/text", "answer/text",
                    "answer/feedback/text"),
    "truefalse": ("answer/text", "answer/feedback/text"),
    "shortanswer": ("usecase", "answer/text", "answer/feedback/text"),
    "essay": ("responseformat", "responserequired", "responsefieldlines", "attachments",
              "attachmentsrequired", "graderinfo/text", "responsetemplate/text"),
}


def _lms(ctx: RenderContext) -> tuple[bytes, str]:
    artifacts = render_all(ctx, "lms")
    assert sorted(artifacts) == ["panitia/lms/bank-soal.gift.txt", "panitia/lms/bank-soal.xml"]
    xml = artifacts["panitia/lms/bank-soal.xml"].data
    return xml, artifacts["panitia/lms/bank-soal.gift.txt"].data.decode("utf-8")


def test_every_question_type_has_the_elements_moodle_writes(feature_ctx: RenderContext):
    xml, _ = _lms(feature_ctx)
    root = ElementTree.fromstring(xml)
    questions = root.findall("question")
    kinds = [q.get("type") for q in questions]
    assert kinds == ["category", "multichoice", "truefalse", "shortanswer"]
    assert questions[0].findtext("category/text") == "$course$/Bimtek Uji/Pre-test"
    for question in questions[1:]:
        for path in (*COMMON, *REQUIRED[question.get("type")]):
            assert question.find(path) is not None, (question.get("type"), path)
    choice = questions[1]
    assert [choice.findtext(t) for t in ("single", "shuffleanswers", "answernumbering")] == [
        "true", "true", "abc"]
    assert [a.get("fraction") for a in choice.findall("answer")] == ["0", "0", "100", "0"]
    assert "Opsi tiga" in choice.findall("answer")[2].findtext("text")
    assert "Penjelasan untuk fasilitator." in choice.findtext("generalfeedback/text")
    truth = questions[2]
    assert [(a.findtext("text"), a.get("fraction")) for a in truth.findall("answer")] == [
        ("true", "100"), ("false", "0")]
    assert questions[3].find("answer").findtext("text") == "Jawaban model isian."


def test_forms_become_essay_sets(make_project: Callable[..., Path]):
    form = ("kind: form\ntitle: Evaluasi Penyelenggaraan\nscale: [Kurang, Baik]\n"
            "sections:\n  - title: Sarana\n    items: [Ruang kelas nyaman.]\n"
            "comments: [Saran Anda]\n")
    root = make_project({"content/modules/01-fitur-lengkap.md": FEATURE_MODULE,
                         "content/evaluasi/evaluasi-penyelenggaraan.yml": form})
    xml, text = _lms(render_context(load_course(root)))
    questions = ElementTree.fromstring(xml).findall("question")
    assert [q.get("type") for q in questions] == ["category", "essay", "essay"]
    assert questions[0].findtext("category/text").endswith("/Evaluasi Penyelenggaraan")
    assert "Sarana: Ruang kelas nyaman. (Kurang / Baik)" in questions[1].findtext(
        "questiontext/text")
    assert questions[2].findtext("responsefieldlines") == "8"
    assert "::Evaluasi Penyelenggaraan 02:: Saran Anda {}" in text


def test_images_are_embedded_as_base64_plugin_files(make_project: Callable[..., Path]):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "navy").save(buffer, "PNG")
    bank = BANK.replace("Soal pilihan ganda pertama?",
                        "Perhatikan ![Logo instansi](gambar/logo.png) lalu pilih?")
    root = make_project({"content/modules/01-fitur-lengkap.md": FEATURE_MODULE,
                         "content/modules/02-kedua.md": SECOND_MODULE,
                         "content/evaluasi/pre-test.yml": bank,
                         "content/evaluasi/gambar/logo.png": buffer.getvalue()})
    xml, text = _lms(render_context(load_course(root)))
    choice = ElementTree.fromstring(xml).findall("question")[1]
    html = choice.findtext("questiontext/text")
    assert '<img src="@@PLUGINFILE@@/1-logo.png" alt="Logo instansi">' in html
    file = choice.find("questiontext/file")
    assert file.get("name") == "1-logo.png" and file.get("encoding") == "base64"
    assert base64.b64decode(file.text) == buffer.getvalue()
    assert "Perhatikan [Logo instansi] lalu pilih?" in text


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a~b", "a\\~b"), ("x = y", "x \\= y"), ("#1", "\\#1"), ("{a}", "\\{a\\}"),
    ("Catatan: ya", "Catatan\\: ya"), ("C:\\data", "C\\:\\\\data"), ("a\nb", "a\\nb"),
])
def test_gift_escapes_its_special_characters(raw: str, escaped: str):
    assert gift_escape(raw) == escaped


def test_gift_question_shapes(feature_ctx: RenderContext):
    _, text = _lms(feature_ctx)
    assert text.startswith("$CATEGORY: $course$/Bimtek Uji/Pre-test\n\n")
    assert "::Pre-test 01:: Soal pilihan ganda pertama? {\n\t~Opsi satu\n\t~Opsi dua\n" \
           "\t=Opsi tiga\n\t~Opsi empat\n\t####Penjelasan untuk fasilitator.\n}" in text
    assert "::Pre-test 02:: Pernyataan benar salah. {TRUE}" in text
    assert "::Pre-test 03:: Sebutkan satu hal. {=Jawaban model isian.}" in text


def test_default_course_banks_survive_a_round_trip():
    course = load_course(REPO)
    xml, _ = _lms(render_context(course))
    banks = read_moodle_xml(xml)
    originals = list(course.banks)
    assert [b.title for b in banks[:len(originals)]] == [b.title for b in originals]
    assert len(banks) == len(originals) + len(course.forms)
    for original, read in zip(originals, banks, strict=False):
        assert len(read.questions) == len(original.questions) > 0
        for q, back in zip(original.questions, read.questions, strict=True):
            assert (back.kind, back.text, back.options, back.answer, back.explanation) == (
                q.kind, q.text, q.options, q.answer, q.explanation)
