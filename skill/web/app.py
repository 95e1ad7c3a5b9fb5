"""The self-hosted entry point: a Flask app that hands verified Alexa requests to the skill.

Request flow: POST / -> checks on the raw request -> Alexa request verification
(`skill.web.verification`) -> the ASK SDK skill -> JSON reply. Anything malformed or unverified
is answered with HTTP 400 and a log line naming the failed check; it never reaches the skill.

Production: `gunicorn --workers 4 --bind 127.0.0.1:8000 "skill.web:create_app()"`
behind a TLS-terminating proxy (README, "Running in production").
"""

from __future__ import annotations

import logging
import time
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from skill.alexa.builder import build_skill, empty_response, invoke, response_text
from skill.alexa.envelope import (
    BadEnvelope,
    check_envelope,
    envelope_from_data,
    modelled,
    parse_json,
)
from skill.alexa.interceptors import ENTRY_LOGS_REQUESTS
from skill.config import Settings
from skill.log_fields import log_field, skip_call_sites
from skill.web.verification import Rejected, RequestVerifier, load_roots

log = logging.getLogger(__name__)

INSECURE_WARNING = (
    "REQUEST VERIFICATION IS OFF (ANKLE_COACH_DEV_SKIP_VERIFICATION=1): anyone who can reach "
    "this service can send it requests. Use this only on your own machine for development."
)
DEV_FIELD = "VERIFICATION IS OFF (development)"
"""On each request line in development: the start-up warning, once per line as a field
rather than as a line of its own."""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class ConfigurationError(RuntimeError):
    """The service cannot start safely with these settings."""


READ_CHUNK = 16 * 1024
TOO_LARGE = "request body too large"
HTTP_REASONS = {404: "not found", 405: "method not allowed", 413: "request body too large"}


def read_body(environ: dict[str, Any], max_bytes: int) -> bytes:
    """The body bytes actually received, at most `max_bytes`, with or without Content-Length.

    Read from the WSGI input itself: Werkzeug's limited stream stops quietly at its limit,
    so a chunked body past it would be cut short and checked as a prefix.
    """
    if request.mimetype != "application/json":
        raise BadEnvelope("content type must be application/json")
    length = request.content_length
    if length is not None and length > max_bytes:
        raise BadEnvelope(TOO_LARGE)
    if length is None and not environ.get("wsgi.input_terminated"):
        return b""  # no length and no end marker: nothing can be read safely
    stream = environ["wsgi.input"]
    wanted = max_bytes + 1 if length is None else length
    chunks: list[bytes] = []
    size = 0
    while size < wanted:
        chunk = stream.read(min(READ_CHUNK, wanted - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise BadEnvelope(TOO_LARGE)
    if length is not None and size < length:
        raise BadEnvelope("request body is incomplete")
    return b"".join(chunks)


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
    skip_call_sites()  # one line per request, made without a stack walk
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
        """The one line per request: INFO when answered, WARNING naming the check when not."""
        duration_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        fields = (
            request.method,
            log_field(request.path),
            g.get("request_id", "-"),
            g.get("request_type", "-"),
            g.get("intent", "-"),
            response.status_code,
        )
        line = "method=%s path=%s request_id=%s type=%s intent=%s status=%d"
        # In development the start-up warning rides on every line as a field, not a line.
        dev = "" if verifier is not None else f" warning={DEV_FIELD!r}"
        rejection = g.get("rejection")
        if rejection is None:
            level = logging.INFO if verifier is not None else logging.WARNING
            log.log(
                level,
                "request " + line + " duration_ms=%.1f locale=%s%s",
                *fields,
                duration_ms,
                g.get("locale", "-"),
                dev,
            )
        else:
            check, reason, detail = rejection
            extra = f" detail={detail!r}" if detail else ""
            log.warning(
                "rejected request " + line + " check=%s reason=%s%s duration_ms=%.1f%s",
                *fields,
                check,
                reason,
                extra,
                duration_ms,
                dev,
            )
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        code = error.code or 400
        reason = HTTP_REASONS.get(code, "bad request")
        if code == 413:
            return refuse("input", TOO_LARGE)
        return _json({"error": reason}, code)

    @app.get("/health", provide_automatic_options=False)
    def health() -> Response:
        return jsonify(status="ok")

    @app.post("/", provide_automatic_options=False)
    def alexa() -> tuple[Response, int]:
        try:
            body = read_body(request.environ, settings.max_body_bytes)
            data = check_envelope(parse_json(body))
        except BadEnvelope as error:
            return refuse("input", error.reason)
        req = data["request"]
        g.request_id = log_field(req.get("requestId"))
        g.request_type = log_field(req.get("type"))
        intent = req.get("intent")
        g.intent = log_field(intent.get("name") if isinstance(intent, dict) else None)
        g.locale = log_field(req.get("locale"))
        if verifier is not None:
            try:
                verifier.verify(request.headers, body, data)
            except Rejected as rejection:
                return refuse(rejection.check, rejection.reason, rejection.detail)
            except Exception as error:  # a bug in verification must still refuse, never 500
                log.error("request verification failed unexpectedly", exc_info=error)
                return refuse("internal", "request could not be verified")
        if not modelled(data):  # a type the SDK cannot read yet: silence, as for events
            return _json(empty_response(), 200)
        try:
            envelope = envelope_from_data(skill, data)  # the body is parsed once, above
        except BadEnvelope as error:
            return refuse("input", error.reason)
        answer = invoke(skill, envelope, ENTRY_LOGS_REQUESTS)
        try:
            return _json(answer, 200)
        except ValueError:  # NaN or Infinity in the response: never sent, a bug to fix
            log.error("response refused: not valid JSON; answered with silence")
            return _json(empty_response(), 200)

    return app


def refuse(check: str, reason: str, detail: str | None = None) -> tuple[Response, int]:
    """HTTP 400 with a fixed short reason; the details go only to the request's log line."""
    g.rejection = (check, reason, detail)
    return _json({"error": reason}, 400)


def _json(payload: dict[str, Any], status: int) -> tuple[Response, int]:
    return Response(response_text(payload), mimetype="application/json"), status
