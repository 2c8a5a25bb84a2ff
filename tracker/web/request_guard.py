"""The request-level guard: a JSON body nested too deep, or holding text that is not Unicode (a lone surrogate),
is refused with a 400 before any view reads it, and a body over MAX_CONTENT_LENGTH with a 413."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, abort, current_app, request

MAX_BODY = 2 * 1024 * 1024
MAX_DEPTH = 32


def init_request_guard(app: Flask) -> None:
    app.config.setdefault("MAX_CONTENT_LENGTH", MAX_BODY)
    app.before_request(_check_json_body)


def _check_json_body() -> None:
    if (request.content_length or 0) > (current_app.config["MAX_CONTENT_LENGTH"] or MAX_BODY):
        abort(413)
    if not request.is_json:  # also a body sent in chunks, with no Content-Length: get_data keeps to the limit
        return
    try:
        document = json.loads(request.get_data(cache=True))
    except RecursionError:
        abort(400, "the JSON body is nested too deep")
    except (ValueError, UnicodeDecodeError):
        return  # not JSON at all: the view's own parser says so
    if not _plain(document, 0):
        abort(400, f"the JSON body is nested deeper than {MAX_DEPTH} levels or holds text that is not Unicode")


def _plain(value: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, str):
        return _is_unicode(value)
    if isinstance(value, list):
        return all(_plain(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(_is_unicode(key) and _plain(item, depth + 1) for key, item in value.items())
    return True


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
