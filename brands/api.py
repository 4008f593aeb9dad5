from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from .models import Brand
from .selectors import brands_for


@extend_schema_field(OpenApiTypes.INT)
class UserBrandField(serializers.PrimaryKeyRelatedField):
    """A brand id, accepted only for the user's own brands (others read as "does not exist")."""

    def get_queryset(self):
        return brands_for(self.context["request"].user)


class BrandSerializer(serializers.ModelSerializer):
    client = serializers.StringRelatedField()
    platforms = serializers.SerializerMethodField()

    class Meta:
        model = Brand
        fields = ["id", "slug", "name", "client", "time_zone", "platforms"]

    def get_platforms(self, brand) -> list[dict]:
        return [{"platform": p.platform_id, "handle": p.handle} for p in brand.platforms.all()]


class BrandViewSet(viewsets.ReadOnlyModelViewSet):
    """The brands the user works on."""

    serializer_class = BrandSerializer

    def get_queryset(self):
        return brands_for(self.request.user).select_related("client").prefetch_related("platforms")
