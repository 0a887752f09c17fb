"""The metadata providers against the stub server serving recorded real responses, and
every way a provider can fail."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pymarc
import pytest
from pymarc import Field, Indicators, Record, Subfield

from mediatheque.catalogue.http import HttpClient, RateLimiter
from mediatheque.catalogue.lookup import fetch_cover
from mediatheque.catalogue.metadata import Person
from mediatheque.catalogue.provider_settings import (
    ProviderSettings,
    load_provider_settings,
    save_provider_settings,
)
from mediatheque.catalogue.providers import bnf, google, openlibrary
from mediatheque.catalogue.providers.normalise import clean, language_code, person_from_name
from mediatheque.catalogue.providers.unimarc_reader import metadata_from_unimarc
from mediatheque.db import Database
from mediatheque.errors import InvalidValue, LookupFailed
from tests.stub_http import (
    GOOGLE_ISBN,
    OPENLIBRARY_ISBN,
    XML,
    Canned,
    StubServer,
    bnf_sru_single,
    recorded,
    running_stub,
    serve_recorded_providers,
)

stub = pytest.fixture(running_stub, name="stub")


@pytest.fixture
def client(stub: StubServer, shared_dir: Path) -> HttpClient:
    serve_recorded_providers(stub, shared_dir)
    return HttpClient(stub.provider_settings())


# --- BnF SRU (UNIMARC) ------------------------------------------------------------------

def test_bnf_maps_the_real_record(client: HttpClient, stub: StubServer) -> None:
    found = bnf.lookup("9782360581115", client)
    assert found is not None
    assert found.title == "L'archipel en feu"
    assert found.responsibility == "Jules Verne"
    assert found.contributors == (Person("Verne", "Jules", "1828-1905", "070"),)
    assert (found.publisher, found.place, found.year) == ("AARP-Centre Rocambole", "Amiens", 2011)
    assert found.extent == "1 vol. (148 p.)"
    assert found.languages == ("fre",)
    assert found.country == "FR"
    assert found.series == "Bibliothèque du Rocambole. Oeuvres de Jules Verne"
    assert found.series_number == "3"
    assert found.isbn13 == found.ean == "9782360581115"
    assert found.media_type == "book"
    assert found.sources == ("bnf",)
    request = stub.requests_to("/bnf/")[0]
    assert request.param("query") == 'bib.isbn all "9782360581115"'
    assert request.param("recordSchema") == "unimarcXchange"


def test_bnf_roles_of_illustrators_and_translators(client: HttpClient) -> None:
    verne = bnf.lookup("9782010087219", client)           # 010$a is an ISBN-10
    assert verne is not None and verne.isbn13 == "9782010087219"
    assert [(p.surname, p.role) for p in verne.contributors] == [
        ("Verne", "070"), ("Férat", "440"), ("Roux", "440")]
    assert verne.title == ("Aventures de trois Russes et de trois Anglais ; "
                           "Les Histoires de Jean-Marie Cabidoulin")
    biography = bnf.lookup("9780800844394", client)
    assert biography is not None
    assert biography.subtitle == "a biography"
    assert biography.languages == ("eng",) and biography.country == "US"
    assert biography.subjects == ("Verne, Jules (1828-1905)",)
    assert ("Greaves", "Roger", "730") in [(p.surname, p.forenames, p.role)
                                          for p in biography.contributors]


def test_bnf_zero_records_is_not_found(client: HttpClient) -> None:
    assert bnf.lookup("9782070360024", client) is None


def test_unimarc_reader_dewey_summary_subjects_and_marks() -> None:
    record = Record(leader="     nam  22        450 ")
    record.add_field(
        Field("010", Indicators(" ", " "), [Subfield("a", "978-2-07-036002-4"),
                                            Subfield("d", "7,50 EUR")]),
        Field("101", Indicators("1", " "), [Subfield("a", "fra"), Subfield("c", "rus")]),
        Field("200", Indicators("1", " "), [Subfield("a", "\x88Le \x89Monde"),
                                            Subfield("h", "2"), Subfield("i", "Suite")]),
        Field("205", Indicators(" ", " "), [Subfield("a", "2e éd.")]),
        Field("214", Indicators(" ", "3"), [Subfield("a", "Imprimerie"), Subfield("d", "1999")]),
        Field("214", Indicators(" ", "0"), [Subfield("a", "Paris :"), Subfield("c", "Gallimard"),
                                            Subfield("d", "DL 2019")]),
        Field("330", Indicators(" ", " "), [Subfield("a", "Un roman.")]),
        Field("606", Indicators(" ", " "), [Subfield("a", "Steppes"), Subfield("y", "Kazakhstan"),
                                            Subfield("2", "rameau")]),
        Field("676", Indicators(" ", " "), [Subfield("a", "843.914"), Subfield("v", "23")]),
        Field("701", Indicators(" ", "1"), [Subfield("a", "Абай"), Subfield("4", "730")]),
        Field("702", Indicators(" ", "1"), [Subfield("a", "Roux"), Subfield("4", "999")]),
    )
    found = metadata_from_unimarc(record, "fm21")
    assert found.title == "Le Monde. 2, Suite"
    assert found.languages == ("fre",)                     # only $a; 639-2/T → /B
    assert (found.place, found.publisher, found.year) == ("Paris", "Gallimard", 2019)
    assert found.edition == "2e éd."
    assert found.summary == "Un roman."
    assert found.subjects == ("Steppes -- Kazakhstan",)
    assert found.dewey == "843.914"
    assert [(p.surname, p.role) for p in found.contributors] == [("Абай", "730"),
                                                                 ("Roux", "000")]
    assert found.sources == ("fm21",)


def test_unimarc_reader_on_the_real_iso2709_record_with_nsb_marks(shared_dir: Path) -> None:
    path = shared_dir / "data" / "unimarc_iccu_pymarc_testunimarc.dat"
    with path.open("rb") as handle:
        record = next(r for r in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True) if r)
    found = metadata_from_unimarc(record)
    assert found.title == "L'altra faccia della spirale"
    assert found.isbn13 == "9788804406822"
    assert found.contributors[0] == Person("Asimov", "Isaac", role="070")
    assert (found.publisher, found.year, found.languages) == ("A. Mondadori", 1996, ("ita",))


def test_unimarc_reader_dewey_of_a_real_bnf_record(shared_dir: Path) -> None:
    from xml.etree import ElementTree

    from mediatheque.catalogue.providers.unimarc_reader import record_from_xml
    root = ElementTree.parse(shared_dir / "data" / "unimarc_bnf_sru_verne.xml").getroot()
    records = list(root.iter("{info:lc/xmlns/marcxchange-v2}record"))
    found = metadata_from_unimarc(record_from_xml(records[32]))
    assert found.dewey == "843.809"
    assert found.media_type == "periodical"


# --- Open Library and Google Books --------------------------------------------------------

def test_openlibrary_maps_the_recorded_response(client: HttpClient, stub: StubServer) -> None:
    found = openlibrary.lookup(OPENLIBRARY_ISBN, client)
    assert found is not None
    assert found.title == "Use of Weapons"
    assert found.contributors == (Person("Banks", "Iain M."),)
    assert (found.publisher, found.year, found.extent) == ("Orbit", 2008, "480 p.")
    assert found.subjects[:2] == ("Fiction", "Science Fiction")
    assert found.cover_url == "https://covers.openlibrary.org/b/id/2379038-L.jpg"
    request = stub.requests_to("/ol/")[0]
    assert request.param("bibkeys") == f"ISBN:{OPENLIBRARY_ISBN}"
    assert request.param("jscmd") == "data"


def test_openlibrary_empty_object_is_not_found(client: HttpClient) -> None:
    assert openlibrary.lookup("9782070360024", client) is None


def test_google_maps_the_recorded_response(client: HttpClient, stub: StubServer) -> None:
    found = google.lookup(GOOGLE_ISBN, client)
    assert found is not None
    assert found.title == "To Kill a Mockingbird"
    assert found.contributors == (Person("Lee", "Harper"),)
    assert (found.publisher, found.year, found.extent) == ("Random House", 2004, "307 p.")
    assert found.languages == ("eng",)
    assert found.subjects == ("African Americans",)
    assert found.summary == "Theatre program."
    assert found.cover_url is not None
    assert found.cover_url.startswith("https://books.google.com/") and "edge" not in found.cover_url
    assert "key" not in stub.requests_to("/google/")[0].query


def test_google_not_found_and_key_sent(stub: StubServer, shared_dir: Path) -> None:
    serve_recorded_providers(stub, shared_dir)
    keyed = HttpClient(stub.provider_settings(google_key="AIza-test"))
    assert google.lookup("9782070360024", keyed) is None
    assert stub.requests_to("/google/")[0].param("key") == "AIza-test"


def test_google_ignores_a_volume_with_another_isbn(stub: StubServer) -> None:
    stub.add("/google/books/v1/volumes", Canned(body=recorded(f"google_{GOOGLE_ISBN}.json")))
    assert google.lookup("9782070360024", HttpClient(stub.provider_settings())) is None


@pytest.mark.parametrize(("raw", "code"), [
    ("fr", "fre"), ("ru", "rus"), ("kk", "kaz"), ("en", "eng"), ("en-US", "eng"),
    ("fra", "fre"), ("deu", "ger"), ("fre", "fre"), ("/languages/rus", "rus"),
    ("", None), ("français", None),
])
def test_language_codes_become_iso_639_2_b(raw: str, code: str | None) -> None:
    assert language_code(raw) == code


@pytest.mark.parametrize(("name", "surname", "forenames"), [
    ("Victor Hugo", "Hugo", "Victor"),
    ("Iain M. Banks", "Banks", "Iain M."),
    ("Antoine de Saint-Exupéry", "Saint-Exupéry", "Antoine de"),
    ("Hugo, Victor", "Hugo", "Victor"),
    ("Лев Николаевич Толстой", "Толстой", "Лев Николаевич"),
    ("Толстой Лев Николаевич", "Толстой", "Лев Николаевич"),
    ("Мұхтар Әуезов", "Әуезов", "Мұхтар"),
    ("小野雅裕", "小野雅裕", None),
])
def test_names_from_open_library_and_google(name: str, surname: str,
                                            forenames: str | None) -> None:
    person = person_from_name(name)
    assert person is not None
    assert (person.surname, person.forenames) == (surname, forenames)


# --- Failures -----------------------------------------------------------------------------

HTML_ERROR = (b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
              b"<body><h1>Maintenance</h1><p>Le catalogue est indisponible.</body></html>")


def _cases(shared_dir: Path) -> list[tuple[str, str, Canned, str]]:
    sru = bnf_sru_single(shared_dir, "978-2-36058-111-5")
    ol = recorded(f"openlibrary_{OPENLIBRARY_ISBN}.json")
    gb = recorded(f"google_{GOOGLE_ISBN}.json")
    return [
        ("bnf", "/bnf/api/SRU", Canned(body=HTML_ERROR, content_type="text/html"),
         "bad_response"),
        ("bnf", "/bnf/api/SRU", Canned(body=sru[: len(sru) // 2], content_type=XML),
         "bad_response"),
        ("bnf", "/bnf/api/SRU", Canned(body=b"", content_type=XML), "bad_response"),
        ("bnf", "/bnf/api/SRU", Canned(body=sru, cut_after=500, content_type=XML),
         "bad_response"),
        ("bnf", "/bnf/api/SRU", Canned(429, b"Too many requests"), "rate_limited"),
        ("bnf", "/bnf/api/SRU", Canned(500, HTML_ERROR, "text/html"), "server_error"),
        ("bnf", "/bnf/api/SRU", Canned(body=sru, delay=1.5, content_type=XML), "timeout"),
        ("openlibrary", "/ol/api/books", Canned(body=ol[: len(ol) // 2]), "bad_response"),
        ("openlibrary", "/ol/api/books", Canned(body=HTML_ERROR, content_type="text/html"),
         "bad_response"),
        ("openlibrary", "/ol/api/books", Canned(429, b'{"status": 429, "message": "Too Many '
                                                     b'Requests."}'), "rate_limited"),
        ("openlibrary", "/ol/api/books", Canned(body=ol, delay=1.5), "timeout"),
        ("google", "/google/books/v1/volumes", Canned(body=gb[:300]), "bad_response"),
        ("google", "/google/books/v1/volumes", Canned(body=b"[]"), "bad_response"),
        ("google", "/google/books/v1/volumes", Canned(
            429, b'{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}}'), "rate_limited"),
        ("google", "/google/books/v1/volumes", Canned(503, b""), "server_error"),
        ("google", "/google/books/v1/volumes", Canned(body=gb, delay=1.5), "timeout"),
    ]


LOOKUPS = {"bnf": bnf.lookup, "openlibrary": openlibrary.lookup, "google": google.lookup}


@pytest.mark.parametrize("index", range(16))
def test_each_failure_is_a_lookup_failed_with_its_reason(
    index: int, stub: StubServer, shared_dir: Path
) -> None:
    provider, path, canned, reason = _cases(shared_dir)[index]
    stub.add(path, canned)
    client = HttpClient(stub.provider_settings(timeout=0.3))
    started = time.monotonic()
    with pytest.raises(LookupFailed) as caught:
        LOOKUPS[provider]("9782360581115", client)
    assert (caught.value.provider, caught.value.reason) == (provider, reason)
    assert time.monotonic() - started < 1.2


def test_no_server_is_offline() -> None:
    server = StubServer()
    url = server.url
    server._server.server_close()       # the port is free again: connection refused
    settings = ProviderSettings(bnf_url=f"{url}/bnf", timeout=0.5, min_interval=0)
    with pytest.raises(LookupFailed) as caught:
        bnf.lookup("9782360581115", HttpClient(settings))
    assert caught.value.reason == "offline"


def test_gzip_answers_are_read(stub: StubServer, shared_dir: Path) -> None:
    body = gzip.compress(bnf_sru_single(shared_dir, "978-2-36058-111-5"))
    stub.add("/bnf/api/SRU", Canned(body=body, content_type=XML,
                                    headers=(("Content-Encoding", "gzip"),)))
    found = bnf.lookup("9782360581115", HttpClient(stub.provider_settings()))
    assert found is not None and found.title == "L'archipel en feu"
    stub.add("/bnf/api/SRU", Canned(body=body[:40], content_type=XML,
                                    headers=(("Content-Encoding", "gzip"),)))
    with pytest.raises(LookupFailed) as caught:
        bnf.lookup("9782360581115", HttpClient(stub.provider_settings()))
    assert caught.value.reason == "bad_response"


def test_the_user_agent_names_the_application(client: HttpClient, stub: StubServer) -> None:
    bnf.lookup("9782360581115", client)
    openlibrary.lookup(OPENLIBRARY_ISBN, client)
    google.lookup(GOOGLE_ISBN, client)
    agents = {request.user_agent for request in stub.requests}
    assert len(agents) == 1
    assert agents.pop().startswith("Mediatheque/")


def test_polite_rate_spaces_requests_to_one_host() -> None:
    slept: list[float] = []
    clock = iter([0.0, 0.1, 5.0]).__next__
    limiter = RateLimiter(sleep=slept.append, clock=clock)
    limiter.wait_turn("openlibrary.org", 1.0)
    limiter.wait_turn("openlibrary.org", 1.0)       # 0.1 s later: waits 0.9 s
    limiter.wait_turn("catalogue.bnf.fr", 1.0)      # another host: no wait
    assert slept == [pytest.approx(0.9)]


# --- Covers ---------------------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000a49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def test_fetch_cover(stub: StubServer) -> None:
    stub.add("/covers/1.png", Canned(body=PNG, content_type="image/png"))
    stub.add("/covers/page.html", Canned(body=HTML_ERROR, content_type="text/html"))
    stub.add("/covers/huge.jpg", Canned(body=b"\xff" * 5000, content_type="image/jpeg"))
    settings = stub.provider_settings()
    assert fetch_cover(f"{stub.url}/covers/1.png", settings) == (PNG, "image/png")
    assert fetch_cover(f"{stub.url}/covers/page.html", settings) is None
    assert fetch_cover(f"{stub.url}/covers/huge.jpg", settings, max_bytes=1000) is None
    assert fetch_cover(f"{stub.url}/covers/missing.jpg", settings) is None
    assert fetch_cover("file:///etc/passwd", settings) is None


# --- Settings -------------------------------------------------------------------------------

def test_settings_stored_then_overridden_by_the_environment(database: Database) -> None:
    with database.write() as session:
        save_provider_settings(session, ProviderSettings(
            bnf_url="https://sru.example.kz/bnf/", google_key=" key-1 ", timeout=3))
    with database.read() as session:
        stored = load_provider_settings(session, {})
        overridden = load_provider_settings(session, {
            "MEDIATHEQUE_PROVIDER_BNF": "http://127.0.0.1:9/sru",
            "MEDIATHEQUE_PROVIDER_OPENLIBRARY": "http://127.0.0.1:9/ol",
            "MEDIATHEQUE_PROVIDER_GOOGLE": "http://127.0.0.1:9/google",
        })
    assert stored.bnf_url == "https://sru.example.kz/bnf"
    assert stored.google_key == "key-1" and stored.timeout == 3
    assert stored.openlibrary_url == "https://openlibrary.org"
    assert overridden.bnf_url == "http://127.0.0.1:9/sru"
    assert overridden.openlibrary_url == "http://127.0.0.1:9/ol"
    assert overridden.google_url == "http://127.0.0.1:9/google"
    assert overridden.google_key == "key-1"


@pytest.mark.parametrize(("changes", "field"), [
    ({"bnf_url": "ftp://catalogue.bnf.fr"}, "bnf_url"),
    ({"google_url": "not a url"}, "google_url"),
    ({"timeout": 0}, "timeout"),
    ({"user_agent": "Médiathèque\r\nX-Evil: 1"}, "user_agent"),
])
def test_invalid_settings_are_refused_and_not_saved(
    database: Database, changes: dict[str, object], field: str
) -> None:
    settings = ProviderSettings(**changes)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue) as caught, database.write() as session:
        save_provider_settings(session, settings)
    assert caught.value.field == field
    with database.read() as session:
        assert load_provider_settings(session, {}) == ProviderSettings()


@pytest.mark.parametrize(("raw", "cleaned"), [
    ("  Les   Misérables ", "Les Misérables"),
    ("\u0088Le \u0089roman", "Le roman"),          # ISO 6429 non-sorting marks
    ("\u0098The \u009cend\tof\nit", "The end of it"),  # the older ones, blanks folded
    ("Абай \u0088жолы", "Абай жолы"),
    ("plain ascii", "plain ascii"),
    (" \u0088\u0089 ", None),
    (None, None),
])
def test_clean_drops_marks_and_folds_blanks(raw: str | None, cleaned: str | None) -> None:
    assert clean(raw) == cleaned


@pytest.mark.parametrize(("written", "isbn13"), [
    ("978-2-07-036002-4 (br.)", "9782070360024"),
    ("978 2 07 036002 4", "9782070360024"),
    ("2-07-036002-4", "9782070360024"),       # an ISBN-10
    ("979-10-90636-07-1", "9791090636071"),
    ("978-2-07-036002-5", None),              # a wrong check digit
    ("９７８２０７０３６００２４", None),          # not ASCII digits
])
def test_unimarc_reader_isbn_as_catalogues_write_it(written: str, isbn13: str | None) -> None:
    record = Record(leader="     nam  22        450 ")
    record.add_field(Field("010", Indicators(" ", " "), [Subfield("a", written)]),
                     Field("200", Indicators("1", " "), [Subfield("a", "Titre")]))
    assert metadata_from_unimarc(record, "fm21").isbn13 == isbn13
