"""The project's one cattrs converter: strict structuring of plain data into attrs models.

Untrusted data (a parsed YAML `Document`) goes in; a model comes out, or a `LoadError` listing
every problem at once, each positioned at its YAML node (`Problem`). Reusable for any attrs class
(scenarios now; records, scripts and saves later) through `structure_document`.

Strictness, unlike cattrs' defaults:
- `str` takes only text, `int` only whole numbers, `float` ints or floats, `bool` only true/false
  (a bool is never a number); nothing is coerced with `str()`/`int()`;
- tuples take only lists, mappings and attrs classes only mappings, unknown keys are errors;
- enums take their string values; `Text` takes a string or a {language: string} mapping;
- a field with an attrs converter whose type mentions `Expression` is structured by running that
  converter (so the model's own compile settings apply and every bad expression is reported at its
  own path). Such converters must accept their own output, since `__init__` runs them again.
"""

from __future__ import annotations

import difflib
import enum
import math
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import cattrs
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from engine.errors import MidnightError
from engine.scenario.expressions import Expression, ExpressionError
from engine.scenario.text import Text

if TYPE_CHECKING:  # pragma: no cover
    from engine.scenario.loading import Document

__all__ = [
    "LoadError",
    "Problem",
    "ValueProblem",
    "converter",
    "describe_value",
    "format_path",
    "make_converter",
    "problems_from_exception",
    "structure_document",
]

PathT = tuple[str | int, ...]

MAX_PROBLEMS = 200
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?\Z")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NONE_TYPE = type(None)


# --------------------------------------------------------------------------- problems


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) if ("\n" in str(text) or "\r" in str(text)) else str(text)


@attrs.frozen
class Problem:
    """One thing wrong with an input file, positioned at its YAML node (1-based line/column)."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _one_line(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.path:
            parts.append(_one_line(self.path))
        parts.append(_one_line(self.message))
        return ": ".join(parts)


def _sort_key(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


class LoadError(MidnightError):
    """An input file that cannot be used: `.problems` lists everything wrong, sorted by line.

    `str(err)` is one line per problem: `file:line:column: path: message`.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        unique = list(dict.fromkeys(problems))  # drop exact duplicates, keep order
        ordered = sorted(unique, key=_sort_key)
        if len(ordered) > MAX_PROBLEMS:
            hidden = len(ordered) - MAX_PROBLEMS
            first = ordered[0]
            ordered = ordered[:MAX_PROBLEMS] + [
                Problem(first.file, None, None, "", f"... and {hidden} more problems not shown")
            ]
        if not ordered:
            ordered = [Problem("<input>", None, None, "", "unknown problem")]
        self.problems: tuple[Problem, ...] = tuple(ordered)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.problems,))


class ValueProblem(ValueError):
    """A value of the wrong type or form; the message is shown to the author as is."""

    def __init__(self, message: str, *, at_key: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.at_key = at_key  # position the problem at the mapping key rather than its value

    def __str__(self) -> str:
        return self.message


def format_path(path: Sequence[str | int]) -> str:
    """`("moves", 4, "effects", 1, "track")` -> `moves[4].effects[1].track` (long paths elided)."""
    parts = list(path)
    if len(parts) > 16:
        return _format_parts(parts[:8]) + "..." + _format_parts(parts[-4:], continued=True)
    return _format_parts(parts)


def _format_parts(parts: Sequence[str | int], *, continued: bool = False) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and _IDENTIFIER.match(part):
            out += f".{part}" if out or continued else part
        else:
            text = str(part)
            if len(text) > 40:
                text = text[:37] + "..."
            out += "[" + repr(text) + "]"
    return out


def describe_value(value: Any) -> str:
    """How a YAML value reads to its author: 'a number (42)', 'a list', 'text 'abc''."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'} (a true/false value)"
    if isinstance(value, int | float):
        text = repr(value)
        if len(text) > 30:
            text = text[:27] + "..."
        return f"a number ({text})"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"text {text!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a value of type {type(value).__name__}"


# --------------------------------------------------------------------------- scalar hooks


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    hint = "; put it in quotes if it is meant as text" if isinstance(value, int | float) else ""
    raise ValueProblem(f"expected text, got {describe_value(value)}{hint}")


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueProblem(f"expected a whole number, got {describe_value(value)}")


def _structure_float(value: Any, _: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            raise ValueProblem("the number is too large") from None
        if not math.isfinite(number):
            raise ValueProblem(f"expected a finite number, got {describe_value(value)}")
        return number
    raise ValueProblem(f"expected a number, got {describe_value(value)}")


_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def _structure_bool(value: Any, _: Any) -> bool:
    if isinstance(value, bool):
        return value
    hint = ""
    if isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        hint = " (write true or false: yes/no/on/off are text here)"
    raise ValueProblem(f"expected true or false, got {describe_value(value)}{hint}")


def _structure_text(value: Any, _: Any) -> Text:
    if isinstance(value, str):
        return Text(value)
    if not isinstance(value, Mapping):
        raise ValueProblem(
            f"expected text, or a mapping of language codes to text, got {describe_value(value)}"
        )
    errors: list[Exception] = []
    for key, item in value.items():
        if not isinstance(key, str) or not LANGUAGE_CODE.match(key):
            exc: Exception = ValueProblem(
                f"{key!r} is not a language code (use 2-3 lowercase letters, optionally with a region"
                " like 'en' or 'pt-BR')",
                at_key=True,
            )
        elif not isinstance(item, str):
            exc = ValueProblem(f"expected text, got {describe_value(item)}")
        else:
            continue
        exc.__notes__ = [IterableValidationNote(f"Structuring Text @ key {key!r}", key, str)]
        errors.append(exc)
    if errors:
        raise IterableValidationError("While structuring Text", errors, Text)
    return Text(dict(value))


def _structure_each(t: Any, items: Iterable[tuple[Any, str, Any, Callable[[], Any]]], what: str) -> list[Any]:
    """Structure every item of a list or mapping, collecting every problem rather than stopping
    at the first, each noted with where it is. `items` are (index or key, how to name it, its
    type, a function structuring it). Returns the results, or raises IterableValidationError."""
    results = []
    errors: list[Exception] = []
    for where, label, item_type, structure in items:
        try:
            results.append(structure())
        except Exception as exc:  # noqa: BLE001 - collected and reported with a path
            exc.__notes__ = [
                *getattr(exc, "__notes__", []),
                IterableValidationNote(f"Structuring {t} @ {label}", where, item_type),
            ]
            errors.append(exc)
            if len(errors) >= MAX_PROBLEMS:
                errors.append(ValueProblem(f"too many problems in this {what}: stopped after {MAX_PROBLEMS}"))
                break
    if errors:
        raise IterableValidationError(f"While structuring {t}", errors, t)
    return results


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def _structure_enum(value: Any, cl: type[enum.Enum]) -> enum.Enum:
    valid = [str(member.value) for member in cl]
    if isinstance(value, str):
        for member in cl:
            if member.value == value:
                return member
        close = difflib.get_close_matches(value, valid, n=1)
        suggestion = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueProblem(f"invalid value {value!r}: expected one of {', '.join(valid)}{suggestion}")
    raise ValueProblem(f"expected one of {', '.join(valid)}, got {describe_value(value)}")


# --------------------------------------------------------------------------- containers


def _origin(t: Any) -> Any:
    return typing.get_origin(t)


def _is_union(t: Any) -> bool:
    return _origin(t) in (typing.Union, types.UnionType)


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return _origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_list(t: Any) -> bool:
    return _origin(t) in (list, Sequence, typing.Sequence) and len(typing.get_args(t)) == 1


def _is_mapping(t: Any) -> bool:
    return _origin(t) in (dict, Mapping, typing.Mapping) and len(typing.get_args(t)) == 2


def _mentions(t: Any, target: type) -> bool:
    if t is target:
        return True
    return any(_mentions(arg, target) for arg in typing.get_args(t))


class _Factories:
    """Hook factories bound to one converter."""

    def __init__(self, conv: cattrs.Converter) -> None:
        self.conv = conv

    def sequence(self, t: Any) -> Callable[[Any, Any], Any]:
        (item_type,) = typing.get_args(t)[:1]
        item_hook = self.conv.get_structure_hook(item_type)
        build = tuple if _origin(t) is tuple else list

        def structure_sequence(value: Any, _: Any) -> Any:
            if not isinstance(value, list | tuple):
                raise ValueProblem(f"expected a list, got {describe_value(value)}")
            items = (
                (index, f"index {index}", item_type, partial(item_hook, item, item_type))
                for index, item in enumerate(value)
            )
            return build(_structure_each(t, items, "list"))

        return structure_sequence

    def mapping(self, t: Any) -> Callable[[Any, Any], Any]:
        key_type, value_type = typing.get_args(t)
        key_hook = self.conv.get_structure_hook(key_type)
        value_hook = self.conv.get_structure_hook(value_type)

        def entry(key: Any, item: Any) -> tuple[Any, Any]:
            try:
                new_key = key_hook(key, key_type)
            except ValueProblem as exc:
                raise ValueProblem(f"bad key: {exc.message}", at_key=True) from None
            return new_key, value_hook(item, value_type)

        def structure_mapping(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValueProblem(f"expected a mapping, got {describe_value(value)}")
            items = ((key, f"key {key!r}", value_type, partial(entry, key, item)) for key, item in value.items())
            return dict(_structure_each(t, items, "mapping"))

        return structure_mapping

    def union(self, t: Any) -> Callable[[Any, Any], Any]:
        """Unions pick their arm by the shape of the YAML value (no trial and error)."""
        arms = [arg for arg in typing.get_args(t) if arg is not _NONE_TYPE]
        optional = len(arms) < len(typing.get_args(t))
        conv = self.conv

        def accepts(arm: Any, value: Any) -> bool:
            if isinstance(value, bool):
                return arm is bool or _is_subclass(arm, Expression)
            if isinstance(value, int | float):
                return (
                    arm is float or _is_subclass(arm, Expression) or (arm is int and isinstance(value, int))
                )
            if isinstance(value, str):
                return arm is str or _is_enum(arm) or _is_subclass(arm, Text | Expression)
            if isinstance(value, Mapping):
                return _is_mapping(arm) or arm is Text or attrs.has(arm) and not _is_subclass(arm, Expression)
            if isinstance(value, list | tuple):
                return _is_homogeneous_tuple(arm) or _is_list(arm)
            return False

        def structure_union(value: Any, _: Any) -> Any:
            if value is None:
                if optional:
                    return None
                raise ValueProblem(f"expected {_describe_type(t)}, got nothing (null)")
            for arm in arms:
                if accepts(arm, value):
                    return conv.structure(value, arm)
            raise ValueProblem(f"expected {_describe_type(t)}, got {describe_value(value)}")

        return structure_union

    def attrs_class(self, cl: type) -> Callable[[Any, Any], Any]:
        overrides = {
            field.name: override(struct_hook=_field_converter_hook(field))
            for field in attrs.fields(cl)
            if field.converter is not None and field.type is not None and _mentions(field.type, Expression)
        }
        # mypy matches **overrides against cattrs' own keyword flags too; they are all field names.
        inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
            cl, self.conv, _cattrs_forbid_extra_keys=True, **overrides  # type: ignore[arg-type]
        )
        name = cl.__name__

        def structure_attrs(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise ValueProblem(f"expected a mapping (a {name}), got {describe_value(value)}")
            return inner(value, cl)

        return structure_attrs


def _is_subclass(t: Any, cls: Any) -> bool:
    return isinstance(t, type) and issubclass(t, cls)


def _describe_type(t: Any) -> str:
    if _is_union(t):
        arms = [arg for arg in typing.get_args(t) if arg is not _NONE_TYPE]
        return " or ".join(_describe_type(arm) for arm in arms)
    if t is str:
        return "text"
    if t is int:
        return "a whole number"
    if t is float:
        return "a number"
    if t is bool:
        return "true or false"
    if _is_mapping(t):
        return "a mapping"
    if _is_homogeneous_tuple(t) or _is_list(t):
        return "a list"
    if _is_subclass(t, Expression):
        return "an expression"
    if t is Text:
        return "text"
    if _is_enum(t):
        return "one of " + ", ".join(str(m.value) for m in t)
    return f"a {getattr(t, '__name__', str(t))}"


def _field_converter_hook(field: attrs.Attribute) -> Callable[[Any, Any], Any]:
    """Structure an Expression field by running the model's own attrs converter on the raw value."""
    conv = field.converter
    if isinstance(conv, attrs.Converter):
        # attrs' stubs do not declare a Converter's attributes.
        inner = conv.converter  # type: ignore[attr-defined]
        if conv.takes_self or conv.takes_field:  # type: ignore[attr-defined]  # pragma: no cover - not used by the models
            raise TypeError(f"{field.name}: converters taking self/field are not supported by the loader")
        conv = inner
    assert conv is not None  # attrs_class() hooks only fields with a converter
    optional = _is_union(field.type) and _NONE_TYPE in typing.get_args(field.type)

    def structure_with_converter(value: Any, _: Any) -> Any:
        if value is None:
            if optional:
                return None
            raise ValueProblem("expected an expression (a formula as text, or a number), got nothing (null)")
        if not isinstance(value, str | int | float | bool):
            raise ValueProblem(
                f"expected an expression (a formula as text, or a number), got {describe_value(value)}"
            )
        return conv(value)

    return structure_with_converter


def _structure_expression(value: Any, _: Any) -> Expression:
    from engine.scenario.expressions import compile_expression
    from engine.scenario.vocabulary import FUNCTIONS

    if isinstance(value, Expression):
        return value
    if not isinstance(value, str | int | float | bool):
        raise ValueProblem(
            f"expected an expression (a formula as text, or a number), got {describe_value(value)}"
        )
    return compile_expression(value, functions=FUNCTIONS)


def make_converter() -> cattrs.Converter:
    """A new strict converter (see the module docstring)."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    factories = _Factories(conv)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Text, _structure_text)
    conv.register_structure_hook(Expression, _structure_expression)
    conv.register_structure_hook_func(_is_enum, _structure_enum)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, factories.sequence)
    conv.register_structure_hook_factory(_is_list, factories.sequence)
    conv.register_structure_hook_factory(_is_mapping, factories.mapping)
    conv.register_structure_hook_factory(_is_union, factories.union)
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and attrs.has(t) and t is not Text and not issubclass(t, Expression),
        factories.attrs_class,
    )
    return conv


converter: cattrs.Converter = make_converter()


# --------------------------------------------------------------------------- errors -> problems


class _Positions(Protocol):
    @property
    def filename(self) -> str: ...

    def position(self, path: Sequence[str | int], *, key: bool = False) -> tuple[int | None, int | None]: ...

    def content_column(self, path: Sequence[str | int]) -> int | None: ...


def _field_names(cl: type) -> list[str]:
    try:
        return [f.name for f in attrs.fields(cl) if f.init]  # not a key: a field set after loading
    except (TypeError, attrs.exceptions.NotAnAttrsClassError):
        return []


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def problems_from_exception(exc: BaseException, document: _Positions, path: PathT = ()) -> list[Problem]:
    """Flatten a cattrs validation error (or any exception) into positioned problems."""
    out: list[Problem] = []
    _collect(exc, tuple(path), document, out, 0)
    return out


def _problem(
    document: _Positions, path: PathT, message: str, *, key: bool = False, column_offset: int | None = None
) -> Problem:
    line, column = document.position(path, key=key)
    if column_offset is not None:
        start = document.content_column(path)
        if start is not None:
            column = start + column_offset - 1
    return Problem(document.filename, line, column, format_path(path), message)


def _collect(exc: BaseException, path: PathT, document: _Positions, out: list[Problem], depth: int) -> None:
    if depth > 500:  # pragma: no cover - models are far shallower
        out.append(_problem(document, path, "the value is nested too deeply"))
        return
    if isinstance(exc, ClassValidationError):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            if type(sub) is KeyError and sub.args == (note.name,):
                out.append(_problem(document, path, f"missing required key {note.name!r}"))
            else:
                _collect(sub, (*path, note.name), document, out, depth + 1)
        for sub in others:
            if isinstance(sub, ForbiddenExtraKeysError):
                names = _field_names(sub.cl)
                for key in sorted(sub.extra_fields, key=str):
                    out.append(
                        _problem(
                            document,
                            (*path, key),
                            f"unknown key {key!r}{_did_you_mean(str(key), names)}",
                            key=True,
                        )
                    )
            else:
                _collect(sub, path, document, out, depth + 1)
        return
    if isinstance(exc, IterableValidationError):
        with_indexes, unplaced = exc.group_exceptions()
        for item, index_note in with_indexes:
            _collect(item, (*path, index_note.index), document, out, depth + 1)
        for item in unplaced:
            _collect(item, path, document, out, depth + 1)
        return
    if isinstance(exc, BaseValidationError | BaseExceptionGroup):
        for inner in exc.exceptions:
            _collect(inner, path, document, out, depth + 1)
        return
    if isinstance(exc, ValueProblem):
        out.append(_problem(document, path, exc.message, key=exc.at_key))
        return
    if isinstance(exc, ExpressionError):
        message = f"invalid expression: {exc.message}"
        out.append(_problem(document, path, message, column_offset=exc.column))
        return
    if isinstance(exc, RecursionError):
        out.append(_problem(document, path, "the value is nested too deeply"))
        return
    text = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, ValueError | TypeError):
        text = f"{type(exc).__name__}: {text}"
    out.append(_problem(document, path, text))


def structure_document(
    document: Document,
    cls: type,
    *,
    conv: cattrs.Converter | None = None,
    error: type[LoadError] = LoadError,
    what: str | None = None,
) -> Any:
    """Structure `document.data` into `cls`, or raise `error` with every positioned problem.

    `what` names the kind of file in messages ("a scenario"); by default the class name.
    """
    conv = conv or converter
    data = document.data
    what = what or f"a {cls.__name__}"
    if data is None:
        raise error(
            [
                Problem(
                    document.filename, None, None, "", f"the file is empty: expected {what} (a YAML mapping)"
                )
            ]
        )
    if attrs.has(cls) and not isinstance(data, Mapping):
        line, column = document.position(())
        raise error(
            [
                Problem(
                    document.filename,
                    line,
                    column,
                    "",
                    f"expected {what} (a YAML mapping of keys), got {describe_value(data)}",
                )
            ]
        )
    try:
        return conv.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - every failure becomes positioned problems
        problems = problems_from_exception(exc, document)
        raise error(problems) from None
