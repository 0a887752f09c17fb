"""Cataloguing: ISBN handling, metadata lookup, records and copies, search, CSV import."""
