"""Images held by approvals: what was approved is what goes out, and what the record shows.

An approval is bound to a revision's content hash, and the content names its images by id only.
So while a version of a post is in review, approved and waiting for its time, live, or in the
archive of what went out, the images it uses are held as they are: their file and focal point
(which decides every crop that goes out) can't change and they can't be deleted, by anyone.
Title, description (alt text) and tags are the team's own labels and stay editable. A new
picture is a new image, used by a new version of the post, which goes through approval in turn.

Which images each revision uses is kept in RevisionImage rows, written whenever a revision is
saved (signals.py). Every path that changes or deletes an image meets the hold in the model's
own save (refuse_change) and delete (RevisionImage's on_delete); the admin's image form, delete page and
bulk delete ask first (held_image_ids, holds_on), so they can say why instead of refusing.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.images import get_image_model
from wagtail.models import Revision, TaskState, WorkflowState

from .models import Post, PostMedia, RevisionImage

# What of an image goes out: the picture and the area every crop keeps.
HELD_FIELDS = ("file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")


class ImageHeld(PermissionDenied):
    """Refused: the image is used by a version of a post that is under approval or went out."""

    def __init__(self, image, posts: Iterable[Post]):
        self.image = image
        self.posts = list(posts)
        super().__init__(held_message(image, self.posts))


def held_message(image, posts: Iterable[Post]) -> str:
    titles = ", ".join(f"“{post.title}”" for post in posts)
    return (
        f"“{image.title}” is used by posts in review, approved or published ({titles}): "
        "its file and focal point can’t change and it can’t be deleted. "
        "To use a different picture, upload it as a new image and put that in the post."
    )


class ImageInUse(PermissionDenied):
    """Refused: a post shows the image in its current draft (PostMedia keeps it), so deleting it
    would take it out of that post behind its author's back."""

    def __init__(self, image, posts: Iterable[Post]):
        self.image = image
        self.posts = list(posts)
        super().__init__(in_use_message(image, self.posts))


def in_use_message(image, posts: Iterable[Post]) -> str:
    titles = ", ".join(f"“{post.title}”" for post in posts) or "a post"
    return f"“{image.title}” is in {titles}: take it out of the post first, then delete it."


def images_in(content: dict) -> set[int]:
    """The ids of the images a post revision's content (Revision.content) uses."""
    ids = set()
    for row in (content or {}).get("media") or []:
        image_id = row.get("image") if isinstance(row, dict) else None
        if isinstance(image_id, int) or (isinstance(image_id, str) and image_id.isdigit()):
            ids.add(int(image_id))
    return ids


def record_revision_images(revision: Revision) -> None:
    """Write which images `revision` uses (again, if Wagtail rewrote the revision in place)."""
    wanted = set(
        get_image_model().objects.filter(pk__in=images_in(revision.content)).values_list("pk", flat=True)
    )
    with transaction.atomic():
        rows = RevisionImage.objects.filter(revision=revision)
        rows.exclude(image_id__in=wanted).delete()
        have = set(rows.values_list("image_id", flat=True))
        RevisionImage.objects.bulk_create(
            [RevisionImage(revision=revision, image_id=image_id) for image_id in wanted - have],
            ignore_conflicts=True,
        )


def holding_revisions() -> QuerySet[Revision]:
    """The post revisions whose images are held: the version in review and what the tiers of
    its running workflow approved so far, the approved version waiting for its time, the live
    one, and every version that went out (the archive). A version withdrawn, sent back with
    changes requested or replaced before it went out holds nothing any more."""
    from cms.archive.models import ArchiveEntry  # the archive builds on posts

    post_type = ContentType.objects.get_for_model(Post)
    running = WorkflowState.objects.filter(
        base_content_type=post_type, status=WorkflowState.STATUS_IN_PROGRESS
    )
    in_review = Post.objects.filter(Exists(running.filter(object_id=Cast(OuterRef("pk"), CharField()))))
    return Revision.objects.filter(base_content_type=post_type).filter(
        Q(pk__in=in_review.values("latest_revision_id"))
        | Q(
            pk__in=TaskState.objects.filter(workflow_state__in=running)
            .exclude(status=TaskState.STATUS_CANCELLED)
            .values("revision_id")
        )
        | Q(approved_go_live_at__isnull=False)
        | Q(pk__in=Post.objects.filter(live_revision__isnull=False).values("live_revision_id"))
        | Q(pk__in=ArchiveEntry.objects.values("revision_id"))
    )


def held_image_ids(image_ids: Iterable[int]) -> set[int]:
    """Which of these images are held."""
    return set(
        RevisionImage.objects.filter(image_id__in=list(image_ids), revision__in=holding_revisions())
        .values_list("image_id", flat=True)
        .distinct()
    )


def holds_on(image_ids: Iterable[int]) -> dict[int, list[Post]]:
    """{image id: the posts with a held version using it, with their status} for the held ones."""
    pairs = set(
        RevisionImage.objects.filter(image_id__in=list(image_ids), revision__in=holding_revisions())
        .values_list("image_id", "revision__object_id")
        .distinct()
    )
    posts = (
        Post.objects.with_status()
        .filter(pk__in={int(object_id) for _, object_id in pairs})
        .select_related("brand")
        .in_bulk()
    )
    holds: dict[int, list[Post]] = {}
    for image_id, object_id in pairs:
        if int(object_id) in posts:
            holds.setdefault(image_id, []).append(posts[int(object_id)])
    for held_by in holds.values():
        held_by.sort(key=lambda post: (post.title.casefold(), post.pk))
    return holds


def posts_holding(image) -> list[Post]:
    """The posts with a held version that uses `image`, with their status (empty: not held)."""
    if image.pk is None:
        return []
    return holds_on([image.pk]).get(image.pk, [])


def refuse_change(image) -> None:
    """Raise ImageHeld if saving `image` would change a held image's file or focal point."""
    if image.pk is None:
        return
    before = type(image)._default_manager.filter(pk=image.pk).values(*HELD_FIELDS).first()
    if before is None:
        return
    now = {name: getattr(image, name) for name in HELD_FIELDS}
    now["file"] = image.file.name if image.file else ""
    if before == now:
        return
    posts = posts_holding(image)
    if posts:
        raise ImageHeld(image, posts)


def posts_using(image_ids: Iterable[int]) -> dict[int, list[Post]]:
    """{image id: the posts whose current draft shows it} for the images some post shows."""
    pairs = set(PostMedia.objects.filter(image_id__in=list(image_ids)).values_list("image_id", "post_id"))
    posts = Post.objects.filter(pk__in={post_id for _, post_id in pairs}).in_bulk()
    using: dict[int, list[Post]] = {}
    for image_id, post_id in sorted(pairs):
        using.setdefault(image_id, []).append(posts[post_id])
    return using


def refuse_to_delete_images_in_posts(post_media: QuerySet[PostMedia]) -> None:
    """Raise ImageInUse if a post's current draft shows any of these images."""
    row = post_media.select_related("image").first()
    if row is not None:
        raise ImageInUse(row.image, posts_using([row.image_id]).get(row.image_id, []))


def refuse_to_delete_held_images(revision_images: QuerySet[RevisionImage]) -> None:
    """Raise ImageHeld if any of these rows (of images about to be deleted) is a held revision's."""
    held = revision_images.filter(revision__in=holding_revisions()).values_list("image_id", flat=True)
    image_id = held.first()
    if image_id is not None:
        image = get_image_model().objects.get(pk=image_id)
        raise ImageHeld(image, posts_holding(image))
