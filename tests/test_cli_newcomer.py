"""A newcomer's first commands: help, `midnight` alone, and mistakes, as the real command meets them.

Each subprocess runs `python -m midnight` from the repository root with stdin from /dev/null and
output piped, so none of them has a terminal: nothing may draw the full-screen UI, wait for
input, print a traceback, or write an escape code into the pipe. Every subcommand in
`midnight.cli.COMMANDS` is covered: a new one is walked automatically.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from midnight import cli

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD = 180  # seconds; only there so a hung command fails the test instead of stalling it


def midnight(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "midnight", *argv],
        cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=HANG_GUARD,
    )


def assert_clean(result: subprocess.CompletedProcess, *codes: int) -> None:
    shown = f"exit {result.returncode}\nstdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}"
    assert result.returncode in codes, shown
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, shown
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr, shown


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"": parser, **action.choices}


# -- help ------------------------------------------------------------------------------------------


def test_every_command_is_listed_and_built():
    assert set(subparsers()) - {""} == set(cli.COMMANDS)


@pytest.mark.parametrize("name", ["", *cli.COMMANDS])
def test_every_help_string_formats(name):
    """A lone `%` in a help string breaks `--help` with a ValueError (argparse %-formats help):
    write `%%`. Checked string by string here, so the failure names the option."""
    parser = subparsers()[name]
    formatter = parser._get_formatter()
    for action in parser._actions:
        subactions = action._get_subactions() if isinstance(action, argparse._SubParsersAction) else []
        for each in [action, *subactions]:
            if each.help:
                try:
                    formatter._expand_help(each)
                except (ValueError, TypeError, KeyError) as error:
                    pytest.fail(f"midnight {name}: help of {each.option_strings or each.dest}: {error}")


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_top_level_help_lists_every_command(flag):
    result = midnight(flag)
    assert_clean(result, 0)
    assert result.stdout.startswith("usage: midnight") and result.stderr == ""
    for name in cli.COMMANDS:
        assert f"\n    {name}" in result.stdout


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize("name", cli.COMMANDS)
def test_every_command_has_clean_help(name, flag):
    result = midnight(name, flag)
    assert_clean(result, 0)
    assert result.stdout.startswith(f"usage: midnight {name}") and result.stderr == ""


def test_version():
    result = midnight("--version")
    assert_clean(result, 0)
    assert result.stdout.startswith("midnight ")


# -- `midnight` alone, and the UI without a terminal --------------------------------------------------


def test_midnight_alone_without_a_terminal_introduces_itself():
    result = midnight()
    assert_clean(result, 0)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Midnight:") and len(lines) < 15
    for first in ("midnight play", "midnight scenarios", "midnight run", "midnight --help"):
        assert first in result.stdout
    assert result.stderr == ""


def test_play_without_a_terminal_says_so_in_one_line():
    result = midnight("play")
    assert_clean(result, 1)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("midnight: play needs a terminal")
    assert "midnight run" in result.stderr


def test_replay_on_screen_without_a_terminal_points_to_verify(tmp_path):
    record = tmp_path / "game.yaml"
    made = midnight("run", "tests/fixtures/rules.yaml", "--seed", "1", "--quiet", "--record", str(record))
    assert_clean(made, 0)
    result = midnight("replay", str(record), "--scenario", "tests/fixtures/rules.yaml")
    assert_clean(result, 1)
    assert result.stderr.count("\n") == 1 and "needs a terminal" in result.stderr and "--verify" in result.stderr


def test_midnight_alone_in_a_terminal_opens_the_start_screen(monkeypatch):
    """In a terminal, `midnight` is `midnight play` with nothing chosen: the start screen."""
    import tui.launch

    opened = []
    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    monkeypatch.setattr(tui.launch, "play", lambda args: opened.append(args) or 0)
    assert cli.main([]) == 0
    assert len(opened) == 1 and opened[0].command == "play" and opened[0].scenario is None
    assert opened[0].resume is None and opened[0].seed is None


# -- mistakes: exit 0 or 1, never a traceback -----------------------------------------------------


def _mistakes():
    for name in cli.COMMANDS:
        for argv, label in (([], "no-arguments"), (["--no-such-flag"], "unknown-flag"),
                            (["no-such-scenario.yaml"], "bogus-positional")):
            # `midnight simulate` alone really plays its default 1,000 games: a slow test.
            slow = name == "simulate" and not argv
            yield pytest.param(name, argv, id=f"{name}-{label}", marks=[pytest.mark.slow] if slow else [])


@pytest.mark.parametrize(("name", "argv"), list(_mistakes()))
def test_every_command_exits_0_or_1_without_a_traceback(name, argv):
    result = midnight(name, *argv)
    assert_clean(result, 0, 1)
    if result.returncode == 1:
        assert result.stderr.strip(), "an error exit must say what went wrong"


@pytest.mark.parametrize("argv", [["--no-such-flag"], ["no-such-command"], ["run", "--seed", "x"],
                                  ["validate"], ["run", "extra", "arguments"]])
def test_a_misused_command_line_exits_1_with_argparse_usage(argv):
    result = midnight(*argv)
    assert_clean(result, 1)
    assert result.stdout == ""
    assert result.stderr.startswith("usage: midnight") and ": error: " in result.stderr


def test_an_unknown_option_is_reported_by_its_command():
    result = midnight("run", "--no-such-flag")
    assert result.stderr.startswith("usage: midnight run ")
    assert "midnight run: error: unrecognized arguments: --no-such-flag" in result.stderr


def test_main_returns_the_exit_status_instead_of_raising(capsys):
    assert cli.main(["--no-such-flag"]) == 1
    assert cli.main(["--help"]) == 0
    assert cli.main(["--version"]) == 0
    capsys.readouterr()
