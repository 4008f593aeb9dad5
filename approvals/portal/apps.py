from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "approvals.portal"
    label = "portal"
    verbose_name = "Client portal"
    default_auto_field = "django.db.models.BigAutoField"
