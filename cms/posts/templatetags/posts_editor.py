"""Template tags of the post editor."""

from django import template

from cms.posts.previews import PREVIEW_MODES

register = template.Library()


@register.simple_tag
def preview_mode_platforms() -> dict[str, dict[str, str]]:
    """Each preview mode's platform code and format (cms.posts.previews.PREVIEW_MODES)."""
    return {
        mode: {"platform": code, "format": post_format} for mode, (code, post_format) in PREVIEW_MODES.items()
    }
