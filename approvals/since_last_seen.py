"""What changed in a post since a tier last looked at it.

A reviewer who sent a post back wants to see what the author did about it, not read the whole
post again. The tier's last decision on the post is bound to the revision it saw
(ReviewDecision.revision), so the change is the difference between that revision's content and
the one under review now, part by part (the parts that go out: approvals.hashing.content_parts),
with the caption compared word by word.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime
from wagtail.models import Revision, TaskState

from brands.checks.platforms import PLATFORM_SPECS

from .authorship import FIELD_NAMES
from .hashing import CHILD_KEYS, CONTENT_KEYS, content_parts
from .models import ReviewDecision

# Each part as people call it: the four-eyes rule's names for the fields, and the parts that
# hold several pieces by the name of the whole.
PART_NAMES = {
    **FIELD_NAMES,
    "platforms": "platforms",
    "media": "images",
    "poll_options": "poll options",
    "caption_variants": "per-platform captions",
}

# Words, runs of spaces and single other characters: a changed word shows as that word, and a
# changed line break as a line break.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class TextPiece:
    """A run of text that is the same in both versions (`kind` "same"), or only in the one seen
    before ("removed") or only in the one under review ("added")."""

    kind: str
    text: str


@dataclass
class ImageRef:
    """An image of one version of the post; the caller fills in `image` (to show it)."""

    image_id: int
    alt_text: str
    image: object | None = None


@dataclass(frozen=True)
class PartChange:
    """One part of the post that changed: `name` as people call it, `before` and `after` as
    short readable values; text parts also carry the word-by-word `pieces`, the images part
    the images of each version."""

    part: str
    name: str
    before: str = ""
    after: str = ""
    pieces: tuple[TextPiece, ...] = ()
    images_before: tuple[ImageRef, ...] = ()
    images_after: tuple[ImageRef, ...] = ()


@dataclass
class SinceLastSeen:
    """The tier's last decision on the post and what changed since the revision it saw."""

    decision: ReviewDecision
    changes: list[PartChange] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not self.changes


def last_decision_of_tier(task_state: TaskState) -> ReviewDecision | None:
    """The latest decision anyone made on this tier of this post (this visit or an earlier one),
    with its revision and who made it; None if the tier has not decided on the post before."""
    workflow_state = task_state.workflow_state
    return (
        ReviewDecision.objects.filter(
            task_state__task_id=task_state.task_id,
            task_state__workflow_state__base_content_type_id=workflow_state.base_content_type_id,
            task_state__workflow_state__object_id=workflow_state.object_id,
        )
        .select_related("revision", "user")
        .order_by("-created_at", "-pk")
        .first()
    )


def since_last_seen(task_state: TaskState, revision: Revision) -> SinceLastSeen | None:
    """What changed in `revision` (the post under review) since this tier last decided on the
    post; None when it never has."""
    decision = last_decision_of_tier(task_state)
    if decision is None:
        return None
    return SinceLastSeen(decision, content_changes(decision.revision.content, revision.content))


def content_changes(before: dict, after: dict) -> list[PartChange]:
    """The parts that differ between two versions of a post (Revision.content), in the order
    the post is read: caption first, then what else goes out."""
    old, new = content_parts(before), content_parts(after)
    changes = []
    for part in ["caption", *[key for key in CONTENT_KEYS if key != "caption"], *CHILD_KEYS]:
        if old[part] == new[part]:
            continue
        changes.append(_describe(part, old[part], new[part]))
    return changes


def text_pieces(before: str, after: str) -> tuple[TextPiece, ...]:
    """`after` against `before`, word by word."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    pieces: list[TextPiece] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            pieces.append(TextPiece("same", "".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            pieces.append(TextPiece("removed", "".join(old[old_start:old_end])))
        if new_end > new_start:
            pieces.append(TextPiece("added", "".join(new[new_start:new_end])))
    return tuple(pieces)


def _describe(part: str, before, after) -> PartChange:
    name = PART_NAMES[part].capitalize()
    if part in ("caption", "cta_label", "cta_url", "campaign"):
        return PartChange(part, name, before or "", after or "", text_pieces(before or "", after or ""))
    if part == "platforms":
        return PartChange(part, name, _platforms(before), _platforms(after))
    if part == "go_live_at":
        return PartChange(part, name, _moment(before), _moment(after))
    if part == "sponsored":
        return PartChange(part, name, _yes_no(before), _yes_no(after))
    if part == "media":
        return PartChange(part, name, images_before=_images(before), images_after=_images(after))
    if part == "poll_options":
        return PartChange(
            part, name, _joined(row["label"] for row in before), _joined(row["label"] for row in after)
        )
    if part == "caption_variants":
        return PartChange(part, name, _variants(before), _variants(after))
    return PartChange(part, name, str(before or "none"), str(after or "none"))


def _platforms(codes) -> str:
    names = [PLATFORM_SPECS[code].name if code in PLATFORM_SPECS else str(code) for code in codes or []]
    return _joined(names)


def _moment(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return "no date"
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} UTC"


def _yes_no(value) -> str:
    return "yes" if value else "no"


def _images(rows) -> tuple[ImageRef, ...]:
    return tuple(ImageRef(row["image"], row["alt_text"] or "") for row in rows if row.get("image"))


def _variants(rows) -> str:
    return _joined(
        f"{PLATFORM_SPECS[row['platform']].name if row['platform'] in PLATFORM_SPECS else row['platform']}: "
        f"{row['caption']}"
        for row in rows
    )


def _joined(values) -> str:
    values = list(values)
    return "; ".join(values) if values else "none"
