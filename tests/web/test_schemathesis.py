"""schemathesis against /api/v1/openapi.json: generated requests, as a secretary and anonymously, find no 5xx and
no response that breaks the document (status codes, content types, bodies). A bounded number of examples."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tracker.web import create_app

EXAMPLES_PER_OPERATION = 20


def test_the_api_keeps_to_its_openapi_document(services, world):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
        services=services,
    )
    token = services.app.credentials.create_token(services.app.user_named("secretary_a").id)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(case=operation.as_strategy())
        def keeps_to_the_document(case):
            for headers in ({"Authorization": f"Bearer {token}"}, {}):
                case.validate_response(case.call(headers=headers))

        keeps_to_the_document()
