"""A moto DynamoDB server whose conditional writes are atomic, with faults on request.

`python -m moto.server` handles requests on many threads, and moto checks a
ConditionExpression and then writes without a lock, so two conditional writes can both
pass: real DynamoDB never allows that. Here every DynamoDB call runs under one lock, so
the storage tests and the soak measure the skill, not the stand-in.

Faults for `make faults`, switched by `POST /_fault?mode=stall|fail_reads|off&seconds=N`:
- stall: every call waits until the fault ends (or the client gives up);
- fail_reads: GetItem answers HTTP 500 InternalServerError.

Run: python -m bench.dynamodb_server --port 8001
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from typing import Any
from urllib.parse import parse_qs

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


class FaultyAtomicApp:
    def __init__(self) -> None:
        self.app = DomainDispatcherApplication(create_backend_app)
        self.lock = threading.Lock()
        self.mode: str | None = None
        self.until = 0.0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/_fault":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            mode = query.get("mode", ["off"])[0]
            self.mode = None if mode == "off" else mode
            self.until = time.monotonic() + float(query.get("seconds", ["0"])[0])
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [f"fault {mode}\n".encode()]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        remaining = self.until - time.monotonic()
        if self.mode and remaining > 0:
            if self.mode == "stall":
                time.sleep(remaining)
            elif self.mode == "fail_reads" and target.endswith(".GetItem"):
                body = json.dumps(
                    {
                        "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                        "message": "injected read failure",
                    }
                ).encode()
                start_response("500 Internal Server Error", [("Content-Type", "application/json")])
                return [body]
        with self.lock:
            return list(self.app(environ, start_response))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    run_simple(
        args.host, args.port, FaultyAtomicApp(), threaded=True, request_handler=MotoRequestHandler
    )


if __name__ == "__main__":
    main()
