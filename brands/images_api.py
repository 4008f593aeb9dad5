"""Images in the API: upload into a brand's collection (with the admin's checks), list, read.

Only the agency's people (members of a brand, admins) use it; clients see images only as part
of the posts shown to them. Images of brands outside the user's answer 404."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from wagtail.images import get_image_model

from integrations.schema import IdFilter

from .api import UserBrandField
from .scoping import brand_roles_of
from .selectors import brands_for, images_visible_to
from .services import ImageRefused, upload_image


class AgencyMembersOnly(permissions.BasePermission):
    message = "Images are for the agency's people; clients see them in their posts."

    def has_permission(self, request, view):
        user = request.user
        return user.is_superuser or bool(brand_roles_of(user))


class ImageSerializer(serializers.ModelSerializer):
    brand = serializers.SerializerMethodField()

    class Meta:
        model = get_image_model()
        fields = ["id", "title", "brand", "width", "height", "file_size", "created_at"]

    def get_brand(self, image) -> int | None:
        return self.context.get("brand_of_collection", {}).get(image.collection_id)


class ImageUploadSerializer(serializers.Serializer):
    brand = UserBrandField()
    # A plain file here: the admin's own form checks it as an image (brands.services.upload_image),
    # so the API refuses exactly what the admin refuses, with the same messages.
    file = serializers.FileField(
        help_text="The image file (JPEG, PNG, GIF or WebP), as multipart/form-data.", use_url=False
    )
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ImageFilter(filters.FilterSet):
    brand = IdFilter(method="of_brand", help_text="A brand's id: only its images.")

    class Meta:
        model = get_image_model()
        fields = ["brand"]

    def of_brand(self, queryset, name, brand_id):
        collection = brands_for(self.request.user).filter(pk=brand_id).values("collection_id")
        return queryset.filter(collection_id__in=collection)


class ImageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The images of your brands' collections. Upload with multipart/form-data."""

    serializer_class = ImageSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, AgencyMembersOnly]
    parser_classes = [MultiPartParser, FormParser]
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ImageFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return images_visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["brand_of_collection"] = dict(
            brands_for(self.request.user).values_list("collection_id", "pk")
        )
        return context

    @extend_schema(request={"multipart/form-data": ImageUploadSerializer}, responses={201: ImageSerializer})
    def create(self, request, *args, **kwargs):
        upload = ImageUploadSerializer(data=request.data, context=self.get_serializer_context())
        upload.is_valid(raise_exception=True)
        try:
            image = upload_image(user=request.user, **upload.validated_data)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ImageRefused as refused:
            raise ValidationError(refused.errors) from refused
        return Response(self.get_serializer(image).data, status=201)
