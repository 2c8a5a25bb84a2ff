"""The Flask app factory: one Services per process, a blueprint per audience, languages, CSRF and headers."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, request, session, url_for
from flask_babel import Babel, format_date, format_decimal, get_locale, gettext
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from tracker.bootstrap import Services, build_services
from tracker.confidentiality import MasterKeyError
from tracker.config import Settings
from tracker.domain.values import Country, MeetingKind, Role, Sector, UserRole
from tracker.login_sessions import LIFETIME
from tracker.rate_limits import SCHEME
from tracker.vocabulary import PROBLEM_WORDS, label_of, region_name, shown_erased
from tracker.web.drafts import recorded_keys
from tracker.web.error_pages import init_error_pages
from tracker.web.errors import error_summary
from tracker.web.logs import init_request_logs
from tracker.web.offline import init_offline
from tracker.web.recordings import init_recordings
from tracker.web.redirects import local_path
from tracker.web.request_guard import init_request_guard
from tracker.web.routing import UUIDConverter

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = {"en": "English", "ru": "Русский", "ky": "Кыргызча", "tg": "Тоҷикӣ", "uz_Latn": "Oʻzbekcha"}
SESSION_LIFETIME = LIFETIME  # a cookie lives as long as its login session on the server
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
csrf = CSRFProtect()


def create_app(config: dict[str, Any] | None = None, services: Services | None = None) -> Flask:
    settings = services.settings if services else Settings.from_env()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_dir.resolve()),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("TRACKER_HTTPS", "") == "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        # A minutes form kept open for an hour must still save: the token lives as long as the session.
        WTF_CSRF_TIME_LIMIT=int(SESSION_LIFETIME.total_seconds()),
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "translations"),
        API_TITLE="Partnership Tracker",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    )
    if hosts := os.environ.get("TRACKER_HOSTS"):
        # Only these names in the Host header (Flask answers others with a 400): links are never built for a
        # host an attacker sent.
        app.config["TRUSTED_HOSTS"] = [host.strip() for host in hosts.split(",") if host.strip()]
    if config:
        app.config.update(config)
    proxies = int(os.environ.get("TRACKER_PROXIES") or 0)
    if proxies:
        # Behind nginx: the client's address (rate limits, logs) and scheme come from the proxy's headers,
        # trusted from this many proxies only (docs/deploy.md).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(settings)
    app.extensions["tracker"] = services or build_services(settings)
    app.url_map.converters["uuid"] = UUIDConverter
    _init_extensions(app)
    _register_blueprints(app)
    app.after_request(_security_headers)
    init_request_logs(app)
    init_request_guard(app)
    init_error_pages(app)
    init_recordings(app)
    init_offline(app)
    app.before_request(_permanent_session)
    return app


def _init_extensions(app: Flask) -> None:
    from tracker.web.auth import login_manager
    from tracker.web.limits import limiter

    Babel(app, locale_selector=select_locale)
    app.config.setdefault("RATELIMIT_ENABLED", True)  # explicit: the limiter is shared by every app made here
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("TRACKER_RATELIMIT_STORAGE") or f"{SCHEME}://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(SCHEME):
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {"engine": app.extensions["tracker"].engine}
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    app.jinja_env.globals.update(
        get_locale=get_locale,
        languages=LANGUAGES,
        format_date=_format_date,
        format_amount=format_decimal,
        error_summary=error_summary,
        recorded_keys=recorded_keys,
    )
    app.jinja_env.finalize = lambda value: shown_erased(value, gettext)  # before any template is compiled
    app.jinja_env.filters["label"] = lambda value: gettext(label_of(value, Role, Sector, MeetingKind, UserRole))
    app.jinja_env.globals["problem_word"] = lambda kind, value: gettext(label_of(value, PROBLEM_WORDS[kind]))
    app.jinja_env.filters["region_name"] = lambda value: region_name(value, gettext)
    app.jinja_env.filters["country_name"] = lambda value: gettext(label_of(value, Country))


def _register_blueprints(app: Flask) -> None:
    from tracker.web import (
        admin,
        api,
        api_problems,  # noqa: F401 - its routes join the API's blueprint
        audit,
        auth,
        dashboard,
        ledger,
        member,
        offline,
        operations,
        public,
        reports,
        secretary,
        secretary_problems,  # noqa: F401 - its routes join the secretary's blueprint
    )
    from tracker.web.problems import ProblemApi

    app.register_blueprint(operations.blueprint)
    app.register_blueprint(ledger.blueprint)
    app.register_blueprint(public.blueprint)
    app.register_blueprint(reports.blueprint)
    app.register_blueprint(dashboard.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(secretary.blueprint)
    app.register_blueprint(member.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(audit.blueprint)
    app.register_blueprint(offline.blueprint)
    csrf.exempt(api.blueprint)  # bearer tokens, no cookies: nothing for a cross-site form to ride on
    ProblemApi(app).register_blueprint(api.blueprint)

    @app.post("/language")
    @csrf.exempt  # it changes only the reader's own language, and a page without a token reads the same every time
    def choose_language() -> Response:
        chosen = request.form.get("language", "")
        if chosen in LANGUAGES:
            session["language"] = chosen
        return redirect(local_path(request.form.get("next")) or url_for("public.front_page"))


def select_locale() -> str:
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(["en", "ru", "ky", "tg", "uz", "uz-Latn", "uz_Latn"]) or "en"
    return "uz_Latn" if best.startswith("uz") else best


def _format_date(value: date | None, style: str = "medium") -> str:
    return format_date(value, style) if value else ""


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def _permanent_session() -> None:
    """Sessions outlive the browser (a phone's browser is closed and reopened all day). Not from a request answered
    in the background: marking a session permanent changes it, and such an answer would then set a cookie of its
    own, which, landing after the login page's, would replace that page's session and its form's token."""
    if not session.permanent and not g.get("in_the_background"):  # setting it marks the session changed
        session.permanent = True


def _secret_key(settings: Settings) -> str:
    if os.environ.get("TRACKER_SECRET_KEY"):
        return os.environ["TRACKER_SECRET_KEY"]
    if settings.secret_key_file.exists():
        return settings.secret_key_file.read_text().strip()
    raise MasterKeyError(
        f"no session secret: set TRACKER_SECRET_KEY or run `tracker init` to create {settings.secret_key_file}"
    )
