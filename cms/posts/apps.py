from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "cms.posts"
    label = "posts"
    verbose_name = "Posts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
