"""Member cards and copy labels as PDF (issue 4): Code 128 barcodes drawn as vectors, with a
module width that is a whole number of printer dots, checked by decoding rendered pages in
the tests (tests/core/test_cards.py, test_labels.py)."""
