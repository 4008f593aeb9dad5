"""The archive in the API: search (GET /api/v1/archive/) and its CSV (GET /api/v1/archive/export.csv).
Thin views over cms.archive.selectors.search_archive; staff see their brands, clients their
client's brands, the same as everywhere else."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.views import APIView

from brands.checks.platforms import PLATFORM_CHOICES
from cms.posts.models import Intent, PostFormat

from .exporting import csv_response
from .models import ArchiveEntry
from .selectors import (
    NEWEST,
    ORDERS,
    QUERY_MAX_LENGTH,
    RELEVANCE,
    RELEVANCE_WINDOW,
    archive_brands_for,
    highlight,
    highlight_words,
    is_client_only,
    search_archive,
)

SNIPPET_LENGTH = 240


class ArchiveSearchParams(serializers.Serializer):
    """The query string. `post_format`, not `format`: `?format=` picks the response's format."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=True,
        max_length=QUERY_MAX_LENGTH,
        help_text='Words, "a phrase", -excluded, OR. Matches captions, campaigns and hashtags '
        "(and internal titles, for staff), with stemming: launch finds launches.",
    )
    brand = serializers.IntegerField(required=False, help_text="A brand id; one of yours.")
    platform = serializers.ChoiceField(choices=PLATFORM_CHOICES, required=False)
    since = serializers.DateField(required=False, help_text="First day, in the brand's time zone.")
    until = serializers.DateField(required=False, help_text="Last day (included), in the brand's time zone.")
    campaign = serializers.CharField(required=False, allow_blank=True, max_length=80)
    intent = serializers.ChoiceField(choices=Intent.choices, required=False)
    post_format = serializers.ChoiceField(choices=PostFormat.choices, required=False)
    author = serializers.IntegerField(required=False, help_text="A user id: who wrote the post.")
    approver = serializers.IntegerField(required=False, help_text="A user id: who approved it, any tier.")
    hashtag = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="With or without #."
    )
    order = serializers.ChoiceField(
        choices=ORDERS,
        required=False,
        default=RELEVANCE,
        help_text=f"relevance (the default when there is a query; ranks the newest {RELEVANCE_WINDOW} "
        "matches) or newest.",
    )

    def validate_q(self, value):
        return value.replace("\x00", " ")

    def validate_brand(self, value):
        if not archive_brands_for(self.context["request"].user).filter(pk=value).exists():
            raise serializers.ValidationError("Not one of your brands.")
        return value

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError({"until": ["Must be on or after since."]})
        return attrs


def search_from(request, params: dict, *, order: str | None = None):
    params = dict(params)
    params["format"] = params.pop("post_format", "")
    params["query"] = params.pop("q", "")
    if order:
        params["order"] = order
    return search_archive(user=request.user, **params)


class ArchiveEntrySerializer(serializers.ModelSerializer):
    brand_name = serializers.CharField(source="brand.name")
    published_at_local = serializers.SerializerMethodField(help_text="In the brand's time zone.")
    highlight = serializers.SerializerMethodField(
        help_text="The caption (or the part about the first match) as safe HTML: everything escaped, "
        "matches in <mark>."
    )
    author = serializers.SerializerMethodField()
    approvers = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField(help_text="The team's internal title; null for clients.")

    class Meta:
        model = ArchiveEntry
        fields = [
            "id",
            "brand",
            "brand_name",
            "platform",
            "title",
            "caption",
            "highlight",
            "campaign",
            "intent",
            "format",
            "hashtags",
            "author",
            "approvers",
            "published_at",
            "published_at_local",
            "live_url",
            "post",
            "revision",
            "content_hash",
            "supersedes",
        ]

    def get_published_at_local(self, entry) -> str:
        return timezone.localtime(entry.published_at, entry.brand.tz).isoformat()

    def get_highlight(self, entry) -> str:
        return highlight(entry.caption, self.context["words"], around=SNIPPET_LENGTH)

    def get_author(self, entry) -> str | None:
        return entry.author.username if entry.author and not self.context["client_view"] else None

    def get_approvers(self, entry) -> list[dict]:
        return [
            {"tier": step.get("tier"), "name": step.get("name"), "at": step.get("at")}
            for step in entry.approvals
            if step.get("kind") == "approval"
        ]

    def get_title(self, entry) -> str | None:
        return None if self.context["client_view"] else entry.title


class ArchiveNewestPagination(CursorPagination):
    ordering = ("-published_at", "-pk")
    page_size = 50


class ArchiveRelevancePagination(PageNumberPagination):
    page_size = 50


@extend_schema(
    parameters=[
        ArchiveSearchParams,
        OpenApiParameter("page", int, description="order=relevance with a query: the page number."),
    ],
    responses={200: ArchiveEntrySerializer(many=True), 400: OpenApiResponse(description="Field errors.")},
)
class ArchiveSearchApi(ListAPIView):
    """Published posts of your brands (clients: your client's brands), most relevant or newest first.

    Pagination depends on `order`. **newest**: cursor pagination (`next`/`previous` links with a
    `cursor`; stable while new entries arrive, and fast at any depth). **relevance** (with a query):
    page numbers (`page`, `count`) over the most relevant of the newest 1000 matches — ranking every
    match of a common word in a large archive is what makes search slow; narrow the query or the
    dates, or use `order=newest`, to reach older matches. Without a query, relevance means newest.
    Bad filters are 400 with an error per field.
    """

    serializer_class = ArchiveEntrySerializer
    queryset = ArchiveEntry.objects.none()  # for the schema; list() asks the selector
    pagination_class = ArchiveNewestPagination

    def list(self, request, *args, **kwargs):
        params = ArchiveSearchParams(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        data = params.validated_data
        ranked = data["order"] == RELEVANCE and bool(highlight_words(data.get("q", "")))
        self.pagination_class = ArchiveRelevancePagination if ranked else ArchiveNewestPagination
        entries = search_from(request, data, order=None if ranked else NEWEST)
        page = self.paginate_queryset(entries)
        context = {
            "request": request,
            "words": highlight_words(data.get("q", "")),
            "client_view": is_client_only(request.user),
        }
        return self.get_paginated_response(ArchiveEntrySerializer(page, many=True, context=context).data)


@extend_schema(
    parameters=[ArchiveSearchParams],
    responses={
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="Every match, newest first.")
    },
)
class ArchiveExportApi(APIView):
    """The CSV of an archive search: every matching entry (not one page), newest first, streamed.
    The same parameters as the search."""

    def get(self, request):
        params = ArchiveSearchParams(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        entries = search_from(request, params.validated_data, order=NEWEST)
        return csv_response(entries, client_view=is_client_only(request.user))
