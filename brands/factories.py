"""Factories for brands, kits, memberships and brand images (real Pillow images)."""

import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from .models import Brand, BrandMembership, BrandPlatform, BrandRole, Client, ClientUser


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def save_password(user, create, extracted, **kwargs):
        if create:
            user.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Client {n}")
    slug = factory.Sequence(lambda n: f"client-{n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")
    time_zone = "Europe/London"

    @factory.post_generation
    def handles(brand, create, extracted, **kwargs):
        if create:
            for code in extracted or ["instagram", "facebook", "x", "linkedin", "tiktok"]:
                BrandPlatform.objects.get_or_create(
                    brand=brand, platform_id=code, defaults={"handle": brand.slug.replace("-", "")}
                )


def membership(user, brand, role: BrandRole) -> BrandMembership:
    return BrandMembership.objects.create(user=user, brand=brand, role=role)


def client_user(user, client) -> ClientUser:
    return ClientUser.objects.create(user=user, client=client)


def png_bytes(width=1080, height=1080, colour=(200, 80, 40), image_format="PNG") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format=image_format)
    return buffer.getvalue()


def brand_image(brand, *, title="Brand image", width=1080, height=1080, colour=(200, 80, 40)) -> Image:
    """A real image file in the brand's collection."""
    file = ImageFile(
        io.BytesIO(png_bytes(width, height, colour)), name=f"{title.lower().replace(' ', '-')}.png"
    )
    return Image.objects.create(title=title, file=file, collection=brand.collection)
