"""What the image admin's pages say about an image held by approvals (cms/posts/image_holds.py)."""

from dataclasses import dataclass, field

from django import template

from cms.posts.image_holds import posts_holding
from cms.posts.models import Post

from ..selectors import brands_for

register = template.Library()


@dataclass
class ImageHolds:
    posts: list[Post] = field(default_factory=list)  # those the user may see, to name and link
    others: int = 0  # held by posts of brands the user doesn't work on: counted, never named

    def __bool__(self) -> bool:
        return bool(self.posts or self.others)


def holds_as_seen_by(posts: list[Post], brand_ids: set[int]) -> ImageHolds:
    """The holds of these posts as told to a user working on `brand_ids`."""
    visible = [post for post in posts if post.brand_id in brand_ids]
    return ImageHolds(posts=visible, others=len(posts) - len(visible))


def user_brand_ids(user) -> set[int]:
    return set(brands_for(user).values_list("pk", flat=True))


@register.simple_tag(takes_context=True)
def image_holds(context, image) -> ImageHolds:
    """{% image_holds image as holds %}: the posts holding `image`, as far as the user may know."""
    return holds_as_seen_by(posts_holding(image), user_brand_ids(context["request"].user))
