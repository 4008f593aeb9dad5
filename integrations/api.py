"""Webhook subscriptions in the API: a brand's account leads (and admins) list, make, change and
delete them, rotate their secrets, send a test event and read the delivery log. Everyone else is
refused (403); another brand's subscriptions answer 404."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cms.api_errors import call_service
from integrations.schema import IdFilter

from .events import send_test_event
from .models import EventType, WebhookAttempt, WebhookEvent, WebhookSubscription
from .subscriptions import (
    brands_managed_by,
    create_subscription,
    delete_subscription,
    events_of,
    manages_any,
    rotate_secret,
    secret_hint,
    subscriptions_managed_by,
    update_subscription,
)


class ManagesWebhooks(permissions.BasePermission):
    message = "Only a brand's account leads and admins manage its webhooks."

    def has_permission(self, request, view):
        return manages_any(request.user)


class ManagedBrandField(serializers.PrimaryKeyRelatedField):
    """A brand id, accepted only for brands the user leads (others read as "does not exist")."""

    def get_queryset(self):
        return brands_managed_by(self.context["request"].user)


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    brand = ManagedBrandField()
    events = serializers.MultipleChoiceField(choices=EventType.choices, allow_empty=False)
    secret_hint = serializers.SerializerMethodField()

    class Meta:
        model = WebhookSubscription
        fields = ["id", "brand", "name", "url", "events", "active", "secret_hint", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_secret_hint(self, subscription) -> str:
        return secret_hint(subscription)

    def to_representation(self, subscription):
        data = super().to_representation(subscription)
        data["events"] = [event for event in EventType.values if event in subscription.events]
        return data


class NewWebhookSubscriptionSerializer(WebhookSubscriptionSerializer):
    """As made: with its secret, this once."""

    secret = serializers.CharField(read_only=True)

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["started_at", "duration_ms", "status_code", "ok", "error"]


class WebhookEventSerializer(serializers.ModelSerializer):
    attempts_log = WebhookAttemptSerializer(source="log", many=True, read_only=True)

    class Meta:
        model = WebhookEvent
        fields = [
            "event_id",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "delivered_at",
            "created_at",
            "payload",
            "attempts_log",
        ]


SECRET = inline_serializer("WebhookSecret", {"secret": serializers.CharField()})


class WebhookSubscriptionFilter(filters.FilterSet):
    brand = IdFilter(field_name="brand_id")
    active = filters.BooleanFilter()

    class Meta:
        model = WebhookSubscription
        fields = ["brand", "active"]


class WebhookSubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Outbound event webhooks of the brands you lead (docs/webhooks.md)."""

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [*viewsets.GenericViewSet.permission_classes, ManagesWebhooks]
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = WebhookSubscriptionFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return subscriptions_managed_by(self.request.user).order_by("pk")

    @extend_schema(responses={201: NewWebhookSubscriptionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["events"] = sorted(data["events"])
        subscription = call_service(create_subscription, user=request.user, **data)
        answer = NewWebhookSubscriptionSerializer(subscription, context=self.get_serializer_context())
        return Response(answer.data, status=201)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "events" in data:
            data["events"] = sorted(data["events"])
        serializer.instance = call_service(
            update_subscription, user=self.request.user, subscription=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        call_service(delete_subscription, user=self.request.user, subscription=instance)

    @extend_schema(request=None, responses={200: SECRET})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new secret at once, shown this once; the old one stops verifying."""
        return Response(
            {"secret": call_service(rotate_secret, user=request.user, subscription=self.get_object())}
        )

    @extend_schema(request=None, responses={200: WebhookEventSerializer})
    @action(detail=True, methods=["post"], url_path="test")
    def send_test(self, request, pk=None):
        """Send a signed `ping` now and answer with what the receiver said."""
        event = send_test_event(subscription=self.get_object(), user=request.user)
        event = events_of(event.subscription).get(pk=event.pk)
        return Response(WebhookEventSerializer(event).data)

    @extend_schema(
        responses={
            200: inline_serializer(
                "PaginatedWebhookEventList",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": WebhookEventSerializer(many=True),
                },
            )
        },
        parameters=[OpenApiParameter("page", int, required=False, description="A page of the log.")],
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request, pk=None):
        """The delivery log: each event sent to this URL, newest first, with every attempt."""
        queryset = events_of(self.get_object())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(WebhookEventSerializer(page, many=True).data)
