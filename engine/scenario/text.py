"""Player-facing text in several languages, with a per-string fallback to English."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

DEFAULT_LANGUAGE = "en"
SUPPORTED_LANGUAGES = ("en", "zh")


def _freeze(values: Mapping[str, str] | str) -> Mapping[str, str]:
    if isinstance(values, str):
        return {DEFAULT_LANGUAGE: values}
    return dict(values)


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
