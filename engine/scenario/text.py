"""Player-facing text in several languages, with a per-string fallback to English."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

DEFAULT_LANGUAGE = "en"
SUPPORTED_LANGUAGES = ("en", "zh")


class _Translations(dict):
    """A text's strings by language: a dict that refuses every change (a Text is a value)."""

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("a Text's translations cannot be changed")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self):
        return (_Translations, (dict(self),))


def _freeze(values: Mapping[str, str] | str) -> Mapping[str, str]:
    if isinstance(values, _Translations):
        return values
    if isinstance(values, str):
        return _Translations({DEFAULT_LANGUAGE: values})
    return _Translations(values)


@attrs.frozen
class Text:
    """A string in one or more languages: `Text({"en": "Hotline", "zh": "热线"})`.

    In YAML a Text is either a plain string (English) or a mapping of language codes to strings.
    """

    values: Mapping[str, str] = attrs.field(converter=_freeze)

    def get(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The text in `language`, else English, else any language it has."""
        if language in self.values:
            return self.values[language]
        if DEFAULT_LANGUAGE in self.values:
            return self.values[DEFAULT_LANGUAGE]
        return next(iter(self.values.values()), "")

    def languages(self) -> frozenset[str]:
        return frozenset(self.values)

    def __str__(self) -> str:
        return self.get()

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.values.items())))


EMPTY_TEXT = Text({})
