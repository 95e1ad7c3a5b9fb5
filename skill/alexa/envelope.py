"""One gate for request envelopes, shared by both entry points.

`POST /` and `lambda_handler.handler` must give the same outcome for the same envelope,
bad ones included, so both call `check_envelope` (and the web service `parse_json` first).
Anything that is not a well-formed Alexa envelope raises `BadEnvelope` with a short fixed
reason: never exception text, which could leak internals or forge log lines.

The limits are far beyond anything Alexa sends and far below what would hurt: nesting
(Python's recursion), numbers (Python refuses to convert ints of over 4,300 digits, and
JSON has no NaN or Infinity), lone surrogates (not encodable as UTF-8, so any later
encode would crash).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import Request, RequestEnvelope

from skill.domain.plain import copy_plain

MAX_DEPTH = 32
MAX_NUMBER_CHARS = 32
NOT_JSON = "body is not valid JSON"
TOO_DEEP = "body is nested too deeply"
BAD_NUMBER = "body has a number out of range"
BAD_TEXT = "body has text that is not valid Unicode"
NOT_ENVELOPE = "not an Alexa request envelope"


class BadEnvelope(ValueError):
    """A request refused before it reaches the skill; `reason` is a fixed short string."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


OUT_OF_RANGE = float("nan")
"""What a number JSON should not hold reads as: `check_tree` then refuses it, in the same
order for a body read here as for an event Lambda read, so both give the same reason."""


def _int(text: str) -> int | float:
    return int(text) if len(text) <= MAX_NUMBER_CHARS else OUT_OF_RANGE


def _float(text: str) -> float:
    return float(text) if len(text) <= MAX_NUMBER_CHARS else OUT_OF_RANGE


def parse_json(body: bytes) -> Any:
    """JSON from UTF-8; numbers of over 32 characters, NaN and Infinity read as NaN, which
    `check_tree` refuses (Python cannot convert integers of over 4,300 digits at all)."""
    try:
        return json.loads(body.decode("utf-8"), parse_int=_int, parse_float=_float)
    except RecursionError:
        raise BadEnvelope(TOO_DEEP) from None
    except (UnicodeDecodeError, ValueError):
        raise BadEnvelope(NOT_JSON) from None


def check_tree(data: Any) -> None:
    """Depth, numbers and strings of an already parsed value (Lambda parses it for us).

    Every value is visited once, depth first; containers recurse (at most MAX_DEPTH deep,
    checked before going further), the common scalars (ASCII text, integers, booleans, None) are
    passed inline: the walk is a fixed cost on every request, so it is kept tight."""
    _check_value(data, 1)


def _check_value(value: Any, depth: int) -> None:
    kind = type(value)
    if kind is dict:
        items: Any = value.values()
        for key in value:
            if not (type(key) is str and key.isascii()):
                _check_scalar(key)
    elif kind is list:
        items = value
    else:
        _check_scalar(value)
        return
    if depth > MAX_DEPTH:
        raise BadEnvelope(TOO_DEEP)
    for item in items:
        kind = type(item)
        if kind is str:
            if not item.isascii():
                _check_scalar(item)
        elif kind is dict or kind is list:
            _check_value(item, depth + 1)
        elif kind is int:  # counts and offsets of the coach state: inline, as in _check_scalar
            if item.bit_length() > 100:
                raise BadEnvelope(BAD_NUMBER)
        elif kind is float:
            if not math.isfinite(item):
                raise BadEnvelope(BAD_NUMBER)
        elif kind is not bool and item is not None:
            _check_scalar(item)


def _check_scalar(value: Any) -> None:
    if isinstance(value, str):
        if value.isascii():  # most of an envelope; only non-ASCII text can hold a surrogate
            return
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadEnvelope(BAD_TEXT) from None
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if value.bit_length() > 100:
            raise BadEnvelope(BAD_NUMBER)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BadEnvelope(BAD_NUMBER)
    else:
        raise BadEnvelope(NOT_ENVELOPE)


def _object(parent: dict[str, Any], key: str, *, required: bool = False) -> dict[str, Any]:
    value = parent.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise BadEnvelope(NOT_ENVELOPE)
    return value


def _text(parent: dict[str, Any], key: str, *, required: bool = False) -> None:
    value = parent.get(key)
    if (value is None and required) or not (value is None or isinstance(value, str)):
        raise BadEnvelope(NOT_ENVELOPE)


def check_timestamp(raw: str) -> None:
    """ISO 8601 that can be placed on the UTC time line (year 1 at +01:00 cannot)."""
    try:
        stamp = datetime.fromisoformat(raw)
        (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadEnvelope(NOT_ENVELOPE) from None


def _check_intent(request: dict[str, Any]) -> None:
    intent = _object(request, "intent", required=True)
    name = intent.get("name")
    if not (isinstance(name, str) and name):
        raise BadEnvelope(NOT_ENVELOPE)
    for slot in _object(intent, "slots").values():
        if not isinstance(slot, dict):
            raise BadEnvelope(NOT_ENVELOPE)
        _text(slot, "name")
        _text(slot, "value")
        authorities = _object(slot, "resolutions").get("resolutionsPerAuthority") or []
        if not isinstance(authorities, list):
            raise BadEnvelope(NOT_ENVELOPE)
        for authority in authorities:
            if not isinstance(authority, dict):
                raise BadEnvelope(NOT_ENVELOPE)
            _text(_object(authority, "status"), "code")
            values = authority.get("values") or []
            if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
                raise BadEnvelope(NOT_ENVELOPE)
            for value in values:
                _text(_object(value, "value"), "id")
                _text(_object(value, "value"), "name")


def check_envelope(data: Any) -> dict[str, Any]:
    """The parts of an envelope the skill and verification read, with the right types."""
    if not isinstance(data, dict):
        raise BadEnvelope(NOT_ENVELOPE)
    check_tree(data)
    _text(data, "version", required=True)
    request = _object(data, "request", required=True)
    for key in ("type", "requestId", "timestamp"):
        _text(request, key, required=True)
    if not request["type"]:
        raise BadEnvelope(NOT_ENVELOPE)
    _text(request, "locale")
    check_timestamp(request["timestamp"])
    if request["type"] == "IntentRequest":
        _check_intent(request)
    if "session" in data and data["session"] is not None:
        session = _object(data, "session")
        _object(session, "attributes")
        _text(session, "sessionId")
        if not isinstance(session.get("new", False), bool):
            raise BadEnvelope(NOT_ENVELOPE)
    system = _object(_object(data, "context", required=True), "System", required=True)
    _text(_object(system, "application"), "applicationId")
    _text(_object(system, "user"), "userId")
    _object(_object(system, "device"), "supportedInterfaces")
    return data


def modelled(data: dict[str, Any]) -> bool:
    """Whether the SDK knows this request type. Alexa adds types over time; one the SDK
    cannot read yet is answered with an empty response (logged), not refused."""
    return data["request"]["type"] in Request.discriminator_value_class_map


def to_request_envelope(skill: CustomSkill, text: str) -> RequestEnvelope:
    """The SDK's model of a checked envelope; anything its deserializer refuses is bad."""
    try:
        return skill.serializer.deserialize(payload=text, obj_type=RequestEnvelope)
    except Exception:  # the SDK's deserializer raises several types
        raise BadEnvelope(NOT_ENVELOPE) from None


def envelope_from_data(skill: CustomSkill, data: dict[str, Any]) -> RequestEnvelope:
    """The SDK's model of a checked envelope already parsed from JSON: both entry points
    have the data in hand (the web service parsed the body once for the checks and
    verification; Lambda hands over a dict), so it is built from it directly. A skill
    with the SDK's own serializer, whose `deserialize` takes only text, gets text."""
    build = getattr(skill.serializer, "build", None)
    if build is None:
        return load_event(skill, data)
    try:
        return build(data, RequestEnvelope)
    except Exception:  # the SDK's deserializer raises several types
        raise BadEnvelope(NOT_ENVELOPE) from None


def own_event(data: dict[str, Any]) -> dict[str, Any]:
    """The event with a copy of its session attributes, for a caller's dict (Lambda's).

    The skill takes the session attributes of the envelope it is given as its own and
    changes them in place (`skill.alexa.builder.Skill`). A body the web service parsed
    is its own already; an event passed in may be read again by whoever passed it (tests
    replay events), so its attributes, plain JSON checked by `check_envelope`, are
    copied: a plain copy, a fraction of the SDK's `deepcopy`."""
    session = data.get("session")
    if not isinstance(session, dict) or not isinstance(session.get("attributes"), dict):
        return data
    return {**data, "session": {**session, "attributes": copy_plain(session["attributes"])}}


def load_event(skill: CustomSkill, data: dict[str, Any]) -> RequestEnvelope:
    """A checked envelope read through JSON text, for a serializer that reads only text."""
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError):
        raise BadEnvelope(NOT_ENVELOPE) from None
    return to_request_envelope(skill, text)
