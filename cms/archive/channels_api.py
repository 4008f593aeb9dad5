"""Channels in the API, read-only: where each of your brands' platforms' posts go. Never their
webhook secrets (nor the full webhook URL, which for many automation tools is a secret too)."""

from urllib.parse import urlsplit

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from brands.selectors import brands_for
from integrations.schema import IdFilter

from .models import Channel


class ChannelSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="platform_id", read_only=True)
    webhook_host = serializers.SerializerMethodField(
        help_text="Webhook channels: the host posts are sent to (the full URL and secret stay in the admin)."
    )

    class Meta:
        model = Channel
        fields = ["id", "brand", "platform", "kind", "active", "webhook_host"]

    def get_webhook_host(self, channel) -> str | None:
        if channel.kind != Channel.Kind.WEBHOOK or not channel.webhook_url:
            return None
        return urlsplit(channel.webhook_url).hostname


class ChannelFilter(filters.FilterSet):
    brand = IdFilter(field_name="brand_id")
    platform = filters.CharFilter(field_name="platform_id")
    kind = filters.ChoiceFilter(choices=Channel.Kind.choices)

    class Meta:
        model = Channel
        fields = ["brand", "platform", "kind"]


class ChannelViewSet(viewsets.ReadOnlyModelViewSet):
    """The channels of the brands you work on."""

    serializer_class = ChannelSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ChannelFilter

    def get_queryset(self):
        return (
            Channel.objects.filter(brand__in=brands_for(self.request.user))
            .select_related("platform")
            .order_by("brand_id", "platform__sort_order", "pk")
        )
