"""The loader: YAML -> positioned data -> strict structuring -> Scenario, with every problem at once."""

from __future__ import annotations

import enum
import importlib.util
from collections.abc import Mapping
from pathlib import Path

import attrs
import pytest
import yaml

from engine.scenario import loading
from engine.scenario.converter import LoadError, Problem, format_path, structure_document
from engine.scenario.expressions import Expression
from engine.scenario.loading import (
    Document,
    ScenarioError,
    builtin_scenario_ids,
    builtin_scenario_path,
    load_scenario,
    load_scenario_text,
    load_yaml,
    resolve_scenario,
    scenario_content_hash,
)
from engine.scenario.models import Scenario, Scope, Track, Visibility
from engine.scenario.schema import scenario_json_schema
from engine.scenario.text import Text

FIXTURE = Path(__file__).parent / "fixtures" / "minimal.yaml"
BASE = FIXTURE.read_text(encoding="utf-8")


def variant(*replacements: tuple[str, str]) -> str:
    text = BASE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def problems_of(text: str, filename: str = "s.yaml") -> tuple[Problem, ...]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, filename=filename)
    return info.value.problems


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def column_of(text: str, needle: str, line_needle: str | None = None) -> int:
    """Column of `needle` in the first line containing `line_needle` (default: `needle`)."""
    return text.splitlines()[line_of(text, line_needle or needle) - 1].index(needle) + 1


# --------------------------------------------------------------------------- the minimal scenario


def test_minimal_fixture_loads_into_a_scenario() -> None:
    scenario = load_scenario(FIXTURE)
    assert isinstance(scenario, Scenario)
    assert scenario.id == "minimal"
    assert scenario.version == "1.0"
    assert scenario.start_date == "2026-02-05"  # never a date
    assert scenario.turns == 4
    assert [a.id for a in scenario.actors] == ["us", "ru"]
    assert scenario.crisis.rules[0].when.source == "escalate > 0"
    assert isinstance(scenario.crisis.rules[0].move, Expression)
    assert scenario.moves[0].cost.source == "2"
    assert scenario.moves[0].effects[0].delta.source == "5"


def test_every_source_form_loads_the_same() -> None:
    assert load_scenario(str(FIXTURE)).id == "minimal"
    assert load_scenario(FIXTURE.read_bytes()).id == "minimal"
    assert load_scenario_text(BASE).id == "minimal"
    assert load_scenario_text(BASE.encode("utf-8")).id == "minimal"
    assert load_scenario_text("\ufeff" + BASE).id == "minimal"
    assert load_scenario_text(b"\xef\xbb\xbf" + BASE.encode()).id == "minimal"
    assert load_scenario_text(BASE.replace("\n", "\r\n")).id == "minimal"


def test_text_fields_take_a_string_or_a_language_mapping() -> None:
    scenario = load_scenario(FIXTURE)
    us, ru = scenario.actors
    assert us.name == Text({"en": "United States"})
    assert ru.name.get("zh") == "俄罗斯"
    assert ru.name.get("en") == "Russia"
    assert load_scenario_text(variant(("title: Minimal scenario", "title: {}"))).title.get() == ""
    assert (
        load_scenario_text(variant(("title: Minimal scenario", "title: {pt-BR: Mínimo}"))).title.get()
        == "Mínimo"
    )


@pytest.mark.parametrize(
    "replacement, message",
    [
        (("      zh: 俄罗斯", "      ZH: 俄罗斯"), "'ZH' is not a language code"),
        (("      zh: 俄罗斯", "      zh: 7"), "expected text, got a number (7)"),
        (("title: Minimal scenario", "title: [a, b]"), "expected text, or a mapping of language codes"),
        (("title: Minimal scenario", "title: 12"), "expected text, or a mapping"),
    ],
)
def test_bad_text_is_reported(replacement: tuple[str, str], message: str) -> None:
    (problem,) = problems_of(variant(replacement))
    assert message in problem.message


def test_enums_and_track_initial() -> None:
    scenario = load_scenario(FIXTURE)
    trust, arsenal = scenario.tracks
    assert trust.scope is Scope.PAIR and trust.initial == 40.0 and isinstance(trust.initial, float)
    assert arsenal.scope is Scope.ACTOR and arsenal.visibility is Visibility.OWNER
    assert arsenal.initial == {"us": 50.0, "ru": 60.0}
    assert all(isinstance(v, float) for v in arsenal.initial.values())
    assert scenario.clock.start == 85.0 and isinstance(scenario.clock.start, float)  # int accepted as float


def test_bad_enum_lists_the_valid_values() -> None:
    text = variant(("scope: pair", "scope: pairs"))
    (problem,) = problems_of(text)
    assert problem.path == "tracks[0].scope"
    assert "global, actor, pair" in problem.message and "did you mean 'pair'" in problem.message
    assert (problem.line, problem.column) == (line_of(text, "scope: pairs"), column_of(text, "pairs"))


@pytest.mark.parametrize(
    "value, message",
    [
        ("[1, 2]", "expected a number or a mapping, got a list"),
        ("{us: x}", "expected a number, got text 'x'"),
        ("true", "got true"),
    ],
)
def test_bad_track_initial(value: str, message: str) -> None:
    (problem,) = problems_of(variant(("initial: 40", f"initial: {value}")))
    assert problem.path.startswith("tracks[0].initial")
    assert message in problem.message


# --------------------------------------------------------------------------- strict types


@pytest.mark.parametrize(
    "replacement, path, message",
    [
        (('version: "1.0"', "version: 1.0"), "version", "expected text, got a number (1.0)"),
        (("id: minimal", "id: [a]"), "id", "expected text, got a list"),
        (("id: minimal", "id: true"), "id", "expected text, got true"),
        (("turns: 4", "turns: 4.5"), "turns", "expected a whole number, got a number (4.5)"),
        (("turns: 4", "turns: true"), "turns", "expected a whole number, got true"),
        (("turns: 4", "turns: '4'"), "turns", "expected a whole number, got text '4'"),
        (("start: 85", "start: false"), "clock.start", "expected a number, got false"),
        (("start: 85", "start: '85'"), "clock.start", "expected a number, got text '85'"),
        (
            ("    cost: 2\n", "    cost: 2\n    secret: yes\n"),
            "moves[0].secret",
            "expected true or false, got text 'yes'",
        ),
        (
            ("    cost: 2\n", "    cost: 2\n    secret: 1\n"),
            "moves[0].secret",
            "expected true or false, got a number",
        ),
        (
            ("    cost: 2\n", "    cost: 2\n    tags: war\n"),
            "moves[0].tags",
            "expected a list, got text 'war'",
        ),
        (
            ("    cost: 2\n", "    cost: 2\n    tags: {a: 1}\n"),
            "moves[0].tags",
            "expected a list, got a mapping",
        ),
        (
            ("    cost: 2\n", "    cost: 2\n    tags: [1]\n"),
            "moves[0].tags[0]",
            "expected text, got a number",
        ),
        (
            ("risk:\n  factors:", "risk: 5\nx:\n  factors:"),
            "risk",
            "expected a mapping (a Risk), got a number",
        ),
        (("cost: 2", "cost: [2]"), "moves[0].cost", "expected an expression"),
        (("cost: 2", "cost: {a: 1}"), "moves[0].cost", "expected an expression"),
    ],
)
def test_wrong_types_are_errors(replacement: tuple[str, str], path: str, message: str) -> None:
    problems = problems_of(variant(replacement))
    matching = [p for p in problems if p.path == path]
    assert matching, problems
    assert message in matching[0].message


def test_expressions_take_text_numbers_and_booleans() -> None:
    scenario = load_scenario_text(
        variant(
            ("cost: 2", "cost: 2.5"),
            ('when: "escalate > 0"', "when: true"),
            ("      value: 10", "      value: 'turn * 2'"),
        )
    )
    assert scenario.moves[0].cost.source == "2.5"
    assert scenario.crisis.rules[0].when.kind == "bool"
    assert scenario.risk.factors[0].value.names == frozenset({"turn"})


def test_bad_expression_points_into_the_expression() -> None:
    text = variant(('change: "risk / 10 - 5"', "change: risk / * 10"))
    (problem,) = problems_of(text)
    assert problem.path == "clock.change"
    assert problem.message.startswith("invalid expression:")
    assert problem.line == line_of(text, "change: risk")
    assert problem.column == column_of(text, "* 10")  # YAML column + expression column


def test_bad_quoted_expression_column_accounts_for_the_quote() -> None:
    text = variant(('change: "risk / 10 - 5"', "change: 'risk / * 10'"))
    (problem,) = problems_of(text)
    assert problem.column == column_of(text, "* 10")


def test_null_expression_where_one_is_required() -> None:
    (problem,) = problems_of(variant(('when: "escalate > 0"', "when:")))
    assert problem.path == "crisis.rules[0].when"
    assert "got nothing" in problem.message


# --------------------------------------------------------------------------- keys and positions


def test_unknown_key_is_positioned_at_the_key_with_a_suggestion() -> None:
    text = variant(("    cost: 2\n", "    cost: 2\n    efects: []\n"))
    (problem,) = problems_of(text, filename="x.yaml")
    assert problem.path == "moves[0].efects"
    assert problem.message == "unknown key 'efects' (did you mean 'effects'?)"
    assert (problem.line, problem.column) == (line_of(text, "efects"), 5)
    assert (
        str(problem)
        == f"x.yaml:{problem.line}:5: moves[0].efects: unknown key 'efects' (did you mean 'effects'?)"
    )


def test_unknown_key_without_a_close_match() -> None:
    (problem,) = problems_of(variant(("turns: 4", "turns: 4\nzzzzqqq: 1")))
    assert problem.message == "unknown key 'zzzzqqq'"


def test_missing_required_key_is_positioned_at_the_mapping() -> None:
    text = variant(("    system: icbm\n", ""))
    (problem,) = problems_of(text)
    assert problem.path == "moves[0]"
    assert problem.message == "missing required key 'system'"
    assert (problem.line, problem.column) == (line_of(text, "- id: test"), column_of(text, "id: test"))


def test_missing_top_level_key() -> None:
    (problem,) = problems_of(variant(("systems:\n  - id: icbm\n    name: ICBMs\n", "")))
    assert problem.message == "missing required key 'systems'"
    assert problem.path == ""
    assert problem.line == line_of(BASE, "id: minimal")


def test_every_problem_is_reported_at_once_sorted_by_line() -> None:
    text = variant(
        ("turns: 4", "turns: four"),
        ("scope: pair", "scope: pairs"),
        ("    cost: 2\n", "    cost: 2\n    efects: []\n"),
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, filename="three.yaml")
    problems = info.value.problems
    assert [p.path for p in problems] == ["turns", "tracks[0].scope", "moves[0].efects"]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert str(info.value) == "\n".join(str(p) for p in problems)
    assert len(str(info.value).splitlines()) == 3
    assert all(str(p).startswith("three.yaml:") for p in problems)
    assert isinstance(info.value, ValueError) and isinstance(info.value, LoadError)


def test_problem_formatting() -> None:
    assert (
        str(Problem("f.yaml", 3, 7, "moves[4].effects[1].track", "bad"))
        == "f.yaml:3:7: moves[4].effects[1].track: bad"
    )
    assert str(Problem("f.yaml", None, None, "", "the file is empty")) == "f.yaml: the file is empty"
    assert str(Problem("f.yaml", 2, None, "a", "two\nlines")) == "f.yaml:2: a: two lines"
    assert format_path(("moves", 4, "effects", 1, "track")) == "moves[4].effects[1].track"
    assert format_path(("tracks", 0, "initial", "us/ru")) == "tracks[0].initial['us/ru']"
    assert format_path(()) == ""


def test_document_positions() -> None:
    document = load_yaml(BASE, filename="m.yaml")
    assert document.filename == "m.yaml"
    assert document.data["actors"][1]["name"]["zh"] == "俄罗斯"
    path = ("moves", 0, "effects", 0, "track")
    assert document.positions[path] == (
        line_of(BASE, "- track: arsenal"),
        column_of(BASE, "arsenal", "- track: arsenal"),
    )
    assert document.key_positions[path] == (
        line_of(BASE, "- track: arsenal"),
        column_of(BASE, "track: arsenal"),
    )
    assert document.positions[()] == (line_of(BASE, "id: minimal"), 1)
    # an unknown path falls back to its nearest written ancestor
    assert document.position((*path[:-1], "nowhere")) == document.positions[path[:-1]]


def test_aliases_expand_with_positions() -> None:
    document = load_yaml("a: &x {k: [1, 2]}\nb: *x\n", filename="a.yaml")
    assert document.data == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}}
    assert document.data["a"] is not document.data["b"]
    assert document.positions[("b",)] == (2, 4)  # where the alias is written
    assert document.positions[("b", "k", 1)] == (1, 15)  # inside the anchored value


# --------------------------------------------------------------------------- scalars


@pytest.mark.parametrize(
    "source, value",
    [
        ("~", None),
        ("null", None),
        ("Null", None),
        ("", None),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("0x1F", 31),
        ("0o17", 15),
        ("007", 7),
        ("1.5", 1.5),
        ("-.5", -0.5),
        ("1e3", 1000.0),
        ("2.", 2.0),
        ("2026-02-05", "2026-02-05"),
        ("2026-02-05T10:00:00Z", "2026-02-05T10:00:00Z"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("12:30", "12:30"),
        ("inf", "inf"),
        ("nan", "nan"),
        ("'12'", "12"),
        ('"true"', "true"),
        ("!!str 12", "12"),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
        ("!!bool 'true'", True),
        ("!!null ''", None),
        ("! 12", "12"),
    ],
)
def test_scalar_resolution(source: str, value: object) -> None:
    data = load_yaml(f"v: {source}\n", filename="s.yaml").data["v"]
    assert data == value and type(data) is type(value)


@pytest.mark.parametrize(
    "source, message",
    [
        (".inf", "numbers must be finite"),
        ("-.Inf", "numbers must be finite"),
        (".NaN", "numbers must be finite"),
        ("1e999", "too large"),
        ("!!int x", "!!int must be a whole number"),
        ("!!bool yes", "!!bool must be"),
        ("!!timestamp 2026-01-01", "tags are not allowed"),
        ("!foo x", "tags are not allowed"),
    ],
)
def test_bad_scalars(source: str, message: str) -> None:
    with pytest.raises(LoadError) as info:
        load_yaml(f"v: {source}\n", filename="s.yaml")
    (problem,) = info.value.problems
    assert message in problem.message
    assert (problem.line, problem.column) == (1, 4)


def test_standard_collection_tags_are_allowed() -> None:
    assert load_yaml("v: !!seq [1]\nw: !!map {a: 1}\n", filename="s").data == {"v": [1], "w": {"a": 1}}


def test_load_yaml_limits_are_parameters() -> None:
    with pytest.raises(LoadError, match="too large"):
        load_yaml("a: 1\n", filename="s", max_bytes=3)
    with pytest.raises(LoadError, match="nested too deeply"):
        load_yaml("a: [[1]]\n", filename="s", max_depth=2)
    with pytest.raises(LoadError, match="too many nodes"):
        load_yaml("a: [1, 2, 3]\n", filename="s", max_nodes=4)
    with pytest.raises(LoadError, match="too long"):
        load_yaml("a: abcdef\n", filename="s", max_scalar=5)
    assert load_yaml("a: [[1]]\n", filename="s", max_depth=3).data == {"a": [[1]]}


# --------------------------------------------------------------------------- semantic checks


def test_check_scenario_problems_are_positioned(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.scenario.checks

    def fake_check(scenario: Scenario) -> list[tuple[tuple, str]]:
        return [
            (("moves", 0, "system"), "unknown system 'icbm'"),
            (("moves", 0, "effects", 0, "track"), "nope"),
        ]

    monkeypatch.setattr(engine.scenario.checks, "check_scenario", fake_check)
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(BASE, filename="c.yaml")
    first, second = info.value.problems
    assert first.path == "moves[0].system" and first.line == line_of(BASE, "system: icbm")
    assert first.column == BASE.splitlines()[first.line - 1].index("icbm") + 1
    assert second.path == "moves[0].effects[0].track" and second.message == "nope"


def test_check_scenario_crash_is_a_problem_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.scenario.checks

    def broken(scenario: Scenario) -> list:
        raise KeyError("boom")

    monkeypatch.setattr(engine.scenario.checks, "check_scenario", broken)
    with pytest.raises(ScenarioError, match="internal error while checking"):
        load_scenario_text(BASE)


# --------------------------------------------------------------------------- the generic converter


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@attrs.frozen
class Inner:
    name: str
    weight: float = 1.0


@attrs.frozen
class Record:
    """A record-like model, to show structure_document works for any attrs class."""

    id: str
    colour: Colour
    items: tuple[Inner, ...] = ()
    table: Mapping[str, int] = attrs.field(factory=dict)
    note: Text | None = None


class RecordError(LoadError):
    pass


def test_structure_document_is_generic() -> None:
    document = load_yaml(
        "id: r\ncolour: red\nitems:\n  - name: a\n    weight: 2\ntable: {x: 1}\nnote: hi\n", filename="r.yaml"
    )
    record = structure_document(document, Record)
    assert record == Record("r", Colour.RED, (Inner("a", 2.0),), {"x": 1}, Text("hi"))

    document = load_yaml("id: 3\ncolour: green\nitems:\n  - nme: a\ntable: {x: y}\n", filename="r.yaml")
    with pytest.raises(RecordError) as info:
        structure_document(document, Record, error=RecordError)
    assert [(p.line, p.path) for p in info.value.problems] == [
        (1, "id"),
        (2, "colour"),
        (4, "items[0]"),
        (4, "items[0].nme"),
        (5, "table.x"),
    ]


# --------------------------------------------------------------------------- built-in scenarios


def test_builtin_scenarios_resolve() -> None:
    ids = builtin_scenario_ids()
    assert ids == sorted(ids)
    for scenario_id in ids:
        path = builtin_scenario_path(scenario_id)
        assert path.is_file() and path.name == f"{scenario_id}.yaml"
        assert resolve_scenario(scenario_id) == path


def test_resolve_scenario_files_and_unknown_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "mine.yaml"
    file.write_text(BASE, encoding="utf-8")
    assert resolve_scenario(str(file)) == file
    with pytest.raises(ScenarioError, match="built-in scenarios"):
        resolve_scenario("no-such-scenario-id")
    with pytest.raises(ScenarioError, match="no such scenario file"):
        resolve_scenario(str(tmp_path / "missing.yaml"))
    with pytest.raises(ScenarioError):
        builtin_scenario_path("../etc/passwd")
    monkeypatch.setattr(loading, "builtin_scenario_ids", lambda: ["new-start", "inf-treaty"])
    with pytest.raises(ScenarioError, match="did you mean 'new-start'"):
        resolve_scenario("new-strat")


def test_load_scenario_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(ScenarioError, match="directory"):
        load_scenario(tmp_path)


def test_content_hash_ignores_crlf() -> None:
    raw = BASE.encode("utf-8")
    digest = scenario_content_hash(raw)
    assert digest.startswith("sha256:") and len(digest) == len("sha256:") + 64
    assert scenario_content_hash(raw.replace(b"\n", b"\r\n")) == digest
    assert scenario_content_hash(raw + b"\n") != digest


# --------------------------------------------------------------------------- JSON Schema


def _objects(schema: dict) -> list[dict]:
    return [d for d in schema["$defs"].values() if d.get("type") == "object"] + [schema]


def test_schema_mirrors_the_models() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for obj in _objects(schema):
        assert obj["additionalProperties"] is False
    assert set(schema["properties"]) == {f.name for f in attrs.fields(Scenario)}
    assert set(schema["required"]) == {f.name for f in attrs.fields(Scenario) if f.default is attrs.NOTHING}
    track = schema["$defs"]["Track"]
    assert set(track["properties"]) == {f.name for f in attrs.fields(Track)}
    assert track["required"] == ["id", "label"]
    assert track["description"].startswith("A named number")
    assert schema["$defs"]["Scope"]["enum"] == ["global", "actor", "pair"]
    assert track["properties"]["scope"]["$ref"] == "#/$defs/Scope"
    assert track["properties"]["scope"]["default"] == "global"
    assert {"type": "null"} in track["properties"]["system"]["anyOf"]
    assert track["properties"]["initial"]["anyOf"][0] == {"type": "number"}
    text = schema["$defs"]["Text"]
    assert text["oneOf"][0] == {"type": "string"}
    assert text["oneOf"][1]["additionalProperties"] == {"type": "string"}
    assert set(schema["$defs"]["Expression"]["type"]) == {"string", "number", "boolean"}
    assert schema["properties"]["actors"] == {"type": "array", "items": {"$ref": "#/$defs/Actor"}}


@pytest.mark.skipif(importlib.util.find_spec("jsonschema") is None, reason="jsonschema is not installed")
def test_schema_validates_the_minimal_scenario() -> None:
    import jsonschema

    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(load_yaml(BASE, filename="m").data)) == []
    bad = load_yaml(
        variant(("scope: pair", "scope: pairs"), ("    cost: 2\n", "    cost: 2\n    efects: []\n")),
        filename="m",
    ).data
    assert len(list(validator.iter_errors(bad))) == 2
    for scenario_id in builtin_scenario_ids():
        data = load_yaml(builtin_scenario_path(scenario_id).read_bytes(), filename=scenario_id).data
        assert list(validator.iter_errors(data)) == [], scenario_id


def test_document_is_plain_data() -> None:
    document = load_yaml(BASE, filename="m")
    assert isinstance(document, Document)

    def walk(value: object) -> None:
        assert type(value) in (dict, list, str, int, float, bool, type(None))
        if isinstance(value, dict):
            assert all(type(k) is str for k in value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(document.data)


def test_every_problem_in_a_mapping_is_reported() -> None:
    text = variant(("initial: {us: 50, ru: 60}", "initial: {us: lots, ru: more}"))
    found = problems_of(text)
    assert [(p.path, p.column) for p in found] == [
        ("tracks[1].initial.us", column_of(text, "lots")),
        ("tracks[1].initial.ru", column_of(text, "more")),
    ], found


def test_a_list_with_too_many_problems_stops_and_says_so() -> None:
    many = ", ".join(["7"] * 260)
    found = problems_of(variant(("actors:\n", f"actors: [{many}]\nignored_actors:\n")))
    messages = [p.message for p in found]
    assert any("too many problems in this list: stopped after 200" in m for m in messages), messages[-3:]


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")
def test_documents_are_parsed_by_libyaml_where_pyyaml_has_it():
    """The C parser is ten times faster than PyYAML's own and most of a scenario's load time: an
    import that silently fell back to the pure-Python parser once made every start-up slower."""
    assert loading._CPARSER is not None
    assert type(next(loading._events("a: 1"))).__name__ == "StreamStartEvent"
    parsed = load_yaml("a: 1\nb: [x, y]\n", filename="t.yaml")
    assert parsed.data == {"a": 1, "b": ["x", "y"]}
