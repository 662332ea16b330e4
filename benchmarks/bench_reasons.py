"""Do bots' reasons agree with their choices? Plays bot games and counts, per kind of decision,
the reasons that cite something which pushed against what was chosen.

    uv run python benchmarks/bench_reasons.py                       # 2 scenarios x 7 line-ups x 30 seeds
    uv run python benchmarks/bench_reasons.py --seeds 10 --moves    # fewer games; and how often each move is played
    uv run python benchmarks/bench_reasons.py --lineups scenario    # only each scenario's own bots
    uv run python benchmarks/bench_reasons.py --save-inputs a.json  # every game's inputs (without reasons), hashed
    uv run python benchmarks/bench_reasons.py --check-inputs a.json # ... and which games chose differently since

Line-ups: each scenario's own bots, and each persona on every seat. A contradiction, read off the
English reason and the input it explains:

- an answer that accepts and cites a term that argued against accepting (`distrusts ...`,
  `will not freeze behind ...`, `it would bind its ...`), or one that rejects or counters an offer
  it could accept and cites a term that argued for it (`returns ... good faith`, `at parity with
  ...`, `wants calm: ...`); answers to the dictum are also counted on their own;
- a move decision whose reason names a steadying drive while it plays no steadying move, or a
  hostile drive (closing a gap, answering in kind, building strength) while it plays no hostile
  or force move;
- a crisis choice whose reason's verb is another choice's (`backs down` for an escalation).

`--check-inputs` is how a change that should touch only reasons proves it chose the same: the
fingerprints (benchmarks/fingerprint.py) hash reasons too, so they differ after any wording change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import load_game  # noqa: E402
from engine.bots import persona_names  # noqa: E402
from engine.bots.reading import FRIENDLY_TAGS, HOSTILE_TAGS, move_tags  # noqa: E402
from engine.play.loop import play_out  # noqa: E402
from engine.play.simulate import controllers_for  # noqa: E402

SCENARIOS = ("trilateral-2026", "system-by-system")
AGAINST_ACCEPTING = ("it would bind its ", "distrusts ", "will not freeze behind ")
FOR_ACCEPTING = ("returns ", "at parity with ", "wants calm: ")
STEADY_HEADS = ("steadies things", "can afford restraint", "shows restraint", "keeps things safe", " in kind")
HOSTILE_HEADS = ("closes the gap", "answers ", "builds strength")
CRISIS_VERBS = {"escalate": ("raises", "presses", "answers", "escalate"),
                "back_down": ("backs", "steps", "meets", "back down"),
                "hold": ("holds", "hold")}


def split_top(text: str, separator: str = "; ") -> list[str]:
    """`text` split at `separator` outside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        depth += (c == "(") - (c == ")")
        if depth == 0 and text.startswith(separator, i):
            parts.append(text[start:i])
            i += len(separator)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return parts


def notes_of(segment: str) -> list[str]:
    """The parenthesised notes at the end of an answer's reason, one by one."""
    if not segment.endswith(")") or "(" not in segment:
        return []
    depth = 0
    for i in range(len(segment) - 1, -1, -1):
        depth += (segment[i] == ")") - (segment[i] == "(")
        if depth == 0:
            return split_top(segment[i + 1:-1])
    return []


class Tally:
    def __init__(self) -> None:
        self.count: Counter = Counter()
        self.contrary: Counter = Counter()
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.moves: Counter = Counter()
        self.decisions: Counter = Counter()

    def add(self, kind: str, contrary: bool, reason: str) -> None:
        self.count[kind] += 1
        if contrary:
            self.contrary[kind] += 1
            if len(self.examples[kind]) < 3:
                self.examples[kind].append(reason)


def _answers(game, before, played, tally: Tally) -> None:
    options = game.options(before, played.input["seat"])
    by_id = {o.proposal.id: o for o in options.to_answer}
    segments = split_top(played.reason)
    replies = played.input["replies"]
    if len(segments) != len(replies):
        segments = [played.reason] * len(replies)
    for reply, segment in zip(replies, segments, strict=True):
        option = by_id[reply["proposal"]]
        answer = reply["answer"]
        notes = notes_of(segment) if option.can_accept else []
        if answer == "accept":
            contrary = any(n.startswith(AGAINST_ACCEPTING) for n in notes)
            tally.add("accept citing distrust", any(n.startswith("distrusts ") for n in notes), segment)
        else:
            contrary = any(n.startswith(FOR_ACCEPTING) for n in notes)
        tally.add(answer, contrary, segment)
        if option.proposal.template == "dictum":
            tally.add(f"dictum {answer}", contrary, segment)
            if answer == "accept":
                tally.add("dictum accept citing 'will not freeze'",
                          any(n.startswith("will not freeze") for n in notes), segment)


def _moves(game, played, tally: Tally) -> None:
    seat, moves, reason = played.input["seat"], played.input["moves"], played.reason
    tally.decisions[seat] += 1
    for move in moves:
        tally.moves[seat, move] += 1
    tags = set().union(*(move_tags(game, m) for m in moves)) if moves else set()
    head = reason.split(": ")[0] if moves else reason
    contrary = False
    if moves and any(h in head for h in STEADY_HEADS):
        contrary = not tags & (FRIENDLY_TAGS | {"survivability"})
    elif moves and any(h in head for h in HOSTILE_HEADS):
        contrary = not tags & (HOSTILE_TAGS | {"survivability"})
    tally.add("moves", contrary, reason)


def _crisis(played, tally: Tally) -> None:
    choice = played.input["choice"]
    verbs = [v for c, words in CRISIS_VERBS.items() if c != choice for v in words]
    first = played.reason.split(" ")[0]
    contrary = first in verbs and not any(played.reason.startswith(v) for v in CRISIS_VERBS[choice])
    tally.add(f"crisis {choice}", contrary, played.reason)


def play(seeds: int, tally: Tally, inputs: dict[str, str], only: set[str] | None = None) -> int:
    games = 0
    for ref in SCENARIOS:
        game = load_game(ref)
        lineups: list[tuple[str, dict[str, str]]] = [("scenario", {})]
        lineups += [(p, dict.fromkeys(game.seats, p)) for p in persona_names()]
        for label, lineup in lineups:
            if only and label not in only:
                continue
            for seed in range(seeds):
                hasher = hashlib.blake2b(digest_size=12)

                def observe(before, played, after, hasher=hasher, game=game):
                    hasher.update(repr((played.turn, played.phase, played.input)).encode())
                    if played.phase == "respond":
                        _answers(game, before, played, tally)
                    elif played.phase == "decide":
                        _moves(game, played, tally)
                    elif played.phase == "crisis":
                        _crisis(played, tally)

                play_out(game, game.start(seed), controllers_for(game, lineup), observe=observe)
                inputs[f"{ref} {label} {seed}"] = hasher.hexdigest()
                games += 1
    return games


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=30, help="seeds per scenario and line-up (default 30)")
    parser.add_argument("--lineups", help="only these line-ups, comma-separated: scenario, or persona names")
    parser.add_argument("--moves", action="store_true", help="also print how often each seat plays each move")
    parser.add_argument("--save-inputs", type=Path, help="write each game's hashed inputs to this JSON file")
    parser.add_argument("--check-inputs", type=Path, help="compare each game's hashed inputs with this file")
    args = parser.parse_args(argv)
    tally, inputs = Tally(), dict[str, str]()
    only = set(args.lineups.split(",")) if args.lineups else None
    games = play(args.seeds, tally, inputs, only)
    who = args.lineups or "the scenario's bots and each persona"
    print(f"{games} games ({', '.join(SCENARIOS)}; {who}; {args.seeds} seeds)")
    print(f"{'decision':44} {'count':>7} {'contrary':>9} {'share':>7}")
    for kind in sorted(tally.count):
        n, bad = tally.count[kind], tally.contrary[kind]
        print(f"{kind:44} {n:7} {bad:9} {bad / n:7.1%}")
    for kind, examples in sorted(tally.examples.items()):
        for example in examples:
            print(f"  e.g. {kind}: {example}")
    if args.moves:
        print("\nmoves played, as a share of the seat's decisions:")
        for (seat, move), n in sorted(tally.moves.items(), key=lambda item: -item[1] / tally.decisions[item[0][0]]):
            print(f"  {seat:10} {move:28} {n / tally.decisions[seat]:6.1%}")
    if args.save_inputs:
        args.save_inputs.write_text(json.dumps(inputs, indent=0, sort_keys=True))
    if args.check_inputs:
        before = json.loads(args.check_inputs.read_text())
        differ = sorted(k for k in inputs if before.get(k) != inputs[k])
        print(f"\ninputs: {len(differ)} of {len(inputs)} games chose differently")
        for group, n in sorted(Counter(key.rsplit(" ", 1)[0] for key in differ).items()):
            print(f"  {group}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
