"""The archive in the API: search (GET /api/v1/archive/) and its CSV (GET /api/v1/archive/export.csv).
Thin views over cms.archive.selectors.search_archive; staff see their brands, clients their
client's brands, the same as everywhere else."""

import zoneinfo
from datetime import UTC

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from brands.checks.platforms import PLATFORM_CHOICES
from cms.posts.models import Intent, PostFormat

from .exporting import csv_response
from .models import ArchiveEntry, approval_steps
from .selectors import (
    NEWEST,
    ORDERS,
    QUERY_MAX_LENGTH,
    RELEVANCE,
    RELEVANCE_WINDOW,
    ArchiveScope,
    archive_scope,
    highlight,
    highlight_words,
    search_archive,
)

SNIPPET_LENGTH = 240


def _in_utc(moment) -> str:
    """A time as DRF writes every other in the API (ISO 8601, UTC as `Z`: TIME_ZONE is UTC), always
    in UTC as the archive's docs promise, without DRF's lookup of the active time zone per value."""
    return moment.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"


ID_MAX = 2**31 - 1


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
    # Ids are bounded like the id columns: a larger number is a field error, not a database one.
    brand = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="A brand id; one of yours."
    )
    platform = serializers.ChoiceField(choices=PLATFORM_CHOICES, required=False)
    # Any day: one before the first archived post or after the last simply bounds nothing.
    since = serializers.DateField(required=False, help_text="First day, in the brand's time zone.")
    until = serializers.DateField(required=False, help_text="Last day (included), in the brand's time zone.")
    campaign = serializers.CharField(required=False, allow_blank=True, max_length=80)
    intent = serializers.ChoiceField(choices=Intent.choices, required=False)
    post_format = serializers.ChoiceField(choices=PostFormat.choices, required=False)
    author = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=ID_MAX,
        help_text="A user id: who wrote the post. Staff only: a client's is a 400.",
    )
    approver = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="A user id: who approved it, any tier."
    )
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

    # Context: `scope`, the user's archive_scope() (the brands they may search, and whether as a
    # client), read once per request for these checks and the search alike.

    def validate_brand(self, value):
        if value not in self.context["scope"].time_zones:
            raise serializers.ValidationError("Not one of your brands.")
        return value

    def validate_author(self, value):
        if self.context["scope"].client_only:
            # Clients never see who wrote a post: filtering by it would tell them (found by an attack).
            raise serializers.ValidationError("Not a filter for clients.")
        return value

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError({"until": ["Must be on or after since."]})
        return attrs


def validated_search(request) -> tuple[dict, ArchiveScope]:
    """The search's parameters, checked against the user's scope (a 400 with an error per field
    otherwise), and that scope."""
    scope = archive_scope(request.user)
    params = ArchiveSearchParams(data=request.query_params, context={"scope": scope})
    params.is_valid(raise_exception=True)
    return params.validated_data, scope


def search_from(request, params: dict, *, scope: ArchiveScope, order: str | None = None):
    params = dict(params, client_view=scope.client_only, scope=scope)
    params["format"] = params.pop("post_format", "")
    params["query"] = params.pop("q", "")
    if order:
        params["order"] = order
    return search_archive(user=request.user, **params)


# What an API entry is built from: plain values, not model instances (each entry as four model
# instances, through select_related, cost more than the search itself on a page of 50).
ENTRY_VALUES = (
    "pk",
    "brand_id",
    "brand__name",
    "brand__time_zone",
    "platform_id",
    "title",
    "caption",
    "campaign",
    "intent",
    "format",
    "hashtags",
    "author__username",
    "approvals",
    "published_at",
    "live_url",
    "post_id",
    "revision_id",
    "content_hash",
    "supersedes_id",
)


class ArchiveEntrySerializer(serializers.ModelSerializer):
    """An archive entry in the API, from its ENTRY_VALUES row (`search_archive(...).values(*ENTRY_VALUES)`).
    Context: `words` (highlighted) and `client_view` (no internal title or author)."""

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

    def get_published_at_local(self, row) -> str:
        return row["published_at"].astimezone(zoneinfo.ZoneInfo(row["brand__time_zone"])).isoformat()

    def get_highlight(self, row) -> str:
        return highlight(row["caption"], self.context["words"], around=SNIPPET_LENGTH)

    def get_author(self, row) -> str | None:
        return None if self.context["client_view"] else row["author__username"]

    def get_approvers(self, row) -> list[dict]:
        return [
            {"tier": step.get("tier"), "name": step.get("name"), "at": step.get("at")}
            for step in approval_steps(row["approvals"])
        ]

    def get_title(self, row) -> str | None:
        return None if self.context["client_view"] else row["title"]

    def to_representation(self, row):
        # The same fields as declared (and documented), built directly: DRF's field machinery
        # for a page of 50 entries cost more than the search itself.
        return {
            "id": row["pk"],
            "brand": row["brand_id"],
            "brand_name": row["brand__name"],
            "platform": row["platform_id"],
            "title": self.get_title(row),
            "caption": row["caption"],
            "highlight": self.get_highlight(row),
            "campaign": row["campaign"],
            "intent": row["intent"],
            "format": row["format"],
            "hashtags": row["hashtags"],
            "author": self.get_author(row),
            "approvers": self.get_approvers(row),
            "published_at": _in_utc(row["published_at"]),
            "published_at_local": self.get_published_at_local(row),
            "live_url": row["live_url"],
            "post": row["post_id"],
            "revision": row["revision_id"],
            "content_hash": row["content_hash"],
            "supersedes": row["supersedes_id"],
        }


class ArchiveNewestPagination(CursorPagination):
    ordering = ("-published_at", "-pk")
    page_size = 50

    def decode_cursor(self, request):
        # DRF checks a cursor's shape, not its position: a tampered one that names no time would
        # reach the database (a 500). It is as invalid as any other: 404, like DRF's own answer.
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                valid = parse_datetime(cursor.position) is not None
            except ValueError:
                valid = False
            if not valid:
                raise NotFound(self.invalid_cursor_message)
        return cursor


class ArchiveRelevancePagination(BasePagination):
    """Pages of the relevance window by number (`page`), without a count (one query per page:
    it fetches one more row than it shows to know whether there is a next page). The same
    `next`/`previous`/`results` as the cursor pages."""

    page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            self.page = max(1, int(request.query_params.get("page", 1)))
        except ValueError:
            raise ValidationError({"page": ["A page number."]}) from None
        last_page = -(-RELEVANCE_WINDOW // self.page_size)
        if self.page > last_page:  # the relevance window holds no more (and huge numbers overflow)
            raise ValidationError(
                {"page": [f"Relevance pages stop at {last_page}; for older matches sort by newest."]}
            )
        start = (self.page - 1) * self.page_size
        rows = list(queryset[start : start + self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        return rows[: self.page_size]

    def _link(self, page):
        if page < 1:
            return None
        url = self.request.build_absolute_uri()
        return remove_query_param(url, "page") if page == 1 else replace_query_param(url, "page", page)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page + 1) if self.has_next else None,
                "previous": self._link(self.page - 1),
                "results": data,
            }
        )


@extend_schema(
    parameters=[
        ArchiveSearchParams,
        OpenApiParameter("page", int, description="order=relevance with a query: the page number."),
    ],
    responses={
        200: ArchiveEntrySerializer(many=True),
        400: OpenApiResponse(description="Field errors."),
        404: OpenApiResponse(description="The cursor is not one this endpoint gave."),
    },
)
class ArchiveSearchApi(ListAPIView):
    """Published posts of your brands (clients: your client's brands), most relevant or newest first.

    Follow `next` and `previous` (null at either end); there is no total count (counting every
    match of a common word in a large archive costs more than the page). With **order=newest**
    (and without a query) they carry a `cursor`: stable while new entries arrive, and as fast on
    the last page as on the first. With **order=relevance** (the default) and a query they carry a
    `page` number over the most relevant of the newest 1000 matches: ranking every match of a
    common word is what makes search slow; narrow the words or the dates, or use `order=newest`,
    to reach older matches.
    Bad filters are 400 with an error per field.
    """

    serializer_class = ArchiveEntrySerializer
    queryset = ArchiveEntry.objects.none()  # for the schema; list() asks the selector
    pagination_class = ArchiveNewestPagination

    def list(self, request, *args, **kwargs):
        data, scope = validated_search(request)
        words = highlight_words(data.get("q", ""))
        ranked = data["order"] == RELEVANCE and bool(words)
        self.pagination_class = ArchiveRelevancePagination if ranked else ArchiveNewestPagination
        entries = search_from(request, data, scope=scope, order=None if ranked else NEWEST)
        page = self.paginate_queryset(entries.values(*ENTRY_VALUES))
        context = {"request": request, "words": words, "client_view": scope.client_only}
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
        data, scope = validated_search(request)
        entries = search_from(request, data, scope=scope, order=NEWEST)
        return csv_response(entries, client_view=scope.client_only)
