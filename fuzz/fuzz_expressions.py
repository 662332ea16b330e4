#!/usr/bin/env python3
"""Coverage-guided fuzz target (atheris) for the expression parser of scenario formulas.

Drives `engine.scenario.expressions.compile_expression` with the scenario vocabulary
(`engine.scenario.vocabulary.FUNCTIONS`, as `engine.scenario.converter` compiles every formula of a
scenario file), then evaluates what compiled. The contract under test (the package's docstring):
any text only ever fails with an `ExpressionError`, never a traceback, a hang or a RecursionError;
evaluation fails only with an `ExpressionError` too, and returns a value of the compiled `kind`,
never inf or nan.

    uv run --group fuzz python fuzz/fuzz_expressions.py fuzz/corpus/expressions -max_total_time=600

`check_expression(data)` is the whole check, a plain function: tests/test_fuzz_regressions.py runs
every corpus file and every found input through it without atheris.
"""

from __future__ import annotations

import contextlib
import math
import pickle
import sys
from typing import Any

try:
    import atheris
except ImportError:  # the regression test imports check_expression without the `fuzz` group installed
    atheris = None


def _instrumented() -> Any:
    """Instrument the engine for coverage, only when run as the fuzzer."""
    if atheris is not None and __name__ == "__main__":
        return atheris.instrument_imports(include=["engine"])
    return contextlib.nullcontext()


with _instrumented():
    from engine.scenario.expressions import Expression, ExpressionError, compile_expression
    from engine.scenario.vocabulary import FUNCTIONS

# Values every variable takes in turn: ordinary ones, and one that overflows any sum or product.
_VARIABLE_VALUES = (0.0, 1.0, -3.5, 1e308)
_PY_TYPE = {"number": float, "bool": bool, "string": str}


def _stub_functions(value: float) -> dict[str, Any]:
    """Implementations of the vocabulary's functions: a number, or a bool for the bool ones."""
    stubs: dict[str, Any] = {}
    for name, spec in FUNCTIONS.items():
        result: Any = value > 0 if spec.returns == "bool" else value
        stubs[name] = lambda *_args, result=result: result
    return stubs


class _Variables(dict):
    """Every name is a number (the default kind of a variable)."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def __missing__(self, name: str) -> float:
        return self.value


def _check_result(expression: Expression, value: Any) -> None:
    expected = _PY_TYPE.get(expression.kind)
    if expected is not None and type(value) is not expected:
        raise AssertionError(f"{expression.source!r}: kind {expression.kind} but evaluated to {value!r}")
    if type(value) not in (float, bool, str):
        raise AssertionError(f"{expression.source!r}: evaluated to {type(value).__name__} {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise AssertionError(f"{expression.source!r}: evaluated to {value!r}, not a finite number")


def _evaluate(expression: Expression) -> None:
    if not expression.names and not expression.functions:
        try:
            _check_result(expression, expression.evaluate({}))
        except ExpressionError as err:
            str(err)
        return
    for value in _VARIABLE_VALUES:
        try:
            _check_result(expression, expression.evaluate(_Variables(value), _stub_functions(value)))
        except ExpressionError as err:
            str(err)


def _compile(source: str | int | float | bool) -> Expression | None:
    try:
        return compile_expression(source, functions=FUNCTIONS)
    except ExpressionError as err:
        str(err)
        return None


def check_expression(data: bytes) -> None:
    """Compile one input as a formula (and as a number when it reads as one), evaluate; raise on a bug."""
    source = data.decode("utf-8", "surrogateescape")  # any bytes: a str, lone surrogates included
    expression = _compile(source)
    if expression is not None:
        _evaluate(expression)
        # Expressions pickle (a scenario sent to simulation workers): they recompile from their recipe.
        again = pickle.loads(pickle.dumps(expression))
        if (again.source, again.kind, again.names) != (expression.source, expression.kind, expression.names):
            raise AssertionError(f"{source!r}: pickling changed the expression")
        # The engine specializes formulas per actor (RuleMemo.for_self).
        if "is_self" in expression.functions:
            known = {("is_self", ("usa",)): True, ("is_self", ("russia",)): False, ("is_self", ("china",)): False}
            try:
                _evaluate(expression.specialize(known))
            except ExpressionError as err:
                str(err)
    # A plain YAML number or boolean (the scalar path), when the text reads as one.
    stripped = source.strip()
    if stripped in ("true", "false"):
        number: int | float | bool | None = stripped == "true"
    else:
        try:
            number = int(stripped)
        except ValueError:  # not an int, or more digits than Python converts
            try:
                number = float(stripped)
            except ValueError:
                number = None
    if number is not None:
        constant = _compile(number)
        if constant is not None:
            _evaluate(constant)


def TestOneInput(data: bytes) -> None:
    check_expression(data)


def main() -> None:
    if atheris is None:
        sys.exit("atheris is not installed: run with `uv run --group fuzz python fuzz/fuzz_expressions.py ...`")
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
