from __future__ import annotations

from typing import Any


def test_it_gives_every_response_a_request_id(client: Any) -> None:
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_it_keeps_a_well_formed_incoming_request_id(client: Any) -> None:
    response = client.get("/", HTTP_X_REQUEST_ID="lb-abcdef123456")
    assert response["X-Request-ID"] == "lb-abcdef123456"


def test_it_replaces_a_malformed_incoming_request_id(client: Any) -> None:
    response = client.get("/", HTTP_X_REQUEST_ID="bad id with spaces;drop")
    assert response["X-Request-ID"] != "bad id with spaces;drop"


def test_the_health_endpoint_answers_without_a_database(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
