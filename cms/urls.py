from django.conf import settings
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from . import media, views
from .archive.media_links import media_link
from .sign_in import AdminPasswordResetView

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name none (and on the portal's plain files).
    path("favicon.ico", views.favicon),
    # Wagtail's site history lists every post's changes by model permission, across brands;
    # until it can be scoped per brand it is for superusers only. (Before the admin's own route.)
    path("admin/reports/site-history/", views.superusers_only(LogEntriesView.as_view())),
    path(
        "admin/reports/site-history/results/",
        views.superusers_only(LogEntriesView.as_view(results_only=True)),
    ),
    # Wagtail's password reset, limited per address and IP like the portal's (cms.sign_in).
    path("admin/password_reset/", AdminPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("api/", include("cms.api")),
    path("portal/", include("approvals.portal.urls")),
    # Uploaded files, only to those who may see them (cms/media.py); in every environment, since
    # nothing else serves MEDIA_ROOT. (No route for Wagtail's signed image URLs, which hand an
    # image to anyone holding the link, for ever; without it the admin offers no URL generator.)
    path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", media.media_file, name="media"),
    path("media-link/<str:token>/", media_link, name="media-link"),
    path("", views.home, name="home"),
]

# API routes answer JSON even when no API view matched (cms.views).
handler404 = "cms.views.not_found"
handler500 = "cms.views.server_error"
