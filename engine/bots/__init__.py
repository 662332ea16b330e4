"""Built-in players for seats no person takes. Bots see only what a seat sees: its view and
its options, never the hidden state."""

from engine.bots import personas as _builtin  # noqa: F401  (registers the built-in personas)
from engine.bots.base import Bot, BotContext, bot_for, persona_names, register_persona

__all__ = ["Bot", "BotContext", "bot_for", "register_persona", "persona_names"]
