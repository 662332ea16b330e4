"""Midnight terminal UI (Textual). Talks to the engine only through its public API."""
