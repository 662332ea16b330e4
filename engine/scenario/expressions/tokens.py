"""The tokenizer: one regular expression turns the source into tokens, with a clear error for anything else."""

from __future__ import annotations

import functools
import math
import re
from typing import Any, NamedTuple

from engine.scenario.expressions.errors import ExpressionSyntaxError


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


@functools.lru_cache(maxsize=4096)
def _tokens_of(source: str) -> tuple[_Token, ...]:
    """_tokenize, remembered: a formula is parsed again when it is compiled for a game
    (Expression.bind), and its tokens (immutable) depend on its text alone."""
    return tuple(_tokenize(source))


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
