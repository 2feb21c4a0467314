"""Make text from data safe to print on a terminal: control characters shown, never obeyed.

A contributor name or a news item may hold ``ESC ] 0 ; … BEL`` (set the window title),
``ESC [ 2 J`` (clear the screen) or a bare ``CR`` (overwrite the line): printed raw, they
act on the reader's terminal. :func:`safe` replaces every C0 and C1 control, DEL and the
Unicode bidirectional overrides with a visible ``\\xNN``/``\\uNNNN`` escape, in one pass.
"""

from __future__ import annotations

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROLS = (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI)
_TABLE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _CONTROLS}
_KEEP_LINES = {c: e for c, e in _TABLE.items() if chr(c) not in "\n\t"}


def safe(text: str, lines: bool = False) -> str:
    r"""Return `text` with control characters escaped (newlines and tabs kept when `lines`).

    >>> safe("A\x1b]0;owned\x07 B\r")
    'A\\x1b]0;owned\\x07 B\\x0d'
    >>> safe("two\nlines", lines=True)
    'two\nlines'
    """
    return text.translate(_KEEP_LINES if lines else _TABLE)
