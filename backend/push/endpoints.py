"""Which push endpoints the worker may post to: the browsers' push services, never our own network.

A subscription's endpoint is a URL the user hands us, and the worker posts to it. Parsers disagree on
odd URLs (`https://127.1`, `https://0x7f000001`, `https://localhost.`, userinfo, backslashes), so
rather than refuse what looks internal we accept only hosts on an allow-list, matched on dot boundaries.
An allowed host that is not one of the known push services is also resolved at send time, and only
public addresses are used (see GuardedResolver), so a name that points inward is never reached.
"""
import ipaddress
import re
import socket
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver
from aiohttp.resolver import DefaultResolver
from flask import current_app

# Documented Web Push services: Chrome and most Chromium browsers (FCM, and the legacy GCM host),
# Firefox (autopush), Safari (APNs web push), Edge (WNS).
KNOWN_PUSH_HOSTS = ("fcm.googleapis.com", "android.googleapis.com", "push.services.mozilla.com",
                    "push.apple.com", "notify.windows.com")
HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


class BlockedAddress(OSError):
    """The push service's name resolved to no public address."""


def insecure_allowed() -> bool:
    """Tests run a push service on 127.0.0.1 over http; the switch does nothing outside TESTING."""
    return bool(current_app.testing and current_app.config.get("PUSH_ALLOW_INSECURE_ENDPOINTS"))


def allowed_hosts() -> tuple[str, ...]:
    hosts = current_app.config.get("PUSH_ALLOWED_HOSTS") or KNOWN_PUSH_HOSTS
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    return tuple(h.strip().lower().strip(".") for h in hosts if h.strip())


def matches(host: str, suffixes) -> bool:
    return any(host == s or host.endswith("." + s) for s in suffixes)


def problem(url: str) -> str | None:
    """Why the worker must not post to this endpoint, or None when it may."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unclosed [ of an IPv6 address
        return "Not a URL."
    if insecure_allowed():
        return None if parts.scheme in ("http", "https") and host else "Not a URL."
    if parts.scheme != "https" or not host:
        return "Must be an https push service URL."
    # Only a plain name and the default port: no userinfo, no brackets, nothing parsers disagree on.
    if parts.netloc.lower() not in (host, f"{host}:443") or not HOST.match(host):
        return "Not a known push service."
    if not matches(host, allowed_hosts()):
        return "Not a known push service."
    return None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def must_check_address(host: str) -> bool:
    """Known push services are trusted to resolve outward; any other allowed host is checked."""
    return not matches(host.lower().rstrip("."), KNOWN_PUSH_HOSTS)


class GuardedResolver(AbstractResolver):
    """Resolves as usual, then drops private, loopback, link-local and reserved addresses.

    Checking the addresses the connection will actually use (not an earlier lookup) leaves no gap for
    a name that answers a public address first and a private one a moment later.
    """

    def __init__(self, allow_private: bool = False):
        self.inner: AbstractResolver | None = None  # made on the event loop that resolves
        self.allow_private = allow_private

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        self.inner = self.inner or DefaultResolver()
        found = await self.inner.resolve(host, port, family)
        if self.allow_private or not must_check_address(host):
            return found
        public = [info for info in found if is_public(info["host"])]
        if not public:
            raise BlockedAddress(f"{host} has no public address")
        return public

    async def close(self) -> None:
        if self.inner:
            await self.inner.close()


def send_problem(url: str) -> str | None:
    """At send time: the stored endpoint must still pass, and an address literal must be public."""
    if reason := problem(url):
        return reason
    host = urlsplit(url).hostname or ""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: GuardedResolver checks what it resolves to
    if insecure_allowed() or is_public(str(literal)) or not must_check_address(host):
        return None
    return "Not a public address."
