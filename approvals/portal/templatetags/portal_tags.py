"""Template helpers for the portal's own templates (templates/portal/)."""

from django import template

from cms.posts.models import client_title

from ..selectors import PortalStatus, portal_branding

register = template.Library()


@register.simple_tag(takes_context=True)
def branding(context):
    """The agency's portal branding, loaded once per request (every portal page's frame shows it,
    the sign-in and password pages included)."""
    request = context.get("request")
    if request is None:
        return portal_branding()
    if not hasattr(request, "_portal_branding"):
        request._portal_branding = portal_branding()
    return request._portal_branding


@register.filter
def status_label(value: str) -> str:
    """A portal status code as the client reads it."""
    try:
        return PortalStatus(value).label
    except ValueError:
        return ""


@register.filter
def archive_title(entry) -> str:
    """An archived post's name as the client reads it: from the caption that went out, never the
    team's internal title."""
    return client_title(entry.caption, entry.format)
