"""Posts in the API: list, read, create and edit drafts of the user's brands."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser

from brands.api import UserBrandField
from brands.models import Platform
from brands.scoping import brand_roles_of
from cms.api_errors import call_service

from .models import CAPTION_MAX_LENGTH, Post
from .selectors import posts_visible_to
from .services import create_post, update_post


class PostMediaSerializer(serializers.Serializer):
    """One of the post's images, in order: an image of the post's brand (upload it with
    POST /api/v1/images/) and the alt text screen-reader users will hear."""

    # Bounded like the id column itself: a larger number is a clear 400, not a database error.
    image = serializers.IntegerField(source="image_id", min_value=1, max_value=2**31 - 1)
    alt_text = serializers.CharField(max_length=250)


class PostSerializer(serializers.ModelSerializer):
    brand = UserBrandField()
    platforms = serializers.SlugRelatedField(
        many=True, slug_field="code", queryset=Platform.objects.all(), allow_empty=False
    )
    caption = serializers.CharField(allow_blank=True, max_length=CAPTION_MAX_LENGTH, required=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    scheduled_at = serializers.DateTimeField(source="go_live_at", required=False, allow_null=True)
    status = serializers.CharField(read_only=True)
    media = PostMediaSerializer(
        many=True,
        required=False,
        help_text="The post's images in order; on PATCH, the list given replaces them ([] removes all).",
    )

    class Meta:
        model = Post
        fields = [
            "id",
            "brand",
            "title",
            "caption",
            "platforms",
            "format",
            "intent",
            "cta_label",
            "cta_url",
            "campaign",
            "sponsored",
            "scheduled_at",
            "status",
            "media",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, post):
        # A published post keeps its live content in the table and its newer draft in a revision:
        # answer with the draft, the content an API client is working on.
        if post.pk and post.live and post.has_unpublished_changes and post.latest_revision_id:
            draft = post.get_latest_revision_as_object()
            draft.status_code = post.status
            post = draft
        # The fields as declared above (and documented), built directly: for a list of 50 posts
        # DRF's field machinery cost a fifth of the request (the test compares the two).
        return {
            "id": post.pk,
            "brand": post.brand_id,
            "title": post.title,
            "caption": post.caption,
            "platforms": [platform.code for platform in post.platforms.all()],
            "format": post.format,
            "intent": post.intent,
            "cta_label": post.cta_label,
            "cta_url": post.cta_url,
            "campaign": post.campaign,
            "sponsored": post.sponsored,
            "scheduled_at": _datetime(post.go_live_at),
            "status": post.status,
            "media": [{"image": item.image_id, "alt_text": item.alt_text} for item in post.media.all()],
            "created_at": _datetime(post.created_at),
            "updated_at": _datetime(post.updated_at),
        }


_DATETIME = serializers.DateTimeField()


def _datetime(value):
    return None if value is None else _DATETIME.to_representation(value)


class AgencyMembersDraft(permissions.BasePermission):
    """Drafting (and checking drafts) is for the agency's people: a client user is refused with
    403, like a reviewer, rather than told their brand is not theirs."""

    message = "Drafting posts is for the agency's people; clients see posts in the portal."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return user.is_superuser or bool(brand_roles_of(user))


class BrandIsFixed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "brand_is_fixed"


@extend_schema_view(
    partial_update=extend_schema(
        responses={
            200: PostSerializer,
            409: OpenApiResponse(
                response=inline_serializer(
                    "BrandIsFixedError", {"brand": serializers.ListField(child=serializers.CharField())}
                ),
                description="`brand` names another brand: a post stays with its brand.",
            ),
        }
    )
)
class PostViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Draft posts of the user's brands. Posts of other brands answer 404."""

    serializer_class = PostSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    # JSON only: `media` and `platforms` are lists, which a form encodes ambiguously.
    parser_classes = [JSONParser]
    permission_classes = [*viewsets.GenericViewSet.permission_classes, AgencyMembersDraft]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the model's types
            return Post.objects.none()
        return posts_visible_to(self.request.user).order_by("-updated_at")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        post = call_service(create_post, user=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=post.pk)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if data.pop("brand", serializer.instance.brand) != serializer.instance.brand:
            # Any of your brands is a valid `brand`, but not for this post: a conflict with what
            # the post is (its history and approvals belong to its brand), not bad input.
            raise BrandIsFixed(
                {"brand": ["A post stays with its brand; create a new post for another brand."]}
            )
        post = call_service(update_post, user=self.request.user, post=serializer.instance, **data)
        serializer.instance = self.get_queryset().get(pk=post.pk)
