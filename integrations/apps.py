from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """How outside tools talk to Signoff: personal API tokens (and the API's own plumbing)."""

    name = "integrations"
    default_auto_field = "django.db.models.BigAutoField"
