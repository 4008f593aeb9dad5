"""The kit's banned phrases and name spellings, compiled once into word tries and matched in one pass.

A kit with a thousand banned phrases is compiled once (`compile_kit`, cached per kit) into a trie of
folded words. Checking a caption then folds it (one `str.translate`), splits it into words and walks
the trie from each word: a dictionary look-up per word, whatever the number of phrases, instead of
a regular expression per phrase.

Matching is by whole words of the folded text, so "cheap" matches "CHEAP", "Cheap!", "ｃｈｅａｐ",
"сheap" (Cyrillic с) and "ch\u200beap", but not "Cheapside". Besides that:

* a one-word phrase also matches its other forms ("cheaper", "cheapest", "cheaply", "cheaps"),
  unless its rule is `exact` (forms are trie entries of their own, built when the kit compiles);
* a phrase word may be spelt out letter by letter ("c h e a p", "c-h-e-a-p", "c.h.e.a.p");
* a phrase word may be split in two or three by a symbol or emoji ("ch🔥eap", "ch*eap"), or by one
  space or line break where at least one piece is not a word on its own ("c heap", "che\nap", but
  not "magic heap" nor "the rapist"): see `words.COMMON_SHORT_WORDS`;
* digits and symbols standing for letters ("ch3ap", "r1sk", "che@p", "$ale") and HTML character
  references ("ch&#101;ap") are read as letters, only where that makes a phrase word, so "4 new
  flavours", "24/7" and "V60" stay as they are (`prepare`);
* a phrase of several words may be run together as in a hashtag ("#worldsbest" for "world's best").
"""

import html
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, product
from operator import and_

from .normalise import FOLD_TABLE, IGNORED, NOT_WORD, FoldedText, Words, fold, folded_words, split_words
from .types import BannedPhraseRule, KitRules
from .words import COMMON_SHORT_WORDS, NOT_INFLECTIONS

_NOT_LETTERS = str.maketrans("", "", " \x00\x01\x02")


def tag_key(tag: str) -> str:
    """A hashtag as compared: "#KilnCoffee", "#kilncoffee" and "#ＫｉｌｎＣｏｆｆｅｅ" are one tag."""
    return tag.translate(FOLD_TABLE).translate(_NOT_LETTERS)


_RULE = ""  # trie key holding the rule at the end of a phrase (no word is empty)
_FORM = IGNORED  # trie key marking an entry that is another form of the phrase ("cheaper")

# How a match was disguised, as `PhraseMatch.how` says it.
SPELT_OUT = "spelt_out"  # "c h e a p"
SPLIT_BY_SPACE = "split_by_space"  # "che ap"
SPLIT_BY_SYMBOL = "split_by_symbol"  # "ch🔥eap"
OTHER_FORM = "other_form"  # "cheaper" for "cheap"


@dataclass(frozen=True)
class PhraseMatch:
    rule: BannedPhraseRule
    start: int  # in the original caption
    end: int
    how: frozenset[str] = frozenset()  # SPELT_OUT, SPLIT_BY_SPACE, SPLIT_BY_SYMBOL, OTHER_FORM

    @property
    def spelt_out(self) -> bool:
        return SPELT_OUT in self.how


@dataclass(frozen=True)
class NameMatch:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class CompiledKit:
    phrases: dict  # word trie: word -> node; node[_RULE] is the BannedPhraseRule ending there
    first_words: frozenset[str]  # words a phrase can start with
    phrase_word_prefixes: frozenset[str]  # every prefix of every phrase word (to prune spelt-out words)
    phrase_words: frozenset[str]  # every phrase word, run-together phrase and form: what a disguise may hide
    word_heads: frozenset[str]  # the beginnings of phrase words (a word split in pieces starts with one)
    word_tails: frozenset[str]  # and their ends
    symbol_phrases: re.Pattern | None  # phrases with no letters or digits, e.g. an emoji
    symbol_rules: dict[str, BannedPhraseRule]
    names: dict[str, str]  # folded name with its words run together -> the name as it must be written
    name_prefixes: frozenset[str]
    names_pattern: re.Pattern | None  # any name, case-insensitively (to restore names in sentence case)
    capital_names: frozenset[str]  # one-word names the kit writes in capitals ("IKEA"): not shouting
    required_hashtags: tuple[tuple[str, str], ...]  # (folded key, tag as the kit writes it)
    forbidden_hashtags: frozenset[str]  # folded keys
    sponsored_disclaimer: str
    disclaimer_pattern: re.Pattern


def _compile(kit: KitRules) -> CompiledKit:
    trie: dict = {}
    prefixes: set[str] = set()
    symbol_rules: dict[str, BannedPhraseRule] = {}
    phrase_words: set[str] = set()
    forms: list[tuple[str, BannedPhraseRule]] = []
    for rule in kit.banned_phrases:
        words = folded_words(rule.phrase)
        if not words:
            if rule.phrase.strip():
                symbol_rules.setdefault(rule.phrase.strip().casefold(), rule)
            continue
        # The phrase as words, and run together as one word (as in a hashtag) when it has several.
        for variant in [words, ["".join(words)]] if len(words) > 1 else [words]:
            node = trie
            for word in variant:
                node = node.setdefault(word, {})
            node.setdefault(_RULE, rule)  # the first rule for a phrase wins over later duplicates
            phrase_words.update(variant)
        if len(words) == 1 and not rule.exact:
            forms.extend((form, rule) for form in word_forms(words[0]))
    # Other forms after every phrase, so a phrase of its own ("cheaper") keeps its own rule.
    for form, rule in forms:
        node = trie.setdefault(form, {})
        if _RULE not in node:
            node[_RULE] = rule
            node[_FORM] = True
            phrase_words.add(form)
    heads = {word[:length] for word in phrase_words for length in range(1, len(word))}
    tails = {word[length:] for word in phrase_words for length in range(1, len(word))}
    prefixes.update(heads, phrase_words)
    symbol_pattern = None
    if symbol_rules:
        alternatives = sorted(symbol_rules, key=len, reverse=True)
        symbol_pattern = re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)

    names: dict[str, str] = {}
    for name in kit.name_spellings:
        joined = "".join(folded_words(name))
        if joined:
            names.setdefault(joined, " ".join(name.split()))
    name_prefixes = {joined[:length] for joined in names for length in range(1, len(joined) + 1)}
    required: dict[str, str] = {}
    for tag in kit.required_hashtags:
        tag = tag.strip()
        if key := tag_key(tag):
            required.setdefault(key, tag if tag.startswith("#") else f"#{tag}")
    names_pattern = None
    if names:
        spellings = sorted(names.values(), key=len, reverse=True)
        names_pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, spellings)) + r")(?!\w)", re.IGNORECASE
        )
    disclaimer = kit.sponsored_disclaimer.strip() or "#ad"
    # Whole words only: "#ad" is not in "#adventure" nor "#bad".
    before = r"(?<![\w#@])" if disclaimer[:1].isalnum() or disclaimer[:1] in "#@" else ""
    after = r"(?!\w)" if disclaimer[-1:].isalnum() else ""
    return CompiledKit(
        phrases=trie,
        first_words=frozenset(trie),
        phrase_word_prefixes=frozenset(prefixes),
        phrase_words=frozenset(phrase_words),
        word_heads=frozenset(heads),
        word_tails=frozenset(tails),
        symbol_phrases=symbol_pattern,
        symbol_rules=symbol_rules,
        names=names,
        name_prefixes=frozenset(name_prefixes),
        names_pattern=names_pattern,
        capital_names=frozenset(name for name in names.values() if name.isupper() and " " not in name),
        required_hashtags=tuple(required.items()),
        forbidden_hashtags=frozenset(tag_key(tag) for tag in kit.forbidden_hashtags) - {""},
        sponsored_disclaimer=disclaimer,
        disclaimer_pattern=re.compile(before + re.escape(disclaimer) + after, re.IGNORECASE),
    )


_compile_by_value = lru_cache(maxsize=64)(_compile)
# KitRules hashes by value, which with a thousand phrases costs more than checking a caption, so the
# object in hand is looked up by identity first (weakly: a kit that goes away leaves the cache).
_compiled_by_id: dict[int, tuple[weakref.ref, CompiledKit]] = {}


def compile_kit(kit: KitRules) -> CompiledKit:
    """The kit's phrases and names compiled for matching; cached, so call it freely."""
    key = id(kit)
    entry = _compiled_by_id.get(key)
    if entry is not None and entry[0]() is kit:
        return entry[1]
    compiled = _compile_by_value(kit)

    def forget(ref, key=key):
        if (current := _compiled_by_id.get(key)) is not None and current[0] is ref:
            del _compiled_by_id[key]

    _compiled_by_id[key] = (weakref.ref(kit, forget), compiled)
    return compiled


class _Matcher:
    def __init__(self, compiled: CompiledKit, words: Words, joins: dict[int, list[tuple[str, int, str]]]):
        self.prefixes = compiled.phrase_word_prefixes
        self.words = words.words
        self.end = words.end
        self.possessives = words.possessives
        self.count = len(words.words)
        self.joins = joins

    def longest(self, index: int, node: dict, how: frozenset[str] = frozenset()):
        """The longest phrase from word `index` down `node`: (next word index, folded end, rule, how)."""
        words, best = self.words, None
        word = words[index]
        possessive = self.possessives.get(index)
        owner = node.get(possessive[0]) if possessive is not None else None
        if owner is not None and _RULE in owner:
            best = (index + 1, possessive[1], owner[_RULE], _how(how, owner))
        child = node.get(word)
        # "cheap's" is the phrase and its possessive, not the plural form "cheaps".
        if child is not None and (best is None or _FORM not in child or len(child) > 2):
            best = self._continue(index + 1, self.end(index), child, how, best)
        # A word split by a symbol or a space: "ch🔥eap", "che ap".
        for joined, following, split in self.joins.get(index, ()):
            child = node.get(joined)
            if child is not None:
                best = self._continue(following, self.end(following - 1), child, how | {split}, best)
        # A word spelt out letter by letter: "c h e a p".
        if len(word) == 1 and index + 1 < self.count and len(words[index + 1]) == 1:
            spelt, following = word, index + 1
            while following < self.count and len(words[following]) == 1:
                spelt += words[following]
                following += 1
                if spelt not in self.prefixes:
                    break
                child = node.get(spelt)
                if child is not None:
                    best = self._continue(following, self.end(following - 1), child, how | {SPELT_OUT}, best)
        return best

    def _continue(self, index: int, end: int, node: dict, how: frozenset[str], best):
        if _RULE in node:
            best = _longer(best, (index, end, node[_RULE], _how(how, node)))
        if index < self.count and len(node) > (_RULE in node) + (_FORM in node):
            best = _longer(best, self.longest(index, node, how))
        return best


def _how(how: frozenset[str], node: dict) -> frozenset[str]:
    return how | {OTHER_FORM} if _FORM in node else how


def _longer(best, candidate):
    if candidate is None:
        return best
    if best is None or candidate[1] > best[1]:
        return candidate
    return best


def _indices_of(words: list[str], wanted: set[str]) -> list[int]:
    return list(compress(count(), map(wanted.__contains__, words)))


def _starting_points(words: Words, firsts: frozenset[str], joins: dict) -> list[int]:
    """Indices of the words a match could start at (most captions have none): a word that starts
    an entry, a possessive whose base does, a word split in pieces, or a one-letter word followed
    by another (spelt out)."""
    all_words = words.words
    points = set(joins)
    if hits := firsts.intersection(all_words):
        points.update(_indices_of(all_words, hits))
    points.update(index for index, (base, _) in words.possessives.items() if base in firsts)
    single = list(map((1).__eq__, map(len, all_words)))
    if single.count(True) > 1:
        points.update(compress(count(), map(and_, single, single[1:])))
    return sorted(points)


def find_phrases(compiled: CompiledKit, text: FoldedText, words: Words) -> list[PhraseMatch]:
    """Banned phrases in the caption: leftmost, longest, not overlapping.

    `text` is the caption as `prepare` left it (the same length as the caption)."""
    matches = []
    trie = compiled.phrases
    if trie:
        joins = _joins(compiled, text, words)
        matcher = _Matcher(compiled, words, joins)
        next_free = 0
        for index in _starting_points(words, compiled.first_words, joins):
            if index < next_free:
                continue
            found = matcher.longest(index, trie)
            if found is not None:
                next_index, end, rule, how = found
                start, end = text.to_original(words.start(index), end)
                matches.append(PhraseMatch(rule, start, end, how))
                next_free = next_index
    if compiled.symbol_phrases is not None:
        for match in compiled.symbol_phrases.finditer(text.original):
            rule = compiled.symbol_rules.get(match.group().casefold()) or next(
                rule
                for key, rule in compiled.symbol_rules.items()
                if re.fullmatch(re.escape(key), match.group(), re.IGNORECASE)
            )
            matches.append(PhraseMatch(rule, match.start(), match.end()))
    return matches


# Words split in pieces -------------------------------------------------------------------------------

MAX_SYMBOL_GAP = 12  # code points between two pieces of a word: an emoji sequence fits
LINE_BREAKS_AND_SPACES = frozenset({" ", "\n", "\t", "\r\n", "\u00a0", "\u202f", "\u2009", "\u3000"})


def _joins(compiled: CompiledKit, text: FoldedText, words: Words) -> dict[int, list[tuple[str, int, str]]]:
    """Pieces of a phrase word split by a symbol or a space, by the index of their first piece:
    [(the word they make, the index after the last piece, SPLIT_BY_SYMBOL or SPLIT_BY_SPACE)].

    A word can only be the first piece if it starts a phrase word and the last if it ends one:
    two set intersections find those (most captions have few); only they are joined and looked up."""
    all_words = words.words
    if len(all_words) < 2 or not (heads := compiled.word_heads.intersection(all_words)):
        return {}
    if not (tails := compiled.word_tails.intersection(all_words)):
        return {}
    tail_at = set(_indices_of(all_words, tails))
    targets, joins = compiled.phrase_words, {}
    for index in _indices_of(all_words, heads):
        for size in (2, 3):
            if index + size - 1 not in tail_at:
                continue
            pieces = all_words[index : index + size]
            joined = "".join(pieces)
            if joined not in targets:
                continue
            splits = {_split(text, words, position) for position in range(index, index + size - 1)}
            if None in splits:
                continue
            if splits == {SPLIT_BY_SPACE} and all(map(_is_word, pieces)):
                continue  # real words side by side: "the rapist", "bar gain"
            split = SPLIT_BY_SPACE if SPLIT_BY_SPACE in splits else SPLIT_BY_SYMBOL
            joins.setdefault(index, []).append((joined, index + size, split))
    return joins


def _split(text: FoldedText, words: Words, index: int) -> str | None:
    """What stands between word `index` and the next: one space or line break, a few symbols or
    emoji, or None when that is not a word split in two (two spaces, punctuation and a space…)."""
    end = text.to_original(words.start(index), words.end(index))[1]
    start = text.to_original(words.start(index + 1), words.end(index + 1))[0]
    gap = text.original[end:start]
    if gap in LINE_BREAKS_AND_SPACES:
        return SPLIT_BY_SPACE
    if 0 < len(gap) <= MAX_SYMBOL_GAP and not any(char.isspace() for char in gap):
        return SPLIT_BY_SYMBOL
    return None


def _is_word(piece: str) -> bool:
    return len(piece) > 4 or piece in COMMON_SHORT_WORDS


# Other forms of a word --------------------------------------------------------------------------------

VOWELS = frozenset("aeiou")


def word_forms(word: str) -> set[str]:
    """The regular English forms of a word: -s/-es, -er, -est, -ed, -ing, -ly, with a doubled last
    consonant ("hotter") and y → i ("happier"). Over-generating is harmless (a form nobody writes
    never matches); forms that are other words ("better" from "bet") are left out."""
    if len(word) < 3 or not word.isascii() or not word.isalpha():
        return set()
    last, before = word[-1], word[-2]
    consonant_y = last == "y" and before not in VOWELS
    forms = set()
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    elif consonant_y:
        forms.add(word[:-1] + "ies")
    else:
        forms.add(word + "s")
    if last == "e":
        forms.update((word + "r", word + "st", word + "d"))
        if word.endswith("ie"):
            forms.add(word[:-2] + "ying")
        forms.add(word + "ing" if word.endswith(("ee", "ye", "oe")) else word[:-1] + "ing")
    elif consonant_y:
        forms.update((word[:-1] + "ier", word[:-1] + "iest", word[:-1] + "ied", word + "ing"))
    else:
        stems = [word]
        if last not in VOWELS and last not in "wxy" and before in VOWELS and word[-3] not in VOWELS:
            stems.append(word + last)  # hot → hotter, travel → travelled (and traveled)
        for stem in stems:
            forms.update((stem + "er", stem + "est", stem + "ed", stem + "ing"))
    if word.endswith("le") and word[-3] not in VOWELS:
        forms.add(word[:-1] + "y")  # simple → simply
    elif consonant_y:
        forms.add(word[:-1] + "ily")
    elif word.endswith("ic"):
        forms.add(word + "ally")
    else:
        forms.add(word + "ly")
    return forms - NOT_INFLECTIONS - {word}


# Digits, symbols and character references standing for letters -----------------------------------

# What leetspeak writes for a letter. "1" is "i" or "l": each is tried both ways (up to MAX_ONES).
LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t"})
MAX_ONES = 4
LEET_CHARS = "013457@$"
# One digit at the end of letters is a model, version or section number, not leetspeak.
_CODE = re.compile(r"^[^0-9@$]+[0-9]$")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
WORD_JOINER = "\u2060"  # invisible, and folds to nothing inside a word


@dataclass(frozen=True)
class Prepared:
    """The caption as the phrase matcher reads it (`prepare`), the same length as the caption."""

    text: str
    references: tuple[tuple[int, int], ...] = ()  # spans of the character references it decoded

    def widen(self, start: int, end: int) -> tuple[int, int]:
        """A match's span, widened to whole character references ("bargai&#110;", not "bargai&")."""
        for reference_start, reference_end in self.references:
            if reference_start < end < reference_end:
                end = reference_end
            if reference_start < start < reference_end:
                start = reference_start
        return start, end


def prepare(compiled: CompiledKit, caption: str) -> Prepared:
    """The caption with HTML character references and leetspeak read as the letters they stand
    for, where that makes a phrase word; the same length as the caption, so spans still fit it.

    "ch&#101;ap" becomes "che" + 5 word joiners + "ap"; "ch3ap" becomes "cheap"; "4 new", "24/7",
    "V60" and "4pm" stay as they are (no phrase word comes of them)."""
    text, references = caption, []
    if "&" in text and ";" in text:
        parts, position = [], 0
        for match in _REFERENCE.finditer(text):
            decoded = html.unescape(match.group())
            if len(decoded) == 1 and decoded != match.group():
                parts += [text[position : match.start()], decoded, WORD_JOINER * (len(match.group()) - 1)]
                position = match.end()
                references.append(match.span())
        text = "".join(parts) + text[position:]
    if compiled.phrase_words and any(char in text for char in LEET_CHARS):
        text = _decode_leet(compiled, text)
    return Prepared(text, tuple(references))


def _in_token(char: str) -> bool:
    return char.isalnum() or char in "@$" or FOLD_TABLE[ord(char)] in NOT_WORD


def _decode_leet(compiled: CompiledKit, text: str) -> str:
    chars = None
    position, length = 0, len(text)
    for at in _positions_of(text, LEET_CHARS):
        # Only beside a letter (or a hidden character inside a word): "4 new" and "24/7" never are.
        if at < position or not (
            (at and _in_word(text[at - 1])) or (at + 1 < length and _in_word(text[at + 1]))
        ):
            continue
        start, end = at, at + 1
        while start > 0 and _in_token(text[start - 1]):
            start -= 1
        while end < length and _in_token(text[end]):
            end += 1
        position = end
        token = text[start:end]
        if token[0] == "@" or _CODE.search(token) or _phrase_word(compiled, token):
            # A handle (not ours to reword), a code ("man5", "mp3") or a phrase with digits ("V60").
            continue
        for decoded in _readings(token.translate(LEET)):
            if _phrase_word(compiled, decoded):
                chars = chars if chars is not None else list(text)
                chars[start:end] = decoded
                break
    return "".join(chars) if chars is not None else text


def _positions_of(text: str, chars: str) -> list[int]:
    """Where any of `chars` is in the text, in order. str.find runs in C; a regular expression
    with a character class tries every position of a 2,000-character caption in turn."""
    positions = []
    for char in chars:
        at = text.find(char)
        while at != -1:
            positions.append(at)
            at = text.find(char, at + 1)
    return sorted(positions)


def _in_word(char: str) -> bool:
    return char.isalpha() or FOLD_TABLE[ord(char)] in NOT_WORD


def _readings(token: str) -> list[str]:
    """The token with each "1" read as "i" and as "l": "m1r4c1e" → "mirac1e" … "miracle"."""
    ones = token.count("1")
    if not ones or ones > MAX_ONES:
        return [token.replace("1", "i")]
    pieces = token.split("1")
    readings = []
    for letters in product("il", repeat=ones):
        readings.append(
            pieces[0] + "".join(letter + piece for letter, piece in zip(letters, pieces[1:], strict=True))
        )
    return readings


def _phrase_word(compiled: CompiledKit, token: str) -> bool:
    if token.isascii() and token.isalnum():
        return token.lower() in compiled.phrase_words
    words = folded_words(token)
    return len(words) == 1 and words[0] in compiled.phrase_words


def find_names(compiled: CompiledKit, text: FoldedText, words: Words) -> list[NameMatch]:
    """Every mention of a kit name, however it is spelt (the caller compares the spelling)."""
    names, prefixes = compiled.names, compiled.name_prefixes
    if not names:
        return []
    all_words, possessives, count = words.words, words.possessives, len(words.words)
    matches, next_free = [], 0
    points = set()
    if hits := prefixes.intersection(all_words):
        points.update(_indices_of(all_words, hits))
    points.update(index for index, (base, _) in possessives.items() if base in prefixes)
    for index in sorted(points):
        if index < next_free:
            continue
        best, joined, following = None, "", index
        while following < count:
            before = joined
            joined += all_words[following]
            if joined in names:
                best = (following + 1, words.end(following), names[joined])
            possessive = possessives.get(following)
            if possessive is not None and before + possessive[0] in names:
                best = (following + 1, possessive[1], names[before + possessive[0]])
            if joined not in prefixes:
                break
            following += 1
        if best is not None:
            next_free = best[0]
            start, end = text.to_original(words.start(index), best[1])
            matches.append(NameMatch(best[2], start, end))
    return matches


def fold_and_split(text: str) -> tuple[FoldedText, Words]:
    folded = fold(text)
    return folded, split_words(folded.folded)
