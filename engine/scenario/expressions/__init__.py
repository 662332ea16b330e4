"""A small, safe formula language for scenario files.

Scenario files are untrusted YAML written by other people.  Their conditions and
formulas are strings such as::

    tension.self.target * 0.3 + max(0, 50 - survivability.self)
    turn >= 3 and in_force('hotline')

This package compiles such a string once, at load time, into a tree of Python
closures that can then be evaluated cheaply many times.  Nothing here uses
``eval``, ``exec``, ``compile`` or the ``ast`` module: the tokenizer is one
regular expression and the parser a hand-written operator-precedence parser.
The language has no loops, no assignment and no recursion, so every evaluation
terminates.

Grammar (lowest precedence first)::

    expr     := or ( '?' expr ':' expr )?          right-associative ternary
    or       := and ( ('or' | '||') and )*
    and      := not ( ('and' | '&&') not )*
    not      := ('not' | '!') not | compare
    compare  := sum ( ('==' | '!=' | '<' | '<=' | '>' | '>=') sum )?   no chaining
    sum      := product ( ('+' | '-') product )*
    product  := unary ( ('*' | '/' | '%') unary )*
    unary    := ('-' | '+') unary | atom
    atom     := NUMBER | STRING | 'true' | 'false' | NAME | NAME '(' args? ')' | '(' expr ')'
    args     := expr ( ',' expr )*

* Numbers (``12``, ``3.5``, ``.5``, ``1e3``) are always Python floats.
* Strings use single or double quotes; the only escapes are ``\\'``, ``\\"`` and ``\\\\``.
* ``true``/``false`` (also ``True``/``False``) are booleans.
* A NAME is an identifier optionally dotted (``tension.self.target``); the whole
  dotted string is ONE variable, looked up as ``variables["tension.self.target"]``.
* ``and``/``or`` short-circuit and need booleans; arithmetic needs numbers;
  ``<``-style comparisons need numbers; ``==``/``!=`` need both sides of one type.
* ``/`` and ``%`` by zero, and arithmetic overflow, are evaluation errors (never
  inf or nan).  ``%`` is floored modulo, as in Python (the result takes the
  divisor's sign).
* Built-in functions: ``min(a, ...)``, ``max(a, ...)``, ``abs(x)``,
  ``clamp(x, lo, hi)``, ``floor(x)``, ``ceil(x)``, ``round(x)`` (half away from
  zero) and ``sqrt(x)``.  Only basic IEEE operations, so results are
  bit-identical on every machine.  Callers may declare more functions with
  :class:`FunctionSpec`; their implementations are passed to ``evaluate``.

Types are checked at compile time wherever they are known, so ``1 and true`` or
``'a' + 1`` never load; ``Expression.kind`` is the static type of the result
("number", "bool", "string" or "unknown").  A variable is a number unless the caller declares
otherwise through ``name_kinds``; values of kind ``"unknown"`` are checked when
the expression runs.

Untrusted input can never cause a traceback, a hang or a RecursionError: the
source is limited to 2,000 characters, 64 levels of nesting (parentheses,
function calls, unary operators, ``?:``) and 1,000 values and operators.  Every
problem is an :class:`ExpressionError` whose one-line message names the column
(1-based character offset in the source) and says what to fix.

The modules, each with one job: ``errors`` (the error classes), ``values`` (kinds
of value and what comes in from outside), ``tokens`` (the tokenizer), ``nodes``
(compiled nodes and constant folding), ``functions`` (built-in maths and
:class:`FunctionSpec`), ``parser`` (the grammar) with its node builders ``checks``
(static type checks), ``operators`` and ``lookups`` (names and calls), and
``compiler`` (:func:`compile_expression` and :class:`Expression`).
"""

from engine.scenario.expressions.compiler import MAX_SOURCE_LENGTH, Expression, compile_expression
from engine.scenario.expressions.errors import ExpressionError, ExpressionEvalError, ExpressionSyntaxError
from engine.scenario.expressions.functions import FunctionSpec
from engine.scenario.expressions.parser import MAX_DEPTH, MAX_NODES

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_SOURCE_LENGTH",
    "Expression",
    "ExpressionError",
    "ExpressionEvalError",
    "ExpressionSyntaxError",
    "FunctionSpec",
    "compile_expression",
]
