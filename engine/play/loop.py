"""Playing whole games headless: seats driven by controllers (bots, scripts, agents).

A controller answers "what does this seat submit now?" from the seat's view and options; the
loop asks every seat that must act, in scenario order, until the game is over. The inputs it
collects (with each one's reason) are the game: seed + scenario + inputs replay it exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import attrs

from engine.bots import Bot, BotContext, bot_for
from engine.bots.base import OptionsOnDemand
from engine.bots.personas import PersonaBot
from engine.errors import MidnightError
from engine.rules.game import Game
from engine.rules.inputs import Input, input_to_dict, parse_input
from engine.rules.state import GameState


@attrs.frozen
class PlayedInput:
    """One input as submitted, with the turn and phase it answered and the player's reason."""

    turn: int
    phase: str
    input: Mapping
    reason: str = ""


class Controller(Protocol):
    def act(self, game: Game, state: GameState, seat: str) -> tuple[dict, str]: ...


@attrs.frozen
class BotController:
    """A built-in bot persona playing a seat."""

    persona: str
    weights: Mapping = attrs.field(factory=dict)
    _bot: Bot | None = attrs.field(default=None, init=False, eq=False, repr=False)  # made on first use

    def act(self, game: Game, state: GameState, seat: str) -> tuple[dict, str]:
        return self._the_bot().act(self._context(game, state, seat))

    def submit(self, game: Game, state: GameState, seat: str) -> tuple[Input | dict, str]:
        """As `act`, but a persona hands over its input typed, as it builds it (the play loop
        then parses no dict; the rules still check that the input is legal)."""
        bot = self._the_bot()
        context = self._context(game, state, seat)
        return bot.submit(context) if isinstance(bot, PersonaBot) else bot.act(context)

    def _the_bot(self) -> Bot:
        bot = self._bot
        if bot is None:
            bot = bot_for(self.persona, dict(self.weights))
            object.__setattr__(self, "_bot", bot)
        return bot

    @staticmethod
    def _context(game: Game, state: GameState, seat: str) -> BotContext:
        # A lean view (readings made when read); the bot asks for (lean) options only if it
        # needs them: see BotContext.
        return BotContext(game, game.view(state, seat, lean=True), None, state.seed, state.step,
                          OptionsOnDemand(game, state, seat))


def default_controller(game: Game, seat: str) -> BotController:
    """The bot a scenario names for an actor (its `bot:` block)."""
    config = game.actor(seat).bot
    return BotController(config.persona, dict(config.weights))


Observer = Callable[[GameState, PlayedInput, GameState], None]


def step(
    game: Game, state: GameState, controllers: Mapping[str, Controller], observe: Observer | None = None
) -> tuple[GameState, list[PlayedInput]]:
    """Let every seat that must act now submit once. Returns the new state and what was played.

    `observe(before, played, after)` is called after each input (a Recorder's `record` fits).
    """
    played = []
    for seat in game.seats:
        if state.over or seat not in game.awaiting(state):
            continue
        controller = controllers.get(seat) or default_controller(game, seat)
        value, reason = controller.submit(game, state, seat) if isinstance(controller, BotController) else (
            controller.act(game, state, seat))
        try:
            typed = parse_input(value)  # a typed input is taken as it is
            after, _ = game.apply(state, typed)
        except MidnightError as error:
            raise type(error)(f"{seat} ({reason or 'no reason given'}): {error}") from None
        phase = state.phase.value
        turn = state.turn
        item = PlayedInput(turn, phase, input_to_dict(typed), reason)
        if observe is not None:
            observe(state, item, after)
        state = after
        played.append(item)
    return state, played


def play_out(
    game: Game,
    state: GameState,
    controllers: Mapping[str, Controller] | None = None,
    max_steps: int = 100_000,
    observe: Observer | None = None,
) -> tuple[GameState, list[PlayedInput]]:
    """Play from `state` to the end of the game."""
    controllers = controllers or {}
    history: list[PlayedInput] = []
    for _ in range(max_steps):
        if state.over:
            break
        state, played = step(game, state, controllers, observe)
        history.extend(played)
        if not played and not state.over:
            raise RuntimeError("no seat could act and the game is not over")  # an engine bug
    return state, history
