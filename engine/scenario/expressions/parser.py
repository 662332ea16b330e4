"""A small, safe formula language for scenario files.

Scenario files are untrusted YAML written by other people.  Their conditions and
formulas are strings such as::

    tension.self.target * 0.3 + max(0, 50 - survivability.self)
    turn >= 3 and in_force('hotline')

This module compiles such a string once, at load time, into a tree of Python
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
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, cast

import attrs

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

MAX_SOURCE_LENGTH = 2_000
MAX_DEPTH = 64
MAX_NODES = 1_000

NUMBER, BOOL, STRING, UNKNOWN = "number", "bool", "string", "unknown"
_KINDS = frozenset({NUMBER, BOOL, STRING, UNKNOWN})

Value = float | bool | str
# A compiled number's closure, fn(variables, functions) -> float; an error made when it is raised.
_NumberFn = Callable[[Any, Any], float]
_ErrorFn = Callable[[], "ExpressionEvalError"]


# --------------------------------------------------------------------------- errors


class ExpressionError(ValueError):
    """Base of every problem with an expression.

    ``message`` is the full one-line text (it already mentions the column when
    there is one), ``column`` is 1-based or None, ``source`` the expression text.
    """

    def __init__(self, message: str, column: int | None = None, source: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column
        self.source = source

    def __str__(self) -> str:
        return self.message


class ExpressionSyntaxError(ExpressionError):
    """Compile-time problem: syntax, arity, unknown function, static type error or a limit."""


class ExpressionEvalError(ExpressionError):
    """Run-time problem: unknown variable, division by zero, overflow or a type error."""


# --------------------------------------------------------------------------- public data


def _check_arg_count(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not int or value < 0:
        raise ValueError(f"FunctionSpec.{attribute.name} must be an int >= 0, got {value!r}")


def _check_max_args(instance: FunctionSpec, attribute: Any, value: Any) -> None:
    if value is None:
        return
    _check_arg_count(instance, attribute, value)
    if value < instance.min_args:
        raise ValueError(f"FunctionSpec.max_args ({value}) is smaller than min_args ({instance.min_args})")


@attrs.frozen
class FunctionSpec:
    """Declares an external function at compile time; its implementation comes at evaluation."""

    min_args: int = attrs.field(validator=_check_arg_count)
    max_args: int | None = attrs.field(validator=_check_max_args)  # None = any number
    returns: str = attrs.field(default=NUMBER, validator=attrs.validators.in_((NUMBER, BOOL)))


_NO_FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType({})


@attrs.frozen(eq=False)
class Expression:
    """A compiled expression: immutable, deterministic, cheap to evaluate."""

    source: str
    names: frozenset[str]  # every variable name that appears in the source
    functions: frozenset[str]  # external (non built-in) functions that appear in the source
    kind: str  # "number", "bool", "string" or "unknown"
    _fn: Callable[[Any, Any], Value] = attrs.field(repr=False)
    # What compile_expression needs to rebuild this expression (closures cannot be pickled).
    _recipe: tuple[Any, ...] = attrs.field(repr=False)

    def evaluate(
        self,
        variables: Mapping[str, Any],
        functions: Mapping[str, Callable[..., Any]] | None = None,
    ) -> Value:
        """Evaluate with ``variables[name]`` lookups and the external ``functions``."""
        try:
            return self._fn(variables, _NO_FUNCTIONS if functions is None else functions)
        except RecursionError:  # only reachable when the caller is already deep in its own stack
            message = "the expression is nested too deeply to evaluate here"
            raise ExpressionEvalError(message, None, self.source) from None

    def __reduce__(self) -> tuple[Any, ...]:
        return (_recompile, self._recipe)

    def specialize(self, known_calls: Mapping[tuple[str, tuple[Any, ...]], Value]) -> Expression:
        """This expression compiled again knowing what some calls return, and simplified.

        `known_calls` maps (function, constant arguments) to the result, e.g.
        `{("is_self", ("china",)): False}`; constant parts then fold away, so
        `not is_self('china') or x > 1` becomes the constant true. The result is the same value
        for every evaluation where those calls would have returned those results.
        """
        source, specs, name_kinds = self._recipe[:3]
        known = tuple(sorted(known_calls.items(), key=repr))
        parser, node = _parse(source, dict(specs), dict(name_kinds), dict(known))
        recipe = (source, specs, name_kinds, known)
        if node.is_const:  # it reads nothing now: say so, so that callers can treat it as a value
            return Expression(source, frozenset(), frozenset(), node.kind, node.fn, recipe)
        return Expression(
            source, frozenset(parser.names), frozenset(parser.used_functions), node.kind, node.fn, recipe
        )


def _recompile(source: str, specs: tuple, name_kinds: tuple, known_calls: tuple = ()) -> Expression:
    return compile_expression(source, dict(specs), name_kinds=dict(name_kinds), known_calls=dict(known_calls))


# --------------------------------------------------------------------------- values


_ARTICLE = {NUMBER: "a number", BOOL: "a true/false value", STRING: "a string", UNKNOWN: "a value"}
_PY_TYPE = {NUMBER: float, BOOL: bool, STRING: str}


def _kind_of(value: Value) -> str:
    return {float: NUMBER, bool: BOOL, str: STRING}.get(type(value), UNKNOWN)


class _Unusable(Exception):
    """A value from outside (variable or function result) that the language cannot hold."""


def _normalize(value: Any) -> Value:
    """Map an outside value to float, bool or str; ints become floats, inf/nan are refused."""
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return bool(value)
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            raise _Unusable("is a number too large to use") from None
        if not math.isfinite(number):
            raise _Unusable(f"is {number!r}, not a finite number")
        return number
    if isinstance(value, str):
        return str(value)
    raise _Unusable(f"has a value of unsupported type {type(value).__name__!r}")


def _fmt(number: float) -> str:
    """Short display of a number in messages: 4 rather than 4.0."""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


# --------------------------------------------------------------------------- tokenizer


class _Token(NamedTuple):
    type: str  # "number", "string", "bool", "name", "op" or "end"
    text: str  # exactly as written, for messages
    value: Any  # float / str / bool / name / normalised operator ("and" for "&&")
    pos: int  # 0-based offset in the source

    @property
    def col(self) -> int:
        return self.pos + 1

    def describe(self) -> str:
        if self.type == "end":
            return "end of expression"
        if self.type == "string":
            return f"string {_quote(self.text)}"
        if self.type in ("number", "name"):
            return f"{self.type} {self.text!r}"
        return repr(self.text)


# ASCII-only classes: Python's \d, \w and \s would also accept other scripts' digits and spaces.
_SCANNER = re.compile(
    r"""
      (?P<space>[ \t\r\n\f\v]+)
    | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<op>\*\*|==|!=|<=|>=|&&|\|\||[-+*/%<>()!?:,])
    """,
    re.VERBOSE | re.DOTALL,
)
_NUMBER_TAIL = re.compile(r"[A-Za-z0-9_.]+")  # what makes '3x' or '1.2.3' a malformed number

_WORD_TOKENS = {
    "true": ("bool", True),
    "True": ("bool", True),
    "false": ("bool", False),
    "False": ("bool", False),
    "and": ("op", "and"),
    "or": ("op", "or"),
    "not": ("op", "not"),
}
_SYMBOL_ALIASES = {"&&": "and", "||": "or", "!": "not"}
_CHAR_HINTS = {
    "=": "use '==' to compare",
    "&": "use 'and' (or '&&')",
    "|": "use 'or' (or '||')",
    "^": "there is no power operator",
    "[": "only '(' and ')' can group",
    "]": "only '(' and ')' can group",
    "{": "only '(' and ')' can group",
    "}": "only '(' and ')' can group",
    ".": "a name cannot start or end with '.'",
}


def _quote(text: str) -> str:
    """Quote source text for a one-line message (collapse whitespace, shorten)."""
    text = " ".join(text.split())
    if len(text) > 40:
        text = text[:37] + "..."
    return repr(text)


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos, end = 0, len(source)
    while pos < end:
        match = _SCANNER.match(source, pos)
        if match is None:
            raise _bad_character(source, pos)
        kind, text = match.lastgroup, match.group()
        if kind == "number":
            tokens.append(_number_token(source, text, pos, match.end()))
        elif kind == "name":
            tokens.append(_name_token(source, text, pos))
        elif kind == "string":
            tokens.append(_Token("string", text, _unescape(source, text, pos), pos))
        elif kind == "op":
            if text == "**":
                raise ExpressionSyntaxError(
                    f"'**' at column {pos + 1} is not supported: there is no power operator", pos + 1, source
                )
            tokens.append(_Token("op", text, _SYMBOL_ALIASES.get(text, text), pos))
        pos = match.end()
    tokens.append(_Token("end", "", None, end))
    return tokens


def _bad_character(source: str, pos: int) -> ExpressionSyntaxError:
    char = source[pos]
    if char in "'\"":
        message = f"unterminated string starting at column {pos + 1}: add the closing {char}"
    else:
        hint = _CHAR_HINTS.get(char, "it is not part of the formula language")
        message = f"unexpected character {char!r} at column {pos + 1}: {hint}"
    return ExpressionSyntaxError(message, pos + 1, source)


def _number_token(source: str, text: str, pos: int, end: int) -> _Token:
    tail = _NUMBER_TAIL.match(source, end)
    if tail is not None:
        bad = source[pos : tail.end()]
        message = f"malformed number {_quote(bad)} at column {pos + 1}: write numbers like 12, 3.5, .5 or 1e3"
        raise ExpressionSyntaxError(message, pos + 1, source)
    value = float(text)
    if not math.isfinite(value):
        raise ExpressionSyntaxError(f"number {_quote(text)} at column {pos + 1} is too large", pos + 1, source)
    return _Token("number", text, value, pos)


def _name_token(source: str, text: str, pos: int) -> _Token:
    if text in _WORD_TOKENS:
        kind, value = _WORD_TOKENS[text]
        return _Token(kind, text, value, pos)
    for part in text.split("."):
        if part in _WORD_TOKENS:
            raise ExpressionSyntaxError(
                f"name {text!r} at column {pos + 1} contains the keyword {part!r}: rename it", pos + 1, source
            )
    return _Token("name", text, text, pos)


def _unescape(source: str, text: str, pos: int) -> str:
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            escaped = body[i + 1]  # the scanner guarantees a character after every backslash
            if escaped not in "'\"\\":
                col = pos + 2 + i
                raise ExpressionSyntaxError(
                    f"unsupported escape '\\{repr(escaped)[1:-1]}' at column {col}: "
                    "only \\', \\\" and \\\\ are allowed in strings",
                    col,
                    source,
                )
            out.append(escaped)
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- compiled nodes


_NOT_CONSTANT = object()


class _Node:
    """A compiled sub-expression: its static kind, its closure and its span in the source."""

    __slots__ = ("kind", "fn", "start", "end", "const")

    def __init__(self, kind: str, fn: Callable[[Any, Any], Value], start: int, end: int, const: Any = _NOT_CONSTANT):
        self.kind = kind
        self.fn = fn  # fn(variables, functions) -> value
        self.start = start  # 0-based offset of the first character
        self.end = end  # 0-based offset after the last character
        self.const = const  # the value when known at compile time

    @property
    def col(self) -> int:
        return self.start + 1

    @property
    def is_const(self) -> bool:
        return self.const is not _NOT_CONSTANT


def _constant(value: Value, start: int, end: int) -> _Node:
    def fn(v: Any, f: Any) -> Value:
        return value

    return _Node(_kind_of(value), fn, start, end, value)


def _fold(node: _Node, children: list[_Node]) -> _Node:
    """Replace a pure node whose inputs are all constants by its value.

    A failure (say '1/0') is left for evaluation time, so that 'false and 1/0 > 0'
    still works and errors keep their evaluation-time type.
    """
    if not all(child.is_const for child in children):
        return node
    try:
        value = node.fn(MappingProxyType({}), _NO_FUNCTIONS)
    except ExpressionEvalError:
        return node
    return _constant(value, node.start, node.end)


_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": operator.mod}
_COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class _Domain(Exception):
    """Raised by built-in functions for an argument outside their domain."""


def _round_half_away(x: float) -> float:
    if x < 0.0:
        return -_round_half_away(-x)
    whole = math.floor(x)
    # x - whole is exact for floats, unlike x + 0.5 (0.49999999999999994 + 0.5 == 1.0).
    return float(whole + 1) if x - whole >= 0.5 else float(whole)


def _sqrt(x: float) -> float:
    if x < 0.0:
        raise _Domain(f"sqrt() of a negative number ({_fmt(x)})")
    return math.sqrt(x)


def _clamp(x: float, lo: float, hi: float) -> float:
    if lo > hi:
        raise _Domain(f"clamp() with lo ({_fmt(lo)}) greater than hi ({_fmt(hi)})")
    return lo if x < lo else hi if x > hi else x


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    # Python's min/max want two or more arguments; min(x) in a formula is just x.
    return lambda *xs: xs[0] if len(xs) == 1 else pick(xs)


# name -> (min_args, max_args, implementation over floats)
_BUILTINS: dict[str, tuple[int, int | None, Callable[..., float]]] = {
    "min": (1, None, _extreme(min)),
    "max": (1, None, _extreme(max)),
    "abs": (1, 1, abs),
    "clamp": (3, 3, _clamp),
    "floor": (1, 1, lambda x: float(math.floor(x))),
    "ceil": (1, 1, lambda x: float(math.ceil(x))),
    "round": (1, 1, _round_half_away),
    "sqrt": (1, 1, _sqrt),
}

# Binding powers for the parser: higher binds tighter; 0 ends an expression.
_TERNARY, _OR, _AND, _NOT, _COMPARISON, _SUM, _PRODUCT, _UNARY = range(1, 9)
_INFIX = {
    "?": _TERNARY,
    "or": _OR,
    "and": _AND,
    **dict.fromkeys(_COMPARE, _COMPARISON),
    "+": _SUM,
    "-": _SUM,
    "*": _PRODUCT,
    "/": _PRODUCT,
    "%": _PRODUCT,
}


# --------------------------------------------------------------------------- parser


class _Open:
    """An operator on the parser's stack, waiting for its last operand.

    A prefix operator has ``operands`` None; an infix one holds the chain so
    far, e.g. tokens ['+', '-'] and operands [a, b] for 'a + b - ...'.
    """

    __slots__ = ("power", "tokens", "operands")

    def __init__(self, power: int, token: _Token, operands: list[_Node] | None):
        self.power = power
        self.tokens = [token]
        self.operands = operands



class _Parser:
    """Operator-precedence parser that builds the closures directly while it parses.

    Recursion only happens for parentheses, calls and '?:', whose nesting is
    counted (with unary operators) and capped at MAX_DEPTH, far below Python's
    own recursion limit.  Chains like 'a + b - c' become one n-ary node, so that
    evaluation does not recurse along them either.
    """

    def __init__(
        self,
        source: str,
        specs: Mapping[str, FunctionSpec],
        name_kinds: Mapping[str, str],
        known_calls: Mapping[tuple[str, tuple[Any, ...]], Value] | None = None,
    ):
        self.source = source
        self.specs = specs
        self.name_kinds = name_kinds
        self.known_calls = known_calls or {}
        self.tokens = _tokenize(source)
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.names: set[str] = set()
        self.used_functions: set[str] = set()

    # -- helpers

    def error(self, message: str, col: int | None) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(message, col, self.source)

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def is_op(self, token: _Token, *ops: str) -> bool:
        return token.type == "op" and token.value in ops

    def unexpected(self, token: _Token, expected: str) -> ExpressionSyntaxError:
        return self.error(f"unexpected {token.describe()} at column {token.col}: expected {expected}", token.col)

    def expect_close(self, opener: _Token, what: str) -> _Token:
        token = self.advance()
        if self.is_op(token, ")"):
            return token
        if token.type == "end":
            raise self.error(
                f"missing ')' at column {token.col} to close the '(' of {what} at column {opener.col}", token.col
            )
        raise self.unexpected(token, f"an operator or ')' to close the '(' at column {opener.col}")

    def count(self, token: _Token) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(
                f"the expression is too large at column {token.col}: the limit is {MAX_NODES} values and "
                "operators; split it into smaller formulas",
                token.col,
            )

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                f"the expression is nested too deeply at column {token.col}: the limit is {MAX_DEPTH} levels of "
                "parentheses, function calls, unary operators and '?:'",
                token.col,
            )

    def text(self, node: _Node) -> str:
        return _quote(self.source[node.start : node.end])

    # -- grammar

    def parse(self) -> _Node:
        if self.peek().type == "end":
            raise self.error("the expression is empty: write a number, a name or a formula", None)
        node = self.expression()
        token = self.peek()
        if self.is_op(token, ")"):
            raise self.error(f"unexpected ')' at column {token.col}: there is no '(' for it to close", token.col)
        if token.type != "end":
            raise self.unexpected(token, "an operator or the end of the expression")
        return node

    def expression(self) -> _Node:
        """Parse one nesting level, up to a token that cannot continue it (')', ',', ':' or the end).

        Operator precedence is resolved with an explicit stack of open operators
        (shunting-yard) rather than one recursive call per precedence level, so
        only parentheses, calls and '?:' recurse: three Python frames per
        nesting level at most.
        """
        stack: list[_Open] = []
        while True:
            token = self.peek()
            while self.is_op(token, "-", "+", "not"):  # prefix operators wait on the stack
                self.advance()
                self.count(token)
                self.enter(token)
                stack.append(_Open(_NOT if token.value == "not" else _UNARY, token, None))
                token = self.peek()
            node = self.atom()
            token = self.peek()
            power = _INFIX.get(token.value, 0) if token.type == "op" else 0
            # Close every open operator that binds tighter than the one coming (0: the end).
            while stack and stack[-1].power > power:
                node = self.close(stack.pop(), node)
            if power == 0:
                return node
            if power == _TERNARY:  # lowest precedence, so the stack is empty here
                return self.ternary(node)
            self.advance()
            self.count(token)
            top = stack[-1] if stack else None
            if top is not None and top.power == power:  # 'a + b - c': one flat chain, left to right
                if power == _COMPARISON:
                    first = top.tokens[0]
                    raise self.error(
                        f"{token.text!r} at column {token.col} cannot be chained after {first.text!r}: "
                        f"write 'a {first.text} b and b {token.text} c'",
                        token.col,
                    )
                assert top.operands is not None  # an infix operator: prefix ones bind tighter than any
                top.tokens.append(token)
                top.operands.append(node)
            else:
                stack.append(_Open(power, token, [node]))

    def close(self, open_op: _Open, node: _Node) -> _Node:
        """Build the node for an operator whose last operand has just been parsed."""
        if open_op.operands is None:  # a prefix operator
            self.depth -= 1
            return self.unary(open_op.tokens[0], node)
        operands = [*open_op.operands, node]
        if open_op.power == _COMPARISON:
            return self.compare(open_op.tokens[0], *operands)
        if open_op.power in (_AND, _OR):
            return self.logic(open_op.tokens[0], operands)
        return self.arithmetic(open_op.tokens, operands)

    def atom(self) -> _Node:
        token = self.advance()
        if token.type in ("number", "string", "bool"):
            self.count(token)
            return _constant(token.value, token.pos, token.pos + len(token.text))
        if token.type == "name":
            if self.is_op(self.peek(), "("):
                return self.call(token)
            self.count(token)
            return self.name(token)
        if self.is_op(token, "("):
            self.enter(token)
            node = self.expression()
            close = self.expect_close(token, "the group")
            self.depth -= 1
            node.start, node.end = token.pos, close.pos + 1  # so messages quote '(a + b)' whole
            return node
        raise self.unexpected(token, "a number, name or '('")

    def ternary(self, condition: _Node) -> _Node:
        question = self.advance()
        self.count(question)
        self.enter(question)
        then = self.expression()
        colon = self.advance()
        if not self.is_op(colon, ":"):
            if colon.type == "end":
                raise self.error(
                    f"missing ':' at column {colon.col}: the '?' at column {question.col} needs "
                    "'condition ? value_if_true : value_if_false'",
                    colon.col,
                )
            raise self.unexpected(colon, f"an operator or ':' (for the '?' at column {question.col})")
        otherwise = self.expression()  # runs to the end of this level: 'a ? b : c ? d : e' nests right
        self.depth -= 1
        return self.choose(question, condition, then, otherwise)

    def call(self, name: _Token) -> _Node:
        opener = self.advance()
        self.count(name)
        self.enter(opener)
        args: list[_Node] = []
        if self.is_op(self.peek(), ")"):
            close = self.advance()
        else:
            while True:
                args.append(self.expression())
                token = self.peek()
                if self.is_op(token, ","):
                    self.advance()
                    continue
                if self.is_op(token, ")") or token.type == "end":
                    close = self.expect_close(opener, f"{name.text}()")
                    break
                raise self.unexpected(token, f"an operator, ',' or ')' in the call to {name.text}()")
        self.depth -= 1
        return self.function(name, args, close.pos + 1)

    # -- node builders: static type checks, then a closure

    def need(self, node: _Node, kind: str, needs: str) -> _Node:
        """Check that node has the kind; values of unknown kind get a run-time check."""
        if node.kind == kind:
            return node
        if node.kind != UNKNOWN:
            raise self.error(f"{self.text(node)} at column {node.col} is {_ARTICLE[node.kind]}, but {needs}", node.col)
        inner, python_type, col, source, text = node.fn, _PY_TYPE[kind], node.col, self.source, self.text(node)

        def checked(v: Any, f: Any) -> Value:
            value = inner(v, f)
            if type(value) is python_type:
                return value
            raise ExpressionEvalError(
                f"{text} at column {col} evaluated to {_ARTICLE[_kind_of(value)]}, but {needs}", col, source
            )

        return _Node(kind, checked, node.start, node.end)

    def name(self, token: _Token) -> _Node:
        name, col, source = token.value, token.col, self.source
        kind = self.name_kinds.get(name, NUMBER)
        self.names.add(name)
        python_type = _PY_TYPE.get(kind)

        def slow(value: Any) -> Value:
            # Anything but the exact expected type: convert ints, refuse the rest with a clear message.
            try:
                value = _normalize(value)
            except _Unusable as problem:
                raise ExpressionEvalError(f"name {name!r} at column {col} {problem}", col, source) from None
            if python_type is None or type(value) is python_type:
                return value
            raise ExpressionEvalError(
                f"name {name!r} at column {col} should be {_ARTICLE[kind]} but is {_ARTICLE[_kind_of(value)]}",
                col,
                source,
            )

        if kind == NUMBER:

            def lookup(v: Any, f: Any) -> Value:
                try:
                    value = v[name]
                except KeyError:
                    raise ExpressionEvalError(f"unknown name {name!r} at column {col}", col, source) from None
                # Fast path: a finite float (x - x is 0.0 only for finite x).
                if type(value) is float and not value - value:
                    return value
                return slow(value)

        else:

            def lookup(v: Any, f: Any) -> Value:
                try:
                    value = v[name]
                except KeyError:
                    raise ExpressionEvalError(f"unknown name {name!r} at column {col}", col, source) from None
                return slow(value)

        return _Node(kind, lookup, token.pos, token.pos + len(token.text))

    def unary(self, op: _Token, operand: _Node) -> _Node:
        if op.value == "not":
            operand = self.need(operand, BOOL, f"{op.text!r} needs a true/false value")
            inner = operand.fn
            node = _Node(BOOL, lambda v, f: not inner(v, f), op.pos, operand.end)
        else:
            operand = self.need(operand, NUMBER, f"unary {op.text!r} needs a number")
            number = cast(_NumberFn, operand.fn)  # need() made sure of it
            if op.value == "-":
                node = _Node(NUMBER, lambda v, f: -number(v, f), op.pos, operand.end)
            else:
                node = _Node(NUMBER, number, op.pos, operand.end)
        return _fold(node, [operand])

    def logic(self, op: _Token, operands: list[_Node]) -> _Node:
        needs = f"{op.value!r} needs true/false values on both sides"
        parts = [self.need(node, BOOL, needs) for node in operands]
        # Constants at the front short-circuit as they would at run time: 'true or x' is true
        # and 'false or x' is x (only leading ones: 'x or true' must still evaluate x).
        is_and = op.value == "and"
        while len(parts) > 1 and parts[0].is_const:
            if parts[0].const is not is_and:  # 'false and ...' or 'true or ...'
                return _Node(BOOL, parts[0].fn, parts[0].start, parts[-1].end, parts[0].const)
            parts = parts[1:]
        if len(parts) == 1:
            return parts[0]
        fns = tuple(part.fn for part in parts)
        if len(fns) == 2:
            a, b = fns
            fn = (lambda v, f: a(v, f) and b(v, f)) if is_and else (lambda v, f: a(v, f) or b(v, f))
        elif is_and:

            def fn(v: Any, f: Any) -> bool:
                for part in fns:
                    if not part(v, f):
                        return False
                return True

        else:

            def fn(v: Any, f: Any) -> bool:
                for part in fns:
                    if part(v, f):
                        return True
                return False

        return _fold(_Node(BOOL, fn, parts[0].start, parts[-1].end), parts)

    def arithmetic(self, ops: list[_Token], operands: list[_Node]) -> _Node:
        parts = [self.need(operands[0], NUMBER, f"{ops[0].text!r} needs numbers on both sides")]
        parts += [
            self.need(node, NUMBER, f"{op.text!r} needs numbers on both sides")
            for op, node in zip(ops, operands[1:], strict=True)
        ]
        if len(parts) == 2:
            fn = self.binary_arithmetic(ops[0], parts[0], parts[1])
        else:
            fn = self.chained_arithmetic(ops, parts)
        return _fold(_Node(NUMBER, fn, parts[0].start, parts[-1].end), parts)

    def _runtime_errors(self, op: _Token, divisor: _Node) -> tuple[_ErrorFn, _ErrorFn]:
        source, col = self.source, op.col
        what = "division" if op.value == "/" else "modulo"
        zero_message = f"{what} by zero at column {col}: {self.text(divisor)} is 0"
        overflow_message = f"arithmetic overflow at column {col}: the result of {op.text!r} is too large"
        return (
            lambda: ExpressionEvalError(zero_message, col, source),
            lambda: ExpressionEvalError(overflow_message, col, source),
        )

    def binary_arithmetic(self, op: _Token, a: _Node, b: _Node) -> Callable[[Any, Any], float]:
        """Two operands: the common case, with constants inlined ('x * 0.3', '50 - x')."""
        zero, overflow = self._runtime_errors(op, b)
        apply, af, bf = _ARITH[op.value], a.fn, b.fn
        # In the closures below 'if r - r' is true only for inf or nan, i.e. after overflow.
        if b.is_const and b.const != 0.0:
            c = b.const

            def fn(v: Any, f: Any) -> float:
                r = apply(af(v, f), c)
                if r - r:
                    raise overflow()
                return r

        elif op.value in "/%":

            def fn(v: Any, f: Any) -> float:
                x, y = af(v, f), bf(v, f)
                if y == 0.0:
                    raise zero()
                r = apply(x, y)
                if r - r:
                    raise overflow()
                return r

        elif a.is_const:
            c = a.const

            def fn(v: Any, f: Any) -> float:
                r = apply(c, bf(v, f))
                if r - r:
                    raise overflow()
                return r

        else:

            def fn(v: Any, f: Any) -> float:
                r = apply(af(v, f), bf(v, f))
                if r - r:
                    raise overflow()
                return r

        return fn

    def chained_arithmetic(self, ops: list[_Token], parts: list[_Node]) -> Callable[[Any, Any], float]:
        # arithmetic() made sure that every part is a number.
        first = cast(_NumberFn, parts[0].fn)
        steps: tuple[tuple[Callable[[float, float], float], _NumberFn, bool, _ErrorFn, _ErrorFn], ...] = tuple(
            (_ARITH[op.value], cast(_NumberFn, node.fn), op.value in "/%", *self._runtime_errors(op, node))
            for op, node in zip(ops, parts[1:], strict=True)
        )

        def fn(v: Any, f: Any) -> float:
            r = first(v, f)
            for apply, operand, divides, zero, overflow in steps:
                y = operand(v, f)
                if divides and y == 0.0:
                    raise zero()
                r = apply(r, y)
                if r - r:
                    raise overflow()
            return r

        return fn

    def compare(self, op: _Token, a: _Node, b: _Node) -> _Node:
        symbol = op.value
        if symbol in ("==", "!="):
            a, b = self.same_kind(op, a, b)
        else:
            needs = f"{op.text!r} needs numbers on both sides"
            a, b = self.need(a, NUMBER, needs), self.need(b, NUMBER, needs)
        test, af, bf = _COMPARE[symbol], a.fn, b.fn
        if b.is_const:
            c = b.const
            fn = lambda v, f: test(af(v, f), c)  # noqa: E731
        elif a.kind == UNKNOWN:  # == between two values of unknown kind: check at run time
            col, source, a_text, b_text = op.col, self.source, self.text(a), self.text(b)

            def fn(v: Any, f: Any) -> bool:
                x, y = af(v, f), bf(v, f)
                if type(x) is not type(y):
                    raise ExpressionEvalError(
                        f"{op.text!r} at column {col} compares {_ARTICLE[_kind_of(x)]} ({a_text}) with "
                        f"{_ARTICLE[_kind_of(y)]} ({b_text}): both sides must have the same type",
                        col,
                        source,
                    )
                return test(x, y)

        else:
            fn = lambda v, f: test(af(v, f), bf(v, f))  # noqa: E731
        return _fold(_Node(BOOL, fn, a.start, b.end), [a, b])

    def same_kind(self, op: _Token, a: _Node, b: _Node) -> tuple[_Node, _Node]:
        needs = f"{op.text!r} needs both sides to have the same type"
        if a.kind == UNKNOWN and b.kind != UNKNOWN:
            return self.need(a, b.kind, needs), b
        if b.kind == UNKNOWN and a.kind != UNKNOWN:
            return a, self.need(b, a.kind, needs)
        if a.kind != b.kind:
            raise self.error(
                f"{op.text!r} at column {op.col} compares {_ARTICLE[a.kind]} ({self.text(a)}) with "
                f"{_ARTICLE[b.kind]} ({self.text(b)}): both sides must have the same type",
                op.col,
            )
        return a, b

    def choose(self, question: _Token, condition: _Node, then: _Node, otherwise: _Node) -> _Node:
        condition = self.need(condition, BOOL, "the condition before '?' must be true/false")
        kind = then.kind
        if then.kind != otherwise.kind:
            if then.kind == UNKNOWN:
                kind, then = otherwise.kind, self.need(then, otherwise.kind, "both branches of '?:' must have one type")
            elif otherwise.kind == UNKNOWN:
                otherwise = self.need(otherwise, then.kind, "both branches of '?:' must have one type")
            else:
                raise self.error(
                    f"the branches of the '?' at column {question.col} have different types: {self.text(then)} "
                    f"is {_ARTICLE[then.kind]} but {self.text(otherwise)} is {_ARTICLE[otherwise.kind]}",
                    question.col,
                )
        if condition.is_const:  # 'true ? a : b' is just a
            chosen = then if condition.const else otherwise
            return _Node(kind, chosen.fn, condition.start, otherwise.end, chosen.const)
        cf, tf, of = condition.fn, then.fn, otherwise.fn
        return _Node(kind, lambda v, f: tf(v, f) if cf(v, f) else of(v, f), condition.start, otherwise.end)

    def function(self, name: _Token, args: list[_Node], end: int) -> _Node:
        fname = name.value
        if fname in _BUILTINS:
            low, high, impl = _BUILTINS[fname]
            self.check_arity(name, low, high, len(args))
            args = [self.need(arg, NUMBER, f"{fname}() needs numbers") for arg in args]
            node = _Node(NUMBER, self.builtin_call(name, impl, args), name.pos, end)
            return _fold(node, args)
        spec = self.specs.get(fname)
        if spec is None:
            raise self.unknown_function(name)
        self.check_arity(name, spec.min_args, spec.max_args, len(args))
        self.used_functions.add(fname)
        if self.known_calls and all(arg.is_const for arg in args):
            known = self.known_calls.get((fname, tuple(arg.const for arg in args)), _NOT_CONSTANT)
            if known is not _NOT_CONSTANT and type(known) is _PY_TYPE[spec.returns]:
                return _constant(cast(Value, known), name.pos, end)
        return _Node(spec.returns, self.external_call(name, spec.returns, args), name.pos, end)

    def check_arity(self, name: _Token, low: int, high: int | None, given: int) -> None:
        if low <= given and (high is None or given <= high):
            return
        if high is None:
            wanted = f"at least {low} argument{'s' if low != 1 else ''}"
        elif low == high:
            wanted = f"exactly {low} argument{'s' if low != 1 else ''}"
        else:
            wanted = f"{low} to {high} arguments"
        given_text = {0: "none was", 1: "1 was"}.get(given, f"{given} were")
        raise self.error(f"{name.text}() at column {name.col} takes {wanted}, but {given_text} given", name.col)

    def unknown_function(self, name: _Token) -> ExpressionSyntaxError:
        known = sorted({*_BUILTINS, *self.specs})
        close = difflib.get_close_matches(name.value, known, n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
        else:
            hint = f": the functions are {', '.join(known)}"
        return self.error(f"unknown function {name.value!r} at column {name.col}{hint}", name.col)

    def builtin_call(self, name: _Token, impl: Callable[..., float], args: list[_Node]) -> Callable[[Any, Any], float]:
        col, source = name.col, self.source
        fns = tuple(arg.fn for arg in args)
        a = fns[0]
        if len(fns) == 1:

            def call(v: Any, f: Any) -> float:
                try:
                    return impl(a(v, f))
                except _Domain as problem:
                    raise ExpressionEvalError(f"{problem} at column {col}", col, source) from None

        elif len(fns) == 2 and args[0].is_const:  # 'max(0, x)': the usual floor/ceiling idiom
            c, b = args[0].const, fns[1]
            call = lambda v, f: impl(c, b(v, f))  # noqa: E731  (min and max cannot fail)
        else:

            def call(v: Any, f: Any) -> float:
                try:
                    return impl(*[fn(v, f) for fn in fns])
                except _Domain as problem:
                    raise ExpressionEvalError(f"{problem} at column {col}", col, source) from None

        return call

    def external_call(self, name: _Token, returns: str, args: list[_Node]) -> Callable[[Any, Any], Value]:
        fname, col, source = name.value, name.col, self.source
        fns = tuple(arg.fn for arg in args)
        # What _PY_TYPE gives: FunctionSpec lets a function return a number or a true/false value only.
        python_type: type[float] | type[bool] = float if returns == NUMBER else bool

        def call(v: Any, f: Any) -> Value:
            try:
                impl = f[fname]
            except KeyError:
                raise ExpressionEvalError(
                    f"function {fname!r} at column {col} was not passed to evaluate()", col, source
                ) from None
            result = impl(*[fn(v, f) for fn in fns])
            if type(result) is python_type and (returns == BOOL or not result - result):
                return result
            try:
                result = _normalize(result)
            except _Unusable as problem:
                message = f"{fname}() at column {col} returned a value that {problem}"
                raise ExpressionEvalError(message, col, source) from None
            if type(result) is not python_type:
                raise ExpressionEvalError(
                    f"{fname}() at column {col} should return {_ARTICLE[returns]} but returned "
                    f"{_ARTICLE[_kind_of(result)]}",
                    col,
                    source,
                )
            return result

        return call


# --------------------------------------------------------------------------- entry point


def _check_specs(functions: Mapping[str, FunctionSpec] | None) -> dict[str, FunctionSpec]:
    specs = dict(functions or {})
    for name, spec in specs.items():
        if not isinstance(spec, FunctionSpec):
            raise TypeError(f"function {name!r}: expected a FunctionSpec, got {type(spec).__name__}")
        match = _SCANNER.fullmatch(name) if isinstance(name, str) else None
        if match is None or match.lastgroup != "name":
            raise ValueError(f"function name {name!r} is not a valid name")
        if name in _BUILTINS or any(part in _WORD_TOKENS for part in name.split(".")):
            raise ValueError(f"function name {name!r} is reserved")
    return specs


def _check_name_kinds(name_kinds: Mapping[str, str] | None) -> dict[str, str]:
    kinds = dict(name_kinds or {})
    for name, kind in kinds.items():
        if kind not in _KINDS:
            raise ValueError(f"name {name!r}: kind must be one of {sorted(_KINDS)}, got {kind!r}")
    return kinds


def compile_expression(
    source: str | int | float | bool,
    functions: Mapping[str, FunctionSpec] | None = None,
    *,
    name_kinds: Mapping[str, str] | None = None,
    known_calls: Mapping[tuple[str, tuple[Any, ...]], Value] | None = None,
) -> Expression:
    """Compile a formula (or a plain YAML number/boolean) into an :class:`Expression`.

    ``functions`` declares external functions by name.  ``name_kinds`` declares
    the kind of variables that are not numbers: ``"bool"``, ``"string"`` or
    ``"unknown"`` (checked at evaluation).  Raises :class:`ExpressionSyntaxError`
    for any problem in ``source``; ``ValueError``/``TypeError`` for bad
    ``functions``/``name_kinds``, which come from the program, not the scenario.
    ``known_calls`` gives the results of some calls with constant arguments (see
    :meth:`Expression.specialize`), which then fold away like constants.
    """
    specs = _check_specs(functions)
    kinds = _check_name_kinds(name_kinds)
    if isinstance(source, (bool, int, float)):
        return _scalar(source)
    if not isinstance(source, str):
        raise ExpressionSyntaxError(
            f"expected a formula (text) or a number, got {type(source).__name__}", None, _safe_repr(source)
        )
    source = str(source)  # a str subclass could override methods
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionSyntaxError(
            f"the expression is too long: {len(source)} characters, the limit is {MAX_SOURCE_LENGTH}", None, source
        )
    parser, node = _parse(source, specs, kinds, known_calls)
    return Expression(
        source=source,
        names=frozenset(parser.names),
        functions=frozenset(parser.used_functions),
        kind=node.kind,
        fn=node.fn,
        recipe=(
            source,
            tuple(sorted((name, specs[name]) for name in parser.used_functions)),
            tuple(sorted((name, kinds[name]) for name in parser.names if name in kinds)),
        ),
    )


def _parse(source: str, specs: dict, kinds: dict, known_calls: Mapping | None) -> tuple[_Parser, _Node]:
    parser = _Parser(source, specs, kinds, known_calls)
    try:
        return parser, parser.parse()
    except RecursionError:  # a safety net only: MAX_DEPTH keeps the parser far from the limit
        raise ExpressionSyntaxError(
            f"the expression is nested too deeply (the limit is {MAX_DEPTH} levels)", None, source
        ) from None


def _scalar(value: bool | int | float) -> Expression:
    """A constant expression for a plain YAML number or boolean."""
    try:
        normalized = _normalize(value)
    except _Unusable as problem:
        raise ExpressionSyntaxError(f"the value {problem}", None, _safe_repr(value)) from None
    # str() as the YAML author wrote it ('5', '2.5', 'True'), unless that would not read back as the
    # same value (huge ints, int/float subclasses with their own str).
    plain = type(value) in (bool, float) or type(value) is int and abs(value) < 10**15
    source = str(value) if plain else repr(normalized)
    node = _constant(normalized, 0, len(source))
    return Expression(
        source=source, names=frozenset(), functions=frozenset(), kind=node.kind, fn=node.fn, recipe=(source, (), ())
    )


def _safe_repr(value: Any) -> str:
    """A short text for a non-formula source; never fails (str() of a huge int raises)."""
    if isinstance(value, float) or isinstance(value, int) and abs(value) < 10**60:
        return repr(value)
    return f"<{type(value).__name__}>"
