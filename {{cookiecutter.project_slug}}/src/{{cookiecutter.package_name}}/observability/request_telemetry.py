"""Per request: an `X-Request-ID`, its metrics, and one log line when the response ends.

A pure ASGI middleware: no request objects are built and the body streams through untouched.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Collection, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .logs import RequestContext, current_request
from .metrics import HttpMetrics

REQUEST_ID_HEADER = b"x-request-id"
# Accepted from callers (a proxy or another service) only in this shape: it is echoed in a header
# and written to every log line, so nothing that could forge a line or a header gets through.
_VALID_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")

logger = logging.getLogger(__name__)


def request_id_from(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """The caller's request id when it is well-formed, otherwise a new one."""
    for name, value in headers:
        if name == REQUEST_ID_HEADER and _VALID_REQUEST_ID.fullmatch(value):
            return value.decode()
    return os.urandom(16).hex()  # as unique as a random UUID, and a tenth of the cost


class RequestTelemetry:
    def __init__(
        self,
        app: ASGIApp,
        metrics: HttpMetrics,
        skip_paths: Collection[str] = (),
        trace_id: Callable[[], str | None] | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.skip_paths = frozenset(skip_paths)
        self.trace_id = trace_id

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.skip_paths:
            await self.app(scope, receive, send)
            return
        context = RequestContext(request_id_from(scope["headers"]))
        token = current_request.set(context)
        request_id = context.request_id.encode()
        status = 500  # what the client gets when the app raises before it responds

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (REQUEST_ID_HEADER, request_id)]
            await send(message)

        started = time.perf_counter()
        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            seconds = time.perf_counter() - started
            self.metrics.in_flight.dec()
            template = getattr(scope.get("route"), "path", None)  # set when a route matched
            self.metrics.observe(template, scope["method"], status, seconds)
            self._log(scope, template, status, seconds * 1000)
            current_request.reset(token)

    def _log(self, scope: Scope, template: str | None, status: int, duration_ms: float) -> None:
        fields: dict[str, object] = {
            "method": scope["method"],
            "route": template,
            "path": scope["path"],
            "status": status,
            "duration_ms": round(duration_ms, 2),
        }
        trace_id = self.trace_id() if self.trace_id is not None else None
        if trace_id is not None:
            fields["trace_id"] = trace_id
        # Unhandled errors are logged with their traceback where they happen; this line only
        # makes 5xx answers stand out among the rest.
        level = logging.WARNING if status >= 500 else logging.INFO
        if logger.isEnabledFor(level):
            # logger.log would also walk the stack for the caller's line, which no format prints.
            args = (fields["method"], template or fields["path"], status)
            record = logger.makeRecord(
                logger.name, level, __file__, 0, "%s %s %s", args, None, extra=fields
            )
            logger.handle(record)
