"""Build the requests Alexa would send, and keep a session the way Alexa does.

Used by the tests, and by the terminal chat, so every tool talks to the skill through
requests of the same shape as real ones (entity resolution filled in as Alexa does).
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"
# The other locales' models are generated from en-US.json into the skill package (`make models`).
PACKAGE_MODELS_DIR = MODELS_DIR.parent / "skill-package" / "interactionModels" / "custom"
TEST_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
TEST_USER_ID = "amzn1.ask.account.TESTUSER"
TEST_DEVICE_ID = "amzn1.ask.device.TESTDEVICE"

Envelope = dict[str, Any]
Send = Callable[[Envelope], Envelope]


def model_locales() -> list[str]:
    """Every locale with a model: the hand-edited source's and the generated ones."""
    paths = [*MODELS_DIR.glob("*.json"), *PACKAGE_MODELS_DIR.glob("*.json")]
    return sorted({path.stem for path in paths})


@cache
def load_model(locale: str = "en-US") -> dict[str, Any]:
    """The language model Alexa gets: the skill package's generated
    skill-package/interactionModels/custom/<locale>.json (en-US: the hand-written source
    with the sample grammar's compositions), else interaction_models/<locale>.json."""
    path = PACKAGE_MODELS_DIR / f"{locale}.json"
    if not path.is_file():
        path = MODELS_DIR / f"{locale}.json"
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["interactionModel"]["languageModel"]


@dataclass(frozen=True)
class Unmatched:
    """A slot value Alexa heard but could not resolve (ER_SUCCESS_NO_MATCH)."""

    spoken: str


@dataclass(frozen=True)
class Heard:
    """A slot value Alexa resolved to an id, with the words actually said (maybe a synonym)."""

    value_id: str
    spoken: str


def slot_type_of(intent: str, slot: str, locale: str = "en-US") -> str:
    for item in load_model(locale)["intents"]:
        if item["name"] == intent:
            for declared in item.get("slots", []):
                if declared["name"] == slot:
                    return declared["type"]
    raise KeyError(f"{intent} has no slot {slot!r} in the {locale} model")


def slot_values(slot_type: str, locale: str = "en-US") -> list[dict[str, Any]]:
    for item in load_model(locale)["types"]:
        if item["name"] == slot_type:
            return item["values"]
    raise KeyError(f"no slot type {slot_type!r} in the {locale} model")


def resolved_slot(
    name: str, slot_type: str, value_id: str | None, spoken: str, skill_id: str = TEST_SKILL_ID
) -> dict[str, Any]:
    """A slot as Alexa sends it: the heard words plus the entity-resolution result."""
    authority = f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}"
    if value_id is None:
        resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
    else:
        canonical = next(v["name"]["value"] for v in slot_values(slot_type) if v["id"] == value_id)
        resolution = {
            "authority": authority,
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": canonical, "id": value_id}}],
        }
    return {
        "name": name,
        "value": spoken,
        "confirmationStatus": "NONE",
        "source": "USER",
        "resolutions": {"resolutionsPerAuthority": [resolution]},
    }


THINK_SECONDS = 5
"""After a response, a simulated user speaks again this many seconds after it ends."""
CLIP_SECONDS = 1.0
"""A sound clip's length when the simulator cannot know it (the coach's are shorter)."""


def now_timestamp() -> str:
    return _stamp(datetime.now(UTC))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def listening_seconds(response: Envelope) -> float:
    """About how long a response takes to hear: words, pauses and clips."""
    from skill.chat.ssml import Clip, split_ssml
    from skill.domain.coach.timing import speaking_seconds

    ssml = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
    try:
        pieces = split_ssml(ssml) if ssml else []
    except ValueError:
        return 0.0
    seconds = 0.0
    for piece in pieces:
        if isinstance(piece, Clip):
            seconds += CLIP_SECONDS
        elif isinstance(piece, str):
            seconds += speaking_seconds(piece)
        else:
            seconds += piece.seconds
    return seconds


@dataclass
class Conversation:
    """One user's session with the skill, driven turn by turn.

    `send` takes a request envelope and returns the response envelope: the skill
    object, the Lambda handler, or an HTTP client all fit.
    """

    send: Send
    locale: str = "en-US"
    user_id: str = TEST_USER_ID
    skill_id: str = TEST_SKILL_ID
    screen: bool = False
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    turns: list[tuple[Envelope, Envelope]] = field(default_factory=list)
    clock: datetime | None = None
    """Alexa's timestamp for the next request; None starts at the real time. After each
    response it moves on by the time the response takes to hear plus THINK_SECONDS (a
    user who listens through, then speaks); `interrupt` speaks part-way through instead."""
    _count: int = 0
    _sent_at: datetime | None = None

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def envelope(self, request: dict[str, Any]) -> Envelope:
        new = self.session_id is None
        if new:
            self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
            self.attributes = {}
        self._count += 1
        interfaces: dict[str, Any] = {}
        if self.screen:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2023.3"}}
        application = {"applicationId": self.skill_id}
        user = {"userId": self.user_id}
        base = {
            "requestId": f"amzn1.echo-api.request.{self.session_id[-12:]}-{self._count}",
            "timestamp": self._timestamp(),
            "locale": self.locale,
        }
        return {
            "version": "1.0",
            "session": {
                "new": new,
                "sessionId": self.session_id,
                "application": application,
                "attributes": dict(self.attributes),
                "user": user,
            },
            "context": {
                "System": {
                    "application": application,
                    "user": user,
                    "device": {"deviceId": TEST_DEVICE_ID, "supportedInterfaces": interfaces},
                    "apiEndpoint": "https://api.amazonalexa.com",
                }
            },
            "request": {**base, **request},
        }

    def _timestamp(self) -> str:
        if self.clock is None:
            self.clock = datetime.now(UTC).replace(microsecond=0)
        self._sent_at = self.clock
        return _stamp(self.clock)

    def interrupt(self, after: float) -> None:
        """The next request comes `after` seconds after the last one (Alexa's timestamps),
        as when the user speaks while the response is still playing."""
        if self._sent_at is not None:
            self.clock = self._sent_at + timedelta(seconds=after)

    def wait(self, seconds: float) -> None:
        """Time passes before the next request."""
        if self.clock is not None:
            self.clock += timedelta(seconds=seconds)

    def _turn(self, request: dict[str, Any]) -> Envelope:
        envelope = self.envelope(request)
        response = self.send(envelope)
        self.turns.append((envelope, response))
        heard = math.ceil(listening_seconds(response)) + THINK_SECONDS
        if self._sent_at is not None:
            self.clock = self._sent_at + timedelta(seconds=heard)
        if request["type"] == "SessionEndedRequest" or (
            (response.get("response") or {}).get("shouldEndSession") is not False
        ):
            self.session_id = None
            self.attributes = {}
        else:
            self.attributes = response.get("sessionAttributes") or {}
        return response

    def launch(self) -> Envelope:
        self.session_id = None
        return self._turn({"type": "LaunchRequest"})

    def intent_request(self, name: str, slots: dict[str, str | Unmatched | Heard | None]) -> dict:
        filled = {}
        for slot, value in slots.items():
            slot_type = slot_type_of(name, slot, self.locale)
            if value is None:
                filled[slot] = {"name": slot, "confirmationStatus": "NONE"}
            elif isinstance(value, Unmatched):
                filled[slot] = resolved_slot(slot, slot_type, None, value.spoken, self.skill_id)
            elif isinstance(value, Heard):
                filled[slot] = resolved_slot(
                    slot, slot_type, value.value_id, value.spoken, self.skill_id
                )
            else:
                spoken = next(
                    v["name"]["value"]
                    for v in slot_values(slot_type, self.locale)
                    if v["id"] == value
                )
                filled[slot] = resolved_slot(slot, slot_type, value, spoken, self.skill_id)
        intent = {"name": name, "confirmationStatus": "NONE", "slots": filled}
        return {"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent}

    def send_request(self, request: dict[str, Any]) -> Envelope:
        """Send any request body (type plus fields); ids, timestamp and locale are added."""
        return self._turn(request)

    def intent(self, name: str, **slots: str | Unmatched | None) -> Envelope:
        """Send an intent; slot values are entity-resolution ids, or Unmatched(...)."""
        return self._turn(self.intent_request(name, slots))

    def end(self, reason: str = "USER_INITIATED", error: dict | None = None) -> Envelope:
        request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if error:
            request["error"] = error
        return self._turn(request)


def speech_of(response: Envelope) -> str:
    from skill.chat.alexa_rules import speech_text

    ssml = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
    return speech_text(ssml) if ssml else ""


def session_open(response: Envelope) -> bool:
    return (response.get("response") or {}).get("shouldEndSession") is False
