"""A Midnight agent that plays a seat at random, within the rules: the protocol in a few lines.

    midnight run trilateral-2026 --agent us="python examples/random_agent.py"
    midnight agent trilateral-2026 us="python examples/random_agent.py" --games 5

It reads one JSON object per line on stdin and, for every {"type": "act"} request, writes one
line: {"id": ..., "input": {...}, "reason": "..."}. See docs/agents.md. Standard library only.
"""

import json
import random
import sys


def choose(seat, view, options, rng):
    kind = options["kind"]
    if kind == "propose":
        offers = []
        in_force = {(a["template"], frozenset(a["parties"])) for a in view["agreements"]}
        for t in options["templates"]:
            if t["available"] and len(offers) < options["max_proposals"] and rng.random() < 0.3:
                others = [p for p in t["eligible_parties"] if p != seat]
                room = len(others) if t["max_parties"] is None else t["max_parties"] - 1
                parties = [seat] + rng.sample(others, min(room, len(others)))
                if len(parties) >= t["min_parties"] and (t["id"], frozenset(parties)) not in in_force:
                    offers.append({"template": t["id"], "parties": parties})
        return {"kind": "propose", "offers": offers}, f"{len(offers)} proposal(s) at random"
    if kind == "respond":
        replies = [{"proposal": o["proposal"]["id"],
                    "answer": "accept" if o["can_accept"] and rng.random() < 0.5 else "reject"}
                   for o in options["to_answer"]]
        return {"kind": "respond", "replies": replies}, "answers at random"
    if kind == "decide":
        moves, spent = [], 0.0
        budget = options["budget"]
        for m in rng.sample(options["moves"], len(options["moves"])):
            fits = budget is None or spent + m["cost"] <= budget
            if m["available"] and fits and len(moves) < options["max_moves"] and rng.random() < 0.5:
                moves.append(m["id"])
                spent += m["cost"]
        return {"kind": "decide", "moves": moves}, "moves at random: " + (", ".join(moves) or "none")
    choice = rng.choice(options["crisis_choices"])
    return {"kind": "crisis", "choice": choice}, f"{choice} at random"


def main():
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    for line in sys.stdin:
        message = json.loads(line)
        if message["type"] != "act":
            continue  # "end": the game is over (stdin closes next)
        value, reason = choose(message["seat"], message["view"], message["options"], rng)
        answer = {"id": message["id"], "input": {"seat": message["seat"], **value}, "reason": reason}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
