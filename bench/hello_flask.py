"""The web baseline for bench/web_service.py: the ASK SDK's hello world in a minimal Flask app.

`gunicorn "bench.hello_flask:create_app()"`. What the SDK's own Flask adapter does for a
skill, without request verification and without anything of ours: read the body, let the
SDK deserialize it, dispatch to one handler that says "Hello world", serialize the
response, return it as JSON. Nothing from `skill.web` is used, so the benchmark compares
our whole web path (checks, verification, logging, the skill) with the bare minimum.
"""

from __future__ import annotations

import json

from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, request

from bench.hello_skill import build_hello_skill


def create_app() -> Flask:
    skill = build_hello_skill()
    app = Flask(__name__)

    @app.post("/")
    def hello() -> Response:
        envelope = skill.serializer.deserialize(request.get_data(as_text=True), RequestEnvelope)
        response = skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=None))
        return Response(json.dumps(response), mimetype="application/json")

    @app.get("/health")
    def health() -> Response:  # the benchmark's harness waits for every worker on it
        return Response('{"status":"ok"}', mimetype="application/json")

    return app
