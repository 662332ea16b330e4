"""The engine's version, written into records."""

__version__ = "0.1.0"
