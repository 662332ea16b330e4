"""Behavioural tests for engine.scenario.expressions, the safe formula language of scenario files."""

from __future__ import annotations

import math
import pickle
import sys
import time
import timeit
from collections.abc import Mapping

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.scenario.expressions import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_SOURCE_LENGTH,
    Expression,
    ExpressionError,
    ExpressionEvalError,
    ExpressionSyntaxError,
    FunctionSpec,
    compile_expression,
)


def ev(source, variables=None, functions=None, specs=None, **kwargs):
    return compile_expression(source, specs, **kwargs).evaluate({} if variables is None else variables, functions)


def syntax_error(source, specs=None, **kwargs) -> ExpressionSyntaxError:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression(source, specs, **kwargs)
    return info.value


def eval_error(source, variables=None, functions=None, specs=None, **kwargs) -> ExpressionEvalError:
    expression = compile_expression(source, specs, **kwargs)
    with pytest.raises(ExpressionEvalError) as info:
        expression.evaluate({} if variables is None else variables, functions)
    return info.value


# --------------------------------------------------------------------------- values and precedence


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("12", 12.0),
        ("3.5", 3.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        ("1 + 2.5", 3.5),
        ("true", True),
        ("False", False),
        ("'hotline'", "hotline"),
        ('"it\\"s"', 'it"s'),
        ("'a\\'b\\\\c'", "a'b\\c"),
        # precedence: * over +, unary minus over *, parentheses over all
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("-2 * 3", -6.0),
        ("-(2 + 3)", -5.0),
        ("2 * -3", -6.0),
        ("- - 3", 3.0),
        ("+3", 3.0),
        ("10 - 2 * 3 + 1", 5.0),
        ("7 % 4 * 2", 6.0),
        ("1 + 6 / 3", 3.0),
        # left associativity of arithmetic chains
        ("10 - 3 - 2", 5.0),
        ("12 / 3 / 2", 2.0),
        ("17 % 10 % 4", 3.0),
        ("2 * 3 % 4", 2.0),
        ("10 - 3 + 2", 9.0),
        # % is floored modulo, as in Python
        ("-7 % 3", 2.0),
        ("7 % -3", -2.0),
        # comparisons bind looser than arithmetic
        ("1 + 1 == 2", True),
        ("2 * 3 > 5", True),
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 >= 4", False),
        ("1 != 1", False),
        ("true == false", False),
        ("'a' == 'a'", True),
        ("'a' != 'b'", True),
        # not binds looser than comparisons, tighter than and/or
        ("not 1 > 2", True),
        ("not true and false", False),
        ("not (true and false)", True),
        ("! false", True),
        ("not not true", True),
        ("true and not false", True),
        # and binds tighter than or
        ("true or true and false", True),
        ("(true or true) and false", False),
        ("false and false or true", True),
        ("true && false || true", True),
        # ternary is lowest and right-associative
        ("true ? 1 : 2", 1.0),
        ("false ? 1 : 2", 2.0),
        ("false ? 1 : true ? 2 : 3", 2.0),
        ("false ? 1 : false ? 2 : 3", 3.0),
        ("true ? false ? 1 : 2 : 3", 2.0),
        ("1 < 2 ? 10 + 1 : 20", 11.0),
        ("false or true ? 1 : 2", 1.0),
        ("1 + (true ? 1 : 2)", 2.0),
        ("  1\n+\t2  ", 3.0),
    ],
)
def test_values_precedence_and_associativity(source, expected):
    result = ev(source)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "variables", "expected"),
    [
        ("x < y ? x : y", {"x": 3, "y": 5}, 3.0),
        ("a ? x : y", {"a": False, "x": 1.5, "y": 2.5}, 2.5),
        ("x * y - y", {"x": 2, "y": 3}, 3.0),
        ("x / y * y", {"x": 1, "y": 3}, 1.0 / 3.0 * 3.0),
    ],
)
def test_variables(source, variables, expected):
    assert ev(source, variables, name_kinds={"a": "bool"}) == expected


def test_dotted_names_are_single_variables():
    expression = compile_expression("tension.self.target * 0.3 + max(0, 50 - survivability.self)")
    assert expression.names == {"tension.self.target", "survivability.self"}
    variables = {"tension.self.target": 10, "survivability.self": 20}
    assert expression.evaluate(variables) == 10 * 0.3 + 30.0


def test_ints_from_variables_and_functions_become_floats():
    specs = {"count": FunctionSpec(0, 0)}
    result = ev("x + count()", {"x": 1}, {"count": lambda: 2}, specs)
    assert result == 3.0 and type(result) is float
    assert type(ev("x", {"x": 7})) is float


def test_lazy_mapping_variables():
    class Lazy(Mapping):
        def __init__(self):
            self.asked = []

        def __getitem__(self, key):
            self.asked.append(key)
            if key.startswith("survivability."):
                return 40
            raise KeyError(key)

        def __iter__(self):
            raise AssertionError("the evaluator must not iterate the mapping")

        def __len__(self):
            raise AssertionError("the evaluator must not measure the mapping")

    lazy = Lazy()
    assert ev("survivability.us + survivability.self", lazy) == 80.0
    assert lazy.asked == ["survivability.us", "survivability.self"]
    error = eval_error("survivability.us + risk", Lazy())
    assert error.message == "unknown name 'risk' at column 20"
    assert error.column == 20


# --------------------------------------------------------------------------- short-circuit and run-time errors


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("false and 1/0 > 0", False),
        ("true or 1/0 > 0", True),
        ("false and missing > 0", False),
        ("true or missing > 0", True),
        ("true ? 1 : 1/0", 1.0),
        ("false ? 1/0 : 2", 2.0),
        ("x > 0 and 1/x > 0", False),
        ("false and false and 1/0 > 0", False),
        ("false or false or true or 1/0 > 0", True),
    ],
)
def test_short_circuit(source, expected):
    assert ev(source, {"x": 0}) == expected


def test_short_circuit_skips_external_calls():
    calls = []
    specs = {"probe": FunctionSpec(0, 0, returns="bool")}
    functions = {"probe": lambda: calls.append(1) or True}
    assert ev("false and probe()", {}, functions, specs) is False
    assert ev("true or probe()", {}, functions, specs) is True
    assert calls == []
    assert ev("true and probe()", {}, functions, specs) is True
    assert calls == [1]


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("1 / 0", 3, "division by zero"),
        ("x / (y - y)", 3, "'(y - y)' is 0"),
        ("x % y", 3, "modulo by zero"),
        ("5 % (y - 2)", 3, "modulo by zero"),
        ("1 + x / 0 + 2", 7, "division by zero"),
        ("1 + 2 + x % 0", 11, "modulo by zero"),
    ],
)
def test_division_by_zero_is_an_evaluation_error(source, column, fragment):
    error = eval_error(source, {"x": 1, "y": 0 if "y - 2" not in source else 2})
    assert fragment in error.message
    assert error.column == column
    assert error.source == source


def test_division_by_zero_does_not_fail_at_compile_time():
    expression = compile_expression("x > 0 ? 1 / x : 1 / 0")
    assert expression.evaluate({"x": 4}) == 0.25
    with pytest.raises(ExpressionEvalError, match="division by zero"):
        expression.evaluate({"x": 0})


def test_overflow_is_an_error_not_inf():
    assert "overflow" in eval_error("x * x", {"x": 1e200}).message
    assert "overflow" in eval_error("1e308 + 1e308 + 0").message
    assert "overflow" in eval_error("x / 1e-300", {"x": 1e300}).message
    assert "overflow" in eval_error("floor(x * 1e300)", {"x": 1e300}).message


def test_unknown_name_at_evaluation():
    error = eval_error("1 + risk", {})
    assert error.message == "unknown name 'risk' at column 5"
    assert error.column == 5
    assert isinstance(error, ExpressionError) and isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "should be a number but is a true/false value"),
        ("high", "should be a number but is a string"),
        (None, "unsupported type 'NoneType'"),
        ([1], "unsupported type 'list'"),
        (math.inf, "not a finite number"),
        (math.nan, "not a finite number"),
        (10**400, "too large"),
    ],
)
def test_bad_variable_values(value, fragment):
    error = eval_error("risk + 1", {"risk": value})
    assert fragment in error.message
    assert error.column == 1


def test_name_kinds():
    kinds = {"flag": "bool", "side": "string", "any": "unknown"}
    assert compile_expression("flag", name_kinds=kinds).kind == "bool"
    assert compile_expression("side", name_kinds=kinds).kind == "string"
    assert compile_expression("any", name_kinds=kinds).kind == "unknown"
    assert ev("flag and side == 'us'", {"flag": True, "side": "us"}, name_kinds=kinds) is True
    assert "is a true/false value" in syntax_error("flag + 1", name_kinds=kinds).message
    assert "should be a true/false value" in eval_error("flag", {"flag": 1.0}, name_kinds=kinds).message
    with pytest.raises(ValueError, match="kind must be one of"):
        compile_expression("x", name_kinds={"x": "integer"})


def test_unknown_kind_is_checked_at_evaluation():
    kinds = {"u": "unknown", "w": "unknown"}
    expression = compile_expression("u + 1", name_kinds=kinds)
    assert expression.kind == "number"
    assert expression.evaluate({"u": 2}) == 3.0
    error = eval_error("u + 1", {"u": True}, name_kinds=kinds)
    assert error.message == "'u' at column 1 evaluated to a true/false value, but '+' needs numbers on both sides"
    assert ev("u == w", {"u": "a", "w": "a"}, name_kinds=kinds) is True
    assert "same type" in eval_error("u == w", {"u": 1, "w": True}, name_kinds=kinds).message
    assert ev("u ? 1 : 2", {"u": False}, name_kinds=kinds) == 2.0
    assert "condition before '?'" in eval_error("u ? 1 : 2", {"u": 0}, name_kinds=kinds).message
    assert compile_expression("u == 1", name_kinds=kinds).kind == "bool"
    assert compile_expression("true ? u : 1", name_kinds=kinds).kind == "number"
    assert compile_expression("x > 0 ? u : w", name_kinds=kinds).kind == "unknown"
    assert ev("x > 0 ? u : w", {"x": 1, "u": "s", "w": 2}, name_kinds=kinds) == "s"


# --------------------------------------------------------------------------- built-in functions


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("min(3)", 3.0),
        ("min(3, 1, 2)", 1.0),
        ("min(-1, -5)", -5.0),
        ("max(3)", 3.0),
        ("max(3, 1, 7, 2)", 7.0),
        ("max(0, 50 - 80)", 0.0),
        ("abs(-2.5)", 2.5),
        ("abs(4)", 4.0),
        ("clamp(5, 0, 10)", 5.0),
        ("clamp(-5, 0, 10)", 0.0),
        ("clamp(15, 0, 10)", 10.0),
        ("clamp(3, 3, 3)", 3.0),
        ("floor(2.7)", 2.0),
        ("floor(-2.2)", -3.0),
        ("ceil(2.2)", 3.0),
        ("ceil(-2.7)", -2.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0),
        ("round(0.5)", 1.0),
        ("round(1.4999)", 1.0),
        ("round(0.49999999999999994)", 0.0),
        ("round(-0.4)", 0.0),
        ("round(7)", 7.0),
        ("sqrt(16)", 4.0),
        ("sqrt(2)", math.sqrt(2)),
        ("sqrt(0)", 0.0),
        ("max(min(5, 3), 1) + abs(-1)", 4.0),
    ],
)
def test_builtins(source, expected):
    result = ev(source)
    assert result == expected
    assert type(result) is float


def test_builtins_with_variables():
    variables = {"x": 2.5, "y": -7}
    assert ev("round(x) + round(y / 2)", variables) == 3.0 + -4.0
    assert ev("clamp(y, -5, x)", variables) == -5.0
    assert ev("max(0, 50 - x)", variables) == 47.5
    assert ev("min(x, y, 0)", variables) == -7.0


def test_builtin_domain_errors():
    error = eval_error("1 + sqrt(x)", {"x": -4})
    assert error.message == "sqrt() of a negative number (-4) at column 5"
    assert error.column == 5
    error = eval_error("clamp(1, hi, lo)", {"hi": 5, "lo": 1})
    assert error.message == "clamp() with lo (5) greater than hi (1) at column 1"


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("min()", "min() at column 1 takes at least 1 argument, but none was given"),
        ("abs(1, 2)", "abs() at column 1 takes exactly 1 argument, but 2 were given"),
        ("clamp(1, 2)", "clamp() at column 1 takes exactly 3 arguments, but 2 were given"),
        ("sqrt()", "takes exactly 1 argument, but none was given"),
        ("floor(true)", "'true' at column 7 is a true/false value, but floor() needs numbers"),
        ("max(1, 'a')", "is a string, but max() needs numbers"),
    ],
)
def test_builtin_arity_and_types_are_checked_at_compile_time(source, fragment):
    assert fragment in syntax_error(source).message


# --------------------------------------------------------------------------- external functions


def test_external_functions():
    specs = {
        "in_force": FunctionSpec(1, 1, returns="bool"),
        "score": FunctionSpec(0, None),
        "pick": FunctionSpec(1, 3),
    }
    functions = {
        "in_force": lambda name: name == "hotline",
        "score": lambda *xs: sum(xs),
        "pick": lambda *xs: xs[-1],
    }
    expression = compile_expression("turn >= 3 and in_force('hotline')", specs)
    assert expression.kind == "bool"
    assert expression.functions == {"in_force"}
    assert expression.names == {"turn"}
    assert expression.evaluate({"turn": 3}, functions) is True
    assert expression.evaluate({"turn": 2}, functions) is False
    assert ev("in_force(\"other\")", {}, functions, specs) is False
    assert ev("score() + score(1, 2, 3)", {}, functions, specs) == 6.0
    assert ev("pick(1, 2 > 1, 'x') == 1 ? 1 : 0", {}, {"pick": lambda *xs: 1.0}, specs) == 1.0
    seen = []
    ev("pick(1, 2 > 1, 'x')", {}, {"pick": lambda *xs: seen.append(xs) or 0}, specs)
    assert seen == [(1.0, True, "x")]
    assert compile_expression("max(1, 2)", specs).functions == frozenset()


def test_external_function_arity():
    specs = {"in_force": FunctionSpec(1, 1, returns="bool"), "pick": FunctionSpec(1, 3)}
    assert "takes exactly 1 argument, but 2 were given" in syntax_error("in_force('a', 'b')", specs).message
    assert "takes 1 to 3 arguments, but 4 were given" in syntax_error("pick(1, 2, 3, 4)", specs).message
    assert "takes 1 to 3 arguments, but none was given" in syntax_error("pick()", specs).message


def test_unknown_function_suggestions():
    error = syntax_error("1 + maxx(1, 2)")
    assert error.message == "unknown function 'maxx' at column 5 (did you mean 'max'?)"
    assert error.column == 5
    specs = {"in_force": FunctionSpec(1, 1, returns="bool")}
    assert "(did you mean 'in_force'?)" in syntax_error("in_forse('hotline')", specs).message
    error = syntax_error("zzz(1)", specs)
    assert "the functions are abs, ceil, clamp, floor, in_force, max, min, round, sqrt" in error.message
    assert "unknown function 'in_force'" in syntax_error("in_force('x')").message  # not registered here


def test_external_function_results_are_checked():
    specs = {"f": FunctionSpec(0, 0), "g": FunctionSpec(0, 0, returns="bool")}
    assert "should return a number but returned a true/false value" in eval_error("f()", {}, {"f": lambda: True}, specs).message
    assert "should return a true/false value but returned a number" in eval_error("g()", {}, {"g": lambda: 1}, specs).message
    assert "not a finite number" in eval_error("f()", {}, {"f": lambda: math.nan}, specs).message
    assert "unsupported type 'NoneType'" in eval_error("f()", {}, {"f": lambda: None}, specs).message
    error = eval_error("1 + f()", {}, None, specs)
    assert error.message == "function 'f' at column 5 was not passed to evaluate()"


def test_external_function_return_kind_is_static():
    specs = {"f": FunctionSpec(0, 0), "g": FunctionSpec(0, 0, returns="bool")}
    assert compile_expression("f()", specs).kind == "number"
    assert compile_expression("g()", specs).kind == "bool"
    assert "true/false" in syntax_error("f() and true", specs).message
    assert "needs numbers" in syntax_error("g() + 1", specs).message


def test_function_spec_validation():
    with pytest.raises(ValueError):
        FunctionSpec(-1, 1)
    with pytest.raises(ValueError):
        FunctionSpec(2, 1)
    with pytest.raises(ValueError):
        FunctionSpec(0, 0, returns="string")
    with pytest.raises(ValueError, match="reserved"):
        compile_expression("1", {"max": FunctionSpec(1, 2)})
    with pytest.raises(ValueError, match="not a valid name"):
        compile_expression("1", {"2x": FunctionSpec(1, 2)})
    with pytest.raises(TypeError):
        compile_expression("1", {"f": (1, 2)})
    assert FunctionSpec(1, None).returns == "number"


# --------------------------------------------------------------------------- compile-time errors


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("1 +", 4, "unexpected end of expression at column 4: expected a number, name or '('"),
        ("1 + )", 5, "unexpected ')' at column 5: expected a number, name or '('"),
        ("(1 + 2", 7, "missing ')' at column 7 to close the '(' of the group at column 1"),
        ("1 + 2)", 6, "unexpected ')' at column 6: there is no '(' for it to close"),
        ("a b", 3, "unexpected name 'b' at column 3: expected an operator or the end of the expression"),
        ("3x + 1", 1, "malformed number '3x' at column 1"),
        ("1.2.3", 1, "malformed number '1.2.3'"),
        ("x + 'abc", 5, "unterminated string starting at column 5"),
        ("a = 1", 3, "unexpected character '=' at column 3: use '==' to compare"),
        ("a & b", 3, "use 'and'"),
        ("2 ** 3", 3, "'**' at column 3 is not supported"),
        ("x @ 2", 3, "unexpected character '@' at column 3"),
        ("a < b < c", 7, "'<' at column 7 cannot be chained after '<': write 'a < b and b < c'"),
        ("a == b != c", 8, "write 'a == b and b != c'"),
        ("1 and true", 1, "'1' at column 1 is a number, but 'and' needs true/false values"),
        ("x + 'a'", 5, "\"'a'\" at column 5 is a string, but '+' needs numbers"),
        ("not 3", 5, "'3' at column 5 is a number, but 'not' needs a true/false value"),
        ("-true", 2, "unary '-' needs a number"),
        ("1 == true", 3, "'==' at column 3 compares a number ('1') with a true/false value ('true')"),
        ("'a' < 'b'", 1, "'<' needs numbers"),
        ("x ? 1 : 2", 1, "the condition before '?' must be true/false"),
        ("x > 1 ? 1 : false", 7, "the branches of the '?' at column 7 have different types"),
        ("x > 1 ? 1", 10, "missing ':' at column 10"),
        ("max(1,)", 7, "unexpected ')' at column 7"),
        ("max(1 2)", 7, "expected an operator, ',' or ')' in the call to max()"),
        ("max(1, 2", 9, "missing ')' at column 9 to close the '(' of max() at column 4"),
        ("maxx(1)", 1, "did you mean 'max'?"),
        ("'a\\n'", 3, "unsupported escape '\\n' at column 3"),
        ("x.and + 1", 1, "contains the keyword 'and'"),
        ("x.", 2, "unexpected character '.' at column 2"),
        ("()", 2, "unexpected ')' at column 2"),
        ("1e999", 1, "too large"),
        ("x\u00a0+ 1", 2, "unexpected character '\\xa0'"),
    ],
)
def test_compile_errors_have_columns_and_helpful_messages(source, column, fragment):
    error = syntax_error(source)
    assert error.column == column
    assert fragment in error.message
    assert str(error) == error.message
    assert "\n" not in str(error)
    assert error.source == source


def test_empty_expression():
    for source in ("", "   ", "\n"):
        error = syntax_error(source)
        assert "empty" in error.message
        assert error.column is None


def test_errors_are_value_errors_with_message_column_source():
    error = syntax_error("1 +")
    assert isinstance(error, ExpressionError)
    assert isinstance(error, ValueError)
    assert (error.message, error.column, error.source) == (str(error), 4, "1 +")
    assert not issubclass(ExpressionSyntaxError, ExpressionEvalError)
    assert not issubclass(ExpressionEvalError, ExpressionSyntaxError)


# --------------------------------------------------------------------------- YAML scalars


@pytest.mark.parametrize(
    ("value", "source", "result", "kind"),
    [
        (5, "5", 5.0, "number"),
        (2.5, "2.5", 2.5, "number"),
        (-3, "-3", -3.0, "number"),
        (True, "True", True, "bool"),
        (False, "False", False, "bool"),
        (10**20, "1e+20", 1e20, "number"),
    ],
)
def test_plain_scalars(value, source, result, kind):
    expression = compile_expression(value)
    assert expression.source == source
    assert expression.kind == kind
    assert expression.names == frozenset() and expression.functions == frozenset()
    evaluated = expression.evaluate({})
    assert evaluated == result and type(evaluated) is type(result)
    assert compile_expression(expression.source).evaluate({}) == result


@pytest.mark.parametrize(
    "value",
    [None, [1, 2], {"a": 1}, b"1", math.inf, -math.inf, math.nan, 10**5000],
    ids=["none", "list", "dict", "bytes", "inf", "-inf", "nan", "huge-int"],
)
def test_bad_scalars_are_syntax_errors(value):
    with pytest.raises(ExpressionSyntaxError):
        compile_expression(value)


# --------------------------------------------------------------------------- limits


def _assert_fast_syntax_error(source: str, fragment: str) -> ExpressionSyntaxError:
    started = time.process_time()  # CPU time: a busy machine does not make it longer
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_expression(source)
    assert time.process_time() - started < 0.5  # refused up front, not after parsing it all
    assert fragment in info.value.message
    return info.value


def test_limit_ten_thousand_open_parentheses():
    _assert_fast_syntax_error("(" * 10_000, f"too long: 10000 characters, the limit is {MAX_SOURCE_LENGTH}")


def test_limit_source_length():
    _assert_fast_syntax_error("1+" * 2_499 + "1", "too long: 4999 characters")
    _assert_fast_syntax_error(" " * 5_000, "too long")
    compile_expression(" " * (MAX_SOURCE_LENGTH - 1) + "1")


def test_limit_two_thousand_term_sum():
    _assert_fast_syntax_error(" + ".join(["1"] * 2_000), "too long")


def test_limit_nodes():
    assert compile_expression("+".join(["x"] * 500)).evaluate({"x": 1}) == 500.0  # 999 nodes
    error = _assert_fast_syntax_error("+".join(["x"] * 501), f"the limit is {MAX_NODES} values and operators")
    assert error.column == 2 * 501 - 1


@pytest.mark.parametrize(
    ("template", "closing"),
    [("(", ")"), ("-", ""), ("not ", ""), ("abs(", ")"), ("true ? 1 : ", "")],
)
def test_limit_depth(template, closing):
    allowed = template * MAX_DEPTH + "1" + closing * MAX_DEPTH
    if template == "not ":
        allowed = template * MAX_DEPTH + "true"
    compile_expression(allowed)
    too_deep = template * (MAX_DEPTH + 1) + ("true" if template == "not " else "1") + closing * (MAX_DEPTH + 1)
    error = _assert_fast_syntax_error(too_deep, f"the limit is {MAX_DEPTH} levels")
    # the column is that of the operator that opens level 65
    assert len(template) * MAX_DEPTH < error.column <= len(template) * (MAX_DEPTH + 1)
    assert f"nested too deeply at column {error.column}:" in error.message


def _nested(template: str, levels: int) -> str:
    source = "x"
    for _ in range(levels):
        source = template.format(source)
    return source


@pytest.mark.parametrize(
    "source",
    [
        # every level goes through all precedence levels; the innermost '?:' is level 64
        _nested("(a or b and c<d+e*{}?1:2)", MAX_DEPTH - 1),
        _nested("(a ? {} : 2)", MAX_DEPTH // 2),  # '?:' and '(' both nest
        # function calls are the deepest construct for the parser
        _nested("max(0, d + e * {})", MAX_DEPTH),
        _nested("-{}", MAX_DEPTH),
    ],
    ids=["precedence", "ternary", "calls", "unary"],
)
def test_deepest_allowed_expression_needs_little_python_stack(source):
    # The worst cases must compile within ~250 Python frames and evaluate within
    # ~450, well below Python's default recursion limit of 1000.
    assert len(source) <= MAX_SOURCE_LENGTH
    kinds = {"a": "bool", "b": "bool"}
    variables = {"x": 1.0, "d": 1.0, "e": 1.0, "c": 1.0, "a": False, "b": True}
    expected = compile_expression(source, name_kinds=kinds).evaluate(variables)
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(len(_frames()) + 250)
        expression = compile_expression(source, name_kinds=kinds)
        sys.setrecursionlimit(len(_frames()) + 450)
        assert expression.evaluate(variables) == expected
    finally:
        sys.setrecursionlimit(limit)
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        compile_expression("(" + source + ")", name_kinds=kinds)


def _frames() -> list:
    frames, frame = [], sys._getframe()
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


def test_long_flat_chains_do_not_recurse_at_evaluation():
    expression = compile_expression(" and ".join(["x > 0"] * 100) + " or " + "+".join(["x"] * 200) + " > 0")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(_frames()) + 40)
    try:
        assert expression.evaluate({"x": 1}) is True
    finally:
        sys.setrecursionlimit(limit)


# --------------------------------------------------------------------------- names, kinds, immutability


def test_names_collection():
    expression = compile_expression(
        "a.b * risk + max(c, d) > 0 and (false ? unused : e) > 0 and f('lit', g)",
        {"f": FunctionSpec(2, 2, returns="bool")},
    )
    assert expression.names == {"a.b", "risk", "c", "d", "unused", "e", "g"}
    assert expression.functions == {"f"}
    assert isinstance(expression.names, frozenset)
    assert compile_expression("1 + 2").names == frozenset()


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("1", "number"),
        ("x * 2", "number"),
        ("x", "number"),
        ("x > 1", "bool"),
        ("not (x > 1)", "bool"),
        ("x > 1 or x < 0", "bool"),
        ("true", "bool"),
        ("x > 0 ? 1 : 2", "number"),
        ("x > 0 ? x > 1 : false", "bool"),
        ("'s'", "string"),
        ("x > 0 ? 'a' : 'b'", "string"),
        ("max(x, 1)", "number"),
    ],
)
def test_static_kind(source, kind):
    assert compile_expression(source).kind == kind


def test_expression_is_immutable_and_picklable():
    expression = compile_expression("x * 2 + f(1) > 3 and flag", {"f": FunctionSpec(1, 1)}, name_kinds={"flag": "bool"})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        expression.source = "1"  # type: ignore[misc]
    assert "fn" not in repr(expression) and "x * 2" in repr(expression)
    copy = pickle.loads(pickle.dumps(expression))
    assert isinstance(copy, Expression)
    assert (copy.source, copy.names, copy.functions, copy.kind) == (
        expression.source,
        expression.names,
        expression.functions,
        expression.kind,
    )
    functions = {"f": lambda x: x}
    for variables in ({"x": 1, "flag": True}, {"x": 0.5, "flag": True}):
        assert copy.evaluate(variables, functions) == expression.evaluate(variables, functions)


def test_errors_are_picklable():
    error = syntax_error("1 +")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.message, copy.column, copy.source) == (ExpressionSyntaxError, error.message, 4, "1 +")


def test_constant_folding_keeps_results():
    assert ev("2 * 3 + x", {"x": 1}) == 7.0
    assert ev("x * (1 / 3)", {"x": 3}) == 3 * (1 / 3)
    assert ev("true ? x : 1/0", {"x": 2}) == 2.0
    assert compile_expression("1 + 2 * 3").kind == "number"


def test_evaluation_speed():
    expression = compile_expression("tension.self.target * 0.3 + max(0, 50 - survivability.self)")
    variables = {"tension.self.target": 40.0, "survivability.self": 30.0}
    runs = 20_000
    # CPU time, not wall-clock time: other processes on a busy machine do not count against it.
    timer = time.process_time
    seconds = min(timeit.repeat(lambda: expression.evaluate(variables), number=runs, repeat=3, timer=timer)) / runs
    assert seconds < 20e-6  # about 1 µs on a laptop; generous for slow CI machines


# --------------------------------------------------------------------------- property tests

_VARIABLES = ("x", "y", "risk.self", "tension.us.target")
_PRECEDENCE = {"?": 1, "or": 2, "and": 3, "not": 4, "cmp": 5, "+": 6, "-": 6, "*": 7, "/": 7, "%": 7, "neg": 8}


@st.composite
def number_trees(draw, depth=4):
    choice = draw(st.integers(0, 5)) if depth > 0 else draw(st.integers(0, 1))
    if choice == 0:
        return ("lit", draw(st.integers(-20, 20)))
    if choice == 1:
        return ("var", draw(st.sampled_from(_VARIABLES)))
    if choice == 2:
        return ("neg", draw(number_trees(depth - 1)))
    if choice == 5:
        return ("?", draw(bool_trees(depth - 1)), draw(number_trees(depth - 1)), draw(number_trees(depth - 1)))
    op = draw(st.sampled_from("+-*/%"))
    return (op, draw(number_trees(depth - 1)), draw(number_trees(depth - 1)))


@st.composite
def bool_trees(draw, depth=3):
    choice = draw(st.integers(0, 4)) if depth > 0 else 0
    if choice == 0:
        return ("bool", draw(st.booleans()))
    if choice == 1:
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
        return ("cmp", op, draw(number_trees(depth - 1)), draw(number_trees(depth - 1)))
    if choice == 2:
        return ("not", draw(bool_trees(depth - 1)))
    if choice == 3:
        return ("?", draw(bool_trees(depth - 1)), draw(bool_trees(depth - 1)), draw(bool_trees(depth - 1)))
    return (draw(st.sampled_from(["and", "or"])), draw(bool_trees(depth - 1)), draw(bool_trees(depth - 1)))


def _precedence(tree) -> int:
    tag = tree[0]
    if tag == "lit":
        return 8 if tree[1] < 0 else 9  # '-3' reads as unary minus applied to 3
    if tag in ("var", "bool"):
        return 9
    return _PRECEDENCE[tag]


def to_source(tree) -> str:
    """Print a tree with only the parentheses that precedence and associativity require."""
    tag = tree[0]

    def wrap(child, needs_parens: bool) -> str:
        text = to_source(child)
        return f"({text})" if needs_parens else text

    if tag == "lit":
        return str(tree[1])
    if tag == "var":
        return tree[1]
    if tag == "bool":
        return "true" if tree[1] else "false"
    if tag == "neg":
        return "-" + wrap(tree[1], _precedence(tree[1]) < 8)
    if tag == "not":
        return "not " + wrap(tree[1], _precedence(tree[1]) < 4)
    if tag == "?":
        return f"{wrap(tree[1], _precedence(tree[1]) <= 1)} ? {to_source(tree[2])} : {to_source(tree[3])}"
    if tag == "cmp":
        return f"{wrap(tree[2], _precedence(tree[2]) <= 5)} {tree[1]} {wrap(tree[3], _precedence(tree[3]) <= 5)}"
    level = _PRECEDENCE[tag]  # left-associative binary operator
    return f"{wrap(tree[1], _precedence(tree[1]) < level)} {tag} {wrap(tree[2], _precedence(tree[2]) <= level)}"


def reference(tree, env):
    """Plain Python on floats; raises ZeroDivisionError like the language's evaluation error."""
    tag = tree[0]
    if tag == "lit":
        return float(tree[1])
    if tag == "var":
        return float(env[tree[1]])
    if tag == "bool":
        return tree[1]
    if tag == "neg":
        return -reference(tree[1], env)
    if tag == "not":
        return not reference(tree[1], env)
    if tag == "?":
        return reference(tree[2], env) if reference(tree[1], env) else reference(tree[3], env)
    if tag == "and":
        return reference(tree[1], env) and reference(tree[2], env)
    if tag == "or":
        return reference(tree[1], env) or reference(tree[2], env)
    if tag == "cmp":
        a, b = reference(tree[2], env), reference(tree[3], env)
        return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[tree[1]]
    a, b = reference(tree[1], env), reference(tree[2], env)
    if tag == "+":
        return a + b
    if tag == "-":
        return a - b
    if tag == "*":
        return a * b
    if tag == "/":
        return a / b
    return a % b


environments = st.fixed_dictionaries({name: st.integers(-5, 5) for name in _VARIABLES})


@settings(max_examples=400, deadline=None)
@given(tree=st.one_of(number_trees(), bool_trees()), env=environments)
def test_property_matches_reference_evaluator(tree, env):
    source = to_source(tree)
    expression = compile_expression(source)
    try:
        expected = reference(tree, env)
    except ZeroDivisionError:
        with pytest.raises(ExpressionEvalError, match="by zero"):
            expression.evaluate(env)
        return
    result = expression.evaluate(env)
    assert result == expected, source
    assert type(result) is type(expected)
    assert expression.kind == ("bool" if isinstance(expected, bool) else "number")


@settings(max_examples=200, deadline=None)
@given(tree=number_trees(), env=environments)
def test_property_deterministic(tree, env):
    source = to_source(tree)
    first, second = compile_expression(source), compile_expression(source)
    reordered = dict(reversed(list(env.items())))
    results = []
    for expression, variables in ((first, env), (first, env), (second, reordered), (pickle.loads(pickle.dumps(first)), env)):
        try:
            results.append(expression.evaluate(variables))
        except ExpressionEvalError as error:
            results.append(("error", error.message, error.column))
    assert all(repr(result) == repr(results[0]) for result in results)


_FUZZ_SPECS = {"f": FunctionSpec(0, 2), "g": FunctionSpec(1, None, returns="bool")}
_FUZZ_KINDS = {"u": "unknown", "flag": "bool", "s": "string"}
_FUZZ_FUNCTIONS = {"f": lambda *xs: 1.5, "g": lambda *xs: bool(xs)}


class _Anything(Mapping):
    """Variables for fuzzing: any name resolves, the dotted ones to odd values."""

    def __init__(self, unknown):
        self.unknown = unknown

    def __getitem__(self, key):
        if key == "missing":
            raise KeyError(key)
        return {"u": self.unknown, "flag": True, "s": "text", "big": 1e300, "zero": 0}.get(key, 2)

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


def _compile_and_run(source: str, unknown) -> None:
    try:
        expression = compile_expression(source, _FUZZ_SPECS, name_kinds=_FUZZ_KINDS)
    except ExpressionSyntaxError as error:
        assert "\n" not in str(error) and str(error)
        assert error.column is None or 1 <= error.column <= len(source) + 1
        return
    try:
        result = expression.evaluate(_Anything(unknown), _FUZZ_FUNCTIONS)
    except ExpressionEvalError as error:
        assert "\n" not in str(error)
        return
    assert type(result) in (float, bool, str)
    assert not isinstance(result, float) or math.isfinite(result)


@settings(max_examples=500, deadline=None)
@given(source=st.text(max_size=120), unknown=st.sampled_from([1, 2.5, True, "x", None]))
def test_property_fuzz_random_text(source, unknown):
    _compile_and_run(source, unknown)


_TOKENS = [
    "1", "0", "2.5", ".5", "1e3", "1e308", "x", "zero", "big", "risk.self", "u", "flag", "s", "missing",
    "'a'", '"b"', "true", "false", "and", "or", "not", "&&", "||", "!", "+", "-", "*", "/", "%",
    "==", "!=", "<", "<=", ">", ">=", "?", ":", "(", ")", ",", "min", "max", "abs", "clamp",
    "sqrt", "round", "f", "g", "maxx", "=", "**", "'", ".",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(
    tokens=st.lists(st.sampled_from(_TOKENS), max_size=30),
    glue=st.sampled_from([" ", ""]),
    unknown=st.sampled_from([1, 2.5, True, "x", None]),
)
def test_property_fuzz_token_soup(tokens, glue, unknown):
    _compile_and_run(glue.join(tokens), unknown)


# -- specialising on known calls ---------------------------------------------------------------

_IS = {"is_self": FunctionSpec(1, 1, returns="bool")}


def test_leading_constants_short_circuit_at_compile_time():
    # 'true or x' never reads x, 'false or x' is x: neither changes what evaluation gives.
    assert ev("true or x > 1") is True
    assert ev("false and x > 1") is False
    assert ev("false or x > 1", {"x": 2.0}) is True
    assert ev("true and x > 1", {"x": 0.0}) is False
    # A constant after a variable part must not hide that part's errors.
    assert "unknown name 'x'" in str(eval_error("x > 1 or true"))


def test_specialize_folds_known_calls_to_constants():
    expression = compile_expression("not is_self('china') or readiness >= 40", _IS)
    for_us = expression.specialize({("is_self", ("china",)): False})
    assert for_us.names == frozenset() and for_us.functions == frozenset()
    assert for_us.evaluate({}) is True
    for_china = expression.specialize({("is_self", ("china",)): True})
    assert for_china.names == {"readiness"}
    assert for_china.evaluate({"readiness": 30.0}) is False
    assert for_china.evaluate({"readiness": 45.0}) is True
    assert for_china.source == expression.source  # errors still quote what the author wrote


def test_specialize_leaves_unknown_calls_to_run_time():
    expression = compile_expression("is_self(who) and x > 1", _IS, name_kinds={"who": "string"})
    expression = expression.specialize({("is_self", ("china",)): True})
    calls = []

    def is_self(actor):
        calls.append(actor)
        return True

    assert expression.evaluate({"who": "us", "x": 2.0}, {"is_self": is_self}) is True
    assert calls == ["us"]


def test_specialized_expressions_pickle():
    expression = compile_expression("is_self('us') ? 2 : x", _IS).specialize({("is_self", ("us",)): False})
    again = pickle.loads(pickle.dumps(expression))
    assert again.evaluate({"x": 7.0}) == 7.0 == expression.evaluate({"x": 7.0})


class _Row(dict):
    """Variables with a row of numbers, as Expression.bind's results read them."""

    def __init__(self, row, names=()):
        super().__init__(names)
        self.row = row


def test_bind_reads_named_positions_from_the_row_and_other_names_by_name():
    expression = compile_expression("is_self('us') ? 0 : x * 2 + y", _IS)
    bound = expression.bind({("is_self", ("us",)): False}, {"x": 1})
    assert bound.evaluate(_Row([5.0, 3.0], {"y": 1.0})) == 7.0  # x from the row, y by name
    assert bound.evaluate(_Row([5.0, 3.0], {"x": 100.0, "y": 1.0})) == 7.0  # never x by name
    assert bound.names == {"x", "y"} and bound.source == expression.source
    with pytest.raises(ExpressionEvalError, match="unknown name 'y'"):
        bound.evaluate(_Row([5.0, 3.0]))
    again = pickle.loads(pickle.dumps(bound))
    assert again.evaluate(_Row([5.0, 4.0], {"y": 0.5})) == 8.5


def test_bound_names_refuse_what_unbound_names_refuse():
    bound = compile_expression("x + 1").bind({}, {"x": 0})
    with pytest.raises(ExpressionEvalError, match="name 'x'"):
        bound.evaluate(_Row([math.inf]))
    assert bound.evaluate(_Row([2])) == 3.0  # an int is converted, as by name


@pytest.mark.parametrize("source", ["x >= 2", "x * 0.5", "0.5 * x", "x - 1", "10 / x", "x == 2"])
@pytest.mark.parametrize("value", [2.0, 2, 0.0, -0.0, math.inf, math.nan, True, "two", 10**400])
def test_an_operator_reading_a_bound_slot_itself_gives_what_the_name_gives(source, value):
    """A comparison or arithmetic with a constant reads a bound slot in its own closure: the same
    value, type and error as the name looked up."""

    def outcome(evaluate):
        try:
            result = evaluate()
            return type(result), repr(result)
        except ExpressionEvalError as error:
            return "error", str(error)

    by_name = outcome(lambda: compile_expression(source).evaluate({"x": value}))
    bound = outcome(lambda: compile_expression(source).bind({}, {"x": 0}).evaluate(_Row([value])))
    assert bound == by_name


def test_compiling_again_the_same_text_for_the_same_self_and_slots_gives_the_one_compiled_expression():
    """Expression.bind remembers what it compiled by text, known calls and slots: two formulas of
    the same text (each its own Expression, as a scenario's effects have them) share one compile."""
    first, second = compile_expression("is_self('us') ? x : 2", _IS), compile_expression("is_self('us') ? x : 2", _IS)
    known = {("is_self", ("us",)): True}
    assert first is not second
    assert first.bind(known, {"x": 0}) is second.bind(known, {"x": 0})
    assert first.bind(known, {"x": 1}) is not first.bind(known, {"x": 0})  # another slot
    assert first.bind(known, {"x": 1}).evaluate(_Row([5.0, 7.0])) == 7.0
    assert first.specialize({("is_self", ("us",)): False}).evaluate({}) == 2.0


def test_known_results_that_are_equal_but_of_another_type_compile_apart():
    """True == 1 == 1.0: a call known to return True folds in a true/false test, one known to
    return 1.0 does not (it returns a true/false value), and neither compile is taken for the other."""
    as_bool = compile_expression("is_self('us') or x > 1", _IS).specialize({("is_self", ("us",)): True})
    as_number = compile_expression("is_self('us') or x > 1", _IS).specialize({("is_self", ("us",)): 1.0})
    assert as_bool.evaluate({}) is True and not as_bool.names
    assert as_number is not as_bool and as_number.names == {"x"}
    assert as_number.evaluate({"x": 0.0}, {"is_self": lambda actor: False}) is False
