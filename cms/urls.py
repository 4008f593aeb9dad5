from django.conf import settings
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.images.views.serve import ServeView

from . import views
from .sign_in import AdminPasswordResetView

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
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
    path(
        "images/<str:signature>/<int:image_id>/<str:filter_spec>/",
        ServeView.as_view(),
        name="wagtailimages_serve",
    ),
    path("", views.home, name="home"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
