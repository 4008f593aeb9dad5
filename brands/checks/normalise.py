"""Folding text so that disguised words still match: "ＣＨЕАР", "c h e a p", "ch\u200beap" all read "cheap".

`fold(text)` maps every character of the caption through one translation table (built lazily, one
entry per code point, so a caption is folded by `str.translate` in C rather than a Python loop):

* letters and digits go through NFKD (width, ligatures, maths alphabets, circled letters), case
  folding, accent stripping (combining marks dropped) and a small table of look-alike letters
  from the Cyrillic and Greek scripts;
* hidden characters (zero-width spaces and joiners, the word joiner, BOM, soft hyphen, bidi
  controls) become `IGNORED` and combining marks `COMBINING`: dropped, but the word around them
  stays one;
* apostrophes become `APOSTROPHE`: optional, so "world's", "world’s" and "worlds" are one word;
* everything else (spaces, punctuation, hyphens, dots, underscores, emoji) separates words.

Most characters fold to exactly one character, so offsets in the folded text are offsets in the
caption; where one folds to several ("ß" to "ss", "ﬁ" to "fi") `FoldedText.to_original` maps back.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, compress, count

IGNORED = "\x00"
APOSTROPHE = "\x01"
COMBINING = "\x02"  # like IGNORED, but it belongs to the letter before it (an accent)
SEPARATOR = " "
NOT_WORD = IGNORED + APOSTROPHE + COMBINING

# Letters from other scripts that look like Latin ones (lower case: folding has already run).
# A small, explicit subset of Unicode's confusables.txt: the ones used to slip past word filters.
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "ɡ": "g", "ց": "g", "ո": "n", "ս": "u",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    # Latin letters that stand in for plain ones
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɩ": "i", "ʏ": "y", "ᴄ": "c", "ᴏ": "o", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
}  # fmt: skip

APOSTROPHES = "'’‘ʼʻʽ`´′＇"
_MAX_CACHED = 50_000  # folded code points kept; hostile text with every code point can't grow it further


def _fold_char(char: str) -> str:
    if char in APOSTROPHES:
        return APOSTROPHE
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return COMBINING
    if category == "Cf":
        return IGNORED
    if category[0] not in "LN" and category != "Mc":
        return SEPARATOR
    parts = []
    for part in unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold()):
        part_category = unicodedata.category(part)
        if part_category in ("Mn", "Me", "Cf"):
            continue
        if part in APOSTROPHES:
            parts.append(APOSTROPHE)
        elif part_category[0] in "LN" or part_category == "Mc":
            parts.append(CONFUSABLES.get(part, part))
        else:
            parts.append(SEPARATOR)
    # NFC puts Hangul syllables back together after NFKD took them apart.
    return unicodedata.normalize("NFC", "".join(parts)) or IGNORED


class _FoldTable(dict):
    """code point -> folded string, filled in as characters are first seen."""

    def __missing__(self, code_point: int) -> str:
        folded = _fold_char(chr(code_point))
        if len(self) < _MAX_CACHED:
            self[code_point] = folded
        return folded


FOLD_TABLE = _FoldTable()
for _code_point in range(0x250):  # warm up ASCII and Latin so common captions never miss
    FOLD_TABLE[_code_point]  # noqa: B018


@dataclass
class FoldedText:
    original: str
    folded: str
    _starts: list[int] | None = field(default=None, repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The caption span a folded span (end exclusive, non-empty) came from."""
        if len(self.folded) == len(self.original):
            return start, end
        if self._starts is None:
            # Where each original character's folded text starts (only for captions with "ß", "ﬁ"…).
            lengths = (len(FOLD_TABLE[ord(char)]) for char in self.original)
            self._starts = list(accumulate(lengths, initial=0))
        return bisect_right(self._starts, start) - 1, bisect_right(self._starts, end - 1)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _translate(text: str) -> str:
    """`text.translate(FOLD_TABLE)`, quicker: CPython translates all-ASCII text through a fast path,
    so the ASCII stretches between the (few) other characters are translated on their own."""
    if text.isascii() or len(text.encode()) - len(text) > 200:
        return text.translate(FOLD_TABLE)
    parts, position = [], 0
    for match in _NON_ASCII.finditer(text):
        start = match.start()
        if start > position:
            parts.append(text[position:start].translate(FOLD_TABLE))
        parts.append(FOLD_TABLE[ord(match.group())])
        position = start + 1
    parts.append(text[position:].translate(FOLD_TABLE))
    return "".join(parts)


def fold(text: str) -> FoldedText:
    return FoldedText(text, _translate(text))


class Words:
    """The words of a folded text, in order: `words[i]` spans folded[start(i):end(i)].

    `possessives[i]` is (word, end) without a trailing "'s" for words that have one, so "Kiln's"
    also reads as "kiln". Built with C-level helpers (split, filter, compress, count): a caption
    has hundreds of words, and offsets are only worked out for the few words that match.
    """

    def __init__(self, folded: str):
        pieces = folded.split(SEPARATOR)
        self._pieces = pieces
        self._piece_starts: list[int] | None = None
        self._piece_of = list(compress(count(), pieces))  # word index -> piece index
        self.words = list(filter(None, pieces))
        self.possessives: dict[int, tuple[str, int]] = {}
        self._spans: dict[int, tuple[int, int]] = {}  # offsets of words that had marks stripped
        if IGNORED in folded or APOSTROPHE in folded or COMBINING in folded:
            self._strip_marks(folded)

    def start(self, index: int) -> int:
        if index in self._spans:
            return self._spans[index][0]
        if self._piece_starts is None:
            self._piece_starts = list(accumulate(map(len, self._pieces), initial=0))
        piece = self._piece_of[index]
        return self._piece_starts[piece] + piece  # one separator between pieces

    def end(self, index: int) -> int:
        if index in self._spans:
            return self._spans[index][1]
        return self.start(index) + len(self.words[index])

    def _strip_marks(self, folded: str) -> None:
        marked = set()
        for mark in NOT_WORD:
            position = folded.find(mark)
            while position != -1:
                marked.add(bisect_left(self._piece_of, folded.count(SEPARATOR, 0, position)))
                position = folded.find(mark, position + 1)
        empty = []
        for index in sorted(marked):
            piece = self.words[index]
            stripped = piece.strip(NOT_WORD)
            if not stripped:  # a lone apostrophe or hidden character is no word
                empty.append(index)
                continue
            start = self.start(index) + len(piece) - len(piece.lstrip(NOT_WORD))
            if APOSTROPHE in stripped:
                apostrophe = stripped.rindex(APOSTROPHE)
                if _letters(stripped[apostrophe + 1 :]) == "s":
                    self.possessives[index] = (_letters(stripped[:apostrophe]), start + apostrophe)
            # Accents right after the word belong to it (to its last letter).
            trailing = piece[len(piece.rstrip(NOT_WORD)) :]
            attached = len(trailing) - len(trailing.lstrip(COMBINING))
            self.words[index] = _letters(stripped)
            self._spans[index] = (start, start + len(stripped) + attached)
        if empty:
            self._drop(empty)

    def _drop(self, indices: list[int]) -> None:
        keep = [True] * len(self.words)
        for index in indices:
            keep[index] = False
        self.words = list(compress(self.words, keep))
        self._piece_of = list(compress(self._piece_of, keep))

        def renumber(index: int) -> int:
            return index - bisect_left(indices, index)

        self._spans = {renumber(index): span for index, span in self._spans.items()}
        self.possessives = {renumber(index): value for index, value in self.possessives.items()}


_STRIP_MARKS = str.maketrans("", "", NOT_WORD)


def _letters(text: str) -> str:
    return text.translate(_STRIP_MARKS)


def split_words(folded: str) -> Words:
    return Words(folded)


def folded_words(text: str) -> list[str]:
    """The folded words of a phrase from the kit, e.g. "World's  BEST" -> ["worlds", "best"]."""
    return split_words(fold(text).folded).words
