"""RFC 9457 problem details for the JSON API: every 4xx and 5xx as `application/problem+json`, with the field
at fault, and declared as the default response of every operation in the OpenAPI document."""

from __future__ import annotations

import http
from typing import Any

import marshmallow as ma
from flask import Response, g, json, request
from flask_babel import gettext
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://partnership-tracker.org/problems/"


class InvalidParamSchema(ma.Schema):
    name = ma.fields.String(required=True, metadata={"description": "The field at fault, e.g. `decisions[0].text`"})
    reason = ma.fields.String(required=True)


class ProblemSchema(ma.Schema):
    type = ma.fields.String(required=True, metadata={"description": "A URI naming the kind of problem"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    field = ma.fields.String(metadata={"description": "The field at fault, when there is one"})
    invalid_params = ma.fields.List(ma.fields.Nested(InvalidParamSchema))


class ProblemApi(Api):
    """flask-smorest's Api, answering errors as problem details and documenting them so."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Any:
        if not request.path.startswith("/api/"):
            from tracker.web.error_pages import page_for

            return page_for(error)  # pages for people: in the site's layout and the reader's language
        data = getattr(error, "data", None) or {}
        invalid = _invalid_params(data.get("messages") or data.get("errors") or {})
        allowed = dict(error.get_headers()).get("Allow")  # a 405 says which methods the resource takes
        detail = data.get("message") or error.description
        if sent_by_a_page():  # a person's page sent it (the phone's outbox): said in their language
            detail = _in_readers_language(error.code or 500, invalid) or detail
        return problem(
            error.code or 500,
            detail=detail,
            field=data.get("field") or (invalid[0]["name"] if invalid else None),
            invalid_params=invalid,
            kind=data.get("kind"),
            headers={"Allow": allowed} if allowed else None,
        )


def problem(
    status: int,
    *,
    detail: str | None = None,
    field: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + kind if kind else "about:blank",
        "title": http.HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if field:
        body["field"] = field
    if invalid_params:
        body["invalid_params"] = invalid_params
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON, headers=headers)


def _invalid_params(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """webargs' nested error dicts ({"json": {"decisions": {"0": {"text": [...]}}}}) as a flat list."""
    found: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "headers", "form", "files", "path") and not prefix:
                found += _invalid_params(value, "")
                continue
            name = f"{prefix}[{key}]" if str(key).isdigit() else (f"{prefix}.{key}" if prefix else str(key))
            found += _invalid_params(value, name)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        found.append({"name": prefix or "body", "reason": " ".join(messages)})
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            found += _invalid_params(value, f"{prefix}[{index}]")
    elif isinstance(messages, str):
        found.append({"name": prefix or "body", "reason": messages})
    return found


def sent_by_a_page() -> bool:
    """The request came from the app's own pages with their session (no bearer token), as the phone's outbox
    sends: also for a refusal made before the API's own check ran (a body too large or nested too deep)."""
    from flask_login import current_user

    if g.get("api_session"):
        return True
    return not request.headers.get("Authorization") and bool(current_user and current_user.is_authenticated)


def _in_readers_language(status: int, invalid: list[dict[str, str]]) -> str | None:
    if status in (400, 422) and not invalid:
        return gettext("The form could not be read: edit it and send it again.")
    if status in (400, 422):
        names = ", ".join(dict.fromkeys(each["name"] for each in invalid)) or "body"
        return gettext("Some fields are missing or not valid: %(fields)s.", fields=names)
    return {
        401: gettext("Log in to send what waits on this phone."),
        403: gettext("Only the team's secretaries record for it."),
        404: gettext("It is not there (any more): it may have been erased."),
        413: gettext("Too long to send: shorten the text and send it again."),
        429: gettext("Too many requests: it will be sent again in a while."),
    }.get(status)
