"""Hostile and broken scenario files: each must fail with a ScenarioError (never anything else),
whose first problem is one line naming the file (with line/column where there is one), quickly
and within bounded memory."""

from __future__ import annotations

import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.scenario.converter import LoadError
from engine.scenario.loading import LIMITS, ScenarioError, load_scenario, load_scenario_text, load_yaml

HOSTILE = Path(__file__).parent / "hostile" / "scenarios"
FILES = sorted(HOSTILE.glob("*.yaml"))
TIME_LIMIT = 3.0  # CPU seconds: a guard against runaway work, not a benchmark (the worst case takes ~0.75 s
# alone; on a loaded 2-core machine CPU time grows too, so the bound leaves room)
MEMORY_LIMIT = 200 * 1024 * 1024

# file -> (a piece of the first problem's message, whether it has a line and column)
EXPECTED: dict[str, tuple[str, bool]] = {
    "alias_amplification.yaml": ("too large once aliases are expanded", True),
    "bad_agreement_counts.yaml": ("min_parties (an agreement needs 2 parties or more) must be between 2 and 100, not 1", True),
    "bad_enum.yaml": ("did you mean 'pair'", True),
    "bad_expression.yaml": ("invalid expression", True),
    "bad_indentation.yaml": ("invalid YAML", True),
    "bad_language_code.yaml": ("not a language code", True),
    "billion_laughs.yaml": ("too many nodes", True),
    "binary_tag.yaml": ("tags are not allowed", True),
    "bool_as_number.yaml": ("expected a number, got true", True),
    "bool_key.yaml": ("keys must be text", True),
    "comments_only.yaml": ("the file is empty", False),
    "complex_key.yaml": ("keys must be text", True),
    "constant_division_by_zero.yaml": ("'1 / 0' always fails: division by zero", True),
    "constant_overflow.yaml": ("'1e308 * 1e308' always fails: arithmetic overflow", True),
    "constant_sqrt_negative.yaml": ("'sqrt(-4)' always fails: sqrt() of a negative number", True),
    "control_character.yaml": ("control character U+0007", True),
    "custom_tag.yaml": ("tags are not allowed", True),
    "date_past_9999.yaml": ("would start in the year 10000, past 9999", True),
    "deep_alias_chain.yaml": ("too many nodes", True),
    "deep_nesting.yaml": ("nested too deeply", True),
    "duplicate_keys.yaml": ("duplicate key 'turns'", True),
    "empty.yaml": ("the file is empty", False),
    "endless_turns.yaml": ("turns (the number of turns) must be between 1 and 1,000, not 100,000,000", True),
    "expression_wrong_type.yaml": ("expected an expression", True),
    "huge_int.yaml": ("too many digits", True),
    "huge_number.yaml": ("too large", True),
    "huge_turn_months.yaml": ("turn_months (months per turn) must be between 1 and 120", True),
    "inf.yaml": ("must be finite", True),
    "malformed.yaml": ("invalid YAML", True),
    "merge_key.yaml": ("merge keys", True),
    "missing_required.yaml": ("missing required key 'systems'", True),
    "multi_document.yaml": ("more than one YAML document", True),
    "nan.yaml": ("must be finite", True),
    "negative_crisis_rounds.yaml": ("crisis rounds (the most rounds a crisis lasts) must be between 1 and 100, not -3", True),
    "negative_max_moves.yaml": ("max_moves (moves per turn) must be between 0 and 100, not -5", True),
    "negative_max_proposals.yaml": ("max_proposals (proposals per turn) must be between 0 and 100, not -1", True),
    "non_string_key.yaml": ("keys must be text", True),
    "non_utf8.yaml": ("not valid UTF-8", True),
    "nul_byte.yaml": ("control character U+0000", True),
    "null_document.yaml": ("the file is empty", False),
    "python_name.yaml": ("tags are not allowed", True),
    "python_object_apply.yaml": ("tags are not allowed", True),
    "python_object_new.yaml": ("tags are not allowed", True),
    "recursive_alias.yaml": ("recursive alias", True),
    "scalar_document.yaml": ("expected a scenario", True),
    "set_tag.yaml": ("tags are not allowed", True),
    "string_for_list.yaml": ("expected a list", True),
    "tabs.yaml": ("tab character", True),
    "top_level_list.yaml": ("expected a scenario", True),
    "unclosed_bracket.yaml": ("invalid YAML", True),
    "unclosed_quote.yaml": ("invalid YAML", True),
    "undefined_alias.yaml": ("unknown alias", True),
    "unknown_key.yaml": ("unknown key 'efects' (did you mean 'effects'?)", True),
    "utf16.yaml": ("UTF-16", True),
    "wrong_types.yaml": ("expected text, got a number", True),
    "yes_is_not_a_bool.yaml": ("expected true or false", True),
    "zero_talk_rounds.yaml": ("talk_rounds (rounds of talks per turn) must be between 1 and 100, not 0", True),
    "zero_turn_months.yaml": ("turn_months (months per turn) must be between 1 and 120, not 0", True),
}


def fail_within_limits(load: Callable[[], object], *, measure_memory: bool = False) -> ScenarioError:
    """Run `load`, which must raise ScenarioError quickly (and within MEMORY_LIMIT if asked)."""
    start = time.process_time()
    with pytest.raises(ScenarioError) as info:
        load()
    elapsed = time.process_time() - start
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s of CPU time"
    if measure_memory:
        tracemalloc.start()
        try:
            with pytest.raises(ScenarioError):
                load()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < MEMORY_LIMIT, f"peak {peak / 1e6:.0f} MB"
    return info.value


def check_first_problem(error: ScenarioError, filename: str, *, positioned: bool = True) -> None:
    assert error.problems, "no problems"
    first = error.problems[0]
    text = str(first)
    assert "\n" not in text
    assert text.startswith(filename)
    assert first.file == filename
    if positioned:
        assert first.line is not None and first.line >= 1
        assert first.column is not None and first.column >= 1
        assert text.startswith(f"{filename}:{first.line}:{first.column}: ")
    assert str(error).splitlines()[0] == text


def test_there_are_enough_hostile_files() -> None:
    assert len(FILES) >= 20
    assert {f.name for f in FILES} == set(EXPECTED), "every hostile file needs an expectation"


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_hostile_file_fails_cleanly(path: Path) -> None:
    message, positioned = EXPECTED[path.name]
    bomb = "alias" in path.name or "laughs" in path.name or "deep" in path.name
    error = fail_within_limits(lambda: load_scenario(path), measure_memory=bomb)
    check_first_problem(error, str(path), positioned=positioned)
    assert message in error.problems[0].message, str(error)


# --------------------------------------------------------------------------- generated in the test


def _wide_alias_bomb() -> str:
    text = "id: bomb\na: &a {" + ", ".join(f"k{i}: v" for i in range(1000)) + "}\n"
    text += "b: &b [" + ", ".join(["*a"] * 1000) + "]\n"
    return text + "c: [" + ", ".join(["*b"] * 1000) + "]\n"


GENERATED: dict[str, tuple[Callable[[], str | bytes], str, bool]] = {
    "deep_flow_10000.yaml": (
        lambda: "id: x\nactors: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "nested too deeply",
        True,
    ),
    "deep_flow_map_10000.yaml": (
        lambda: "id: x\nactors: " + "{a: " * 10_000 + "}" * 10_000 + "\n",
        "nested too deeply",
        True,
    ),
    "deep_block_10000.yaml": (lambda: "id: x\nactors:\n" + "- " * 10_000 + "x\n", "nested too deeply", True),
    "deep_indent.yaml": (
        lambda: "".join(" " * i + f"k{i}:\n" for i in range(1000)),
        "nested too deeply",
        True,
    ),
    "five_megabytes.yaml": (lambda: b"id: x\ntitle: " + b"x" * 5_000_000 + b"\n", "too large", False),
    "huge_scalar.yaml": (lambda: "id: x\ntitle: " + "x" * 200_000 + "\n", "too long", True),
    "huge_key.yaml": (lambda: "id: x\n? " + "k" * 200_000 + "\n: 1\n", "too long", True),
    "huge_plain_key.yaml": (
        lambda: "id: x\n" + "k" * 200_000 + ": 1\n",
        "invalid YAML",
        True,
    ),  # over YAML's 1024
    "wide_alias_bomb.yaml": (_wide_alias_bomb, "too many nodes", True),
    "many_wrong_items.yaml": (
        lambda: "actors: [" + ", ".join(["1"] * 50_000) + "]\n",
        "missing required key",
        True,
    ),
    "long_expression.yaml": (
        lambda: (
            (Path(__file__).parent / "fixtures" / "minimal.yaml")
            .read_text()
            .replace("cost: 2", "cost: " + "1 + " * 5000 + "1")
        ),
        "invalid expression",
        True,
    ),
    "deep_expression.yaml": (
        lambda: (
            (Path(__file__).parent / "fixtures" / "minimal.yaml")
            .read_text()
            .replace("cost: 2", "cost: " + "(" * 5000 + "1" + ")" * 5000)
        ),
        "invalid expression",
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_hostile_input_fails_cleanly(name: str) -> None:
    make, message, positioned = GENERATED[name]
    source = make()
    bomb = "bomb" in name or "deep" in name or "huge" in name or "many" in name
    error = fail_within_limits(lambda: load_scenario_text(source, filename=name), measure_memory=bomb)
    check_first_problem(error, name, positioned=positioned)
    assert message in error.problems[0].message, str(error)


def _load_in_a_fresh_process(code: str) -> list[str]:
    """Run `code` in a new interpreter (its own peak memory); its printed lines."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True  # a hang guard
    )
    return done.stdout.splitlines()


_MEASURED = """
import resource, sys, time
from engine.scenario.loading import ScenarioError, load_scenario, load_yaml
from engine.play.records import read_record
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.process_time()
try:
    {call}
except Exception as error:
    print(type(error).__name__)
    print(str(error).splitlines()[0])
else:
    print("loaded")
    print("")
print(time.process_time() - started)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)  # KiB on Linux
"""


def test_alias_amplification_is_refused_cheaply() -> None:
    """15 MB of tags from 13 KB of file, under the node limit: refused by expanded size, in
    little memory and CPU time (the peak of a fresh process, so nothing else counts)."""
    path = HOSTILE / "alias_amplification.yaml"
    kind, first, cpu, grown = _load_in_a_fresh_process(_MEASURED.format(call=f"load_scenario({str(path)!r})"))
    assert kind == "ScenarioError"
    assert first.startswith(f"{path}:60:44: moves[9].tags: the document is too large once aliases are expanded")
    assert float(cpu) < TIME_LIMIT
    assert int(grown) < 50 * 2**20, f"{int(grown) / 2**20:.0f} MB"


def test_a_huge_record_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """A 6 MB record took 13 s of CPU and 537 MB to refuse; now its size alone refuses it."""
    record = "midnight_record: 1\nturns:\n" + "  - {turn: 1, inputs: [{seat: us, kind: decide, moves: [a, b, c]}]}\n" * 90_000
    path = tmp_path / "huge_record.yaml"
    path.write_text(record)
    assert path.stat().st_size > 6_000_000
    kind, first, cpu, grown = _load_in_a_fresh_process(_MEASURED.format(call=f"read_record({str(path)!r})"))
    assert kind in ("LoadError", "RecordError") and "too large" in first, first
    assert float(cpu) < TIME_LIMIT
    assert int(grown) < 50 * 2**20, f"{int(grown) / 2**20:.0f} MB"


def test_each_kind_of_document_has_its_size_limit() -> None:
    record_limit = LIMITS["record"].max_bytes
    text = "a: " + "x" * record_limit + "\n"
    assert load_yaml(text[:50_000], filename="r.yaml", kind="record").data == {"a": "x" * (50_000 - 3)}
    for kind in ("record", "script"):
        with pytest.raises(LoadError, match=f"too large.*the limit is {LIMITS[kind].max_bytes:,}"):
            load_yaml(text, filename="r.yaml", kind=kind)
    # A caller may lower a limit, never raise it above its kind's.
    with pytest.raises(LoadError, match=f"the limit is {record_limit:,}"):
        load_yaml(text, filename="r.yaml", kind="record", max_bytes=10 * record_limit)


def test_the_shipped_scenarios_are_far_under_the_expanded_size_limit() -> None:
    from engine.scenario.loading import EXPANSION_FACTOR, builtin_scenario_ids, builtin_scenario_path

    for scenario_id in builtin_scenario_ids():
        raw = builtin_scenario_path(scenario_id).read_bytes()
        # Allowed only 1/10 of the bound, they still load.
        load_yaml(raw, filename=scenario_id, max_expanded=EXPANSION_FACTOR * len(raw) // 10)


def test_many_problems_are_capped() -> None:
    error = fail_within_limits(
        lambda: load_scenario_text("actors: [" + ", ".join(["1"] * 50_000) + "]\n", filename="m.yaml")
    )
    assert len(error.problems) <= 202
    assert "more problems not shown" in error.problems[-1].message


def test_invalid_surrogates_in_text() -> None:
    error = fail_within_limits(lambda: load_scenario_text("id: \ud800\n", filename="s.yaml"))
    check_first_problem(error, "s.yaml")
    assert "surrogate" in error.problems[0].message


def test_file_too_large_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.write(b"id: x\ntitle: ")
        handle.seek(50_000_000)
        handle.write(b"x\n")
    error = fail_within_limits(lambda: load_scenario(path), measure_memory=True)
    check_first_problem(error, str(path), positioned=False)
    assert "too large" in error.problems[0].message


# --------------------------------------------------------------------------- fuzzing

_YAML_BITS = st.sampled_from(
    [
        "id: x\n",
        "actors:\n",
        "  - ",
        "- ",
        ": ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "!!str ",
        "!!python/object ",
        "'",
        '"',
        "\t",
        "\n",
        "  ",
        "#",
        "<<: ",
        "? ",
        "---\n",
        "...\n",
        "|\n",
        ">\n",
        "~",
        "true",
        "1e9",
        ".nan",
        "x",
        "turns: ",
        "tracks: ",
        "\x00",
        "\ufeff",
        "é",
        "%YAML 1.2\n",
        "@",
        "`",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_YAML_BITS, max_size=40).map("".join))
def test_fuzzed_yaml_only_ever_raises_scenario_error(text: str) -> None:
    try:
        load_scenario_text(text, filename="fuzz.yaml")
    except ScenarioError as error:
        assert error.problems
        assert "\n" not in str(error.problems[0])
        assert str(error.problems[0]).startswith("fuzz.yaml")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_fuzzed_bytes_only_ever_raise_scenario_error(data: bytes) -> None:
    try:
        load_scenario_text(data, filename="fuzz.yaml")
    except ScenarioError as error:
        assert error.problems
