from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "cms.archive"
    label = "archive"
    verbose_name = "Archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
