"""Decoding text files: UTF-8 (with or without BOM) and the GB family, detected, not guessed."""

from __future__ import annotations

_CANDIDATES = ("utf-8-sig", "gb18030")
# a file with at most 1 undecodable byte sequence per 100 non-ASCII characters decoded is that
# encoding with a few damaged bytes (a disk or transfer error), not another encoding: GBK read
# as UTF-8 fails on nearly every Chinese character. Below 100 such characters there is too
# little to tell.
DAMAGE_SHARE = 100
DAMAGE_MIN_CHARS = 100


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Return the text and a warning when it was not plain UTF-8.

    UTF-8 is tried strictly first (a GBK file almost never decodes as UTF-8), then
    GB18030, the superset of GB2312 and GBK. A file that is one of them but for a few damaged
    bytes is decoded with those bytes replaced by U+FFFD, and says so, rather than read in the
    wrong encoding or refused whole. Anything else raises ``UnicodeDecodeError``.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError:
            return _damaged(data, "utf-8", "UTF-8 with")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        damaged = _damaged(data, "utf-8", "UTF-8 with", raise_error=False)
        if damaged is not None:
            return damaged
    try:
        return data.decode("gb18030"), "encoding: decoded as GB18030 (not UTF-8)"
    except UnicodeDecodeError:
        damaged = _damaged(data, "gb18030", "decoded as GB18030 (not UTF-8),", raise_error=False)
        if damaged is not None:
            return damaged
        raise


def _damaged(data: bytes, codec: str, said: str, raise_error: bool = True):
    """(text, warning) when ``data`` is ``codec`` with a few damaged bytes; else None (or the error)."""
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad  # non-ASCII characters decoded
    if good >= DAMAGE_MIN_CHARS and bad * DAMAGE_SHARE <= good:
        return text, f"encoding: {said} {bad} damaged byte sequence(s) replaced by U+FFFD"
    if raise_error:
        data.decode(codec)  # raises the UnicodeDecodeError that says where
    return None
