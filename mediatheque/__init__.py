"""Médiathèque: catalogue and loan desk for the médiathèques of the Alliance Française network."""

__version__ = "0.1.0"
