"""The process's Services, as the web layer reaches them."""

from __future__ import annotations

from flask import current_app

from tracker.bootstrap import Services


def services() -> Services:
    return current_app.extensions["tracker"]
