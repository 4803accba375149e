"""Decoding text files: UTF-8 (with or without BOM) and the GB family, detected, not guessed."""

from __future__ import annotations

_CANDIDATES = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Return the text and a warning when it was not plain UTF-8.

    UTF-8 is tried strictly first (a GBK file almost never decodes as UTF-8), then
    GB18030, the superset of GB2312 and GBK. Anything else raises ``UnicodeDecodeError``.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("gb18030")
    return text, "encoding: decoded as GB18030 (not UTF-8)"
