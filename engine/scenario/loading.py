"""The edge where untrusted YAML becomes validated models.

Scenario files (and later records, scripts and saves) are written by other people. Loading them
never runs code, never shows a traceback, never hangs and uses bounded memory:

- `load_yaml` parses with libyaml's event parser (`yaml.CParser`; PyYAML's own when libyaml is
  missing) and composes the nodes itself, iteratively: size (per kind of document: `LIMITS`),
  nesting depth, node count and expanded size (aliases counted as expanded, nodes and characters,
  so an alias bomb fails at once), scalar length are all limited; duplicate keys, non-text keys, merge
  keys (`<<`) and every tag but the standard !!str/!!int/!!float/!!bool/!!null/!!seq/!!map are
  refused. Scalars resolve YAML-1.2-core style: null/~/empty, true/false, ints, finite floats;
  everything else, dates included, stays text (`yes`/`no`/`on`/`off` are text).
- `load_scenario` structures the result with the project's strict converter
  (`engine.scenario.converter`), then runs `engine.scenario.checks.check_scenario`, and reports every problem at
  once as a `ScenarioError` whose problems carry file, line and column.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from engine.scenario.builtin import DEFAULT_SCENARIO, SCENARIO_ID, builtin_dir, builtin_scenario_ids
from engine.scenario.converter import LoadError, Problem, format_path, problems_from_exception, structure_document
from engine.scenario.models import Scenario
from engine.scenario.safe_text import unsafe_character

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_SCENARIO",
    "LIMITS",
    "Document",
    "read_document",
    "Limits",
    "LoadError",
    "Problem",
    "ScenarioError",
    "builtin_scenario_ids",
    "builtin_scenario_path",
    "load_scenario",
    "load_scenario_text",
    "load_yaml",
    "read_bytes_limited",
    "resolve_scenario",
    "scenario_content_hash",
]

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_NODES = 200_000
DEFAULT_MAX_SCALAR = 100_000
# Expanded size (characters of every scalar, plus one per node, aliases expanded): at most this
# many times the document's own size, or EXPANDED_FLOOR for a small one. The shipped scenarios,
# which use no aliases, are at under 1x; an alias bomb of 469 KB was at thousands of x.
EXPANSION_FACTOR = 20
EXPANDED_FLOOR = 1_000_000


@attrs.frozen
class Limits:
    """The most a kind of document may hold: bytes in the file, values once aliases are expanded."""

    max_bytes: int
    max_nodes: int


# Per kind of document. A record of a whole 20-turn game of trilateral-2026 (the longest shipped
# scenario) by bots is 37-66 KB, about 6,000 values; agents' reasons (300 characters an input)
# add at most about 100 KB. Scripts are written by hand. Reading costs about 1 s of CPU a MB.
# A caller may lower a limit, never raise it.
LIMITS: Mapping[str, Limits] = {
    "scenario": Limits(DEFAULT_MAX_BYTES, DEFAULT_MAX_NODES),
    "record": Limits(500_000, 100_000),
    "script": Limits(500_000, 100_000),
}

PathT = tuple[str | int, ...]


class ScenarioError(LoadError):
    """A scenario that cannot be loaded; `.problems` holds every problem found."""


# --------------------------------------------------------------------------- the document


@attrs.frozen
class Document:
    """Plain data parsed from YAML, with where each node was written.

    `positions[path]` is the (line, column), 1-based, of the value at `path`, e.g.
    `("moves", 4, "effects", 1, "track")`; `key_positions[path]` of the key of a mapping entry;
    `content_columns[path]` the column where a one-line plain or quoted scalar's text starts
    (to position errors inside an expression).
    """

    data: Any
    filename: str
    positions: Mapping[PathT, tuple[int, int]] = attrs.field(factory=dict, repr=False)
    key_positions: Mapping[PathT, tuple[int, int]] = attrs.field(factory=dict, repr=False)
    content_columns: Mapping[PathT, int] = attrs.field(factory=dict, repr=False)

    def position(self, path: Sequence[str | int], *, key: bool = False) -> tuple[int | None, int | None]:
        """Where `path` was written; its nearest written ancestor when it was not (a missing key)."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (None, None))

    def content_column(self, path: Sequence[str | int]) -> int | None:
        return self.content_columns.get(tuple(path))


class _Stop(Exception):
    """One problem that ends parsing: message and 0-based mark."""

    def __init__(
        self, message: str, line: int | None = None, column: int | None = None, path: PathT = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path


def _fail(
    filename: str, message: str, line: int | None = None, column: int | None = None, path: PathT = ()
) -> LoadError:
    return LoadError([Problem(filename, line, column, format_path(path), message)])


# --------------------------------------------------------------------------- text and limits


# Characters YAML allows in a stream (c-printable), plus the BOM handled separately.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _decode(source: str | bytes, filename: str, max_bytes: int) -> str:
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
        if len(raw) > max_bytes:
            raise _fail(filename, f"the file is too large: {len(raw):,} bytes (the limit is {max_bytes:,})")
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _fail(filename, "the file is UTF-16: save it as UTF-8", 1, 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            offset = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
            prefix = raw[:offset]
            line = prefix.count(b"\n") + 1
            column = len(prefix[prefix.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
            raise _fail(
                filename,
                f"the file is not valid UTF-8: byte 0x{raw[offset]:02x} at byte offset {offset} (save it as UTF-8)",
                line,
                column,
            ) from None
        return text
    if not isinstance(source, str):
        raise _fail(filename, f"expected YAML text or bytes, got {type(source).__name__}")
    if len(source) > max_bytes:
        raise _fail(
            filename, f"the text is too large: {len(source):,} characters (the limit is {max_bytes:,} bytes)"
        )
    try:
        size = len(source.encode("utf-8"))
    except UnicodeEncodeError as exc:
        line, column = _line_column(source, exc.start)
        raise _fail(
            filename,
            "the text contains an unpaired surrogate character, which is not valid Unicode",
            line,
            column,
        ) from None
    if size > max_bytes:
        raise _fail(filename, f"the text is too large: {size:,} bytes (the limit is {max_bytes:,})")
    return source[1:] if source.startswith("\ufeff") else source


# --------------------------------------------------------------------------- scalars

_STANDARD = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_SCALAR_TAGS = frozenset({"str", "int", "float", "bool", "null"})


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_STANDARD) :] if tag.startswith(_STANDARD) else tag


def _tag_error(tag: str) -> str:
    shown = _short_tag(tag)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return (
        f"tags are not allowed: {shown!r} (only the standard !!str, !!int, !!float, !!bool, !!null,"
        " !!seq and !!map)"
    )


def _parse_int(text: str) -> int | None:
    try:
        if _INT.match(text):
            return int(text, 10)
        if _OCT.match(text):
            return int(text[2:], 8)
        if _HEX.match(text):
            return int(text[2:], 16)
    except ValueError:  # more digits than Python converts (sys.int_info.str_digits_check_threshold)
        raise _Stop(f"the number {text[:20]}... has too many digits") from None
    return None


def _parse_float(text: str) -> float | None:
    if _SPECIAL_FLOAT.match(text):
        raise _Stop(f"{text!r} is not allowed: numbers must be finite (no infinity or NaN)")
    if _FLOAT.match(text):
        number = float(text)
        if not math.isfinite(number):
            raise _Stop(f"the number {text[:30]!r} is too large")
        return number
    return None


def _resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema, minus dates (there are none in it) and minus inf/nan."""
    if not text:
        return None
    first = text[0]
    if first in "~nNtTfF":
        lowered = text.lower()
        if text == "~" or lowered == "null":
            return None
        if lowered == "true":
            return True
        if lowered == "false":
            return False
    elif first in "+-.0123456789":
        number = _parse_int(text)
        if number is not None:
            return number
        real = _parse_float(text)
        if real is not None:
            return real
    return text


def _resolve_tagged(text: str, tag: str) -> Any:
    kind = tag[len(_STANDARD) :]
    if kind == "str":
        return text
    if kind == "null":
        if text in ("", "~") or text.lower() == "null":
            return None
        raise _Stop(f"!!null cannot be {text[:40]!r}")
    if kind == "bool":
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise _Stop(f"!!bool must be true or false, not {text[:40]!r}")
    if kind == "int":
        number = _parse_int(text.strip())
        if number is None:
            raise _Stop(f"!!int must be a whole number, not {text[:40]!r}")
        return number
    number = _parse_int(text.strip())
    if number is not None:
        try:
            return float(number)
        except OverflowError:
            raise _Stop(f"the number {text[:30]!r} is too large") from None
    real = _parse_float(text.strip())
    if real is None:
        raise _Stop(f"!!float must be a number, not {text[:40]!r}")
    return real


# --------------------------------------------------------------------------- composing


_SCALAR, _SEQ, _MAP, _ALIAS = 0, 1, 2, 3


class _Scalar:
    __slots__ = ("value", "line", "column", "content_column", "plain", "chars")
    kind = _SCALAR
    size = 1  # nodes once aliases are expanded
    height = 0  # levels of lists and mappings, this node included
    done = True

    def __init__(self, value: Any, line: int, column: int, content_column: int | None, plain: bool) -> None:
        self.value = value
        self.line = line
        self.column = column
        self.content_column = content_column  # 1-based column where a one-line scalar's text starts
        self.plain = plain
        self.chars = 1  # expanded size: characters of its text, plus 1 per node (set by _compose)


class _Alias:
    __slots__ = ("target", "line", "column", "size", "height", "chars")
    kind = _ALIAS
    done = True
    content_column = None
    plain = False

    def __init__(self, target: Any, line: int, column: int) -> None:
        self.target = target
        self.line = line
        self.column = column
        self.size = target.size
        self.height = target.height
        self.chars = target.chars


class _Collection:
    __slots__ = ("kind", "items", "line", "column", "size", "height", "done", "pending", "keys", "chars")
    content_column = None
    plain = False

    def __init__(self, kind: int, line: int, column: int) -> None:
        self.kind = kind
        self.items: list[Any] = []  # nodes, or (key, value) node pairs for a mapping
        self.line = line
        self.column = column
        self.size = 1
        self.chars = 1
        self.height = 0
        self.done = False
        self.pending: Any = None  # a mapping's key waiting for its value
        self.keys: dict[str, tuple[int, int]] = {}


def _stack_path(stack: list[_Collection]) -> PathT:
    path: list[str | int] = []
    for node in stack:
        if node.kind == _SEQ:
            path.append(len(node.items))
        elif node.pending is not None:
            key = node.pending.target.value if node.pending.kind == _ALIAS else node.pending.value
            if isinstance(key, str):
                path.append(key)
    return tuple(path)


def _scalar_value(event: Any) -> tuple[Any, bool]:
    """The value of a scalar event, and whether it was plain (untagged, unquoted)."""
    tag = event.tag
    text = event.value
    if tag is None:
        if not event.style:
            return _resolve_plain(text), True
        return text, False
    if tag == "!":
        return text, False
    if not tag.startswith(_STANDARD) or tag[len(_STANDARD) :] not in _SCALAR_TAGS:
        raise _Stop(_tag_error(tag))
    return _resolve_tagged(text, tag), False


def _compose(events: Any, max_depth: int, max_nodes: int, max_scalar: int, max_expanded: int) -> Any:
    """Events -> a node tree, iteratively, enforcing every limit as it goes."""
    stack: list[_Collection] = []
    anchors: dict[str, Any] = {}
    root: Any = None
    count = 0
    expanded = 0  # characters and nodes, aliases expanded
    documents = 0
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    starts = {yaml.SequenceStartEvent: _SEQ, yaml.MappingStartEvent: _MAP}
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    mark: yaml.Mark | None = None

    def stop(message: str) -> _Stop:
        assert mark is not None  # stopped at an event, whose mark is set
        return _Stop(message, mark.line, mark.column, _stack_path(stack))

    try:
        for event in events:
            cls = type(event)
            mark = event.start_mark
            if cls is scalar_event:
                text = event.value
                if len(text) > max_scalar:
                    raise stop(f"a value is too long: {len(text):,} characters (the limit is {max_scalar:,})")
                value, plain = _scalar_value(event)
                style = event.style
                content_column = None
                if style in (None, "", "'", '"') and event.end_mark.line == mark.line:
                    content_column = mark.column + (2 if style else 1)
                node: Any = _Scalar(value, mark.line, mark.column, content_column, plain)
                node.chars = len(text) + 1
                count += 1
                expanded += node.chars
            elif cls in starts:
                kind = starts[cls]
                tag = event.tag
                if tag is not None and tag != "!" and tag != _STANDARD + ("map" if kind == _MAP else "seq"):
                    raise stop(_tag_error(tag))
                if len(stack) >= max_depth:
                    raise stop(f"nested too deeply: more than {max_depth} levels of lists and mappings")
                count += 1
                expanded += 1
                if count > max_nodes:
                    raise stop(_too_many(max_nodes))
                collection = _Collection(kind, mark.line, mark.column)
                if event.anchor is not None:
                    anchors[event.anchor] = collection
                stack.append(collection)
                continue
            elif cls in ends:
                node = stack.pop()
                node.done = True
                node.keys = {}
                node.height += 1
            elif cls is alias_event:
                target = anchors.get(event.anchor)
                if target is None:
                    raise stop(
                        f"unknown alias '*{event.anchor}': there is no anchor '&{event.anchor}' before it"
                    )
                if not target.done:
                    raise stop(
                        f"the alias '*{event.anchor}' is inside the value it refers to (a recursive alias)"
                    )
                if len(stack) + target.height > max_depth:
                    raise stop(f"nested too deeply: more than {max_depth} levels of lists and mappings")
                node = _Alias(target, mark.line, mark.column)
                count += target.size
                expanded += target.chars
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise stop("the file holds more than one YAML document ('---'): expected one")
                continue
            else:
                continue
            if count > max_nodes:
                raise stop(_too_many(max_nodes))
            if expanded > max_expanded:
                raise stop(
                    f"the document is too large once aliases are expanded: more than {max_expanded:,}"
                    " characters (an alias expansion bomb?)"
                )
            if cls is scalar_event and event.anchor is not None:
                anchors[event.anchor] = node
            if not stack:
                root = node
                continue
            parent = stack[-1]
            parent.size += node.size
            parent.chars += node.chars
            if node.height > parent.height:
                parent.height = node.height
            if parent.kind == _SEQ:
                parent.items.append(node)
            elif parent.pending is None:
                _check_key(parent, node)
                parent.pending = node
            else:
                parent.items.append((parent.pending, node))
                parent.pending = None
    except _Stop as problem:
        if problem.line is None and mark is not None:
            raise _Stop(problem.message, mark.line, mark.column, _stack_path(stack)) from None
        raise
    return root


def _too_many(max_nodes: int) -> str:
    return (
        f"too many nodes: the document has more than {max_nodes:,} values once aliases are expanded"
        " (an alias expansion bomb?)"
    )


def _check_key(parent: _Collection, node: Any) -> None:
    if node.kind == _ALIAS:
        node = node.target
    if node.kind != _SCALAR:
        raise _Stop("keys must be text, not lists or mappings")
    key = node.value
    if node.plain and key == "<<":
        raise _Stop(
            "merge keys ('<<') are not supported: write the keys out, or reuse a whole value with an"
            " anchor (&name) and an alias (*name)"
        )
    if not isinstance(key, str):
        shown = "an empty key" if key is None else _describe_key(key)
        raise _Stop(f"keys must be text, got {shown}; put it in quotes")
    first = parent.keys.get(key)
    if first is not None:
        raise _Stop(f"duplicate key {key!r} (first at line {first[0] + 1}, column {first[1] + 1})")
    parent.keys[key] = (node.line, node.column)


def _describe_key(key: Any) -> str:
    if isinstance(key, bool):
        return f"the true/false value {str(key).lower()}"
    return f"the number {key!r}"


def _materialize(root: Any, max_depth: int) -> tuple[Any, dict, dict, dict]:
    """Nodes -> plain data and position maps, iteratively, aliases expanded (already bounded)."""
    positions: dict[PathT, tuple[int, int]] = {}
    key_positions: dict[PathT, tuple[int, int]] = {}
    content_columns: dict[PathT, int] = {}
    box: list[Any] = [None]
    if root is None:
        return None, positions, key_positions, content_columns
    work: list[tuple[Any, PathT, Any, Any]] = [(root, (), box, 0)]
    while work:
        node, path, holder, slot = work.pop()
        positions[path] = (node.line + 1, node.column + 1)
        if node.kind == _ALIAS:
            node = node.target
        elif node.content_column is not None:
            content_columns[path] = node.content_column
        if len(path) > max_depth + 1:  # pragma: no cover - composer already checked
            raise _Stop(f"nested too deeply: more than {max_depth} levels", node.line, node.column, path)
        if node.kind == _SCALAR:
            holder[slot] = node.value
        elif node.kind == _SEQ:
            items: list[Any] = [None] * len(node.items)
            holder[slot] = items
            for index in range(len(node.items) - 1, -1, -1):
                work.append((node.items[index], (*path, index), items, index))
        else:
            mapping: dict[str, Any] = {}
            holder[slot] = mapping
            for key_node, _ in node.items:
                key = key_node.target.value if key_node.kind == _ALIAS else key_node.value
                mapping[key] = None  # fixes the order; filled below
            for key_node, value_node in reversed(node.items):
                key = key_node.target.value if key_node.kind == _ALIAS else key_node.value
                key_positions[(*path, key)] = (key_node.line + 1, key_node.column + 1)
                work.append((value_node, (*path, key), mapping, key))
    return box[0], positions, key_positions, content_columns


_HINTS = (
    ("could not find expected ':'", "a key needs ': ' after it; check the indentation"),
    ("did not find expected key", "check the indentation"),
    ("did not find expected '-' indicator", "check the indentation of the list"),
    ("mapping values are not allowed", "a ': ' inside an unquoted value? put the value in quotes"),
    ("found character that cannot start any token", "values starting with @, ` or % must be quoted"),
    ("cannot start any token", "values starting with @, ` or % must be quoted"),
)


def _readable(text: str) -> str:
    text = " ".join(str(text).split())
    text = text.replace("<stream end>", "the end of the file").replace("end of stream", "end of the file")
    return text.replace("<stream start>", "the start of the file")


def _yaml_error(exc: yaml.YAMLError, text: str, filename: str) -> LoadError:
    line: int | None
    column: int | None
    if isinstance(exc, yaml.reader.ReaderError):
        position = min(max(exc.position, 0), len(text))
        line, column = _line_column(text, position)
        return _fail(
            filename,
            f"the file contains a character YAML does not allow ({_readable(exc.reason)})",
            line,
            column,
        )
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    message = _readable(problem or context or str(exc) or "invalid YAML")
    if "maximum nesting depth" in message:  # libyaml's own guard fires before ours
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        return _fail(filename, f"nested too deeply: more than {DEFAULT_MAX_DEPTH} levels of lists and mappings", line, column)
    if problem_mark is not None and 0 <= problem_mark.index < len(text) and text[problem_mark.index] == "\t":
        return _fail(
            filename,
            "invalid YAML: a tab character here; YAML does not allow tabs for indentation, use spaces",
            problem_mark.line + 1,
            problem_mark.column + 1,
        )
    else:
        for needle, hint in _HINTS:
            if needle in message:
                message += f" ({hint})"
                break
    if context and problem:
        where = ""
        if (
            context_mark is not None
            and problem_mark is not None
            and (
                context_mark.line,
                context_mark.column,
            )
            != (problem_mark.line, problem_mark.column)
        ):
            where = f" at line {context_mark.line + 1}, column {context_mark.column + 1}"
        message += f"; {_readable(context)}{where}"
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return _fail(filename, f"invalid YAML: {message}", line, column)


# libyaml's parser, ten times faster than PyYAML's own on a scenario (most of a game's load time).
# PyYAML does not export CParser at its top level: it lives in the extension module.
_CPARSER: Any
try:
    from yaml._yaml import CParser as _CPARSER
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CPARSER = None


def _events(text: str) -> Any:
    """The YAML events of `text`: libyaml's parser (C) when PyYAML has it, else PyYAML's own."""
    if _CPARSER is not None:
        parser = _CPARSER(text)
        try:
            get, check = parser.get_event, parser.check_event
            while check():
                yield get()
        finally:
            parser.dispose()
    else:  # pragma: no cover - PyYAML built without libyaml
        yield from yaml.parse(text, Loader=yaml.SafeLoader)


def _limit(kind: str, name: str, asked: int | None) -> int:
    if kind not in LIMITS:
        raise ValueError(f"unknown kind of document {kind!r} (kinds: {', '.join(LIMITS)})")
    ceiling: int = getattr(LIMITS[kind], name)
    return ceiling if asked is None else min(asked, ceiling)


def load_yaml(
    text_or_bytes: str | bytes,
    *,
    filename: str,
    kind: str = "scenario",
    max_bytes: int | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int | None = None,
    max_scalar: int = DEFAULT_MAX_SCALAR,
    max_expanded: int | None = None,
) -> Document:
    """Parse untrusted YAML into a `Document`, or raise `LoadError` with one positioned problem.

    `kind` ("scenario", "record", "script") sets the size and node limits (`LIMITS`); the
    `max_` arguments may lower them. `max_expanded` bounds the size once aliases are expanded
    (default: `EXPANSION_FACTOR` times the text's size, at least `EXPANDED_FLOOR`)."""
    max_bytes = _limit(kind, "max_bytes", max_bytes)
    max_nodes = _limit(kind, "max_nodes", max_nodes)
    text = _decode(text_or_bytes, filename, max_bytes)
    if max_expanded is None:
        max_expanded = max(EXPANSION_FACTOR * len(text), EXPANDED_FLOOR)
    line: int | None
    column: int | None
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line, column = _line_column(text, bad.start())
        raise _fail(
            filename,
            f"the file contains the control character U+{ord(bad.group()):04X}, which YAML does not allow",
            line,
            column,
        )
    try:
        root = _compose(_events(text), max_depth, max_nodes, max_scalar, max_expanded)
        data, positions, key_positions, content_columns = _materialize(root, max_depth)
    except _Stop as stop:
        line = stop.line + 1 if stop.line is not None else None
        column = stop.column + 1 if stop.column is not None else None
        raise _fail(filename, stop.message, line, column, stop.path) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, filename) from None
    except RecursionError:
        raise _fail(
            filename, f"nested too deeply: more than {max_depth} levels of lists and mappings"
        ) from None
    except MemoryError:
        raise _fail(filename, "the document is too large to load") from None
    except (ValueError, TypeError, UnicodeError) as exc:  # defensive: parser oddities never escape raw
        raise _fail(filename, f"invalid YAML: {exc}") from None
    return Document(data, filename, positions, key_positions, content_columns)


# --------------------------------------------------------------------------- scenarios


def read_bytes_limited(
    path: str | os.PathLike[str],
    *,
    kind: str = "scenario",
    max_bytes: int | None = None,
    error: type[LoadError] = LoadError,
) -> bytes:
    """Read a file, refusing (without reading it all) one larger than its kind's limit (`LIMITS`),
    or than `max_bytes` when that is lower."""
    max_bytes = _limit(kind, "max_bytes", max_bytes)
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise error([Problem(name, None, None, "", "is a directory, not a file")]) from None
    except FileNotFoundError:
        raise error([Problem(name, None, None, "", "no such file")]) from None
    except OSError as exc:
        raise error([Problem(name, None, None, "", f"cannot read the file: {exc.strerror or exc}")]) from None
    if len(raw) > max_bytes:
        raise error([Problem(name, None, None, "", f"the file is too large: more than {max_bytes:,} bytes")])
    return raw


def load_scenario(source: str | os.PathLike[str] | bytes, *, filename: str | None = None) -> Scenario:
    """Load a scenario from a file path (str or Path) or from raw bytes; raise `ScenarioError`."""
    if isinstance(source, bytes | bytearray):
        return load_scenario_text(bytes(source), filename=filename or "<scenario>")
    raw = read_bytes_limited(source, error=ScenarioError)
    return load_scenario_text(raw, filename=filename or os.fspath(source))


def load_scenario_text(text: str | bytes, *, filename: str = "<scenario>") -> Scenario:
    """Load a scenario from YAML text or bytes; raise `ScenarioError` listing every problem."""
    try:
        document = load_yaml(text, filename=filename)
    except LoadError as err:
        raise ScenarioError(err.problems) from None
    unsafe = unsafe_text(document)
    if unsafe:
        raise ScenarioError(unsafe)
    scenario = structure_document(document, Scenario, error=ScenarioError, what="a scenario")
    problems = _check(scenario, document)
    if problems:
        raise ScenarioError(problems)
    return scenario


def _unsafe_message(character: str) -> str:
    code = ord(character)
    kind = "a bidirectional control character" if code >= 0x202A else "a control character"
    return f"contains {kind} (U+{code:04X}); remove it"


def unsafe_text(document: Document) -> list[Problem]:
    """Every key and text value of `document` holding a character a terminal would obey.

    Control characters (C0, DEL, C1: `"\\e[…"`, `"\\x9b"`, `"\\a"` in double-quoted YAML) and the
    bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are refused, each at
    its position; newline and tab only in values, where long texts may span lines.
    """
    problems: list[Problem] = []
    work: list[tuple[Any, PathT]] = [(document.data, ())]
    while work:
        value, path = work.pop()
        if isinstance(value, str):
            bad = unsafe_character(value)
            if bad is not None:
                line, column = document.position(path)
                problems.append(Problem(document.filename, line, column, format_path(path), _unsafe_message(bad)))
        elif isinstance(value, list):
            work.extend((item, (*path, index)) for index, item in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                bad = unsafe_character(key, multiline=False) if isinstance(key, str) else None
                if bad is not None:
                    line, column = document.position((*path, key), key=True)
                    problems.append(
                        Problem(document.filename, line, column, format_path((*path, key)), "a key " + _unsafe_message(bad))
                    )
                work.append((item, (*path, key)))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _check(scenario: Scenario, document: Document) -> list[Problem]:
    try:
        from engine.scenario.checks import check_scenario

        found = check_scenario(scenario)
    except Exception as exc:  # noqa: BLE001 - a checker bug is reported, never a traceback
        return problems_from_exception(
            RuntimeError(f"internal error while checking the scenario: {exc!r}"), document
        )
    problems = []
    for path, message in found:
        path = tuple(path)
        line, column = document.position(path)
        problems.append(Problem(document.filename, line, column, format_path(path), str(message)))
    return problems


# --------------------------------------------------------------------------- built-in scenarios

# The ids and the default live in `builtin` (light to import); re-exported here, where they were.
_SCENARIO_ID = SCENARIO_ID
_builtin_dir = builtin_dir


def _unknown_builtin(ref: str, extra: str = "") -> ScenarioError:
    ids = builtin_scenario_ids()
    close = difflib.get_close_matches(ref, ids, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(ids) if ids else "none"
    return ScenarioError(
        [
            Problem(
                ref, None, None, "", f"unknown scenario {ref!r}{extra} (built-in scenarios: {listed}){hint}"
            )
        ]
    )


def builtin_scenario_path(scenario_id: str) -> Path:
    """The file of a built-in scenario; `ScenarioError` when there is no such id."""
    if not _SCENARIO_ID.match(scenario_id) or scenario_id not in builtin_scenario_ids():
        raise _unknown_builtin(scenario_id)
    return Path(str(_builtin_dir() / f"{scenario_id}.yaml"))


def resolve_scenario(ref: str) -> Path:
    """A built-in scenario id or a path to a scenario file -> the file's path."""
    looks_like_path = any(sep in ref for sep in ("/", "\\")) or ref.endswith((".yaml", ".yml"))
    if not looks_like_path and _SCENARIO_ID.match(ref) and ref in builtin_scenario_ids():
        return builtin_scenario_path(ref)
    path = Path(ref)
    if path.is_file():
        return path
    if looks_like_path:
        raise ScenarioError([Problem(ref, None, None, "", "no such scenario file")])
    raise _unknown_builtin(ref, " and no such file")


def scenario_content_hash(raw: bytes) -> str:
    """`sha256:<hex>` of a scenario file's bytes, with CRLF line ends read as LF."""
    return "sha256:" + hashlib.sha256(bytes(raw).replace(b"\r\n", b"\n")).hexdigest()


def read_document(source: str | os.PathLike[str] | bytes, *, kind: str, filename: str | None = None) -> Document:
    """An untrusted file of a kind ("record", "script"), or its bytes, read as YAML within that
    kind's limits. Errors name `filename` (default: the path, or `<kind>` for bytes)."""
    if isinstance(source, bytes | bytearray):
        raw, name = bytes(source), filename or f"<{kind}>"
    else:
        raw, name = read_bytes_limited(source, kind=kind), filename or os.fspath(source)
    return load_yaml(raw, filename=name, kind=kind)
