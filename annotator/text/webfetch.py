"""Fetch a news page that a lead names by URL, refusing anything but public web servers.

No Django. The server fetches on a lead's behalf, so a URL must not reach what only the server
can reach: every address the host resolves to must be public (not private, loopback,
link-local, shared, multicast or reserved), and the connection goes to the address that was
checked, not to a second lookup that could answer differently. Redirects are followed a few
times, each checked the same way; size and time are limited.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 10.0  # seconds for the whole fetch, redirects included
MAX_REDIRECTS = 3
_TEXT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text", "text/markdown": "markdown"}


class FetchError(Exception):
    """The page could not be fetched; the message says why, for the person who gave the URL."""


@dataclass(frozen=True)
class FetchedPage:
    url: str
    text: str
    format: str


def public_address(host: str, port: int, *, loopback_only: bool = False) -> str:
    """One address of `host` to connect to; FetchError if any address it resolves to is not public.

    `loopback_only` is for tests: then only "localhost" and literal loopback addresses are
    accepted, any other name is refused before it is looked up, and nothing is public.
    """
    if loopback_only and host != "localhost" and not _loopback_literal(host):
        raise FetchError(f"'{host}' is not a public address here: only loopback addresses can be fetched.")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The host '{host}' could not be found.") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]
    for address in addresses:
        address = getattr(address, "ipv4_mapped", None) or address
        allowed = address.is_loopback if loopback_only else address.is_global and not address.is_multicast
        if not allowed:
            raise FetchError(f"'{host}' is not a public address ({address}); only public web pages can be fetched.")
    return str(addresses[0])


def _loopback_literal(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fetch_page(url: str, *, loopback_only: bool = False, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT):
    try:
        return _fetch(url, loopback_only, max_bytes, time.monotonic() + timeout)
    except TimeoutError:
        raise FetchError(f"The server did not answer within {timeout:g} second{'' if timeout == 1 else 's'}.") from None


def _fetch(url: str, loopback_only: bool, max_bytes: int, deadline: float) -> FetchedPage:
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("Only http and https addresses can be fetched.")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = public_address(parts.hostname, port, loopback_only=loopback_only)
        response, connection = _get(parts, address, port, deadline)
        try:
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchError(f"The server answered {response.status} {response.reason}.")
            return FetchedPage(url, *_read_text(response, max_bytes, deadline))
        finally:
            connection.close()
    raise FetchError(f"The page redirects more than {MAX_REDIRECTS} times.")


def _get(parts, address: str, port: int, deadline: float):
    remaining = max(0.1, deadline - time.monotonic())
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(parts.hostname, address, port, timeout=remaining)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=remaining)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    try:
        connection.request(
            "GET", path, headers={"Host": host, "User-Agent": "Lede/1.0", "Accept": "text/html,text/plain"}
        )
        return connection.getresponse(), connection
    except TimeoutError:
        connection.close()
        raise
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        connection.close()
        raise FetchError(f"The page could not be fetched: {error.__class__.__name__} {error}.".strip()) from None


def _read_text(response, max_bytes: int, deadline: float) -> tuple[str, str]:
    content_type, _, parameters = (response.getheader("Content-Type") or "text/html").partition(";")
    fmt = _TEXT_TYPES.get(content_type.strip().lower())
    if fmt is None:
        raise FetchError(f"The address gives '{content_type.strip()}', not a web page or text.")
    if int(response.getheader("Content-Length") or 0) > max_bytes:
        raise FetchError(f"The page is larger than the limit of {max_bytes // (1024 * 1024)} MB.")
    chunks, size = [], 0
    try:
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"The page is larger than the limit of {max_bytes // (1024 * 1024)} MB.")
            if time.monotonic() > deadline:
                raise TimeoutError
            chunks.append(chunk)
    except TimeoutError:
        raise
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"The page could not be read: {error.__class__.__name__}.") from None
    charset = "utf-8"
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    try:
        return b"".join(chunks).decode(charset, errors="replace"), fmt
    except LookupError:
        return b"".join(chunks).decode("utf-8", errors="replace"), fmt


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the checked address, with the certificate checked against the host name."""

    def __init__(self, host: str, address: str, port: int, *, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
