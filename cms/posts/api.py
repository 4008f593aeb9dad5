from rest_framework import viewsets

from .models import Post


class PostViewSet(viewsets.ModelViewSet):
    queryset = Post.objects.none()
