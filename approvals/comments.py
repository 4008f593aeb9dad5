"""Review comments on a post: on a span of its caption, on one of its images, or on the whole post;
replies, resolving and reopening. Wagtail's own commenting is page-only, so this is ours.

The editor's comments panel (with its no-JavaScript fallback) and the API both call these, so
every entry point checks, validates and logs the same way.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from brands.models import BrandRole
from brands.scoping import brand_roles_of
from cms.posts.models import Post

from .models import ReviewComment

Anchor = ReviewComment.Anchor

MAX_BODY_LENGTH = 5000
COMMENTER_ROLES = {BrandRole.REVIEWER, BrandRole.LEAD}
LOGGED_EXCERPT_LENGTH = 80


def _staff_member(user) -> bool:
    # Clients work in the portal only: even a client account that somehow has a brand role may not.
    return user.is_authenticated and user.is_active and not hasattr(user, "client_user")


def may_comment(user, post: Post) -> bool:
    """Start a thread: the brand's reviewers and account leads, and superusers."""
    if not _staff_member(user):
        return False
    return user.is_superuser or brand_roles_of(user).get(post.brand_id) in COMMENTER_ROLES


def may_take_part(user, post: Post) -> bool:
    """Reply, resolve and reopen: the commenters, plus the post's author and the brand's people
    who can edit the post (its creatives), as long as they are still on the brand."""
    if may_comment(user, post):
        return True
    if not _staff_member(user) or brand_roles_of(user).get(post.brand_id) is None:
        return False
    return post.created_by_id == user.pk or policy_registry.get_by_type(
        Post
    ).user_has_permission_for_instance(user, "change", post)


def latest_content(post: Post) -> Post:
    """The post as in its latest revision: what reviewers review and comment on (a live post's
    row keeps its live content until the next version is published)."""
    revision = post.latest_revision
    return revision.as_object() if revision is not None else post


def _same_text(a: str, b: str) -> bool:
    # A caption saved from a form has "\r\n" line breaks; a browser's textarea shows "\n".
    return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")


def _body(body: str, errors: dict) -> str:
    body = (body or "").strip()
    if not body:
        errors["body"] = "Write a comment first: it can't be empty."
    elif len(body) > MAX_BODY_LENGTH:
        errors["body"] = f"Keep comments under {MAX_BODY_LENGTH:,} characters (this one has {len(body):,})."
    return body


def _caption_span(caption: str, start, end, quote, errors: dict) -> tuple[int, int, str] | None:
    """Check a span of code points lies inside the caption and holds some text."""
    if start is None or end is None:
        errors["span"] = "Select the words in the caption you are commenting on."
        return None
    if start < 0 or end > len(caption) or start > end:
        errors["span"] = (
            f"The selection ({start}–{end}) is outside the caption, which has {len(caption)} characters. "
            "Reload the post and select the words again."
        )
        return None
    quoted = caption[start:end]
    if not quoted.strip():
        errors["span"] = "Select at least one word of the caption."
        return None
    if quote is not None and not _same_text(quote, quoted):
        errors["span"] = (
            "The caption changed since you selected the words (yours has unsaved edits, or someone "
            "saved a new version). Save or reload the post, then select them again."
        )
        return None
    return start, end, quoted


def _post_image(content: Post, image_id, errors: dict):
    if image_id is None:
        errors["image"] = "Choose which of the post's images you are commenting on."
        return None
    if image_id not in {media.image_id for media in content.media.all()}:
        errors["image"] = "That image is not one of this post's images: choose one of them."
        return None
    return get_image_model().objects.filter(pk=image_id).first()


@transaction.atomic
def add_comment(
    *,
    post: Post,
    user,
    body: str,
    anchor: str = Anchor.POST,
    span_start: int | None = None,
    span_end: int | None = None,
    quote: str | None = None,
    image_id: int | None = None,
) -> ReviewComment:
    """Start a comment thread on the post as it is in its latest revision.

    A caption comment gives `span_start`/`span_end` in code points of that caption (an emoji is
    one); pass `quote`, the text the commenter saw there, to refuse the comment when the caption
    changed under them. An image comment names one of the post's images by `image_id`.
    Raises ValidationError (keyed by body, anchor, span, image) with every problem at once.
    """
    if not may_comment(user, post):
        raise PermissionDenied(f"Only {post.brand}'s reviewers and account leads can comment on its posts.")
    content = latest_content(post)
    errors: dict[str, str] = {}
    body = _body(body, errors)
    comment = ReviewComment(post=post, author=user, body=body, anchor=anchor, revision=post.latest_revision)
    if anchor == Anchor.CAPTION:
        span = _caption_span(content.caption, span_start, span_end, quote, errors)
        if span is not None:
            comment.span_start, comment.span_end, comment.quote = span
    elif anchor == Anchor.IMAGE:
        comment.image = _post_image(content, image_id, errors)
    elif anchor != Anchor.POST:
        errors["anchor"] = f"Comment on one of: {', '.join(Anchor.values)}."
    if errors:
        raise ValidationError(errors)
    comment.save()
    _log(comment, "signoff.comment_added", user)
    return comment


def _thread_of(comment: ReviewComment) -> ReviewComment:
    """Threads are one level deep: a reply to a reply joins the first comment's thread."""
    if comment.parent_id is None:
        return comment
    return ReviewComment.objects.select_related("post").get(pk=comment.parent_id)


def _check_may_take_part(user, post: Post) -> None:
    if not may_take_part(user, post):
        raise PermissionDenied(f"Only {post.brand}'s team on this post can reply to or resolve its comments.")


@transaction.atomic
def reply(*, comment: ReviewComment, user, body: str) -> ReviewComment:
    """Answer a thread (replying to a reply answers its thread)."""
    thread = _thread_of(comment)
    post = thread.post
    _check_may_take_part(user, post)
    errors: dict[str, str] = {}
    body = _body(body, errors)
    if errors:
        raise ValidationError(errors)
    answer = ReviewComment.objects.create(
        post=post, parent=thread, author=user, body=body, revision=post.latest_revision
    )
    _log(answer, "signoff.comment_added", user)
    return answer


@transaction.atomic
def resolve(*, comment: ReviewComment, user) -> ReviewComment:
    """Mark a thread resolved. Resolving a resolved thread changes nothing and logs nothing."""
    thread = _thread_of(comment)
    _check_may_take_part(user, thread.post)
    # Conditional, so two people resolving at once log it once.
    if ReviewComment.objects.filter(pk=thread.pk, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=user
    ):
        _log(thread, "signoff.comment_resolved", user)
    thread.refresh_from_db()
    return thread


@transaction.atomic
def reopen(*, comment: ReviewComment, user) -> ReviewComment:
    """Open a resolved thread again (it wasn't fixed after all)."""
    thread = _thread_of(comment)
    _check_may_take_part(user, thread.post)
    if (
        ReviewComment.objects.filter(pk=thread.pk)
        .exclude(resolved_at=None)
        .update(resolved_at=None, resolved_by=None)
    ):
        _log(thread, "signoff.comment_reopened", user)
    thread.refresh_from_db()
    return thread


def _log(comment: ReviewComment, action: str, user) -> None:
    """A history entry on the post: which comment, on what, and the start of what it says."""
    body = comment.body
    excerpt = body if len(body) <= LOGGED_EXCERPT_LENGTH else body[: LOGGED_EXCERPT_LENGTH - 1] + "…"
    data = {"comment": comment.pk, "on": comment.anchor, "excerpt": excerpt}
    if comment.parent_id:
        data = {"comment": comment.pk, "reply_to": comment.parent_id, "excerpt": excerpt}
    log(instance=comment.post, action=action, user=user, data=data)
