from django.urls import path, reverse
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_api_token_urls():
    return [
        path("account/api-tokens/", admin_views.ApiTokensView.as_view(), name="integrations_api_tokens"),
        path(
            "account/api-tokens/<int:token_id>/revoke/",
            admin_views.revoke,
            name="integrations_api_token_revoke",
        ),
    ]


@hooks.register("register_account_menu_item")
def api_tokens_account_item(request):
    return {
        "url": reverse("integrations_api_tokens"),
        "label": "API tokens",
        "help_text": "Make and revoke tokens for your scripts and tools to use Signoff's API.",
    }
