"""Links to a published post's images for the tools that post it: a webhook receiver can't sign
in, so each image it gets is a signed link to that one file that expires after
SIGNOFF_MEDIA_LINK_DAYS. Nothing else under the media root is reachable without signing in."""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model

from cms.media import outgoing_copy, serve_file

SALT = "signoff.media-link"


def signed_media_url(image) -> str:
    token = signing.dumps({"image": image.pk}, salt=SALT, compress=True)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("media-link", args=[token])


@require_safe
def media_link(request, token: str):
    """The image a signed link names, while the link is valid (without the original file's
    metadata: cms.media.outgoing_copy); otherwise nothing is there."""
    max_age = settings.SIGNOFF_MEDIA_LINK_DAYS * 24 * 3600
    try:
        image_id = signing.loads(token, salt=SALT, max_age=max_age)["image"]
    except (signing.BadSignature, KeyError, TypeError) as invalid:
        raise Http404("No such file.") from invalid
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        raise Http404("No such file.")
    return serve_file(outgoing_copy(image).file)
