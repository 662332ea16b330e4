"""`midnight agent SCENARIO SEAT=COMMAND ...`: try outside programs on seats, game after game.

For agent authors: plays a few headless games with the programs on their seats (bots elsewhere),
and reports each game's outcome and how each agent fared: answers, failures (each with its
reason) and response time. Exit status 1 if any agent ever had to be replaced by its bot.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from engine.errors import MidnightError
from engine.scenario.safe_text import printable

if TYPE_CHECKING:
    from engine.play.loop import Controller


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "agent", help="play games with outside programs on seats (JSON lines; see docs/agents.md)",
        description="Play headless games with seats given to outside programs speaking JSON lines "
                    "on stdin/stdout (see docs/agents.md), and report how each program fared.",
    )
    parser.add_argument("scenario", help="built-in id or scenario file")
    parser.add_argument("agents", nargs="+", metavar="SEAT=COMMAND",
                        help='a seat and the program to run, e.g. us="python examples/random_agent.py"')
    parser.add_argument("--seats", metavar="SEAT=PERSONA,...", default="",
                        help="bot persona per seat (for the other seats, and as an agent's fallback)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first game (default 0)")
    parser.add_argument("--games", type=int, default=1, help="how many games, seeds SEED, SEED+1 ... (default 1)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds an agent has for each answer (default 10)")
    parser.add_argument("--record", metavar="FILE", help="write the (last) game's record here")
    parser.add_argument("--quiet", action="store_true", help="do not echo agents' errors as they happen")
    parser.set_defaults(run=run)


def run(args) -> int:
    from engine import load_game
    from engine.play.loop import BotController, default_controller, step
    from engine.play.records import Recorder, write_record
    from midnight.agents import agent_controllers, close_agents, report_to_stderr
    from midnight.commands.run import parse_seats

    if args.games < 1:
        raise MidnightError("--games must be 1 or more")
    if args.timeout <= 0:
        raise MidnightError("--timeout must be more than 0")
    game = load_game(args.scenario)
    personas = parse_seats(args.seats, game.seats)
    out = sys.stdout
    failed = 0
    for number in range(args.games):
        seed = args.seed + number
        bots = {s: BotController(personas[s]) if s in personas else default_controller(game, s) for s in game.seats}
        agents = agent_controllers(args.agents, game, bots, timeout=args.timeout,
                                   on_error=None if args.quiet else report_to_stderr)
        controllers: dict[str, Controller] = {**bots, **agents}
        who = {s: getattr(c, "persona", "?") for s, c in controllers.items()}
        recorder = Recorder(game, seed, {s: w if w.startswith("agent:") else f"bot:{w}" for s, w in who.items()})
        state = game.start(seed)
        try:
            while not state.over:
                state, _ = step(game, state, controllers, recorder.record)
        finally:
            close_agents(agents, game, state)
        outcome = state.outcome
        assert outcome is not None  # the game is over
        scores = ", ".join(f"{a} {v:g}" for a, v in outcome.scores.items())
        print(f"game {number} (seed {seed}): {outcome.termination.value.replace('_', ' ')} on turn {outcome.turn}, "
              f"clock {state.clock:g}; scores {scores}", file=out)
        for seat, agent in agents.items():
            mean = agent.seconds / agent.requests * 1000 if agent.requests else 0.0
            line = (f"  {seat}: {agent.answered}/{agent.requests} answers taken, {len(agent.errors)} failed, "
                    f"{mean:.1f} ms per answer")
            if agent.dead:
                line += f"; replaced by its bot ({agent.dead})"
            print(line, file=out)
            for error in agent.errors[:5]:
                print(f"    {printable(error)}", file=out)
            if len(agent.errors) > 5:
                print(f"    ... and {len(agent.errors) - 5} more", file=out)
            failed += bool(agent.errors)
        if args.record and number == args.games - 1:
            write_record(args.record, recorder.to_record())
            print(f"record written to {printable(args.record)}", file=out)
    return 1 if failed else 0
