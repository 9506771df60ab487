"""Soft hyphens for justified text (hyphenation.py)."""

from bimtek_kit.hyphenation import SOFT_HYPHEN, soft_hyphenator


def test_long_words_get_soft_hyphens_and_acronyms_do_not():
    hyphenate = soft_hyphenator("id")
    text = hyphenate("pelayanan publik BerAKHLAK SP4N-LAPOR Dukcapil")
    words = text.split()
    assert SOFT_HYPHEN in words[0] and words[0].replace(SOFT_HYPHEN, "") == "pelayanan"
    assert words[1] == "publik"  # shorter than seven letters
    assert words[2] == "BerAKHLAK" and words[3] == "SP4N-LAPOR"
    assert SOFT_HYPHEN in words[4]  # a name with one capital is an ordinary word
