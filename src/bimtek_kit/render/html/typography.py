"""Print typography for running text: curly quotes and dashes, the same in every output.

Authors type straight quotes and `---`; the tests (question banks) arrived with curly quotes,
so a printed page mixed both (issue #15). Code is never touched.
"""

from __future__ import annotations

import re

_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013/-])"')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013/-])'")


def typographic(text: str) -> str:
    """`"kata"` -> “kata”, `'kata'` -> ‘kata’, `Jum'at` -> Jum’at, `---` -> —, `--` -> –."""
    if not any(mark in text for mark in ('"', "'", "--")):
        return text
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = _DOUBLE_OPEN.sub("\\1\u201c", text).replace('"', "\u201d")
    return _SINGLE_OPEN.sub("\\1\u2018", text).replace("'", "\u2019")
