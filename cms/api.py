"""The REST API: one router for every endpoint under /api/v1/."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from approvals.api import (
    DecisionUndoApi,
    PostSubmitApi,
    ReviewApproveApi,
    ReviewListApi,
    ReviewRequestChangesApi,
)
from approvals.comments_api import CommentReopenApi, CommentReplyApi, CommentResolveApi, PostCommentsApi
from brands.api import BrandViewSet
from brands.images_api import ImageViewSet
from cms.archive.api import ArchiveExportApi, ArchiveSearchApi
from cms.archive.channels_api import ChannelViewSet
from cms.posts.api import PostViewSet
from cms.posts.checks_api import CheckApi
from cms.sign_in import TokenSignInApi
from integrations.api import WebhookSubscriptionViewSet

router = DefaultRouter()
router.register("brands", BrandViewSet, basename="brand")
router.register("posts", PostViewSet, basename="post")
router.register("images", ImageViewSet, basename="image")
router.register("channels", ChannelViewSet, basename="channel")
router.register("webhooks", WebhookSubscriptionViewSet, basename="webhook-subscription")

urlpatterns = [
    path("v1/auth/token/", TokenSignInApi.as_view(), name="api-token"),
    path("v1/checks/", CheckApi.as_view(), name="api-checks"),
    path("v1/posts/<int:pk>/submit/", PostSubmitApi.as_view(), name="api-post-submit"),
    path("v1/reviews/", ReviewListApi.as_view(), name="api-reviews"),
    path("v1/reviews/<int:pk>/approve/", ReviewApproveApi.as_view(), name="api-review-approve"),
    path(
        "v1/reviews/<int:pk>/request-changes/",
        ReviewRequestChangesApi.as_view(),
        name="api-review-request-changes",
    ),
    path("v1/decisions/<int:pk>/undo/", DecisionUndoApi.as_view(), name="api-decision-undo"),
    path("v1/posts/<int:pk>/comments/", PostCommentsApi.as_view(), name="api-post-comments"),
    path("v1/comments/<int:pk>/replies/", CommentReplyApi.as_view(), name="api-comment-replies"),
    path("v1/comments/<int:pk>/resolve/", CommentResolveApi.as_view(), name="api-comment-resolve"),
    path("v1/comments/<int:pk>/reopen/", CommentReopenApi.as_view(), name="api-comment-reopen"),
    path("v1/archive/", ArchiveSearchApi.as_view(), name="api-archive"),
    path("v1/archive/export.csv", ArchiveExportApi.as_view(), name="api-archive-export"),
    path("v1/", include(router.urls)),
    # Signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); a browser without a
    # session is sent to sign in first. Swagger UI's files come from drf-spectacular-sidecar.
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema"), login_url="wagtailadmin_login"
        ),
        name="api-docs",
    ),
]
