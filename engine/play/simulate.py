"""Batch simulation: many headless bot games of one scenario, and what they add up to.

Game `i` of a batch is played with seed `base_seed + i`, so any one game is reproducible (and can
be recorded and replayed) from the batch's base seed and its index alone. Games run in worker
processes; each worker loads the scenario once from its text. Nothing here prints or writes
files: the `midnight simulate` command does that with what these functions return.

    results = run_batch(ScenarioSource.from_ref("trilateral-2026"), runs=1000,
                        lineup={"us": "hawk"}, jobs=2)
    summary = summarize(results)            # plain dict: rates with CIs, quartiles, means
    diff = compare(results, other_results)  # paired differences, same seeds

A batch may start mid-game (`Batch.opening`, an `Opening`): every game then goes on from the
state at the start of a recorded turn, with seed `base_seed + i` for what chance does from there
(engine/play/branch.py builds openings from records: `midnight simulate --from RECORD`).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import statistics
from collections.abc import Callable, Mapping, Sequence

import attrs

from engine.errors import MidnightError
from engine.play.loop import BotController, Controller, PlayedInput, default_controller, step
from engine.rules.events import AgreementSigned, CrisisRungReached, CrisisStarted
from engine.rules.game import Game
from engine.rules.inputs import parse_input
from engine.rules.state import GameState

Z95 = 1.959963984540054


# -- what to play ---------------------------------------------------------------------------------


@attrs.frozen
class ScenarioSource:
    """A scenario as the text workers load it from (a Game itself does not cross processes)."""

    raw: bytes
    filename: str

    @classmethod
    def from_ref(cls, ref: str) -> ScenarioSource:
        from engine.scenario.loading import read_bytes_limited, resolve_scenario

        path = resolve_scenario(ref)
        return cls(read_bytes_limited(path), str(path))

    def load(self) -> Game:
        key = (self.filename, self.raw)
        game = _GAMES.get(key)
        if game is None:
            from engine.scenario.loading import load_scenario_text, scenario_content_hash

            game = Game(load_scenario_text(self.raw, filename=self.filename), scenario_content_hash(self.raw))
            _GAMES.clear()
            _GAMES[key] = game
        return game


_GAMES: dict[tuple[str, bytes], Game] = {}


def controllers_for(game: Game, lineup: Mapping[str, str]) -> dict[str, Controller]:
    """A bot per seat: the persona `lineup` names, else the scenario's own bot for that actor."""
    result: dict[str, Controller] = {}
    for seat in game.seats:
        if seat in lineup:
            config = game.actor(seat).bot
            # A scenario's weights tune its own persona; another persona keeps only its `parity.`
            # and `redline.` entries, which describe the scenario rather than the persona.
            weights = dict(config.weights) if lineup[seat] == config.persona else {
                k: v for k, v in config.weights.items() if k.startswith(("parity.", "redline."))
            }
            result[seat] = BotController(lineup[seat], weights)
        else:
            result[seat] = default_controller(game, seat)
    return result


def seat_labels(game: Game, lineup: Mapping[str, str]) -> dict[str, str]:
    """Who played each seat, as records write it: `bot:hawk`."""
    return {seat: f"bot:{lineup.get(seat, game.actor(seat).bot.persona)}" for seat in game.seats}


# -- one game ------------------------------------------------------------------------------------


@attrs.frozen
class GameResult:
    """What one game came to, in plain numbers (one CSV row)."""

    index: int
    seed: int
    termination: str
    catastrophe: bool
    turn: int
    clock: float
    min_clock: float
    risk: float
    max_risk: float
    agreements: Mapping[str, int]  # agreements signed, per system
    crisis_peaks: tuple[int, ...]  # the highest rung of each crisis, in order
    scores: Mapping[str, float]
    shared: float
    inputs: int
    error: str | None = None

    @property
    def crises(self) -> int:
        return len(self.crisis_peaks)

    @property
    def peak_rung(self) -> int:
        """The highest rung any crisis reached (-1 with no crisis)."""
        return max(self.crisis_peaks, default=-1)


class _CrisisWatch:
    """Follows crises through a game's transitions: each start, and the highest rung it reached."""

    def __init__(self) -> None:
        self.peaks: list[int] = []
        self.open = False

    def see(self, entries, after: GameState) -> None:
        """Take in a transition's new log entries and the state it led to."""
        for entry in entries:
            event = entry.event
            if isinstance(event, CrisisStarted) and not self.open:
                self.peaks.append(event.rung)
                self.open = True
            elif isinstance(event, CrisisStarted | CrisisRungReached) and self.peaks:
                self.peaks[-1] = max(self.peaks[-1], event.rung)
        if after.crisis is None or after.over:
            self.open = False


def play_game(
    game: Game, seed: int, controllers: Mapping[str, Controller], index: int = 0, max_steps: int = 100_000,
    start: Start | None = None,
) -> tuple[GameResult, list[PlayedInput]]:
    """Play one game headless; return its result and its inputs (a record can be made of them).

    With `start`, the game goes on from a state mid-game (an opening's): the result is still the
    whole game's (its log holds the turns before), and the inputs are those played from there."""
    state = game.start(seed) if start is None else start.state
    watch = _CrisisWatch()
    watch.see(state.log, state)
    history: list[PlayedInput] = []
    min_clock = state.clock if start is None else start.min_clock
    max_risk = state.risk if start is None else start.max_risk
    error = None

    def observe(before: GameState, played: PlayedInput, after: GameState) -> None:
        nonlocal min_clock, max_risk
        history.append(played)
        watch.see(after.log[len(before.log):], after)
        min_clock = min(min_clock, after.clock)
        max_risk = max(max_risk, after.risk)

    try:
        for _ in range(max_steps):
            if state.over:
                break
            state, played = step(game, state, controllers, observe)
            if not played and not state.over:
                raise MidnightError("no seat could act and the game is not over")
        else:
            raise MidnightError(f"the game did not end within {max_steps} inputs")
    except MidnightError as failure:
        error = f"turn {state.turn}, {state.phase.value}: {failure}"
    agreements: dict[str, int] = {}
    for entry in state.log:
        if isinstance(entry.event, AgreementSigned):
            template = game.templates.get(entry.event.template)
            if template is not None:
                agreements[template.system] = agreements.get(template.system, 0) + 1
    outcome = state.outcome
    result = GameResult(
        index=index,
        seed=seed,
        termination=outcome.termination.value if outcome else "error",
        catastrophe=bool(outcome and outcome.catastrophe),
        turn=state.turn,
        clock=state.clock,
        min_clock=min_clock,
        risk=state.risk,
        max_risk=max_risk,
        agreements=agreements,
        crisis_peaks=tuple(watch.peaks),
        scores=dict(outcome.scores) if outcome else {},
        shared=outcome.shared if outcome else math.nan,
        inputs=len(history),
        error=error,
    )
    return result, history


# -- games that start mid-game -------------------------------------------------------------------


@attrs.frozen
class Start:
    """A state mid-game to play on from, with the extremes the game reached before it."""

    state: GameState
    min_clock: float
    max_risk: float


@attrs.frozen
class PinnedController:
    """A seat that submits given inputs in one turn (each in the phase of its kind, in order) and
    leaves everything else to `inner`: a recorded turn's talks and decisions, as played or changed."""

    inner: Controller
    turn: int
    inputs: tuple[Mapping, ...]
    _used: list[int] = attrs.field(factory=list, init=False, eq=False, repr=False)  # how many are spent

    def act(self, game: Game, state: GameState, seat: str) -> tuple[dict, str]:
        if state.turn == self.turn:
            kind = state.phase.value
            spent = sum(1 for i in self._used if self.inputs[i]["kind"] == kind)
            mine = [i for i, value in enumerate(self.inputs) if value["kind"] == kind]
            if spent < len(mine):
                self._used.append(mine[spent])
                return dict(self.inputs[mine[spent]]), ""
        return self.inner.act(game, state, seat)


@attrs.frozen
class Opening:
    """Where a batch's games start: the state at the start of turn `turn` of a recorded game (its
    seed `record_seed` and the inputs before that turn), its digest, and the inputs pinned in that
    turn per seat (the talks and decisions as played, or changed). Each game goes on with its own
    seed from there: the same state, other chances and the bots' play after the pinned inputs."""

    record_seed: int
    turn: int
    digest: str
    prefix: tuple[Mapping, ...]
    pinned: Mapping[str, tuple[Mapping, ...]] = attrs.field(factory=dict)

    def start(self, game: Game, seed: int) -> Start:
        """The opening's state with the game's own seed for what chance does from here."""
        key = (id(game), self.record_seed, self.turn, self.digest, len(self.prefix))
        opened = _OPENINGS.get(key)
        if opened is None:
            opened = self._replay(game)
            _OPENINGS.clear()
            _OPENINGS[key] = opened
        # No generator lives in a state: draws are BLAKE2b(seed, step, n), so a new seed is a new
        # course of chance from the very same position.
        return attrs.evolve(opened, state=attrs.evolve(opened.state, seed=seed))

    def _replay(self, game: Game) -> Start:
        from engine.play.records import digest

        state = game.start(self.record_seed)
        low, high = state.clock, state.risk
        for value in self.prefix:
            state, _ = game.apply(state, parse_input(value))
            low, high = min(low, state.clock), max(high, state.risk)
        if state.turn != self.turn or digest(game, state) != self.digest:
            raise MidnightError(f"the opening does not lead to the recorded state at the start of turn {self.turn}")
        return Start(state, low, high)

    def controllers(self, controllers: Mapping[str, Controller]) -> dict[str, Controller]:
        return {seat: PinnedController(c, self.turn, tuple(self.pinned[seat])) if self.pinned.get(seat) else c
                for seat, c in controllers.items()}


_OPENINGS: dict[tuple, Start] = {}


# -- many games ----------------------------------------------------------------------------------


@attrs.frozen
class Batch:
    """A batch's plan: which scenario, which line-up, which seeds, and where games start (the
    beginning, or an opening mid-game)."""

    source: ScenarioSource
    lineup: Mapping[str, str] = attrs.field(factory=dict)
    base_seed: int = 0
    opening: Opening | None = None

    def seed(self, index: int) -> int:
        return self.base_seed + index

    def play(self, index: int) -> tuple[GameResult, list[PlayedInput]]:
        game = self.source.load()
        controllers = controllers_for(game, self.lineup)
        if self.opening is None:
            return play_game(game, self.seed(index), controllers, index)
        start = self.opening.start(game, self.seed(index))
        return play_game(game, self.seed(index), self.opening.controllers(controllers), index, start=start)


def _play_chunk(batch: Batch, indices: Sequence[int]) -> list[GameResult]:
    return [batch.play(i)[0] for i in indices]


def _chunks(runs: int, jobs: int) -> list[range]:
    size = max(1, min(200, runs // (jobs * 16) or 1))
    return [range(start, min(runs, start + size)) for start in range(0, runs, size)]


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork is much cheaper to start; the engine holds no threads or locks that fork would break.
    return multiprocessing.get_context("fork" if "fork" in methods and os.name == "posix" else "spawn")


def run_batch(
    batch: Batch, runs: int, jobs: int = 1, progress: Callable[[int, int], None] | None = None
) -> list[GameResult]:
    """Play games 0..runs-1 of `batch` on `jobs` processes; results in index order.

    `progress(done, total)` is called as games finish (in this process).
    """
    if runs < 0:
        raise MidnightError("the number of runs must be 0 or more")
    batch.source.load()  # fail here, once, on a bad scenario
    results: list[GameResult] = []
    chunks = _chunks(runs, max(1, jobs))
    if jobs <= 1 or runs <= 1:
        for chunk in chunks:
            results.extend(_play_chunk(batch, chunk))
            if progress:
                progress(len(results), runs)
        return results
    with _context().Pool(processes=min(jobs, len(chunks))) as pool:
        pending = [pool.apply_async(_play_chunk, (batch, chunk)) for chunk in chunks]
        for item in pending:
            results.extend(item.get())
            if progress:
                progress(len(results), runs)
    return results


# -- statistics ----------------------------------------------------------------------------------


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (sound near 0 and 1, unlike p ± z·se)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def mean_ci(values: Sequence[float], z: float = Z95) -> dict[str, float]:
    """Mean with a normal-approximation 95% interval (fine for the hundreds of games a batch has)."""
    values = [v for v in values if not math.isnan(v)]
    n = len(values)
    if n == 0:
        return {"mean": math.nan, "low": math.nan, "high": math.nan, "n": 0}
    mean = statistics.fmean(values)
    half = z * statistics.stdev(values) / math.sqrt(n) if n > 1 else math.nan
    return {"mean": mean, "low": mean - half, "high": mean + half, "n": n}


def quartiles(values: Sequence[float]) -> dict[str, float]:
    values = sorted(values)
    if not values:
        return {}
    if len(values) == 1:
        q1 = median = q3 = values[0]
    else:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"mean": statistics.fmean(values), "min": values[0], "q1": q1, "median": median, "q3": q3,
            "max": values[-1]}


def summarize(results: Sequence[GameResult], game: Game | None = None) -> dict:
    """The figures a batch adds up to, as plain data (the command prints it or writes it as JSON).

    With `game`, systems and rungs are listed in scenario order and rungs carry their labels.
    """
    played = [r for r in results if r.error is None]
    n = len(played)
    catastrophes = sum(r.catastrophe for r in played)
    low, high = wilson(catastrophes, n)
    terminations: dict[str, int] = {}
    for r in played:
        terminations[r.termination] = terminations.get(r.termination, 0) + 1
    systems = [s.id for s in game.scenario.systems] if game else sorted({s for r in played for s in r.agreements})
    agreements = {}
    for system in systems:
        counts = [r.agreements.get(system, 0) for r in played]
        if game is None or any(counts) or any(t.system == system for t in game.scenario.agreements):
            agreements[system] = {
                "per_game": statistics.fmean(counts) if counts else 0.0,
                "games_with": sum(1 for c in counts if c) / n if n else 0.0,
            }
    rungs = [r.label.get() for r in game.scenario.crisis.rungs] if game else []
    top = max([len(rungs) - 1, *(r.peak_rung for r in played)], default=-1)
    peaks = {}
    for rung in range(top + 1):
        games = sum(1 for r in played if r.peak_rung >= rung)
        peaks[rungs[rung] if rung < len(rungs) else str(rung)] = {
            "rung": rung,
            "games_reaching": games / n if n else 0.0,
            "crises_peaking_here": sum(p == rung for r in played for p in r.crisis_peaks),
        }
    scored = {a for r in played for a in r.scores}
    actors = [a for a in game.seats if a in scored] if game else sorted(scored)
    return {
        "runs": len(results),
        "errors": len(results) - n,
        "first_error": next((f"game {r.index} (seed {r.seed}): {r.error}" for r in results if r.error), None),
        "catastrophe": {"count": catastrophes, "rate": catastrophes / n if n else math.nan, "low": low, "high": high},
        "terminations": terminations,
        "clock": quartiles([r.clock for r in played]),
        "min_clock": quartiles([r.min_clock for r in played]),
        "turns": quartiles([float(r.turn) for r in played]),
        "agreements": agreements,
        "crises": {
            "per_game": mean_ci([float(r.crises) for r in played]),
            "games_with": sum(1 for r in played if r.crises) / n if n else 0.0,
            "peaks": peaks,
        },
        "scores": {a: mean_ci([r.scores[a] for r in played if a in r.scores]) for a in actors},
        "shared": mean_ci([r.shared for r in played]),
    }


def _paired(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not (math.isnan(x) or math.isnan(y))]
    result = mean_ci([y - x for x, y in pairs])
    result["a"] = statistics.fmean([x for x, _ in pairs]) if pairs else math.nan
    result["b"] = statistics.fmean([y for _, y in pairs]) if pairs else math.nan
    return result


def compare(a: Sequence[GameResult], b: Sequence[GameResult]) -> dict:
    """B minus A, game by game on the same seeds (a paired comparison: tighter than two summaries).

    Each figure: the means of A and B, the mean difference and its 95% interval. An interval that
    does not contain 0 is a difference the batch can tell from chance.
    """
    by_index = {r.index: r for r in b if r.error is None}
    pairs = [(x, by_index[x.index]) for x in a if x.error is None and x.index in by_index]
    left = [x for x, _ in pairs]
    right = [y for _, y in pairs]
    systems = sorted({s for r in (*left, *right) for s in r.agreements})
    actors = sorted({k for r in (*left, *right) for k in r.scores} & {k for r in left for k in r.scores})
    return {
        "pairs": len(pairs),
        "catastrophe": _paired([float(x.catastrophe) for x in left], [float(y.catastrophe) for y in right]),
        "clock": _paired([x.clock for x in left], [y.clock for y in right]),
        "min_clock": _paired([x.min_clock for x in left], [y.min_clock for y in right]),
        "crises": _paired([float(x.crises) for x in left], [float(y.crises) for y in right]),
        "agreements": {
            s: _paired([float(x.agreements.get(s, 0)) for x in left], [float(y.agreements.get(s, 0)) for y in right])
            for s in systems
        },
        "scores": {
            k: _paired([x.scores.get(k, math.nan) for x in left], [y.scores.get(k, math.nan) for y in right])
            for k in actors
        },
        "shared": _paired([x.shared for x in left], [y.shared for y in right]),
    }


# -- rows ----------------------------------------------------------------------------------------


def result_row(result: GameResult, systems: Sequence[str], actors: Sequence[str]) -> dict[str, object]:
    """One game as a flat row (the CSV's columns), systems and actors in the order given."""
    row: dict[str, object] = {
        "run": result.index,
        "seed": result.seed,
        "termination": result.termination,
        "catastrophe": int(result.catastrophe),
        "turn": result.turn,
        "clock": result.clock,
        "min_clock": result.min_clock,
        "risk": result.risk,
        "max_risk": result.max_risk,
        "agreements": sum(result.agreements.values()),
    }
    for system in systems:
        row[f"agreements_{system}"] = result.agreements.get(system, 0)
    row["crises"] = result.crises
    row["peak_rung"] = result.peak_rung
    for actor in actors:
        row[f"score_{actor}"] = result.scores.get(actor, "")
    row["shared"] = "" if math.isnan(result.shared) else result.shared
    row["inputs"] = result.inputs
    row["error"] = result.error or ""
    return row
