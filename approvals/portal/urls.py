from django.contrib.auth.views import LogoutView
from django.urls import path, reverse_lazy

from . import access, views

app_name = "portal"

urlpatterns = [
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page=reverse_lazy("portal:login")), name="logout"),
    path("link/sent/", access.link_sent, name="link-sent"),
    path("link/<slug:token>/", access.magic_link, name="magic-link"),
    path("password-reset/", access.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", access.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/done/", access.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path(
        "password-reset/<uidb64>/<token>/",
        access.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("", views.dashboard, name="dashboard"),
    path("approve/", views.bulk_approve, name="bulk-approve"),
    path("upcoming/", views.upcoming, name="upcoming"),
    path("calendar/", views.calendar, name="calendar"),
    path("archive/", views.archive, name="archive"),
    path("archive/export.csv", views.archive_export, name="archive-export"),
    path("posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("posts/<int:pk>/preview/<slug:mode>/", views.post_preview, name="post-preview"),
    path("posts/<int:pk>/images/<int:image_id>/", views.post_image, name="post-image"),
    path(
        "posts/<int:pk>/images/<int:image_id>/<str:filter_spec>/", views.post_rendition, name="post-rendition"
    ),
    path("branding/logo/", views.agency_logo, name="agency-logo"),
    path("posts/<int:pk>/approve/", views.post_approve, name="post-approve"),
    path("posts/<int:pk>/request-changes/", views.post_request_changes, name="post-request-changes"),
]
