"""The one check for where a redirect may go: a path on this site, never another host however it is spelt."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def local_path(target: str | None) -> str | None:
    """`target` when it is a path on this site (with its query), else None.

    Refused: anything with a scheme or host, `//` or a backslash at the start, and control characters, also
    once percent-decoded (a browser drops a tab, so `/\\t/evil.example` would become `//evil.example`).
    """
    if not target:
        return None
    for spelling in (target, unquote(target)):
        if any(ord(c) < 32 or ord(c) == 127 or c == "\\" for c in spelling):
            return None
        if not spelling.startswith("/") or spelling.startswith("//"):
            return None
        parts = urlsplit(spelling)
        if parts.scheme or parts.netloc:
            return None
    return target
