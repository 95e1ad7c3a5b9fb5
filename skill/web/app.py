"""The self-hosted entry point: a Flask app that hands verified Alexa requests to the skill.

Request flow: POST / -> checks on the raw request -> Alexa request verification
(`skill.web.verification`) -> the ASK SDK skill -> JSON reply. Anything malformed or unverified
is answered with HTTP 400 and a log line naming the failed check; it never reaches the skill.

Production: `gunicorn --workers 2 --threads 4 --bind 127.0.0.1:8000 "skill.web:create_app()"`
behind a TLS-terminating proxy (README, "Running in production").
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from skill.alexa.builder import build_skill, invoke, parse_envelope
from skill.config import Settings
from skill.log_fields import log_field
from skill.web.verification import Rejected, RequestVerifier, load_roots

log = logging.getLogger(__name__)

INSECURE_WARNING = (
    "REQUEST VERIFICATION IS OFF (ANKLE_COACH_DEV_SKIP_VERIFICATION=1): anyone who can reach "
    "this service can send it requests. Use this only on your own machine for development."
)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class ConfigurationError(RuntimeError):
    """The service cannot start safely with these settings."""


class BadRequest(Exception):
    """A request that is refused with HTTP 400; the message is the short reason."""


def _bad_request(reason: str, check: str = "input") -> tuple[Response, int]:
    log.warning("rejected request path=%s check=%s reason=%s", request.path, check, reason)
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


def production_verifier(settings: Settings) -> RequestVerifier:
    """Verification with the production defaults: certifi roots (or the operator's bundle)."""
    if not settings.skill_ids:
        raise ConfigurationError(
            "ANKLE_COACH_SKILL_IDS is not set: request verification needs your skill id "
            "(amzn1.ask.skill....) to refuse other skills' requests. Set it, or for local "
            "development only set ANKLE_COACH_DEV_SKIP_VERIFICATION=1."
        )
    try:
        roots = load_roots(settings.ca_bundle)
    except (OSError, ValueError) as error:
        raise ConfigurationError(
            f"ANKLE_COACH_CA_BUNDLE={settings.ca_bundle!r} is not a readable PEM file: {error}"
        ) from None
    return RequestVerifier(skill_ids=settings.skill_ids, roots=roots)


def _configure_logging(settings: Settings) -> None:
    """Under gunicorn nobody has configured logging yet; the per-request lines need it."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)


def create_app(
    skill: CustomSkill | None = None,
    settings: Settings | None = None,
    verifier: RequestVerifier | None = None,
) -> Flask:
    """App factory: `gunicorn "skill.web:create_app()"`, or `python -m skill run` in development.

    Verification is on unless `settings.dev_skip_verification`; `verifier` replaces the
    production one (tests pass one with their own trust roots and downloader).
    """
    settings = settings or Settings.from_env()
    _configure_logging(settings)
    if settings.dev_skip_verification:
        log.warning(INSECURE_WARNING)
        verifier = None
    else:
        verifier = verifier or production_verifier(settings)
    skill = skill or build_skill()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        duration_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info(
            "request method=%s path=%s request_id=%s type=%s intent=%s status=%d duration_ms=%.1f",
            request.method,
            log_field(request.path),
            g.get("request_id", "-"),
            g.get("request_type", "-"),
            g.get("intent", "-"),
            response.status_code,
            duration_ms,
        )
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error: Exception) -> tuple[Response, int]:
        return _bad_request("request body too large")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        return jsonify(error=error.description), error.code or 500

    @app.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.post("/")
    def alexa() -> tuple[Response, int] | Response:
        if verifier is None:
            log.warning(INSECURE_WARNING)
        try:
            body = read_body(settings.max_body_bytes)
            data = parse_body(body)
        except BadRequest as error:
            return _bad_request(str(error))
        if verifier is not None:
            try:
                verifier.verify(request.headers, body, data)
            except Rejected as rejection:
                return _bad_request(rejection.reason, rejection.check)
            except Exception:  # a bug in verification must still refuse, never answer 500
                log.exception("request verification failed unexpectedly")
                return _bad_request("request could not be verified", "internal")
        req = data["request"]
        g.request_id = log_field(req.get("requestId"))
        g.request_type = log_field(req.get("type"))
        intent = req.get("intent")
        g.intent = log_field(intent.get("name") if isinstance(intent, dict) else None)
        try:
            envelope = parse_envelope(skill, body.decode("utf-8"))
        except Exception as error:  # the SDK's deserializer raises several types
            log.warning("envelope could not be read: %s", error)
            return _bad_request("not an Alexa request envelope")
        return jsonify(invoke(skill, envelope))

    return app
