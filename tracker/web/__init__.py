"""The Flask app factory: one Services per process, blueprints per audience, languages via Flask-Babel."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, request, session
from flask_babel import Babel, get_locale

from tracker.bootstrap import Services, build_services
from tracker.config import Settings

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "ru", "ky", "tg", "uz_Latn")


def create_app(config: dict[str, Any] | None = None, services: Services | None = None) -> Flask:
    settings = services.settings if services else Settings.from_env()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_dir.resolve()),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True)
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(settings)
    app.extensions["tracker"] = services or build_services(settings)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale

    from tracker.web import public

    app.register_blueprint(public.blueprint)
    return app


def select_locale() -> str:
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(["en", "ru", "ky", "tg", "uz", "uz-Latn"]) or "en"
    return "uz_Latn" if best.startswith("uz") else best


def _secret_key(settings: Settings) -> str:
    if os.environ.get("TRACKER_SECRET_KEY"):
        return os.environ["TRACKER_SECRET_KEY"]
    if settings.secret_key_file.exists():
        return settings.secret_key_file.read_text().strip()
    from tracker.confidentiality import MasterKeyError

    raise MasterKeyError(
        f"no session secret: set TRACKER_SECRET_KEY or run `tracker init` to create {settings.secret_key_file}"
    )
