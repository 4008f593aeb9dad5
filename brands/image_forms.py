"""The image upload form of every Wagtail upload path: the image page, the multiple uploader and
the chooser's upload tab (WAGTAILIMAGES_IMAGE_FORM_BASE).

Wagtail opens an upload to check its format and pixel count, but a damaged or cut-short file
(a truncated JPEG, say) makes Pillow raise while it does: the upload was answered with a 500.
Here such a file is refused with a message saying what is wrong, and a file is only accepted
once it decodes completely, as the consistency checker would read it (brands.checks.images), so
nothing that fails later in a preview or a rendition gets in. Pixels × frames are bounded before
anything decodes (refuse_oversized), and what is stored keeps no personal metadata (EXIF with its
GPS position, XMP, comments: brands.image_metadata).

An image that a post under approval (or gone out) uses keeps its file and focal point: the form
leaves those fields out, so only its title, collection and tags can change
(cms/posts/image_holds.py; the model refuses such a change whatever the path).
"""

import io
import logging
import os
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from cms.posts.image_holds import HELD_FIELDS, held_image_ids

from .checks.images import ACCEPTED_FORMATS, REEXPORT, UnreadableImage, inspect_image
from .image_metadata import without_personal_metadata

logger = logging.getLogger(__name__)

DAMAGED = "This file is damaged or not a complete image. {fix}"
TOO_BIG = "This image can’t be opened safely: {reason}. {fix}"
TOO_MANY_PIXELS = (
    "This image is too large to use: {size} is {megapixels} megapixels, and the most is {limit}. {fix}"
)
SHORTEN = "Resize it (or use fewer frames) and upload it again."
RESIZE_IT = "Resize it to at most 4000 px on its long side and upload it again."


def refuse_oversized(data: bytes) -> None:
    """Refuse, with the numbers, an image whose pixels × frames exceed
    WAGTAILIMAGES_MAX_IMAGE_PIXELS — read from its header alone, before anything decodes it.
    (Wagtail's own check counts frames of some formats only, and says "unknown number" for a
    file that declares more pixels than Pillow will open.)"""
    limit = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    formats = [name for name in ACCEPTED_FORMATS if name in Image.OPEN]
    try:
        with Image.open(io.BytesIO(data), formats=formats) as img:
            (width, height), frames = img.size, getattr(img, "n_frames", 1)
    except Image.DecompressionBombError as error:
        declared = re.search(r"\((\d+) pixels\)", str(error))
        pixels = int(declared.group(1)) if declared else limit + 1
        raise _too_many(f"{pixels:,} pixels", pixels, limit, RESIZE_IT) from error
    except Exception:  # not readable as an image at all: the checks that follow say so
        return
    if width * height * frames > limit:
        size = f"{width}×{height} pixels" + (f" × {frames} frames" if frames > 1 else "")
        raise _too_many(size, width * height * frames, limit, SHORTEN if frames > 1 else RESIZE_IT)


def _too_many(size: str, pixels: int, limit: int, fix: str) -> ValidationError:
    return ValidationError(
        TOO_MANY_PIXELS.format(
            size=size, megapixels=f"{pixels / 1e6:,.0f}", limit=f"{limit / 1e6:,.0f}", fix=fix
        ),
        code="too_many_pixels",
    )


def _refusal(error: UnreadableImage) -> ValidationError:
    # The checker says how to fix it: export again (damaged, cut short, not an image), or resize.
    template = DAMAGED if error.fix == REEXPORT else TOO_BIG
    return ValidationError(template.format(reason=error.reason, fix=error.fix), code="unreadable_image")


class ReadableImageField(WagtailImageField):
    """Wagtail's image field, refusing files that don't decode instead of raising."""

    def to_python(self, data):
        extension = os.path.splitext(getattr(data, "name", "") or "")[1].lower()[1:]
        if data and extension in settings.WAGTAILIMAGES_EXTENSIONS:
            data.seek(0)
            refuse_oversized(data.read(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + 1))
            data.seek(0)
        try:
            image_file = super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # Pillow and Willow raise many kinds on a damaged file
            logger.info("Refused an image upload that could not be read: %r", error)
            raise _refusal(UnreadableImage("the file is damaged or cut short")) from error
        if image_file is None:
            return None
        image_file.seek(0)
        data = image_file.read()
        try:
            inspect_image(data)
        except UnreadableImage as error:
            raise _refusal(error) from error
        finally:
            image_file.seek(0)
        return _without_personal_metadata(image_file, data)


def _without_personal_metadata(image_file, data: bytes):
    """The upload as it is stored: the same picture, without the camera, owner and GPS position
    its file may carry (brands.image_metadata)."""
    cleaned = without_personal_metadata(data)
    if cleaned == data:
        return image_file
    stored = SimpleUploadedFile(image_file.name, cleaned, content_type=image_file.content_type)
    stored.image = getattr(image_file, "image", None)  # what Wagtail's field read, for its checks
    return stored


class BrandImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.held = self.instance.pk is not None and bool(held_image_ids([self.instance.pk]))
        if self.held:
            for name in HELD_FIELDS:
                self.fields.pop(name, None)
        # Replace Wagtail's field with ours, keeping its label, widget and help text. (A declared
        # field would be added to the multiple uploader's edit form too, which leaves `file` out.)
        field = self.fields.get("file")
        if field is not None:
            self.fields["file"] = ReadableImageField(
                label=field.label,
                widget=field.widget,
                required=field.required,
                help_text=field.help_text,
            )
