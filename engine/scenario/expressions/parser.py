"""The operator-precedence (shunting-yard) parser: the grammar, nesting and size limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.scenario.expressions.errors import ExpressionSyntaxError
from engine.scenario.expressions.functions import FunctionSpec
from engine.scenario.expressions.lookups import _LookupNodes
from engine.scenario.expressions.nodes import _constant, _Node
from engine.scenario.expressions.operators import _COMPARE, _OperatorNodes
from engine.scenario.expressions.tokens import _Token, _tokens_of
from engine.scenario.expressions.values import Value

MAX_DEPTH = 64
MAX_NODES = 1_000

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


class _Parser(_OperatorNodes, _LookupNodes):
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
        row: Mapping[str, int] | None = None,
    ):
        self.source = source
        self.specs = specs
        self.name_kinds = name_kinds
        self.known_calls = known_calls or {}
        self.row = row or {}  # names read by position, as variables.row[i] (Expression.bind)
        self.tokens = _tokens_of(source)
        self.i = 0
        self.depth = 0
        self.nodes = 0
        self.names: set[str] = set()
        self.used_functions: set[str] = set()

    # -- helpers

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
