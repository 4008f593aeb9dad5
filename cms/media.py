"""Uploaded files (images, their renditions, avatars): stored under names nobody can guess, and
served only through views that check who is asking.

Storage: every name the storage writes gets a random part (`<16 random characters>_<name>`), so
neither the name a file was uploaded with nor the rendition names Wagtail derives from it
(`<name>.max-1600x1600.jpg`) lead to it. It is done in the storage, not in the image model's
`upload_to`: Wagtail's stock image and rendition models stay as they are (a custom image model
would move every image reference in a migration), and avatars get the same treatment. Files
stored before keep their names and are served like any other.

Serving: nothing under MEDIA_ROOT is served as it stands. `/media/<name>` (what `rendition.url`
and `image.file.url` give) answers the agency's staff with the images of their brands
(`brands.selectors.images_visible_to`) and Wagtail's avatars to anyone in the admin; anything
else, and any request signed out, is not found. Clients see images through the portal's own
views, which check the post (approvals/portal/views.py). Every one of them sends the file with
`serve_file`: from Django by default, or by the web server (SIGNOFF_MEDIA_SERVE, see the README).
"""

import functools
import mimetypes
import os
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from brands.selectors import images_visible_to

# How long a browser may keep a file it was allowed to see (files never change under a name).
CACHE_SECONDS = 3600


class RandomNamesMixin:
    """A random part in every new file's name, whatever the storage."""

    def generate_filename(self, filename):
        directory, name = os.path.split(super().generate_filename(filename))
        # 96 random bits; the name stays readable after it. (A name too long for its column is
        # shortened by Storage.get_available_name, from the end of the original name.)
        return os.path.join(directory, f"{secrets.token_urlsafe(12)}_{name}")


class PrivateMediaStorage(RandomNamesMixin, FileSystemStorage):
    """The file system storage, with a random part in every new file's name."""


@functools.cache  # one class, however often STORAGES names it
def private_s3_storage_class():
    """The S3-compatible storage (django-storages, installed with the `s3` extra) with random
    names; its bucket must be private (SIGNOFF_MEDIA_STORAGE=s3, docs/deploy.md)."""
    from storages.backends.s3 import S3Storage

    return type("PrivateS3Storage", (RandomNamesMixin, S3Storage), {"__module__": __name__})


def __getattr__(name):
    # STORAGES names a class by its dotted path; this one exists only where django-storages does.
    if name == "PrivateS3Storage":
        return private_s3_storage_class()
    raise AttributeError(name)


def serve_file(file, *, public: bool = False) -> HttpResponse:
    """Answer with a stored file, once the caller has checked that the user may see it.

    SIGNOFF_MEDIA_SERVE: "django" streams it from here; "x-accel-redirect" (nginx) and
    "x-sendfile" (Apache mod_xsendfile, lighttpd) hand the sending to the web server, which
    must not serve MEDIA_ROOT publicly itself.
    """
    name = file.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    mode = settings.SIGNOFF_MEDIA_SERVE
    if mode == "x-accel-redirect":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.SIGNOFF_MEDIA_INTERNAL_URL + quote(name)
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = file.storage.path(name)
    else:
        try:
            handle = file.storage.open(name, "rb")
        except FileNotFoundError as missing:
            raise Http404("No such file.") from missing
        response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age={CACHE_SECONDS}"
    return response


def _file_for(user, name: str):
    """The stored file called `name` if `user` may see it, else None."""
    if not user.is_authenticated or not user.is_active:
        return None
    visible = images_visible_to(user)
    # Renditions first: most requests are thumbnails and previews.
    rendition = get_image_model().get_rendition_model().objects.filter(file=name, image__in=visible).first()
    if rendition is not None:
        return rendition.file
    image = visible.filter(file=name).first()
    if image is not None:
        return image.file
    if user.has_perm("wagtailadmin.access_admin"):
        profile = UserProfile.objects.filter(avatar=name).first()
        if profile is not None:
            return profile.avatar
    return None


@require_safe
def media_file(request, name: str) -> HttpResponse:
    """A file under MEDIA_URL, for those who may see it; for everyone else, nothing is there."""
    file = _file_for(request.user, name)
    if file is None:
        raise Http404("No such file.")
    return serve_file(file)


# Full size, turned the way it is shown, without the file's metadata (brands.image_operations),
# re-encoded at a quality that loses nothing visible.
OUTGOING_SPEC = "original|stripmetadata|jpegquality-95|webpquality-95"


def outgoing_copy(image):
    """The image as it is handed to anyone outside the agency (a client's "full size", the tools
    that post it): a rendition, which carries none of the original file's metadata — the camera,
    its owner, where it was taken (EXIF GPS) — since the original as uploaded is the agency's."""
    return image.get_rendition(OUTGOING_SPEC)
