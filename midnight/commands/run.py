"""`midnight run SCENARIO`: play a whole game headless, print its story turn by turn, record it."""

from __future__ import annotations

import sys

from engine.errors import MidnightError
from engine.scenario.builtin import DEFAULT_SCENARIO
from engine.scenario.safe_text import printable


def add_parser(sub) -> None:
    parser = sub.add_parser("run", help="play a whole game headless (bots fill unscripted seats)")
    parser.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                        help=f"built-in id or scenario file (default {DEFAULT_SCENARIO})")
    parser.add_argument("--seed", type=int, default=0, help="the game's seed (default 0)")
    parser.add_argument("--script", metavar="FILE", help="a script of moves for some seats")
    parser.add_argument("--seats", metavar="SEAT=PERSONA,...", default="",
                        help="bot persona per seat, e.g. us=hawk,china=parity-seeker")
    parser.add_argument("--record", metavar="FILE", help="write the game's record here")
    parser.add_argument("--lang", default="en", help="language of the summary (en, zh)")
    parser.add_argument("--quiet", action="store_true", help="print only the outcome")
    parser.add_argument("--agent", action="append", default=[], metavar="SEAT=COMMAND",
                        help="a seat played by an outside program speaking JSON lines (docs/agents.md)")
    parser.add_argument("--agent-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="how long an agent may think per answer (default 10)")
    parser.set_defaults(run=run)


def parse_seats(text: str, seats) -> dict[str, str]:
    """`us=hawk,china=dove` -> {"us": "hawk", "china": "dove"}, checked against the seats and personas."""
    from engine.bots import persona_names

    result = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        seat, _, persona = item.partition("=")
        if seat not in seats:
            raise MidnightError(f"--seats: no seat '{seat}' (seats: {', '.join(seats)})")
        if persona not in persona_names():
            raise MidnightError(f"--seats: no persona '{persona}' (personas: {', '.join(persona_names())})")
        result[seat] = persona
    return result


def run(args) -> int:
    from engine import load_game
    from engine.play.loop import step
    from engine.play.records import Recorder, write_record
    from engine.play.scripts import ScriptController, check_script, read_script
    from engine.play.simulate import controllers_for, seat_labels
    from midnight.agents import agent_controllers, close_agents
    from midnight.story import print_outcome, print_turn

    if args.record:  # before the game, not after it: a path that cannot be written loses nothing
        from engine.play.records import check_writable

        check_writable(args.record, "--record")
    game = load_game(args.scenario)
    personas = parse_seats(args.seats, game.seats)
    script = None
    if args.script:
        script = read_script(args.script)
        try:
            check_script(game, script)
        except MidnightError as error:
            raise MidnightError(f"{args.script}: {error}") from None
        # The script's bots fill the seats it leaves out, unless --seats says otherwise.
        personas = {**script.bots, **personas}
    controllers = controllers_for(game, personas)
    who = seat_labels(game, personas)
    agents = agent_controllers(args.agent, game, controllers, timeout=args.agent_timeout, language=args.lang)
    controllers.update(agents)
    who.update({seat: agent.persona for seat, agent in agents.items()})
    if script is not None:
        for seat in game.seats:
            controllers[seat] = ScriptController(script, controllers[seat])
            if any(seat in t.seats for t in script.turns):
                who[seat] = f"script+{who[seat]}"
    recorder = Recorder(game, args.seed, who, args.lang)
    state = game.start(args.seed)
    out = sys.stdout
    if not args.quiet:
        print(f"{printable(game.scenario.title.get(args.lang))} — seed {args.seed}", file=out)
    shown = 0
    try:
        while not state.over:
            try:
                state, _ = step(game, state, controllers, recorder.record)
            except MidnightError as error:
                raise MidnightError(f"turn {state.turn}, {state.phase.value} phase: {error}") from None
            if not args.quiet:
                shown = print_turn(game, state, shown, args.lang, out)
    finally:
        close_agents(agents, game, state)
    print_outcome(game, state, args.lang, out)
    if args.record:
        try:
            write_record(args.record, recorder.to_record())
        except OSError as error:
            raise MidnightError(f"--record: cannot write {args.record}: {error.strerror or error}") from None
        print(f"record written to {printable(args.record)}", file=out)
    return 0
