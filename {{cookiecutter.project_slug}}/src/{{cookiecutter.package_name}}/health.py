"""Probes: /healthz says the process is alive, /readyz that it can serve (the database answers)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel

from .state import services

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": Health}},
)
async def readyz(request: Request, response: Response) -> Health:
    if await services(request.app).database.is_ready():
        return Health(status="ok")
    response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    response.headers["Retry-After"] = "5"
    return Health(status="database unavailable")
