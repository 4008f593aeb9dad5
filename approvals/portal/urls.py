from django.contrib.auth.views import LogoutView
from django.urls import path, reverse_lazy

from . import views

app_name = "portal"

urlpatterns = [
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page=reverse_lazy("portal:login")), name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("posts/<int:pk>/", views.post_detail, name="post-detail"),
    path("posts/<int:pk>/preview/<slug:mode>/", views.post_preview, name="post-preview"),
]
