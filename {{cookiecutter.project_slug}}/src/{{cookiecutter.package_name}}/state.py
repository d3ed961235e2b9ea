"""What the app's lifespan builds for requests to use, in one typed place on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.applications import Starlette

from .auth import Verifier
from .db import Database
from .reads import Reader

_KEY = "services"


@dataclass(frozen=True)
class AppState:
    """The running app's services: set when its lifespan starts, gone when it ends."""

    database: Database
    reader: Reader
    verifier: Verifier


def set_services(app: Starlette, state: AppState | None) -> None:
    """Give `app` its services, or take them away with None."""
    setattr(app.state, _KEY, state)


def running_services(app: Starlette) -> AppState | None:
    """`app`'s services while its lifespan runs; None before it starts or after it ends."""
    state = getattr(app.state, _KEY, None)
    return state if isinstance(state, AppState) else None


def services(app: Starlette) -> AppState:
    """The services of `app` (or a request's `request.app`); an error if it is not running."""
    state = running_services(app)
    if state is None:
        raise RuntimeError("the app's services exist only while its lifespan runs")
    return state
