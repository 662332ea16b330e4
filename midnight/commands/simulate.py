"""`midnight simulate SCENARIO`: play many bot games headless and sum up what the scenario does."""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from engine.errors import MidnightError


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "simulate", help="play many bot games headless and summarise them (rates with 95%% CIs)",
        description="Play many bot games of a scenario on several processes and summarise them. "
                    "Game i uses seed SEED+i, so any game can be replayed from the batch's seed "
                    "and its index.",
    )
    parser.add_argument("scenario", nargs="?", default=None,
                        help="built-in id or scenario file (default trilateral-2026; with --from: the record's "
                             "scenario, or this file if given)")
    parser.add_argument("--runs", type=int, default=1000, help="how many games (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="base seed: game i uses seed SEED+i (default 0)")
    parser.add_argument("--seats", metavar="SEAT=PERSONA,...", default="",
                        help="bot persona per seat, e.g. us=hawk,china=parity-seeker (others: the scenario's bots)")
    parser.add_argument("--jobs", type=int, default=0,
                        help="worker processes (default: every core; with --cluster local, its workers)")
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help="play the games on a Dask cluster: its scheduler's address (tcp://HOST:8786), or "
                             "'local' to start one here (docs/simulate.md)")
    parser.add_argument("--out", metavar="FILE.csv", help="write one CSV row per game (as the games come in)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON instead of text")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--compare", metavar="SEAT=PERSONA,...", nargs="?", const="",
                       help="also play line-up B (these seats changed) on the same seeds and report B - A; "
                            "with --from and --change, alone: compare the change with the game as played")
    group.add_argument("--compare-scenario", metavar="FILE",
                       help="also play this scenario variant on the same seeds and report B - A")
    parser.add_argument("--record-run", nargs=2, metavar=("K", "FILE"),
                        help="write game K as a record (replay it with `midnight replay FILE --verify`)")
    what_if = parser.add_argument_group("what if (docs/branches.md)")
    what_if.add_argument("--from", dest="from_record", metavar="RECORD",
                         help="continue a recorded game from the start of --turn N, many times, with bots")
    what_if.add_argument("--turn", type=int, metavar="N", help="with --from: the turn to continue from")
    what_if.add_argument("--change", action="append", default=[], metavar="SEAT:CHANGE",
                         help="with --from: change SEAT's decision in turn N: SEAT:-MOVE, SEAT:+MOVE, "
                              "SEAT:moves=A,B (moves= for none) or SEAT:bot; B = the change, A = as played")
    parser.add_argument("--progress", action=argparse_bool(), default=None,
                        help="show a progress bar on stderr (default: when stderr is a terminal)")
    parser.set_defaults(run=run)


def argparse_bool():
    import argparse

    return argparse.BooleanOptionalAction


# -- progress -------------------------------------------------------------------------------------


class ProgressBar:
    """A one-line text progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, label: str, stream=None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / (now - self.started) if now > self.started else 0.0
        eta = (total - done) / rate if rate else 0.0
        line = f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:,.0f} games/s"
        line += f"  eta {eta:.0f}s " if done < total else f"  {now - self.started:.1f}s  \n"
        self.stream.write(line)
        self.stream.flush()


# -- the command ------------------------------------------------------------------------------------


def run(args) -> int:
    from engine.play.simulate import Batch, ScenarioSource, run_tallied, seat_labels
    from midnight.commands.run import parse_seats

    if args.runs < 1:
        raise MidnightError("--runs must be 1 or more")
    if args.seed < 0:
        raise MidnightError("--seed must be 0 or more")
    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1:
        raise MidnightError("--jobs must be 1 or more")
    if args.cluster is not None:
        from midnight.cluster import check_address

        check_address(args.cluster)
    if args.from_record:
        return run_from(args, jobs)
    if args.turn is not None or args.change:
        raise MidnightError(f"{'--turn' if args.turn is not None else '--change'} needs --from RECORD "
                            "(continue a recorded game from a turn)")
    if args.compare == "":
        raise MidnightError("--compare: name the seats of line-up B, e.g. --compare us=dove")
    args.scenario = args.scenario or "trilateral-2026"
    source = ScenarioSource.from_ref(args.scenario)
    game = source.load()
    lineup = parse_seats(args.seats, game.seats)
    record_run = None
    if args.record_run:
        try:
            record_run = int(args.record_run[0])
        except ValueError:
            raise MidnightError(f"--record-run: '{args.record_run[0]}' is not a game number") from None
        if not 0 <= record_run < args.runs:
            raise MidnightError(f"--record-run: game {record_run} is not in this batch (0..{args.runs - 1})")

    batch_a = Batch(source, lineup, args.seed)
    batch_b = None
    if args.compare:
        batch_b = Batch(source, {**lineup, **parse_seats(args.compare, game.seats)}, args.seed)
    elif args.compare_scenario:
        other = ScenarioSource.from_ref(args.compare_scenario)
        other_game = other.load()
        if tuple(other_game.seats) != tuple(game.seats):
            raise MidnightError(
                f"--compare-scenario: its seats ({', '.join(other_game.seats)}) differ from "
                f"{game.scenario.id}'s ({', '.join(game.seats)})"
            )
        batch_b = Batch(other, lineup, args.seed)

    show = sys.stderr.isatty() if args.progress is None else args.progress
    batches = (batch_a,) if batch_b is None else (batch_a, batch_b)
    with csv_stream(args.out, game, len(batches)) as rows, cluster(args, jobs) as runner:
        tallied = run_tallied(batches, args.runs, jobs, runner=runner, each_chunk=rows,
                              progress=ProgressBar("A and B" if batch_b else "games") if show else None)

    summary = tallied.tallies[0].summary(game)
    report = {
        "scenario": {"id": game.scenario.id, "version": game.scenario.version, "hash": game.content_hash},
        "runs": args.runs,
        "base_seed": args.seed,
        "seats": seat_labels(game, lineup),
        "summary": summary,
    }
    if batch_b is not None:
        assert tallied.paired is not None  # played with batch_b
        game_b = batch_b.source.load()
        report["b"] = {
            "scenario": {"id": game_b.scenario.id, "version": game_b.scenario.version, "hash": game_b.content_hash},
            "seats": seat_labels(game_b, batch_b.lineup),
            "summary": tallied.tallies[1].summary(game_b),
        }
        report["difference"] = tallied.paired.result()

    if record_run is not None:
        from engine.play.records import record_game, write_record

        _, history = batch_a.play(record_run)
        write_record(args.record_run[1], record_game(game, batch_a.seed(record_run), history, seat_labels(game, lineup)))

    out = sys.stdout
    if args.json:
        json.dump(_json_safe(report), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print_report(report, game, out)
        if args.out:
            print(f"one row per game written to {args.out}", file=out)
        if record_run is not None:
            from engine.scenario.loading import builtin_scenario_ids

            hint = "" if args.scenario in builtin_scenario_ids() else f" --scenario {args.scenario}"
            print(f"game {record_run} (seed {batch_a.seed(record_run)}) recorded to {args.record_run[1]}; "
                  f"check it with `midnight replay {args.record_run[1]} --verify{hint}`", file=out)
    errors = summary["errors"] + (report["b"]["summary"]["errors"] if batch_b else 0)
    if errors:
        first = summary["first_error"] or report["b"]["summary"]["first_error"]
        print(f"midnight: {errors} game(s) failed; first: {first}", file=sys.stderr)
        return 1
    return 0


def _json_safe(value):
    """NaN is not JSON: write null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


@contextlib.contextmanager
def cluster(args, jobs: int):
    """The runner `--cluster` asks for (closed after the batch), or None: this machine's processes."""
    if args.cluster is None:
        yield None
        return
    from midnight.cluster import cluster_runner

    with cluster_runner(args.cluster, jobs) as runner:
        yield runner


@contextlib.contextmanager
def csv_stream(path: str | None, game, arms: int):
    """A function that writes each chunk's games as CSV rows to `path` as they come (A's rows, then
    B's after them, as one file), or None without a path. The file appears whole, by a rename,
    only when the batch has been played; an interrupted batch leaves no partial file."""
    if path is None:
        yield None
        return
    from engine.play.records import check_writable

    stream = CsvStream(check_writable(path, "--out"), game, arms)
    try:
        yield stream.write
    except BaseException:
        stream.abort()
        raise
    stream.finish()


class CsvStream:
    """Rows to a temporary file next to the CSV (B's to an anonymous one, appended at the end), so
    the memory of a batch of any size holds one chunk of rows; `finish` renames it into place."""

    def __init__(self, path: Path, game, arms: int) -> None:
        self.path = path
        self.systems = [s.id for s in game.scenario.systems]
        self.actors = list(game.seats)
        self.labels: tuple[str | None, ...] = ("A", "B") if arms == 2 else (None,)
        self.temp = path.with_name(f".{path.name}.{os.getpid()}.midnight-tmp")
        try:
            self.files = [os.fdopen(os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), "w",
                                    encoding="utf-8")]
            self.files += [tempfile.TemporaryFile("w+", encoding="utf-8") for _ in self.labels[1:]]
        except OSError as error:
            raise MidnightError(f"--out: cannot write {path}: {error.strerror}") from None
        self.writers: list[csv.DictWriter] = []

    def write(self, results) -> None:
        from engine.play.simulate import result_row

        for label, out, chunk in zip(self.labels, self.files, results, strict=False):
            for result in chunk:
                row = result_row(result, self.systems, self.actors)
                if label is not None:
                    row = {"lineup": label, **row}
                if not self.writers:
                    self.writers = [csv.DictWriter(f, fieldnames=list(row), lineterminator="\n") for f in self.files]
                    self.writers[0].writeheader()
                try:
                    self.writers[self.files.index(out)].writerow(row)
                except OSError as error:
                    raise MidnightError(f"--out: cannot write {self.path}: {error.strerror}") from None

    def finish(self) -> None:
        try:
            main, *others = self.files
            for other in others:
                other.seek(0)
                shutil.copyfileobj(other, main)
                other.close()
            main.flush()
            os.fsync(main.fileno())
            main.close()
            os.replace(self.temp, self.path)
        except OSError as error:
            self.abort()
            raise MidnightError(f"--out: cannot write {self.path}: {error.strerror}") from None

    def abort(self) -> None:
        for out in self.files:
            out.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


# -- the text report ------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


def _num(x: float, digits: int = 1) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{digits}f}"


def _ci(stat: dict, digits: int = 1) -> str:
    if not stat.get("n"):
        return "-"
    if stat["n"] < 2:
        return _num(stat["mean"], digits)
    return f"{_num(stat['mean'], digits)}  (95% CI {_num(stat['low'], digits)} to {_num(stat['high'], digits)})"


def print_summary(summary: dict, game, out, indent: str = "") -> None:
    p = lambda text="": print(indent + text if text else "", file=out)  # noqa: E731
    cat = summary["catastrophe"]
    played = summary["runs"] - summary["errors"]
    p(f"Catastrophe (midnight or nuclear use): {_pct(cat['rate'])}  ({cat['count']}/{played}; "
      f"95% CI {_pct(cat['low'])} to {_pct(cat['high'])})")
    ends = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(summary["terminations"].items(), key=lambda kv: -kv[1]))
    p(f"How games ended: {ends or '-'}")
    clock = summary["clock"]
    if clock:
        p(f"Final clock (seconds to midnight): mean {_num(clock['mean'])}; quartiles {_num(clock['q1'])} / "
          f"{_num(clock['median'])} / {_num(clock['q3'])}; range {_num(clock['min'])} to {_num(clock['max'])}")
    low = summary["min_clock"]
    if low:
        p(f"Closest approach to midnight:      median {_num(low['median'])}; quartiles {_num(low['q1'])} / {_num(low['q3'])}")
    if summary["agreements"]:
        p("Agreements signed, by system:       per game   games with one")
        names = {s.id: s.name.get() for s in game.scenario.systems}
        for system, figures in summary["agreements"].items():
            p(f"  {names.get(system, system):<33} {figures['per_game']:>8.2f}   {_pct(figures['games_with']):>8}")
    crises = summary["crises"]
    p(f"Crises per game: {_ci(crises['per_game'], 2)}; games with a crisis: {_pct(crises['games_with'])}")
    if crises["peaks"]:
        p("  highest rung reached:             games reaching   crises peaking there")
        for label, figures in crises["peaks"].items():
            p(f"  {figures['rung']}. {label:<30} {_pct(figures['games_reaching']):>8}   {figures['crises_peaking_here']:>10}")
    if summary["scores"]:
        p("Scores (mean, 95% CI):")
        for actor, stat in summary["scores"].items():
            p(f"  {game.actor(actor).name.get():<20} {_ci(stat)}")
    p(f"Shared outcome: {_ci(summary['shared'])}")
    if summary["errors"]:
        p(f"Failed games: {summary['errors']} (first: {summary['first_error']})")


def _diff_line(label: str, stat: dict, percent: bool = False) -> str:
    if not stat.get("n"):
        return f"  {label:<34} -"
    show = _pct if percent else _num
    sign = "+" if stat["mean"] >= 0 else ""
    interval = "" if stat["n"] < 2 else f"  (95% CI {show(stat['low'])} to {show(stat['high'])})"
    clear = "" if stat["n"] < 2 or stat["low"] <= 0 <= stat["high"] else "  *"
    return f"  {label:<34} {show(stat['a']):>8} -> {show(stat['b']):>8}   {sign}{show(stat['mean'])}{interval}{clear}"


def print_report(report: dict, game, out) -> None:
    scenario = report["scenario"]
    seats = ", ".join(f"{k}={v.removeprefix('bot:')}" for k, v in report["seats"].items())
    first, last = report["base_seed"], report["base_seed"] + report["runs"] - 1
    print(f"{game.scenario.title.get()} ({scenario['id']} v{scenario['version']}): {report['runs']} games, "
          f"seeds {first}..{last}", file=out)
    if "b" not in report:
        print(f"Seats: {seats}", file=out)
        print(file=out)
        print_summary(report["summary"], game, out)
        return
    b = report["b"]
    seats_b = ", ".join(f"{k}={v.removeprefix('bot:')}" for k, v in b["seats"].items())
    print(f"A: {seats}", file=out)
    other = "" if b["scenario"]["hash"] == scenario["hash"] else f"  (scenario {b['scenario']['id']} v{b['scenario']['version']})"
    print(f"B: {seats_b}{other}", file=out)
    print("\n== A ==", file=out)
    print_summary(report["summary"], game, out, "  ")
    print("\n== B ==", file=out)
    print_summary(b["summary"], game, out, "  ")
    diff = report["difference"]
    print(f"\n== B - A, paired on the same {diff['pairs']} seeds (* : the 95% CI excludes 0) ==", file=out)
    print(f"  {'':<34} {'A':>8}    {'B':>8}   difference", file=out)
    print(_diff_line("catastrophe rate", diff["catastrophe"], percent=True), file=out)
    print(_diff_line("final clock", diff["clock"]), file=out)
    print(_diff_line("closest approach to midnight", diff["min_clock"]), file=out)
    print(_diff_line("crises per game", diff["crises"]), file=out)
    for system, stat in diff["agreements"].items():
        print(_diff_line(f"agreements: {system}", stat), file=out)
    for actor, stat in diff["scores"].items():
        print(_diff_line(f"score: {actor}", stat), file=out)
    print(_diff_line("shared outcome", diff["shared"]), file=out)


# -- what if: continuations of a recorded game -------------------------------------------------------


def run_from(args, jobs: int) -> int:
    """`simulate --from RECORD --turn N [--change SEAT:CHANGE ...]`: bot continuations from the
    start of turn N, as played (A) and changed (B), on the same seeds (docs/branches.md)."""
    from engine.play.branch import Change, branch_point, what_if
    from engine.play.records import check_scenario_matches, read_record
    from engine.play.simulate import ScenarioSource
    from midnight.commands.run import parse_seats

    if args.turn is None:
        raise MidnightError("--from needs --turn N: the turn to continue the game from")
    if args.compare_scenario:
        raise MidnightError("--compare-scenario does not go with --from: a record is of one scenario")
    if args.record_run:
        raise MidnightError("--record-run does not go with --from; to play a continuation yourself, "
                            "write a branch with `midnight branch RECORD --turn N --out FILE`")
    changes = [Change.parse(text) for text in args.change]
    record = read_record(args.from_record)
    ref = args.scenario or record.scenario.to_load(None, args.from_record)
    source = ScenarioSource.from_ref(ref)
    game = source.load()
    try:
        check_scenario_matches(game, record)
    except MidnightError as error:
        raise MidnightError(f"{args.from_record}: {error}") from None
    lineup = parse_seats(args.seats, game.seats)
    if args.compare and changes:
        raise MidnightError("--compare SEAT=PERSONA and --change do not go together: B is one or the other")
    lineup_b = parse_seats(args.compare, game.seats) if args.compare else None
    if args.compare == "" and not changes:
        raise MidnightError("--compare with --from needs what to compare: --change SEAT:CHANGE (a decision "
                            "of turn N) or --compare SEAT=PERSONA (other bots after it)")
    point = branch_point(game, record, args.from_record, args.turn)

    show = sys.stderr.isatty() if args.progress is None else args.progress
    arms = 2 if changes or lineup_b else 1
    bar = ProgressBar("as played and changed" if arms == 2 else "games") if show else None
    started = time.perf_counter()
    with csv_stream(args.out, game, arms) as rows, cluster(args, jobs) as runner:
        report, _, _ = what_if(source, point, changes, runs=args.runs, base_seed=args.seed, jobs=jobs, lineup=lineup,
                               lineup_b=lineup_b, progress=(bar, None), runner=runner, each_chunk=rows,
                               keep_results=False)
    report["seconds"] = time.perf_counter() - started

    out = sys.stdout
    if args.json:
        json.dump(_json_safe(report), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print_what_if(report, game, out)
        if args.out:
            print(f"one row per game written to {args.out}", file=out)
    errors = report["as_played"]["summary"]["errors"] + (report["changed"]["summary"]["errors"] if "changed" in report else 0)
    if errors:
        first = report["as_played"]["summary"]["first_error"] or report["changed"]["summary"]["first_error"]
        print(f"midnight: {errors} game(s) failed; first: {first}", file=sys.stderr)
        return 1
    return 0


def _rate(summary: dict) -> str:
    cat = summary["catastrophe"]
    return f"{_pct(cat['rate']):>11}   {_pct(cat['low']):>6} to {_pct(cat['high']):<6}"


def print_what_if(report: dict, game, out) -> None:
    """The counterfactual table: the catastrophe rate from the branch point as played and changed."""
    p = lambda text="": print(text, file=out)  # noqa: E731
    start = report["from"]
    seats = ", ".join(f"{k}={v.removeprefix('bot:')}" for k, v in report["seats"].items())
    first, last = report["base_seed"], report["base_seed"] + report["runs"] - 1
    p(f"What if: {game.scenario.title.get()} ({report['scenario']['id']} v{report['scenario']['version']}), "
      f"{start['record']} (seed {start['seed']}) from the start of turn {start['turn']}")
    p(f"The state then: clock {_num(start['clock'])} seconds to midnight, risk {_num(start['risk'])} ({start['digest']})")
    p(f"{report['runs']} continuations per row, seeds {first}..{last}: turn {start['turn']}'s talks and decisions "
      "as the record has them (changed where a row says), then chance and the bots")
    p(f"Bots after that: {seats}")
    p()
    name = lambda seat: game.actor(seat).name.get() if seat in game.seats else seat  # noqa: E731
    decided = report["as_played"]["decisions"]
    p(f"  {'':<34} {'catastrophe':>11}   {'95% CI':<16} {'final clock':>11}")
    changed = report.get("changed")
    rows = [("as played", report["as_played"]["summary"])]
    if changed is not None:
        label = ", ".join(changed["changes"]) if "changes" in changed else \
            ", ".join(f"{k}={v.removeprefix('bot:')}" for k, v in changed["seats"].items() if v != report["seats"][k])
        rows.append((label, changed["summary"]))
    for label, summary in rows:
        clock = summary["clock"].get("mean", math.nan) if summary["clock"] else math.nan
        p(f"  {label[:34]:<34} {_rate(summary)} {_num(clock):>11}")
    if changed is not None:
        diff = report["difference"]
        cat = diff["catastrophe"]
        interval = "" if cat["n"] < 2 else f"   (95% CI {_points(cat['low'])} to {_points(cat['high'])})"
        clear = "" if cat["n"] < 2 or cat["low"] <= 0 <= cat["high"] else "  * the interval excludes 0"
        p(f"  {'difference (paired, same seeds)':<34} {_points(cat['mean']):>11}{interval}{clear}")
    p()
    turn = start["turn"]
    for seat, moves in decided.items():
        p(f"As played, {name(seat)} decided in turn {turn}: {', '.join(moves) or 'no move'}")
    if changed is not None and "decisions" in changed:
        for seat, moves in changed["decisions"].items():
            what = "its bot plays the turn" if moves == "bot" else f"decides {', '.join(moves) or 'no move'}"
            p(f"Changed: {name(seat)} {what}")
    if changed is not None:
        diff = report["difference"]
        p()
        p(f"Changed - as played, paired on the same {diff['pairs']} seeds (* : the 95% CI excludes 0):")
        p(f"  {'':<34} {'played':>8}    {'changed':>8}   difference")
        p(_diff_line("catastrophe rate", diff["catastrophe"], percent=True))
        p(_diff_line("final clock", diff["clock"]))
        p(_diff_line("closest approach to midnight", diff["min_clock"]))
        p(_diff_line("crises per game", diff["crises"]))
        for actor, stat in diff["scores"].items():
            p(_diff_line(f"score: {actor}", stat))
    for label, summary in rows:
        if summary["errors"]:
            p(f"Failed games ({label}): {summary['errors']} (first: {summary['first_error']})")
    p(f"({2 if changed is not None else 1} x {report['runs']} games in {report['seconds']:.1f} s)")


def _points(x: float) -> str:
    """A difference of two rates, in percentage points."""
    return "-" if math.isnan(x) else f"{100 * x:+.1f} pts"
