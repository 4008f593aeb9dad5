from django.apps import AppConfig


class AdminChromeConfig(AppConfig):
    """Signoff's own admin: its name, logo and favicon, a help menu without Wagtail's release
    notes and editor guide, and search that finds posts."""

    name = "cms.admin_chrome"
    label = "admin_chrome"
