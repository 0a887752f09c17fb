"""A stub HTTP server on 127.0.0.1 for tests that must never touch the internet.

    with StubServer() as stub:
        stub.add("/ol/api/books", Canned(body=b"{}"), query={"bibkeys": "ISBN:978…"})
        settings = stub.provider_settings()          # every provider pointed at the stub
        ...
        assert stub.requests[0].user_agent.startswith("Mediatheque/")

Canned responses can be delayed (timeouts), carry any status (429, 500…), any body (HTML
error pages, truncated XML/JSON) or cut the connection half-way (`cut_after`). Every request
is recorded with its path, query and headers. Unmatched requests get a 404.

The second half builds recorded real provider answers: the BnF one is cut out of the real
SRU response in ../shared/data (one record per ISBN), Open Library and Google Books come
from tests/fixtures/providers (see the README there).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from mediatheque.catalogue.provider_settings import ProviderSettings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "providers"


@dataclass(frozen=True)
class Canned:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()
    # Announce the whole body, send only this many bytes, then close: a cut connection.
    cut_after: int | None = None


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    @property
    def user_agent(self) -> str:
        return self.headers.get("user-agent", "")

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class _Route:
    path: str
    query: dict[str, str]
    response: Canned | Callable[[RecordedRequest], Canned]

    def matches(self, request: RecordedRequest) -> bool:
        return request.path == self.path and all(
            request.param(name) == value for name, value in self.query.items()
        )


@dataclass
class StubServer:
    routes: list[_Route] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, path: str, response: Canned | Callable[[RecordedRequest], Canned],
            *, query: dict[str, str] | None = None) -> None:
        """Later routes win over earlier ones, so a test can override a default."""
        with self._lock:
            self.routes.insert(0, _Route(path, query or {}, response))

    def requests_to(self, prefix: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(prefix)]

    def provider_settings(self, **changes: object) -> ProviderSettings:
        """Settings with every provider on this stub, short timeouts and no pauses."""
        values: dict[str, object] = {
            "bnf_url": f"{self.url}/bnf/api/SRU",
            "openlibrary_url": f"{self.url}/ol",
            "google_url": f"{self.url}/google/books/v1",
            "timeout": 2.0,
            "min_interval": 0.0,
        }
        values.update(changes)
        return ProviderSettings(**values)  # type: ignore[arg-type]

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _answer(self, request: RecordedRequest) -> Canned:
        with self._lock:
            self.requests.append(request)
            route = next((r for r in self.routes if r.matches(request)), None)
        if route is None:
            return Canned(404, b'{"error": "no canned response"}')
        response = route.response
        return response(request) if callable(response) else response


def _handler_for(stub: StubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            request = RecordedRequest(
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={key.lower(): value for key, value in self.headers.items()},
            )
            canned = stub._answer(request)
            if canned.delay and stub._stopping.wait(canned.delay):
                return
            self.send_response(canned.status)
            self.send_header("Content-Type", canned.content_type)
            self.send_header("Content-Length", str(len(canned.body)))
            self.send_header("Connection", "close")
            for name, value in canned.headers:
                self.send_header(name, value)
            self.end_headers()
            body = canned.body if canned.cut_after is None else canned.body[:canned.cut_after]
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


# --- Recorded real responses -------------------------------------------------------------

SRU_RECORD = re.compile(rb"<srw:record>.*?</srw:record>", re.DOTALL)
SRU_RECORDS = re.compile(rb"<srw:records>.*</srw:records>", re.DOTALL)
SRU_COUNT = re.compile(rb"<srw:numberOfRecords>\d+</srw:numberOfRecords>")
SRU_NEXT = re.compile(rb"<srw:nextRecordPosition>\d+</srw:nextRecordPosition>\s*")


def bnf_sru_file(shared_dir: Path) -> bytes:
    return (shared_dir / "data" / "unimarc_bnf_sru_verne.xml").read_bytes()


def bnf_sru_single(shared_dir: Path, isbn_in_010: str) -> bytes:
    """The real SRU answer reduced to the one record whose 010$a is `isbn_in_010` (as the
    BnF writes it, e.g. '978-2-36058-111-5'): what the BnF sends for an ISBN query."""
    real = bnf_sru_file(shared_dir)
    marker = f'<mxc:subfield code="a">{isbn_in_010}</mxc:subfield>'.encode()
    record = next(m.group(0) for m in SRU_RECORD.finditer(real) if marker in m.group(0))
    single = SRU_RECORDS.sub(lambda _: b"<srw:records>\n" + record + b"\n</srw:records>", real)
    single = SRU_COUNT.sub(b"<srw:numberOfRecords>1</srw:numberOfRecords>", single)
    return SRU_NEXT.sub(b"", single)


def bnf_sru_empty(shared_dir: Path) -> bytes:
    """The real envelope with no record: the BnF's answer for an ISBN it does not have."""
    real = bnf_sru_file(shared_dir)
    empty = SRU_RECORDS.sub(b"", real)
    empty = SRU_COUNT.sub(b"<srw:numberOfRecords>0</srw:numberOfRecords>", empty)
    return SRU_NEXT.sub(b"", empty)


def recorded(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# ISBNs of the recorded answers, and how the BnF writes them in 010$a.
BNF_ISBNS = {
    "9782360581115": "978-2-36058-111-5",   # Verne, L'archipel en feu (2011)
    "9782010087219": "2-01-008721-6",       # Verne, Aventures de trois Russes… (1982)
    "9780800844394": "0-8008-4439-4",       # Jean Jules-Verne, Jules Verne (1976, English)
}
OPENLIBRARY_ISBN = "9780316030571"           # Banks, Use of Weapons
GOOGLE_ISBN = "9780099466734"                # Lee, To Kill a Mockingbird
XML = "application/xml; charset=utf-8"


def serve_recorded_providers(stub: StubServer, shared_dir: Path) -> None:
    """Every provider on the stub answers from recorded real responses: the BnF knows the
    BNF_ISBNS, Open Library OPENLIBRARY_ISBN, Google GOOGLE_ISBN; everything else gets each
    provider's real 'not found' shape."""
    stub.add("/bnf/api/SRU", Canned(body=bnf_sru_empty(shared_dir), content_type=XML))
    for isbn13, written in BNF_ISBNS.items():
        stub.add("/bnf/api/SRU", Canned(body=bnf_sru_single(shared_dir, written),
                                        content_type=XML),
                 query={"query": f'bib.isbn all "{isbn13}"'})
    stub.add("/ol/api/books", Canned(body=b"{}"))
    stub.add("/ol/api/books", Canned(body=recorded(f"openlibrary_{OPENLIBRARY_ISBN}.json")),
             query={"bibkeys": f"ISBN:{OPENLIBRARY_ISBN}"})
    stub.add("/google/books/v1/volumes", Canned(body=recorded("google_not_found.json")))
    stub.add("/google/books/v1/volumes", Canned(body=recorded(f"google_{GOOGLE_ISBN}.json")),
             query={"q": f"isbn:{GOOGLE_ISBN}"})


def running_stub() -> Iterator[StubServer]:
    """For a fixture: `stub = pytest.fixture(running_stub, name="stub")`."""
    with StubServer() as stub:
        yield stub
