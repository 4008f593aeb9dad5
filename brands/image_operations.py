"""Image operations Signoff adds to Wagtail's rendition filters (registered in wagtail_hooks)."""

from wagtail.images.image_operations import FilterOperation

# What an image file can say about its author and where it was taken. (The colour profile stays:
# it says nothing about anyone, and without it colours shift.)
PERSONAL_METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc")


class StripMetadataOperation(FilterOperation):
    """`stripmetadata`: the rendition keeps none of the original file's EXIF (camera, owner, GPS
    position), XMP or comments. Willow copies EXIF into every rendition otherwise. Wagtail turns
    the picture the way its EXIF says before any operation runs, so nothing is shown sideways."""

    def construct(self):
        pass

    def run(self, willow, image, env):
        picture = getattr(willow, "image", None)  # Pillow's image, under Willow's
        info = getattr(picture, "info", None)
        if isinstance(info, dict):
            for key in PERSONAL_METADATA:
                info.pop(key, None)
        return willow
