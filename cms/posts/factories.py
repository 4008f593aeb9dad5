import factory

from brands.factories import BrandFactory

from .models import Post, PostMedia, publishing_state_changes


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    brand = factory.SubFactory(BrandFactory)
    live = False  # DraftStateMixin defaults to live; a new post is a draft until published
    title = factory.Sequence(lambda n: f"Post {n}")
    caption = "Fresh roast, fresh start. #MondayMotivation @friends https://example.com"

    @factory.post_generation
    def platforms(post, create, extracted, **kwargs):
        # Facebook by default: it takes a text-only post, so a factory post without media passes
        # the checker (Instagram won't publish a post without an image).
        if create:
            post.platforms.set(extracted or ["facebook"])
            post.save()


def add_media(post, images, alt_text="A photo") -> None:
    for order, image in enumerate(images):
        PostMedia.objects.create(post=post, image=image, alt_text=f"{alt_text} {order + 1}", sort_order=order)


def publish_directly(post, revision=None) -> None:
    """Publish the post's latest version (or `revision`) without the approval workflow, for tests
    that need a published post and are about something else. In the product only a finished
    workflow publishes (approvals.publishing)."""
    with publishing_state_changes():
        (revision or post.save_revision()).publish()
