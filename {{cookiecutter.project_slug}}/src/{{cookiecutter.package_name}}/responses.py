"""Error answers documented once for every API route, so the OpenAPI schema lists all it can say."""

from __future__ import annotations

from typing import Any

from fastapi import status

from .errors import problem

Responses = dict[int | str, dict[str, Any]]

API_ERRORS: Responses = {
    status.HTTP_400_BAD_REQUEST: problem("The body is not JSON, or is nested too deeply"),
    status.HTTP_401_UNAUTHORIZED: problem("Missing, malformed, expired or foreign bearer token"),
    status.HTTP_403_FORBIDDEN: problem("The token's roles do not allow this"),
    status.HTTP_413_CONTENT_TOO_LARGE: problem("The body is larger than MAX_BODY_BYTES"),
    status.HTTP_503_SERVICE_UNAVAILABLE: problem("The database is busy or down; see Retry-After"),
    status.HTTP_504_GATEWAY_TIMEOUT: problem("The request took longer than its time limit"),
}


def not_found(resource: str) -> Responses:
    return {status.HTTP_404_NOT_FOUND: problem(f"No such {resource} in your organization")}


def conflict(description: str) -> Responses:
    return {status.HTTP_409_CONFLICT: problem(description)}
