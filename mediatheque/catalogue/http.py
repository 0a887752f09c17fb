"""The one HTTP client of the metadata providers: stdlib urllib, a named User-Agent, a short
timeout on every socket operation and a deadline on the whole request, a size limit, gzip,
and a polite pause between two requests to the same host.

Every failure becomes a LookupFailed with a `reason` the desk can act on: offline (no
network, refused, DNS), timeout, rate_limited (429, 403), server_error (5xx) or
bad_response (other statuses, truncated bodies, undecodable gzip).
"""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from mediatheque.catalogue.provider_settings import ProviderSettings
from mediatheque.errors import LookupFailed

MAX_BODY = 4 * 1024 * 1024
_CHUNK = 64 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes
    content_type: str
    url: str

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class RateLimiter:
    """At most one request per `min_interval` per host, across threads. `sleep` and `clock`
    are injectable so that tests do not wait."""

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _next: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_turn(self, host: str, min_interval: float) -> None:
        if min_interval <= 0:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + min_interval
        if start > now:
            self.sleep(start - now)


def _opener(url: str) -> urllib.request.OpenerDirector:
    host = urlsplit(url).hostname or ""
    if host in LOOPBACK:
        # A proxy configured for the internet must not swallow the local stub server.
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def _reason_for_status(status: int) -> str:
    if status in (429, 403):
        return "rate_limited"
    if status >= 500:
        return "server_error"
    return "bad_response"


@dataclass(frozen=True)
class HttpClient:
    settings: ProviderSettings
    limiter: RateLimiter = field(default_factory=RateLimiter)

    def get(
        self,
        url: str,
        *,
        provider: str,
        accept: str = "*/*",
        max_bytes: int = MAX_BODY,
        ok_statuses: tuple[int, ...] = (200,),
    ) -> HttpResponse:
        """GETs the URL; statuses in `ok_statuses` are returned (a provider may treat 404 as
        'not found'), everything else raises LookupFailed(provider, reason, detail)."""
        host = urlsplit(url).netloc
        self.limiter.wait_turn(host, self.settings.min_interval)
        request = urllib.request.Request(url, headers={
            "User-Agent": self.settings.user_agent,
            "Accept": accept,
            "Accept-Encoding": "gzip",
        })
        deadline = time.monotonic() + 2 * self.settings.timeout
        try:
            with _opener(url).open(request, timeout=self.settings.timeout) as reply:
                status = reply.status
                headers = reply.headers
                body = _read_limited(reply, max_bytes, deadline, provider)
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
            if status in ok_statuses:
                return HttpResponse(status, b"", error.headers.get_content_type(), url)
            raise LookupFailed(provider, _reason_for_status(status), f"HTTP {status}") from None
        except TimeoutError as error:
            raise LookupFailed(provider, "timeout", str(error)) from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise LookupFailed(provider, "timeout", str(error.reason)) from None
            raise LookupFailed(provider, "offline", str(error.reason)) from None
        except http.client.IncompleteRead:
            raise LookupFailed(provider, "bad_response", "truncated") from None
        except (http.client.HTTPException, ConnectionError, OSError) as error:
            raise LookupFailed(provider, "offline", str(error) or type(error).__name__) from None
        if status not in ok_statuses:
            raise LookupFailed(provider, _reason_for_status(status), f"HTTP {status}")
        if headers.get("Content-Encoding", "").lower() == "gzip":
            try:
                body = gzip.decompress(body)
            except (OSError, EOFError, zlib.error):
                raise LookupFailed(provider, "bad_response", "gzip") from None
            if len(body) > max_bytes:
                raise LookupFailed(provider, "bad_response", "too large")
        return HttpResponse(status, body, headers.get_content_type(), url)


def _read_limited(
    reply: http.client.HTTPResponse, max_bytes: int, deadline: float, provider: str
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = reply.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise LookupFailed(provider, "bad_response", "too large")
        if time.monotonic() > deadline:
            # A server trickling bytes never trips the per-read timeout.
            raise LookupFailed(provider, "timeout", "too slow")
        chunks.append(chunk)
