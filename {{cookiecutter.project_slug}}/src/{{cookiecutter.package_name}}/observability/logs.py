"""Log lines as JSON objects (for log pipelines) or as text (for people), with secrets redacted."""

from __future__ import annotations

import functools
import json
import logging
import re
import sys
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..settings import LogFormat, Settings

# Attributes every LogRecord has (and uvicorn's ANSI-coloured copy of the message); anything else
# on a record came from `extra=` and is logged.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "color_message",
}
# Credentials must not reach the logs, wherever they turn up in a line (a message quoting a header,
# an exception quoting a token or a database URL). Each pattern runs only when its cheap marker
# occurs in the line, which most lines pass without a regex.
_BEARER = re.compile(r"(?i)(?<=bearer )[\w.~+/-]+=*")
_CREDENTIALS = (
    (("earer", "EARER"), _BEARER),  # "Bearer <token>" in any case
    (("eyJ",), re.compile(r"\beyJ[\w-]*\.[\w-]*\.[\w-]*")),  # a JWT: base64 of '{"' opens it
    (("@",), re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+(?=@)")),  # user:password@ in a URL
)
REDACTED = "[redacted]"
# Marks the console handler this module manages, so reconfiguring replaces it instead of adding
# a second one.
_HANDLER_NAME = "observability-console"


@dataclass
class RequestContext:
    """What every log line written while serving one request should carry."""

    request_id: str
    tenant_id: str | None = None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)


def redact(line: str) -> str:
    for markers, pattern in _CREDENTIALS:
        for marker in markers:
            if marker in line:
                line = pattern.sub(REDACTED, line)
                break
    return line


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The request's id and tenant (when inside one), then the record's `extra=` fields."""
    fields: dict[str, Any] = {}
    context = current_request.get()
    if context is not None:
        fields["request_id"] = context.request_id
        if context.tenant_id is not None:
            fields["tenant_id"] = context.tenant_id
    fields.update(
        (key, value) for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES
    )
    return fields


@functools.lru_cache(maxsize=4)
def _utc_second(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _utc_timestamp(record: logging.LogRecord) -> str:
    """ISO 8601 in UTC with milliseconds; a second's prefix is formatted once for all its lines."""
    return f"{_utc_second(int(record.created))}.{int(record.msecs):03d}+00:00"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, severity, logger, message, context fields, exception."""

    _encoder = json.JSONEncoder(default=str, ensure_ascii=False)

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": _utc_timestamp(record),
            # `severity` in capitals: the field Cloud Logging reads the level from.
            "severity": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return redact(self._encoder.encode(line))


class TextFormatter(logging.Formatter):
    """`time level logger: message key=value ...` for reading in a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        return redact(f"{super().format(record)} {fields}".rstrip())


def log_format(settings: Settings) -> LogFormat:
    """LOG_FORMAT when set; otherwise JSON in deployed environments and text elsewhere."""
    if settings.log_format is not None:
        return settings.log_format
    return LogFormat.JSON if settings.environment.is_deployed else LogFormat.TEXT


def configure_logging(settings: Settings) -> None:
    """Send every log line, uvicorn's included, through one console handler in LOG_FORMAT.

    Process-wide: create_app calls it once, before anything logs; calling it again replaces the
    handler instead of adding one.
    """
    root = logging.getLogger()
    root.setLevel(settings.log_level)
    # A plain console handler set up before (`logging.basicConfig` in a tool or a shell) would
    # print each line twice.
    for handler in list(root.handlers):
        if type(handler) is logging.StreamHandler or handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.set_name(_HANDLER_NAME)
    json_lines = log_format(settings) is LogFormat.JSON
    console.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root.addHandler(console)
    # Uvicorn's own handlers print text; its lines go through ours instead. Its access log would
    # repeat the request line the request telemetry middleware writes.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    # Neither format prints the thread or process a line came from: skip looking them up for
    # every record (the logging HOWTO's "Optimization" switches).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
