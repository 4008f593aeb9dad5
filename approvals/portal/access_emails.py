"""E-mails that let client users back in: a fresh magic link, a password reset link.

Both are background tasks given only the address that was typed. The form that enqueues them
answers the same whether or not the address belongs to anyone, and (with a real queue) takes as
long, since the look-up happens here; and no token waits in the task queue: the task makes it.
"""

import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from brands.models import Brand
from brands.selectors import brands_of_client_user

from .magic_links import create_magic_link

logger = logging.getLogger(__name__)
User = get_user_model()


@dataclass
class AccessEmail:
    """What one e-mail says; rendered by templates/emails/portal_access.{txt,html}."""

    subject: str
    heading: str
    lead: str
    links: list[tuple[str, str]]
    note: str


@task()
def send_fresh_magic_links(email: str, brand_id: int | None = None, next_path: str | None = None) -> None:
    """A new magic link for each active client user with this address: to `brand_id` if they are a
    client user of its client, or (the brand unknown) one link for each of their client's brands."""
    brand = Brand.objects.filter(pk=brand_id).first() if brand_id is not None else None
    if brand_id is not None and brand is None:
        return
    for user in client_users_with_email(email, client_id=brand.client_id if brand else None):
        brands = [brand] if brand is not None else list(brands_of_client_user(user).order_by("name"))
        links = [
            (f"Open {each.name}", create_magic_link(user, each, next_path=next_path if brand else None)[1])
            for each in brands
        ]
        if not links:
            continue
        days = settings.SIGNOFF_MAGIC_LINK_DAYS
        _send(
            user,
            AccessEmail(
                subject=f"Your sign-in link for {brands[0].name}"
                if len(links) == 1
                else "Your sign-in links",
                heading="Your new sign-in link" if len(links) == 1 else "Your new sign-in links",
                lead=f"Follow the link to review and approve posts. It works for {days} days.",
                links=links,
                note="You get this because someone asked for a new sign-in link with your address. "
                "If it wasn’t you, ignore this e-mail: nobody can use the link without it.",
            ),
        )


@task()
def send_password_reset(email: str) -> None:
    """A link to choose a new password, for each active client user with this address."""
    for user in client_users_with_email(email):
        if not user.has_usable_password():
            continue  # Django's rule: a password turned off on purpose is not reset by e-mail
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        path = reverse("portal:password-reset-confirm", args=[uid, default_token_generator.make_token(user)])
        _send(
            user,
            AccessEmail(
                subject="Choose a new password",
                heading="Choose a new password",
                lead="Follow the link to choose a new password for the client portal. "
                "It works once, and only until you sign in.",
                links=[("Choose a new password", _absolute(path))],
                note="You get this because someone asked to reset the password for your address. "
                "If it wasn’t you, ignore this e-mail: your password stays as it is.",
            ),
        )


def client_users_with_email(email: str, *, client_id: int | None = None) -> list:
    """Active client users (of `client_id`, if given) whose address is `email`, ignoring case."""
    users = User.objects.filter(email__iexact=email, is_active=True, client_user__isnull=False)
    if client_id is not None:
        users = users.filter(client_user__client_id=client_id)
    # iexact is ASCII-only on some databases: compare Unicode-aware too, as Django's reset form does.
    wanted = _casefold(email)
    return [user for user in users if _casefold(user.email) == wanted]


def _send(user, email: AccessEmail) -> None:
    context = {"email": email}
    message = EmailMultiAlternatives(
        subject=email.subject, body=render_to_string("emails/portal_access.txt", context), to=[user.email]
    )
    message.attach_alternative(render_to_string("emails/portal_access.html", context), "text/html")
    try:
        message.send()
    except OSError:  # they can ask again; the error is on the record
        logger.error("E-mailing portal access (%s) to user %s failed", email.subject, user.pk, exc_info=True)


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _casefold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()
