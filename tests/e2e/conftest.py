"""Browser tests: Debian's Chromium driven by Playwright against the app served on a free local port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import request
from werkzeug.serving import make_server

from tests.story import BY, Story, tell_story
from tracker.bootstrap import build_services
from tracker.confidentiality import MasterKey
from tracker.config import Settings
from tracker.web import create_app

PASSWORD = "a long enough password"
NOW = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    # Each test has a live server of its own, with its own address. This also stands in for pytest-playwright's
    # fallback fixture (used without pytest-base-url), a method on a class, which pytest 9 deprecates.
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # English pages whatever the machine's locale, so the test can look for the English messages.
    return {**browser_context_args, "locale": "en-US"}


@dataclass
class LiveServer:
    url: str
    story: Story
    secretary: str
    password: str
    services: Any = None
    requests: list[str] | None = None  # "METHOD /path" of every request the server saw
    app: Any = None  # the Flask app, whose config a test may change while it serves
    in_flight: Any = None  # the requests being answered (InFlight)

    @property
    def team_id(self) -> UUID:
        return self.story.team_id


@pytest.fixture
def live_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """The app on a fresh SQLite database with the team story and a secretary of its team, CSRF on."""
    monkeypatch.delenv("TRACKER_PROJECTIONS", raising=False)  # read models updated in this process, after each write
    settings = Settings(f"sqlite:///{tmp_path / 'e2e.sqlite3'}", tmp_path / "instance")
    services = build_services(settings, master_key=MasterKey.generate(), clock=lambda: NOW)
    story = tell_story(services.app)
    secretary = services.app.register_user(username="secretary_a", display_name="Гүлнара", password=PASSWORD, by=BY)
    services.app.grant_role(secretary, role="secretary", team_id=story.team_id, by=BY)
    app = create_app({"SECRET_KEY": "e2e", "TESTING": False}, services=services)
    seen: list[str] = []
    app.before_request(lambda: seen.append(f"{request.method} {request.path}"))
    in_flight = InFlight(app.wsgi_app)
    app.wsgi_app = in_flight  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(
            f"http://127.0.0.1:{server.server_port}", story, "secretary_a", PASSWORD, services, seen, app, in_flight
        )
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        wait_until(lambda: in_flight.count == 0, timeout=30)  # a request still answering uses the database
        services.close()


class InFlight:
    """Counts the requests being answered, so the database is closed only when none is (a browser's background
    requests may still be running when a test ends; closing SQLite under one crashes the process)."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app, self.count, self.lock = wsgi_app, 0, threading.Lock()

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self.lock:
            self.count += 1
        answer = None
        try:
            answer = self.wsgi_app(environ, start_response)
            return list(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
            with self.lock:
                self.count -= 1


def wait_until(check: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def offline_layer_settled(page: Any) -> None:
    """The service worker controls the page and has copied the pages for recording to the phone (its requests
    are over). Polled from here: the page's CSP forbids the eval that wait_for_function uses."""
    wait_until(lambda: page.evaluate("navigator.serviceWorker.getRegistration().then(r => Boolean(r && r.active))"))
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()  # this page started loading while the worker was being installed: the next load is its
    wait_until(lambda: page.evaluate("navigator.serviceWorker.controller !== null"), timeout=30)
    wait_until(lambda: page.evaluate("TrackerOutbox.meta('refreshed').then(when => Boolean(when))"), timeout=30)
