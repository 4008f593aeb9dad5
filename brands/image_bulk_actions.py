"""Deleting images in bulk leaves out the images held by approvals or shown by a post's draft,
and says why.

Wagtail's bulk delete would refuse the whole selection (the model refuses to delete a held
image or one a post shows, cms/posts/image_holds.py); here those are set aside and listed with
the posts that keep them, and the rest can go.
"""

from wagtail.images.views.bulk_actions import DeleteBulkAction

from cms.posts.image_holds import holds_on, posts_using

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
        in_posts = posts_using(image.pk for image in objects if image.pk not in holds)
        brand_ids = brand_ids if holds or not in_posts else user_brand_ids(self.request.user)
        self.images_in_posts = [
            {"item": image, "posts": holds_as_seen_by(in_posts[image.pk], brand_ids)}
            for image in objects
            if image.pk in in_posts
        ]
        kept = holds.keys() | in_posts.keys()
        return [image for image in objects if image.pk not in kept], extra

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["held_images"] = self.held_images
        context["images_in_posts"] = self.images_in_posts
        return context
