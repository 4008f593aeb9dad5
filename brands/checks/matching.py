"""The kit's banned phrases and name spellings, compiled once into word tries and matched in one pass.

A kit with a thousand banned phrases is compiled once (`compile_kit`, cached per kit) into a trie of
folded words. Checking a caption then folds it (one `str.translate`), splits it into words and walks
the trie from each word: a dictionary look-up per word, whatever the number of phrases, instead of
a regular expression per phrase.

Matching is by whole words of the folded text, so "cheap" matches "CHEAP", "Cheap!", "ｃｈｅａｐ",
"сheap" (Cyrillic с) and "ch\u200beap", but not "cheapest". A phrase word may also be spelt out
letter by letter ("c h e a p", "c-h-e-a-p", "c.h.e.a.p"), and a phrase of several words may be run
together as in a hashtag ("#worldsbest" for "world's best").
"""

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from operator import and_

from .normalise import FOLD_TABLE, FoldedText, Words, fold, folded_words, split_words
from .types import BannedPhraseRule, KitRules

_NOT_LETTERS = str.maketrans("", "", " \x00\x01\x02")


def tag_key(tag: str) -> str:
    """A hashtag as compared: "#KilnCoffee", "#kilncoffee" and "#ＫｉｌｎＣｏｆｆｅｅ" are one tag."""
    return tag.translate(FOLD_TABLE).translate(_NOT_LETTERS)


_RULE = ""  # trie key holding the rule at the end of a phrase (no word is empty)


@dataclass(frozen=True)
class PhraseMatch:
    rule: BannedPhraseRule
    start: int  # in the original caption
    end: int
    spelt_out: bool  # matched letters spaced or hyphenated apart


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
        for word in words:
            prefixes.update(word[:length] for length in range(1, len(word) + 1))
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
    def __init__(self, compiled: CompiledKit, words: Words):
        self.prefixes = compiled.phrase_word_prefixes
        self.words = words.words
        self.end = words.end
        self.possessives = words.possessives
        self.count = len(words.words)

    def longest(self, index: int, node: dict, spelt_out: bool = False):
        """The longest phrase from word `index` down `node`: (next word index, folded end, rule, spelt_out)."""
        words, best = self.words, None
        word = words[index]
        child = node.get(word)
        if child is not None:
            best = self._continue(index + 1, self.end(index), child, spelt_out, best)
        possessive = self.possessives.get(index)
        if possessive is not None:
            child = node.get(possessive[0])
            if child is not None and _RULE in child:
                best = _longer(best, (index + 1, possessive[1], child[_RULE], spelt_out))
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
                    best = self._continue(following, self.end(following - 1), child, True, best)
        return best

    def _continue(self, index: int, end: int, node: dict, spelt_out: bool, best):
        if _RULE in node:
            best = _longer(best, (index, end, node[_RULE], spelt_out))
        if index < self.count and len(node) > (_RULE in node):
            best = _longer(best, self.longest(index, node, spelt_out))
        return best


def _longer(best, candidate):
    if candidate is None:
        return best
    if best is None or candidate[1] > best[1]:
        return candidate
    return best


def _indices_of(words: list[str], wanted: set[str]) -> list[int]:
    return list(compress(count(), map(wanted.__contains__, words)))


def _starting_points(words: Words, firsts: frozenset[str]) -> list[int]:
    """Indices of the words a match could start at (most captions have none): a word that starts
    an entry, a possessive whose base does, or a one-letter word followed by another (spelt out)."""
    all_words = words.words
    points = set()
    if hits := firsts.intersection(all_words):
        points.update(_indices_of(all_words, hits))
    points.update(index for index, (base, _) in words.possessives.items() if base in firsts)
    single = list(map((1).__eq__, map(len, all_words)))
    if single.count(True) > 1:
        points.update(compress(count(), map(and_, single, single[1:])))
    return sorted(points)


def find_phrases(compiled: CompiledKit, text: FoldedText, words: Words) -> list[PhraseMatch]:
    """Banned phrases in the caption: leftmost, longest, not overlapping."""
    matches = []
    trie = compiled.phrases
    if trie:
        matcher = _Matcher(compiled, words)
        next_free = 0
        for index in _starting_points(words, compiled.first_words):
            if index < next_free:
                continue
            found = matcher.longest(index, trie)
            if found is not None:
                next_index, end, rule, spelt_out = found
                start, end = text.to_original(words.start(index), end)
                matches.append(PhraseMatch(rule, start, end, spelt_out))
                next_free = next_index
    if compiled.symbol_phrases is not None:
        for match in compiled.symbol_phrases.finditer(text.original):
            rule = compiled.symbol_rules.get(match.group().casefold()) or next(
                rule
                for key, rule in compiled.symbol_rules.items()
                if re.fullmatch(re.escape(key), match.group(), re.IGNORECASE)
            )
            matches.append(PhraseMatch(rule, match.start(), match.end(), False))
    return matches


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
