from rest_framework.throttling import SimpleRateThrottle
from wagtail.models import APIToken


class PerTokenRateThrottle(SimpleRateThrottle):
    """Requests per token (a script's token has its own budget, apart from its user's browser
    session), per user for sessions, per address otherwise. Rate: SIGNOFF_API_RATE."""

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, APIToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
