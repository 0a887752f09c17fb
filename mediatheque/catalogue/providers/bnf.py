"""BnF Catalogue général through SRU, records in UNIMARC (MarcXchange): the best source for
books published in France."""

from __future__ import annotations

from urllib.parse import urlencode
from xml.etree import ElementTree

from mediatheque.catalogue.http import HttpClient
from mediatheque.catalogue.metadata import BookMetadata
from mediatheque.catalogue.providers.unimarc_reader import metadata_from_unimarc, record_from_xml
from mediatheque.errors import LookupFailed

NAME = "bnf"
SRW = "{http://www.loc.gov/zing/srw/}"


def query_url(base_url: str, isbn13: str) -> str:
    return base_url + "?" + urlencode({
        "version": "1.2",
        "operation": "searchRetrieve",
        "query": f'bib.isbn all "{isbn13}"',
        "recordSchema": "unimarcXchange",
        "maximumRecords": "1",
    })


def parse_response(body: bytes, isbn13: str) -> BookMetadata | None:
    """None when the catalogue has no record; LookupFailed(bad_response) for anything that
    is not a complete SRU answer (an HTML error page, truncated XML, an SRU diagnostic)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise LookupFailed(NAME, "bad_response", f"XML: {error}") from None
    if root.tag != f"{SRW}searchRetrieveResponse":
        raise LookupFailed(NAME, "bad_response", f"unexpected document {root.tag[:60]}")
    diagnostic = root.find(f"{SRW}diagnostics")
    if diagnostic is not None and len(diagnostic):
        message = " ".join(text.strip() for text in diagnostic.itertext() if text.strip())
        raise LookupFailed(NAME, "bad_response", f"SRU diagnostic: {message[:120]}")
    count = (root.findtext(f"{SRW}numberOfRecords") or "").strip()
    if not count.isdigit():
        raise LookupFailed(NAME, "bad_response", "no numberOfRecords")
    records = [
        element
        for data in root.iter(f"{SRW}recordData")
        for element in data
        if element.tag.rsplit("}", 1)[-1] == "record"
    ]
    if int(count) == 0 or not records:
        return None
    found = [metadata_from_unimarc(record_from_xml(element), NAME) for element in records]
    # An ISBN query may also match a record that only cites the number; prefer our book.
    for metadata in found:
        if metadata.isbn13 == isbn13:
            return metadata
    return found[0]


def lookup(isbn13: str, client: HttpClient) -> BookMetadata | None:
    response = client.get(
        query_url(client.settings.bnf_url, isbn13),
        provider=NAME,
        accept="application/xml, text/xml;q=0.9",
    )
    return parse_response(response.body, isbn13)
