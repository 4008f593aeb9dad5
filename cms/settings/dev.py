"""A laptop: debug on, e-mails to the console, a throwaway secret key unless one is set."""

from .base import *  # noqa: F403
from .env import envbool, envstr

DEBUG = True
SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-change-me")
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WHITENOISE_AUTOREFRESH = True  # serve static files straight from the app folders
SIGNOFF_WEBHOOK_PRIVATE_HOSTS = envbool("SIGNOFF_WEBHOOK_PRIVATE_HOSTS", True)  # receivers on localhost
