"""Built-in players for seats no person takes. Bots see only what a seat sees: its view and
its options, never the hidden state."""

from engine.bots.base import Bot, BotContext, bot_for, register_persona, persona_names

__all__ = ["Bot", "BotContext", "bot_for", "register_persona", "persona_names"]
