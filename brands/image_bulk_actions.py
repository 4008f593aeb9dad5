"""Deleting images in bulk leaves out the images held by approvals, and says why.

Wagtail's bulk delete would refuse the whole selection (the model refuses to delete a held
image, cms/posts/image_holds.py); here the held ones are set aside and listed with the posts
that hold them, and the rest can go.
"""

from wagtail.images.views.bulk_actions import DeleteBulkAction

from cms.posts.image_holds import holds_on

from .templatetags.image_holds import holds_as_seen_by, user_brand_ids


class DeleteImagesNotHeldBulkAction(DeleteBulkAction):
    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        holds = holds_on(image.pk for image in objects)
        brand_ids = user_brand_ids(self.request.user) if holds else set()
        self.held_images = [
            {"item": image, "holds": holds_as_seen_by(holds[image.pk], brand_ids)}
            for image in objects
            if image.pk in holds
        ]
        return [image for image in objects if image.pk not in holds], extra

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["held_images"] = self.held_images
        return context
