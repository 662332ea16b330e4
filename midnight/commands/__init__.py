"""One module per `midnight` subcommand: `add_parser(subparsers)` and `run(args) -> int`."""
