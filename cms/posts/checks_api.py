"""`POST /api/v1/checks/`: the consistency checker over the API, scoped to the user's brands."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.images import get_image_model

from brands.api import UserBrandField
from brands.checks.platforms import PLATFORM_CHOICES
from brands.checks.types import PostContent
from brands.selectors import brands_for
from integrations.schema import NO_NUL_PATTERN

from .api import AgencyMembersDraft
from .checking import findings_for, image_input
from .models import CAPTION_MAX_LENGTH, Intent, PostFormat


class CheckImageSerializer(serializers.Serializer):
    image = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    alt_text = serializers.CharField(allow_blank=True, required=False, default="")


@extend_schema_field(
    {
        "type": "object",
        "description": "A caption per platform, where it differs from `caption`.",
        "properties": {
            code: {"type": "string", "maxLength": CAPTION_MAX_LENGTH, "pattern": NO_NUL_PATTERN}
            for code, _ in PLATFORM_CHOICES
        },
        "additionalProperties": False,
    }
)
class CaptionVariantsField(serializers.DictField):
    """Keyed by platform code: the schema names the platforms (any other key is a 400)."""


class CheckRequestSerializer(serializers.Serializer):
    brand = UserBrandField()
    caption = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=CAPTION_MAX_LENGTH,
        error_messages={"max_length": f"Captions can be at most {CAPTION_MAX_LENGTH:,} characters."},
    )
    platforms = serializers.ListField(
        child=serializers.ChoiceField(choices=PLATFORM_CHOICES), allow_empty=False
    )
    format = serializers.ChoiceField(choices=PostFormat.choices, default=PostFormat.FEED)
    intent = serializers.ChoiceField(choices=Intent.choices, default=Intent.KNOW)
    cta_label = serializers.CharField(allow_blank=True, required=False, default="")
    cta_url = serializers.CharField(allow_blank=True, required=False, default="")
    sponsored = serializers.BooleanField(required=False, default=False)
    scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    caption_variants = CaptionVariantsField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=CAPTION_MAX_LENGTH),
        required=False,
        default=dict,
    )
    images = CheckImageSerializer(many=True, required=False, default=list, max_length=20)

    def validate_caption_variants(self, variants):
        unknown = set(variants) - {code for code, _ in PLATFORM_CHOICES}
        if unknown:
            raise serializers.ValidationError(f"Unknown platform: {', '.join(sorted(unknown))}.")
        return variants

    def validate(self, attrs):
        # Images are looked up among those the user may use at all; the checker then says
        # whether each is in this brand's collection.
        usable = get_image_model().objects.filter(
            collection__brand__in=brands_for(self.context["request"].user)
        )
        wanted = [item["image"] for item in attrs["images"]]
        found = usable.in_bulk(wanted)
        missing = [image_id for image_id in wanted if image_id not in found]
        if missing:
            raise serializers.ValidationError({"images": f"No such image: {', '.join(map(str, missing))}."})
        attrs["images"] = [(found[item["image"]], item["alt_text"]) for item in attrs["images"]]
        return attrs


FINDING_FIELDS = {
    "rule": serializers.CharField(),
    "severity": serializers.ChoiceField(choices=["info", "warn", "block"]),
    "message": serializers.CharField(),
    "start": serializers.IntegerField(allow_null=True),
    "end": serializers.IntegerField(allow_null=True),
    "suggestion": serializers.CharField(allow_null=True),
    "suggestion_start": serializers.IntegerField(
        allow_null=True, help_text="Where the suggestion replaces the caption from, up to `end`."
    ),
    "platform": serializers.CharField(allow_null=True),
    "image_index": serializers.IntegerField(allow_null=True),
}


class CheckApi(APIView):
    """Check draft content against a brand's kit and the platforms' specs, without saving anything."""

    # JSON only: lists and per-platform variants have no faithful form encoding.
    parser_classes = [JSONParser]
    permission_classes = [*APIView.permission_classes, AgencyMembersDraft]

    @extend_schema(
        request=CheckRequestSerializer,
        responses=inline_serializer(
            "CheckResult", {"findings": inline_serializer("Finding", FINDING_FIELDS, many=True)}
        ),
    )
    def post(self, request):
        serializer = CheckRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        brand = data["brand"]
        content = PostContent(
            caption=data["caption"],
            platforms=tuple(dict.fromkeys(data["platforms"])),
            format=data["format"],
            intent=data["intent"],
            cta_label=data["cta_label"],
            cta_url=data["cta_url"],
            sponsored=data["sponsored"],
            scheduled_at=data["scheduled_at"],
            caption_variants=data["caption_variants"],
            images=tuple(image_input(brand, image, alt_text) for image, alt_text in data["images"]),
        )
        return Response({"findings": [finding.as_dict() for finding in findings_for(content, brand)]})
