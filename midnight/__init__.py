"""Midnight command line: dispatches to the headless engine or the terminal UI."""
