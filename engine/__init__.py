"""Midnight rules engine: scenarios, state, transitions, records. Knows nothing of any UI."""
