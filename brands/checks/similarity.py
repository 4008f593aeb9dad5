"""How alike two captions are, and the near-duplicate warning. Pure: plain text in, scores and
findings out; the candidates come from cms.archive.selectors, already narrowed in the database.

Captions are compared as sets of normalised word shingles (single words and word pairs):
case, accents, punctuation and emoji don't count, and hashtags, mentions and links are left out,
because a brand's required hashtags sit in every one of its posts and would make any two of
them look alike. The Jaccard index of two such sets is 1 for the same words in the same order and
falls as words are changed, added or moved.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .types import Finding, Severity

# Jaccard of word shingles at or above which a caption counts as "almost the same": one or two
# words changed in a caption of a dozen or more words stays above it, a reworded one falls below.
NEAR_DUPLICATE_THRESHOLD = 0.75
# Shorter captions ("Happy Friday! #KilnCoffee") are alike by nature, not copied.
NEAR_DUPLICATE_MIN_WORDS = 6

_NOT_COMPARED = re.compile(r"(?:https?://|www\.)\S+|[#@][\w'’]+", re.UNICODE)
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

# Words too common to say what a caption is about: skipped when picking the words that find
# candidate captions in the database (they are still compared).
STOPWORDS = frozenset(
    """
    a about after all also am an and any are as at be because been before being but by can could
    did do does doing down each few for from further get got had has have having he her here hers
    him his how i if in into is it its just let me more most my no nor not now of off on once only
    or other our ours out over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours new one two get make every
    """.split()
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=4096)
def words_of(text: str) -> tuple[str, ...]:
    """The caption's words, normalised, in order; hashtags, mentions and links left out."""
    return tuple(
        word.replace("’", "'").replace("'", "")
        for word in _WORD.findall(_plain(_NOT_COMPARED.sub(" ", text)))
    )


def shingles(words: tuple[str, ...]) -> frozenset:
    """Single words and neighbouring pairs: the pairs keep some of the word order."""
    return frozenset(words) | frozenset(zip(words, words[1:], strict=False))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def caption_likeness(caption: str, other: str) -> float:
    """How nearly `caption` and `other` are the same text, from 0 to 1 (symmetric)."""
    return jaccard(shingles(words_of(caption)), shingles(words_of(other)))


def similarity_score(draft: str, archived: str) -> float:
    """How well an archived caption answers "have we said this before?" for a draft, from 0 to 2:
    the likeness of the two, plus how much of the draft's words the archived caption holds, so
    a half-written draft already finds the posts it is starting to repeat."""
    draft_words = words_of(draft)
    if not draft_words:
        return 0.0
    archived_words = words_of(archived)
    held = len(set(draft_words) & set(archived_words)) / len(set(draft_words))
    return jaccard(shingles(draft_words), shingles(archived_words)) + held


def significant_words(text: str, count: int = 3) -> list[str]:
    """The few words most likely to find captions like this one: not stop words, and longest first
    (long words are rarer). What the database is asked for where it has no similarity search."""
    unique = dict.fromkeys(word for word in words_of(text) if len(word) >= 3 and word not in STOPWORDS)
    return sorted(unique, key=len, reverse=True)[:count]


def without_stop_words(text: str) -> str:
    """The caption's words in order, stop words left out: what a trigram index is asked about.
    Every caption holds "the", "our" and "for", so their trigrams narrow nothing down and only
    make the index weigh every caption."""
    return " ".join(word for word in words_of(text) if word not in STOPWORDS)


@dataclass(frozen=True)
class ArchivedCaption:
    """A published caption to compare a draft with. For another client's post only its words
    are known (`published_at` and `platform` stay empty), so no finding can tell them."""

    caption: str
    same_brand: bool
    published_at: dt.datetime | None = None
    platform: str = ""  # the platform's name, e.g. "Instagram"


def check_near_duplicates(
    caption: str, candidates: list[ArchivedCaption], *, time_zone: dt.tzinfo = dt.UTC
) -> list[Finding]:
    """A warning when the caption is almost the same as one of the candidates: the brand's own
    recent post (with its date and platform), or another client's (with nothing of theirs)."""
    words = words_of(caption)
    if len(words) < NEAR_DUPLICATE_MIN_WORDS:
        return []
    mine = shingles(words)
    own, others = None, False
    for candidate in candidates:
        if jaccard(mine, shingles(words_of(candidate.caption))) < NEAR_DUPLICATE_THRESHOLD:
            continue
        if not candidate.same_brand:
            others = True
        elif own is None or (
            candidate.published_at and own.published_at and candidate.published_at > own.published_at
        ):
            own = candidate
    findings = []
    if own is not None:
        when = f" on {own.published_at.astimezone(time_zone):%-d %b %Y}" if own.published_at else ""
        where = f" ({own.platform})" if own.platform else ""
        findings.append(
            Finding(
                rule="near_duplicate",
                severity=Severity.WARN,
                message=f"This caption is almost the same as the post published{when}{where}. "
                "Say it in a new way, or make sure repeating it is intended.",
            )
        )
    if others:
        findings.append(
            Finding(
                rule="near_duplicate_other_client",
                severity=Severity.WARN,
                message="This caption is almost the same as a post published for another client; "
                "write it in this brand's own words.",
            )
        )
    return findings
