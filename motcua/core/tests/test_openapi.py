"""The committed OpenAPI description (openapi/v1.json) must match the code."""

from __future__ import annotations

import json
from pathlib import Path

from config.api import api

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "openapi" / "v1.json"


def test_committed_openapi_matches_the_code() -> None:
    current = json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True))
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert current == committed, (
        "openapi/v1.json is out of date: run `make openapi` and commit the result"
    )


def test_api_docs_are_served(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/docs").status_code == 302
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
