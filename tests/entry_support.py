"""Send one envelope through each entry point and describe the outcome the same way.

`POST /` refuses with HTTP 400; `lambda_handler` refuses with a logged, empty response.
Both count as "refused" here, so a test can ask that the two entry points agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import lambda_handler


@dataclass(frozen=True)
class Outcome:
    refused: bool
    reason: str | None = None
    response: dict[str, Any] | None = None
    status: int = 200

    def same_as(self, other: Outcome) -> bool:
        if self.refused or other.refused:
            return self.refused == other.refused and self.reason == other.reason
        return _comparable(self.response) == _comparable(other.response)


def _comparable(response: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (response or {}).items() if k != "userAgent"}


def to_body(envelope: Any) -> bytes:
    """JSON text as Alexa would send it (NaN and surrogates escaped as Python writes them)."""
    return json.dumps(envelope).encode("utf-8")


def via_web(client, body: bytes | str, content_type: str = "application/json", **kw) -> Outcome:
    reply = client.post("/", data=body, content_type=content_type, **kw)
    payload = reply.get_json(silent=True)
    if reply.status_code == 400:
        return Outcome(True, reason=payload["error"], status=400)
    return Outcome(False, response=payload, status=reply.status_code)


def via_lambda(event: Any) -> Outcome:
    response, reason = lambda_handler.answer(event)
    json.dumps(response, allow_nan=False)  # what Lambda sends must be valid JSON
    return Outcome(reason is not None, reason=reason, response=response)
