"""The errors of the formula language: one base class, compile-time and run-time problems."""

from __future__ import annotations


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
