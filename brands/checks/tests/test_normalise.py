"""Folding text for matching, splitting it into words, and mapping offsets back to the caption."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brands.checks.normalise import FOLD_TABLE, fold, folded_words, split_words

# Characters that exercise every branch: marks, apostrophes, expansions, look-alikes, emoji.
TRICKY = list("ab cZ'’-._#@\n\u200b\u200d\u00ad\u0301\u064eßﬁ½ｃсοİ日한☕\ufe0f🇬") + ["👨‍👩‍👧"]
tricky_text = st.lists(st.sampled_from(TRICKY), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=200), tricky_text)


@pytest.mark.parametrize(
    "text, words",
    [
        ("Cheap  BEANS!", ["cheap", "beans"]),
        ("ｃｈｅａｐ", ["cheap"]),
        ("сheap", ["cheap"]),  # Cyrillic с
        ("ch\u200beap che\u00adap", ["cheap", "cheap"]),
        ("café cafe\u0301", ["cafe", "cafe"]),
        ("World's world’s worlds", ["worlds", "worlds", "worlds"]),
        ("c-h_e.a/p", ["c", "h", "e", "a", "p"]),
        ("Straße ﬁne", ["strasse", "fine"]),
        ("İstanbul", ["istanbul"]),
        ("한국 日本", ["한국", "日本"]),  # Hangul stays in syllables
        ("☕️🔥 #tag @who", ["tag", "who"]),
        ("'quoted'", ["quoted"]),
        ("\u200b ' \u0301", []),
    ],
)
def test_folding_reads_through_case_width_accents_look_alikes_and_hidden_characters(text, words):
    assert folded_words(text) == words


def test_a_possessive_also_reads_without_its_s():
    words = split_words(fold("Kiln's beans").folded)

    assert words.words == ["kilns", "beans"]
    assert words.possessives[0][0] == "kiln"


@given(any_text)
@settings(max_examples=200, deadline=None)
def test_folding_is_the_translation_table_applied_character_by_character(text):
    assert fold(text).folded == "".join(FOLD_TABLE[ord(char)] for char in text)


@given(any_text)
@settings(max_examples=200, deadline=None)
def test_every_word_maps_back_to_a_non_empty_stretch_of_the_original(text):
    folded = fold(text)
    words = split_words(folded.folded)
    for index, word in enumerate(words.words):
        assert word
        start, end = folded.to_original(words.start(index), words.end(index))
        assert 0 <= start < end <= len(text)
        # The original stretch folds to the word (or, for "¼" -> "1 4", to words including it).
        assert word in folded_words(text[start:end])


@given(any_text)
@settings(max_examples=200, deadline=None)
def test_folding_is_stable(text):
    folded = "".join(folded_words(text))
    assert "".join(folded_words(folded)) == folded
    assert unicodedata.normalize("NFC", folded) == folded
