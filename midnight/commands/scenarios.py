"""`midnight scenarios`: list the built-in scenarios."""

from __future__ import annotations

from engine.scenario.safe_text import printable


def add_parser(sub) -> None:
    parser = sub.add_parser("scenarios", help="list the built-in scenarios")
    parser.add_argument("--lang", default="en", help="language of titles (en, zh)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from engine.scenario.loading import builtin_scenario_ids, builtin_scenario_path, load_scenario

    for scenario_id in builtin_scenario_ids():
        scenario = load_scenario(builtin_scenario_path(scenario_id))
        print(printable(f"{scenario_id:<20} v{scenario.version:<8} {scenario.turns:>3} turns  {scenario.title.get(args.lang)}"))
    return 0
