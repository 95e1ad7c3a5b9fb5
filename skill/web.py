"""The self-hosted entry point: a Flask app that hands Alexa requests to the skill.

Request flow: POST / -> checks on the raw request -> the ASK SDK skill -> JSON reply.
Anything malformed is answered with HTTP 400 and a log line; it never reaches the skill.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from skill.builder import build_skill, invoke, parse_envelope
from skill.config import Settings

log = logging.getLogger(__name__)

INSECURE_WARNING = (
    "REQUEST VERIFICATION IS OFF (ANKLE_COACH_DEV_SKIP_VERIFICATION=1): anyone who can reach "
    "this service can send it requests. Use this only on your own machine for development."
)


class BadRequest(Exception):
    """A request that is refused with HTTP 400; the message is the short reason."""


def _bad_request(reason: str) -> tuple[Response, int]:
    log.warning("rejected request path=%s reason=%s", request.path, reason)
    return jsonify(error=reason), 400


def read_body(max_bytes: int) -> bytes:
    if request.mimetype != "application/json":
        raise BadRequest("content type must be application/json")
    if request.content_length is not None and request.content_length > max_bytes:
        raise BadRequest("request body too large")
    body = request.get_data(cache=True)
    if len(body) > max_bytes:
        raise BadRequest("request body too large")
    return body


def parse_body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest("body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("not an Alexa request envelope")
    req = data.get("request")
    if not (isinstance(req, dict) and isinstance(req.get("type"), str) and "version" in data):
        raise BadRequest("not an Alexa request envelope")
    if not isinstance(req.get("requestId"), str) or not isinstance(req.get("timestamp"), str):
        raise BadRequest("not an Alexa request envelope")
    return data


def create_app(skill: CustomSkill | None = None, settings: Settings | None = None) -> Flask:
    """App factory: `flask --app skill.web:create_app run`, or gunicorn."""
    settings = settings or Settings.from_env()
    if not settings.dev_skip_verification:
        raise RuntimeError(
            "Alexa request verification is not built yet, so this service only runs in "
            "development mode: set ANKLE_COACH_DEV_SKIP_VERIFICATION=1 (make run does)."
        )
    log.warning(INSECURE_WARNING)
    skill = skill or build_skill()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error: Exception) -> tuple[Response, int]:
        return _bad_request("request body too large")

    @app.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.post("/")
    def alexa() -> tuple[Response, int] | Response:
        log.warning(INSECURE_WARNING)
        try:
            body = read_body(settings.max_body_bytes)
            parse_body(body)
            envelope = parse_envelope(skill, body.decode("utf-8"))
        except BadRequest as error:
            return _bad_request(str(error))
        except Exception as error:  # the SDK's deserializer raises several types
            log.warning("envelope could not be read: %s", error)
            return _bad_request("not an Alexa request envelope")
        return jsonify(invoke(skill, envelope))

    return app
