"""Stanza backend: ``ner="stanza"`` (being written)."""
