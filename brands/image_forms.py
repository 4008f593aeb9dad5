"""The image upload form of every Wagtail upload path: the image page, the multiple uploader and
the chooser's upload tab (WAGTAILIMAGES_IMAGE_FORM_BASE).

Wagtail opens an upload to check its format and pixel count, but a damaged or cut-short file
(a truncated JPEG, say) makes Pillow raise while it does: the upload was answered with a 500.
Here such a file is refused with a message saying what is wrong, and a file is only accepted
once it decodes completely, as the consistency checker would read it (brands.checks.images), so
nothing that fails later in a preview or a rendition gets in.

An image that a post under approval (or gone out) uses keeps its file and focal point: the form
leaves those fields out, so only its title, collection and tags can change
(cms/posts/image_holds.py; the model refuses such a change whatever the path).
"""

import logging

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from cms.posts.image_holds import HELD_FIELDS, held_image_ids

from .checks.images import REEXPORT, UnreadableImage, inspect_image

logger = logging.getLogger(__name__)

DAMAGED = "This file is damaged or not a complete image. {fix}"
TOO_BIG = "This image can’t be opened safely: {reason}. {fix}"


def _refusal(error: UnreadableImage) -> ValidationError:
    # The checker says how to fix it: export again (damaged, cut short, not an image), or resize.
    template = DAMAGED if error.fix == REEXPORT else TOO_BIG
    return ValidationError(template.format(reason=error.reason, fix=error.fix), code="unreadable_image")


class ReadableImageField(WagtailImageField):
    """Wagtail's image field, refusing files that don't decode instead of raising."""

    def to_python(self, data):
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
        try:
            inspect_image(image_file.read())
        except UnreadableImage as error:
            raise _refusal(error) from error
        finally:
            image_file.seek(0)
        return image_file


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
