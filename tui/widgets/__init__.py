"""Widgets of the game screens, each named for what it shows."""
