"""`midnight schema`: print the JSON Schema of the scenario format (for editors)."""

from __future__ import annotations

import json


def add_parser(sub) -> None:
    parser = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    parser.set_defaults(run=run)


def run(args) -> int:
    from engine.scenario.schema import scenario_json_schema

    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return 0
