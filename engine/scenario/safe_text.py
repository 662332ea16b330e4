"""Untrusted text made safe for a terminal, and the characters scenario text may not hold.

Scenario, record, script and agent text is written by other people. Printed raw, a control
character can move the cursor, clear the screen, retitle the window or hide a command
(`ESC ]0;…BEL`, `ESC [2J`, the C1 CSI `\\x9b`), and a bidi override (U+202E) can make a line
read backwards. `printable` turns every such character into a visible escape (`\\x1b`,
`\\u202e`); `unsafe_character` finds the first one, for the scenario loader to refuse it.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE_CHARACTERS", "printable", "unsafe_character"]

# C0 controls but tab and line feed, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates (U+202A–U+202E, U+2066–U+2069).
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# As UNSAFE_CHARACTERS, and line breaks and tabs too (U+2028 and U+2029 break lines in some terminals).
_UNSAFE_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: object, *, one_line: bool = False) -> str:
    """`text` (or `str(text)`) with every control and bidi-control character but newline and tab
    shown as a visible escape: `"a\\x1b[2Jb"` -> `"a\\\\x1b[2Jb"`. Safe to print to a terminal.
    With `one_line`, newlines and tabs are escaped too (a message that must stay one line)."""
    value = text if isinstance(text, str) else str(text)
    return (_UNSAFE_IN_ONE_LINE if one_line else UNSAFE_CHARACTERS).sub(_escape, value)


def unsafe_character(text: str, *, multiline: bool = True) -> str | None:
    """The first character of `text` a scenario may not hold, or None.

    Newline and tab are allowed only when `multiline` (in values, not in keys).
    """
    match = UNSAFE_CHARACTERS.search(text)
    if match is not None:
        return match.group()
    if not multiline:
        for character in "\n\t":
            if character in text:
                return character
    return None
