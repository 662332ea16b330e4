"""Batch simulation: many headless bot games of one scenario, and what they add up to.

Game `i` of a batch is played with seed `base_seed + i`, so any one game is reproducible (and can
be recorded and replayed) from the batch's base seed and its index alone. Games are played in
chunks of seeds by `play_chunk`, in this process, in worker processes, or on any `Runner` (a Dask
cluster's: midnight/cluster.py; this module never imports it); each worker loads the scenario once
from its text. Nothing here prints or writes files: the `midnight simulate` command does that with
what these functions return.

    results = run_batch(Batch(ScenarioSource.from_ref("trilateral-2026"), {"us": "hawk"}), 1000, jobs=2)
    summary = summarize(results)            # plain dict: rates with CIs, quartiles, means
    diff = compare(results, other_results)  # paired differences, same seeds

For batches too big to keep, `run_tallied` sums the games up chunk by chunk as they arrive (a
`Tally` per batch, a `PairedTally` for B - A) and hands each chunk to a callback (CSV rows), in
memory that does not grow with the number of games.

A batch may start mid-game (`Batch.opening`, an `Opening`): every game then goes on from the
state at the start of a recorded turn, with seed `base_seed + i` for what chance does from there
(engine/play/branch.py builds openings from records: `midnight simulate --from RECORD`).
"""

from __future__ import annotations

import collections
import itertools
import math
import multiprocessing
import os
import statistics
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol

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


def play_chunk(batches: tuple[Batch, ...], chunk: range) -> tuple[list[GameResult], ...]:
    """Games `chunk` of each batch (A, or A and B on the same seeds): what every worker runs, a
    local process or a cluster's, so a batch's games are the same wherever they are played."""
    return tuple([batch.play(i)[0] for i in chunk] for batch in batches)


def _chunks(runs: int, jobs: int) -> list[range]:
    size = max(1, min(200, runs // (jobs * 16) or 1))
    return [range(start, min(runs, start + size)) for start in range(0, runs, size)]


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork is much cheaper to start; the engine holds no threads or locks that fork would break.
    return multiprocessing.get_context("fork" if "fork" in methods and os.name == "posix" else "spawn")


class Pending(Protocol):
    def result(self) -> Any: ...


class Runner(Protocol):
    """Where chunks are played: `submit(fn, *args)` starts `fn(*args)` somewhere and returns what
    its `result()` comes from (a concurrent.futures or Dask future). `workers`: how many chunks it
    plays at once (sets the chunk size and how many are kept in flight)."""

    workers: int

    def submit(self, fn: Callable[..., Any], *args: Any) -> Pending: ...


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


class InlineRunner:
    """Plays each chunk in this process when it is submitted."""

    workers = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> Pending:
        return _Done(fn(*args))


class _Async:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value.get()


class PoolRunner:
    """Plays chunks on a multiprocessing pool of `workers` processes."""

    def __init__(self, pool: Any, workers: int) -> None:
        self.pool = pool
        self.workers = workers

    def submit(self, fn: Callable[..., Any], *args: Any) -> Pending:
        return _Async(self.pool.apply_async(fn, args))


def stream_chunks(
    batches: Sequence[Batch], runs: int, jobs: int = 1, runner: Runner | None = None, window: int | None = None
) -> Iterator[tuple[list[GameResult], ...]]:
    """Play games 0..runs-1 of each batch (on the same seeds) chunk by chunk and yield each chunk's
    results per batch, in seed order. At most `window` chunks (default: twice the workers) are
    held at a time (being played, waiting to be taken, or the one the caller has), so memory does
    not grow with `runs`. Without `runner`, `jobs` local processes (or this process, for one)."""
    if runs < 0:
        raise MidnightError("the number of runs must be 0 or more")
    batches = tuple(batches)
    for batch in batches:
        batch.source.load()  # fail here, once, on a bad scenario
    if runner is not None:
        yield from _windowed(runner, batches, _chunks(runs, max(1, runner.workers)), window)
        return
    chunks = _chunks(runs, max(1, jobs))
    if jobs <= 1 or runs <= 1:
        yield from _windowed(InlineRunner(), batches, chunks, window or 1)
        return
    processes = min(jobs, len(chunks))
    with _context().Pool(processes=processes) as pool:
        yield from _windowed(PoolRunner(pool, processes), batches, chunks, window)


def _windowed(
    runner: Runner, batches: tuple[Batch, ...], chunks: Sequence[range], window: int | None
) -> Iterator[tuple[list[GameResult], ...]]:
    window = max(1, window or 2 * max(1, runner.workers))
    todo = iter(chunks)
    pending: collections.deque[Pending] = collections.deque(
        runner.submit(play_chunk, batches, chunk) for chunk in itertools.islice(todo, window))
    while pending:
        yield pending.popleft().result()
        # Only once the caller is done with that chunk: `window` chunks in all, the caller's included.
        following = next(todo, None)
        if following is not None:
            pending.append(runner.submit(play_chunk, batches, following))


def run_batch(
    batch: Batch, runs: int, jobs: int = 1, progress: Callable[[int, int], None] | None = None,
    runner: Runner | None = None,
) -> list[GameResult]:
    """Play games 0..runs-1 of `batch` on `jobs` processes (or on `runner`); results in index order.

    `progress(done, total)` is called as games finish (in this process). This keeps every result:
    for big batches, `run_tallied` sums them up chunk by chunk instead.
    """
    results: list[GameResult] = []
    for (chunk,) in stream_chunks((batch,), runs, jobs, runner):
        results.extend(chunk)
        if progress:
            progress(len(results), runs)
    return results


@attrs.frozen
class Tallied:
    """What `run_tallied` adds up: a Tally per batch, and the paired comparison of the first two."""

    tallies: tuple[Tally, ...]
    paired: PairedTally | None


def run_tallied(
    batches: Sequence[Batch], runs: int, jobs: int = 1, *, runner: Runner | None = None,
    progress: Callable[[int, int], None] | None = None,
    each_chunk: Callable[[tuple[list[GameResult], ...]], None] | None = None, window: int | None = None,
) -> Tallied:
    """Play games 0..runs-1 of each batch on the same seeds and sum them up as the chunks arrive,
    in seed order: a Tally per batch, and B - A paired by seed when there are two. `each_chunk`
    sees every chunk's results (to write CSV rows); nothing keeps them after it. Memory stays that
    of a few chunks however many games are played."""
    tallies = tuple(Tally() for _ in batches)
    paired = PairedTally() if len(tallies) == 2 else None
    done = 0
    for results in stream_chunks(batches, runs, jobs, runner, window):
        for tally, chunk in zip(tallies, results, strict=True):
            tally.add_all(chunk)
        if paired is not None:
            paired.add_all(results[0], results[1])
        if each_chunk is not None:
            each_chunk(results)
        done += len(results[0]) if results else 0
        if progress:
            progress(done, runs)
    return Tallied(tallies, paired)


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
    The same as a `Tally` of the results (what a streamed batch adds up as it goes).
    """
    tally = Tally()
    tally.add_all(results)
    return tally.summary(game)


def compare(a: Sequence[GameResult], b: Sequence[GameResult]) -> dict:
    """B minus A, game by game on the same seeds (a paired comparison: tighter than two summaries).

    Each figure: the means of A and B, the mean difference and its 95% interval. An interval that
    does not contain 0 is a difference the batch can tell from chance.
    """
    by_index = {r.index: r for r in b if r.error is None}
    paired = PairedTally()
    for x in a:
        if x.error is None and x.index in by_index:
            paired.add(x, by_index[x.index])
    return paired.result()


# -- sums that stream: a batch's figures without keeping its games -------------------------------


def _sqrt_fraction(value: Fraction) -> float:
    """The square root of an exact fraction, correctly rounded (as statistics.stdev takes it)."""
    n, m = value.numerator, value.denominator
    shift = (n.bit_length() - m.bit_length() - 109) // 2  # 109: 2 x 53 bits + 3 to round once

    def root_round_to_odd(top: int, bottom: int) -> int:
        root = math.isqrt(top // bottom)
        return root | (root * root * bottom != top)

    if shift >= 0:
        return (root_round_to_odd(n, m << 2 * shift) << shift) / 1
    return root_round_to_odd(n << -2 * shift, m) / (1 << -shift)


class Moments:
    """A running count, sum and sum of squares of values, kept exactly (integers per power-of-two
    denominator, as `statistics` does), so the mean and its interval are bit for bit those of
    `mean_ci` on the whole list, whatever the order the values came in. NaN is left out."""

    __slots__ = ("n", "_sums", "_squares", "_infinite")

    def __init__(self) -> None:
        self.n = 0
        self._sums: dict[int, int] = collections.defaultdict(int)
        self._squares: dict[int, int] = collections.defaultdict(int)
        self._infinite: list[float] = []

    def add(self, value: float) -> None:
        if value != value:  # NaN
            return
        self.n += 1
        if math.isinf(value):
            self._infinite.append(value)
            return
        numerator, denominator = value.as_integer_ratio()
        self._sums[denominator] += numerator
        self._squares[denominator] += numerator * numerator

    def add_zeros(self, count: int) -> None:
        self.n += count

    def _total(self) -> Fraction:
        return sum((Fraction(n, d) for d, n in self._sums.items()), Fraction(0))

    def mean(self) -> float:
        if not self.n:
            return math.nan
        if self._infinite:
            return math.fsum(self._infinite) / self.n
        return float(self._total()) / self.n  # = fsum(values) / n, as statistics.fmean

    def stdev(self) -> float:
        if self.n < 2 or self._infinite:
            return math.nan
        total = self._total()
        squares = sum((Fraction(n, d * d) for d, n in self._squares.items()), Fraction(0))
        return _sqrt_fraction((self.n * squares - total * total) / self.n / (self.n - 1))

    def ci(self, z: float = Z95) -> dict[str, float]:
        """As `mean_ci`: the mean with a normal-approximation 95% interval."""
        if not self.n:
            return {"mean": math.nan, "low": math.nan, "high": math.nan, "n": 0}
        mean = self.mean()
        half = z * self.stdev() / math.sqrt(self.n) if self.n > 1 else math.nan
        return {"mean": mean, "low": mean - half, "high": mean + half, "n": self.n}


EXACT_LIMIT = 10_000  # distinct values a Spread counts exactly before it turns to its sketch
SKETCH_ACCURACY = 1e-4  # the sketch's relative error on a quartile
_GAMMA_LOG = math.log((1 + SKETCH_ACCURACY) / (1 - SKETCH_ACCURACY))


def _bucket(value: float) -> tuple[int, int]:
    """A value's bucket in the sketch, as a key that sorts like the values (zero, and numbers
    within 1e-12 of it, in one)."""
    if abs(value) < 1e-12:
        return (0, 0)
    index = math.ceil(math.log(abs(value)) / _GAMMA_LOG)
    return (1, index) if value > 0 else (-1, -index)


def _bucket_value(key: tuple[int, int]) -> float:
    sign, index = key
    if sign == 0:
        return 0.0
    gamma = math.exp(_GAMMA_LOG)
    return sign * 2 * math.exp(abs(index) * _GAMMA_LOG) / (gamma + 1)


class Spread:
    """Mean, min, quartiles and max of a stream of values, as `quartiles` gives for the list.

    Values are counted exactly while there are at most EXACT_LIMIT distinct ones (then the
    figures are bit for bit those of the list); past that, in a log-bucket sketch (DDSketch) whose
    quartiles are within SKETCH_ACCURACY of the true ones (relative), in bounded memory. The mean,
    min and max stay exact."""

    __slots__ = ("_moments", "low", "high", "_counts", "_buckets")

    def __init__(self) -> None:
        self._moments = Moments()
        self.low = math.inf
        self.high = -math.inf
        self._counts: dict[float, int] = {}
        self._buckets: dict[tuple[int, int], int] | None = None

    @property
    def n(self) -> int:
        return self._moments.n

    @property
    def exact(self) -> bool:
        return self._buckets is None

    def add(self, value: float) -> None:
        self._moments.add(value)
        self.low = min(self.low, value)
        self.high = max(self.high, value)
        if self._buckets is None:
            self._counts[value] = self._counts.get(value, 0) + 1
            if len(self._counts) > EXACT_LIMIT:
                self._buckets = collections.defaultdict(int)
                for seen, count in self._counts.items():
                    self._buckets[_bucket(seen)] += count
                self._counts = {}
        else:
            self._buckets[_bucket(value)] += 1

    def _at(self, ranks: Sequence[int]) -> dict[int, float]:
        """The values at these ranks (0-based) of the sorted stream."""
        if self._buckets is None:
            entries = sorted(self._counts.items())
        else:
            entries = [(min(self.high, max(self.low, _bucket_value(k))), c) for k, c in sorted(self._buckets.items())]
        found: dict[int, float] = {}
        wanted = sorted(set(ranks))
        seen = 0
        for value, count in entries:
            seen += count
            while wanted and wanted[0] < seen:
                found[wanted.pop(0)] = value
        return found

    def summary(self) -> dict[str, float]:
        n = self.n
        if not n:
            return {}
        if n == 1:
            q1 = median = q3 = self.low
        else:
            # statistics.quantiles(n=4, method="inclusive"), from the values at the ranks it reads
            steps = [divmod(i * (n - 1), 4) for i in (1, 2, 3)]
            values = self._at([r for j, _ in steps for r in (j, j + 1)])
            q1, median, q3 = ((values[j] * (4 - delta) + values[j + 1] * delta) / 4 for j, delta in steps)
        return {"mean": self._moments.mean(), "min": self.low, "q1": q1, "median": median, "q3": q3,
                "max": self.high}


class Tally:
    """A batch's figures summed up game by game (`summary` is what `summarize` returns), in
    memory that does not grow with the games: counts, exact sums, and a Spread per quartiled figure."""

    def __init__(self) -> None:
        self.runs = 0
        self.errors = 0
        self.first_error: str | None = None
        self.catastrophes = 0
        self.terminations: dict[str, int] = {}
        self.clock = Spread()
        self.min_clock = Spread()
        self.turns = Spread()
        self.agreements: dict[str, list[int]] = {}  # system: [signed, games with one]
        self.peak_games: dict[int, int] = {}  # highest rung of a game: games
        self.crisis_peaks: dict[int, int] = {}  # highest rung of a crisis: crises
        self.crises = Moments()
        self.games_with_crises = 0
        self.scores: dict[str, Moments] = {}
        self.shared = Moments()

    @property
    def played(self) -> int:
        return self.runs - self.errors

    def add_all(self, results: Sequence[GameResult]) -> None:
        for result in results:
            self.add(result)

    def add(self, r: GameResult) -> None:
        self.runs += 1
        if r.error is not None:
            self.errors += 1
            if self.first_error is None:
                self.first_error = f"game {r.index} (seed {r.seed}): {r.error}"
            return
        self.catastrophes += r.catastrophe
        self.terminations[r.termination] = self.terminations.get(r.termination, 0) + 1
        self.clock.add(r.clock)
        self.min_clock.add(r.min_clock)
        self.turns.add(float(r.turn))
        for system, count in r.agreements.items():
            figures = self.agreements.setdefault(system, [0, 0])
            figures[0] += count
            figures[1] += bool(count)
        self.peak_games[r.peak_rung] = self.peak_games.get(r.peak_rung, 0) + 1
        for peak in r.crisis_peaks:
            self.crisis_peaks[peak] = self.crisis_peaks.get(peak, 0) + 1
        self.crises.add(float(r.crises))
        self.games_with_crises += bool(r.crises)
        for actor, score in r.scores.items():
            self.scores.setdefault(actor, Moments()).add(score)
        self.shared.add(r.shared)

    def summary(self, game: Game | None = None) -> dict:
        """What `summarize` returns for the games added; with `game`, in scenario order."""
        n = self.played
        low, high = wilson(self.catastrophes, n)
        systems = [s.id for s in game.scenario.systems] if game else sorted(self.agreements)
        agreements = {}
        for system in systems:
            signed, games_with = self.agreements.get(system, (0, 0))
            if game is None or games_with or any(t.system == system for t in game.scenario.agreements):
                agreements[system] = {
                    "per_game": float(signed) / n if n else 0.0,
                    "games_with": games_with / n if n else 0.0,
                }
        rungs = [r.label.get() for r in game.scenario.crisis.rungs] if game else []
        top = max([len(rungs) - 1, *self.peak_games], default=-1)
        peaks = {}
        for rung in range(top + 1):
            games = sum(count for peak, count in self.peak_games.items() if peak >= rung)
            peaks[rungs[rung] if rung < len(rungs) else str(rung)] = {
                "rung": rung,
                "games_reaching": games / n if n else 0.0,
                "crises_peaking_here": self.crisis_peaks.get(rung, 0),
            }
        actors = [a for a in game.seats if a in self.scores] if game else sorted(self.scores)
        return {
            "runs": self.runs,
            "errors": self.errors,
            "first_error": self.first_error,
            "catastrophe": {"count": self.catastrophes, "rate": self.catastrophes / n if n else math.nan,
                            "low": low, "high": high},
            "terminations": dict(self.terminations),
            "clock": self.clock.summary(),
            "min_clock": self.min_clock.summary(),
            "turns": self.turns.summary(),
            "agreements": agreements,
            "crises": {
                "per_game": self.crises.ci(),
                "games_with": self.games_with_crises / n if n else 0.0,
                "peaks": peaks,
            },
            "scores": {a: self.scores[a].ci() for a in actors},
            "shared": self.shared.ci(),
        }


class _Pair:
    """One figure of a paired comparison: A's and B's values and their differences (pairs with
    a NaN on either side left out, as `compare` does)."""

    __slots__ = ("a", "b", "difference")

    def __init__(self) -> None:
        self.a, self.b, self.difference = Moments(), Moments(), Moments()

    def add(self, x: float, y: float) -> None:
        if math.isnan(x) or math.isnan(y):
            return
        self.a.add(x)
        self.b.add(y)
        self.difference.add(y - x)

    def add_zeros(self, count: int) -> None:
        for moments in (self.a, self.b, self.difference):
            moments.add_zeros(count)

    def result(self) -> dict[str, float]:
        result = self.difference.ci()
        result["a"] = self.a.mean()
        result["b"] = self.b.mean()
        return result


class PairedTally:
    """B - A game by game on the same seeds, summed up pair by pair (`result` is what `compare`
    returns), in memory that does not grow with the games."""

    def __init__(self) -> None:
        self.pairs = 0
        self.figures = {name: _Pair() for name in ("catastrophe", "clock", "min_clock", "crises", "shared")}
        self.agreements: dict[str, _Pair] = {}
        self.scores: dict[str, _Pair] = {}

    def add_all(self, a: Sequence[GameResult], b: Sequence[GameResult]) -> None:
        """Two chunks of the same seeds: A's games and B's, in the same order."""
        for x, y in zip(a, b, strict=True):
            if x.error is None and y.error is None:
                self.add(x, y)

    def add(self, x: GameResult, y: GameResult) -> None:
        figures = self.figures
        figures["catastrophe"].add(float(x.catastrophe), float(y.catastrophe))
        figures["clock"].add(x.clock, y.clock)
        figures["min_clock"].add(x.min_clock, y.min_clock)
        figures["crises"].add(float(x.crises), float(y.crises))
        figures["shared"].add(x.shared, y.shared)
        for system in (*x.agreements, *y.agreements):
            if system not in self.agreements:
                self.agreements[system] = _Pair()
                self.agreements[system].add_zeros(self.pairs)  # none signed in the pairs before
        for system, pair in self.agreements.items():
            pair.add(float(x.agreements.get(system, 0)), float(y.agreements.get(system, 0)))
        for actor in x.scores:
            self.scores.setdefault(actor, _Pair())
        for actor, pair in self.scores.items():
            pair.add(x.scores.get(actor, math.nan), y.scores.get(actor, math.nan))
        self.pairs += 1

    def result(self) -> dict:
        return {
            "pairs": self.pairs,
            **{name: self.figures[name].result() for name in ("catastrophe", "clock", "min_clock", "crises")},
            "agreements": {s: self.agreements[s].result() for s in sorted(self.agreements)},
            "scores": {k: self.scores[k].result() for k in sorted(self.scores)},
            "shared": self.figures["shared"].result(),
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
