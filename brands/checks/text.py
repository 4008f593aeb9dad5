"""The caption rules: what a junior wrote, checked against the brand kit and each platform's spec.

Spans are offsets in the caption the finding is about: `content.caption`, or for a finding with
a `platform` whose post has a caption variant for that platform, that variant. A finding with
`start == end` asks for `suggestion` to be inserted there (a missing hashtag or disclaimer).
"""

import dataclasses
import datetime as dt
import re
import sys

from .counting import caption_tokens, emoji_spans
from .dates import local_date, sensitive_date_findings
from .matching import (
    OTHER_FORM,
    SPELT_OUT,
    SPLIT_BY_SPACE,
    SPLIT_BY_SYMBOL,
    CompiledKit,
    PhraseMatch,
    compile_kit,
    find_names,
    find_phrases,
    fold_and_split,
    prepare,
    tag_key,
)
from .platforms import PLATFORM_SPECS
from .requirements import INVISIBLE as _INVISIBLE
from .requirements import MAX_CAPTION_CHARS, caption_limits
from .types import Finding, KitRules, PostContent, Severity

MAX_FINDINGS_PER_RULE = 50  # enough to show the pattern; more would bury everything else
CAPTION_OPTIONAL_FORMATS = frozenset({"story", "reel"})
CTA_INTENTS = frozenset({"do", "buy"})
DEFAULT_FOLD = 125  # characters Instagram shows before "… more"
SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}

# Capitals that are not shouting.
KNOWN_ACRONYMS = frozenset(
    "AI AM API ASAP BBC CEO CV DIY DJ EU FAQ FM FYI GB GMT HQ ID IPA LA LED NHS NYC OK PC PDF PM PR "
    "PS QR RSVP SF SMS TV UK UN US USA UTC UX UI VIP VR XL XS XXL".split()
)
_UPPER = "".join(chr(code_point) for code_point in range(0x10000) if chr(code_point).isupper())
_UPPER_CLASS = "[" + re.escape(_UPPER) + "]"
_CAPS_WORD = f"{_UPPER_CLASS}(?:{_UPPER_CLASS}|['’](?={_UPPER_CLASS}))+(?!\\w)"
_CAPS_RUN = re.compile(f"(?<![\\w#@'’]){_CAPS_WORD}(?:[^\\w\\n#@]+{_CAPS_WORD}){{2,}}")
_CAPS_WORDS = re.compile(_CAPS_WORD)
_MARKS = re.compile("[!?！？‼⁇⁈⁉]+")  # stacked when two or more, or one of the double ones (‼)
_CAPS_PAIR = re.compile(_UPPER_CLASS * 2)
# What disguises a banned phrase: hidden characters, and letters from other scripts or
# alphabets (fullwidth, mathematical) that look like Latin ones.
_HIDDEN = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_LOOK_ALIKE = re.compile("[\u0370-\u03ff\u0400-\u052f\uff01-\uff5e\U0001d400-\U0001d7ff]")


def check_caption(content: PostContent, kit: KitRules, *, today: dt.date | None = None) -> list[Finding]:
    """Every text finding for the post: its caption (and each platform's variant), CTA and date.

    `today` is the brand-local date a post without `scheduled_at` would go out on (it goes out as
    soon as it is approved); without it an unscheduled post gets no sensitive-date finding.
    """
    compiled = compile_kit(kit)
    findings: list[Finding] = []
    main_platforms = tuple(p for p in content.platforms if content.caption_for(p) == content.caption)
    findings += _caption_findings(content.caption, main_platforms, None, content, kit, compiled)
    for platform in content.platforms:
        variant = content.caption_for(platform)
        if variant != content.caption:
            findings += _caption_findings(variant, (platform,), platform, content, kit, compiled)
    findings += _post_findings(content, kit, today)
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Blocking first, then in caption order."""
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.start if f.start is not None else sys.maxsize),
    )


def is_high_risk(findings: list[Finding]) -> bool:
    """Whether the post goes to the top approval tier: near a sensitive date, or a lead overrode a block."""
    return any(finding.rule in ("sensitive_date", "override") for finding in findings)


# One caption ------------------------------------------------------------------------------------


def _caption_findings(
    text: str,
    platforms: tuple[str, ...],
    platform: str | None,
    content: PostContent,
    kit: KitRules,
    compiled: CompiledKit,
) -> list[Finding]:
    where = f" for {PLATFORM_SPECS[platform].name}" if platform in PLATFORM_SPECS else ""
    if len(text) > MAX_CAPTION_CHARS:
        longest = max(spec.caption_limit for spec in PLATFORM_SPECS.values())
        return [
            Finding(
                "caption_too_large",
                Severity.BLOCK,
                f"This caption{where} is {len(text):,} characters: far more than any platform takes "
                f"(the most is {longest:,}), so it was not checked. Paste in only the caption's text.",
                platform=platform,
            )
        ]
    if not _INVISIBLE.sub("", text).strip():
        if content.format in CAPTION_OPTIONAL_FORMATS:
            return []
        return [
            Finding(
                "caption_empty",
                Severity.BLOCK,
                f"The caption{where} is empty. Write what the post says; only stories and reels can go without one.",
                platform=platform,
            )
        ]

    tokens = caption_tokens(text)
    links = [(start, end) for start, end, kind in tokens if kind == "link"]
    hashtags = [(start, end) for start, end, kind in tokens if kind == "hashtag"]
    mentions = [(start, end) for start, end, kind in tokens if kind == "mention"]
    folded, words = fold_and_split(text)
    brand = kit.brand_name.strip() or "the brand"

    findings = []
    # Phrases are looked for in the caption with leetspeak and character references read as letters.
    matching = prepare(compiled, text)
    phrase_folded, phrase_words = (folded, words) if matching.text == text else fold_and_split(matching.text)
    findings += _banned_phrases(
        text, matching, phrase_folded, phrase_words, compiled, brand, links + mentions
    )
    findings += _name_spellings(text, folded, words, compiled, links + mentions + hashtags)
    findings += _hashtag_rules(text, hashtags, compiled, brand)
    if content.sponsored:
        findings += _sponsored(text, platforms, compiled)
    findings += _emoji(text, kit, brand, links)
    findings += _shouting(text, compiled, links)
    for code in platforms:
        if code in PLATFORM_SPECS:
            findings += caption_limits(text, PLATFORM_SPECS[code], tokens)
    if platform is not None:
        findings = [_on(finding, platform) for finding in findings]
    return findings


def _on(finding: Finding, platform: str) -> Finding:
    return finding if finding.platform == platform else dataclasses.replace(finding, platform=platform)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(span_start < end and start < span_end for span_start, span_end in spans)


def _quote(text: str, limit: int = 40) -> str:
    shown = _INVISIBLE.sub("", " ".join(text.split()))
    return f"“{shown if len(shown) <= limit else shown[: limit - 1] + '…'}”"


def _in_case_of(suggestion: str, found: str, phrase: str) -> str:
    """The suggestion with the capitals of the text it replaces: "Cheap" -> "Affordable"."""
    letters = [char for char in found if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters) and not phrase.isupper():
        return suggestion.upper()
    if letters and letters[0].isupper() and not phrase[:1].isupper() and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


_REFERENCE_IN = re.compile(r"&#?\w+;")


def _disguises(found: str, read_as: str, phrase: str, match: PhraseMatch) -> str:
    """What makes a banned phrase look like something else, in words ("" when nothing does).

    `found` is the caption's text of the match, `read_as` the same span as the matcher read it
    (leetspeak and character references decoded)."""
    kinds = []
    if SPELT_OUT in match.how:
        kinds.append("its letters spaced out")
    if SPLIT_BY_SPACE in match.how:
        kinds.append("a space inside a word")
    if SPLIT_BY_SYMBOL in match.how:
        kinds.append("a symbol or emoji inside a word")
    if found != read_as:
        letters = _REFERENCE_IN.sub("", found)
        if len(letters) < len(found):
            kinds.append("HTML character codes")
        if any(char in "013457@$" for char in letters):
            kinds.append("digits or symbols for letters")
    if _HIDDEN.search(found):
        kinds.append("hidden characters")
    if _LOOK_ALIKE.search(found) and not _LOOK_ALIKE.search(phrase):
        kinds.append("look-alike letters")
    return ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else "".join(kinds)


# Words that open a noun phrase: a suggestion starting with one takes the place of the caption's
# ("The world's best" with "our favourite" is "Our favourite", not "The our favourite").
_DETERMINERS = frozenset("a an the our your their my his her its this that these those every each".split())
_WORD_BEFORE = re.compile(r"(?<![\w'’#@])(\w+)[ \t]+$")
_WORD_AFTER = re.compile(r"^[ \t]+(\w+)(?![\w'’])")
_SENTENCE_ENDS = (".", "!", "?", "…", "\n")


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before.endswith(_SENTENCE_ENDS)


def _fitted(suggestion: str, text: str, start: int, end: int) -> tuple[str, int]:
    """The suggestion as it reads in its place, and where its replacement starts (`start`, or the
    word before it that the suggestion takes the place of). Clean text either way:

    - a first word the caption already has right before the span is not repeated ("Our world's
      best" with "our favourite" becomes "Our favourite", not "Our our favourite");
    - a suggestion opening with a determiner replaces the caption's determiner before the span
      ("The world's best" becomes "Our favourite", not "The our favourite");
    - a last word the caption has right after the span is not repeated;
    - at the start of a sentence or line the suggestion starts with a capital.
    """
    words = suggestion.split(" ")
    before = _WORD_BEFORE.search(text[:start])
    if before is not None and len(words) > 1:
        previous, first = before.group(1).casefold(), words[0].casefold()
        if previous == first:
            words = words[1:]
        elif previous in _DETERMINERS and first in _DETERMINERS:
            start = before.start(1)
    after = _WORD_AFTER.match(text[end:])
    if after is not None and len(words) > 1 and words[-1].casefold() == after.group(1).casefold():
        words = words[:-1]
    fitted = " ".join(words)
    if _at_sentence_start(text, start) and fitted[:1].islower():
        fitted = fitted[:1].upper() + fitted[1:]
    return fitted, start


def _banned_phrases(text, matching, folded, words, compiled, brand, skip_spans) -> list[Finding]:
    findings = []
    for match in find_phrases(compiled, folded, words):
        start, end = matching.widen(match.start, match.end)
        if _overlaps(start, end, skip_spans):
            continue  # inside a link or someone's handle: not ours to reword
        rule, found, read_as = match.rule, text[start:end], matching.text[start:end]
        phrase = " ".join(rule.phrase.split())
        suggestion = rule.suggestion.strip() or None
        disguises = _disguises(found, read_as, rule.phrase, match)
        if OTHER_FORM in match.how:
            # "cheapest" for "cheap": the suggestion would need its own ending, so say it, don't apply it.
            shown = _quote(read_as)
            message = f"{shown} is a form of “{phrase}”, which is on {brand}’s banned list."
            if disguises:
                message = (
                    f"{shown}, written with {disguises}, is a form of “{phrase}”, on {brand}’s banned list."
                )
            message += (
                f" Reword it (the kit suggests “{suggestion}”)."
                if suggestion
                else " Rephrase it or take it out."
            )
            findings.append(Finding("banned_phrase", rule.severity, message, start, end))
        else:
            message = f"“{phrase}” is on {brand}’s banned list."
            if disguises:
                message = (
                    f"This is “{phrase}” written with {disguises}, which readers and platform filters see "
                    f"through; it is on {brand}’s banned list."
                )
            if suggestion:
                message += f" Use “{suggestion}” instead."
                fitted, fix_start = _fitted(suggestion, text, start, end)
                suggestion = _in_case_of(fitted, found, rule.phrase.strip())
            else:
                message += " Rephrase it or take it out."
                fix_start = start
            findings.append(
                Finding(
                    "banned_phrase",
                    rule.severity,
                    message,
                    start,
                    end,
                    suggestion,
                    fix_start=fix_start if fix_start != start else None,
                )
            )
        if len(findings) >= MAX_FINDINGS_PER_RULE:
            break
    return findings


def _name_spellings(text, folded, words, compiled, skip_spans) -> list[Finding]:
    findings = []
    for match in find_names(compiled, folded, words):
        found = text[match.start : match.end]
        if " ".join(found.split()) == match.name or _overlaps(match.start, match.end, skip_spans):
            continue
        findings.append(
            Finding(
                "name_spelling",
                Severity.WARN,
                f"Write “{match.name}”, not {_quote(found)}: that is how the brand kit spells it.",
                match.start,
                match.end,
                match.name,
            )
        )
        if len(findings) >= MAX_FINDINGS_PER_RULE:
            break
    return findings


def _hashtag_rules(text, hashtags, compiled, brand) -> list[Finding]:
    findings = []
    present = {tag_key(text[start:end]) for start, end in hashtags}
    if compiled.forbidden_hashtags:
        for start, end in hashtags:
            if tag_key(text[start:end]) in compiled.forbidden_hashtags:
                findings.append(
                    Finding(
                        "hashtag_forbidden",
                        Severity.BLOCK,
                        f"{brand} never uses {text[start:end]}. Take it out.",
                        start,
                        end,
                    )
                )
                if len(findings) >= MAX_FINDINGS_PER_RULE:
                    break
    separator = "" if not text or text[-1].isspace() else " "
    for key, tag in compiled.required_hashtags:
        if key not in present:
            findings.append(
                Finding(
                    "hashtag_required",
                    Severity.WARN,
                    f"Add {tag}: every {brand} post carries it.",
                    len(text),
                    len(text),
                    separator + tag,
                )
            )
    return findings


def _sponsored(text, platforms, compiled) -> list[Finding]:
    disclaimer = compiled.sponsored_disclaimer
    folds = [
        PLATFORM_SPECS[code].truncate_at
        for code in platforms
        if code in PLATFORM_SPECS and PLATFORM_SPECS[code].truncate_at
    ]
    early = min(folds, default=DEFAULT_FOLD)
    found = compiled.disclaimer_pattern.search(text)
    if found is not None and found.end() <= early:
        return []
    if found is not None:
        return [
            Finding(
                "sponsored_disclaimer",
                Severity.BLOCK,
                f"Sponsored posts must show {disclaimer} before “… more”, in the first {early} characters; "
                f"here it starts at character {found.start() + 1:,}. Move it to the start of the caption.",
                found.start(),
                found.end(),
            )
        ]
    return [
        Finding(
            "sponsored_disclaimer",
            Severity.BLOCK,
            f"This is a sponsored post, so it must say {disclaimer} in the first {early} characters "
            "(before “… more”). Add it at the start of the caption.",
            0,
            0,
            f"{disclaimer} ",
        )
    ]


def _emoji(text, kit, brand, links) -> list[Finding]:
    if kit.emoji_policy not in ("none", "sparing"):
        return []
    emoji = [span for span in emoji_spans(text) if not _overlaps(*span, links)]
    count = len(emoji)
    if kit.emoji_policy == "none":
        has = f"{count} emoji" if count > 1 else "an emoji"
        return [
            Finding(
                "emoji_policy",
                Severity.WARN,
                f"{brand} doesn't use emoji, and this caption has {has}. "
                f"Take out {text[start:end]} (say it in words if it matters).",
                start,
                end,
            )
            for start, end in emoji[:MAX_FINDINGS_PER_RULE]
        ]
    limit = max(kit.emoji_limit, 0)
    if count <= limit:
        return []
    return [
        Finding(
            "emoji_policy",
            Severity.WARN,
            f"{count} emoji: {brand} uses emoji sparingly, at most {limit} a caption. "
            f"Take out {count - limit}; the highlighted ones come after the first {limit}.",
            emoji[limit][0],
            emoji[-1][1],
        )
    ]


def _sentence_case(run: str, at_sentence_start: bool, compiled: CompiledKit) -> str:
    def word(match: re.Match) -> str:
        upper = match.group()
        if upper in KNOWN_ACRONYMS:
            return upper
        lower = upper.lower()
        if lower == "i" or lower[:2] in ("i'", "i’"):
            return "I" + lower[1:]
        return lower

    cased = _CAPS_WORDS.sub(word, run)
    if compiled.names_pattern is not None:  # "KILN COFFEE" -> "Kiln Coffee", as the kit spells it
        cased = compiled.names_pattern.sub(
            lambda match: compiled.names.get(tag_key(match.group()), match.group()), cased
        )
    if at_sentence_start:
        cased = cased[:1].upper() + cased[1:]
    return cased


def _shouting(text, compiled, links) -> list[Finding]:
    findings = []
    if _CAPS_PAIR.search(text) is not None and _CAPS_RUN.search(text) is not None:
        for match in _CAPS_RUN.finditer(text):
            if _overlaps(*match.span(), links):
                continue
            words = _CAPS_WORDS.findall(match.group())
            not_acronyms = [w for w in words if w not in KNOWN_ACRONYMS and w not in compiled.capital_names]
            if len(not_acronyms) < 3:
                continue
            before = text[: match.start()].rstrip(" \t\"'“‘(")
            at_sentence_start = not before or (not before[-1].isalnum() and before[-1] not in ",;–—-")
            findings.append(
                Finding(
                    "shouting_capitals",
                    Severity.WARN,
                    f"{_quote(match.group())} is in capitals, which reads as shouting. Write it in sentence case.",
                    match.start(),
                    match.end(),
                    _sentence_case(match.group(), at_sentence_start, compiled),
                )
            )
            if len(findings) >= MAX_FINDINGS_PER_RULE:
                return findings
    stacked = 0
    for match in _MARKS.finditer(text):
        marks = match.group()
        if len(marks) == 1 and marks not in "‼⁇⁈⁉":
            continue
        stacked += 1
        if stacked > MAX_FINDINGS_PER_RULE:
            break
        single = "?" if any(char in "?？⁇⁈⁉" for char in marks) else "!"
        findings.append(
            Finding(
                "shouting_punctuation",
                Severity.INFO,
                f"“{marks}” reads as shouting; one “{single}” is enough.",
                match.start(),
                match.end(),
                single,
            )
        )
    return findings


# The post as a whole ------------------------------------------------------------------------------


def _post_findings(content: PostContent, kit: KitRules, today: dt.date | None) -> list[Finding]:
    findings = []
    if content.intent in CTA_INTENTS and not content.cta_label.strip():
        examples = "“Shop now” or “Order yours”" if content.intent == "buy" else "“Book a table” or “Sign up”"
        findings.append(
            Finding(
                "cta_missing",
                Severity.WARN,
                f"This post asks people to {content.intent} something but has no call to action. "
                f"Add a call-to-action label such as {examples}, and its link.",
            )
        )
    if content.scheduled_at is not None:
        findings += sensitive_date_findings(local_date(content.scheduled_at, kit.time_zone), kit)
    elif today is not None:
        findings += sensitive_date_findings(today, kit, scheduled=False)
    return findings
