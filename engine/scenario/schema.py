"""A JSON Schema (draft 2020-12) of the scenario format, generated from the attrs models.

The models in `engine.scenario.models` are the one definition of the format: this module walks them
(`attrs.fields` and `typing.get_type_hints`), so the schema never drifts from what the loader
accepts. Editors can use it for completion and early errors; the loader (`engine.scenario.loading`) stays
the authority (it also checks references, expressions and limits a schema cannot express).
"""

from __future__ import annotations

import enum
import inspect
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from engine.scenario.converter import LANGUAGE_CODE
from engine.scenario.expressions import Expression
from engine.scenario.text import Text

__all__ = ["JSON_SCHEMA_DIALECT", "model_json_schema", "scenario_json_schema"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_EXPRESSION_DESCRIPTION = (
    "An expression: a formula as text (e.g. 'tension.self.other * 0.3 + 5', 'turn >= 3 and"
    ' in_force("hotline")\'), a number, or true/false. Compiled when the scenario loads.'
)


def _doc(cls: type) -> str | None:
    doc = inspect.getdoc(cls)
    if not doc:
        return None
    return " ".join(doc.split())


def _default(value: Any) -> tuple[bool, Any]:
    """A field default as JSON, when it has a simple one."""
    if value is None or isinstance(value, bool | int | float | str):
        return True, value
    if isinstance(value, enum.Enum):
        return True, value.value
    if isinstance(value, tuple) and all(isinstance(v, str | int | float | bool) for v in value):
        return True, list(value)
    return False, None


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, name: str, build: typing.Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if name not in self.defs:
            self.defs[name] = {}  # placeholder: breaks cycles
            self.defs[name] = build()
        return {"$ref": f"#/$defs/{name}"}

    def schema(self, t: Any) -> dict[str, Any]:
        origin = typing.get_origin(t)
        args = typing.get_args(t)
        if t is str:
            return {"type": "string"}
        if t is bool:
            return {"type": "boolean"}
        if t is int:
            return {"type": "integer"}
        if t is float:
            return {"type": "number"}
        if t is Text:
            return self.ref("Text", self.text)
        if isinstance(t, type) and issubclass(t, Expression):
            return self.ref(
                "Expression",
                lambda: {"type": ["string", "number", "boolean"], "description": _EXPRESSION_DESCRIPTION},
            )
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return self.ref(t.__name__, lambda: self.enum(t))
        if origin in (typing.Union, types.UnionType):
            arms = [arg for arg in args if arg is not type(None)]
            schemas = [self.schema(arm) for arm in arms]
            if len(arms) < len(args):
                schemas.append({"type": "null"})
            return schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis or origin in (list, Sequence):
            return {"type": "array", "items": self.schema(args[0])}
        if origin in (dict, Mapping):
            return {"type": "object", "additionalProperties": self.schema(args[1])}
        if isinstance(t, type) and attrs.has(t):
            return self.ref(t.__name__, lambda: self.object(t))
        raise TypeError(f"no JSON Schema for the type {t!r}")

    def text(self) -> dict[str, Any]:
        return {
            "description": _doc(Text),
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "propertyNames": {"pattern": "^" + LANGUAGE_CODE.pattern.removesuffix(r"\Z") + "$"},
                    "additionalProperties": {"type": "string"},
                },
            ],
        }

    def enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "enum": [member.value for member in cls]}
        if (doc := _doc(cls)) is not None:
            out["description"] = doc
        return out

    def object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if not field.init:
                continue
            prop = dict(self.schema(hints[field.name]))
            if field.default is attrs.NOTHING:
                required.append(field.name)
            elif not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                ok, value = _default(field.default)
                if ok:
                    prop["default"] = value  # beside a $ref too: allowed since draft 2019-09
            properties[field.name] = prop
        out: dict[str, Any] = {"type": "object"}
        if (doc := _doc(cls)) is not None:
            out["description"] = doc
        out["properties"] = properties
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out


def model_json_schema(cls: type, *, title: str | None = None) -> dict[str, Any]:
    """The JSON Schema of an attrs model class (and everything it contains)."""
    builder = _Builder()
    root = builder.object(cls)
    schema: dict[str, Any] = {"$schema": JSON_SCHEMA_DIALECT, "title": title or cls.__name__}
    schema.update(root)
    schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (`engine.scenario.models.Scenario`)."""
    from engine.scenario.models import Scenario

    return model_json_schema(Scenario, title="Midnight scenario")
