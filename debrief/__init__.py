"""The debrief report: a finished game's story, charts and figures as one self-contained HTML
(or Markdown) page, for a facilitator leading the discussion after an exercise.

It reads a record through the engine's public API (replay, views) and never the UI: a seat's
report is built from that seat's view (`Game.view`), so it holds only what the seat may see.
"""
