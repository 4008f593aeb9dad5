"""The brand consistency checker: pure functions from post content and a brand kit to findings.

No database and no Django: `cms/posts/checking.py` builds the plain data in `types.py` and calls
`check_post`. Caption rules live in `text.py`, image rules in `images.py`, platform numbers in
`platforms.py`.
"""

import datetime as dt

from .images import check_images
from .matching import compile_kit
from .text import check_caption, is_high_risk, sort_findings
from .types import Finding, KitRules, PostContent

__all__ = ["check_caption", "check_images", "check_post", "compile_kit", "is_high_risk"]


def check_post(content: PostContent, kit: KitRules, *, today: dt.date | None = None) -> list[Finding]:
    """Every finding for the post, caption and images, blocking ones first."""
    return sort_findings(check_caption(content, kit, today=today) + check_images(content, kit))
