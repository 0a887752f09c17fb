"""FM21 catalogue exchange (FM21.md): export packages, import packages and MARC files,
reference catalogues for offline copy cataloguing."""
