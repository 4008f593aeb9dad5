"""Where outbound webhooks may go (SSRF care): event subscriptions (integrations.events) and the
publishing channels' webhooks (cms.archive.channels).

A subscription's or channel's URL is typed by a brand's lead, and Signoff's server POSTs to it: without care
it could be pointed at the server's own network (a database admin on localhost, a cloud metadata
address). So only http:// and https:// URLs without credentials are accepted, and, unless
SIGNOFF_WEBHOOK_PRIVATE_HOSTS is on (development, tests, an agency whose tools run on its own
network), none whose host is, or resolves to, a loopback, private, link-local or reserved
address. The host is checked when the subscription is saved and again, resolved, before each
send; redirects are not followed. This narrows the risk, it does not remove it (a DNS answer can
change between the check and the connection): a production server should also send through an
egress proxy or firewall that blocks internal ranges.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

SCHEMES = ("http", "https")


def private_hosts_allowed() -> bool:
    return bool(getattr(settings, "SIGNOFF_WEBHOOK_PRIVATE_HOSTS", False))


# IPv6 ranges that carry an IPv4 address and can lead back to one (NAT64, 6to4, Teredo): a
# receiver never needs them, and the IPv4 address inside may be internal.
TRANSLATED = [
    ipaddress.ip_network(net) for net in ("64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32")
]


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif any(ip in net for net in TRANSLATED):
            return True
    return not ip.is_global or ip.is_multicast


def validate_webhook_url(url: str) -> None:
    """Refuse what Signoff will never POST to, with a message saying why."""
    parts = urlsplit(url or "")
    if parts.scheme.lower() not in SCHEMES:
        raise ValidationError("Use an http:// or https:// URL.", code="scheme")
    if not parts.hostname:
        raise ValidationError("The URL needs a host name.", code="host")
    if parts.username or parts.password:
        raise ValidationError(
            "Leave user names and passwords out of the URL: the signature proves the sender.",
            code="credentials",
        )
    if private_hosts_allowed():
        return
    host = parts.hostname.lower()
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise ValidationError("Signoff does not send webhooks to its own network.", code="private")
    try:
        internal = _is_internal(host)
    except ValueError:
        return  # a host name: checked, resolved, before each send
    if internal:
        raise ValidationError("Signoff does not send webhooks to its own network.", code="private")


def refusal_before_sending(url: str) -> str:
    """Why `url` must not be sent to now (empty if it may): the saved checks again, and every
    address its host resolves to."""
    try:
        validate_webhook_url(url)
    except ValidationError as error:
        return error.messages[0]
    if private_hosts_allowed():
        return ""
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError) as error:
        return f"Could not resolve {parts.hostname}: {error}"
    if any(_is_internal(info[4][0]) for info in infos):
        return f"{parts.hostname} resolves to an address on Signoff's own network; not sent."
    return ""
