"""The bridge between posts in the database (or in the editor's form) and the pure checker.

The checker in `brands/checks/` takes plain data; this module builds that data from a brand's
kit and from a post or the editor's unsaved form, and answers the questions the rest of the
product asks: what are the findings, and does anything block submission?
"""

import logging
from collections import Counter

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from brands.checks import check_post
from brands.checks.similarity import check_near_duplicates
from brands.checks.text import sort_findings
from brands.checks.types import (
    BannedPhraseRule,
    Finding,
    ImageInput,
    KitRules,
    PostContent,
    SensitiveDateRule,
    Severity,
)
from brands.forms import live_rows
from brands.models import Brand, BrandKit, HashtagRule
from cms.archive.selectors import near_duplicate_candidates

from .models import CheckedRevision

logger = logging.getLogger(__name__)


def kit_rules_for(brand: Brand) -> KitRules:
    """The brand kit's rules as the checker's plain data (a fixed handful of queries)."""
    kit = BrandKit.objects.prefetch_related(
        "banned_phrases", "hashtag_rules", "name_spellings", "sensitive_dates", "colours"
    ).get(brand=brand)
    hashtags = list(kit.hashtag_rules.all())
    return KitRules(
        brand_name=brand.name,
        banned_phrases=tuple(
            BannedPhraseRule(phrase.phrase, phrase.suggestion, Severity(phrase.severity), phrase.exact)
            for phrase in kit.banned_phrases.all()
        ),
        required_hashtags=tuple(rule.hashtag for rule in hashtags if rule.kind == HashtagRule.Kind.REQUIRED),
        forbidden_hashtags=tuple(
            rule.hashtag for rule in hashtags if rule.kind == HashtagRule.Kind.FORBIDDEN
        ),
        sponsored_disclaimer=kit.sponsored_disclaimer,
        name_spellings=tuple(spelling.name for spelling in kit.name_spellings.all()),
        emoji_policy=kit.emoji_policy,
        emoji_limit=kit.emoji_limit,
        sensitive_dates=tuple(
            SensitiveDateRule(date.date, date.label, date.recurs_yearly, date.reason, date.window_days)
            for date in kit.sensitive_dates.all()
        ),
        palette=tuple(colour.hex for colour in kit.colours.all()),
        palette_names=tuple(colour.name for colour in kit.colours.all()),
        time_zone=brand.time_zone,
    )


def _read(image) -> bytes | None:
    try:
        with image.file.open("rb") as file:
            return file.read()
    except (OSError, ValueError):
        logger.warning("Image %s (%s) could not be read for checking", image.pk, image.file.name)
        return None


def image_input(brand: Brand, image, alt_text: str) -> ImageInput:
    return ImageInput(
        data=_read(image), alt_text=alt_text, title=image.title, in_brand_collection=brand.owns_image(image)
    )


def content_of(post) -> PostContent:
    """A saved post's content, as the checker sees it."""
    return PostContent(
        caption=post.caption,
        platforms=tuple(post.platforms.values_list("code", flat=True)),
        format=post.format,
        intent=post.intent,
        cta_label=post.cta_label,
        cta_url=post.cta_url,
        sponsored=post.sponsored,
        scheduled_at=post.go_live_at,
        caption_variants={variant.platform_id: variant.caption for variant in post.caption_variants.all()},
        images=tuple(
            image_input(post.brand, media.image, media.alt_text)
            for media in post.media.select_related("image").order_by("sort_order")
        ),
    )


def content_of_form(form, brand: Brand) -> PostContent:
    """What the editor's form holds right now, valid or not, as the checker sees it.

    The caption is taken as typed (even when too long to save) so the checker can say why.
    """
    data, cleaned = form.data, getattr(form, "cleaned_data", {})
    scheduled_at = cleaned.get("go_live_at")
    if scheduled_at is None and data.get("go_live_at"):
        try:
            scheduled_at = parse_datetime(data.get("go_live_at", ""))
        except ValueError:  # e.g. 30 February: the form says so; the checker just skips dates
            scheduled_at = None
    media = _images_in_form(form.formsets["media"])
    variants = {
        row.cleaned_data["platform"].code: row.cleaned_data.get("caption", "")
        for row in live_rows(form.formsets["caption_variants"])
        if row.cleaned_data.get("platform")
    }
    return PostContent(
        caption=data.get("caption", ""),
        platforms=tuple(platform.code for platform in cleaned.get("platforms", [])),
        format=cleaned.get("format") or data.get("format", "feed"),
        intent=cleaned.get("intent") or data.get("intent", "know"),
        cta_label=cleaned.get("cta_label", ""),
        cta_url=cleaned.get("cta_url", ""),
        sponsored=bool(cleaned.get("sponsored")),
        scheduled_at=scheduled_at,
        caption_variants=variants,
        images=tuple(image_input(brand, image, alt_text) for image, alt_text in media),
    )


def _images_in_form(formset) -> list[tuple]:
    """(image, alt text as typed) of each image row not being deleted, valid or not.

    A row whose alt text is missing is invalid, but its image is in the post (a draft saves
    without it): the checker has to see it to say the alt text is missing.
    """
    images = []
    for row in formset.forms:
        row.is_valid()
        cleaned = getattr(row, "cleaned_data", {})
        if cleaned.get("image") and not cleaned.get("DELETE"):
            images.append((cleaned["image"], cleaned.get("alt_text", row["alt_text"].value() or "")))
    return images


NO_PLATFORM = Finding(
    rule="no_platform",
    severity=Severity.BLOCK,
    message="Choose at least one platform: a post is checked against its platforms' rules.",
)


def findings_for(content: PostContent, brand: Brand, *, post_id: int | None = None) -> list[Finding]:
    """The checker's findings on the content; a post with no platform can't be checked against
    any platform's rules, so it is blocked (the gate fails closed).

    The one place findings are put together: the editor's live checks, submission, publishing
    and the API all come here. Besides the kit's rules, the caption is compared with what went out
    before (a warning when it nearly repeats the brand's recent post or another client's);
    `post_id` keeps a post from being compared with its own archived versions."""
    findings = check_post(content, kit_rules_for(brand))
    findings += check_near_duplicates(
        content.caption,
        near_duplicate_candidates(
            brand=brand, caption=content.caption, now=timezone.now(), exclude_post_id=post_id
        ),
        time_zone=brand.tz,
    )
    findings = sort_findings(findings)
    if not content.platforms:
        findings.insert(0, NO_PLATFORM)
    return findings


def blocking(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == Severity.BLOCK]


def not_overridden(findings: list, overrides) -> list:
    """The blocking ones of `findings` (Findings, or their dicts as kept) that no lead's override
    named: what still stops the post at submission and approval.

    An override covers exactly the findings it recorded, each once: a blocking finding an edit
    brings in later (another banned word, another occurrence of the same one, a new platform's
    limit) needs an override of its own. Findings are told apart by rule, platform and message,
    which names what is wrong (the phrase, the image, the limit), not by span, which moves as
    the caption is edited around it. Each override records only what none before it covered
    (PostForm), so their counts add up.
    """
    covered = Counter()
    for override in overrides:
        covered.update(_identity(finding) for finding in override.findings if _blocks(finding))
    left = []
    for finding in findings:
        if not _blocks(finding):
            continue
        identity = _identity(finding)
        if covered[identity] > 0:
            covered[identity] -= 1
        else:
            left.append(finding)
    return left


def _blocks(finding) -> bool:
    severity = finding["severity"] if isinstance(finding, dict) else finding.severity
    return severity == Severity.BLOCK


def _identity(finding) -> tuple:
    if isinstance(finding, dict):
        return finding.get("rule"), finding.get("platform"), finding.get("message")
    return finding.rule, finding.platform, finding.message


def record_findings(revision, findings: list[Finding]) -> CheckedRevision:
    """Keep the findings on a revision, for lists that show them without checking again."""
    checked, _ = CheckedRevision.objects.update_or_create(
        revision=revision,
        defaults={
            "findings": [finding.as_dict() for finding in findings],
            "blocking_count": len(blocking(findings)),
        },
    )
    return checked


def checked_revisions(revisions) -> dict[int, CheckedRevision]:
    """The findings on each revision by its id, checking (and keeping) any not checked before.

    Revisions are checked when submitted; one saved while in review is checked on first sight.
    """
    known = CheckedRevision.objects.in_bulk([revision.pk for revision in revisions])
    for revision in revisions:
        if revision.pk not in known:
            post = revision.as_object()
            known[revision.pk] = record_findings(
                revision, findings_for(content_of(post), post.brand, post_id=post.pk)
            )
    return known
