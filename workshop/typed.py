"""The engine's own typed values (a SeatView, SeatOptions) as JSON and back, for a client that
shows the same screens as local play (the terminal UI's game screens read typed views).

The server encodes exactly what Game.view and Game.options returned for the connection's seat, so
this form holds nothing the wire form does not. Decoding accepts only the engine's value classes
listed in ALLOWED (attrs classes and enums of the rules' state, events, views, options and inputs,
and Text): untrusted data can build nothing else, and a bad document raises TypedError."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import Any

import attrs

from engine.rules import events, inputs, options, previews, state, views
from engine.scenario import models, text


class TypedError(ValueError):
    """A typed document that is not one of the engine's values."""


def _collect(*modules: ModuleType) -> dict[str, type]:
    found: dict[str, type] = {}
    for module in modules:
        for name, value in vars(module).items():
            if not isinstance(value, type) or getattr(value, "__module__", "") != module.__name__:
                continue
            if attrs.has(value) or (issubclass(value, enum.Enum) and value is not enum.Enum):
                found.setdefault(name, value)
    return found


ALLOWED = _collect(state, events, views, options, inputs, previews, text, models)
MAX_DEPTH = 64


def encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, text.Text):
        return {"$text": dict(value.values)}
    if isinstance(value, enum.Enum):
        return {"$enum": type(value).__name__, "value": encode(value.value)}
    if isinstance(value, Mapping):
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, frozenset | set):
        return {"$set": [encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    cls = type(value)
    if attrs.has(cls) and ALLOWED.get(cls.__name__) is cls:
        return {"$attrs": cls.__name__,
                "fields": {f.name: encode(getattr(value, f.name)) for f in attrs.fields(cls) if f.init}}
    raise TypedError(f"no typed form for {cls.__name__}")


def decode(data: Any, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise TypedError("nested too deeply")
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [decode(v, depth + 1) for v in data]
    if not isinstance(data, dict):
        raise TypedError(f"unexpected {type(data).__name__}")
    if "$text" in data:
        values = data["$text"]
        if not isinstance(values, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in values.items()):
            raise TypedError("a text must map languages to strings")
        return text.Text(values)
    if "$float" in data:
        if data["$float"] not in ("inf", "-inf", "nan"):
            raise TypedError("a special float is inf, -inf or nan")
        return float(data["$float"])
    if "$enum" in data:
        cls = ALLOWED.get(data["$enum"])
        if cls is None or not issubclass(cls, enum.Enum):
            raise TypedError(f"no enum {data['$enum']!r}")
        try:
            return cls(decode(data.get("value"), depth + 1))
        except ValueError:
            raise TypedError(f"no {cls.__name__} {data.get('value')!r}") from None
    if "$map" in data:
        pairs = data["$map"]
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise TypedError("a map is a list of pairs")
        return MappingProxyType({_key(decode(k, depth + 1)): decode(v, depth + 1) for k, v in pairs})
    if "$set" in data:
        return frozenset(_key(decode(v, depth + 1)) for v in _items(data["$set"]))
    if "$tuple" in data:
        return tuple(decode(v, depth + 1) for v in _items(data["$tuple"]))
    if "$attrs" in data:
        cls = ALLOWED.get(data["$attrs"])
        if cls is None or not attrs.has(cls):
            raise TypedError(f"no value class {data['$attrs']!r}")
        fields = data.get("fields")
        if not isinstance(fields, dict):
            raise TypedError(f"{cls.__name__}: 'fields' must be an object")
        allowed = {f.name for f in attrs.fields(cls) if f.init}
        if not set(fields) <= allowed:
            raise TypedError(f"{cls.__name__}: unknown fields {sorted(set(fields) - allowed)}")
        try:
            return cls(**{name: decode(v, depth + 1) for name, v in fields.items()})
        except (TypeError, ValueError) as error:
            raise TypedError(f"{cls.__name__}: {error}") from None
    raise TypedError("an object must be tagged ($attrs, $enum, $map, $set, $tuple, $text)")


def _items(value: Any) -> list:
    if not isinstance(value, list):
        raise TypedError("expected a list")
    return value


def _key(value: Any) -> Any:
    if isinstance(value, list):
        raise TypedError("a list cannot be a key")
    return value
