"""A misbehaving agent for tests/test_hostile_agents.py: `python hostile.py MODE [ARG]`.

Every mode but the bad behaviour itself plays like a passive agent (no proposals, rejects
everything, no moves, backs down), so a test sees exactly the one misbehaviour it asks for.
Standard library only; it never exits by itself unless the mode says so (the engine must kill it).
"""

import json
import os
import sys
import time

PASSIVE = {"propose": {"offers": []}, "respond": {"replies": []}, "decide": {"moves": []},
           "crisis": {"choice": "back_down"}}


def out(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def answer(message, **changes):
    kind = message["options"]["kind"]
    value = {"kind": kind, **PASSIVE[kind]}
    return json.dumps({"id": message["id"], "input": value, "reason": "passive", **changes})


def requests():
    for line in sys.stdin:
        message = json.loads(line)
        if message["type"] == "act":
            yield message


def sleep_forever():
    while True:
        time.sleep(60)


def main():
    mode = sys.argv[1]
    arg = sys.argv[2] if len(sys.argv) > 2 else None
    if mode == "crash-at-start":
        sys.exit(2)
    if mode == "deaf":  # never reads its input; on Linux it fills its own stdin pipe first
        try:
            pipe = os.open("/proc/self/fd/0", os.O_WRONLY | os.O_NONBLOCK)
            while True:
                os.write(pipe, b"x" * 65536)
        except OSError:
            pass
        sleep_forever()
    if mode == "spawn":  # starts a child that would outlive it, writes its pid, then plays
        import subprocess
        child = subprocess.Popen([sys.executable, "-c", "import time\nwhile True: time.sleep(60)"])
        with open(arg, "w") as f:
            f.write(str(child.pid))
    held = None
    for number, message in enumerate(requests(), 1):
        if mode == "silent":
            continue
        if mode == "slow":  # answers each request only once the next has come: always too late
            if held is not None:
                out(held)
            held = answer(message)
            continue
        if mode == "blank-flood":
            while True:
                sys.stdout.write("\n" * 65536)
        if mode == "stale-flood":
            stale = answer(message, id=-1)
            while True:
                sys.stdout.write((stale + "\n") * 64)
        if mode == "stale-then-answer":  # many stale lines, then the answer
            stale = answer(message, id=-1)
            for _ in range(200):
                sys.stdout.write((stale + "\n") * 50)
            out(answer(message))
            continue
        if mode == "huge-line" and number == 1:  # 64 MiB in one line, then plays well
            chunk = "x" * (1 << 20)
            for _ in range(64):
                sys.stdout.write(chunk)
            out("")
            out(answer(message))  # also too late: the engine gave up on the request at the long line
            continue
        if mode == "crash-mid-game" and number == 3:
            sys.exit(4)
        if mode == "deep":
            out(f'{{"id": {message["id"]}, "input": {"[" * 100_000 + "]" * 100_000}}}')
            continue
        if mode == "huge-int":
            out(f'{{"id": {message["id"]}, "input": {{"kind": "decide", "moves": []}}, "n": 1{"0" * 5000}}}')
            continue
        if mode == "wrong":  # ARG: KIND:JSON, the input sent for requests of that kind
            kind, _, value = arg.partition(":")
            if message["options"]["kind"] == kind:
                out(f'{{"id": {message["id"]}, "input": {value}}}')
                continue
        if mode == "control":  # a reason and an answer with terminal control characters
            if number == 1:
                out("\x1b]0;owned\x07\x1b[2J not json")
                continue
            out(answer(message, reason="\x1b[31mred\x1b[0m \u202e"))
            continue
        out(answer(message))


if __name__ == "__main__":
    main()
